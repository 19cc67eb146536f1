"""Contracts registered before the Procurement Act 2023 duties were tracked were
procured under the earlier regime: record that, so they owe none of the Act's notices
until someone who knows otherwise changes it (with the date the procurement started)."""

from django.db import migrations
from django.utils import timezone

REASON = "Recorded as procured under the earlier regime when procurement duties were added"


def earlier_regime_for_existing(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    ContractProcurement = apps.get_model("contracts", "ContractProcurement")
    Historical = apps.get_model("contracts", "HistoricalContractProcurement")
    missing = Contract.objects.filter(procurement__isnull=True).values_list("pk", flat=True)
    now = timezone.now()
    for contract_id in missing.iterator():
        row = ContractProcurement.objects.create(contract_id=contract_id, regime="earlier")
        Historical.objects.create(
            id=row.pk,
            contract_id=contract_id,
            regime=row.regime,
            kind=row.kind,
            light_touch=False,
            framework=False,
            concession=False,
            utilities=False,
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0012_procurement_act_duties")]

    operations = [migrations.RunPython(earlier_regime_for_existing, migrations.RunPython.noop)]
