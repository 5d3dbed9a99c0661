"""The committee's pages and API: lists with search, paging and export, forms answering bad input with
a message on the field (never a 500), instruction and rule actions, and the menu entry."""

import datetime

import pytest
from django.contrib.messages import get_messages

from lijian.accounts.choices import Role
from lijian.governance import selectors
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation

from ..world import build_governance

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def gov(world):
    return build_governance(world)


@pytest.fixture
def office(world, login):
    return login(world.users[Role.OFFICE_STAFF])


def _flash(response) -> str:
    """The last message the action flashed (earlier ones wait in the cookie until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_the_lists_show_the_records_in_scope_and_export(office, gov):
    for url, shown, hidden in (
        ("/governance/meetings/", gov.meeting1.title, gov.meeting2.title),
        ("/governance/instructions/", gov.instruction1.text, "区委书记"),
        ("/governance/regulations/", gov.regulation1.name, gov.regulation2.name),
        ("/governance/exposures/", gov.exposure1.title, gov.exposure2.title),
    ):
        page = office.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert shown in text and hidden not in text
        exported = office.get(url + "?export=csv")
        assert exported.status_code == 200
        assert shown in b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "主体责任" in office.get("/").content.decode()  # the menu entry


def test_the_rules_registry_is_searched_by_name_number_issuer_status_and_year(office, gov):
    newer = Regulation.objects.create(
        body=gov.regulation1.body,
        name="巡察组干部监督工作办法",
        issuer="区纪委",
        number="区纪发〔2024〕2号",
        issued_on=datetime.date(2024, 2, 1),
    )
    for query, found in (
        ("q=监督", [newer]),
        ("q=区委发", [gov.regulation1]),
        ("q=区纪委", [newer]),
        ("year=2023", [gov.regulation1]),
        ("status=in_force", [newer, gov.regulation1]),
        ("status=repealed", []),
    ):
        page = office.get("/governance/regulations/?" + query)
        assert page.status_code == 200
        assert [r.pk for r in page.context["page"]] == [r.pk for r in found], query
    for bad in ("year=abc", "year=3000", "status=gone"):
        page = office.get("/governance/regulations/?" + bad)
        assert page.status_code == 400, bad
    assert office.get("/governance/regulations/?cursor=%%%").status_code == 400
    assert office.get("/governance/regulations/?sort=nope").status_code == 400


def test_bad_ids_are_not_found(office, gov):
    for url in (
        "/governance/meetings/999999/",
        "/governance/meetings/99999999999999999999/",
        "/governance/regulations/999999/",
        "/governance/exposures/999999/edit/",
        f"/governance/meetings/{gov.meeting2.pk}/",  # another district's
    ):
        assert office.get(url).status_code == 404, url
    assert office.post("/governance/instructions/999999/answer/", {"answer": "x"}).status_code == 404


def test_recording_a_meeting_refuses_a_future_day_on_its_field(office, world):
    data = {
        "body": world.body1.pk,
        "held_on": TOMORROW,
        "kind": "standing_committee",
        "title": "常委会",
        "topics": "议题",
    }
    page = office.post("/governance/meetings/new/", data)
    assert page.status_code == 200
    assert page.context["form"].errors["held_on"] == ["日期不能晚于今天。"]
    assert office.post("/governance/meetings/new/", {**data, "held_on": "2024-13-40"}).status_code == 200
    assert office.post("/governance/meetings/new/", {**data, "body": world.body2.pk}).status_code == 200
    assert not Meeting.objects.exists()
    done = office.post("/governance/meetings/new/", {**data, "held_on": "2024-01-05"})
    meeting = Meeting.objects.get()
    assert done.status_code == 302 and done.url == f"/governance/meetings/{meeting.pk}/"
    edited = office.post(
        f"/governance/meetings/{meeting.pk}/edit/", {**data, "held_on": "2024-01-05", "decisions": "限期整改"}
    )
    assert edited.status_code == 302
    meeting.refresh_from_db()
    assert meeting.decisions == "限期整改"


def test_an_instruction_is_recorded_answered_and_closed_through_the_pages(world, gov, client):
    leader, office_user = world.users[Role.LEADER], world.users[Role.OFFICE_STAFF]
    client.force_login(leader)
    url = f"/governance/meetings/{gov.meeting1.pk}/instruct/"
    page = client.get(url)
    assert page.status_code == 200
    bad = client.post(url, {"given_by": leader.pk, "text": "抓紧", "due_on": "2024-01-01"})
    assert "assignee_name" in bad.context["form"].errors  # neither an account nor a name
    bad = client.post(
        url, {"given_by": leader.pk, "text": "抓紧", "assignee_name": "区委巡察办", "due_on": "2024-01-01"}
    )
    assert bad.context["form"].errors["due_on"] == ["落实期限不能早于批示日期（2024-03-01）。"]
    done = client.post(
        url, {"given_by": leader.pk, "text": "抓紧整改", "assignee": office_user.pk, "due_on": "2030-01-01"}
    )
    instruction = MeetingInstruction.objects.get(text="抓紧整改")
    assert done.status_code == 302 and done.url.endswith(f"#instruction-{instruction.pk}")
    # the leader may not answer; the office may, with an answer
    assert (
        client.post(f"/governance/instructions/{instruction.pk}/answer/", {"answer": "x"}).status_code == 403
    )
    client.force_login(office_user)
    empty = client.post(f"/governance/instructions/{instruction.pk}/answer/", {})
    assert empty.status_code == 302 and _flash(empty)  # the form's message, nothing changed
    instruction.refresh_from_db()
    assert instruction.status == "open"
    client.post(f"/governance/instructions/{instruction.pk}/answer/", {"answer": "已督促整改"})
    assert client.post(f"/governance/instructions/{instruction.pk}/close/").status_code == 403
    unknown = client.post(f"/governance/instructions/{instruction.pk}/burn/")
    assert unknown.status_code == 302 and _flash(unknown) == "未知的操作。"
    client.force_login(leader)
    client.post(f"/governance/instructions/{instruction.pk}/close/")
    instruction.refresh_from_db()
    assert instruction.status == "closed"
    page = client.get(f"/governance/meetings/{gov.meeting1.pk}/")
    assert "已办结" in page.content.decode()


def test_a_rule_is_revised_and_restored_from_its_page(office, gov):
    url = f"/governance/regulations/{gov.regulation1.pk}/"
    assert office.get(url).status_code == 200
    refused = office.post(url + "revise/", {"on": "2024-01-01"})
    assert _flash(refused) == "已修订的制度须指明修订后的制度。"
    bad = office.post(url + "revise/", {"replaced_by": "abc"})
    assert _flash(bad) == "请从列表中选择修订后的制度。"
    other = office.post(url + "revise/", {"replaced_by": gov.regulation2.pk})  # another body's
    assert _flash(other) == "请从列表中选择修订后的制度。"
    newer = Regulation.objects.create(
        body=gov.regulation1.body,
        name="巡察工作实施办法（修订）",
        issuer="区委",
        issued_on=datetime.date(2024, 1, 1),
    )
    office.post(url + "revise/", {"replaced_by": newer.pk, "on": "2024-01-01"})
    gov.regulation1.refresh_from_db()
    assert gov.regulation1.status == "revised" and gov.regulation1.replaced_by == newer
    assert "巡察工作实施办法（修订）" in office.get(url).content.decode()
    office.post(url + "restore/")
    gov.regulation1.refresh_from_db()
    assert gov.regulation1.status == "in_force"


def test_an_exposure_refuses_unknown_links_on_their_fields(office, world, gov):
    data = {
        "body": world.body1.pk,
        "title": "典型案例",
        "summary": "情况",
        "channel": "internal",
        "outlet": "全区干部大会",
        "published_on": "2024-07-01",
    }
    page = office.post(
        "/governance/exposures/new/", {**data, "organization": "NOPE", "problem": "P0", "accountability": "x"}
    )
    errors = page.context["form"].errors
    assert set(errors) == {"organization", "problem", "accountability"}
    page = office.post("/governance/exposures/new/", {**data, "organization": world.t2.code})
    assert page.context["form"].errors["organization"] == ["该党组织不在本机构的管辖范围内。"]
    done = office.post("/governance/exposures/new/", {**data, "organization": world.v1.code})
    exposure = CaseExposure.objects.get(title="典型案例")
    assert done.url == f"/governance/exposures/{exposure.pk}/"
    assert office.get(f"/governance/exposures/{exposure.pk}/edit/").status_code == 200


def test_the_api_filters_like_the_pages(office, gov):
    rows = office.get("/api/governance/regulations/?q=区委发").json()
    assert [r["id"] for r in rows["items"]] == [gov.regulation1.pk]
    assert office.get("/api/governance/regulations/?year=2022").json()["items"] == []
    assert office.get("/api/governance/regulations/?year=abc").status_code == 422
    assert office.get("/api/governance/meetings/?kind=nope").status_code == 422
    assert (
        office.get("/api/governance/exposures/?channel=website").json()["items"][0]["title"]
        == gov.exposure1.title
    )
    assert office.get(f"/api/governance/meetings/{gov.meeting2.pk}").status_code == 404
    items = office.get("/api/governance/meeting-instructions/?status=open").json()["items"]
    assert [i["id"] for i in items] == [gov.instruction1.pk]
    body = gov.meeting1.body_id
    assert len(office.get(f"/api/governance/meetings/?body={body}&since=2024-01-01").json()["items"]) == 1
    assert office.get(f"/api/governance/meetings/?body={body}&until=2023-12-31").json()["items"] == []
    assert office.get("/api/governance/meetings/?since=yesterday").status_code == 422


def test_each_count_drills_down_to_the_list_of_its_records(office, world, gov):
    """The links a work report gives its counts list exactly the records the selectors counted."""
    user = world.users[Role.OFFICE_STAFF]
    since, until = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    body = world.body1.pk
    cases = (
        (
            selectors.meetings_by_kind(user, world.body1, since, until)["standing_committee"],
            f"/governance/meetings/?body={body}&kind=standing_committee&since={since}&until={until}",
        ),
        (
            selectors.exposures_by_channel(user, world.body1, since, until)["website"],
            f"/governance/exposures/?body={body}&channel=website&since={since}&until={until}",
        ),
        (
            selectors.instructions_by_status(user, world.body1, since, until)["open"],
            f"/governance/instructions/?body={body}&status=open&since={since}&until={until}",
        ),
        (
            selectors.regulations_issued(user, world.body1, end=until),
            f"/governance/regulations/?body={body}&until={until}",
        ),
    )
    for count, url in cases:
        page = office.get(url)
        assert page.status_code == 200, url
        assert count == len(page.context["page"]) == 1, url
    assert len(office.get(f"/governance/meetings/?body={body}&until=2023-12-31").context["page"]) == 0
    assert office.get("/governance/meetings/?since=yesterday").status_code == 400


def test_the_meeting_page_names_an_assignee_once_and_the_account_only_beside_another_name(world, gov, client):
    leader, staff = world.users[Role.LEADER], world.users[Role.OFFICE_STAFF]
    client.force_login(leader)
    client.post(
        f"/governance/meetings/{gov.meeting1.pk}/instruct/",
        {"given_by": leader.pk, "text": "抓紧整改", "assignee": staff.pk, "due_on": "2030-01-01"},
    )
    page = client.get(f"/governance/meetings/{gov.meeting1.pk}/").content.decode()
    named_by_account = f"承办：{staff.display_name} ·"
    named_with_account = f"承办：区委巡察办（{staff.display_name}） ·"
    assert named_by_account in page  # the account alone: its name, not twice
    assert named_with_account in page  # build_governance's instruction names the office and the account
    assert f"（{staff.display_name}）" not in page.replace(named_with_account, "")


def test_a_second_meeting_of_the_same_title_and_day_is_refused_with_a_clear_message(office, world, gov):
    data = {
        "body": world.body1.pk,
        "held_on": gov.meeting1.held_on.isoformat(),
        "kind": "standing_committee",
        "title": gov.meeting1.title,
        "topics": "议题",
    }
    page = office.post("/governance/meetings/new/", data)
    assert page.status_code == 200
    assert page.context["form"].non_field_errors() == ["该机构在同一天已有同名会议。"]
    assert "该机构在同一天已有同名会议。" in page.content.decode()
    assert Meeting.objects.filter(title=gov.meeting1.title).count() == 1


def test_an_exposure_picks_its_accountability_from_the_records_in_scope(office, world, gov):
    from lijian.rectification.models import Accountability

    def decided(body, organization, name):
        return Accountability.objects.create(
            body=body,
            organization=organization,
            subject_name=name,
            subject_post="街道党工委书记",
            action="admonishment",
            reason="整改不力",
            decided_by="区委",
            decided_on=datetime.date(2024, 6, 20),
        )

    ours, theirs = decided(world.body1, world.t1, "王某"), decided(world.body2, world.t2, "李某")
    form = office.get("/governance/exposures/new/").context["form"]
    offered = dict(form.fields["accountability"].choices)
    assert [str(label) for key, label in offered.items() if key] == [
        f"2024-06-20 {world.t1.name} 王某（街道党工委书记） · 诫勉"
    ]
    data = {
        "body": world.body1.pk,
        "title": "典型案例",
        "summary": "情况",
        "channel": "internal",
        "outlet": "全区干部大会",
        "published_on": "2024-07-01",
    }
    refused = office.post("/governance/exposures/new/", {**data, "accountability": theirs.pk})
    assert refused.context["form"].errors["accountability"] == ["请从列表中选择问责记录。"]
    done = office.post("/governance/exposures/new/", {**data, "accountability": ours.pk})
    exposure = CaseExposure.objects.get(title="典型案例")
    assert done.status_code == 302 and exposure.accountability == ours
    edit = office.get(f"/governance/exposures/{exposure.pk}/edit/").content.decode()
    assert f'<option value="{ours.pk}" selected>' in edit
