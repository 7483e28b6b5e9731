"""Signing in: the password, then the second factor where it is required or enrolled.

Django's ``login`` runs only after both steps, so a right password alone never makes a
session. Between the steps the session holds only who passed the password and until when
(``PENDING``). A person who must use a second factor and has none enrols first (a QR code
and the secret in text, then a code from the app), and is shown their recovery codes once.
``MultiFactorGateMiddleware`` turns a signed-in session that lacks the second factor (say,
one whose owner has since become a principal) back into this second step.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.contrib.auth.views import PasswordResetView as DjangoPasswordResetView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from districts import mfa
from districts.forms import EmailAuthenticationForm, EmailPasswordResetForm, OneTimeCodeForm
from districts.models import User

PENDING = "signin_pending"
RECOVERY_CODES_TO_SHOW = "signin_recovery_codes"
MAX_CODE_TRIES = 5


def start_second_step(request, user: User, *, backend: str, next_url: str) -> str:
    """Remember who passed the password; the URL of their second step."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "until": time.time() + settings.MFA_PENDING_SECONDS,
        "tries": 0,
    }
    return reverse("login_verify" if mfa.has_device(user) else "login_enrol")


def _pending(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or pending.get("until", 0) < time.time():
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _complete(request, user: User, pending: dict, device):
    request.session.pop(PENDING, None)
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    next_url = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse(settings.LOGIN_REDIRECT_URL)
    return next_url


def _wrong_code(request, pending: dict, form) -> bool:
    """Count a wrong code; True when the second step is used up (back to the password)."""
    pending["tries"] = pending.get("tries", 0) + 1
    request.session[PENDING] = pending
    if pending["tries"] >= MAX_CODE_TRIES:
        request.session.pop(PENDING, None)
        messages.error(request, "Too many wrong codes. Sign in again.")
        return True
    form.add_error("code", "That code is not right (or was already used). Try the next one.")
    return False


class SignInView(LoginView):
    """The first step: e-mail and password (django-axes counts the failures)."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not mfa.mfa_required(user) and not mfa.has_device(user):
            return super().form_valid(form)
        url = start_second_step(
            self.request, user, backend=user.backend, next_url=self.get_success_url()
        )
        return redirect(url)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step for someone with an authenticator: its code, or a recovery code."""
    user, pending = _pending(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(user, form.cleaned_data["code"])
        if device is not None:
            return redirect(_complete(request, user, pending, device))
        if _wrong_code(request, pending, form):
            return redirect(settings.LOGIN_URL)
    status = 400 if form.errors else 200
    return render(request, "registration/login_verify.html", {"form": form}, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    """The second step for someone who must use a second factor and has none yet."""
    user, pending = _pending(request)
    if user is None:
        return redirect(settings.LOGIN_URL)
    if mfa.has_device(user):
        return redirect("login_verify")
    device = mfa.totp_enrolment_start(user=user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_enrolment_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            next_url = _complete(request, user, pending, device)
            request.session[RECOVERY_CODES_TO_SHOW] = {"codes": codes, "next": next_url}
            return redirect("recovery_codes")
        if _wrong_code(request, pending, form):
            return redirect(settings.LOGIN_URL)
    context = {
        "form": form,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_base32(device),
        "email": user.email,
    }
    return render(
        request, "registration/login_enrol.html", context, status=400 if form.errors else 200
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Recovery codes: shown once after enrolment; a POST makes ten new ones."""
    if request.method == "POST":
        codes = mfa.recovery_codes_renew(user=request.user)
        shown = {"codes": codes, "next": reverse(settings.LOGIN_REDIRECT_URL)}
    else:
        shown = request.session.pop(RECOVERY_CODES_TO_SHOW, None)
    return render(request, "registration/recovery_codes.html", {"shown": shown})


class AdminSignInView(SignInView):
    next_page = "admin:index"


def admin_login(request, extra_context=None):
    """Django admin's sign-in is the site's, with both steps (``AdminSite.login``): the
    platform staff always have a second factor."""
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return AdminSignInView.as_view()(request)


class PasswordResetView(DjangoPasswordResetView):
    """Django's, finding the account by its normal address, with mail limited per address
    and per client (the form needs the request for the client's address)."""

    form_class = EmailPasswordResetForm

    def form_valid(self, form):
        form.request = self.request
        return super().form_valid(form)
