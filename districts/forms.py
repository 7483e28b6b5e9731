from django import forms
from django.contrib.auth.forms import AuthenticationForm

from districts import login_throttle


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match. Check both and try again.",
    }

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
