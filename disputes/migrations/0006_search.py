from django.db import migrations

from governance.core.search import search_vector_column


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0005_provider_receipt"),
    ]

    operations = [
        search_vector_column("disputes_dispute", ("title", "description", "outcome_summary")),
    ]
