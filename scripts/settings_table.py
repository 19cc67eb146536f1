"""Print the README's "Settings" table from .env.production.example.

Every setting is documented once, in .env.production.example: the comment lines above a
setting (or above a group of settings) say what it means, and the value is the
production example. ``python3 scripts/settings_table.py`` prints the table's rows in the
README's form; ``tests/deploy/test_settings_docs.py`` checks that the README holds exactly
these rows and that every setting ``governance/settings.py`` reads is among them.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / ".env.production.example"
HEADER = ["| Setting | Example (production) | Meaning |", "| --- | --- | --- |"]
SETTING = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]+)=(.*)$")


def settings(text: str) -> list[tuple[str, str, str]]:
    """(name, example value, meaning) for each setting, in the file's order. A comment
    belongs to the setting (or the group of settings) right below it; a section rule
    (``# ---``) or a blank line ends it."""
    found, comment = [], []
    for line in text.splitlines():
        if not line.strip() or line.startswith("# ---"):
            comment = []
        elif match := SETTING.match(line):
            found.append((match[1], match[2], " ".join(comment)))
            comment = []
        elif line.startswith("#"):
            comment.append(line[1:].strip())
    return found


def rows(text: str) -> list[str]:
    return [
        f"| `{name}` | {f'`{value}`' if value else ''} | {meaning} |".replace("|  |", "| |")
        for name, value, meaning in settings(text)
    ]


def main() -> int:
    print("\n".join(HEADER + rows(EXAMPLE.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
