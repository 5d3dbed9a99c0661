"""The demo talent pools imported through the ledger: cadres of the city's units, of each district, of
the universities and of the public security bureau, with ranks, skills, ages that fit their ranks
and a few declared conflicts (drawn by ``policy.people``); and the lines of supervision (政法委 over
the courts, procuratorates and police, 组织部 over the units it manages, 审计局 over units it
audited: ``vocabulary.people``) that keep cadres away like their own unit's line. Names are
generated (deterministically); nobody here is a real person."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db.models import Q

from lijian.demo.policy.people import CITY_POOL, DISTRICT_POOL, PSB_POOL, UNIVERSITY_POOL, pool_rows
from lijian.demo.vocabulary.people import CITY_LINES, DISTRICT_LINES, unit_key
from lijian.documents.ledger.bundle import BundleWriter
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.ledger.registry import REGISTRY
from lijian.orgs.models import Organization
from lijian.people.choices import Rank
from lijian.people.models import SupervisionLine


def pool_specs() -> list[tuple[str, list[Organization], int, int, Rank]]:
    """(prefix, home units, cadres, leaders, leader rank) for each pool of the demo."""
    specs = []
    city_units = list(
        Organization.objects.filter(
            parent_code_filter("TJ"), kind__in=["department", "soe", "university", "institution"]
        ).order_by("path")
    )
    specs.append(("TJC", city_units, *CITY_POOL))
    for district in Organization.objects.filter(kind="district_committee").order_by("path"):
        units = list(
            Organization.objects.filter(
                parent_code_filter(district.code), kind__in=["department", "institution"]
            ).order_by("path")
        )
        specs.append((f"D{district.code[-2:]}", units, *DISTRICT_POOL))
    for university in Organization.objects.filter(kind="university").order_by("path"):
        colleges = list(Organization.objects.filter(parent_code_filter(university.code)).order_by("path"))
        specs.append((f"U{university.code[-2:]}", colleges, *UNIVERSITY_POOL))
    bureau = Organization.objects.get(code="TJ-D032")
    specs.append(("PSB", list(Organization.objects.filter(parent_code_filter(bureau.code))), *PSB_POOL))
    return specs


def parent_code_filter(code: str):
    """Children of the organisation with ``code`` (by path: the tree has no parent column)."""
    parent = Organization.objects.get(code=code)
    return Q(path__startswith=parent.path, depth=parent.depth + 1)


def ensure_supervision_lines() -> int:
    """The demo's lines of supervision (reference data, as an administrator enters it on the reference
    pages); a second run finds them. Returns the lines added."""
    by_code = {o.code: o for o in Organization.objects.filter(code__startswith="TJ-")}
    pairs = [
        (by_code[a], by_code[b], words)
        for a, bs, words in CITY_LINES
        for b in bs
        if a in by_code and b in by_code
    ]
    for district in Organization.objects.filter(kind="district_committee").order_by("path"):
        units = [
            (unit_key(o.name), o) for o in Organization.objects.filter(parent_code_filter(district.code))
        ]

        def unit(generic: str, units=units):
            return next((o for name, o in units if name.endswith(generic)), None)

        for a, bs, words in DISTRICT_LINES:
            for b in bs:
                if unit(a) and unit(b):
                    pairs.append((unit(a), unit(b), words))
    added = 0
    for supervisor, supervised, words in pairs:
        _line, created = SupervisionLine.objects.get_or_create(
            supervisor=supervisor, supervised=supervised, defaults={"description": words}
        )
        added += created
    return added


def ensure_pools(actor) -> dict:
    """Import the demo pools through the ledger (a second run finds nothing to change), and the lines
    of supervision that count as conflicts when groups are staffed."""
    ensure_supervision_lines()

    cadres, conflicts = pool_rows(pool_specs())
    with tempfile.TemporaryDirectory() as folder:
        writer = BundleWriter(Path(folder))
        writer.write("cadres.csv", REGISTRY["cadres.csv"].header, cadres)
        writer.write("conflicts.csv", REGISTRY["conflicts.csv"].header, conflicts)
        writer.close()
        report = ledger_import(folder, actor=actor)
    if not report.ok:
        raise RuntimeError("演示人才库导入失败：" + "; ".join(str(e) for e in report.errors[:10]))
    return report.counts
