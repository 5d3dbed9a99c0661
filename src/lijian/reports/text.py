"""The small texts the notices and the work report share: numbers written as the seed writes them
(4730, 48%), the committee's short name (市委, 区委), the body's word for its work (巡视, 巡察), the
document number's prefix, and the figures placed in the text with their definition and drill-down."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from lijian.analytics.figures import Figure as Counted
from lijian.documents.gbt9704 import Figure, cn_date
from lijian.orgs.choices import BodyLevel, OrgKind
from lijian.orgs.models import InspectionBody, Term

COMMITTEES = {
    OrgKind.PROVINCIAL_COMMITTEE: "省委",
    OrgKind.MUNICIPAL_COMMITTEE: "市委",
    OrgKind.DISTRICT_COMMITTEE: "区委",
    OrgKind.COUNTY_COMMITTEE: "县委",
}


def number(value: float | int) -> str:
    """A count as the seed writes it: Arabic digits, no separator (4730); an amount keeps at most two
    decimals (12.5)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(rate: float) -> str:
    """A rate from 0 to 1 as a percentage, whole when it rounds to one (47.997% → "48%"), else to a
    tenth ("0.4%")."""
    value = round(rate * 100, 1)
    return f"{int(value)}%" if value.is_integer() else f"{value}%"


def committee(body: InspectionBody) -> str:
    """The short name of the committee the body works for, as the seed writes it (市委, 区委), or
    党委（党组） for a department's or an institution's."""
    return COMMITTEES.get(body.owner_org.kind, "党委（党组）")


def work(body: InspectionBody) -> str:
    """巡视 for an inspection body, 巡察 for a patrol body."""
    return "巡视" if body.level == BodyLevel.INSPECTION else "巡察"


def prefix(body: InspectionBody) -> str:
    """The 机关代字 of the body's document numbers, derived from its committee's name: the city's own
    character (中共天津市委员会 → 津), a district's or another committee's first one (和平区 → 和),
    then 巡办 or 巡察办 — ``津巡办``, ``和巡察办``."""
    name = body.owner_org.name.removeprefix("中共")
    place = name
    for end in ("委员会", "工作委员会", "党组", "党委"):
        place = place.removesuffix(end)
    city, sep, rest = place.partition("市")
    if sep and not rest:  # the city itself: 天津市 → 津
        mark = city[-1:] or name[:1]
    elif sep and rest:  # a district of the city: 天津市和平区 → 和
        mark = rest[:1]
    else:
        mark = place[:1] or body.code[:1]
    return f"{mark}{'巡办' if body.level == BodyLevel.INSPECTION else '巡察办'}"


def book_title(name: str) -> str:
    """A title in 书名号, a title inside it in 单书名号: 《贯彻〈巡视工作条例〉实施办法》."""
    return "《" + name.replace("《", "〈").replace("》", "〉") + "》"


def period_text(start: datetime.date, end: datetime.date) -> str:
    return f"{cn_date(start)}至{cn_date(end)}"


def records_href(body: InspectionBody, term: Term, on: datetime.date, key: str) -> str:
    """The drill-down page of the analytics figure ``key``: the records it counts."""
    query = urlencode({"term": term.pk, "date": on.isoformat()})
    return f"{reverse('analytics:records', kwargs={'pk': body.pk, 'key': key})}?{query}"


def figures_href(body: InspectionBody, term: Term, on: datetime.date) -> str:
    """The body's figures page (staffing and every figure) for the term and day."""
    query = urlencode({"term": term.pk, "date": on.isoformat()})
    return f"{reverse('analytics:body', kwargs={'pk': body.pk})}?{query}"


def list_href(name: str, *args, **query) -> str:
    """A list page (``args`` its URL's arguments) with its filters (empty ones left out; a date as
    ISO text; a list as the parameter repeated)."""
    url = reverse(name, args=args)
    params = {
        k: v.isoformat() if isinstance(v, datetime.date) else v
        for k, v in query.items()
        if v not in (None, "", [], ())
    }
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def join(parts: list, last: str = "和") -> list:
    """Runs joined as the seed lists things: A、B和C (each part a run or a list of runs; ``last``
    before the last part)."""
    out: list = []
    for i, part in enumerate(parts):
        if i:
            out.append(last if i == len(parts) - 1 else "、")
        out.extend(part if isinstance(part, list) else [part])
    return out


class Book:
    """The figures of one paper, each placed once under its own key (the wording editor and the
    appendix need the keys unique). ``put`` makes a figure from a value; ``of`` from an analytics
    figure, linked to its drill-down."""

    def __init__(self, body: InspectionBody, term: Term, on: datetime.date):
        self.body, self.term, self.on = body, term, on
        self.keys: set[str] = set()

    def put(
        self, key: str, label: str, value: float | int, definition: str, href: str = "", *, rate=False
    ) -> Figure:
        if key in self.keys:
            raise ValueError(f"figure {key} placed twice")
        self.keys.add(key)
        text = percent(value) if rate else number(value)
        return Figure(key, str(label), text, str(definition), href)

    def of(
        self,
        figure: Counted,
        *,
        part: str = "",
        key: str = "",
        label: str = "",
        definition: str = "",
        href: str = "",
    ) -> Figure:
        """The analytics ``figure`` (a rate as a percentage; ``part="numerator"`` or
        ``"denominator"`` for one side of it), linked to ``href`` or else to its records when it has
        any (a rate's records are its numerator's)."""
        value = getattr(figure, part) if part else figure.value
        if not href and figure.records is not None and part != "denominator":
            href = records_href(self.body, self.term, self.on, figure.key)
        if not href:
            href = figures_href(self.body, self.term, self.on)
        side = {"numerator": "（分子）", "denominator": "（分母）"}.get(part, "")
        definition = definition or f"{figure.definition}{side}"
        return self.put(
            key or (f"{figure.key}_{part}" if part else figure.key),
            label or figure.label,
            value,
            definition,
            href,
            rate=figure.is_rate and not part,
        )
