"""The invoice register's rules: recording an invoice, approving it for payment (by
someone other than whoever recorded it) and recording its payment.

Dates are checked against each other here with messages beside the field a person
typed; the date policy (governance.datepolicy) keeps each date near today.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.procurement.payments.models import Invoice, invoice_due_on
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import on
from governance.core.duties import require_different_person
from governance.core.permissions import require_officer
from governance.core.services import record_save, record_update

#: Contracts that may have invoices: once started, including after they end (the last
#: invoices are often paid after the end date).
INVOICE_CONTRACT_STATUSES = (
    ContractStatus.ACTIVE,
    ContractStatus.IN_EXIT,
    ContractStatus.ENDED,
    ContractStatus.TERMINATED,
)
OFFICERS_ONLY = "Only the contract's lead or deputy officer can change its invoice register."
PAID_BEFORE_RECEIVED = (
    "The date paid cannot be before the date the invoice was received ({received})."
)


def _check_details(
    *,
    contract: Contract,
    reference: str,
    amount: Decimal | None,
    disputed: bool,
    dispute_reason: str,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    errors = {}
    if not (reference or "").strip():
        errors["reference"] = "Enter the invoice number."
    elif (
        contract.invoices.filter(reference__iexact=reference.strip())
        .exclude(pk=exclude_pk)
        .exists()
    ):
        errors["reference"] = f"This contract already has invoice {reference.strip()}."
    if amount is None:
        errors["amount"] = "Enter the amount of the invoice."
    elif amount <= 0:
        errors["amount"] = "The amount must be more than £0."
    if disputed and not (dispute_reason or "").strip():
        errors["dispute_reason"] = "Say why the invoice is disputed."
    return errors


@transaction.atomic
def invoice_record(
    *,
    contract: Contract,
    actor,
    reference: str,
    amount: Decimal | None,
    received_on: datetime.date | None,
    description: str = "",
    disputed: bool = False,
    dispute_reason: str = "",
    reason: str = "",
) -> Invoice:
    """Add an invoice the provider has sent to the contract's register."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, Invoice, "add", OFFICERS_ONLY)
    if contract.status not in INVOICE_CONTRACT_STATUSES:
        raise ValidationError(
            "Invoices are recorded once the contract is active: this one has not started."
        )
    errors = _check_details(
        contract=contract,
        reference=reference,
        amount=amount,
        disputed=disputed,
        dispute_reason=dispute_reason,
    )
    if received_on is None:
        errors["received_on"] = "Enter the date the invoice was received."
    if errors:
        raise ValidationError(errors)
    invoice = Invoice(
        contract=contract,
        reference=reference.strip(),
        description=description.strip(),
        amount=amount,
        received_on=received_on,
        disputed=disputed,
        dispute_reason=dispute_reason.strip() if disputed else "",
        due_on=None if disputed else invoice_due_on(received_on),
        recorded_by=actor,
    )
    return record_save(instance=invoice, actor=actor, reason=reason or "Invoice recorded")


@transaction.atomic
def invoice_update(
    *,
    instance: Invoice,
    actor,
    reason: str,
    reference: str,
    amount: Decimal | None,
    received_on: datetime.date | None,
    description: str = "",
    disputed: bool = False,
    dispute_reason: str = "",
) -> list[str]:
    """Correct an invoice's details or record that it is (no longer) disputed. Returns
    the names of the fields that changed."""
    invoice = Invoice.objects.select_for_update().select_related("contract").get(pk=instance.pk)
    require_officer(actor, invoice.contract, Invoice, "change", OFFICERS_ONLY)
    errors = _check_details(
        contract=invoice.contract,
        reference=reference,
        amount=amount,
        disputed=disputed,
        dispute_reason=dispute_reason,
        exclude_pk=invoice.pk,
    )
    if received_on is None:
        errors["received_on"] = "Enter the date the invoice was received."
    else:
        for day, what in ((invoice.approved_on, "approved"), (invoice.paid_on, "paid")):
            if day is not None and received_on > day and "received_on" not in errors:
                errors["received_on"] = (
                    f"The date received cannot be after the date it was {what} ({on(day)})."
                )
    if errors:
        raise ValidationError(errors)
    if received_on == invoice.received_on and disputed == invoice.disputed:
        due_on = invoice.due_on  # the rule in force when it was recorded still holds
    else:
        due_on = None if disputed else invoice_due_on(received_on)
    return record_update(
        instance=invoice,
        fields={
            "reference": reference.strip(),
            "description": description.strip(),
            "amount": amount,
            "received_on": received_on,
            "disputed": disputed,
            "dispute_reason": dispute_reason.strip() if disputed else "",
            "due_on": due_on,
        },
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def invoice_approve(
    *, invoice: Invoice, actor, approved_on: datetime.date | None, reason: str = ""
) -> Invoice:
    """Approve an undisputed invoice for payment: a second person checks what was
    recorded."""
    invoice = Invoice.objects.select_for_update().select_related("contract").get(pk=invoice.pk)
    require_officer(actor, invoice.contract, Invoice, "change", OFFICERS_ONLY)
    require_different_person(
        actor=actor,
        proposer=invoice.recorded_by_id,
        did="recorded this invoice",
        step="approve it for payment",
    )
    if invoice.approved_on is not None:
        raise ValidationError(f"This invoice was already approved on {on(invoice.approved_on)}.")
    if invoice.disputed:
        raise ValidationError(
            "This invoice is disputed: record the end of the dispute before approving it."
        )
    if approved_on is None:
        raise ValidationError({"approved_on": "Enter the date the invoice was approved."})
    if approved_on < invoice.received_on:
        raise ValidationError(
            {
                "approved_on": "The date approved cannot be before the date the invoice was "
                f"received ({on(invoice.received_on)})."
            }
        )
    invoice.approved_on = approved_on
    invoice.approved_by = actor
    return record_save(
        instance=invoice, actor=actor, reason=reason.strip() or "Approved for payment"
    )


@transaction.atomic
def invoice_pay(
    *, invoice: Invoice, actor, paid_on: datetime.date | None, reason: str = ""
) -> Invoice:
    """Record that an approved invoice has been paid."""
    invoice = Invoice.objects.select_for_update().select_related("contract").get(pk=invoice.pk)
    require_officer(actor, invoice.contract, Invoice, "change", OFFICERS_ONLY)
    if invoice.paid_on is not None:
        raise ValidationError(f"This invoice was already paid on {on(invoice.paid_on)}.")
    if invoice.approved_on is None:
        raise ValidationError("Approve the invoice for payment before recording its payment.")
    if paid_on is None:
        raise ValidationError({"paid_on": "Enter the date the invoice was paid."})
    if paid_on < invoice.received_on:
        raise ValidationError(
            {"paid_on": PAID_BEFORE_RECEIVED.format(received=on(invoice.received_on))}
        )
    if paid_on < invoice.approved_on:
        raise ValidationError(
            {
                "paid_on": "The date paid cannot be before the date the invoice was approved "
                f"({on(invoice.approved_on)})."
            }
        )
    invoice.paid_on = paid_on
    return record_save(instance=invoice, actor=actor, reason=reason.strip() or "Payment recorded")
