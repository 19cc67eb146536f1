"""The payments compliance notice becomes one notice of the whole authority for each six
months: the per-contract notices of a period are folded into one, keeping the one that
went furthest (published, then approved, then drafted), and the rest removed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PROGRESS = {"published": 4, "approved": 3, "drafted": 2, "not_required": 1, "due": 0}


def fold_payments_compliance_notices(apps, schema_editor):
    Notice = apps.get_model("contracts", "Notice")
    periods = {}
    for notice in Notice.objects.filter(kind="payments_compliance").order_by("pk"):
        periods.setdefault(notice.key, []).append(notice)
    for notices in periods.values():
        kept = max(notices, key=lambda notice: (PROGRESS.get(notice.status, 0), -notice.pk))
        Notice.objects.filter(pk__in=[n.pk for n in notices if n.pk != kept.pk]).delete()
        Notice.objects.filter(pk=kept.pk).update(contract=None)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contracts", "0016_performance_assessments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalnotice",
            name="contract",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Empty for a notice the authority owes as a whole.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="contracts.contract",
            ),
        ),
        migrations.AlterField(
            model_name="notice",
            name="contract",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a notice the authority owes as a whole.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notices",
                to="contracts.contract",
            ),
        ),
        migrations.RunPython(fold_payments_compliance_notices, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("contract__isnull", True)),
                fields=("kind", "key"),
                name="authority_notice_owed_once_per_duty",
            ),
        ),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind__in", ("payments_compliance",)), ("contract__isnull", True)),
                    models.Q(
                        models.Q(("kind__in", ("payments_compliance",)), _negated=True),
                        ("contract__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="notice_authority_wide_by_kind",
                violation_error_message="A payments compliance notice covers the whole authority; every other notice belongs to one contract.",
            ),
        ),
    ]
