"""Fail when the English catalogue misses a string of the interface, lacks a translation, or its
compiled .mo is older than the .po.

Chinese is the source language of the interface; English is kept complete by this check. To update:
`cd src/lijian && lijian makemessages -l en --no-obsolete`, translate, `lijian compilemessages -l en`.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lijian"
LOCALE = PACKAGE / "locale"


def msgids_in_source() -> set[str]:
    """The strings makemessages would extract now, gathered in a throwaway copy of the package."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "lijian"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "data"))
        settings.configure(USE_I18N=True, LOCALE_PATHS=[str(copy / "locale")], INSTALLED_APPS=[])
        django.setup()
        cwd = os.getcwd()
        os.chdir(copy)
        try:
            call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
        finally:
            os.chdir(cwd)
        catalogue = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        return {entry.msgid for entry in catalogue if not entry.obsolete}


def main() -> int:
    problems = []
    po_path = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    known = {entry.msgid for entry in catalogue if not entry.obsolete}
    for msgid in sorted(msgids_in_source() - known):
        problems.append(f"not in the English catalogue: {msgid[:70]!r}")
    for entry in catalogue:
        if entry.obsolete:
            continue
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if "fuzzy" in entry.flags or not translated:
            problems.append(f"untranslated: {entry.msgid[:70]!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime - 1:
        problems.append("django.mo is missing or older than django.po (run lijian compilemessages -l en)")
    for line in problems:
        print(line)
    if problems:
        print("To update: cd src/lijian && lijian makemessages -l en --no-obsolete; translate; "
              "lijian compilemessages -l en")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
