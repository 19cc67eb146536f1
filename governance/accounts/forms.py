from django import forms
from django.contrib.auth import forms as auth_forms

from governance.accounts import services
from governance.core.alerting import EmailChoice
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


class ApiTokenForm(forms.Form):
    """A new API token: what it is for, and how long it works."""

    name = forms.CharField(
        label="What is the token for?",
        help_text="A name to tell your tokens apart, for example, Quarterly returns script.",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.TypedChoiceField(
        label="How long should it work?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long the token works",
            "invalid_choice": "Choose how long the token works from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(days, f"{days} days") for days in services.api_token_days()]


class NotificationEmailsForm(forms.Form):
    """How a person wants the daily sweep's notifications by email."""

    notification_emails = forms.ChoiceField(
        label="How do you want to get notifications by email?",
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text="Missed deadlines are always emailed to you straight away, on their own.",
        error_messages={
            "required": "Choose how you want to get notifications by email",
            "invalid_choice": "Choose how you want to get notifications by email",
        },
    )
