from django import forms

from governance.core.alerting import EmailChoice


class TokenForm(forms.Form):
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
