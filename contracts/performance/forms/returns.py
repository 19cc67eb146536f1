"""Forms of the quarterly returns. They check the shape of what was typed; the rules
(ranges, required commentary, who may do what) live in contracts.services.returns."""

from django import forms

from contracts.performance.choices import ReturnSource
from contracts.performance.models.returns import FinancialLine, FinancialReturn
from contracts.performance.services.kpis import format_amount
from contracts.performance.services.returns import ResultRow, actual_field
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukDecimalField,
    GovukModelForm,
)

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


class SubmitReturnForm(forms.Form):
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


class ReturnForCorrectionForm(forms.Form):
    reason = forms.CharField(
        label="What needs correcting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider sees this on the return.",
        error_messages={"required": "Say what needs correcting."},
    )
