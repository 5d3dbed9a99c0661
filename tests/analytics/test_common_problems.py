"""Common problems (以巡促改): a planted cluster is found as one group among noise, in the user's scope
only; a group proposed as a special round opens the round with its theme and links its problems; a
system-level item likewise; who may propose; bad input is refused in Chinese, never with a 500."""

import datetime
import json

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.analytics.common import (
    CommonFilter,
    bodies_proposing,
    common_groups,
    group_key,
    places_of_proposals,
    proposals_of_round,
)
from lijian.analytics.common_similarity import Vectors, group_texts, leader_groups, normalise
from lijian.analytics.models import CommonProblemProposal
from lijian.core.models import AuditEvent
from lijian.findings.models import Problem
from lijian.inspections.models import Round

from ..world import make_city_office
from .common_world import NOISE, PLANTED, build_common

D = datetime.date


@pytest.fixture
def common(world):
    return build_common(world)


def _office(world):
    return world.users[Role.OFFICE_STAFF]


def _planted_group(groups, common):
    planted = {p.pk for p in common.planted}
    return [g for g in groups if planted & set(g.problem_ids)]


def test_the_planted_cluster_is_one_group_of_its_twelve_problems_in_six_organisations(world, common):
    groups = common_groups(_office(world), CommonFilter())
    (group,) = _planted_group(groups, common)
    assert group.problem_ids == sorted(p.pk for p in common.planted)
    assert {o.pk for o in group.organizations} == {o.pk for o in common.organizations}
    assert group is groups[0]  # the most widespread first
    assert group.category.code == "2"
    assert [(r.pk, n) for r, n in group.rounds] == [(common.round1.pk, 8), (common.round2.pk, 4)]
    assert len(group.examples) == 3 and all("三重一大" in text for text in group.examples)
    assert "三重一大" in group.typical and "集体决策" in group.typical
    # The noise forms no group with it, nor any group of its own across organisations.
    noise = {p.pk for p in common.noise}
    assert all(not noise & set(g.problem_ids) for g in groups)


def test_a_group_shows_the_summaries_as_written_not_the_text_compared(world, common):
    planted = [p.pk for p in common.planted]
    Problem.objects.filter(pk__in=planted).update(description="经查，党委会议纪要未记载讨论和表决情况。")
    (group,) = _planted_group(common_groups(_office(world), CommonFilter()), common)
    assert group.problem_ids == sorted(planted)
    assert group.typical in PLANTED and all(text in PLANTED for text in group.examples)


def test_texts_are_compared_in_their_category_only_and_without_punctuation_or_width():
    items = [
        (1, "a", "“三重一大”事项未经集体决策"),
        (2, "a", "三重一大事项未经集体决策。"),
        (3, "b", "三重一大事项未经集体决策"),
    ]
    groups = group_texts(items)
    assert sorted(sorted(g.items) for g in groups) == [[1, 2], [3]]
    assert normalise("１２３ 三重，一大") == "123三重一大"


def test_a_group_does_not_chain_texts_unlike_its_centre():
    half = 0.5**0.5
    vectors = Vectors(["a", "b", "c"], [{"x": 1.0}, {"x": half, "y": half}, {"y": 1.0}])
    # a is like b and b like c, but c is nothing like the centre a: it starts its own group.
    assert leader_groups(vectors, [0, 1, 2]) == [[0, 1], [2]]
    # Taken from b, both are like the centre.
    assert leader_groups(vectors, [1, 0, 2]) == [[1, 0, 2]]


def test_grouping_is_deterministic_and_ignores_empty_texts():
    items = [(i, 0, text) for i, text in enumerate(PLANTED + tuple(t for _c, t in NOISE) + ("", "  "))]
    first = [sorted(g.items) for g in group_texts(items)]
    assert first == [sorted(g.items) for g in group_texts(items)]
    assert len(first[0]) + sum(len(g) for g in first[1:]) == len(items) - 2
    assert [g for g in first if len(g) > 1] == [list(range(12))]


def test_a_user_sees_the_groups_of_their_scope_only(world, common, login):
    outsider = common_groups(world.outsider, CommonFilter(min_organizations=1))
    assert [g.problem_ids for g in outsider] == [[common.outside.pk]]
    client = login(_office(world))
    page = client.get(reverse("analytics:common"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "和平区局1党组" in text and "河西区大营门街道党工委" not in text
    assert page.context["groups"][0].problem_ids == sorted(p.pk for p in common.planted)
    # The filters narrow it: before the second round only its first 8 problems.
    page = client.get(reverse("analytics:common"), {"until": "2024-12-31", "body": world.body1.pk})
    assert page.context["groups"][0].size == 8
    # The body's figures page leads there.
    figures = client.get(reverse("analytics:body", kwargs={"pk": world.body1.pk})).content.decode()
    assert f"{reverse('analytics:common')}?body={world.body1.pk}" in figures


def test_the_api_lists_the_same_groups(world, common, login):
    client = login(world.users[Role.LEADER])
    answer = client.get("/api/analytics/common-problems/", {"limit": 5})
    assert answer.status_code == 200
    (first, *_rest) = answer.json()
    assert first["problem_ids"] == sorted(p.pk for p in common.planted)
    assert len(first["organizations"]) == 6
    assert [r["problems"] for r in first["rounds"]] == [8, 4]
    assert first["key"] == group_key(first["problem_ids"])


def test_a_group_proposed_as_a_special_round_opens_the_round_with_its_theme_and_links_its_problems(
    world, common, login
):
    client = login(_office(world))
    key = group_key(p.pk for p in common.planted)
    url = reverse("analytics:common_propose", kwargs={"key": key})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == page.context["group"].typical
    kept = common.planted[:11]  # the office unticks one
    answer = client.post(
        url,
        {
            "kind": "special_round",
            "body": world.body1.pk,
            "title": "“三重一大”决策制度执行情况专项巡察",
            "start": "2026-03-01",
            "end": "2026-05-31",
            "problems": [p.pk for p in kept],
        },
    )
    proposal = CommonProblemProposal.objects.get()
    round_ = proposal.round
    assert answer.status_code == 302 and answer["Location"] == round_.get_absolute_url()
    assert (round_.kind, round_.theme, round_.body, round_.term) == (
        "special",
        "“三重一大”决策制度执行情况专项巡察",
        world.body1,
        world.term1,
    )
    assert round_.number == 13  # after the body's rounds 11 and 12 of the term
    assert set(proposal.problems.all()) == set(kept)
    event = AuditEvent.objects.get(action="common.propose")
    assert event.after["problems"] == sorted(p.ref for p in kept) and event.after["round"] == round_.pk
    assert AuditEvent.objects.filter(action="round.create", object_id=str(round_.pk)).exists()
    # The round's page names the proposal and the organisations for its targets.
    page = client.get(round_.get_absolute_url())
    assert "round-common-problems" in page.content.decode()
    assert "和平区局6党组" in page.content.decode()
    # Each problem it rests on names it; one left out does not.
    page = client.get(reverse("findings:problem", kwargs={"pk": kept[0].pk})).content.decode()
    assert "problem-common-proposals" in page and "“三重一大”决策制度执行情况专项巡察" in page
    page = client.get(reverse("findings:problem", kwargs={"pk": common.planted[11].pk})).content.decode()
    assert "problem-common-proposals" not in page


def _propose_page(client, user, common):
    """The proposal page of the planted group as ``user`` groups it (an office above both districts
    also groups 河西's alike problem with it)."""
    (group,) = _planted_group(common_groups(user, CommonFilter()), common)
    page = client.get(reverse("analytics:common_propose", kwargs={"key": group.key}))
    assert page.status_code == 200
    return group, page


def test_the_proposal_is_for_the_body_that_found_most_of_the_group_by_default(world, common, login):
    city = make_city_office(world)
    assert set(bodies_proposing(city)) == {world.city_body, world.body1, world.body2}
    group, page = _propose_page(login(city), city, common)
    assert common.outside.pk in group.problem_ids  # 12 problems found by 和平, one by 河西
    assert page.context["form"]["body"].value() == world.body1.pk
    assert f'<option value="{world.body1.pk}" selected>' in page.content.decode()
    # Only 河西's problem within the filter: 河西 is the default.
    outside = CommonFilter(body=world.body2, min_organizations=1)
    (alone,) = [g for g in common_groups(city, outside) if common.outside.pk in g.problem_ids]
    url = reverse("analytics:common_propose", kwargs={"key": alone.key})
    page = login(city).get(url, {"body": world.body2.pk, "min": 1})
    assert page.context["form"]["body"].value() == world.body2.pk
    # An office acting for one body has it chosen.
    _group, page = _propose_page(login(_office(world)), _office(world), common)
    assert page.context["form"]["body"].value() == world.body1.pk


def test_the_administrator_opens_the_proposal_page_with_the_same_default(world, common, login):
    # The administrator acts for every body and groups 河西's alike problem in too (another key than
    # the district office's): the page opens, with 和平 chosen.
    assert set(bodies_proposing(world.admin)) == {world.city_body, world.body1, world.body2}
    group, page = _propose_page(login(world.admin), world.admin, common)
    assert common.outside.pk in group.problem_ids
    assert page.context["form"]["body"].value() == world.body1.pk


def _propose_round(client, body, group, problems) -> Round:
    """The special round ``client`` opens for ``body`` from the ``group`` of problems, keeping
    ``problems`` ticked."""
    key = group_key(p.pk for p in group)
    answer = client.post(
        reverse("analytics:common_propose", kwargs={"key": key}),
        {
            "kind": "special_round",
            "body": body.pk,
            "title": "“三重一大”决策制度执行情况专项巡视",
            "start": "2026-03-01",
            "end": "2026-05-31",
            "problems": [p.pk for p in problems],
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    return CommonProblemProposal.objects.get(round__body=body).round


def test_a_special_round_lists_where_its_problems_were_found_by_place(world, common, login, monkeypatch):
    city = make_city_office(world)
    client = login(city)
    everywhere = [*common.planted, common.outside]
    round_ = _propose_round(client, world.city_body, everywhere, everywhere)
    # For the city: the organisations under each district, the most first, with their problem counts.
    places = places_of_proposals(world.city_body, proposals_of_round(round_))
    assert [(g.label, len(g.rows), g.problems, g.area) for g in places] == [
        ("和平区", 6, 12, world.d1),
        ("河西区", 1, 1, world.d2),
    ]
    assert [n for _org, n in places[0].rows] == [2, 2, 2, 2, 2, 2]
    assert places[1].rows == [(world.t2, 1)]
    html = client.get(round_.get_absolute_url()).content.decode()
    panel = html.split('id="round-common-problems"', 1)[1]
    assert "问题涉及 7 个单位" in panel and panel.count('<details class="common-place') == 2
    assert panel.index("和平区") < panel.index("河西区") and "和平区局1党组" in panel
    assert panel.count(" open>") == 2  # few organisations: every place open
    monkeypatch.setattr("lijian.analytics.common_panels.OPEN_UP_TO", 6)
    panel = client.get(round_.get_absolute_url()).content.decode().split('id="round-common-problems"', 1)[1]
    assert " open>" not in panel  # more: every place folded, the counts still in sight
    assert "6 个单位 · 12 个问题" in panel and "1 个单位 · 1 个问题" in panel
    # For a district: the departments directly under its committee, as one kind; 河西's street, out
    # of its tree, under its district.
    district = _propose_round(client, world.body1, everywhere, [*common.planted[:9], common.outside])
    places = places_of_proposals(world.body1, proposals_of_round(district))
    assert [(g.label, len(g.rows), g.problems, g.kind, g.area) for g in places] == [
        ("部门党组（党委）", 5, 9, "department", None),
        ("河西区", 1, 1, "", world.d2),
    ]
    assert [(o.code, n) for o, n in places[0].rows] == [
        ("D1-C1", 2),
        ("D1-C2", 2),
        ("D1-C3", 2),
        ("D1-C4", 2),
        ("D1-C5", 1),
    ]


def test_a_special_round_takes_the_organisations_of_its_problems_as_targets_in_one_click(
    world, common, login
):
    client = login(_office(world))
    round_ = _propose_round(client, world.body1, common.planted, common.planted)
    assert not round_.inspections.exists()
    panel = client.get(round_.get_absolute_url()).content.decode().split('id="round-common-problems"', 1)[1]
    assert 'id="common-add-targets"' in panel and "将这些单位加为巡视巡察对象（6 个）" in panel
    url = reverse("analytics:common_round_targets", kwargs={"pk": round_.pk})
    answer = client.post(url)
    assert answer.status_code == 302 and answer["Location"] == round_.get_absolute_url()
    targets = set(round_.inspections.values_list("organization_id", flat=True))
    assert targets == {o.pk for o in common.organizations}
    assert AuditEvent.objects.filter(action="round.add_targets", object_id=str(round_.pk)).count() == 1
    page = client.get(round_.get_absolute_url()).content.decode()
    assert 'id="common-add-targets"' not in page  # nothing left to add
    assert client.post(url).status_code == 302 and round_.inspections.count() == 6  # a second click adds none
    assert login(world.users[Role.LEADER]).post(url).status_code == 403  # the office's, not the leader's


def test_a_special_round_needs_its_dates_and_a_term(world, common, login):
    client = login(_office(world))
    url = reverse("analytics:common_propose", kwargs={"key": group_key(p.pk for p in common.planted)})
    data = {
        "kind": "special_round",
        "body": world.body1.pk,
        "title": "专项",
        "problems": [common.planted[0].pk],
    }
    page = client.post(url, data)
    assert (
        page.status_code == 200 and page.content.decode().count("专项巡视巡察须填写开始日期和结束日期。") == 1
    )
    page = client.post(url, {**data, "start": "2030-01-01", "end": "2030-02-01"})
    assert "开始日期不在本机构任何一届之内。" in page.content.decode()
    page = client.post(url, {**data, "start": "2026-03-01", "end": "2026-02-01"})
    assert page.status_code == 200
    assert not CommonProblemProposal.objects.exists() and not Round.objects.filter(kind="special").exists()


def test_a_system_item_names_its_lead_unit_and_deadline_and_its_page_shows_them(world, common, login):
    client = login(_office(world))
    url = reverse("analytics:common_propose", kwargs={"key": group_key(p.pk for p in common.planted)})
    data = {"kind": "system", "body": world.body1.pk, "title": "健全制度", "problems": [common.planted[0].pk]}
    page = client.post(url, data).content.decode()
    assert "制度建设事项须填写牵头单位。" in page and "制度建设事项须填写完成时限。" in page
    assert not CommonProblemProposal.objects.exists()
    answer = client.post(url, {**data, "responsible": "区委办公室", "due_on": "2026-12-31"})
    proposal = CommonProblemProposal.objects.get()
    assert answer.status_code == 302 and answer["Location"] == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "区委办公室" in page and "2026-12-31" in page and 'id="proposal-due"' in page


def test_a_group_opens_on_all_its_problems_and_once_proposed_says_so_and_warns(world, common, login):
    client = login(_office(world))
    (group,) = _planted_group(common_groups(_office(world), CommonFilter()), common)
    page = client.get(reverse("analytics:common")).content.decode()
    group_url = reverse("analytics:common_group", kwargs={"key": group.key})
    assert f'href="{group_url}"' in page and "group-proposed" not in page
    listed = client.get(group_url)
    assert listed.status_code == 200
    # the count the page links from is the number of problems the group page lists
    assert sorted(p.pk for p in listed.context["problems"]) == group.problem_ids
    assert len(listed.context["problems"]) == group.size == 12
    assert all(p.ref in listed.content.decode() for p in common.planted)
    url = reverse("analytics:common_propose", kwargs={"key": group.key})
    data = {
        "kind": "system",
        "body": world.body1.pk,
        "title": "健全制度",
        "responsible": "区委办公室",
        "due_on": "2026-12-31",
        "problems": group.problem_ids,
    }
    assert client.post(url, data).status_code == 302
    proposal = CommonProblemProposal.objects.get()
    page = client.get(reverse("analytics:common")).content.decode()
    assert "group-proposed" in page and proposal.get_absolute_url() in page
    assert proposal.get_absolute_url() in client.get(group_url).content.decode()
    again = client.post(url, data)  # a second time by mistake: warned, nothing written
    assert again.status_code == 200 and "这组问题已提出过建议" in again.content.decode()
    assert CommonProblemProposal.objects.count() == 1
    assert client.post(url, {**data, "again": "on"}).status_code == 302
    assert CommonProblemProposal.objects.count() == 2


def test_a_group_proposed_as_a_system_item_over_the_api(world, common, login):
    client = login(_office(world))
    payload = {
        "kind": "system",
        "body_id": world.body1.pk,
        "title": "健全“三重一大”集体决策制度",
        "problem_ids": [p.pk for p in common.planted],
        "responsible": "区委办公室",
        "due_on": "2026-12-31",
    }
    answer = client.post("/api/analytics/common-problems/proposals", json.dumps(payload), "application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["round_id"] is None and body["responsible"] == "区委办公室"
    assert body["problem_ids"] == sorted(p.pk for p in common.planted)
    # The committee's leader reads it, page and API; proposing is the office's.
    leader = login(world.users[Role.LEADER])
    assert leader.get(f"/api/analytics/common-problems/proposals/{body['id']}").status_code == 200
    page = leader.get(reverse("analytics:common_proposal", kwargs={"pk": body["id"]}))
    assert page.status_code == 200 and "区委办公室" in page.content.decode()
    again = leader.post("/api/analytics/common-problems/proposals", json.dumps(payload), "application/json")
    assert again.status_code == 403


@pytest.mark.parametrize("role", [Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.LIAISON, Role.DEPARTMENT])
def test_groups_and_liaisons_neither_see_nor_propose(world, common, login, role):
    client = login(world.users[role])
    key = group_key(p.pk for p in common.planted)
    assert client.get(reverse("analytics:common")).status_code == 403
    assert client.get(reverse("analytics:common_propose", kwargs={"key": key})).status_code == 403
    assert client.get("/api/analytics/common-problems/").status_code == 403


def test_another_district_cannot_propose_from_or_with_these_problems(world, common, login):
    client = login(world.outsider)
    key = group_key(p.pk for p in common.planted)
    page = client.get(reverse("analytics:common_propose", kwargs={"key": key}))
    assert page.status_code == 404 and "这组问题已有变化" in page.content.decode()
    payload = {
        "kind": "system",
        "body_id": world.body2.pk,
        "title": "x",
        "problem_ids": [common.planted[0].pk],
    }
    answer = client.post("/api/analytics/common-problems/proposals", json.dumps(payload), "application/json")
    assert answer.status_code == 404
    payload = {**payload, "body_id": world.body1.pk, "problem_ids": [common.outside.pk]}
    answer = client.post("/api/analytics/common-problems/proposals", json.dumps(payload), "application/json")
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"body": "abc"}, "链接中的机构“abc”无效"),
        ({"min": "0"}, "链接中的至少涉及单位数“0”无效"),
        ({"min": "99999999"}, "至少涉及单位数不能超过"),
        ({"since": "2026-13-45"}, "不是有效日期"),
        ({"since": "2026-01-02", "until": "2026-01-01"}, "发现日期止不能早于发现日期起"),
    ],
)
def test_bad_filters_answer_400_in_chinese(world, common, login, query, message):
    answer = login(_office(world)).get(reverse("analytics:common"), query)
    assert answer.status_code == 400 and message in answer.content.decode()


def test_bad_keys_and_ids_answer_400_or_404_in_chinese(world, common, login):
    client = login(_office(world))
    bad = client.get(reverse("analytics:common_propose", kwargs={"key": "not-a-key"}))
    assert bad.status_code == 400 and "链接中的问题组“not-a-key”无效" in bad.content.decode()
    stale = client.get(reverse("analytics:common_propose", kwargs={"key": "0123456789ab"}))
    assert stale.status_code == 404 and "请回到共性问题页重新选择" in stale.content.decode()
    url = reverse("analytics:common_propose", kwargs={"key": group_key(p.pk for p in common.planted)})
    data = {"kind": "system", "body": world.body1.pk, "title": "制度"}
    answer = client.post(url, {**data, "problems": ["1; DROP"]})
    assert answer.status_code == 400 and "链接中的问题编号“1; DROP”无效" in answer.content.decode()
    assert client.post(url, {**data, "problems": [str(2**70)]}).status_code == 400
    assert client.post(url, {**data, "problems": [common.outside.pk]}).status_code == 404
    page = client.post(url, data)  # nothing ticked
    assert page.status_code == 200 and "请至少选择一个问题。" in page.content.decode()
    assert client.get(reverse("analytics:common_proposal", kwargs={"pk": 2**62})).status_code == 404
    api = client.get("/api/analytics/common-problems/", {"min_organizations": "x"})
    assert api.status_code == 422 and api.json()["detail"][0]["msg"] == "应为整数。"
    payload = {"kind": "system", "body_id": world.body1.pk, "title": "x", "problem_ids": ["x"]}
    api = client.post("/api/analytics/common-problems/proposals", json.dumps(payload), "application/json")
    assert api.status_code == 422
    assert not CommonProblemProposal.objects.exists()
