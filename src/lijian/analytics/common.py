"""Common problems (以巡促改): the problems a user may see, grouped by category and by what they say,
across organisations and rounds, and the proposals drawn from them. Reads only, restricted to the user.

A user sees the groups of the problems they may see (``findings.selectors.problems_visible``) of the
bodies whose figures they may see; a proposal is seen by the office of its body (the figures' scope)
and made by the office that plans the body's rounds."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q
from lijian.core.params import BadParameter, shown
from lijian.core.paths import PATH_STEP
from lijian.core.permissions import Action, Perm, visible_get
from lijian.findings.models import Category, Problem
from lijian.findings.selectors import problems_visible
from lijian.inspections.models import Round
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody, Organization

from .cockpit import area_label
from .common_similarity import THRESHOLD, group_texts
from .models import CommonProblemProposal

# How many groups the page and the API show, the most widespread first, and examples per group.
GROUPS_SHOWN = 20
EXAMPLES = 3
# A problem's words: its summary, then the start of its description (a long description would
# drown the summary, which names the problem).
DESCRIPTION_CHARS = 300
KEY_PATTERN = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class CommonFilter:
    """Which problems are grouped: those of one body's rounds (``None``: every body in scope), found
    between two days (either may be open), in groups spanning at least ``min_organizations``."""

    body: InspectionBody | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    min_organizations: int = 2

    def query(self) -> str:
        """The filter as a query string (for the links of the page; empty when unfiltered)."""
        values = {
            "body": self.body.pk if self.body else "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "min": self.min_organizations if self.min_organizations != 2 else "",
        }
        return urlencode({k: v for k, v in values.items() if v != ""})


@dataclass
class CommonGroup:
    """Problems alike in category and wording: the group's key (stable while its problems stay the
    same), the top category, its most typical wording, the problems, the organisations they were
    found at, how many in each round, and example wordings."""

    key: str
    category: Category
    typical: str
    problem_ids: list[int]
    organization_ids: list[int]
    round_counts: dict[int, int]
    examples: list[str]
    organizations: list[Organization] = field(default_factory=list)
    rounds: list[tuple[Round, int]] = field(default_factory=list)
    proposals: list[CommonProblemProposal] = field(default_factory=list)

    @property
    def by_body(self) -> list[tuple[InspectionBody, int, int]]:
        """The group in short: each body whose rounds found its problems, with how many of its rounds
        and how many problems, the most problems first (the page shows this, not every round)."""
        rounds: dict[int, int] = Counter()
        problems: dict[int, int] = Counter()
        bodies = {}
        for round_, n in self.rounds:
            bodies[round_.body_id] = round_.body
            rounds[round_.body_id] += 1
            problems[round_.body_id] += n
        rows = [(bodies[pk], rounds[pk], problems[pk]) for pk in bodies]
        return sorted(rows, key=lambda row: (-row[2], row[0].code))

    @property
    def size(self) -> int:
        return len(self.problem_ids)


def group_key(problem_ids) -> str:
    """The key naming a group by its problems: 12 hex digits of the SHA-1 of their sorted ids."""
    text = ",".join(str(pk) for pk in sorted(problem_ids))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def parse_group_key(value: str) -> str:
    """``value`` when it can be a group's key; ``BadParameter`` (400) otherwise."""
    if not KEY_PATTERN.fullmatch(value or ""):
        raise BadParameter(
            _("链接中的问题组“%(value)s”无效：应为 12 位十六进制编号，请回到共性问题页重新选择。")
            % {"value": shown(value or "")}
        )
    return value


def problems_in_scope(user, flt: CommonFilter) -> QuerySet[Problem]:
    """The problems the user may see, of the bodies whose figures they may see, as ``flt`` narrows."""
    rows = problems_visible(user).filter(office_q(user, Perm.FIGURES_VIEW, "inspection__round__body"))
    if flt.body is not None:
        rows = rows.filter(inspection__round__body=flt.body)
    if flt.since:
        rows = rows.filter(found_on__gte=flt.since)
    if flt.until:
        rows = rows.filter(found_on__lte=flt.until)
    return rows


def top_categories() -> dict[int, Category]:
    """Every category's top-level category (itself for a top one), by id."""
    nodes = {c.pk: c for c in Category.objects.select_related("framework")}
    tops = {}
    for pk, node in nodes.items():
        top = node
        while top.parent_id:
            top = nodes[top.parent_id]
        tops[pk] = top
    return tops


def common_groups(
    user,
    flt: CommonFilter,
    *,
    limit: int | None = GROUPS_SHOWN,
    threshold: float = THRESHOLD,
    places: bool = True,
) -> list[CommonGroup]:
    """The groups of alike problems in the user's scope, with at least ``flt.min_organizations``
    organisations each, the most widespread first (organisations, then problems, then key), at most
    ``limit`` of them (``None``: all) with their organisations and rounds read (unless ``places`` is
    false).

    Problems are grouped within their top-level category by the wording of their summary and the
    start of their description (``common_similarity.group_texts``)."""
    rows = problems_in_scope(user, flt).values_list(
        "pk",
        "summary",
        "description",
        "category_id",
        "inspection__organization_id",
        "inspection__round_id",
    )
    tops = top_categories()
    facts = {}
    items = []
    for pk, summary, description, category_id, org_id, round_id in rows.order_by("pk"):
        text = f"{summary} {description[:DESCRIPTION_CHARS]}".strip()
        facts[pk] = (org_id, round_id, summary, text)
        items.append((pk, tops[category_id].pk, text))
    groups = []
    for found in group_texts(items, threshold):
        ids = sorted(found.items)
        orgs = sorted({facts[pk][0] for pk in ids})
        if len(orgs) < flt.min_organizations:
            continue
        # Shown as the problems' summaries, as written: the typical one is the centre's.
        summaries = Counter(facts[pk][2] for pk in ids)
        typical = next(facts[pk][2] for pk in ids if facts[pk][3] == found.typical)
        groups.append(
            CommonGroup(
                key=group_key(ids),
                category=tops[found.partition],
                typical=typical,
                problem_ids=ids,
                organization_ids=orgs,
                round_counts=dict(Counter(facts[pk][1] for pk in ids)),
                examples=sorted(summaries, key=lambda t: (-summaries[t], t))[:EXAMPLES],
            )
        )
    groups.sort(key=lambda g: (-len(g.organization_ids), -g.size, g.key))
    shown_groups = groups if limit is None else groups[:limit]
    if places:
        _read_places(shown_groups)
    return shown_groups


def _read_places(groups: list[CommonGroup]) -> None:
    """Fill each group's organisations (in tree order) and rounds (by start, with their counts)."""
    org_ids = {pk for g in groups for pk in g.organization_ids}
    round_ids = {pk for g in groups for pk in g.round_counts}
    orgs = Organization.objects.in_bulk(org_ids)
    rounds = Round.objects.select_related("body", "term").in_bulk(round_ids)
    for g in groups:
        g.organizations = sorted((orgs[pk] for pk in g.organization_ids), key=lambda o: o.path)
        g.rounds = sorted(
            ((rounds[pk], count) for pk, count in g.round_counts.items()),
            key=lambda rc: (rc[0].start, rc[0].body.code, rc[0].number),
        )


def common_group_get(user, flt: CommonFilter, key: str) -> CommonGroup | None:
    """The group named ``key`` among the user's groups under ``flt`` whatever its breadth, or ``None``
    when none has that key (its problems changed since the key was given, or it is out of scope)."""
    wide = CommonFilter(flt.body, flt.since, flt.until, min_organizations=1)
    for group in common_groups(user, wide, limit=None, places=False):
        if group.key == key:
            _read_places([group])
            return group
    return None


def group_problems(user, problem_ids) -> list[Problem]:
    """The problems of ``problem_ids`` the user may see, in tree order of their organisations."""
    return list(
        problems_visible(user)
        .filter(pk__in=list(problem_ids))
        .select_related("inspection__organization", "inspection__round__body", "inspection__round__term")
        .order_by("inspection__organization__path", "found_on", "pk")
    )


# --- proposals ------------------------------------------------------------------------------------


def can_propose(user, body: InspectionBody) -> bool:
    """The office that plans ``body``'s rounds proposes from its common problems."""
    return is_office_of(user, Perm.ROUND_MANAGE, body)


PROPOSE = Action(
    can_propose, gettext_lazy("只有本机构巡视巡察办可以根据共性问题提出专项巡视巡察或制度建设建议。")
)


def bodies_proposing(user) -> QuerySet[InspectionBody]:
    """The bodies for which the user may propose, by code."""
    return bodies_of_office(user, Perm.ROUND_MANAGE).order_by("code")


def body_found_most(group: CommonGroup, bodies: QuerySet[InspectionBody]) -> InspectionBody | None:
    """The body a proposal from ``group`` is for unless the office picks another: of ``bodies`` (those
    the user may propose for), the only one when there is one, else the one whose rounds found most of
    the group's problems (on a tie, the first by code); ``None`` when none of them found any."""
    choices = list(bodies)
    if len(choices) == 1:
        return choices[0]
    found = Counter(
        Problem.objects.filter(pk__in=group.problem_ids, inspection__round__body__in=choices).values_list(
            "inspection__round__body", flat=True
        )
    )
    return min((b for b in choices if found[b.pk]), key=lambda b: (-found[b.pk], b.code), default=None)


def proposals_visible(user) -> QuerySet[CommonProblemProposal]:
    """Proposals of the bodies whose figures the user may see, the newest first."""
    return CommonProblemProposal.objects.filter(office_q(user, Perm.FIGURES_VIEW, "body")).select_related(
        "body", "round__body", "round__term", "proposed_by"
    )


def proposal_get(user, pk) -> CommonProblemProposal:
    """The proposal if the user may see it (``Http404`` otherwise)."""
    return visible_get(proposals_visible(user), pk)


def read_proposals(user, groups: list[CommonGroup]) -> None:
    """Fill each group's proposals: those the user may see that rest on any of its problems, the
    newest first (a group already proposed says so, so it is not proposed twice by mistake)."""
    ids = {pk for g in groups for pk in g.problem_ids}
    through = CommonProblemProposal.problems.through.objects.filter(problem_id__in=ids).values_list(
        "commonproblemproposal_id", "problem_id"
    )
    resting: dict[int, set[int]] = defaultdict(set)
    for proposal_id, problem_id in through:
        resting[proposal_id].add(problem_id)
    proposals = list(proposals_visible(user).filter(pk__in=list(resting)))
    for g in groups:
        mine = set(g.problem_ids)
        g.proposals = [p for p in proposals if resting[p.pk] & mine]


def proposals_of_round(round_: Round) -> QuerySet[CommonProblemProposal]:
    return CommonProblemProposal.objects.filter(round=round_)


@dataclass
class PlaceGroup:
    """Organisations a round's common problems were found at, of one place: the organisations under
    one unit directly under the body's committee (``area`` set; a district's towns and villages, a
    street's communities), or those of one kind directly under it (``kind`` set; its departments,
    its SOEs). Organisations outside the committee's tree are placed likewise under the top of the
    tree (by district). Each organisation comes with how many of the problems were found there, the
    most first."""

    label: str
    rows: list[tuple[Organization, int]]
    area: Organization | None = None
    kind: str = ""

    @property
    def problems(self) -> int:
        return sum(n for _org, n in self.rows)


def places_of_proposals(body: InspectionBody, proposals) -> list[PlaceGroup]:
    """Where the problems of ``proposals`` were found, grouped by place under ``body``'s committee
    (``PlaceGroup``), the groups with most organisations first."""
    found = Counter(
        org_id
        for _pk, org_id in Problem.objects.filter(common_proposals__in=list(proposals))
        .values_list("pk", "inspection__organization_id")
        .distinct()
    )
    owner = body.owner_org
    by_area: dict[str, list[Organization]] = defaultdict(list)
    by_kind: dict[str, list[Organization]] = defaultdict(list)
    for org in Organization.objects.in_bulk(found).values():
        # An area is a unit directly under the committee, or for one outside its tree (a problem of
        # another district grouped in), directly under the top of the tree.
        top = owner.path if org.path.startswith(owner.path) else org.path[:PATH_STEP]
        area = org.path[: len(top) + PATH_STEP]
        if len(org.path) > len(area):
            by_area[area].append(org)
        else:
            by_kind[org.kind].append(org)

    def rows(members):
        return sorted(((o, found[o.pk]) for o in members), key=lambda row: (-row[1], row[0].path))

    areas = {o.path: o for o in Organization.objects.filter(path__in=list(by_area))}
    groups = [PlaceGroup(area_label(areas[p]), rows(m), area=areas[p]) for p, m in by_area.items()]
    groups += [PlaceGroup(str(OrgKind(k).label), rows(m), kind=k) for k, m in by_kind.items()]
    return sorted(groups, key=lambda g: (-len(g.rows), -g.problems, g.label))


def targets_of_proposals(round_: Round, proposals) -> list[Organization]:
    """The organisations where the problems of ``proposals`` were found that ``round_`` may take as
    targets and has not yet: under its body's committee (not the committee itself), in tree order."""
    owner = round_.body.owner_org.path
    taken = round_.inspections.values_list("organization_id", flat=True)
    return list(
        Organization.objects.filter(
            pk__in=Problem.objects.filter(common_proposals__in=list(proposals)).values(
                "inspection__organization_id"
            ),
            path__startswith=owner,
        )
        .exclude(path=owner)
        .exclude(pk__in=taken)
        .order_by("path")
    )


def problem_counts(proposals) -> dict[int, int]:
    """How many problems each proposal rests on, by proposal id."""
    counts: dict[int, int] = defaultdict(int)
    through = CommonProblemProposal.problems.through.objects.filter(
        commonproblemproposal_id__in=[p.pk for p in proposals]
    )
    for proposal_id in through.values_list("commonproblemproposal_id", flat=True):
        counts[proposal_id] += 1
    return counts
