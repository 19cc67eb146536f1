"""URLs of each person's account: password, authenticator app, session and password reset."""

from django.contrib.auth import views as auth_views
from django.urls import path

from governance.accounts.forms import SetPasswordForm
from governance.accounts.views import (
    AccountView,
    ApiTokenRevokeView,
    ApiTokensView,
    NotificationEmailsView,
    PasswordChangeView,
    PasswordResetView,
    SessionKeepAliveView,
    TwoFactorSetupView,
    TwoFactorVerifyView,
)

urlpatterns = [
    path("account/", AccountView.as_view(), name="account"),
    path("account/password/", PasswordChangeView.as_view(), name="account_password_change"),
    path("account/two-factor/", TwoFactorSetupView.as_view(), name="account_two_factor_setup"),
    path(
        "account/two-factor/verify/",
        TwoFactorVerifyView.as_view(),
        name="account_two_factor_verify",
    ),
    path("account/api-tokens/", ApiTokensView.as_view(), name="account_api_tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        ApiTokenRevokeView.as_view(),
        name="account_api_token_revoke",
    ),
    path(
        "account/notifications/",
        NotificationEmailsView.as_view(),
        name="account_notifications",
    ),
    path("account/session/", SessionKeepAliveView.as_view(), name="account_session_keepalive"),
    # Django's reset views look these names up themselves.
    path("accounts/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm, template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
