import pytest
from django.core.management import call_command

from contracts.models import Contact, Organisation
from governance.models import User
from governance.roles import Role


@pytest.mark.django_db
def test_seed_demo_creates_a_user_per_role_and_is_idempotent(capsys, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Contact.objects.count())
    out = capsys.readouterr().out
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count(), Contact.objects.count()) == counts
    expected = {"manager", "deputy", "pdm", "smg", "auditor", "provider", "admin"}
    assert expected <= set(User.objects.values_list("username", flat=True))
    for username in expected:
        assert username in out
    assert "demo-governance-2026" in out
    assert User.objects.get(username="smg").has_role(Role.SMG)
    provider = User.objects.get(username="provider")
    assert provider.is_provider_user and provider.organisation is not None
    assert User.objects.get(username="manager").check_password("demo-governance-2026")


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "another-long-passphrase")
    call_command("seed_demo")
    assert User.objects.get(username="auditor").check_password("another-long-passphrase")
    assert "another-long-passphrase" not in capsys.readouterr().out


@pytest.mark.django_db
def test_scale_adds_volume_once():
    call_command("seed_demo", scale=30)
    providers = Organisation.objects.filter(name__startswith="Benchmark Provider ").count()
    assert providers == 10
    assert (
        Contact.objects.filter(organisation__name__startswith="Benchmark Provider ").count() == 40
    )
    call_command("seed_demo", scale=30)
    assert Organisation.objects.filter(name__startswith="Benchmark Provider ").count() == providers
    assert Organisation.history.filter(name__startswith="Benchmark Provider ").count() == providers
