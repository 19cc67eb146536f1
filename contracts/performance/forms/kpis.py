"""Forms of the performance menu and contract KPIs. They check what was typed; the
rules (menu defaults, duplicate names, who may change what) are in services.kpis."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.services.kpis import (
    KPI_FIELDS,
    NEGATIVE_TOLERANCE,
    REQUIRED_MESSAGES,
    format_amount,
)
from governance.core.forms import ChangeReasonMixin, GovukModelForm

_ERROR_MESSAGES = {
    **{name: {"required": message} for name, message in REQUIRED_MESSAGES.items()},
    "amber_tolerance": {"required": "Enter the amber tolerance, or 0 for none."},
    "frequency": {"required": "Select how often the indicator is reported."},
}

_WIDGETS = {
    "unit": forms.RadioSelect,
    "direction": forms.RadioSelect,
    "frequency": forms.RadioSelect,
    "service_requirement": forms.Textarea(attrs={"rows": 2}),
    "measurement_method": forms.Textarea(attrs={"rows": 4}),
}

_HELP_TEXTS = {
    "target": "A number: a percentage from 0 to 100, a count, a number of days, or pounds.",
    "amber_tolerance": (
        "How far short of the target still counts as amber, in the indicator's unit "
        "(percentage points for a percentage). 0 for none."
    ),
}


class KpiFieldsForm(ChangeReasonMixin, GovukModelForm):
    """What defines an indicator, as the menu and a contract's KPIs share it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("target", "amber_tolerance"):
            self.fields[name].widget.attrs.update(inputmode="decimal", spellcheck="false")
        self.fields["amber_tolerance"].validators.append(
            MinValueValidator(Decimal(0), message=NEGATIVE_TOLERANCE)
        )


class KpiDefinitionForm(KpiFieldsForm):
    class Meta(GovukModelForm.Meta):
        model = KpiDefinition
        fields = [*KPI_FIELDS, "is_active"]
        widgets = _WIDGETS
        help_texts = _HELP_TEXTS
        error_messages = {
            **_ERROR_MESSAGES,
            "name": {
                **_ERROR_MESSAGES["name"],
                "unique": "The performance menu already has an indicator with this name.",
            },
        }


class ContractKpiForm(KpiFieldsForm):
    """Changes a contract's KPI. Where it came from on the menu is kept as it was."""

    class Meta(GovukModelForm.Meta):
        model = ContractKpi
        fields = [*KPI_FIELDS, "is_active"]
        widgets = _WIDGETS
        help_texts = {
            **_HELP_TEXTS,
            "is_active": "Untick when the provider no longer reports on this indicator.",
        }
        error_messages = _ERROR_MESSAGES


class MenuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.name} (target {format_amount(obj.target, obj.unit)}, "
            f"{obj.get_frequency_display().lower()})"
        )


class ContractKpiCreateForm(KpiFieldsForm):
    """One form for both ways of adding a KPI: choose an indicator from the menu and
    answer only what differs on this contract, or leave the menu blank and answer every
    question. Nothing here is required; the service says what is still missing."""

    SAME_AS_MENU = "As on the performance menu"

    definition = MenuChoiceField(
        label="From the performance menu",
        queryset=KpiDefinition.objects.filter(is_active=True),
        required=False,
        empty_label="None: a KPI written for this contract",
        help_text="Questions you leave blank take the menu indicator's answer.",
    )
    is_key_indicator = forms.TypedChoiceField(
        label="Published as a key performance indicator",
        choices=[("", SAME_AS_MENU), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text="Key indicators are the ones reported to SMG and published. "
        "Left as on the menu, a KPI written for this contract is not a key indicator.",
    )

    class Meta(GovukModelForm.Meta):
        model = ContractKpi
        fields = ["definition", *KPI_FIELDS]
        widgets = {
            "service_requirement": forms.Textarea(attrs={"rows": 2}),
            "measurement_method": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": "Leave blank to use the menu indicator's name.",
            "target": _HELP_TEXTS["target"],
            "amber_tolerance": (
                "In the indicator's unit (percentage points for a percentage). Leave blank "
                "for the menu's, or no tolerance for a KPI written for this contract."
            ),
            "frequency": "Leave blank for the menu's, or quarterly for a KPI written for "
            "this contract.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in KPI_FIELDS:
            field = self.fields[name]
            field.required = False
            field.initial = None
            self.initial.pop(name, None)
        for name in ("unit", "direction", "frequency"):
            # Say what a blank answer means instead of Django's dashes (or no blank at all).
            self.fields[name].choices = [
                ("", self.SAME_AS_MENU),
                *ContractKpi._meta.get_field(name).choices,
            ]
