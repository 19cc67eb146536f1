from django.db import migrations

from governance.core.search import search_vector_column


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0017_authority_wide_payments_compliance_notice"),
    ]

    operations = [
        search_vector_column("contracts_contract", ("reference", "title", "scope")),
        search_vector_column(
            "contracts_organisation",
            ("name", "companies_house_number", "charity_number", "email", "address", "notes"),
        ),
        search_vector_column("contracts_contact", ("name", "job_title", "email")),
    ]
