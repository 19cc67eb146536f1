import pytest

from governance.history import history_entries
from governance.services import record_save, record_update
from tests.contracts.factories import ContactFactory, OrganisationFactory


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
