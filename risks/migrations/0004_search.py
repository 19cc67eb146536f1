from django.db import migrations

from governance.core.search import search_vector_column


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0003_open_risk_heatmap_index"),
    ]

    operations = [
        search_vector_column("risks_risk", ("title", "description", "mitigations")),
    ]
