"""Reads of the talent pool, restricted to the user; and the conflicts that keep cadres away."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lijian.core.permissions import Perm, access_for, subtree_q, visible_get
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import PATH_STEP, InspectionBody, Organization

from .choices import ConflictKind
from .models import Absence, Cadre, Conflict, Skill, SupervisionLine

DISTRICT_KINDS = (OrgKind.DISTRICT_COMMITTEE, OrgKind.COUNTY_COMMITTEE)


def cadres_visible(user) -> QuerySet[Cadre]:
    return Cadre.objects.filter(access_for(user).q(Perm.POOL_VIEW, "home_org__path")).select_related(
        "home_org"
    )


def cadre_get(user, pk: int, perm: Perm = Perm.POOL_VIEW) -> Cadre:
    try:
        cadre = Cadre.objects.select_related("home_org").get(pk=pk)
    except (Cadre.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not access_for(user).covers(perm, cadre.home_org.path):
        raise Http404
    return cadre


def conflict_get(user, pk, perm: Perm = Perm.POOL_VIEW) -> Conflict:
    """A declared conflict of a cadre whose unit lies in the user's scope for ``perm``; ``Http404``
    otherwise."""
    visible = Conflict.objects.filter(access_for(user).q(perm, "cadre__home_org__path"))
    return visible_get(visible.select_related("cadre__home_org"), pk)


def absence_get(user, pk, perm: Perm = Perm.POOL_VIEW) -> Absence:
    """An absence of a cadre whose unit lies in the user's scope for ``perm``; ``Http404`` otherwise."""
    visible = Absence.objects.filter(access_for(user).q(perm, "cadre__home_org__path"))
    return visible_get(visible.select_related("cadre__home_org"), pk)


def pool_for_body(body: InspectionBody) -> QuerySet[Cadre]:
    """The body's talent pool: in-pool cadres whose units lie in its committee's subtree."""
    return Cadre.objects.filter(subtree_q(body.owner_org.path, "home_org__path"), in_pool=True)


def cadre_search(user, query: str, *, body: InspectionBody | None = None, limit: int = 50) -> list[Cadre]:
    """Cadres the user may see (``cadres_visible``) whose name or unit contains every word of
    ``query``, or whose number starts with it; an exact number first. ``body`` narrows to its talent
    pool (``pool_for_body``)."""
    words = (query or "").split()
    if not words:
        return []
    base = cadres_visible(user)
    if body is not None:
        base = base.filter(pk__in=pool_for_body(body).values("pk"))
    match = Q()
    for word in words:
        match &= Q(name__contains=word) | Q(home_org__name__contains=word)
    if len(words) == 1:
        match |= Q(cadre_id__startswith=words[0])
    found = list(base.filter(match).order_by("cadre_id")[:limit])
    found.sort(key=lambda cadre: cadre.cadre_id != words[0])
    return found


def same_line(a: str, b: str) -> bool:
    """Two organisations on one line of the tree: one is the other or above it."""
    return a.startswith(b) or b.startswith(a)


def district_paths(paths: set[str]) -> dict[str, str | None]:
    """For each path, the path of the district or county committee above it (or itself), if any."""
    prefixes = {p[:i] for p in paths for i in range(PATH_STEP, len(p) + 1, PATH_STEP)}
    districts = set(
        Organization.objects.filter(path__in=prefixes, kind__in=DISTRICT_KINDS).values_list("path", flat=True)
    )
    result = {}
    for p in paths:
        result[p] = next((p[:i] for i in range(len(p), 0, -PATH_STEP) if p[:i] in districts), None)
    return result


def conflicts_between(
    cadres: list[Cadre],
    targets: list[Organization],
    *,
    cross: bool,
    on: datetime.date,
    former_post_years: int,
    recent: dict[int, set[int]] | None = None,
) -> dict[tuple[int, int], str]:
    """Every (cadre id, organisation id) pair that must not meet, with the reason in words:

    - the cadre's own unit is the organisation, above it or below it;
    - a line of supervision (``SupervisionLine``, e.g. 政法委 → a court, either direction) has the
      cadre's unit in one side's subtree and the organisation on the other side's line;
    - a declared conflict (relative, former post within ``former_post_years`` of ``on``, other) with an
      organisation on the same line of the tree;
    - in a cross patrol (交叉巡察), the organisation lies in the cadre's home district;
    - ``recent``: cadre id -> organisation ids they inspected in the last rounds.
    """
    reasons: dict[tuple[int, int], str] = {}
    declared: dict[int, list[tuple[str, str, str]]] = {}
    horizon = years_before(on, former_post_years)
    for c in Conflict.objects.filter(cadre__in=cadres, active=True).select_related("organization"):
        if c.kind == ConflictKind.FORMER_POST and c.end and c.end < horizon:
            continue
        label = c.get_kind_display() + (f"：{c.detail}" if c.detail else "")
        declared.setdefault(c.cadre_id, []).append((c.organization.path, c.organization.name, label))
    districts = district_paths({c.home_org.path for c in cadres} | {t.path for t in targets}) if cross else {}
    lines = supervision_lines()
    for cadre in cadres:
        home = cadre.home_org.path
        # The other sides of the lines the cadre's unit lies on (one side's subtree).
        across = [(other, words) for side, other, words in lines if home.startswith(side)]
        for t in targets:
            if same_line(home, t.path):
                reasons[cadre.id, t.id] = f"本人所在单位{cadre.home_org.name}"
                continue
            line = next((words for other, words in across if same_line(t.path, other)), None)
            if line:
                reasons[cadre.id, t.id] = line
                continue
            hit = next(
                (label for path, _n, label in declared.get(cadre.id, ()) if same_line(path, t.path)), None
            )
            if hit:
                reasons[cadre.id, t.id] = hit
            elif cross and districts.get(home) and districts.get(home) == districts.get(t.path):
                reasons[cadre.id, t.id] = "交叉巡察：本人来自被巡察对象所在的区"
            elif recent and t.id in recent.get(cadre.id, ()):
                reasons[cadre.id, t.id] = "近几轮巡视巡察过该单位"
    return reasons


def supervision_lines() -> list[tuple[str, str, str]]:
    """Every active line of supervision as (one side's path, the other side's path, the reason in
    words), both directions listed."""
    lines = []
    for line in SupervisionLine.objects.filter(active=True).select_related("supervisor", "supervised"):
        words = f"监督关系：{line.supervisor.name}—{line.supervised.name}" + (
            f"（{line.description}）" if line.description else ""
        )
        lines.append((line.supervisor.path, line.supervised.path, words))
        lines.append((line.supervised.path, line.supervisor.path, words))
    return lines


def absences_of_cadre(cadre: Cadre) -> QuerySet[Absence]:
    return cadre.absences.order_by("-active", "-start")


def conflicts_of_cadre(cadre: Cadre) -> QuerySet[Conflict]:
    return cadre.conflicts.select_related("organization").order_by("-active", "organization__path")


def cadre_history(cadre: Cadre):
    return cadre.rounds_served.select_related("round__body", "round__term", "group").order_by("-round__start")


def skills_in_use() -> QuerySet:
    return Skill.objects.annotate(n=Count("cadres")).order_by("code")


def years_before(on: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier; 29 February falls back to 28 February."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)
