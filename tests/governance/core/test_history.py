import ast
from pathlib import Path

import pytest

from governance.core.history import history_entries
from governance.core.services import fitted_reason, record_save, record_update
from governance.reports.history import contract_change_history
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory


@pytest.mark.django_db
class TestHistory:
    def test_changes_show_before_and_after_with_who_and_why(self, make_user):
        user = make_user(first_name="Morgan", last_name="Lee")
        organisation = OrganisationFactory(telephone="01632 960000")
        changed = record_update(
            instance=organisation,
            fields={"telephone": "01632 961111", "kind": "commissioner"},
            actor=user,
            reason="New switchboard number",
        )
        assert sorted(changed) == ["kind", "telephone"]
        latest = history_entries(organisation)[0]
        assert (latest.action, latest.who, latest.reason) == (
            "Changed",
            "Morgan Lee",
            "New switchboard number",
        )
        changes = {change.label: (change.old, change.new) for change in latest.changes}
        assert changes["Telephone"] == ("01632 960000", "01632 961111")
        assert changes["Kind"] == ("Provider", "Commissioner")  # choices shown by label

    def test_related_records_are_named_not_numbered(self, make_user):
        first, second = (
            OrganisationFactory(name="First Ltd"),
            OrganisationFactory(name="Second Ltd"),
        )
        contact = ContactFactory(organisation=first)
        record_update(
            instance=contact, fields={"organisation": second}, actor=make_user(), reason="Moved"
        )
        change = next(c for c in history_entries(contact)[0].changes if c.label == "Organisation")
        assert (change.old, change.new) == ("First Ltd", "Second Ltd")

    def test_a_save_without_a_reason_is_refused(self, make_user):
        from django.core.exceptions import ValidationError

        organisation = OrganisationFactory()
        organisation.telephone = "0"
        with pytest.raises(ValidationError):
            record_save(instance=organisation, actor=make_user(), reason=" ")

    def test_a_reason_longer_than_its_history_keeps_is_cut_at_a_word(self, make_user):
        organisation = OrganisationFactory(telephone="01632 960000")
        reason = "The provider moved its switchboard to the new building in the town centre " * 3
        record_update(
            instance=organisation,
            fields={"telephone": "01632 961111"},
            actor=make_user(),
            reason=reason,
        )
        kept = organisation.history.first().history_change_reason
        assert len(kept) <= 100 and kept.endswith(" its…")
        assert reason.startswith(kept[:-1])
        short = "A reason that fits"
        record_update(
            instance=organisation,
            fields={"telephone": "01632 962222"},
            actor=make_user(),
            reason=short,
        )
        assert organisation.history.first().history_change_reason == short


def test_a_long_reason_keeps_every_whole_word_that_fits_and_never_collapses():
    # The 100th character is a space: every word before it is whole, so all are kept.
    whole = "word " * 19 + "last" + " trailing words"
    assert whole[99] == " "
    assert fitted_reason(whole) == "word " * 19 + "last…"
    # One early space then a long address: cut the address rather than keep one word.
    address = "Closed: https://example.org/" + "a" * 120
    cut = fitted_reason(address)
    assert len(cut) == 100 and cut.startswith("Closed: https://example.org/aaa")

    def test_no_change_no_history(self, make_user):
        organisation = OrganisationFactory()
        before = organisation.history.count()
        assert (
            record_update(
                instance=organisation,
                fields={"name": organisation.name},
                actor=make_user(),
                reason="x",
            )
            == []
        )
        assert organisation.history.count() == before


@pytest.mark.django_db
def test_a_records_page_and_its_contracts_history_read_the_same_changes(make_user):
    """The record's History tab and the contract's change history (the auditor pack)
    say the same about one record: who, what and each field's change."""
    user = make_user(first_name="Morgan", last_name="Lee")
    contract = ContractFactory()
    record_update(
        instance=contract,
        fields={"title": "Outreach for young people", "tier": "gold"},
        actor=user,
        reason="Retitled",
    )
    latest = history_entries(contract)[0]
    in_pack = [row for row in contract_change_history(contract) if row.section == "Contracts"]
    assert (latest.who, latest.action, latest.reason, latest.changes) == (
        in_pack[-1].who,
        in_pack[-1].action,
        in_pack[-1].reason,
        in_pack[-1].changes,
    )
    assert {change.label for change in latest.changes} == {"Title", "Tier"}


def test_the_field_diff_is_written_once():
    """Only ``governance.history`` builds a field's change; every history reads it."""
    root = Path(__file__).resolve().parents[3]
    builders = set()
    for app in ("contracts", "governance", "risks", "disputes"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "FieldChange"
                ):
                    builders.add(path.relative_to(root).as_posix())
    assert builders == {"governance/core/history.py"}
