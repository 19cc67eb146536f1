import datetime
import email
import email.policy
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from contracts.exit.models import ServiceTransferPlan
from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import FinancialReturn, PerformanceReturn
from contracts.performance.services.returns import (
    OPEN_STATUSES,
    PERIOD_CONTRACT_STATUSES,
    quarters_between,
)
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract, Variation
from contracts.register.models.organisations import Contact, Organisation
from disputes.models.exclusions import Exclusion
from governance.core.alerting import Urgency
from governance.core.models.alerts import Alert, Notification
from governance.core.models.base import User
from governance.core.roles import Role
from governance.demo.quarterly import RISKS
from risks.models import Risk

LONDON = zoneinfo.ZoneInfo("Europe/London")
DEMO_USERS = {"manager", "deputy", "pdm", "smg", "smg2", "auditor", "provider", "admin"}


def row_counts() -> dict[str, int]:
    """Rows in every table: each model, its history model and each many-to-many table."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def sent_messages(folder) -> list[email.message.Message]:
    """Every message the file e-mail backend wrote into ``folder``."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        email.message_from_bytes(part, policy=email.policy.default)
        for path in sorted(folder.iterdir())
        for part in path.read_bytes().split(separator)
        if part.strip()
    ]


def missing_periods(today: datetime.date) -> list[str]:
    """Quarters a reporting contract has run in up to today without a reporting period."""
    missing = []
    live = Contract.objects.filter(status__in=PERIOD_CONTRACT_STATUSES, start_date__lte=today)
    for contract in live.prefetch_related("periods"):
        have = {(period.financial_year, period.quarter) for period in contract.periods.all()}
        last = min(today, contract.current_end_date)
        for quarter in quarters_between(contract.start_date, last):
            if quarter not in have:
                missing.append(f"{contract.reference} {quarter}")
    return missing


def separation_of_duties_breaches() -> list[str]:
    """Records the demo approved, accepted, confirmed or endorsed by the very person who
    put them forward, and returns entered for the provider with no source."""
    same = F("submitted_by")
    found = [
        f"{model.__name__} {pk}"
        for model in (PerformanceReturn, FinancialReturn)
        for pk in model.objects.filter(status=ReturnStatus.ACCEPTED, decided_by=same).values_list(
            "pk", flat=True
        )
    ]
    found += [
        f"{model.__name__} {pk} has no source"
        for model in (PerformanceReturn, FinancialReturn)
        for pk in model.objects.filter(submitted_by__isnull=False, source="")
        .exclude(submitted_by__groups__name=Role.PROVIDER.label)
        .values_list("pk", flat=True)
    ]
    found += [
        f"Variation {pk}"
        for pk in Variation.objects.filter(
            status=VariationStatus.APPROVED, decided_by=F("proposed_by")
        ).values_list("pk", flat=True)
    ]
    found += [
        f"Service transfer plan {pk}"
        for pk in ServiceTransferPlan.objects.filter(approved_by=F("submitted_by")).values_list(
            "pk", flat=True
        )
    ]
    found += [
        f"Exclusion {pk}"
        for pk in Exclusion.objects.filter(confirmed_by=F("recorded_by")).values_list(
            "pk", flat=True
        )
    ]
    assert Exclusion.objects.filter(confirmed_by__isnull=False).exists()
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now",
    [
        pytest.param(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON), id="mid-quarter"),
        pytest.param(datetime.datetime(2027, 4, 1, 10, 0, tzinfo=LONDON), id="quarter-start"),
    ],
)
def test_one_run_makes_the_whole_demo_swept_for_today_and_a_second_changes_nothing(
    now, settings, tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    # As in development: e-mail printed to the terminal unless the seed diverts it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "sent-mail")
    today = now.date()
    with time_machine.travel(now, tick=False):
        call_command("seed_demo")
        out = capsys.readouterr().out
        first = row_counts()
        mail = sorted((tmp_path / "sent-mail").iterdir())

        # The sweep ran for today: alerts raised, people told, e-mails sent to files.
        assert Alert.objects.filter(raised_on=today).count() == Alert.objects.count() > 0
        assert Notification.objects.filter(user__username="manager").exists()
        assert Notification.objects.exclude(email="").filter(emailed_at__isnull=True).count() == 0
        assert mail, "the sweep's e-mails are written to EMAIL_FILE_PATH"
        # Bearable: each person gets one digest at most and one email of missed
        # deadlines at most: two emails at most from the first sweep.
        sent = [
            (" ".join(str(m["Subject"]).split()), m["To"])
            for m in sent_messages(tmp_path / "sent-mail")
        ]
        digests = Counter(to for subject, to in sent if subject.startswith("Your daily summary"))
        assert digests and max(digests.values()) == 1
        urgent = Counter(to for subject, to in sent if subject.startswith("Missed: "))
        assert not urgent or max(urgent.values()) == 1
        assert max(Counter(to for _, to in sent).values()) <= 2, Counter(to for _, to in sent)
        missed = {
            " ".join(subject.split())
            for subject in Alert.objects.filter(urgency=Urgency.MISSED).values_list(
                "subject", flat=True
            )
        }
        for subject, to in sent:
            if not subject.startswith(("Your daily summary", "Missed: ")):
                assert subject in missed or to not in digests, (subject, to)
        assert "Subject:" not in out, "no e-mail is printed to the terminal"
        assert missing_periods(today) == []
        overdue = PerformanceReturn.objects.filter(
            status__in=OPEN_STATUSES, period__performance_due_on__lt=today
        ).select_related("period")
        for return_ in overdue:
            key = f"performance-overdue:{return_.pk}:{return_.period.performance_due_on}"
            assert Alert.objects.filter(key=key).exists(), key

        # Every step made its records in this one run: every past quarter of every
        # live contract is filled in (or returned for correction), every demo risk is there.
        assert not PerformanceReturn.objects.filter(
            status="draft", period__ends_on__lt=today
        ).exists()
        for reference, title, *_ in RISKS:
            assert Risk.objects.filter(contract__reference=reference or None, title=title).exists()

        # Nobody in the demo approved what they put forward themselves.
        assert separation_of_duties_breaches() == []

        assert f"{Notification.objects.count()} notifications" in out
        assert f"{Contract.objects.count()} contracts" in out
        for username in DEMO_USERS:
            assert f"  {username}" in out
        assert "demo-governance-2026" in out

        call_command("seed_demo")
        again = capsys.readouterr().out
        assert row_counts() == first
        assert sorted((tmp_path / "sent-mail").iterdir()) == mail
        assert "0 alerts raised, 0 notifications, 0 emails" in again

    assert set(User.objects.values_list("username", flat=True)) >= DEMO_USERS
    assert User.objects.get(username="smg").has_role(Role.SMG)
    provider = User.objects.get(username="provider")
    assert provider.is_provider_user and provider.organisation is not None
    assert User.objects.get(username="manager").check_password("demo-governance-2026")


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-passphrase")
    call_command("seed_demo", address="http://127.0.0.1:8765/")
    assert User.objects.get(username="auditor").check_password("another-long-passphrase")
    printed = capsys.readouterr().out
    assert "another-long-passphrase" not in printed
    # The sign-in line names the address ``make run`` serves on (HOST and PORT).
    assert "Sign in at http://127.0.0.1:8765/ as:" in printed
    history = User.history.filter(username="auditor").count()
    # A changed password is reset on the next run, and written down once.
    monkeypatch.setenv("DEMO_PASSWORD", "a-third-long-passphrase")
    call_command("seed_demo")
    assert User.objects.get(username="auditor").check_password("a-third-long-passphrase")
    assert User.history.filter(username="auditor").count() == history + 1


@pytest.mark.django_db
def test_scale_adds_volume_once_and_leaves_the_sweep_to_the_benchmark():
    call_command("seed_demo", scale=30)
    providers = Organisation.objects.filter(name__startswith="Benchmark Provider ").count()
    assert providers == 10
    assert (
        Contact.objects.filter(organisation__name__startswith="Benchmark Provider ").count() == 40
    )
    # The benchmark times the first sweep over its volume: seeding does not run it.
    assert not Alert.objects.exists()
    call_command("seed_demo", scale=30)
    assert Organisation.objects.filter(name__startswith="Benchmark Provider ").count() == providers
    assert Organisation.history.filter(name__startswith="Benchmark Provider ").count() == providers
