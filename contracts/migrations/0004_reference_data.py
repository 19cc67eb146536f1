"""Initial reference data: service areas and the standard contracts-checklist items.
Administrators may add to or rename these later."""

from django.db import migrations

SERVICE_AREAS = [
    "Community safety",
    "Custody health care",
    "Domestic abuse and sexual violence",
    "Facilities management",
    "Information technology",
    "Restorative justice",
    "Substance misuse",
    "Victims' services",
    "Youth diversion",
]

CHECKLIST_ITEMS = [
    (
        "Confidentiality agreement signed",
        "Every person with access to sensitive information has signed.",
        False,
    ),
    (
        "Accreditation certificate produced",
        "A current certificate from the relevant quality or professional body.",
        True,
    ),
    (
        "Insurance certificates produced",
        "Employer's liability, public liability and professional indemnity cover.",
        True,
    ),
    (
        "Data processing agreement signed",
        "Terms for handling personal data on the commissioner's behalf.",
        False,
    ),
    ("Business continuity plan tested", "A plan that has been tested within the last year.", True),
    (
        "Safeguarding policy in place",
        "Covers children and adults at risk, with a named lead.",
        True,
    ),
    (
        "Staff vetting completed",
        "Vetting for staff with access to police systems or information.",
        True,
    ),
    (
        "Equality and diversity policy in place",
        "How the service meets the public sector equality duty.",
        False,
    ),
]


def create(apps, schema_editor):
    ServiceArea = apps.get_model("contracts", "ServiceArea")
    ChecklistItemType = apps.get_model("contracts", "ChecklistItemType")
    for name in SERVICE_AREAS:
        ServiceArea.objects.get_or_create(name=name)
    for name, description, expires in CHECKLIST_ITEMS:
        ChecklistItemType.objects.get_or_create(
            name=name, defaults={"description": description, "expires": expires}
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0003_contracts_register")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
