"""The contact log: key communications with a contract's provider, kept by the
commissioner (provider staff see none of it), and the written follow-up a concern
raised by word of mouth needs within 2 business days. A concern by phone is saved
without its follow-up and flagged; the follow-up cannot predate the contact; once 2
business days have passed (weekends and bank holidays not counted) the contract's tab
warns and the entry's author is told once. Every rule refuses with its sentence and
saves nothing."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import alerts as governance_alerts
from governance.contactlog import alerts as contactlog_alerts
from governance.contactlog import services
from governance.contactlog.forms import ContactLogEntryForm
from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.core.models.alerts import Alert
from governance.core.roles import Role
from governance.core.services import alerts as engine
from tests.checks import date_data, refused
from tests.contracts.register.factories import ContactFactory, ContractFactory
from tests.governance.contactlog.log_factories import ConcernByPhoneFactory, ContactLogEntryFactory
from tests.governance.meetings.helpers import (
    first_change,
    latest_change,
    outsiders,
    provider_user_holding,
    refused_unchanged,
)
from tests.governance.meetings.meeting_factories import HeldMeetingFactory, MeetingFactory, at
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries, form_errors

TODAY = datetime.date(2026, 6, 15)  # a Monday
NOW = at(2026, 6, 15, 11)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


pytestmark = pytest.mark.usefixtures("frozen")


def log(contract, actor, **overrides) -> ContactLogEntry:
    fields = {
        "occurred_at": at(2026, 6, 12, 15, 30),
        "channel": ContactChannel.PHONE,
        "direction": ContactDirection.TO_PROVIDER,
        "subject": "Missed safeguarding referral",
        "summary": "Raised a referral that was not passed on within a day.",
        "is_concern": True,
        **overrides,
    }
    return services.contact_log_record(contract=contract, actor=actor, **fields)


def email_refused(contract, actor, **overrides):
    """Why logging an e-mail to the provider about the figures, at midnight on 12 June
    (unless told), is refused."""
    fields = {
        "occurred_at": at(2026, 6, 12),
        "channel": ContactChannel.EMAIL,
        "direction": ContactDirection.TO_PROVIDER,
        "subject": "Figures",
        "summary": "Sent the figures.",
        **overrides,
    }
    return refused(services.contact_log_record, contract=contract, actor=actor, **fields)


def snapshot(entry: ContactLogEntry) -> tuple:
    entry.refresh_from_db()
    return (
        entry.occurred_at,
        entry.channel,
        entry.follow_up_sent_on,
        entry.follow_up_entry_id,
        entry.history.count(),
    )


def correction_refused(entry, actor, **changes):
    """Why ``actor``'s correction of ``entry`` is refused; nothing is written."""
    return refused_unchanged(
        services.contact_log_update, snapshot, entry, instance=entry, actor=actor, **changes
    )


def follow_up_refused(entry, actor, **how):
    """Why recording the written follow-up of ``entry`` is refused; nothing is written."""
    return refused_unchanged(
        services.contact_follow_up_record, snapshot, entry, entry=entry, actor=actor, **how
    )


# -- Logging ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestLogging:
    def test_a_contact_records_its_people_and_its_author(self, contract, officer, make_user):
        colleague = make_user(role=Role.CONTRACT_MANAGER)
        manager = contract.provider_contract_manager
        entry = log(
            contract,
            officer,
            channel=ContactChannel.EMAIL,
            is_concern=False,
            commissioner_participants=[officer, colleague],
            provider_participants=[manager],
            reason="Weekly e-mail",
        )
        assert entry.recorded_by == officer
        assert set(entry.commissioner_participants.all()) == {officer, colleague}
        assert list(entry.provider_participants.all()) == [manager]
        assert entry.reference == f"CL{entry.pk:05d}"
        assert first_change(entry) == (officer, "Weekly e-mail")

    def test_a_contact_cannot_be_in_the_future(self, contract, officer):
        for moment in (at(2026, 6, 15, 11, 1), at(2026, 6, 16, 9)):
            error = email_refused(
                contract, officer, occurred_at=moment, subject="Tomorrow's call", summary="Not yet."
            )
            assert error.message_dict == {
                "occurred_at": ["The date and time cannot be in the future."]
            }
        assert not ContactLogEntry.objects.exists()
        assert log(contract, officer, occurred_at=NOW).occurred_at == NOW

    def test_a_concern_by_phone_is_saved_and_flagged_until_followed_up(self, contract, officer):
        # Decided: the call is logged as soon as it ends, before the e-mail can go, so the
        # entry is saved and shows as waiting; it becomes overdue after 2 business days.
        entry = log(contract, officer)  # Friday 12 June, 15:30
        assert entry.needs_written_follow_up
        assert entry.awaiting_follow_up
        assert entry.follow_up_due_on == datetime.date(2026, 6, 16)  # Mon, Tue
        assert not entry.follow_up_overdue(datetime.date(2026, 6, 16))
        assert entry.follow_up_overdue(datetime.date(2026, 6, 17))
        assert list(ContactLogEntry.objects.awaiting_follow_up()) == [entry]

    @pytest.mark.parametrize(
        ("channel", "with_meeting", "concern", "needed"),
        [
            (ContactChannel.PHONE, False, True, True),
            (ContactChannel.VIDEO, False, True, True),
            (ContactChannel.IN_PERSON, False, True, True),
            (ContactChannel.MEETING, False, True, True),  # not in the meetings log
            (ContactChannel.MEETING, True, True, False),  # its minutes are the record
            (ContactChannel.EMAIL, False, True, False),
            (ContactChannel.LETTER, False, True, False),
            (ContactChannel.PHONE, False, False, False),
        ],
    )
    def test_which_contacts_need_a_written_follow_up(
        self, contract, officer, channel, with_meeting, concern, needed
    ):
        meeting = HeldMeetingFactory(contract=contract) if with_meeting else None
        entry = log(contract, officer, channel=channel, meeting=meeting, is_concern=concern)
        assert entry.needs_written_follow_up is needed
        assert ContactLogEntry.objects.awaiting_follow_up().filter(pk=entry.pk).exists() is needed

    def test_provider_people_are_the_contracts_providers_contacts(self, contract, officer):
        stranger = ContactFactory(name="Ada Jones")
        error = email_refused(
            contract,
            officer,
            direction=ContactDirection.FROM_PROVIDER,
            provider_participants=[contract.provider_contract_manager, stranger],
        )
        assert error.message_dict == {
            "provider_participants": [f"Ada Jones is not a contact at {contract.provider}."]
        }
        assert not ContactLogEntry.objects.exists()

    def test_commissioner_people_are_the_commissioners_staff(self, contract, officer, make_user):
        provider_user = make_user(
            role=Role.PROVIDER, organisation=contract.provider, first_name="Bo", last_name="Li"
        )
        error = email_refused(
            contract,
            officer,
            direction=ContactDirection.BOTH,
            commissioner_participants=[provider_user],
        )
        assert error.message_dict == {
            "commissioner_participants": [
                "Bo Li works for the provider: add the provider's people from its contacts."
            ]
        }

    def test_only_the_contracts_officers_log_contacts(self, contract, make_user):
        roles = (Role.CONTRACT_MANAGER, Role.PDM, Role.SMG, Role.AUDITOR, Role.PROVIDER)
        for outsider in outsiders(make_user, contract, roles):
            error = email_refused(contract, outsider, summary="Asked.")
            assert error.messages == [
                "Only the contract's lead or deputy officer can log contacts with its provider."
            ]
        assert not ContactLogEntry.objects.exists()

    def test_a_linked_meeting_must_be_this_contracts_and_a_meeting(self, contract, officer):
        other = HeldMeetingFactory()
        error = refused(log, contract=contract, actor=officer, meeting=other)
        assert error.message_dict == {
            "meeting": ["Link a meeting only when the contact was in a meeting."]
        }
        error = refused(
            log, contract=contract, actor=officer, channel=ContactChannel.MEETING, meeting=other
        )
        assert error.message_dict == {"meeting": [f"{other} is a meeting of another contract."]}
        cancelled = MeetingFactory(contract=contract, status="cancelled")
        error = refused(
            log,
            contract=contract,
            actor=officer,
            channel=ContactChannel.MEETING,
            meeting=cancelled,
        )
        assert list(error.message_dict) == ["meeting"]
        assert not ContactLogEntry.objects.exists()

    def test_missing_answers_are_named(self, contract, officer):
        blanks = {
            "occurred_at": None,
            "channel": "",
            "direction": "",
            "subject": " ",
            "summary": "",
        }
        error = refused(log, contract=contract, actor=officer, **blanks)
        assert error.message_dict == {
            "occurred_at": ["Enter the date and time of the contact."],
            "channel": ["Select how the contact was made."],
            "direction": ["Select which way the contact went."],
            "subject": ["Enter the subject of the contact."],
            "summary": ["Summarise what was said."],
        }


# -- Correcting ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestCorrecting:
    def test_a_correction_records_who_and_why(self, contract, officer, make_user):
        entry = log(contract, officer)
        colleague = make_user(role=Role.CONTRACT_MANAGER)
        changed = services.contact_log_update(
            instance=entry,
            actor=officer,
            reason="Deputy was on the call",
            commissioner_participants=[officer, colleague],
        )
        assert changed == ["commissioner_participants"]
        assert latest_change(entry) == (officer, "Deputy was on the call")

    def test_a_correction_cannot_move_the_contact_into_the_future(self, contract, officer):
        entry = log(contract, officer)
        error = correction_refused(entry, officer, reason="Wrong day", occurred_at=at(2026, 6, 22))
        assert error.message_dict == {"occurred_at": [services.FUTURE_CONTACT]}

    def test_a_correction_cannot_put_the_contact_after_its_follow_up(self, contract, officer):
        entry = log(contract, officer)
        services.contact_follow_up_record(
            entry=entry, actor=officer, follow_up_sent_on=datetime.date(2026, 6, 12)
        )
        error = correction_refused(
            entry, officer, reason="Wrong day", occurred_at=at(2026, 6, 14, 9)
        )
        assert error.message_dict == {
            "occurred_at": [
                "The written summary was sent on 12 June 2026: the contact cannot be later "
                "than that."
            ]
        }

    def test_a_follow_up_stays_a_later_written_contact(self, contract, officer):
        call = log(contract, officer)
        email = log(
            contract, officer, channel=ContactChannel.EMAIL, occurred_at=at(2026, 6, 12, 17)
        )
        services.contact_follow_up_record(entry=call, actor=officer, follow_up_entry=email)
        error = correction_refused(
            email, officer, reason="It was a call", channel=ContactChannel.PHONE
        )
        assert error.messages == [
            f"This entry is the written follow-up of {call.reference}: it must stay an email "
            "or letter to the provider, after that contact."
        ]

    def test_only_the_officers_correct_an_entry(self, contract, officer, make_user):
        entry = log(contract, officer)
        error = correction_refused(
            entry, make_user(role=Role.CONTRACT_MANAGER), reason="x", subject="y"
        )
        assert error.messages == [
            "Only the contract's lead or deputy officer can change its contact log."
        ]


# -- The written follow-up ------------------------------------------------------------------


@pytest.mark.django_db
class TestFollowUp:
    def test_the_date_the_summary_went_is_recorded(self, contract, officer):
        entry = log(contract, officer)
        services.contact_follow_up_record(
            entry=entry, actor=officer, follow_up_sent_on=datetime.date(2026, 6, 15)
        )
        entry.refresh_from_db()
        assert entry.follow_up_sent_on == datetime.date(2026, 6, 15)
        assert not entry.awaiting_follow_up
        assert latest_change(entry) == (officer, "Written summary sent on 15 June 2026")

    def test_a_follow_up_dated_before_the_contact_is_refused(self, contract, officer):
        entry = log(contract, officer)
        error = follow_up_refused(entry, officer, follow_up_sent_on=datetime.date(2026, 6, 11))
        assert error.message_dict == {
            "follow_up_sent_on": [
                "The follow-up cannot be dated before the contact, on 12 June 2026."
            ]
        }

    def test_a_follow_up_cannot_be_dated_in_the_future(self, contract, officer):
        entry = log(contract, officer)
        error = follow_up_refused(entry, officer, follow_up_sent_on=datetime.date(2026, 6, 16))
        assert error.message_dict == {
            "follow_up_sent_on": ["The date the summary was sent cannot be in the future."]
        }

    def test_one_way_of_following_up_is_given(self, contract, officer):
        entry = log(contract, officer)
        email = log(contract, officer, channel=ContactChannel.EMAIL, occurred_at=NOW)
        error = follow_up_refused(entry, officer)
        assert error.messages == [
            "Enter the date the written summary was sent, or choose the email or letter in "
            "the log that followed up."
        ]
        error = follow_up_refused(entry, officer, follow_up_sent_on=TODAY, follow_up_entry=email)
        assert "not both" in error.messages[0]

    def test_a_later_email_to_the_provider_follows_up(self, contract, officer):
        entry = log(contract, officer)
        email = log(contract, officer, channel=ContactChannel.EMAIL, occurred_at=NOW)
        assert list(services.follow_up_candidates(entry)) == [email]
        services.contact_follow_up_record(entry=entry, actor=officer, follow_up_entry=email)
        entry.refresh_from_db()
        assert entry.follow_up_entry == email
        assert list(email.follows_up.all()) == [entry]
        assert not ContactLogEntry.objects.awaiting_follow_up().exists()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"channel": ContactChannel.EMAIL, "occurred_at": at(2026, 6, 12, 9)},
                "The written follow-up must come after the contact: choose an email or "
                "letter logged later.",
            ),
            (
                {"channel": ContactChannel.EMAIL, "direction": ContactDirection.FROM_PROVIDER},
                "The written follow-up must go to the provider: that entry came from them.",
            ),
            (
                {"channel": ContactChannel.VIDEO},
                "The written follow-up must be an email or a letter.",
            ),
        ],
    )
    def test_the_linked_entry_must_be_a_later_written_one(
        self, contract, officer, overrides, message
    ):
        entry = log(contract, officer)
        candidate = log(contract, officer, **{"occurred_at": NOW, "is_concern": False, **overrides})
        error = follow_up_refused(entry, officer, follow_up_entry=candidate)
        assert error.message_dict == {"follow_up_entry": [message]}

    def test_another_contracts_letter_does_not_follow_up(self, contract, officer):
        entry = log(contract, officer)
        elsewhere = ContactLogEntryFactory(channel=ContactChannel.LETTER, occurred_at=NOW)
        error = follow_up_refused(entry, officer, follow_up_entry=elsewhere)
        assert "another contract's log" in error.message_dict["follow_up_entry"][0]

    def test_only_concerns_by_word_of_mouth_need_one(self, contract, officer):
        email = log(contract, officer, channel=ContactChannel.EMAIL)
        error = follow_up_refused(email, officer, follow_up_sent_on=TODAY)
        assert error.messages[0].startswith("A written follow-up is needed only for a concern")


# -- Scope --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_provider_staff_see_none_of_the_log_even_with_the_permission(contract, make_user):
    ContactLogEntryFactory(contract=contract)
    provider_user = provider_user_holding(make_user, "view_contactlogentry", contract.provider)
    assert not ContactLogEntry.objects.restrict(provider_user, "view").exists()
    for role in (Role.CONTRACT_MANAGER, Role.PDM, Role.SMG, Role.AUDITOR):
        assert ContactLogEntry.objects.restrict(make_user(role=role), "view").count() == 1


# -- Alerts -------------------------------------------------------------------------------

# Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
MAUNDY_THURSDAY = datetime.date(2026, 4, 2)


def sweep_keys(day: datetime.date) -> set[str]:
    with time_machine.travel(at(day.year, day.month, day.day, 6), tick=False):
        return {spec.key for spec in contactlog_alerts.contact_follow_ups_overdue(day)}


@pytest.mark.django_db
class TestFollowUpAlerts:
    def test_the_provider_is_offered_to_the_sweep(self):
        assert contactlog_alerts.contact_follow_ups_overdue in governance_alerts.PROVIDERS

    def test_two_business_days_skip_the_weekend(self, contract):
        friday_call = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 12, 16))
        key = f"contact-follow-up-overdue:{friday_call.pk}:2026-06-16"
        # Due by Tuesday 16 June (Monday and Tuesday count, the weekend does not).
        for day in (13, 14, 15, 16):
            assert sweep_keys(datetime.date(2026, 6, day)) == set(), day
        assert sweep_keys(datetime.date(2026, 6, 17)) == {key}

    def test_a_saturday_contact_counts_from_monday(self, contract):
        saturday_visit = ConcernByPhoneFactory(
            contract=contract, channel=ContactChannel.IN_PERSON, occurred_at=at(2026, 6, 6, 10)
        )
        assert sweep_keys(datetime.date(2026, 6, 9)) == set()
        assert sweep_keys(datetime.date(2026, 6, 10)) == {
            f"contact-follow-up-overdue:{saturday_visit.pk}:2026-06-09"
        }

    def test_easter_bank_holidays_are_not_counted(self):
        call = ConcernByPhoneFactory(occurred_at=at(2026, 4, 2, 17))
        # Good Friday and Easter Monday are holidays: Tuesday 7 and Wednesday 8 April.
        assert call.follow_up_due_on == datetime.date(2026, 4, 8)
        for day in (3, 6, 7, 8):
            assert sweep_keys(datetime.date(2026, 4, day)) == set(), day
        assert sweep_keys(datetime.date(2026, 4, 9)) == {
            f"contact-follow-up-overdue:{call.pk}:2026-04-08"
        }

    def test_the_author_is_told_and_concerns_followed_up_are_not(self, contract, make_user):
        author = make_user(role=Role.CONTRACT_MANAGER)
        overdue = ConcernByPhoneFactory(
            contract=contract, recorded_by=author, occurred_at=at(2026, 6, 1)
        )
        ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 1), is_concern=False)
        ConcernByPhoneFactory(
            contract=contract,
            occurred_at=at(2026, 6, 1),
            follow_up_sent_on=datetime.date(2026, 6, 2),
        )
        ConcernByPhoneFactory(
            contract=contract, occurred_at=at(2026, 6, 1), channel=ContactChannel.EMAIL
        )
        ConcernByPhoneFactory(
            contract=contract,
            occurred_at=at(2026, 6, 1),
            channel=ContactChannel.MEETING,
            meeting=HeldMeetingFactory(contract=contract),
        )
        unrecorded_meeting = ConcernByPhoneFactory(
            contract=contract, occurred_at=at(2026, 6, 1), channel=ContactChannel.MEETING
        )
        specs = list(contactlog_alerts.contact_follow_ups_overdue(TODAY))
        assert [spec.key for spec in specs] == [
            f"contact-follow-up-overdue:{overdue.pk}:2026-06-03",
            f"contact-follow-up-overdue:{unrecorded_meeting.pk}:2026-06-03",
        ]
        spec = specs[0]
        assert spec.users == (author,)
        assert spec.url == overdue.get_absolute_url()
        assert "3 June 2026" in spec.body

    def test_if_the_author_has_left_the_lead_officer_is_told(self, contract, officer, make_user):
        leaver = make_user(role=Role.CONTRACT_MANAGER, is_active=False)
        ConcernByPhoneFactory(contract=contract, recorded_by=leaver, occurred_at=at(2026, 6, 1))
        [spec] = contactlog_alerts.contact_follow_ups_overdue(TODAY)
        assert spec.users == (officer,)

    def test_a_rerun_of_the_sweep_sends_nothing_twice(self, contract, officer, monkeypatch):
        ConcernByPhoneFactory(contract=contract, recorded_by=officer, occurred_at=at(2026, 6, 1))
        monkeypatch.setattr(
            engine, "collect", lambda: ([], [contactlog_alerts.contact_follow_ups_overdue])
        )
        assert engine.daily_sweep(today=TODAY).raised == 1
        assert engine.daily_sweep(today=TODAY).raised == 0
        assert Alert.objects.get().key.startswith("contact-follow-up-overdue:")

    def test_one_query_whatever_the_number_of_entries(self, contract):
        ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 1))

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                list(contactlog_alerts.contact_follow_ups_overdue(TODAY))
            return len(captured)

        before = queries()
        ConcernByPhoneFactory.create_batch(10, occurred_at=at(2026, 6, 2))
        assert queries() == before


# -- Pages --------------------------------------------------------------------------------

CONTACT_CSV_HEADER = (
    "Contact",
    "Subject",
    "Date and time",
    "Contract",
    "Provider",
    "How",
    "Which way",
    "Concern",
    "Written follow-up",
    "Commissioner's people",
    "Provider's people",
    "Summary",
    "Logged by",
)


def entry_form(day=datetime.date(2026, 6, 12), **overrides) -> dict:
    return {
        **date_data("occurred_at", day),
        "time": "3:30pm",
        "channel": ContactChannel.PHONE,
        "direction": ContactDirection.TO_PROVIDER,
        "subject": "Missed safeguarding referral",
        "summary": "Raised a referral that was not passed on within a day.",
        "is_concern": "on",
        **overrides,
    }


class TestContactLogViews(ContractRecordViews, ModelViewTests):
    model = ContactLogEntry
    list_url_name = "governance:contactlogentry_list"
    detail_url_name = "governance:contactlogentry_detail"
    tab_url_names = ("governance:contactlogentry_history", "governance:contactlogentry_documents")
    update_url_name = "governance:contactlogentry_update"
    contract_create_url_name = "governance:contactlogentry_create"
    csv_header = CONTACT_CSV_HEADER

    def make(self, **kwargs):
        kwargs.setdefault("contract", self.writers_contract())
        return ContactLogEntryFactory(recorded_by=self.writer, **kwargs)

    def make_many(self, count):
        for number in range(count):
            contract = self.writers_contract()
            entry = ConcernByPhoneFactory(contract=contract, recorded_by=self.writer)
            entry.commissioner_participants.set([self.writer])
            entry.provider_participants.set([contract.provider_contract_manager])
            if number % 2:
                email = self.make(contract=contract, occurred_at=NOW)
                entry.follow_up_entry = email
                entry.save()

    def out_of_scope(self, make_user):
        # Even their own contract's entries, and even holding the permission.
        user = provider_user_holding(make_user, "view_contactlogentry")
        return user, self.make(contract=ContractFactory(provider=user.organisation))

    def create_data(self):
        return entry_form()

    def update_data(self, obj):
        local = obj.occurred_at.astimezone(NOW.tzinfo)
        return entry_form(
            day=local.date(),
            time=f"{local:%H:%M}",
            channel=obj.channel,
            direction=obj.direction,
            subject=f"{obj.subject} (corrected)",
            is_concern="",
        )


@pytest.mark.django_db
class TestContactLogPages:
    def test_logging_a_call_at_the_time_typed_in_london(self, contract, officer, login):
        client = login(officer)
        url = reverse("governance:contactlogentry_create", args=[contract.pk])
        assert url == f"/contracts/{contract.pk}/contact-log/add/"
        response = client.post(
            url,
            entry_form(
                commissioner_participants=[officer.pk],
                provider_participants=[contract.provider_contract_manager_id],
            ),
        )
        assert response.status_code == 302, form_errors(response)
        entry = ContactLogEntry.objects.get()
        assert entry.occurred_at == at(2026, 6, 12, 15, 30)
        assert entry.recorded_by == officer
        assert response["Location"] == entry.get_absolute_url()
        page = client.get(entry.get_absolute_url()).content.decode()
        assert "12 June 2026 at 3:30pm" in page
        assert "Due by 16 June 2026" in page

    def test_a_contact_in_the_future_is_refused_on_its_field(self, contract, officer, login):
        response = login(officer).post(
            reverse("governance:contactlogentry_create", args=[contract.pk]),
            entry_form(day=TODAY, time="11:05"),
        )
        assert response.status_code == 400
        assert "Error: The date and time cannot be in the future." in form_errors(response)
        assert not ContactLogEntry.objects.exists()

    def test_the_contract_tab_warns_of_overdue_follow_ups(self, contract, officer, login):
        late = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 10, 9))
        on_time = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 12, 9))
        done = ConcernByPhoneFactory(
            contract=contract,
            occurred_at=at(2026, 6, 1),
            follow_up_sent_on=datetime.date(2026, 6, 1),
        )
        url = reverse("governance:contract_contact_log", args=[contract.pk])
        assert url == f"/contracts/{contract.pk}/contact-log/"
        page = login(officer).get(url).content.decode()
        assert 'data-testid="follow-up-overdue"' in page
        assert "1 concern has had no written follow-up" in page
        warning = page.split('data-testid="follow-up-overdue"')[1].split("</div>")[0]
        assert late.reference in warning
        assert on_time.reference not in warning
        assert "Overdue: was due by 12 June 2026" in page
        assert "Due by 16 June 2026" in page
        assert "Sent on 1 June 2026" in page
        assert done.get_absolute_url() in page
        assert reverse("governance:contactlogentry_create", args=[contract.pk]) in page

    def test_no_warning_when_every_concern_is_followed_up(self, contract, officer, login):
        ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 12, 9))
        url = reverse("governance:contract_contact_log", args=[contract.pk])
        assert 'data-testid="follow-up-overdue"' not in login(officer).get(url).content.decode()

    def test_recording_the_follow_up_on_the_page(self, contract, officer, login):
        entry = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 10, 9))
        client = login(officer)
        url = reverse("governance:contactlogentry_follow_up", args=[entry.pk])
        assert url in client.get(entry.get_absolute_url()).content.decode()
        response = client.post(url, date_data("follow_up_sent_on", datetime.date(2026, 6, 9)))
        assert response.status_code == 400
        assert (
            "Error: The follow-up cannot be dated before the contact, on 10 June 2026."
            in form_errors(response)
        )
        assert snapshot(entry)[2] is None
        response = client.post(url, date_data("follow_up_sent_on", datetime.date(2026, 6, 11)))
        assert response.status_code == 302, form_errors(response)
        assert snapshot(entry)[2] == datetime.date(2026, 6, 11)

    def test_linking_the_follow_up_email_on_the_page(self, contract, officer, login):
        entry = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 10, 9))
        email = ContactLogEntryFactory(contract=contract, occurred_at=at(2026, 6, 10, 17))
        client = login(officer)
        url = reverse("governance:contactlogentry_follow_up", args=[entry.pk])
        assert email.reference in client.get(url).content.decode()
        response = client.post(url, {"follow_up_entry": email.pk})
        assert response.status_code == 302, form_errors(response)
        assert snapshot(entry)[3] == email.pk
        page = client.get(email.get_absolute_url()).content.decode()
        assert entry.get_absolute_url() in page  # the e-mail shows what it follows up

    def test_a_contact_needing_no_follow_up_has_no_follow_up_page(self, contract, officer, login):
        email = ContactLogEntryFactory(contract=contract)
        client = login(officer)
        url = reverse("governance:contactlogentry_follow_up", args=[email.pk])
        assert url not in client.get(email.get_absolute_url()).content.decode()
        assert client.get(url).status_code == 302

    def test_the_log_filters(self, contract, officer, login):
        late = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 1, 9))
        waiting = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 12, 9))
        letter = ContactLogEntryFactory(
            contract=contract,
            channel=ContactChannel.LETTER,
            direction=ContactDirection.FROM_PROVIDER,
            occurred_at=at(2026, 5, 5),
            subject="Annual accounts received",
        )
        other = ContactLogEntryFactory(occurred_at=at(2026, 6, 3))
        client = login(officer)
        url = reverse("governance:contactlogentry_list")
        assert url == "/contact-log/"
        everyone = (late, waiting, letter, other)

        def shown(query: str) -> set[int]:
            page = client.get(f"{url}?{query}").content.decode()
            return {e.pk for e in everyone if e.get_absolute_url() in page}

        assert shown("follow_up=missing") == {late.pk, waiting.pk}
        assert shown("follow_up=overdue") == {late.pk}
        assert shown("concern=yes") == {late.pk, waiting.pk}
        assert shown("concern=no") == {letter.pk, other.pk}
        assert shown("channel=letter&channel=email") == {letter.pk, other.pk}
        assert shown("direction=from_provider") == {letter.pk}
        assert shown(f"contract={contract.reference}") == {late.pk, waiting.pk, letter.pk}
        assert shown("after=2026-06-01&before=2026-06-05") == {late.pk, other.pk}
        assert shown("q=annual+accounts") == {letter.pk}

    def test_provider_users_see_nothing(self, contract, make_user, login):
        entry = ContactLogEntryFactory(contract=contract)
        client = login(make_user(role=Role.PROVIDER, organisation=contract.provider))
        for url in (
            reverse("governance:contactlogentry_list"),
            reverse("governance:contract_contact_log", args=[contract.pk]),
            entry.get_absolute_url(),
            reverse("governance:contactlogentry_history", args=[entry.pk]),
            reverse("governance:contactlogentry_create", args=[contract.pk]),
        ):
            assert client.get(url).status_code == 403, url

    def test_other_contract_managers_read_but_reach_no_form(self, contract, make_user, login):
        entry = ConcernByPhoneFactory(contract=contract)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        assert client.get(entry.get_absolute_url()).status_code == 200
        for url in (
            reverse("governance:contactlogentry_create", args=[contract.pk]),
            reverse("governance:contactlogentry_update", args=[entry.pk]),
            reverse("governance:contactlogentry_follow_up", args=[entry.pk]),
        ):
            assert client.get(url).status_code == 404, url

    def test_the_contract_tab_costs_the_same_with_more_entries(self, contract, officer, login):
        url = reverse("governance:contract_contact_log", args=[contract.pk])
        client = login(officer)
        ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 1))
        before = count_queries(client, url)
        for day in range(2, 12):
            call = ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, day))
            if day % 2:
                call.follow_up_entry = ContactLogEntryFactory(
                    contract=contract, occurred_at=at(2026, 6, day, 17)
                )
                call.save()
        assert count_queries(client, url) == before

    def test_the_entry_page_costs_the_same_with_more_people(self, contract, officer, login):
        email = ContactLogEntryFactory(contract=contract, occurred_at=at(2026, 6, 12))
        client = login(officer)
        email.commissioner_participants.set([officer])
        email.provider_participants.set([contract.provider_contract_manager])
        ConcernByPhoneFactory(contract=contract, occurred_at=at(2026, 6, 1), follow_up_entry=email)
        before = count_queries(client, email.get_absolute_url())
        more = ContactFactory.create_batch(4, organisation=contract.provider)
        email.provider_participants.add(*more)
        ConcernByPhoneFactory.create_batch(
            3, contract=contract, occurred_at=at(2026, 6, 2), follow_up_entry=email
        )
        assert count_queries(client, email.get_absolute_url()) == before


@pytest.mark.django_db
def test_the_contact_log_as_pdf_for_auditors(contract, make_user, login):
    from tests.governance.reports.test_pdf import pdf_pages

    ConcernByPhoneFactory(contract=contract, subject="Missed referral", occurred_at=at(2026, 6, 1))
    ContactLogEntryFactory(contract=contract, subject="Figures received")
    auditor = make_user(role=Role.AUDITOR, first_name="Alex", last_name="Turner")
    url = reverse("governance:contactlogentry_list") + "?follow_up=overdue&export=pdf"
    response = login(auditor).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(pdf_pages(response)).split())  # table cells wrap
    assert "Missed referral" in text and "Figures received" not in text
    assert "generated by Alex Turner" in text


def test_the_meeting_drop_down_lists_each_meeting_once(contract, officer):
    held = HeldMeetingFactory(contract=contract)
    MeetingFactory(contract=contract)
    cancelled = MeetingFactory(contract=contract, status="cancelled")
    HeldMeetingFactory()  # another contract's
    entry = ContactLogEntryFactory(contract=contract, channel=ContactChannel.MEETING, meeting=held)
    for form in (
        ContactLogEntryForm(contract=contract),
        ContactLogEntryForm(contract=contract, instance=entry),
    ):
        offered = [value for value, _ in form.fields["meeting"].choices if value]
        assert len(offered) == len(set(offered)) == 2
        assert cancelled.pk not in {int(str(value)) for value in offered}
