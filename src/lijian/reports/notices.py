"""The three notices (通报) a body issues in its committee's name: the rectification notice
(整改情况通报: the organisations below the line and what follows for them, as the records say), the
naming notice on patrol work (点名道姓通报, from a confirmed yearly assessment) and the self-inspection
notice (自查通报, from a closed self-inspection). Each is a ``Paper`` with every number a ``Figure``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from lijian.analytics.figures import rectification_figures
from lijian.documents.gbt9704 import Heading, Letterhead, Paper, Paragraph, Table, cn_date
from lijian.findings.choices import DepartmentKind
from lijian.findings.selectors import departments_of
from lijian.guidance.choices import NamingWho
from lijian.guidance.selectors import naming_notice_content, self_inspection_notice_content
from lijian.orgs.models import InspectionBody
from lijian.rectification.rates import rates_by_organization

from . import selectors
from .text import COMMITTEES, Book, committee, join, list_href, period_text, records_href, work


def letterhead_of(body: InspectionBody) -> dict:
    """The 红头 of a notice the body issues: the red organ mark (its name + 文件, e.g.
    "中共天津市委巡视工作领导小组办公室文件") and the red rule. Notices are 红头 documents; the work report
    to the committee is not."""
    return {"organ_mark": f"{body.name}文件", "letterhead": Letterhead.RED}


def printer_of(body: InspectionBody) -> str:
    """The 印发机关 of the body's notices: its office — the body itself when its name already says
    it is one (中共天津市委巡视工作领导小组办公室, 和平区委巡察办), else its name + 办公室."""
    return body.name if body.name.endswith(("办公室", "办")) else f"{body.name}办公室"


def copies_of(body: InspectionBody) -> list[str]:
    """The 抄送机关 of the body's notices: the inspection body above its committee (by its short
    name, 市委巡视办), then the committee's discipline commission and organisation department as its
    "1+3+N" departments record them (市纪委监委, 市委组织部), or by their usual short names when
    none is recorded (区纪委监委, 区委组织部; a department's or institution's 派驻纪检监察组 and
    组织人事部门)."""
    copies = []
    higher = body.owner_org.supervising_body
    if higher is not None and higher.pk != body.pk:
        copies.append(f"{committee(higher)}{work(higher)}办")
    c = committee(body)
    territorial = c in COMMITTEES.values()  # 市委, 区委 …: not a department's 党组
    usual = {
        DepartmentKind.DISCIPLINE: f"{c[0]}纪委监委" if territorial else "派驻纪检监察组",
        DepartmentKind.ORGANISATION: f"{c}组织部" if territorial else "组织人事部门",
    }
    recorded = departments_of(body.owner_org_id).filter(kind__in=list(usual)).order_by("order", "code")
    for kind, name in usual.items():
        names = [d.name for d in recorded if d.kind == kind]
        copies += names or [name]
    return list(dict.fromkeys(copies))


def record_of(body: InspectionBody, on) -> dict:
    """The record block (版记) of a notice the body issues, dated ``on`` (the as-of date of a draft;
    issuing dates it the issue day): 抄送 (``copies_of``), 印发机关 (``printer_of``) and 印发日期."""
    return {"cc": copies_of(body), "printer": printer_of(body), "printed_on": on}


# --- 整改情况通报 -----------------------------------------------------------------------------------


def _consequences(body, term, on, organization) -> tuple[str, str, str]:
    """What the records say follows for an organisation below the line: its self-criticism, its
    interviews and its accountability, each as of ``on``."""
    criticism = selectors.self_criticism_of(body, term, organization, on)
    if criticism is None:
        check = "尚未认定"
    elif criticism.accepted_on and criticism.accepted_on <= on:
        check = f"已通过（{cn_date(criticism.accepted_on)}）"
    elif criticism.submitted_on and criticism.submitted_on <= on:
        check = f"已提交，待审核（{cn_date(criticism.submitted_on)}）"
    else:
        late = "，已逾期" if criticism.due_on < on else ""
        check = f"须于{cn_date(criticism.due_on)}前向{committee(body)}作出深刻检查{late}"
    talks = selectors.interviews_of(body, term, on, organization)
    interview = "；".join(f"{i.interviewer}约谈{i.interviewee}（{cn_date(i.held_on)}）" for i in talks) or "—"
    actions = selectors.accountability_of(body, term, on, organization)
    held = (
        "；".join(f"{a.subject_name}（{a.subject_post}）：{a.get_action_display()}" for a in actions) or "—"
    )
    return check, interview, held


def rectification_notice(body: InspectionBody, params: dict, as_of) -> Paper:
    """整改情况通报 of ``body`` for the term (or year) in ``params`` as of ``as_of``: the organisations
    fed back, those whose implementation rate is below the body's line (past their rectification
    period) with their rates, and what follows for each as the records say.

    Raises ``ValidationError`` for a term the body has not, or when no organisation has been fed back."""
    period = selectors.period_of(body, params, as_of)
    term, on = period.term, period.on
    figures = rectification_figures(body, term, on)
    fed = figures["organizations_fed_back"]
    if not fed.value:
        raise ValidationError(
            _("%(body)s%(term)s截至%(day)s尚未向被巡视巡察党组织反馈，无整改情况可通报。")
            % {"body": body.name, "term": term.name, "day": on.isoformat()}
        )
    c, w, book = committee(body), work(body), Book(body, term, on)
    below = figures["organizations_below_threshold"]
    threshold = book.put(
        "rectification_threshold",
        _("整改落实到位率警戒线"),
        body.rectification_threshold / 100,
        _("本机构设定的整改落实到位率警戒线，低于此值须向党委作出深刻检查。"),
        list_href("orgs:body_detail", body.pk),
        rate=True,
    )
    blocks: list = [
        Paragraph(
            [
                f"为压实{w}整改主体责任，根据{c}关于整改落实到位率低于",
                threshold,
                f"的党组织须向{c}作出深刻检查的要求，现将截至{cn_date(on)}{term.name}{w}整改情况通报如下。",
            ],
            "opening",
        ),
        Heading(_("一、总体情况")),
        Paragraph(
            [
                f"{term.name}{c}已向",
                book.of(fed),
                f"个被{w}党组织反馈{w}意见，已销号问题",
                book.of(figures["problems_closed"]),
                "个；整改期满、整改落实到位率低于警戒线的党组织",
                book.of(below),
                "家。",
            ],
            "overall",
        ),
        Heading(_("二、整改落实到位率低于警戒线的党组织")),
    ]
    orgs = list(below.records.order_by("path")) if below.value else []
    if orgs:
        rates = rates_by_organization(body, term, on)
        rows = []
        for i, org in enumerate(orgs, 1):
            rate = rates[org.pk]["implementation_rate"]
            check, interview, held = _consequences(body, term, on, org)
            rows.append(
                [
                    org.name,
                    book.put(
                        f"rate_{i}",
                        _("%(org)s整改落实到位率") % {"org": org.name},
                        rate.value,
                        rate.definition,
                        records_href(body, term, on, "organizations_below_threshold"),
                        rate=True,
                    ),
                    check,
                    interview,
                    held,
                ]
            )
        blocks += [
            Paragraph(
                [f"以下党组织整改落实到位率低于警戒线，{c}责令其作出深刻检查，约谈和问责情况如下。"],
                "below",
            ),
            Table(["党组织", "整改落实到位率", "深刻检查", "约谈", "问责"], rows),
        ]
    else:
        blocks.append(
            Paragraph([f"截至{cn_date(on)}，整改期满的党组织整改落实到位率均不低于警戒线。"], "below")
        )
    blocks += [
        Heading(_("三、有关要求")),
        Paragraph(
            [
                f"各被{w}党组织要切实履行整改主体责任，党组织书记要履行第一责任人责任，对账销号、逐项落实；"
                f"整改落实到位率低于警戒线的党组织要深刻剖析原因，按期向{c}作出深刻检查，"
                f"{c}{w}机构将会同纪检监察机关、组织部门加强日常监督，对整改不力的严肃问责。"
            ],
            "demands",
        ),
    ]
    return Paper(
        title=f"关于{term.name}{c}{w}整改情况的通报",
        blocks=blocks,
        recipients=f"各被{w}党组织：",
        signature=body.name,
        **letterhead_of(body),
        **record_of(body, on),
        as_of=on,
    )


# --- 点名道姓通报 -----------------------------------------------------------------------------------


# Whom one naming notice names (its ``named`` parameter): the seed's city issued two notices for
# one assessment, one naming the district committees, one naming the people; empty names all.
NAMED = {
    "committees": (NamingWho.DISTRICT_COMMITTEE,),
    "persons": (NamingWho.DISTRICT_SECRETARY, NamingWho.DISCIPLINE_SECRETARY, NamingWho.ORGANISATION_HEAD),
}


def named_label(named: str) -> str:
    return {"committees": _("区委"), "persons": _("个人")}.get(named, "")


def naming_params_parse(body: InspectionBody, term: str, year: int | None, named: str = "") -> dict:
    """The naming notice's parameters: those of ``selectors.params_parse`` and ``named`` (a key of
    ``NAMED`` or empty for everyone). Raises ``ValidationError`` on ``named`` for any other value."""
    if named and named not in NAMED:
        raise ValidationError(
            {
                "named": _(
                    "点名对象“%(value)s”无效：应为 committees（区委）或 persons（个人），不填则全部点名。"
                )
                % {"value": named[:40]}
            }
        )
    return {**selectors.params_parse(body, term, year), "named": named}


def naming_notice(body: InspectionBody, params: dict, as_of) -> Paper:
    """点名道姓通报 from the body's confirmed assessment of the year in ``params`` (default: its latest
    one): the district committees, district secretaries, discipline secretaries and organisation-
    department heads confirmed for naming (only the committees or only the people when ``params``
    has ``named``), each with the body and the reason.

    Raises ``ValidationError`` when the body has no confirmed assessment of that year, or it names
    nobody of those asked for."""
    assessment = selectors.assessment_for(body, params.get("year"), as_of)
    if assessment is None:
        raise ValidationError(
            _("%(body)s没有%(year)s已确定结果的巡察工作考核，无法起草点名道姓通报。")
            % {"body": body.name, "year": f"{params['year']}年度" if params.get("year") else ""}
        )
    content = naming_notice_content(assessment)
    named = params.get("named") or ""
    chosen = NAMED.get(named, NamingWho.values)
    if not any(group["count"] for group in content["groups"] if group["who"] in chosen):
        raise ValidationError(
            _("%(a)s没有确定通报的%(who)s。") % {"a": assessment, "who": named_label(named) or _("对象")}
        )
    c, book = committee(body), Book(body, None, as_of)
    counts, groups = [], []
    for group in content["groups"]:
        if not group["count"] or group["who"] not in chosen:
            continue
        unit = "个" if group["who"] == NamingWho.DISTRICT_COMMITTEE else "名"
        figure = book.put(
            f"named_{group['who']}",
            _("点名通报的%(who)s") % {"who": group["label"]},
            group["count"],
            _("%(a)s中确定点名通报的%(who)s数。") % {"a": assessment, "who": group["label"]},
            list_href("guidance:assessment", assessment.pk, who=group["who"], status="confirmed"),
        )
        counts.append([figure, f"{unit}{group['label']}"])
        groups.append(group)
    blocks: list = [
        Paragraph(
            [
                f"根据{assessment.year}年度巡察工作考核评价结果，经{c}同意，现对抓巡察工作不重视、"
                "点人点事不深不透等问题突出的",
                *join(counts),
                "予以点名通报。",
            ],
            "opening",
        )
    ]
    numerals = "一二三四五六七八九"
    for i, group in enumerate(groups):
        blocks.append(Heading(f"{numerals[i]}、{group['label']}"))
        for j, entry in enumerate(group["entries"], 1):
            # A person is named with the committee whose patrol work they answer for.
            who, committee_name = entry["name"], entry["body"].owner_org.name if entry["body"] else ""
            if group["who"] != NamingWho.DISTRICT_COMMITTEE and committee_name and committee_name not in who:
                who = f"{who}（{committee_name}）"
            blocks.append(
                Paragraph([f"{who}：{entry['reason']}。".replace("。。", "。")], f"{group['who']}_{j}")
            )
    blocks += [
        Heading(f"{numerals[len(groups)]}、有关要求"),
        Paragraph(
            [
                "被通报的单位和个人要深刻反思，认真查找在落实巡察主体责任方面存在的差距，"
                f"于通报印发之日起一个月内向{c}书面报告整改情况。各地各单位要引以为戒、举一反三，"
                "切实把巡察工作摆上重要位置，推动巡察工作高质量发展。"
            ],
            "demands",
        ),
    ]
    return Paper(
        title=f"关于{assessment.year}年度巡察工作点名道姓的通报"
        + (f"（{named_label(named)}）" if named else ""),
        blocks=blocks,
        recipients="各区委，市委各部委，市级国家机关各党组（党委），各人民团体党组，各高校党委："
        if c == "市委"
        else "各有关党组织：",
        signature=body.name,
        **letterhead_of(body),
        **record_of(body, as_of),
        as_of=as_of,
    )


# --- 自查通报 ---------------------------------------------------------------------------------------


def self_inspection_notice(body: InspectionBody, params: dict, as_of) -> Paper:
    """自查通报 of the body's latest self-inspection closed in the term or year of ``params`` by
    ``as_of``: what was checked, the problems found and how each was fixed.

    Raises ``ValidationError`` when no self-inspection was closed then."""
    period = selectors.period_of(body, params, as_of)
    item = selectors.self_inspection_for(body, period.start, period.end)
    if item is None:
        raise ValidationError(
            _("%(body)s在%(span)s没有已完成的自查，无法起草自查通报。")
            % {"body": body.name, "span": period_text(period.start, period.end)}
        )
    content = self_inspection_notice_content(item)
    counts = content["counts"]
    c, book = committee(body), Book(body, period.term, period.on)
    href = reverse("guidance:self_inspection", kwargs={"pk": item.pk})

    def put(key, label, n, definition):
        return book.put(key, label, n, definition, href)

    start, end = content["period"]
    blocks: list = [
        Paragraph(
            [
                f"按照{c}关于强化巡视巡察自查的要求，{body.name}对{period_text(start, end)}{content['scope']}巡视巡察工作开展自查，"
                f"于{cn_date(content['closed_on'])}完成。现将自查情况通报如下。"
            ],
            "opening",
        ),
        Heading(_("一、自查的基本情况")),
        Paragraph(
            [
                "本次自查共检查事项",
                put("items", _("自查事项"), counts["items"], _("本次自查登记的自查事项数。")),
                "项，发现问题",
                put("problems", _("发现问题"), counts["problems"], _("自查事项中发现问题的事项数。")),
                "个，已整改",
                put("fixed", _("已整改"), counts["fixed"], _("发现问题的事项中已填写整改完成日期的数量。")),
                "个，正在整改",
                put("open", _("正在整改"), counts["open"], _("发现问题的事项中尚未整改完成的数量。")),
                "个。",
            ],
            "counts",
        ),
    ]
    if content["summary"]:
        blocks.append(Paragraph([content["summary"]], "summary"))
    blocks.append(Heading(_("二、发现的问题及整改情况")))
    if content["problems"]:
        blocks.append(
            Table(
                ["自查事项", "发现的问题", "整改措施", "整改情况"],
                [
                    [
                        p["item"],
                        p["finding"] or "—",
                        p["fix"] or "—",
                        f"{cn_date(p['fixed_on'])}完成" if p["fixed_on"] else "正在整改",
                    ]
                    for p in content["problems"]
                ],
            )
        )
    else:
        blocks.append(Paragraph(["本次自查未发现问题。"], "problems"))
    blocks += [
        Heading(_("三、有关要求")),
        Paragraph(
            [
                "对自查发现的问题，要逐项明确整改责任和时限，尚未整改完成的要加快推进、按期销号；"
                "各地各部门要以自查为契机，切实履行政治责任，推动巡视巡察向纵深发展。"
            ],
            "demands",
        ),
    ]
    return Paper(
        title=f"关于{content['title']}情况的通报",
        blocks=blocks,
        recipients="各有关党组织：",
        signature=body.name,
        **letterhead_of(body),
        **record_of(body, period.on),
        as_of=period.on,
    )
