from django.db import migrations, models

from governance.core.search import search_vector_column


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0012_calendar_feeds"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="text",
            field=models.TextField(blank=True, editable=False),
        ),
        search_vector_column("governance_document", ("title", "original_filename", "text")),
        search_vector_column(
            "governance_decision", ("title", "decision", "rationale", "decided_by")
        ),
    ]
