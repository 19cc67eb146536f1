"""Who puts a quarterly return forward and who accepts it.

The provider's staff submit their returns, or the contract's officers enter one for
them and record how it reached them. Nobody accepts a return they submitted or entered,
a return is accepted only once its quarter has ended (unless the reason for accepting
early is recorded), and reports call commentary the provider's only when the provider's
staff wrote it."""

import csv
import datetime
import html
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from contracts.performance.choices import (
    KpiDirection,
    KpiFrequency,
    KpiUnit,
    ReturnSource,
    ReturnStatus,
)
from contracts.performance.services.returns import (
    performance_return_rows,
    performance_return_update,
    return_moves,
)
from governance.core.roles import Role
from governance.reports.contract import pack_quarters
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.performance.return_factories import (
    move,
    period_with_returns,
    refusal,
    update_finance,
)
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db

D = Decimal
#: Q3 2026-27 runs from 1 October to 31 December 2026.
DURING_Q3 = datetime.date(2026, 12, 4)
AFTER_Q3 = datetime.date(2027, 1, 6)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Morgan", last_name="Lee")


@pytest.fixture
def deputy(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Dana", last_name="Price")


@pytest.fixture
def contract(officer, deputy):
    return ContractFactory(lead_officer=officer, deputy_officer=deputy)


@pytest.fixture
def provider_user(make_user, contract):
    return make_user(
        role=Role.PROVIDER, organisation=contract.provider, first_name="Priya", last_name="Shah"
    )


@pytest.fixture
def period(contract):
    ContractKpiFactory(
        contract=contract,
        name="Victims contacted within two days",
        unit=KpiUnit.PERCENTAGE,
        direction=KpiDirection.HIGHER,
        target=D("90"),
        amber_tolerance=D("5"),
        frequency=KpiFrequency.QUARTERLY,
    )
    return period_with_returns(contract=contract, financial_year=2026, quarter=3)


def fill(period, actor, commentary="Referrals rose in November.", actual="93"):
    performance = period.performance_return
    kpi_id = performance_return_rows(performance)[0].kpi.pk
    performance_return_update(
        performance_return=performance,
        actor=actor,
        reason="Quarter's figures",
        results={kpi_id: (actual, "Two new caseworkers started.")},
        commentary=commentary,
    )
    performance.refresh_from_db()
    return performance


def by_email(**changes):
    """How an officer says the provider's return reached them: by email, with ``changes``."""
    return {
        "source": ReturnSource.EMAIL,
        "source_received_on": datetime.date(2027, 1, 4),
        "source_note": "From the provider's service director.",
        **changes,
    }


def performance_return_moves(performance, user) -> dict:
    return return_moves(return_=performance, user=user)


def submit(return_, actor, **source):
    move(return_, ReturnStatus.SUBMITTED, actor, **source)


def history_count(return_) -> int:
    return return_.history.count()


def who_moved(return_) -> tuple:
    """The return's status as saved, who submitted it and who decided on it."""
    return_.refresh_from_db()
    return (return_.status, return_.submitted_by, return_.decided_by)


ENTERED_BY_YOU = "You entered this return for the provider, so someone else must accept it."


class TestProviderSubmits:
    def test_the_provider_submits_and_an_officer_accepts(self, period, provider_user, officer):
        performance = fill(period, provider_user)
        with at(AFTER_Q3):
            submit(performance, provider_user)
            move(performance, ReturnStatus.ACCEPTED, officer)
        assert who_moved(performance) == (ReturnStatus.ACCEPTED, provider_user, officer)
        assert (performance.source, performance.early_acceptance_reason) == ("", "")
        assert not performance.entered_for_provider

    def test_the_provider_records_no_source_even_when_one_is_given(self, period, provider_user):
        performance = fill(period, provider_user)
        with at(AFTER_Q3):
            submit(performance, provider_user, **by_email())
        performance.refresh_from_db()
        assert (performance.source, performance.source_received_on) == ("", None)


class TestEnteredForTheProvider:
    def test_without_a_source_it_is_refused_by_field(self, period, officer):
        performance = fill(period, officer)
        before = history_count(performance)
        with at(AFTER_Q3):
            error = refusal(performance, ReturnStatus.SUBMITTED, officer)
        assert error.message_dict == {
            "source": [
                "You are entering this return for the provider: say how it reached you "
                "(email, letter, portal or file upload, a meeting or another way)."
            ],
            "source_received_on": ["Enter the date the provider's return reached you."],
        }
        performance.refresh_from_db()
        assert (performance.status, performance.submitted_by) == (ReturnStatus.DRAFT, None)
        assert history_count(performance) == before

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"source_received_on": datetime.date(2027, 1, 7)},
                "source_received_on",
                "The date received cannot be in the future.",
            ),
            (
                {"source_received_on": datetime.date(2026, 9, 30)},
                "source_received_on",
                "The date received cannot be before the quarter started, 1 October 2026.",
            ),
            (
                {"source": ReturnSource.OTHER, "source_note": "  "},
                "source_note",
                "Say how the provider's return reached you.",
            ),
            ({"source": "fax"}, "source", None),
        ],
    )
    def test_the_source_must_make_sense(self, period, officer, changes, field, message):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            error = refusal(performance, ReturnStatus.SUBMITTED, officer, **by_email(**changes))
        assert list(error.message_dict) == [field]
        if message:
            assert error.message_dict[field] == [message]
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.DRAFT

    def test_with_a_source_it_is_submitted_and_the_source_kept(self, period, officer):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.SUBMITTED
        assert performance.entered_for_provider
        assert performance.source_phrase == "an email received on 4 January 2027"
        assert performance.source_note == "From the provider's service director."
        record = performance.history.order_by("-history_id").first()
        assert record.history_user == officer
        assert (
            record.history_change_reason
            == "Entered for the provider from an email received on 4 January 2027"
        )

    def test_whoever_entered_it_cannot_accept_it(self, period, officer, deputy):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
            before = history_count(performance)
            error = refusal(performance, ReturnStatus.ACCEPTED, officer)
            assert error.messages == [ENTERED_BY_YOU]
            performance.refresh_from_db()
            assert (performance.status, performance.decided_by) == (ReturnStatus.SUBMITTED, None)
            assert history_count(performance) == before

            move(performance, ReturnStatus.ACCEPTED, deputy)
        performance.refresh_from_db()
        assert (performance.status, performance.decided_by) == (ReturnStatus.ACCEPTED, deputy)

    def test_whoever_submitted_it_may_still_return_it_for_correction(self, period, officer):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
            move(performance, ReturnStatus.RETURNED, officer, reason="Typed the wrong figure")
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.RETURNED

    def test_the_financial_return_follows_the_same_rules(self, period, officer, deputy):
        finance = period.financial_return
        update_finance(
            finance, officer, reason="From the provider's email", actual_spend=D("101000")
        )
        with at(AFTER_Q3):
            error = refusal(finance, ReturnStatus.SUBMITTED, officer)
            assert set(error.message_dict) == {"source", "source_received_on"}
            submit(
                finance,
                officer,
                source=ReturnSource.LETTER,
                source_received_on=datetime.date(2027, 1, 5),
            )
            error = refusal(finance, ReturnStatus.ACCEPTED, officer)
            assert error.messages == [ENTERED_BY_YOU]
            move(finance, ReturnStatus.ACCEPTED, deputy)
        assert who_moved(finance) == (ReturnStatus.ACCEPTED, officer, deputy)
        assert finance.source_phrase == "a letter received on 5 January 2027"


class TestAcceptingBeforeTheQuarterEnds:
    def test_the_4_december_shortcut_is_refused_at_every_step(self, period, officer, deputy):
        """An officer fills in Q3 on 4 December, submits it and tries to accept it."""
        with at(DURING_Q3):
            performance = fill(period, officer)
            error = refusal(performance, ReturnStatus.SUBMITTED, officer)
            assert "source" in error.message_dict
            submit(performance, officer, **by_email(source_received_on=DURING_Q3))
            error = refusal(performance, ReturnStatus.ACCEPTED, officer)
            assert error.messages == [ENTERED_BY_YOU]
            error = refusal(performance, ReturnStatus.ACCEPTED, deputy)
            assert error.message_dict == {
                "early_acceptance_reason": [
                    "The quarter runs until 31 December 2026: give the reason for accepting "
                    "the return before it has ended."
                ]
            }
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.SUBMITTED

    def test_on_the_last_day_it_is_still_early(self, period, provider_user, officer):
        performance = fill(period, provider_user)
        with at(datetime.date(2026, 12, 31)):
            submit(performance, provider_user)
            error = refusal(performance, ReturnStatus.ACCEPTED, officer)
        assert list(error.message_dict) == ["early_acceptance_reason"]
        with at(datetime.date(2027, 1, 1)):
            move(performance, ReturnStatus.ACCEPTED, officer)
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.ACCEPTED
        assert performance.early_acceptance_reason == ""

    def test_with_a_reason_it_may_be_accepted_early(self, period, provider_user, officer):
        performance = fill(period, provider_user)
        with at(DURING_Q3):
            submit(performance, provider_user)
            move(
                performance,
                ReturnStatus.ACCEPTED,
                officer,
                early_acceptance_reason="The service closes on 15 December; nothing more "
                "will be delivered this quarter.",
            )
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.ACCEPTED
        assert performance.early_acceptance_reason.startswith("The service closes")
        record = performance.history.order_by("-history_id").first()
        assert record.history_change_reason.startswith(
            "Accepted before the quarter ended: The service closes"
        )


class TestCommentaryAuthor:
    def test_the_provider_s_words_are_labelled_the_provider_s(self, period, provider_user):
        performance = fill(period, provider_user)
        assert performance.commentary_by == provider_user
        assert performance.commentary_heading() == "Provider's commentary"
        result = performance.results.get()
        assert result.commentary_attribution == ""

    def test_an_officer_s_words_name_the_officer_and_the_source(self, period, officer):
        performance = fill(period, officer)
        assert performance.commentary_heading() == "Commentary entered by Morgan Lee (commissioner)"
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
        performance.refresh_from_db()
        assert performance.commentary_heading() == (
            "Commentary entered by Morgan Lee (commissioner) from an email received on "
            "4 January 2027"
        )
        result = performance.results.get()
        assert result.commentary_attribution == (
            "Entered by Morgan Lee (commissioner) from an email received on 4 January 2027"
        )

    def test_the_label_follows_whoever_last_wrote_the_words(self, period, provider_user, officer):
        fill(period, provider_user)
        performance = fill(period, officer, commentary="Rewritten by the officer.")
        assert not performance.commentary_by_provider
        assert performance.commentary_by == officer
        performance = fill(period, provider_user, commentary="The provider's own words again.")
        assert performance.commentary_heading() == "Provider's commentary"

    def test_the_financial_commentary_names_its_author(self, period, officer):
        finance = period.financial_return
        update_finance(
            finance,
            officer,
            reason="From the provider's letter",
            actual_spend=D("120000"),
            commentary="Agency cover for vacancies.",
        )
        finance.refresh_from_db()
        assert finance.variance_commentary_heading == (
            "Commentary on the variance entered by Morgan Lee (commissioner)"
        )

    def test_the_auditor_pack_marks_commentary_the_commissioner_wrote(
        self, period, officer, django_assert_num_queries
    ):
        performance = fill(period, officer, actual="70")
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
        period = type(period).objects.select_related("performance_return").get(pk=period.pk)
        (exception,) = pack_quarters(period.contract, [period])["exceptions"]
        # The result's return and author are loaded with it: no query per row.
        with django_assert_num_queries(0):
            attribution = exception["result"].commentary_attribution
        assert attribution == (
            "Entered by Morgan Lee (commissioner) from an email received on 4 January 2027"
        )


def pdf_text(response) -> str:
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    return " ".join(" ".join(pages).split())


class TestTheQuarterlyReport:
    def report(self, client, period):
        return pdf_text(client.get(reverse("governance:period_report", args=[period.pk])))

    def test_the_provider_s_commentary_is_called_the_provider_s(
        self, period, provider_user, officer, login
    ):
        fill(period, provider_user)
        with at(AFTER_Q3):
            submit(period.performance_return, provider_user)
            text = self.report(login(officer), period)
        assert "Provider's commentary Referrals rose in November." in text
        assert "entered by" not in text.lower()

    def test_an_officer_s_commentary_is_not_called_the_provider_s(self, period, officer, login):
        fill(period, officer)
        with at(AFTER_Q3):
            submit(period.performance_return, officer, **by_email())
            text = self.report(login(officer), period)
        assert "Provider's commentary" not in text
        assert (
            "Commentary entered by Morgan Lee (commissioner) from an email received on "
            "4 January 2027 Referrals rose in November." in text
        )
        assert "Entered by Morgan Lee (commissioner)" in text  # under the KPI's commentary
        assert "entered for the provider by Morgan Lee (commissioner)" in text


class TestReturnPages:
    def detail(self, client, performance):
        return client.get(reverse("contracts:performancereturn_detail", args=[performance.pk]))

    def accept_url(self, performance):
        return reverse("contracts:performancereturn_transition", args=[performance.pk, "accept"])

    def submit_url(self, performance):
        return reverse("contracts:performancereturn_transition", args=[performance.pk, "submit"])

    def test_an_officer_submitting_is_asked_for_the_source(self, period, officer, login):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            client = login(officer)
            response = client.get(self.submit_url(performance))
            assert response.status_code == 200, response
            form = response.content.decode()
            assert "How did the provider&#x27;s return reach you?" in form
            response = client.post(self.submit_url(performance), {"reason": ""})
        assert response.status_code == 400
        page = response.content.decode()
        # The message sits by its field, and in the summary at the top.
        assert 'id="id_source-error"' in page
        assert "say how it reached you" in page
        assert 'id="id_source_received_on-error"' in page
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.DRAFT

    def test_the_provider_is_not_asked_for_a_source(self, period, provider_user, login):
        performance = fill(period, provider_user)
        with at(AFTER_Q3):
            form = login(provider_user).get(self.submit_url(performance)).content.decode()
        assert "How did the provider" not in form

    def test_the_officer_who_entered_it_sees_no_accept_button(
        self, period, officer, deputy, login, client
    ):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            response = login(officer).post(
                self.submit_url(performance),
                {
                    "source": "email",
                    "source_received_on_day": "4",
                    "source_received_on_month": "1",
                    "source_received_on_year": "2027",
                    "source_note": "",
                    "reason": "",
                },
            )
            assert response.status_code == 302
            page = self.detail(client, performance).content.decode()
            assert self.accept_url(performance) not in page
            assert (
                "You entered this return for the provider, so someone else must accept it. "
                "The contract&#x27;s deputy officer can accept it."
            ) in page
            assert "Morgan Lee (commissioner), entered for the provider from an email" in page
            assert "Overall commentary entered by Morgan Lee (commissioner)" in page

            # Reached by its address, the page says why, and the POST is refused.
            form = client.get(self.accept_url(performance)).content.decode()
            assert 'data-testid="refusal"' in form
            response = client.post(self.accept_url(performance), {"reason": ""})
            assert response.status_code == 400
            assert "so someone else must accept it" in response.content.decode()
            performance.refresh_from_db()
            assert performance.status == ReturnStatus.SUBMITTED

            client.force_login(deputy)
            page = self.detail(client, performance).content.decode()
            assert self.accept_url(performance) in page
            assert 'data-testid="accept-note"' not in page
            response = client.post(self.accept_url(performance), {"reason": ""})
            assert response.status_code == 302
        performance.refresh_from_db()
        assert (performance.status, performance.decided_by) == (ReturnStatus.ACCEPTED, deputy)

    def test_the_officer_who_entered_it_sees_accept_disabled_with_the_refusal(
        self, period, officer, deputy, login, client
    ):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            submit(
                performance, officer, source="email", source_received_on=datetime.date(2027, 1, 4)
            )
            performance.refresh_from_db()
            why = refusal(performance, ReturnStatus.ACCEPTED, officer).messages
            assert why == [ENTERED_BY_YOU]
            page = html.unescape(self.detail(login(officer), performance).content.decode())
            assert f"Accept is not available yet: {why[0]}</p>" in page
            assert 'class="govuk-button govuk-button--secondary govuk-button--disabled' in page
            assert self.accept_url(performance) not in page
            # Return for correction is still offered to them, and taken.
            assert performance_return_moves(performance, officer) == {
                ReturnStatus.ACCEPTED: why,
                ReturnStatus.RETURNED: [],
            }
            assert performance_return_moves(performance, deputy) == {
                ReturnStatus.ACCEPTED: [],
                ReturnStatus.RETURNED: [],
            }
            response = login(deputy).post(self.accept_url(performance), {"reason": ""})
            assert response.status_code == 302

    def test_accepting_early_asks_for_the_reason_by_its_field(
        self, period, provider_user, officer, login
    ):
        performance = fill(period, provider_user)
        with at(DURING_Q3):
            submit(performance, provider_user)
            client = login(officer)
            assert "Why accept it before the quarter has ended?" in (
                client.get(self.accept_url(performance)).content.decode()
            )
            response = client.post(self.accept_url(performance), {"reason": ""})
            assert response.status_code == 400
            assert 'id="id_early_acceptance_reason-error"' in response.content.decode()
            response = client.post(
                self.accept_url(performance),
                {"reason": "", "early_acceptance_reason": "The service closes mid-December."},
            )
            assert response.status_code == 302
            page = self.detail(client, performance).content.decode()
        assert "Accepted before the quarter ended because" in page
        assert "The service closes mid-December." in page

    def test_after_the_quarter_no_early_reason_is_asked(
        self, period, provider_user, officer, login
    ):
        performance = fill(period, provider_user)
        with at(AFTER_Q3):
            submit(performance, provider_user)
            form = login(officer).get(self.accept_url(performance)).content.decode()
        assert "Why accept it before the quarter has ended?" not in form
        assert 'data-testid="refusal"' not in form

    def test_the_provider_s_commentary_is_labelled_on_the_page(
        self, period, provider_user, officer, login
    ):
        performance = fill(period, provider_user)
        page = self.detail(login(officer), performance).content.decode()
        assert "Provider&#x27;s overall commentary" in page
        assert 'data-testid="commentary-attribution"' not in page

    def test_the_export_says_where_an_entered_return_came_from(self, period, officer, login):
        performance = fill(period, officer)
        with at(AFTER_Q3):
            submit(performance, officer, **by_email())
            response = login(officer).get(
                reverse("contracts:performancereturn_list") + "?export=csv"
            )
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        header, (row,) = rows[0], rows[1:]
        entry = dict(zip(header, row, strict=True))
        assert entry["Entered for the provider from"] == "Email"
        assert entry["About the source"] == "From the provider's service director."
        assert entry["Received on"] != ""
