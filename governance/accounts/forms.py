from django import forms
from django.contrib.auth import forms as auth_forms

from governance.core.forms import GovukForm, PlainErrorsMixin


class SignInForm(PlainErrorsMixin, auth_forms.AuthenticationForm):
    """Django's sign-in form, with messages that say which box is empty."""


class PasswordChangeForm(PlainErrorsMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(PlainErrorsMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(PlainErrorsMixin, auth_forms.SetPasswordForm):
    pass


class TokenForm(GovukForm):
    """The six-digit code an authenticator app shows."""

    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456.",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        return token
