"""Forms of the performance menu, contract KPIs and quarterly returns. They check the
shape of what was typed; the rules (menu defaults, duplicate names, ranges, required
commentary, who may change what) live in the services."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from contracts.performance.choices import ReturnSource
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.models.returns import FinancialLine, FinancialReturn
from contracts.performance.services.kpis import (
    KPI_FIELDS,
    NEGATIVE_TOLERANCE,
    REQUIRED_MESSAGES,
    format_amount,
)
from contracts.performance.services.returns import ResultRow, actual_field
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukDecimalField,
    GovukForm,
    GovukModelForm,
)

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


MONEY_HELP = "In pounds, like 125000 or 125,000.00."


def commentary_field(kpi_id: int) -> str:
    return f"commentary_{kpi_id}"


def _target_hint(row: ResultRow) -> str:
    kpi = row.kpi
    target = format_amount(kpi.target, kpi.unit)
    tolerance = format_amount(kpi.amber_tolerance, kpi.unit, tolerance=True)
    direction = "higher" if kpi.direction == "higher" else "lower"
    hint = f"Target {target}, {direction} is better; amber within {tolerance}."
    if not row.required:
        hint += " No longer reported: optional."
    return hint


class PerformanceReturnForm(ChangeReasonMixin, forms.Form):
    """One row per KPI (its actual and commentary), then the overall commentary."""

    commentary = forms.CharField(
        label="Overall commentary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what did not, and what is being done about it.",
    )

    def __init__(self, *args, rows: list[ResultRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            kpi = row.kpi
            self.fields[actual_field(kpi.pk)] = GovukDecimalField(
                label=f"{kpi.name}: actual",
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=_target_hint(row),
                initial=row.actual,
                error_messages={
                    "invalid": f"{kpi.name}: enter the actual as a number, like 92.5.",
                    "max_decimal_places": (
                        f"{kpi.name}: give the actual to no more than 2 decimal places."
                    ),
                    "max_digits": f"{kpi.name}: the actual is too large.",
                    "max_whole_digits": f"{kpi.name}: the actual is too large.",
                },
            )
            self.fields[actual_field(kpi.pk)].widget.attrs["class"] = "govuk-input--width-10"
            self.fields[commentary_field(kpi.pk)] = forms.CharField(
                label=f"{kpi.name}: commentary",
                required=False,
                initial=row.commentary,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields(
            [
                name
                for row in rows
                for name in (actual_field(row.kpi.pk), commentary_field(row.kpi.pk))
            ]
            + ["commentary", "change_reason"]
        )

    def kpi_rows(self) -> list[dict]:
        """Each KPI with its two bound fields, for the table-like layout."""
        return [
            {
                "row": row,
                "actual": self[actual_field(row.kpi.pk)],
                "commentary": self[commentary_field(row.kpi.pk)],
            }
            for row in self.rows
        ]

    def results(self) -> dict:
        """{kpi id: (actual, commentary)} for ``performance_return_update``."""
        return {
            row.kpi.pk: (
                self.cleaned_data.get(actual_field(row.kpi.pk)),
                self.cleaned_data.get(commentary_field(row.kpi.pk), ""),
            )
            for row in self.rows
        }


class FinancialReturnForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = FinancialReturn
        fields = ["budget", "actual_spend", "payments_made", "commentary"]
        widgets = {"commentary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "budget": MONEY_HELP,
            "actual_spend": MONEY_HELP,
            "payments_made": "What the commissioner paid the provider for the quarter. "
            + MONEY_HELP,
        }
        error_messages = {
            name: {"invalid": f"Enter the {label} in pounds, like 125000 or 125,000.00."}
            for name, label in (
                ("budget", "budget"),
                ("actual_spend", "actual spend"),
                ("payments_made", "payments made"),
            )
        }


class FinancialLineForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = FinancialLine
        fields = ["description", "unit_price", "units_delivered"]
        labels = {"description": "What was delivered"}
        help_texts = {
            "description": "For example, “Needs assessments completed”.",
            "unit_price": "The agreed price of one unit, in pounds.",
            "units_delivered": "How many units were delivered in the quarter.",
        }
        error_messages = {
            "description": {"required": "Describe what was delivered."},
            "unit_price": {
                "required": "Enter the unit price.",
                "invalid": "Enter the unit price in pounds, like 45.50.",
            },
            "units_delivered": {
                "required": "Enter the number of units delivered.",
                "invalid": "Enter the units delivered as a number, like 120.",
            },
        }


class SubmitReturnForm(GovukForm):
    reason = forms.CharField(
        label="Note for the history",
        required=False,
        max_length=100,
        help_text="Kept in the return's history with your name and the time.",
    )


class SubmitForProviderForm(SubmitReturnForm):
    """Submitting a return for the provider: the commissioner's staff say how the
    provider's return reached them (the service holds the rule; the form asks for the
    same answers so they are shown by their questions at once)."""

    source = forms.ChoiceField(
        label="How did the provider's return reach you?",
        choices=ReturnSource.choices,
        widget=forms.RadioSelect,
        help_text="You are entering this return for the provider. Reports will say you "
        "entered it, and from what.",
        error_messages={
            "required": "You are entering this return for the provider: say how it reached "
            "you (email, letter, portal or file upload, a meeting or another way)."
        },
    )
    source_received_on = GovukDateField(
        label="Date received",
        error_messages={"required": "Enter the date the provider's return reached you."},
    )
    source_note = forms.CharField(
        label="About the source",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when it came another way. For example, who sent it, or where the "
        "file is kept.",
    )

    field_order = ["source", "source_received_on", "source_note", "reason"]


class AcceptReturnForm(SubmitReturnForm):
    """Accepting a return; before its quarter has ended the reason is asked for."""

    early_acceptance_reason = forms.CharField(
        label="Why accept it before the quarter has ended?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A return is normally accepted once the quarter is over. Kept with the return.",
    )

    def __init__(self, *args, early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["early_acceptance_reason"]


class ReturnForCorrectionForm(GovukForm):
    reason = forms.CharField(
        label="What needs correcting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider sees this on the return.",
        error_messages={"required": "Say what needs correcting."},
    )
