"""Forms in GOV.UK Design System markup: every form renders through these templates,
with an error summary at the top and each error message beside its field."""

from django import forms
from django.forms.renderers import TemplatesSetting

from .models import DocumentCategory


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class ChangeReasonMixin(forms.Form):
    """Asks why a record is changed; the answer is kept in the record's history."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        help_text="Kept in the record's history with your name and the time.",
        widget=forms.TextInput(),
    )

    def __init__(self, *args, require_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not require_reason:
            field = self.fields["change_reason"]
            field.required = False
            field.label = "Reason for adding this record"


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="Uploading a file with the same title as an existing one adds a new version.",
    )
    category = forms.ChoiceField(choices=DocumentCategory.choices)
    file = forms.FileField(
        label="File",
        help_text="PDF, DOCX, XLSX, CSV, PNG or JPEG.",
        error_messages={"required": "Choose a file to upload."},
    )
