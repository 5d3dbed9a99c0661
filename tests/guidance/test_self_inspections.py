"""M7: a self-inspection item by item, closed with its summary, and what its notice reads."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lijian.accounts.choices import Role
from lijian.guidance import selectors, services
from lijian.guidance.choices import SELF_INSPECTION_TRANSITIONS, SelfInspectionStatus

from ..world_guidance import build_guidance

DAY = datetime.date(2026, 7, 10)


def test_the_table_allows_only_closing_an_open_self_inspection():
    assert SELF_INSPECTION_TRANSITIONS.pairs() == {("open", "closed")}
    assert not SELF_INSPECTION_TRANSITIONS.can("closed", "open")
    assert not SELF_INSPECTION_TRANSITIONS.can("closed", "closed")


def test_items_fixes_and_the_notice_content(world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    item = g.self_inspection1
    services.self_inspection_item_add(actor=office, inspection=item, item="巡察报告质量", finding="符合要求")
    second = services.self_inspection_item_add(
        actor=office, inspection=item, item="线索移交时限", finding="1件超期", problem_found=True
    )
    services.self_inspection_item_fix(
        actor=office, entry=second, fix="建立移交台账，逐件跟踪", fixed_on=datetime.date(2026, 7, 1)
    )
    services.self_inspection_close(
        actor=office, inspection=item, summary="总体规范，两处问题已整改一处。", on=DAY
    )
    item.refresh_from_db()
    assert item.status == SelfInspectionStatus.CLOSED and item.closed_on == DAY
    notice = selectors.self_inspection_notice_content(item)
    assert notice["counts"] == {"items": 3, "problems": 2, "fixed": 1, "open": 1}
    assert [p["item"] for p in notice["problems"]] == ["巡察底稿归档", "线索移交时限"]
    assert notice["problems"][1]["fix"] == "建立移交台账，逐件跟踪"
    with pytest.raises(ValidationError):  # closed: final
        services.self_inspection_item_add(actor=office, inspection=item, item="再查一项")
    with pytest.raises(ValidationError):
        services.self_inspection_close(actor=office, inspection=item, summary="再次完成", on=DAY)


def test_the_rules_of_an_item(world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    add = services.self_inspection_item_add
    with pytest.raises(ValidationError) as caught:  # a fix without a problem
        add(actor=office, inspection=g.self_inspection1, item="甲", fix="整改")
    assert "fix" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:  # a fix date without a fix
        add(actor=office, inspection=g.self_inspection1, item="乙", problem_found=True, fixed_on=DAY)
    assert "fix" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:  # fixed in the future
        add(
            actor=office,
            inspection=g.self_inspection1,
            item="丙",
            problem_found=True,
            fix="整改",
            fixed_on=datetime.date(2099, 1, 1),
        )
    assert "fixed_on" in caught.value.error_dict
    with pytest.raises(ValidationError):  # the same item twice
        add(actor=office, inspection=g.self_inspection1, item="巡察底稿归档")


def test_opening_checks_the_period_and_the_office(world):
    office = world.users[Role.OFFICE_STAFF]
    with pytest.raises(ValidationError) as caught:
        services.self_inspection_open(
            actor=office,
            body=world.body1,
            title="倒置",
            scope="own",
            period_start=DAY,
            period_end=DAY - datetime.timedelta(days=1),
        )
    assert "period_end" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        services.self_inspection_open(
            actor=office, body=world.body2, title="越权", scope="own", period_start=DAY, period_end=DAY
        )
    with pytest.raises(PermissionDenied):  # a leader reads, never writes
        services.self_inspection_open(
            actor=world.users[Role.LEADER],
            body=world.body1,
            title="领导",
            scope="own",
            period_start=DAY,
            period_end=DAY,
        )


def test_closing_needs_items_and_a_summary(world):
    office = world.users[Role.OFFICE_STAFF]
    empty = services.self_inspection_open(
        actor=office, body=world.body1, title="空", scope="lower", period_start=DAY, period_end=DAY
    )
    with pytest.raises(ValidationError):
        services.self_inspection_close(actor=office, inspection=empty, summary="无", on=DAY)
    g = build_guidance(world)
    with pytest.raises(ValidationError) as caught:
        services.self_inspection_close(actor=office, inspection=g.self_inspection1, summary=" ", on=DAY)
    assert "summary" in caught.value.error_dict
