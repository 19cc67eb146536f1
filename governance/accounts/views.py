"""Each person's account pages."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import FormView, TemplateView

from governance.accounts import services
from governance.accounts.forms import (
    ApiTokenForm,
    NotificationEmailsForm,
    PasswordChangeForm,
    PasswordResetForm,
    TokenForm,
)
from governance.core.models.tokens import ApiToken


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class AccountView(TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            title="Your account",
            has_two_factor=services.has_two_factor(user),
            two_factor_required=services.two_factor_required(user),
            **kwargs,
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link, at most PASSWORD_RESET_LIMIT_PER_HOUR an hour for one email
    address or from one network address."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"

    def form_valid(self, form):
        allowed = services.password_reset_allowed(
            email=form.cleaned_data["email"], address=services.client_address(self.request)
        )
        if not allowed:
            form.add_error(
                "email",
                "You have asked for too many password reset links. Wait an hour, then try again",
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class TwoFactorSetupView(FormView):
    """Shows the QR code (and the key, for typing in) of a new authenticator, and
    confirms it with a code from the app."""

    template_name = "accounts/two_factor_setup.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        self.device = services.totp_device_for_setup(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        key = base64.b32encode(self.device.bin_key).decode().rstrip("=")
        qr = segno.make(self.device.config_url, error="m")
        return super().get_context_data(
            title="Set up your authenticator app",
            # segno writes the code with attributes only: no style, no script.
            qr_svg=mark_safe(qr.svg_inline(scale=5, title="QR code for your authenticator app")),
            key_groups=[key[i : i + 4] for i in range(0, len(key), 4)],
            required=services.two_factor_required(self.request.user),
            has_two_factor=services.has_two_factor(self.request.user),
            next=_next_url(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        confirmed = services.totp_device_confirm(
            request=self.request, device=self.device, token=form.cleaned_data["token"]
        )
        if not confirmed:
            form.add_error("token", "The code is not right. Enter the code the app shows now")
            return self.form_invalid(form)
        messages.success(self.request, "Your authenticator app is set up")
        return redirect(_next_url(self.request, reverse_lazy("account")))


class TwoFactorVerifyView(FormView):
    """Asks for a code from the authenticator app after the password, at each sign-in."""

    template_name = "accounts/two_factor_verify.html"
    form_class = TokenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Enter the code from your authenticator app",
            next=_next_url(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        if not services.totp_verify(request=self.request, token=form.cleaned_data["token"]):
            form.add_error(
                "token",
                "The code is not right. Enter the code the app shows now; after several wrong "
                "codes you must wait a little before trying again",
            )
            return self.form_invalid(form)
        return redirect(_next_url(self.request, reverse_lazy("landing")))


class ApiTokensView(TemplateView):
    """The person's API tokens: make one (shown once, on the page that answers the
    form), see when each was used and when it expires, and revoke one."""

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, form=None, new_key="", **kwargs):
        return super().get_context_data(
            title="API tokens",
            form=form or ApiTokenForm(),
            new_key=new_key,
            tokens=ApiToken.objects.filter(user=self.request.user),
            **kwargs,
        )

    def post(self, request):
        form = ApiTokenForm(data=request.POST)
        if form.is_valid():
            try:
                token, key = services.api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                response = self.render_to_response(
                    self.get_context_data(new_key=key, new_token=token)
                )
                # The token is on this page alone: no copy in any cache.
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApiTokenRevokeView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.api_token_revoke(token=token, actor=request.user)
        messages.success(request, f'The token "{token.name}" is revoked: it no longer works')
        return redirect("account_api_tokens")


class NotificationEmailsView(FormView):
    """Each person chooses a daily digest (the default) or an email for each notification."""

    template_name = "accounts/notifications.html"
    form_class = NotificationEmailsForm

    def get_initial(self):
        return {"notification_emails": self.request.user.notification_emails}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="How you get notifications", **kwargs)

    def form_valid(self, form):
        services.notification_emails_choose(
            user=self.request.user, choice=form.cleaned_data["notification_emails"]
        )
        messages.success(self.request, "How you get notifications by email has been saved")
        return redirect("account")


class SessionKeepAliveView(View):
    """ "Stay signed in" on the idle warning: the request itself counts as activity."""

    http_method_names = ["post"]

    def post(self, request):
        return HttpResponse(status=204)
