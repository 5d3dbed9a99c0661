"""The kernel's registries: the apps register their content in order, and what the kernel builds from
it is what it built when core held the content itself (menu, API, daily job, reference tables …)."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from lijian.accounts.choices import Role
from lijian.core import permissions, registry
from lijian.core.api import ROUTERS, api
from lijian.core.context_processors import shell
from lijian.core.daily import STEPS, summary
from lijian.core.messages import DIGEST_PARTS, KIND_BY_PREFIX
from lijian.core.models import MessageKind
from lijian.core.permissions import Grant, Perm, access_for
from lijian.core.reference import TABLES
from lijian.core.registry import HOME, MENU, PANELS, Panel, Registry, panels_render, registries_snapshot


def test_a_registry_lists_by_order_then_key_and_a_second_registration_replaces_the_first():
    registry = Registry("test")
    registry.register("b", 2, order=10)
    registry.register("a", 1, order=10)
    registry.register("z", 0, order=5)
    assert list(registry) == ["z", "a", "b"] and registry.values() == [0, 1, 2]
    registry.register("z", 9, order=20)  # an app's ready() run again
    assert registry.items() == [("a", 1), ("b", 2), ("z", 9)] and len(registry) == 3
    saved = registry.snapshot()
    registry.unregister("a")
    assert "a" not in registry and registry.get("a") is None
    registry.restore(saved)
    assert registry.get("a") == 1


def test_the_menu_is_the_one_core_used_to_write_by_hand():
    assert [(e.key, str(e.label), e.url_name, e.perm) for e in MENU.values()] == [
        ("orgs", "组织", "orgs:tree", Perm.ORG_VIEW),
        ("inspections", "巡视巡察", "inspections:rounds", Perm.ROUND_VIEW),
        ("findings", "问题线索", "findings:problems", Perm.FINDINGS_VIEW),
        ("findings", "问题线索", "findings:clues", Perm.CLUE_VIEW),
        ("rectification", "整改", "rectification:index", Perm.RECTIFICATION_VIEW),
        ("petitions", "信访", "petitions:list", Perm.PETITION_VIEW),
        ("documents", "文书", "documents:official_list", Perm.DOCUMENT_VIEW),
        ("documents", "文书", "documents:ledger", Perm.LEDGER_EXPORT),
        ("governance", "主体责任", "governance:meetings", Perm.GOVERNANCE_VIEW),
        ("guidance", "指导督导", "guidance:index", Perm.GOVERNANCE_VIEW),
        ("people", "人才库", "people:pool", Perm.POOL_VIEW),
        ("cockpit", "驾驶舱", "analytics:cockpit", Perm.FIGURES_VIEW),
        ("analytics", "统计", "orgs:bodies", Perm.FIGURES_VIEW),
    ]


def _active(path: str, user) -> list[str]:
    request = RequestFactory().get(path)
    request.user, request.resolver_match = user, resolve(path)
    return [item["key"] for item in shell(request)["nav_items"] if item["active"]]


@pytest.mark.django_db
def test_each_page_lights_the_area_it_belongs_to(world):
    office = world.users[Role.OFFICE_STAFF]
    assert _active(reverse("orgs:detail", args=[world.d1.pk]), office) == ["orgs"]
    assert _active(reverse("orgs:body_detail", args=[world.body1.pk]), office) == ["inspections"]
    assert _active(reverse("orgs:bodies"), office) == ["analytics"]
    assert _active(reverse("analytics:body", args=[world.body1.pk]), office) == ["analytics"]
    assert _active(reverse("analytics:cockpit"), office) == ["cockpit"]
    assert _active(reverse("findings:clues"), office) == ["findings"]
    assert _active(reverse("core:home"), office) == []


@pytest.mark.django_db
def test_an_area_links_to_its_first_entry_the_user_may_open_and_is_greyed_out_otherwise(world):
    request = RequestFactory().get("/")
    request.user, request.resolver_match = world.users[Role.DEPARTMENT], None
    items = {item["key"]: item["url"] for item in shell(request)["nav_items"]}
    assert list(items) == list(dict.fromkeys(e.key for e in MENU.values()))  # one item per area
    assert items["findings"] == reverse("findings:clues")  # a department sees clues, not problems
    assert items["rectification"] is None  # shown, greyed out


def test_the_api_mounts_the_routers_in_the_order_the_apps_give():
    assert list(ROUTERS) == [
        "/orgs",
        "/bodies",
        "/terms",
        "/problems",
        "/clues",
        "/petitions",
        "/rectification",
        "/documents/official",
        "/governance",
        "/guidance",
        "/cockpit",
        "/analytics/common-problems",
    ]
    paths = list(api.get_openapi_schema(path_prefix="/api/")["paths"])
    firsts = [next(p for p in paths if p.startswith(f"/api{prefix}/")) for prefix in ROUTERS]
    assert firsts == sorted(firsts, key=paths.index)


def test_the_daily_job_runs_the_steps_in_the_former_order_and_says_so_in_the_same_words():
    assert list(STEPS) == [
        "clues",
        "tasks",
        "reports",
        "self_criticisms",
        "instructions",
        "meeting_instructions",
    ]
    assert list(DIGEST_PARTS) == [
        "task-overdue",
        "report-overdue",
        "self-criticism-overdue",
        "clue-overdue",
        "instruction-overdue",
        "meeting-instruction-overdue",
    ]
    assert all(KIND_BY_PREFIX[prefix] == MessageKind.OVERDUE for prefix in DIGEST_PARTS)
    counts = dict.fromkeys(STEPS, 0) | {"clues": 2, "tasks": 1, "notices": 3, "digests": 2}
    assert summary(counts) == (
        "新增超期督办：移交线索 2 条，整改任务 1 项，整改报告 0 份，深刻检查 0 份，领导批示 0 件，会议批示 0 件；"
        "通知 3 人次，汇总为当日督办消息 2 条（每人每天一条）。"
    )


def test_the_reference_tables_are_offered_in_the_former_order():
    assert list(TABLES) == [
        "linkage-modes",
        "fieldwork-methods",
        "skills",
        "supervision-lines",
        "assessment_indicators",
        "value-synonyms",
    ]
    assert [TABLES.get(k).model._meta.label for k in TABLES] == [
        "inspections.LinkageMode",
        "inspections.FieldworkMethod",
        "people.Skill",
        "people.SupervisionLine",
        "guidance.AssessmentIndicator",
        "core.ValueSynonym",
    ]


def test_the_detail_pages_get_their_cards_from_the_apps_that_build_on_them():
    hosts = {}
    for key, panel in PANELS.items():
        hosts.setdefault((panel.host, panel.slot), []).append(key)
    assert hosts == {
        ("orgs.organization", "side"): ["analytics.org_grassroots", "inspections.org_history"],
        ("orgs.body", "top"): ["analytics.body_figures"],
        ("orgs.body", "main"): ["inspections.body_rounds"],
        ("inspections.inspection", "status"): ["rectification.inspection_status"],
        ("inspections.inspection", "side"): ["petitions.inspection_petitions"],
        ("inspections.inspection", "main"): ["findings.inspection_findings"],
        ("inspections.round", "upper"): ["findings.round_relay_problems"],
        ("inspections.round", "targets"): [
            "rectification.round_look_back",
            "analytics.round_common_problems",
        ],
        ("findings.problem", "instructions"): [
            "rectification.instructions.problem",
            "analytics.problem_common_proposals",
        ],
        ("findings.clue", "instructions"): ["rectification.instructions.clue"],
        ("petitions.petition", "instructions"): ["rectification.instructions.petition"],
    }
    assert list(HOME) == ["accounts.scope", "orgs.bodies", "analytics.cockpit"]


def test_a_panel_renders_in_its_slot_in_order_and_one_without_context_is_left_out(monkeypatch):
    saved = registries_snapshot(PANELS)
    monkeypatch.setattr(registry, "render_to_string", lambda template, context, request: f"<{context['x']}>")
    try:
        PANELS.restore({})
        for key, order, context in (("b", 2, {"x": 1}), ("a", 1, {"x": 2}), ("none", 0, None)):
            panel = Panel("host", "slot", "any.html", lambda request, obj, page, c=context: c)
            PANELS.register(key, panel, order=order)
        assert panels_render("host", None, None, {}) == {"slot": "<2><1>"}
        assert panels_render("other", None, None, {}) == {}
    finally:
        saved.restore()


def test_the_permission_engine_reads_the_grants_the_accounts_app_registered(monkeypatch):
    class Someone:
        is_authenticated = True

    monkeypatch.setattr(permissions, "_grants_readers", [lambda user: [Grant(Role.AUDITOR, "", frozenset())]])
    assert access_for(Someone()).roles() == {Role.AUDITOR}
    monkeypatch.setattr(permissions, "_grants_readers", [])
    with pytest.raises(permissions.ImproperlyConfigured):
        access_for(Someone())
