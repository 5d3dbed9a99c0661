"""The work report (工作报告) of a body for a term or a calendar year, written after the seed's account
(“扛牢主体责任 锻造巡视利剑”): its three parts and their order, its phrases, its tone, with the
body's figures in place of its numbers.

Every number in the text is a ``Figure`` whose key is the analytics key where analytics computes it
(the drill-down lists its records) or a key of this module with its definition; no number is written
as literal text. A part without records says so in a sentence instead of printing a zero as a fact.

Each figure links to the list of exactly the records it counts, so the list's rows equal the figure:
analytics' drill-down for its figures (a rate: the records counted as hit), else a list page narrowed
by hidden filters to this body, term or window and day, and kind (``listed``, ``rounds_href`` …). Two
kinds of figure are not rows: the lower bodies' groups and posts link to the list of those bodies,
whose totals are the figures; the people disciplined and the losses recovered (sums written on
clues) link to the clues answered with some, whose page shows the sum; the body's threshold links to
the body's page.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from lijian.analytics.figures import body_figures
from lijian.documents.gbt9704 import Heading, Paper, Paragraph, cn_date
from lijian.governance.choices import ExposureChannel, MeetingKind
from lijian.guidance.choices import NamingWho
from lijian.inspections.choices import RoundKind
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody
from lijian.rectification.choices import AccountabilityAction

from . import selectors
from .selectors import Period
from .text import Book, book_title, committee, join, list_href, period_text, records_href, work

RECTIFICATION_NOTICE = "rectification_notice"
NAMING_NOTICE = "naming_notice"
SELF_INSPECTION_NOTICE = "self_inspection_notice"

# How the seed names the committees that set up patrol bodies: "16个区、37个部门和16所高校".
OWNER_WORDS = (
    ((OrgKind.DISTRICT_COMMITTEE,), "个区"),
    ((OrgKind.COUNTY_COMMITTEE,), "个县"),
    ((OrgKind.DEPARTMENT,), "个部门"),
    ((OrgKind.UNIVERSITY,), "所高校"),
    ((OrgKind.SOE,), "家国有企业"),
    ((OrgKind.INSTITUTION,), "家事业单位"),
)


class WorkReport:
    """One report being written: the body, its period, its figures and the paper's blocks."""

    def __init__(self, body: InspectionBody, period: Period):
        self.body, self.period = body, period
        self.term, self.on = period.term, period.on
        self.book = Book(body, self.term, self.on)
        self.figures = body_figures(body, self.term, self.on)
        self.c, self.w = committee(body), work(body)
        self.blocks: list = []

    # --- helpers ----------------------------------------------------------------------------------

    def para(self, key: str, *runs) -> None:
        self.blocks.append(Paragraph([r for r in runs if r != ""], key))

    def href(self, key: str) -> str:
        """The drill-down of the analytics figure ``key``."""
        return records_href(self.body, self.term, self.on, key)

    def listed(self, name: str, start, end, **query) -> str:
        """The list ``name`` narrowed to this body's records dated ``start``–``end`` (the governance
        and guidance lists' ``body``/``since``/``until``) and ``query``: the records a count is of."""
        return list_href(name, body=self.body.pk, since=start, until=end, **query)

    def rounds_href(self, **query) -> str:
        """The round list narrowed to this body's rounds of the term started by the report's day (as
        ``selectors.rounds_started`` counts them), and ``query`` (``kind``, ``over``)."""
        return list_href("inspections:rounds", body=self.body.pk, term=self.term.pk, until=self.on, **query)

    def clues_href(self, outcome: str) -> str:
        """The clue list narrowed to this body's clues of the term answered by the report's day with
        some ``outcome`` (a result field summed by a figure): the page shows their sum."""
        return list_href(
            "findings:clues", body=self.body.pk, term=self.term.pk, answered_by=self.on, outcome=outcome
        )

    def accountability_href(self, removed: str) -> str:
        """The accountability list narrowed to this body's actions decided in the term by the report's
        day: the removals (``removed="yes"``) or the other actions over people not removed
        (``"no"``), one row per action."""
        return list_href(
            "rectification:accountability",
            body=self.body.pk,
            since=self.term.start,
            until=min(self.on, self.term.end),
            removed=removed,
        )

    def issued_href(self, kind: str, start, end) -> str:
        """The document list narrowed to the documents of ``kind`` this body issued ``start``–``end``."""
        return list_href(
            "documents:official_list",
            kind=kind,
            status="issued",
            organ=f"{selectors.ORGAN_TYPE}:{self.body.pk}",
            issued_since=start,
            issued_until=end,
        )

    def named_href(self, named, who: str, start, end) -> str:
        """The naming candidates of kind ``who`` confirmed ``start``–``end`` (``named`` the query of
        them): their assessment's page narrowed to them when they are all of one assessment, else
        the list of the body's assessments."""
        assessments = set(named.filter(who=who).values_list("assessment_id", flat=True))
        if len(assessments) != 1:
            return list_href("guidance:assessments")
        return list_href(
            "guidance:assessment", assessments.pop(), who=who, status="confirmed", since=start, until=end
        )

    def head(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(text, level))

    @property
    def since(self) -> str:
        """How the text names the period: 本届, or the year."""
        return f"{self.period.year}年" if self.period.is_year else "本届"

    def window(self):
        """The days the committee's own records are counted over: the year, or (as the seed counts
        them) since the national congress in whose period the term began."""
        if self.period.is_year:
            return self.period.start, self.period.end, f"{self.period.year}年"
        name, opened = selectors.congress_before(self.term.start)
        return opened, self.on, f"党的{name}以来"

    # --- 一、率先垂范，统筹谋划部署 -------------------------------------------------------------------

    def leadership(self) -> None:
        c, w = self.c, self.w
        self.head(_("一、%(c)s率先垂范，统筹谋划部署") % {"c": c})
        self.para(
            "leadership",
            f"始终站在自觉践行“两个维护”、推动党的自我革命的战略高度，坚持中央要求怎么抓，就怎么抓，切实担负{w}工作主体责任。",
        )
        self.head(_("（一）强化政治担当"), 2)
        start, end, since = self.window()
        counts = selectors.count_by(selectors.meetings(self.body, start, end), "kind")
        span = f"{period_text(start, end)}"
        meetings = [
            f"{c}牢牢把握政治方向，聚焦“两个维护”，深化政治{w}，著力从政治上发现和解决问题。把{w}工作纳入全面从严治党战略布局谋划部署，"
        ]
        standing = counts.get(MeetingKind.STANDING_COMMITTEE, 0)
        if standing:
            meetings += [
                f"{since}召开",
                self.book.put(
                    "meetings_standing_committee",
                    _("常委会会议"),
                    standing,
                    _("本机构登记的、%(span)s召开的研究%(w)s工作的常委会会议次数。") % {"span": span, "w": w},
                    self.listed("governance:meetings", start, end, kind=MeetingKind.STANDING_COMMITTEE),
                ),
                f"次常委会会议，第一时间传达学习党中央关于{w}工作决策部署",
            ]
        else:
            meetings.append(f"{since}研究{w}工作的常委会会议尚未登记")
        group = counts.get(MeetingKind.LEADING_GROUP, 0)
        if group:
            meetings += [
                f"；{w}工作领导小组召开会议",
                self.book.put(
                    "meetings_leading_group",
                    _("领导小组会议"),
                    group,
                    _("本机构登记的、%(span)s召开的%(w)s工作领导小组会议次数。") % {"span": span, "w": w},
                    self.listed("governance:meetings", start, end, kind=MeetingKind.LEADING_GROUP),
                ),
                "次",
            ]
        self.para("meetings", *meetings, "。")
        rules = list(selectors.regulations(self.body, start, end))
        if rules:
            names = "".join(book_title(r.name) for r in rules[:3])
            self.para(
                "rules",
                f"强化制度保障，坚持重要事项均以{c}名义发文、部署推动，出台{names}{'等' if len(rules) > 3 else ''}",
                self.book.put(
                    "regulations_issued",
                    _("制度规定"),
                    len(rules),
                    _("本机构登记的、%(span)s印发的制度规定数（含其后修订、废止的）：%(names)s。")
                    % {"span": span, "names": "、".join(book_title(r.name) for r in rules)},
                    self.listed("governance:regulations", start, end),
                ),
                "项制度规定。",
            )
        else:
            self.para("rules", f"{since}以{c}名义出台的{w}工作制度规定尚未登记。")
        self.instructions(start, end, since)
        self.implementation()

    def instructions(self, start, end, since) -> None:
        c, w = self.c, self.w
        self.head(_("（二）坚持亲力亲为"), 2)
        given = selectors.instructions(self.body, start, end)
        total = given.count()
        head = f"{c}书记坚决扛起第一责任人责任，及时听取{w}情况汇报，及时作出具体批示"
        if not total:
            self.para("instructions", head, f"；{since}会议批示尚未登记。")
            return
        closed = given.filter(closed_on__lte=self.on).count()
        span = period_text(start, end)
        self.para(
            "instructions",
            head,
            f"，{since}在会议上作出批示",
            self.book.put(
                "instructions_given",
                _("会议批示"),
                total,
                _("%(span)s召开的本机构会议上作出的批示件数。") % {"span": span},
                self.listed("governance:instructions", start, end),
            ),
            "件，已办结",
            self.book.put(
                "instructions_closed",
                _("批示已办结"),
                closed,
                _("上述批示中，办结日期不晚于参考日期的件数。"),
                self.listed("governance:instructions", start, end, closed_until=self.on),
            ),
            "件，每件都明确承办单位和落实期限、跟踪问效。",
        )

    def implementation(self) -> None:
        c, w, f, book = self.c, self.w, self.figures, self.book
        self.head(_("（三）强力推动实施"), 2)
        rounds = selectors.rounds_started(self.body, self.term, self.on)
        by_kind = selectors.count_by(rounds, "kind")
        runs: list = [
            f"{c}{w}工作领导小组认真履职，主动作为，科学谋划安排，强化组织协调，统筹常规、专项等组织形式，大力度推进全覆盖。"
        ]
        if not f["rounds"].value:
            self.para("rounds", *runs, f"{self.since}尚未开展{w}。")
            return
        runs += [
            f"{self.since}{c}已开展",
            book.of(f["rounds"], href=self.rounds_href()),
            f"轮共{w}",
            book.of(f["inspected_organizations"]),
        ]
        runs += ["个党组织，发现", book.of(f["problems_found"]), "个问题"]
        kinds = [
            [
                f"{RoundKind(kind).label.replace('巡视巡察', w)}",
                book.put(
                    f"rounds_{kind}",
                    _("%(kind)s轮次") % {"kind": RoundKind(kind).label},
                    n,
                    _("上述轮次中类型为该类型的轮次数。"),
                    self.rounds_href(kind=kind),
                ),
                "轮",
            ]
            for kind, n in sorted(by_kind.items())
        ]
        if len(kinds) > 1:
            runs += ["（其中", *join(kinds), "）"]
        runs += [
            "；本届应",
            w,
            "党组织",
            book.of(f["jurisdiction_organizations"]),
            "个，覆盖率",
            book.of(f["term_coverage"]),
            "。",
        ]
        runs.append(
            "突出严肃认真，强化斗争精神，在发现问题、"
            + f"{w}反馈、推动整改等各环节都敢于动真碰硬，不断提升{w}质量。"
        )
        self.para("rounds", *runs)
        self.soe()
        self.clues()
        self.self_inspection()

    def soe(self) -> None:
        soe = self.figures.get(f"coverage_{OrgKind.SOE}")
        if soe is None:
            return
        w, book = self.w, self.book
        if not soe.numerator:
            total = book.of(
                soe,
                part="denominator",
                key="soe_total",
                label=_("应巡视巡察国企"),
                definition=_("本届内存续过的、由本机构负责巡视巡察的国有企业党委数。"),
            )
            self.para("soe", f"{self.since}尚未对国企开展{w}（应{w}国企", total, "家）。")
            return
        regular = selectors.regular_rounds_over(self.body, self.term, self.on, OrgKind.SOE).count()
        rounds = book.put(
            "rounds_regular_soe",
            _("覆盖国企的常规轮次"),
            regular,
            _("本届开始日期不晚于参考日期、且有国有企业党委已进驻的常规轮次数。"),
            self.rounds_href(kind=RoundKind.REGULAR, over=OrgKind.SOE),
        )
        if soe.numerator and soe.numerator == soe.denominator:
            self.para(
                "soe",
                "组织",
                rounds,
                f"轮常规{w}，完成对",
                book.of(
                    soe,
                    part="numerator",
                    key="soe_inspected",
                    label=_("已巡视巡察国企"),
                    definition=_("上述国有企业党委中，本届已进驻（进驻日期不晚于参考日期）的数量。"),
                ),
                f"家国企{w}全覆盖，助推国企混改。",
            )
        else:
            self.para(
                "soe",
                "组织",
                rounds,
                f"轮常规{w}，已对",
                book.of(
                    soe,
                    part="numerator",
                    key="soe_inspected",
                    label=_("已巡视巡察国企"),
                    definition=_("上述国有企业党委中，本届已进驻（进驻日期不晚于参考日期）的数量。"),
                ),
                f"家国企开展{w}，占应{w}国企",
                book.of(
                    soe,
                    part="denominator",
                    key="soe_total",
                    label=_("应巡视巡察国企"),
                    definition=_("本届内存续过的、由本机构负责巡视巡察的国有企业党委数。"),
                ),
                "家的",
                book.of(soe),
                "。",
            )

    def clues(self) -> None:
        f, book, w = self.figures, self.book, self.w
        if not f["clues_transferred"].value:
            self.para("clues", f"{self.since}{w}尚未向有关部门移交问题线索。")
            return
        runs = [
            "坚持边巡边移、立行立改，向纪检监察机关、组织部门等移交问题线索",
            book.of(f["clues_transferred"]),
        ]
        if not f["clues_fed_back"].numerator:
            self.para("clues", *runs, "件，有关部门尚未反馈办理结果。")
            return
        runs += [
            "件，已反馈",
            book.of(
                f["clues_fed_back"],
                part="numerator",
                key="clues_answered",
                label=_("线索已反馈（件）"),
                definition=_("已移交线索中，反馈日期不晚于参考日期的件数。"),
            ),
            "件，按期反馈率",
            book.of(f["clues_fed_back_on_time"]),
            "；其中立案审查调查",
            book.of(f["cases_opened"]),
            "件，给予党纪政务处分",
            book.of(f["people_disciplined"], href=self.clues_href("party_discipline")),
            "人、组织处理",
            book.of(f["people_organisational_handling"], href=self.clues_href("organisational_handling")),
            "人，移送司法机关",
            book.of(f["people_to_judicial_organs"], href=self.clues_href("judicial_transfers")),
            "人",
        ]
        if f["losses_recovered"].value:
            runs += [
                "，挽回经济损失",
                book.of(f["losses_recovered"], href=self.clues_href("losses_recovered")),
                "万元",
            ]
        self.para("clues", *runs, "。")

    def self_inspection(self) -> None:
        c, book = self.c, self.book
        p = self.period
        done = selectors.self_inspections_closed(self.body, p.start, p.end).count()
        head = "强化巡视巡察自查"
        if not done:
            self.para("self_inspection", head, f"，{self.since}尚未完成自查。")
            return
        notices = selectors.documents_issued(self.body, SELF_INSPECTION_NOTICE, p.start, p.end).count()
        span = period_text(p.start, p.end)
        runs = [
            head,
            "，完成自查",
            book.put(
                "self_inspections_closed",
                _("完成的自查"),
                done,
                _("本机构%(span)s完成的巡视巡察自查次数。") % {"span": span},
                self.listed("guidance:self_inspections", p.start, p.end, status="closed"),
            ),
            "次",
        ]
        if notices:
            runs += [
                f"，将自查情况以{c}名义通报",
                book.put(
                    "self_inspection_notices",
                    _("自查情况通报"),
                    notices,
                    _("本机构%(span)s印发的自查情况通报份数。") % {"span": span},
                    self.issued_href(SELF_INSPECTION_NOTICE, p.start, p.end),
                ),
                "次",
            ]
        self.para("self_inspection", *runs, "，推动各地各部门切实履行政治责任，推动巡视巡察向纵深发展。")

    # --- 二、强化监督问责，压实整改责任 ---------------------------------------------------------------

    def accountability(self) -> None:
        c, w, f, book = self.c, self.w, self.figures, self.book
        self.head(_("二、强化监督问责，压实整改责任"))
        runs = [
            f"{c}坚持把整改作为体现{w}监督成效的关键，加强组织领导，真严真查真问责，以过硬举措把整改责任压实压到位。"
        ]
        if f["organizations_fed_back"].value:
            runs += [
                f"{self.since}已向",
                book.of(f["organizations_fed_back"]),
                f"个被{w}党组织反馈{w}意见，已销号问题",
                book.of(f["problems_closed"]),
                "个。",
            ]
        else:
            runs.append(f"{self.since}尚未向被{w}党组织反馈{w}意见。")
        self.para("rectification", *runs)
        self.head(_("（一）通过约谈传导压力"), 2)
        interviews = f["interviews"]
        if interviews.value:
            units = interviews.records.order_by().values("organization").distinct().count()
            self.para(
                "interviews",
                f"针对{w}发现履责不力的问题，{c}领导带头开展约谈，共约谈",
                book.put(
                    "interviewed_organizations",
                    _("约谈的单位"),
                    units,
                    _("本机构在本届内、不晚于参考日期约谈的不同被巡视巡察党组织数。"),
                    list_href(
                        "rectification:interviews",
                        body=self.body.pk,
                        since=self.term.start,
                        until=min(self.on, self.term.end),
                        first=1,
                    ),
                ),
                "个单位“一把手”。",
            )
        else:
            self.para("interviews", f"{self.since}尚未登记针对{w}整改的约谈。")
        self.head(_("（二）强化整改问责"), 2)
        threshold = book.put(
            "rectification_threshold",
            _("整改落实到位率警戒线"),
            self.body.rectification_threshold / 100,
            _("本机构设定的整改落实到位率警戒线，低于此值须向党委作出深刻检查。"),
            list_href("orgs:body_detail", self.body.pk),
            rate=True,
        )
        below = f["organizations_below_threshold"]
        if below.value:
            runs = [
                "向整改不力问题下重拳、下狠手、下猛药，责令整改落实到位率低于",
                threshold,
                "的",
                book.of(below),
                f"家党组织，向{c}作出深刻检查",
            ]
            if f["self_criticisms_due"].value:
                # The three counts run over every assessment of the term, earlier ones included, so
                # they are said as the term's totals, not as the papers of the organisations just named.
                runs += ["；本届以来累计责令作出深刻检查", book.of(f["self_criticisms_due"]), "份"]
                runs += ["，已提交", book.of(f["self_criticisms_submitted"]), "份"]
                runs += ["、已通过", book.of(f["self_criticisms_accepted"]), "份"]
            runs.append("；")
        else:
            runs = ["截至", cn_date(self.on), "，没有整改落实到位率低于", threshold, "的党组织；"]
        runs += self._held_accountable()
        self.para("self_criticisms", *runs)
        self.head(_("（三）点名道姓通报曝光"), 2)
        self.exposure()

    def _held_accountable(self) -> list:
        w, book = self.w, self.book
        actions = self.figures["accountability_actions"].records
        if actions is None or not actions.exists():
            return [f"{self.since}尚未登记因整改不力的问责。"]
        removal = actions.filter(action=AccountabilityAction.REMOVAL)
        removed = set(removal.values_list("organization", "subject_name"))
        others = set(
            actions.exclude(action=AccountabilityAction.REMOVAL).values_list("organization", "subject_name")
        )
        runs: list = []
        if others - removed:
            runs += [
                "对",
                book.put(
                    "people_accountable_not_removed",
                    _("被问责（免职以外）"),
                    len(others - removed),
                    _(
                        "本机构在本届内、决定日期不晚于参考日期的问责中，受免职以外方式问责且未被免职的不同人员数（同一党组织的同一姓名计为一人）。"
                    ),
                    self.accountability_href("no"),
                ),
                f"名履行{w}整改责任不力的党员领导干部严肃问责",
            ]
        if removed:
            runs += [
                "，对" if runs else "对",
                book.put(
                    "people_removed",
                    _("免职"),
                    len(removed),
                    _("本机构在本届内、决定日期不晚于参考日期的问责中，被免职的不同人员数。"),
                    self.accountability_href("yes"),
                ),
                "名履行责任不到位的党员领导干部予以免职",
            ]
        return [*runs, "。"]

    def exposure(self) -> None:
        c, w, book = self.c, self.w, self.book
        start, end, since = self.window()
        span = period_text(start, end)
        channels = selectors.count_by(selectors.exposures(self.body, start, end), "channel")
        runs: list = []
        conference = channels.get(ExposureChannel.CADRE_CONFERENCE, 0)
        if conference:
            runs += [
                f"{c}召开领导干部大会等通报{w}情况",
                book.put(
                    "exposures_cadre_conference",
                    _("干部大会通报"),
                    conference,
                    _("本机构登记的、%(span)s在干部大会上通报的次数。") % {"span": span},
                    self.listed("governance:exposures", start, end, channel=ExposureChannel.CADRE_CONFERENCE),
                ),
                "次，",
            ]
        p = self.period
        notices = selectors.documents_issued(self.body, RECTIFICATION_NOTICE, p.start, p.end).count()
        if notices:
            runs += [
                self.book.put(
                    "rectification_notices",
                    _("整改情况通报"),
                    notices,
                    _("本机构%(span)s印发的整改情况通报份数。") % {"span": period_text(p.start, p.end)},
                    self.issued_href(RECTIFICATION_NOTICE, p.start, p.end),
                ),
                "次发文通报整改情况。",
            ]
        else:
            runs.append(f"{self.since}尚未印发整改情况通报。")
        media = channels.get(ExposureChannel.CENTRAL_MEDIA, 0) + channels.get(ExposureChannel.LOCAL_MEDIA, 0)
        if media:
            runs += [
                "在中央和地方媒体对",
                book.put(
                    "exposures_media",
                    _("媒体公开曝光"),
                    media,
                    _("本机构登记的、%(span)s在中央和地方媒体公开曝光的案例次数。") % {"span": span},
                    self.listed("governance:exposures", start, end, media=1),
                ),
                f"个相关案例进行公开曝光，切实让违纪违法党员干部真羞真耻，让被{w}党组织诚心整改，让广大党员干部受警醒、明底线、知敬畏。",
            ]
        else:
            runs.append(f"{since}在媒体公开曝光的案例尚未登记。")
        self.para("exposure", *runs)

    # --- 三、加强领导督导，提升巡察质量 ---------------------------------------------------------------

    def guidance(self) -> None:
        c, book = self.c, self.book
        lower = selectors.lower_patrol_bodies(self.body)
        if not lower.exists():
            return
        self.head(_("三、加强领导督导，提升巡察质量"))
        self.para(
            "guidance",
            f"{c}把巡察工作作为推动全面从严治党在基层见到实效的重要抓手，压实下级党委主体责任，切实加强领导和指导督导，持续做深做实做细。",
        )
        self.head(_("（一）坚持高位推动，一体统筹谋划"), 2)
        href = list_href("orgs:bodies", below=self.body.pk)
        by_owner = selectors.count_by(lower, "owner_org__kind")
        parts = []
        for kinds, word in OWNER_WORDS:
            n = sum(by_owner.get(k, 0) for k in kinds)
            if n:
                parts.append(
                    [
                        book.put(
                            f"patrol_bodies_{kinds[0]}",
                            _("设立巡察机构的%(kind)s") % {"kind": OrgKind(kinds[0]).label},
                            n,
                            _("本机构所属党委以下、所属党委为该类的巡察机构数（按当前台账）。"),
                            list_href("orgs:bodies", below=self.body.pk, owner_kind=kinds[0]),
                        ),
                        word,
                    ]
                )
        rest = lower.count() - sum(by_owner.get(k, 0) for kinds, _w in OWNER_WORDS for k in kinds)
        if rest:
            parts.append(
                [
                    book.put(
                        "patrol_bodies_other",
                        _("设立巡察机构的其他单位"),
                        rest,
                        _("其余巡察机构数（按当前台账）。"),
                        list_href(
                            "orgs:bodies",
                            below=self.body.pk,
                            owner_kind_not=[k for kinds, _w in OWNER_WORDS for k in kinds],
                        ),
                    ),
                    "个其他单位",
                ]
            )
        groups = selectors.active_groups(lower).count()
        posts = lower.aggregate(n=Sum("authorized_posts"))["n"] or 0
        runs = [
            "目前，",
            *join(parts),
            "设立巡察机构，共设立",
            book.put(
                "patrol_groups", _("巡察组"), groups, _("上述巡察机构在用的巡察组数（按当前台账）。"), href
            ),
            "个巡察组，落实编制",
            book.put(
                "patrol_posts", _("巡察机构编制"), posts, _("上述巡察机构的编制数合计（按当前台账）。"), href
            ),
            "名",
        ]
        pool = selectors.pool(self.body).count()
        if pool:
            runs += [
                "，建成巡视巡察人才库（入库",
                book.put(
                    "pool_size",
                    _("人才库人数"),
                    pool,
                    _("所属党委以下单位的干部中列入巡视巡察人才库的人数（按当前台账）。"),
                    list_href("people:pool", under=self.body.owner_org.pk, in_pool=1),
                ),
                "人）",
            ]
        self.para("patrol_bodies", *runs, "，选派优秀年轻干部参加巡察工作。")
        self.head(_("（二）健全制度机制，倒逼责任落实"), 2)
        self.reviews_and_naming()
        self.head(_("（三）强化指导推进，提升监督效果"), 2)
        self.grassroots()

    def reviews_and_naming(self) -> None:
        book, p = self.book, self.period
        reviews = selectors.material_reviews(self.body, p.start, p.end).count()
        runs: list = ["建立审阅下级党委书记专题会听取巡察情况汇报材料制度"]
        if reviews:
            runs += [
                f"，{self.since}审阅材料",
                book.put(
                    "material_reviews",
                    _("审阅的专题会材料"),
                    reviews,
                    _("本机构%(span)s收到并审阅的下级党委书记专题会听取巡察情况汇报材料份数。")
                    % {"span": period_text(p.start, p.end)},
                    self.listed("guidance:reviews", p.start, p.end),
                ),
                "份",
            ]
        runs.append("，落实工作约谈、考核评价、责任追究等机制，督促各地强化责任担当。")
        if p.is_year:
            year, when = p.year, "本年度"
        else:
            year, when = self.on.year - 1, "去年"
        start, end = max(datetime.date(year, 1, 1), p.term.start), min(datetime.date(year, 12, 31), self.on)
        named = selectors.naming_confirmed(self.body, start, end) if start <= end else None
        counts = selectors.count_by(named, "who") if named is not None else {}
        if not counts:
            runs.append(f"{when}没有点名通报。")
            self.para("naming", *runs)
            return
        span = period_text(start, end)
        notices = selectors.documents_issued(self.body, NAMING_NOTICE, start, end).count()
        runs.append(when)
        if notices:
            runs += [
                book.put(
                    "naming_notices",
                    _("点名道姓通报"),
                    notices,
                    _("本机构%(span)s印发的点名道姓通报份数。") % {"span": span},
                    self.issued_href(NAMING_NOTICE, start, end),
                ),
                "次",
            ]
        groups = []
        for who in NamingWho.values:
            n = counts.get(who, 0)
            if n:
                label = NamingWho(who).label
                unit = "个" if who == NamingWho.DISTRICT_COMMITTEE else "名"
                groups.append(
                    [
                        book.put(
                            f"named_{who}",
                            _("点名通报的%(who)s") % {"who": label},
                            n,
                            _("本机构%(span)s确定点名通报的%(who)s数。") % {"span": span, "who": label},
                            self.named_href(named, who, start, end),
                        ),
                        f"{unit}{label}",
                    ]
                )
        # The seed names the committees, and (和) the people: 11个区委和5名区委书记、1名区纪委书记.
        named = [*groups[0], "和", *join(groups[1:], last="、")] if len(groups) > 1 else groups[0]
        runs += ["向全市点名通报" if self.c == "市委" else "点名通报", *named]
        runs.append("，严肃指出抓巡察不重视、点人点事不深不透等问题。")
        self.para("naming", *runs)

    def grassroots(self) -> None:
        f, book = self.figures, self.book
        runs = [
            "坚持以巡视带巡察、以巡察助巡视，统筹指导开展“统配巡”“同步巡”“协作巡”“接力巡”，混合编组、交叉巡察，形成监督合力。"
            "坚持一竿子插到底，推动巡察向基层延伸，巡镇带村、巡街带社区，走村入户到群众身边，截至",
            cn_date(self.on),
            "巡察",
            book.of(f["patrolled_organizations"]),
            "个党组织",
        ]
        grass = f["grassroots_coverage"]
        if grass.denominator:
            runs += ["，村、社区党组织巡察覆盖率达到", book.of(grass)]
        self.para("grassroots", *runs, "。")

    # --- the paper ----------------------------------------------------------------------------------

    def paper(self) -> Paper:
        c, w = self.c, self.w
        p = self.period
        scope = f"{p.year}年" if p.is_year else f"{p.term.name}（{period_text(p.term.start, self.on)}）"
        self.para(
            "opening",
            f"{self.body.owner_org.name}坚决落实党中央关于{w}工作部署要求，落实{w}主体责任，强化组织领导，推动新时代{w}工作高质量发展。"
            f"现将{scope}{w}工作情况报告如下。",
        )
        self.leadership()
        self.accountability()
        self.guidance()
        title = f"关于{scope if p.is_year else p.term.name}{c}{w}工作情况的报告"
        return Paper(
            title=title,
            blocks=self.blocks,
            signature=self.body.name,
            as_of=self.on,
            subtitle=f"（数据截至{cn_date(self.on)}）",
        )


def build(body: InspectionBody, params: dict, as_of) -> Paper:
    """The work report of ``body`` for the term or year in ``params`` as of ``as_of``.

    Raises ``ValidationError`` when the body has no such term (``selectors.period_of``) or nothing
    has been done in it yet (no round started)."""
    period = selectors.period_of(body, params, as_of)
    if not selectors.rounds_started(body, period.term, period.on).exists():
        raise ValidationError(
            _("%(body)s%(term)s截至%(day)s尚未开展巡视巡察，无可报告的工作。")
            % {"body": body.name, "term": period.term.name, "day": period.on.isoformat()}
        )
    return WorkReport(body, period).paper()
