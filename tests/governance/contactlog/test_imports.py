"""The contact log from a spreadsheet: the import pages and rows checked by the same
service as the contact form."""

import csv
import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.contactlog.imports import ContactLogImporter
from governance.contactlog.models import ContactLogEntry
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import ImportPageTests, form_errors

HEADERS = [column.header for column in ContactLogImporter.columns]


def yesterday() -> str:
    moment = timezone.localtime() - datetime.timedelta(days=1)
    return moment.strftime("%Y-%m-%d %H:%M")


def csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([values.get(header, "") for header in HEADERS])
    return buffer.getvalue()


def entry(contract: str, **changes) -> dict:
    return {
        "Contract": contract,
        "Date and time": yesterday(),
        "How": "Phone call",
        "Which way": "To the provider",
        "Subject": "Late quarterly return",
        "Summary": "Asked when the return will arrive; promised by Friday.",
        "Concern": "No",
        **changes,
    }


class TestContactLogImportPages(ImportPageTests):
    importer_class = ContactLogImporter
    import_url_name = "governance:contactlogentry_import"

    def make_writer(self, make_user):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def good_file(self, writer) -> str:
        return csv_text(
            [entry(self.contract.reference), entry(self.contract.reference, How="E-mail")]
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        elsewhere = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        return csv_text([entry(self.contract.reference), entry(elsewhere.reference)])


@pytest.mark.django_db
def test_each_rows_problems_are_those_of_the_contact_form(make_user, login):
    officer = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=officer)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    text = csv_text(
        [
            entry(contract.reference),
            entry(contract.reference, **{"Date and time": future}),
            entry(contract.reference, How="Carrier pigeon"),
            entry(contract.reference, Summary=""),
            entry(contract.reference, **{"Date and time": "12/06/2026 10:00"}),
        ]
    )
    client = login(officer)
    response = client.post(
        reverse("governance:contactlogentry_import"),
        {"file": SimpleUploadedFile("contacts.csv", text.encode())},
    )
    assert response.status_code == 302, form_errors(response)
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "4 of 5 rows have a problem" in page
    assert "The date and time cannot be in the future." in page
    assert "“Carrier pigeon” is not a way of contact" in page
    assert "Summary is empty" in page
    assert "“12/06/2026 10:00” is text, not a date and time" in page
    assert client.post(response["Location"]).status_code == 400
    assert ContactLogEntry.objects.count() == 0
