"""Reads of the organisation tree, bodies and terms, always restricted to what the user may see.

Tree reads are index range scans on ``path`` (see ``Organization``): a subtree is
``path >= p AND path < p || '~'``, children add ``depth = d + 1`` (served by the (depth, path) index),
ancestors are ``path IN (prefixes of p)``.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.params import BadParameter, shown
from lijian.core.permissions import Perm, access_for, subtree_q

from . import tree
from .models import PATH_STEP, InspectionBody, Organization, Term

PAGE_SIZE = 50


def organizations_visible(user, perm: Perm = Perm.ORG_VIEW) -> QuerySet[Organization]:
    return Organization.objects.filter(access_for(user).q(perm, "path"))


def organization_get(user, *, pk: int | None = None, code: str | None = None, perm: Perm = Perm.ORG_VIEW):
    """The organisation if the user may see it; ``Http404`` otherwise (existence is not revealed)."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    try:
        org = Organization.objects.select_related("supervising_body").get(**lookup)
    except (Organization.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not access_for(user).covers(perm, org.path):
        raise Http404
    return org


def organization_roots(user) -> list[tree.OrgRow]:
    """The top organisations of the user's scope: the tree roots for a global grant, else the roots
    of the user's subtrees."""
    roots = access_for(user).paths(Perm.ORG_VIEW)
    return tree.roots() if "" in roots else tree.by_paths(roots)


@dataclass
class ChildPage:
    items: list[tree.OrgRow]
    next_after: str | None  # path to pass as ``after`` for the next page, ``None`` on the last page


def organization_children(
    user, org: Organization, *, after: str | None = None, limit: int = PAGE_SIZE
) -> ChildPage:
    """One page of ``org``'s children in tree order, by keyset (``after`` = last path seen).

    Raises ``BadParameter`` when ``after`` is not the path of a child of ``org`` (a page link
    edited by hand): such a cursor would silently restart or skip the list."""
    if not access_for(user).covers(Perm.ORG_VIEW, org.path):
        raise Http404
    if after and not (
        len(after) == len(org.path) + PATH_STEP
        and after.startswith(org.path)
        and after.isascii()
        and after.isalnum()
    ):
        raise BadParameter(_("翻页位置“%(after)s”无效，请从第一页重新浏览。") % {"after": shown(after)})
    rows = tree.children(org.path, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return ChildPage(rows, rows[-1].path if more and rows else None)


def organization_children_all(user, org: Organization, *, chunk: int = 2000) -> Iterator[tree.OrgRow]:
    """Every child of ``org`` in tree order, read ``chunk`` at a time (for an export of any size).
    Raises ``Http404`` when the user may not see ``org``."""
    if not access_for(user).covers(Perm.ORG_VIEW, org.path):
        raise Http404
    after = None
    while True:
        rows = tree.children(org.path, after=after, limit=chunk)
        yield from rows
        if len(rows) < chunk:
            return
        after = rows[-1].path


def organization_subtree_size(org: Organization) -> int:
    """How many organisations lie below ``org`` (all levels, ``org`` itself not counted)."""
    return tree.subtree_size(org.path) - 1


def organization_kind_counts(org: Organization) -> dict[str, int]:
    """Organisations below ``org`` by kind. For the organisation page of small subtrees."""
    rows = (
        Organization.objects.filter(subtree_q(org.path), depth__gt=org.depth)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}


def organization_ancestors(org: Organization) -> list[tree.OrgRow]:
    """Root first, ``org`` not included."""
    return tree.by_paths(org.ancestor_paths())


def organization_search(user, query: str, *, limit: int = PAGE_SIZE, within: Organization | None = None):
    """Organisations in the user's scope whose name contains every word of ``query`` (or, for one word,
    whose code starts with it); an exact code match comes first. Each result carries ``parent_name``
    so that namesakes (several 和平村) can be told apart. ``within`` narrows to one subtree."""
    words = (query or "").split()
    if not words:
        return []
    base = organizations_visible(user)
    if within is not None:
        base = base.filter(subtree_q(within.path))
    exact = list(base.filter(code=words[0])[:1]) if len(words) == 1 else []
    match = Q()
    for word in words:
        match &= Q(name__contains=word)
    if len(words) == 1:
        match |= Q(code__startswith=words[0])
    found = base.filter(match).exclude(pk__in=[o.pk for o in exact]).order_by("depth", "path")
    results = exact + list(found[: limit - len(exact)])
    parents = dict(
        Organization.objects.filter(path__in={o.parent_path for o in results if o.depth > 1}).values_list(
            "path", "name"
        )
    )
    for org in results:
        org.parent_name = parents.get(org.parent_path, "")
    return results


def organization_active_on(org: Organization, day: datetime.date | None = None) -> bool:
    return org.is_active_on(day or timezone.localdate())


# --- Bodies and terms -----------------------------------------------------------------------------


def bodies_visible(user) -> QuerySet[InspectionBody]:
    return InspectionBody.objects.filter(access_for(user).q(Perm.ORG_VIEW, "owner_org__path")).select_related(
        "owner_org"
    )


def body_search(user, query: str, *, limit: int = PAGE_SIZE) -> list[InspectionBody]:
    """Bodies the user may see whose name contains every word of ``query`` or whose code starts with
    it; an exact code first."""
    words = (query or "").split()
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(name__contains=word)
    if len(words) == 1:
        match |= Q(code__startswith=words[0])
    found = list(bodies_visible(user).filter(match).order_by("owner_org__depth", "code")[:limit])
    found.sort(key=lambda body: body.code != query.strip())
    return found


def body_get(
    user, *, pk: int | None = None, code: str | None = None, perm: Perm = Perm.ORG_VIEW
) -> InspectionBody:
    """The body if its committee lies in the user's scope for ``perm``; ``Http404`` otherwise."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    try:
        body = InspectionBody.objects.select_related("owner_org").get(**lookup)
    except (InspectionBody.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not access_for(user).covers(perm, body.owner_org.path):
        raise Http404
    return body


def bodies_above(path: str) -> QuerySet[InspectionBody]:
    """Bodies that may cover an organisation whose parent is at ``path``: those owned by the parent
    or one of its ancestors (their names are shown to anyone who sees the organisation)."""
    prefixes = [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]
    return (
        InspectionBody.objects.filter(owner_org__path__in=prefixes)
        .select_related("owner_org")
        .order_by("-owner_org__depth", "code")
    )


def default_supervising_body(parent: Organization) -> InspectionBody | None:
    """For a new child of ``parent``: the body of the nearest committee above it, else the parent's own."""
    return bodies_above(parent.path).first() or parent.supervising_body


def body_jurisdiction_size(body: InspectionBody) -> int:
    return Organization.objects.filter(supervising_body=body).count()


def staffing_summary(bodies: QuerySet[InspectionBody]) -> dict[str, dict[str, int]]:
    """Bodies, standing (active) groups and authorised posts, per level (巡视 / 巡察) and in all."""
    rows = (
        bodies.values("level")
        .annotate(
            bodies=Count("pk", distinct=True),
            groups=Count("groups", filter=Q(groups__active=True), distinct=True),
        )
        .order_by()
    )
    posts = dict(
        bodies.values("level").annotate(n=Sum("authorized_posts")).order_by().values_list("level", "n")
    )
    summary = {
        r["level"]: {"bodies": r["bodies"], "groups": r["groups"], "posts": posts.get(r["level"]) or 0}
        for r in rows
    }
    summary["all"] = {k: sum(v[k] for v in summary.values()) for k in ("bodies", "groups", "posts")}
    return summary


def terms_visible(user) -> QuerySet[Term]:
    return Term.objects.filter(access_for(user).q(Perm.ORG_VIEW, "body__owner_org__path")).select_related(
        "body"
    )


def term_get(user, *, pk: int, perm: Perm = Perm.ORG_VIEW) -> Term:
    """The term if its body's committee lies in the user's scope for ``perm``; ``Http404`` otherwise."""
    try:
        term = Term.objects.select_related("body__owner_org").get(pk=pk)
    except (Term.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not access_for(user).covers(perm, term.body.owner_org.path):
        raise Http404
    return term


def terms_current(day: datetime.date | None = None) -> QuerySet[Term]:
    """The terms in course on ``day`` (today by default): at most one per body, whose terms never
    overlap (``services.term_create``)."""
    day = day or timezone.localdate()
    return Term.objects.filter(start__lte=day, end__gte=day)


def term_current(body: InspectionBody, day: datetime.date | None = None) -> Term | None:
    """The body's term in course on ``day`` (today by default), or ``None`` between terms."""
    return terms_current(day).filter(body=body).first()


def path_depth(path: str) -> int:
    return len(path) // PATH_STEP
