"""Stored XSS, swept: every free-text field of every lijian model holds script in each HTML context
(an element, a broken-out attribute, a closed textarea, a ``javascript:`` link, a template expression),
and each role opens every page of the route table in Chromium.

The models and their text fields are found by introspection, so a field added later is planted
without touching this file; a model with text fields but no row in the test world fails the sweep
until a maker is added to ``EXTRA_ROWS``. The pages come from the route harness's table
(tests/core/test_routes.py), so a new route is opened too. On every page: no dialog, no injected
element or event-handler attribute, no ``javascript:`` link, no CSP violation, no evaluated template,
and wherever a planted value is shown its text is intact (escaped, not interpreted).
"""

import datetime
import itertools
import re
import time
from dataclasses import dataclass, field
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lijian.accounts.choices import Role

from ..access import URL_SPECS, allowed
from ..documents.kind import register_test_kind
from ..world import (
    PASSWORD,
    build_findings,
    build_petitions,
    build_rectification,
    build_rounds,
    build_world,
)
from .conftest import Page

pytestmark = [pytest.mark.browser, pytest.mark.long]  # about a minute: started first under xdist

MARK = "Xq"  # every marker is MARK and four digits (more than 999 values are planted): unique per planted value
MARKER = re.compile(MARK + r"\d{4}")

# Each piece carries the marker; a value holds as many pieces as its field's length allows, starting
# from a different piece on each row so every context is tried on every long field.
PIECES = (
    "javascript:alert('{m}')//",
    "<img src=x onerror=alert('{m}') data-xss={m}>",
    "\"><svg onload=alert('{m}') data-xss={m}>",
    "</textarea><script data-xss={m}>alert('{m}')</script>",
    "' onmouseover=alert('{m}') data-xss='{m}' x='",
    "{{{{7*7}}}}{m}",
)
SHORTEST = "<b data-xss={m}>"  # for a field too short for any piece above

# Text fields no user writes: the system derives them, or they name files and types the code looks up.
NOT_WRITTEN_BY_USERS = {
    "core.AuditEvent": {"actor_name", "action", "object_type", "object_id", "scope_path"},
    "core.Message": {"key"},  # the de-duplication key of a notice
    "accounts.User": {"password"},
    "accounts.PasswordHistory": {"password"},  # hashes of earlier passwords
    "petitions.PublicCounter": {"key"},  # the rate-limit bucket of a client address or receipt
    "orgs.Organization": {"path"},  # built from the codes
    "petitions.RateHit": {"key"},
    "documents.LedgerImportJob": {"stored_name", "language", "stage", "errors_name"},
    "documents.Attachment": {"owner_type", "stored_name", "kind", "sha256"},
    "documents.OfficialDocument": {"kind", "organ_type"},  # a registered kind's code, a model label
    "documents.DocumentVersion": {"docx_name", "docx_sha256", "pdf_name", "pdf_sha256"},
    "documents.DocumentSerial": {"kind", "organ_type"},
}
APPEND_ONLY = {"core.AuditEvent"}  # planted by appending events through the audit service


def _rows_missing_in_the_world(world) -> None:
    """Rows of the models the shared builders leave empty, each tied to 和平's records."""
    from lijian.documents import official
    from lijian.documents.models import LedgerImportJob
    from lijian.inspections.models import Activity, FieldworkMethod, OrgRisk
    from lijian.people.models import Absence, SupervisionLine
    from lijian.rectification import models as rect

    office, inspection = world.users[Role.OFFICE_STAFF], world.rect.inspection1
    organization, task = inspection.organization, world.rect.task1
    common = {"body": world.body1, "organization": organization}
    day = datetime.date(2024, 8, 20)
    Absence.objects.create(cadre=world.rounds.cadre1, kind="training", start=day, end=day, detail="-")
    SupervisionLine.objects.create(supervisor=world.d1, supervised=world.t1, description="-")
    Activity.objects.create(
        inspection=world.rounds.inspection1, method=FieldworkMethod.objects.first(), date=day, notes="-"
    )
    OrgRisk.objects.create(organization=world.t1, score=60, note="-")
    interview = rect.Interview.objects.create(
        **common, interviewer="-", interviewee="-", reason="-", held_on=day, inspection=inspection
    )
    rect.Accountability.objects.create(
        **common,
        subject_name="-",
        subject_post="-",
        action=rect.Accountability._meta.get_field("action").choices[0][0],
        reason="-",
        decided_by="-",
        decided_on=day,
        inspection=inspection,
        problem=world.rect.problem1,
        task=task,
    )
    rect.TaskProgress.objects.create(task=task, on=day, text="-", actor=world.users[Role.LIAISON])
    rect.Supervision.objects.create(
        **common,
        inspection=inspection,
        task=task,
        method=rect.Supervision._meta.get_field("method").choices[0][0],
        held_on=day,
        content="-",
    )
    rect.Evaluation.objects.create(
        **common,
        term=world.term1,
        evaluated_on=day,
        total=80,
        grade=rect.Evaluation._meta.get_field("grade").choices[0][0],
        notes="-",
        interview=interview,
    )
    LedgerImportJob.objects.create(created_by=office, original_name="-", stored_name="xss.zip")
    # An issued official document of the test kind (its serial counter too) and a draft.
    register_test_kind()
    issued = official.document_draft(actor=office, kind="test_notice", organ_id=world.body1.pk)
    official.document_issue(actor=office, document=issued)
    official.document_draft(actor=office, kind="test_notice", organ_id=world.body1.pk)


def free_text_fields(model) -> list[models.Field]:
    """The model's stored text fields a person can write: editable, without choices."""
    skipped = NOT_WRITTEN_BY_USERS.get(model._meta.label, set())
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and f.editable
        and not f.choices
        and f.name not in skipped
    ]


@dataclass
class Plant:
    values: dict[str, str] = field(default_factory=dict)  # marker -> the stored value
    where: dict[str, str] = field(default_factory=dict)  # marker -> "app.Model.field#pk"
    fields: set[str] = field(default_factory=set)  # "app.Model.field" planted
    refused: set[str] = field(default_factory=set)  # fields whose validators refuse any markup


def _value(marker: str, rotation: int, max_length: int | None) -> str:
    pieces = [p.format(m=marker) for p in PIECES[rotation:] + PIECES[:rotation]]
    value = ""
    for piece in pieces:
        if max_length is None or len(value + piece) <= max_length:
            value += piece
    return value or SHORTEST.format(m=marker)


def _acceptable(f: models.Field, value: str) -> bool:
    if f.max_length is not None and len(value) > f.max_length:
        return False
    try:
        f.run_validators(value)
    except ValidationError:
        return False
    return True


def plant_everywhere(world) -> Plant:
    """Overwrite every free-text field of every row with markup carrying a unique marker."""
    from lijian.core.audit import audit_record
    from lijian.core.models import AuditEvent

    plant, numbers = Plant(), itertools.count(1)
    lijian_models = [m for m in apps.get_models() if m.__module__.startswith("lijian.")]
    empty = [m._meta.label for m in lijian_models if free_text_fields(m) and not m.objects.exists()]
    assert not empty, f"give these models a row in _rows_missing_in_the_world: {empty}"
    for model in lijian_models:
        text_fields = free_text_fields(model)
        label = model._meta.label
        if label in APPEND_ONLY:
            continue
        for row_index, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            changes = {}
            for field_index, f in enumerate(text_fields):
                marker = f"{MARK}{next(numbers):04d}"
                value = _value(marker, (row_index + field_index) % len(PIECES), f.max_length)
                if not _acceptable(f, value):
                    plant.refused.add(f"{label}.{f.name}")
                    continue
                changes[f.name] = value
                plant.values[marker] = value
                plant.where[marker] = f"{label}.{f.name}#{pk}"
                plant.fields.add(f"{label}.{f.name}")
            model.objects.filter(pk=pk).update(**changes)
    # The audit trail shows what the services wrote: an event about each record kind, its text planted.
    office = world.users[Role.OFFICE_STAFF]
    for index, obj in enumerate((world.t1, world.rounds.inspection1, world.findings.problem1)):
        marker = f"{MARK}{next(numbers):04d}"
        value = _value(marker, index, AuditEvent._meta.get_field("object_repr").max_length)
        audit_record(
            actor=office,
            action="org.update",
            obj=obj,
            object_repr=value,
            before={"name": value},
            after={"name": value},
            scope_path=world.t1.path,
        )
        plant.values[marker] = value
        plant.where[marker] = "core.AuditEvent.object_repr"
        plant.fields.add("core.AuditEvent.object_repr")
    return plant


# Searches and pickers list nothing without a query: ask for the markers.
QUERIED = {"orgs:search", "orgs:pick", "orgs:pick_body", "people:pick", "people:pool", "accounts:users"}


def _every_reference_table(world, user, inside):
    from lijian.core.reference import TABLES

    return [{"key": key} for key in TABLES]


def _every_reference_entry(world, user, inside):
    from lijian.core.reference import TABLES

    return [{"key": key, "pk": t.model.objects.order_by("pk")[0].pk} for key, t in TABLES.items()]


# Routes whose table entry opens one example: here every instance is opened.
EVERY = {"core:reference_table": _every_reference_table, "core:reference_entry": _every_reference_entry}


def pages_for(world, user, role) -> list[str]:
    """Every page of the route table the role may open, in its scope (actions and API calls are not
    pages; a route the role lacks the permission for answers 403 before any record is read)."""
    urls = []
    for name, spec in URL_SPECS.items():
        if spec.post_only or name.startswith("api:") or name in ("accounts:login", "core:set_language"):
            continue
        if not allowed(role, _permission(name)):
            continue
        if name in EVERY:
            every = EVERY[name](world, user, True)
        else:
            every = [spec.obj(world, user, True) if spec.obj else {}]
        query = f"?q={MARK}" if name in QUERIED else ""
        urls += [reverse(name, kwargs=kwargs) + query for kwargs in every]
    return urls


def _permission(name: str) -> str:
    from lijian.core.routes import iter_url_routes

    if not hasattr(_permission, "table"):
        _permission.table = {r.name: r.permission for r in iter_url_routes() if not r.is_api_operation}
    return _permission.table[name]


INSPECT_DOM = """(mark) => {
  const found = [];
  const markerAt = new RegExp(mark + "\\\\d{4}");
  for (const el of document.querySelectorAll("[data-xss]")) found.push("injected " + el.outerHTML.slice(0, 120));
  const shown = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) found.push(`handler ${name}= on <${el.localName}>: ${a.value.slice(0, 80)}`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(name)
          && /^\\s*javascript:/i.test(a.value)) found.push(`javascript: ${name} on <${el.localName}>`);
      if (markerAt.test(a.value)) shown.push(a.value);
    }
    if (el.localName === "script" && markerAt.test(el.textContent)) found.push("script " + el.textContent.slice(0, 80));
  }
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) if (markerAt.test(walker.currentNode.data)) shown.push(walker.currentNode.data);
  if (new RegExp("49" + mark + "\\\\d{4}").test(document.body ? document.body.innerText : "")) {
    found.push("template expression evaluated");
  }
  return {found, shown, csp: window.__cspViolations || []};
}"""

RECORD_CSP = """window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));"""


def _not_intact(plant: Plant, shown: str) -> list[str]:
    """Markers in ``shown`` whose value does not appear as written up to that marker: the browser
    read the value as markup instead of text."""
    bad = []
    for marker in set(MARKER.findall(shown)):
        value = plant.values.get(marker)
        if value is None:
            continue
        head = value[: value.index(marker) + len(marker)]
        if head not in shown and head not in unquote(shown):  # a link's path holds it percent-encoded
            bad.append(f"{plant.where[marker]} shown as {shown[:100]!r}")
    return bad


@dataclass
class Tally:
    loads: int = 0
    pages: set[str] = field(default_factory=set)  # route patterns opened with a 200
    seen: set[str] = field(default_factory=set)  # markers shown somewhere
    failures: list[str] = field(default_factory=list)


def _sweep(browser, base_url, plant, urls, who, username, tally):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP)
    page = Page(context.new_page(), base_url)
    dialogs: list[str] = []
    page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        if username:
            page.login(username, PASSWORD)
        for url in urls:
            before = len(page.problems)
            try:
                response = page.page.goto(base_url + url, wait_until="domcontentloaded")
            except Exception as exc:  # a download has no page to inspect
                if "Download is starting" in str(exc):
                    continue
                raise
            tally.loads += 1
            if response is not None and response.status >= 500:
                tally.failures.append(f"{who} {url}: answered {response.status}")
            if response is None or response.status != 200:
                continue
            if "html" not in response.headers.get("content-type", ""):
                continue
            tally.pages.add(url.split("?")[0])
            result = page.page.evaluate(INSPECT_DOM, MARK)
            problems = (
                result["found"] + [f"CSP {v}" for v in result["csp"]] + dialogs + page.problems[before:]
            )
            for shown in result["shown"]:
                # Only planted markers count: a random token on a page (a CSP nonce, a task id, a
                # stored file name) may by chance read like one (CI once met "Xq731" of 642 planted).
                tally.seen.update(m for m in MARKER.findall(shown) if m in plant.values)
                problems += _not_intact(plant, shown)
            dialogs.clear()
            tally.failures += [f"{who} {url}: {p}" for p in dict.fromkeys(problems)]
    finally:
        context.close()


def test_script_planted_in_every_text_field_never_runs_for_any_role(
    browser,
    live_server,
    django_db_serialized_rollback,
):
    world = build_world()
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    _rows_missing_in_the_world(world)
    who = [("anonymous", None, None)] + [(role, world.users[role], role) for role in Role.values]
    urls = {name: pages_for(world, user, role) for name, user, role in who}
    plant = plant_everywhere(world)

    started, tally = time.monotonic(), Tally()
    for name, user, _role in who:
        _sweep(browser, live_server.url, plant, urls[name], name, user and user.username, tally)
    elapsed = time.monotonic() - started

    print(
        f"\nXSS sweep: {len(plant.fields)} fields, {len(plant.values)} values, {len(PIECES)} contexts, "
        f"{len(who)} roles, {tally.loads} page loads of {len(tally.pages)} pages, "
        f"{len(tally.seen)} values seen, {elapsed:.1f}s; refused by validators: {sorted(plant.refused)}"
    )
    assert not tally.failures, "\n".join(tally.failures[:60])
    # The sweep is not vacuous: most planted fields were shown to someone.
    seen_fields = {plant.where[m].split("#")[0] for m in tally.seen}
    unseen = sorted(plant.fields - seen_fields)
    print(f"fields never shown: {unseen}")
    assert len(seen_fields) >= 0.85 * len(plant.fields), unseen
