"""Forms for the Procurement Act 2023 duties. They check the shape of what was typed;
the services decide every rule and their messages appear beside the fields."""

from django import forms

from contracts.procurement.choices import NoticeStatus
from contracts.procurement.models import ContractEnding, ContractProcurement
from contracts.procurement.services.duties import FLAGS, PROCUREMENT_FIELDS, flag_help
from contracts.register.forms import ContractForm
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukForm,
    GovukModelForm,
    govuk_formfield,
)

PROCUREMENT_HELP = {
    "regime": "Contracts procured under the Procurement Act 2023 owe notices on Find a Tender. "
    "A procurement that started before 24 February 2025 stays under the earlier regime.",
}


class ContractRegistrationForm(ContractForm):
    """The contract register's form, with how the contract was procured."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extra = forms.fields_for_model(
            ContractProcurement, fields=PROCUREMENT_FIELDS, formfield_callback=govuk_formfield
        )
        extra["regime"].widget = forms.RadioSelect(choices=extra["regime"].choices)
        extra["regime"].choices = [c for c in extra["regime"].choices if c[0]]
        extra["regime"].help_text = PROCUREMENT_HELP["regime"]
        extra["kind"].widget = forms.RadioSelect(choices=extra["kind"].choices)
        extra["kind"].choices = [c for c in extra["kind"].choices if c[0]]
        for flag in FLAGS:
            if flag in extra:
                described = extra[flag].help_text
                extra[flag].help_text = " ".join(
                    part for part in (described, flag_help(flag)) if part
                )
        # Before the reason for the change, which stays last.
        reason = self.fields.pop("change_reason", None)
        self.fields.update(extra)
        if reason is not None:
            self.fields["change_reason"] = reason
        procurement = ContractProcurement.objects.filter(contract_id=self.instance.pk).first()
        self.procurement = procurement or ContractProcurement()
        for name in PROCUREMENT_FIELDS:
            self.initial.setdefault(name, getattr(self.procurement, name))
        # A client that does not send the regime or type (an older script, an API call)
        # keeps what the contract has, or the earlier regime for a new one: a browser
        # always sends the choice shown selected.
        for name in ("regime", "kind"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("regime", "kind"):
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = getattr(self.procurement, name)
        return cleaned


class NoticeStepForm(GovukForm):
    """One step of a notice's life. Each step asks for its own details."""

    FIELDS = {
        NoticeStatus.DRAFTED: ("summary",),
        NoticeStatus.PUBLISHED: ("fts_identifier", "published_on"),
        NoticeStatus.NOT_REQUIRED: ("not_required_reason",),
        NoticeStatus.APPROVED: ("reason",),
        NoticeStatus.DUE: ("reason",),
    }

    summary = forms.CharField(
        label="Notice text",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text="What the notice will say on Find a Tender. SMG approves it before it is "
        "published.",
        error_messages={"required": "Write the notice text."},
    )
    fts_identifier = forms.CharField(
        label="Find a Tender notice identifier",
        max_length=60,
        help_text="As shown on the published notice, like 2026/S 000-012345.",
        error_messages={
            "required": "Enter the notice identifier Find a Tender gave the published notice."
        },
    )
    published_on = GovukDateField(
        label="Date published",
        error_messages={"required": "Enter the date the notice was published."},
    )
    not_required_reason = forms.CharField(
        label="Why the notice is not required",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why the notice is not required."},
    )
    reason = forms.CharField(
        label="Notes",
        max_length=100,
        required=False,
        help_text="Optional. Kept in the notice's history.",
    )

    def __init__(self, *args, step: str, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = self.FIELDS[step]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if notice is not None and "summary" in self.fields:
            self.initial.setdefault("summary", notice.summary)


class KpiExemptionRequestForm(GovukForm):
    reason = forms.CharField(
        label="Why the contract is exempt from the KPI duty",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Say why the contract is exempt from the KPI duty."},
    )


class KpiExemptionDecisionForm(GovukForm):
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, refusing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if refusing:
            self.fields["notes"].required = True
            self.fields["notes"].label = "Why the exemption is refused"
            self.fields["notes"].error_messages["required"] = "Say why the exemption is refused."


class ChangeNoticeForm(GovukForm):
    standstill_starts_on = GovukDateField(label="Voluntary standstill: first day", required=False)
    standstill_ends_on = GovukDateField(label="Voluntary standstill: last day", required=False)
    reason = forms.CharField(label="Notes", max_length=100, required=False)


class ContractEndingForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ContractEnding
        fields = [
            "ended_on",
            "cause",
            "details",
            "breach_description",
            "breach_damages_or_settlement",
            "breach_disputed",
        ]
        widgets = {
            "cause": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 4}),
            "breach_description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "ended_on": {"required": "Enter the date the contract ended."},
            "cause": {"required": "Select why the contract ended."},
        }
