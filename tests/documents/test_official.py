"""Official documents: drafting, wording, regenerating, issuing, numbering, versions and downloads,
through the services with the test kind (tests/documents/kind.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents import official, selectors
from lijian.documents.choices import DocumentStatus, RenderStatus
from lijian.documents.gbt9704 import Figure, Paper, Paragraph, cn_date, figures_of, paper_from_dict
from lijian.documents.kinds import ISSUE, document_kind
from lijian.documents.models import DocumentSerial, OfficialDocument
from lijian.documents.wording import apply_wording, check_wording, dates_of, template_of
from lijian.orgs import services as org_services

pytestmark = pytest.mark.usefixtures("kind", "no_pdf")

TODAY = datetime.date.today()


def office(world):
    return world.users[Role.OFFICE_STAFF]


def draft(world, **kw):
    return official.document_draft(actor=office(world), kind="test_notice", organ_id=world.body1.pk, **kw)


def text_of(paper_json) -> str:
    """The paper's paragraphs as printed, each figure by its value."""
    return "\n".join(
        "".join(r if isinstance(r, str) else r.value for r in block.runs)
        for block in paper_from_dict(paper_json).blocks
        if isinstance(block, Paragraph)
    )


def figure_values(paper_json):
    return {f.key: f.value for f in figures_of(paper_from_dict(paper_json))}


def test_a_draft_holds_the_computed_paper_and_a_rendered_first_version(world):
    doc = draft(world, as_of=TODAY)
    assert doc.status == DocumentStatus.DRAFT and doc.serial is None and doc.number == ""
    assert doc.organ_type == "orgs.body" and doc.organ_name == world.body1.name
    assert figure_values(doc.paper) == {"orgs": "2", "streets": "1"}  # 劝业场街道 and its community
    (version,) = doc.versions.all()
    assert version.n == 1 and version.render_status == RenderStatus.DONE
    assert version.docx_name and version.docx_sha256 and not version.pdf_name
    assert "草稿只生成 Word" in version.pdf_note
    assert AuditEvent.objects.filter(action="document.draft", object_id=str(doc.pk)).exists()


def test_issuing_numbers_dates_and_freezes_and_is_final(world):
    doc = draft(world)
    doc = official.document_issue(actor=office(world), document=doc)
    assert doc.status == DocumentStatus.ISSUED
    assert doc.serial == 1 and doc.number == f"巡120101〔{TODAY.year}〕1号"
    paper = paper_from_dict(doc.paper)
    assert paper.number == doc.number and paper.dated == TODAY
    issued = doc.versions.get(n=2)
    assert issued.status == DocumentStatus.ISSUED and issued.paper == doc.paper
    assert "测试中不生成 PDF" in issued.pdf_note  # a server without LibreOffice says why
    event = AuditEvent.objects.get(action="document.issue", object_id=str(doc.pk))
    assert event.after["number"] == doc.number and event.scope_path == world.d1.path
    # Issued is final: no second issue, no rewording, no regenerating.
    with pytest.raises(ValidationError, match="该文书已印发.*不能再印发"):
        official.document_issue(actor=office(world), document=doc)
    with pytest.raises(ValidationError, match="已印发"):
        official.document_wording_edit(actor=office(world), document=doc, wording={"p2": "改"})
    with pytest.raises(ValidationError, match="已印发"):
        official.document_regenerate(actor=office(world), document=doc, as_of=TODAY)
    assert doc.versions.count() == 2


def test_numbers_run_per_organ_kind_and_year(world, kind):
    a, b = draft(world), draft(world)
    other = official.document_draft(actor=world.admin, kind="test_notice", organ_id=world.body2.pk)
    for doc in (a, b, other):
        official.document_issue(actor=world.admin, document=doc)
    a.refresh_from_db(), b.refresh_from_db(), other.refresh_from_db()
    assert (a.serial, b.serial, other.serial) == (1, 2, 1)
    assert DocumentSerial.objects.get(organ_id=world.body1.pk).last == 2


def test_a_refused_issue_takes_no_number(world, kind, monkeypatch):
    from lijian.documents import kinds

    doc, later = draft(world), draft(world)

    def refuse(organ):
        raise ValidationError("机关代字未设置。")

    monkeypatch.setitem(
        kinds.KINDS._entries, "test_notice", (99, kind.__class__(**{**kind.__dict__, "prefix_for": refuse}))
    )
    with pytest.raises(ValidationError):
        official.document_issue(actor=office(world), document=doc)
    monkeypatch.undo()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT and doc.serial is None
    assert official.document_issue(actor=office(world), document=later).serial == 1
    assert official.document_issue(actor=office(world), document=doc).serial == 2


def test_a_number_already_issued_by_the_organ_is_refused(world, kind):
    from lijian.documents import kinds

    # A second kind under the same 机关代字: its own serial 1 would repeat the first kind's number.
    twin = kind.__class__(**{**kind.__dict__, "code": "test_twin", "label": "测试报告"})
    kinds.register_document_kind(twin, order=100)
    try:
        first = official.document_issue(actor=office(world), document=draft(world))
        other = official.document_draft(actor=office(world), kind="test_twin", organ_id=world.body1.pk)
        with pytest.raises(ValidationError, match="已被本机关另一份已印发的文书使用") as refused:
            official.document_issue(actor=office(world), document=other)
        assert first.number in str(refused.value)
        other.refresh_from_db()
        assert other.status == DocumentStatus.DRAFT and other.serial is None and other.number == ""
        assert not DocumentSerial.objects.filter(kind="test_twin").exclude(last=0).exists()
    finally:
        kinds.KINDS.unregister("test_twin")


def test_the_database_refuses_a_number_repeated_within_an_organ(world):
    # The backstop behind the issue service's check: a row written around it (a bulk update, an
    # import) still cannot give an organ's 发文字号 to a second document, of whatever kind.
    first = official.document_issue(actor=office(world), document=draft(world))
    other = draft(world)
    elsewhere = official.document_draft(actor=world.admin, kind="test_notice", organ_id=world.body2.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialDocument.objects.filter(pk=other.pk).update(kind="test_twin", number=first.number)
    # The same text at another organ, and drafts without a number, are fine.
    OfficialDocument.objects.filter(pk=elsewhere.pk).update(number=first.number)
    assert OfficialDocument.objects.filter(organ_id=world.body1.pk, number="").count() == 1


def test_an_issued_document_keeps_its_figures_when_the_records_change(world):
    doc = official.document_issue(actor=office(world), document=draft(world))
    frozen = dict(doc.paper)
    org_services.organization_create(
        actor=world.admin,
        parent=world.d1,
        code="120101002",
        name="和平区小白楼街道党工委",
        kind="street",
        supervising_body=world.body1,
    )
    doc.refresh_from_db()
    assert doc.paper == frozen and figure_values(doc.paper)["streets"] == "1"
    assert doc.versions.get(n=2).paper == frozen
    fresh = draft(world)
    assert figure_values(fresh.paper)["streets"] == "2"


def test_regenerate_recomputes_at_the_new_date_and_keeps_the_wording(world):
    doc = draft(world, as_of=TODAY)
    official.document_wording_edit(
        actor=office(world),
        document=doc,
        wording={"p1": "共有{orgs}个党组织（街道{streets}个）受本机关监督。"},
    )
    org_services.organization_create(
        actor=world.admin,
        parent=world.d1,
        code="120101002",
        name="和平区小白楼街道党工委",
        kind="street",
        supervising_body=world.body1,
    )
    done = official.document_regenerate(actor=office(world), document=doc, as_of=TODAY)
    doc.refresh_from_db()
    assert done.dropped == [] and done.stale_dates == []
    paragraph = paper_from_dict(doc.paper).blocks[1]
    assert paragraph.runs[0] == "共有" and paragraph.runs[1].value == "3" and paragraph.runs[3].value == "2"
    assert [v.n for v in selectors.versions_of(doc)] == [3, 2, 1]
    assert AuditEvent.objects.filter(action="document.regenerate", object_id=str(doc.pk)).exists()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        official.document_regenerate(
            actor=office(world), document=doc, as_of=TODAY + datetime.timedelta(days=1)
        )


def test_regenerate_refreshes_the_dates_of_the_edited_wording(world):
    earlier = TODAY - datetime.timedelta(days=10)
    doc = draft(world, as_of=earlier)
    computed = paper_from_dict(doc.computed).blocks[1]
    assert template_of(computed).startswith("截至{日期1}，") and dates_of(computed) == {
        "日期1": cn_date(earlier)
    }
    official.document_wording_edit(
        actor=office(world),
        document=doc,
        wording={"p1": "受监督的党组织{orgs}个（截至{日期1}），街道{streets}个。"},
    )
    doc.refresh_from_db()
    assert f"（截至{cn_date(earlier)}）" in text_of(doc.paper)
    done = official.document_regenerate(actor=office(world), document=doc, as_of=TODAY)
    doc.refresh_from_db()
    assert done.dropped == [] and done.stale_dates == []
    text = text_of(doc.paper)
    assert f"（截至{cn_date(TODAY)}）" in text and cn_date(earlier) not in text
    assert doc.wording == {"p1": "受监督的党组织{orgs}个（截至{日期1}），街道{streets}个。"}
    with pytest.raises(ValidationError, match=r"引用了不存在的数字“\{日期2\}”.*\{日期1\}"):
        official.document_wording_edit(
            actor=office(world), document=doc, wording={"p1": "{orgs}{streets}，{日期2}"}
        )


def test_a_date_typed_as_text_is_kept_and_named_when_the_date_changes(world):
    earlier = TODAY - datetime.timedelta(days=10)
    doc = draft(world, as_of=earlier)
    typed = f"至{cn_date(earlier)}止，受监督的党组织{{orgs}}个，街道{{streets}}个。"
    official.document_wording_edit(actor=office(world), document=doc, wording={"p1": typed})
    done = official.document_regenerate(actor=office(world), document=doc, as_of=TODAY)
    doc.refresh_from_db()
    assert done.dropped == [] and done.stale_dates == [("第 1 段", cn_date(earlier), cn_date(TODAY))]
    assert doc.wording == {"p1": typed} and cn_date(earlier) in text_of(doc.paper)
    event = AuditEvent.objects.filter(action="document.regenerate", object_id=str(doc.pk)).get()
    assert event.after["dates_kept_as_typed"] == [["第 1 段", cn_date(earlier), cn_date(TODAY)]]
    # Regenerating at the same date again changes no date: nothing to say.
    assert official.document_regenerate(actor=office(world), document=doc, as_of=TODAY).stale_dates == []


def test_a_wording_that_drops_or_invents_a_figure_is_refused(world):
    doc = draft(world)
    with pytest.raises(ValidationError, match=r"删去了数字“\{streets\}”（街道党工委）"):
        official.document_wording_edit(
            actor=office(world), document=doc, wording={"p1": "共{orgs}个，街道 1 个。"}
        )
    with pytest.raises(ValidationError, match=r"引用了不存在的数字“\{villages\}”"):
        official.document_wording_edit(
            actor=office(world),
            document=doc,
            wording={"p1": "共{orgs}个，街道{streets}个，社区{villages}个。"},
        )
    with pytest.raises(ValidationError, match="单独的大括号"):
        official.document_wording_edit(actor=office(world), document=doc, wording={"p1": "{orgs}{streets} }"})
    with pytest.raises(ValidationError, match="不能为空"):
        official.document_wording_edit(actor=office(world), document=doc, wording={"p2": "  "})
    with pytest.raises(ValidationError, match="没有编号为"):
        official.document_wording_edit(actor=office(world), document=doc, wording={"zz": "x"})
    doc.refresh_from_db()
    assert doc.wording == {} and doc.versions.count() == 1
    # A literal brace is written twice; the figure keeps its computed value whatever is typed near it.
    official.document_wording_edit(
        actor=office(world), document=doc, wording={"p1": "{{注}} 街道{streets}个，合计{orgs}个。"}
    )
    doc.refresh_from_db()
    runs = paper_from_dict(doc.paper).blocks[1].runs
    assert runs[0] == "{注} 街道" and runs[1] == Figure(**{**runs[1].__dict__}) and runs[1].value == "1"
    # The computed text again resets the paragraph.
    computed = paper_from_dict(doc.computed).blocks[1]
    official.document_wording_edit(actor=office(world), document=doc, wording={"p1": template_of(computed)})
    doc.refresh_from_db()
    assert doc.wording == {} and doc.paper == doc.computed


def test_wording_that_no_longer_fits_falls_back_to_the_computed_text():
    paper = Paper("t", [Paragraph(["共", Figure("a", "甲", "3"), "个"], "p1")])
    assert check_wording(paper, {"p1": "共{a}个"}) == {}
    shown, dropped = apply_wording(paper, {"p1": "合计{b}个", "gone": "x"})
    assert dropped == ["p1", "gone"] and shown.blocks[0].runs == paper.blocks[0].runs


def test_who_may_draft_issue_and_read(world):
    leader, outsider = world.users[Role.LEADER], world.outsider
    with pytest.raises(PermissionDenied):
        official.document_draft(actor=leader, kind="test_notice", organ_id=world.body1.pk)
    with pytest.raises(Http404):
        official.document_draft(actor=outsider, kind="test_notice", organ_id=world.body1.pk)
    with pytest.raises(ValidationError, match="没有“nope”这种文书"):
        official.document_draft(actor=office(world), kind="nope", organ_id=world.body1.pk)
    with pytest.raises(ValidationError, match="没有名为"):
        draft(world, term="第九届")
    doc = draft(world)
    assert selectors.document_get(leader, doc.pk) == doc
    with pytest.raises(PermissionDenied):
        selectors.document_get(leader, doc.pk, ISSUE)
    with pytest.raises(PermissionDenied):
        official.document_issue(actor=leader, document=doc)
    for user, pk in ((outsider, doc.pk), (leader, "x"), (leader, 10**30)):
        with pytest.raises(Http404):
            selectors.document_get(user, pk)
    assert list(selectors.documents_visible(outsider)) == []
    assert list(selectors.documents_visible(world.users[Role.GROUP_MEMBER])) == []
    assert list(selectors.documents_visible(leader)) == [doc]
    assert document_kind("test_notice").organ_type == "orgs.body"


def test_a_download_is_audited(world):
    doc = draft(world)
    version = doc.versions.get()
    handle = official.version_open(actor=world.users[Role.LEADER], version=version, fmt="docx")
    assert handle.read(2) == b"PK"
    handle.close()
    event = AuditEvent.objects.get(action="document.download")
    assert event.after == {"version": 1, "format": "docx", "sha256": version.docx_sha256}
    with pytest.raises(ValidationError, match="草稿只生成 Word"):
        official.version_open(actor=world.users[Role.LEADER], version=version, fmt="pdf")
    with pytest.raises(ValidationError, match="DOCX 或 PDF"):
        official.version_open(actor=world.users[Role.LEADER], version=version, fmt="exe")


def test_a_document_recorded_as_drafted_and_issued_on_earlier_days_reads_so(world):
    # The demo's history: drafted on the day its figures stand at, issued a week later.
    drafted_on, issued_on = TODAY - datetime.timedelta(days=30), TODAY - datetime.timedelta(days=23)
    with pytest.raises(ValidationError, match="起草日期应在数据截至日期和今天之间"):
        draft(world, as_of=drafted_on, on=drafted_on - datetime.timedelta(days=1))
    doc = draft(world, as_of=drafted_on, on=drafted_on)
    assert timezone.localtime(doc.created_at).date() == drafted_on
    assert timezone.localtime(doc.versions.get(n=1).created_at).date() == drafted_on
    doc = official.document_issue(actor=office(world), document=doc, on=issued_on)
    assert timezone.localtime(doc.issued_at).date() == issued_on
    assert timezone.localtime(doc.versions.get(n=2).created_at).date() == issued_on
