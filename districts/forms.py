from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from districts import login_throttle
from districts.models import User


class ThrottledSignInMixin(forms.Form):
    """One sign-in rule for the site and Django admin: the address is a plain e-mail field
    (Django's ``UsernameField`` would fold ``ſuper@`` into ``super@`` by NFKC and so let a
    look-alike try the real account's password), and failures are counted per normal address
    and client (``districts.login_throttle``)."""

    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        client = login_throttle.client_address(self.request)
        if email and login_throttle.is_locked(email, client):
            raise forms.ValidationError(login_throttle.locked_message(), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                login_throttle.record_failure(email, client)
            raise
        login_throttle.clear(email, client)
        return cleaned


class EmailAuthenticationForm(ThrottledSignInMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match. Check both and try again.",
    }


class AdminEmailAuthenticationForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """Django admin's sign-in (staff only), under the same throttle as the site's."""


class EmailPasswordResetForm(PasswordResetForm):
    """Finds the account by the address's normal form, exactly (Django's own form matches
    ``iexact``, which PostgreSQL folds so that ``ſuper@`` finds ``super@``)."""

    def get_users(self, email):
        user = User.objects.find_by_email(email)
        if user is not None and user.is_active and user.has_usable_password():
            yield user
