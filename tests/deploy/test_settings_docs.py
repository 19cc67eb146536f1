"""Every setting is documented once, in .env.production.example, and the README's
"Settings" table is made from it (``scripts/settings_table.py``); the prerequisites the
README lists are the ones the setup script checks."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import settings_table  # noqa: E402

#: Read by the compose stack or the demo seeding rather than by governance/settings.py.
READ_ELSEWHERE = {"DEMO_PASSWORD", "POSTGRES_PASSWORD", "SITE_ADDRESS", "TLS_DIRECTIVE"}


def documented() -> dict[str, tuple[str, str]]:
    return {
        name: (value, meaning)
        for name, value, meaning in settings_table.settings(settings_table.EXAMPLE.read_text())
    }


def read_by_settings() -> set[str]:
    source = (ROOT / "governance" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))


def test_every_setting_the_service_reads_is_documented_with_its_meaning():
    docs = documented()
    assert read_by_settings() - set(docs) == set()
    assert set(docs) - read_by_settings() == READ_ELSEWHERE
    # The first setting of each group says what the group means.
    assert docs["PROCUREMENT_KPI_DUTY_THRESHOLD"][1].startswith("A contract under the Act")


def test_the_readme_table_is_the_one_made_from_the_example_file():
    readme = (ROOT / "README.md").read_text().splitlines()
    start = readme.index(settings_table.HEADER[0])
    end = start
    while end < len(readme) and readme[end].startswith("|"):
        end += 1
    made = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "settings_table.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert readme[start:end] == made


def test_the_readme_names_every_library_the_setup_script_checks():
    script = (ROOT / "scripts" / "check-prereqs.sh").read_text()
    packages = set(re.findall(r"\.so\.\d+:([a-z0-9.+-]+)", script))
    assert {"libglib2.0-0", "libpango-1.0-0", "libharfbuzz-subset0"} <= packages
    readme = (ROOT / "README.md").read_text()
    line = next(row for row in readme.splitlines() if row.startswith("| WeasyPrint's libraries"))
    assert packages <= set(line.replace("`", " ").split())
