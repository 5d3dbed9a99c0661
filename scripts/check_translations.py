"""Fail when the English catalogue lacks a translation or its compiled .mo is older than the .po.

Chinese is the source language of the interface; English is kept complete by this check.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "lijian" / "locale"


def main() -> int:
    problems = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
                problems.append(f"{po_path.relative_to(LOCALE)}: untranslated {entry.msgid[:60]!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime - 1:
            problems.append(f"{mo_path.relative_to(LOCALE)}: missing or older than its .po (run compilemessages)")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
