"""The ``lijian`` command: Django's management commands under one name.

``lijian migrate``, ``lijian serve``, ``lijian demo``, ``lijian import-ledger PATH``,
``lijian export-ledger PATH``, ``lijian check --deploy`` … Dashes and underscores are interchangeable.
"""

import os
import sys

ALIASES = {"import-ledger": "import_ledger", "export-ledger": "export_ledger"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "lijian"
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1].replace("-", "_") if args[1][:1] != "-" else args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
