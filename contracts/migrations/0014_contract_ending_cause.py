from django.db import migrations, models
from django.db.models import Q

CAUSES = [
    ("expiry", "The term came to an end (expiry)"),
    ("breach", "Terminated for the provider's breach"),
    ("mutual", "Ended early by agreement"),
    ("convenience", "Terminated by the commissioner without breach"),
    ("provider", "Terminated by the provider"),
    ("other", "Another reason"),
]


class Migration(migrations.Migration):
    """Why a contract ended is its ``cause``: ``reason`` is the word every service uses
    for the reason a change is recorded in history."""

    dependencies = [("contracts", "0013_contracts_under_earlier_regime")]

    operations = [
        migrations.RemoveConstraint(model_name="contractending", name="ending_breach_is_described"),
        migrations.RenameField(model_name="contractending", old_name="reason", new_name="cause"),
        migrations.RenameField(
            model_name="historicalcontractending", old_name="reason", new_name="cause"
        ),
        *[
            migrations.AlterField(
                model_name=model,
                name="cause",
                field=models.CharField(
                    choices=CAUSES, max_length=20, verbose_name="Why the contract ended"
                ),
            )
            for model in ("contractending", "historicalcontractending")
        ],
        migrations.AddConstraint(
            model_name="contractending",
            constraint=models.CheckConstraint(
                condition=~Q(cause="breach") | ~Q(breach_description=""),
                name="ending_breach_is_described",
                violation_error_message="Describe the breach the contract was terminated for.",
            ),
        ),
    ]
