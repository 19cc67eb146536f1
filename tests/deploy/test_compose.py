"""The compose file is valid by the Compose Specification and keeps its start order.

compose-spec.json is the specification's own schema (compose-spec/compose-spec,
schema/compose-spec.json), vendored so the check needs no network. Where Docker's
compose plugin is installed, ``docker compose config`` checks the file as well.
"""

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCHEMA = json.loads((Path(__file__).parent / "compose-spec.json").read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_the_compose_file_validates_against_the_compose_specification(compose):
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(compose), key=str)
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors
    )


def test_a_broken_compose_file_is_refused():
    broken = {"services": {"web": {"depends_on": {"migrate": {"condition": "sometimes"}}}}}
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


def test_web_worker_and_beat_wait_for_the_one_shot_migrations(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == "migrate"
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        waits_for = services[name]["depends_on"]["migrate"]
        assert waits_for == {"condition": "service_completed_successfully"}, name
        assert "healthcheck" in services[name], name


def test_web_is_reached_only_through_the_tls_proxy(compose):
    services = compose["services"]
    assert "ports" not in services["web"]
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_the_beat_schedule_is_on_a_volume(compose):
    assert "beat:/app/var/beat" in compose["services"]["beat"]["volumes"]
    assert "beat" in compose["volumes"]
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert "--schedule /app/var/beat/celerybeat-schedule" in entrypoint


def _compose_plugin() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _compose_plugin(), reason="docker compose is not installed here")
def test_docker_compose_config_accepts_the_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("POSTGRES_PASSWORD=example\nSITE_ADDRESS=contracts.example.gov.uk\n")
    result = subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
