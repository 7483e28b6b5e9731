from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from districts import login_throttle
from districts.models import Role, User
from schools.models import School


class ThrottledSignInMixin(forms.Form):
    """One sign-in rule for the site and Django admin: the address is a plain e-mail field
    (Django's ``UsernameField`` would fold ``ſuper@`` into ``super@`` by NFKC and so let a
    look-alike try the real account's password), and failures are counted per normal address
    and client by django-axes (``districts.login_throttle``), which refuses a locked pair
    before the password is even tried."""

    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if login_throttle.is_locked_out(self.request):
                raise forms.ValidationError(
                    login_throttle.locked_message(), code="throttled"
                ) from None
            raise


class EmailAuthenticationForm(ThrottledSignInMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match. Check both and try again.",
    }


class OneTimeCodeForm(forms.Form):
    """The second step of sign-in: the authenticator's code, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
    )


class EmailPasswordResetForm(PasswordResetForm):
    """Finds the account by the address's normal form, exactly (Django's own form matches
    ``iexact``, which PostgreSQL folds so that ``ſuper@`` finds ``super@``). Mail is limited
    per address and per client (``login_throttle.reset_mail_allowed``); over the limit the
    page answers as usual and sends nothing, so it tells nobody whether an account exists."""

    request = None  # set by districts.signin.PasswordResetView

    def get_users(self, email):
        request = self.request
        if request is not None and not login_throttle.reset_mail_allowed(request, email):
            return
        user = User.objects.find_by_email(email)
        if user is not None and user.is_active and user.has_usable_password():
            yield user


class MemberFilterForm(forms.Form):
    """The members page's search and filters (GET). Schools come from the scoped default
    manager, so only the request's district's are offered or accepted."""

    STATUS_CHOICES = [("", "Active and inactive"), ("active", "Active"), ("inactive", "Inactive")]

    q = forms.CharField(
        label="Name or e-mail",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    school = forms.ModelChoiceField(
        label="School",
        required=False,
        queryset=School.objects.order_by("name"),
        empty_label="Any school",
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.member_search``; none when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"active": True, "inactive": False}.get(data["status"])
        return {"q": data["q"], "role": data["role"], "school": data["school"], "active": active}


class MembershipForm(forms.Form):
    """A member's role and school; the rules themselves are the model's, run by the service."""

    role = forms.ChoiceField(label="Role", choices=Role.choices)
    school = forms.ModelChoiceField(
        label="School",
        required=False,
        queryset=School.objects.order_by("name"),
        empty_label="— none (district-wide roles) —",
        help_text="Principals, vice-principals and teachers need one; district admins and "
        "leaders have none.",
    )
