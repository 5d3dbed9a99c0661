"""The term plan and the new-round form propose rounds that fit: from tomorrow at the earliest, never
over a round under way unless groups are free then, and saying so when a round's dates are wrong."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.inspections import term_coverage
from lijian.inspections.models import Inspection, Round

from ..world import make_patrol_setup

D = datetime.date
TODAY = D(2024, 6, 1)
MAY_TO_JULY = (D(2024, 5, 1), D(2024, 7, 31))


@pytest.fixture
def setup(world):
    g1, g2, _pool = make_patrol_setup(world)
    return world, g1, g2


def _running(world, groups, start=None, end=None, number=1):
    """A round of 和平 (May to July 2024 unless given) with its group on site in the street since its start."""
    start, end = start or MAY_TO_JULY[0], end or MAY_TO_JULY[1]
    round_ = Round.objects.create(body=world.body1, term=world.term1, number=number, start=start, end=end)
    round_.groups.set(groups)
    Inspection.objects.create(
        round=round_, organization=world.t1, group=groups[0], stage="onsite", onsite_start=start
    )
    return round_


def _new(view):
    return [p for p in view.proposed if p.round is None]


def test_no_new_round_overlaps_a_round_under_way_that_takes_every_group(setup):
    world, g1, g2 = setup
    _running(world, [g1, g2])
    view = term_coverage.term_coverage_for(world.body1, world.term1, TODAY, time_limit=2)
    first = _new(view)[0]
    assert first.start == D(2024, 8, 1)  # the day after the running round ends, not tomorrow
    assert first.groups is None and first.capacity == 2 * 3
    assert all(not (p.start <= D(2024, 7, 31)) for p in _new(view))


def test_spare_groups_take_a_round_beside_the_one_under_way(setup):
    world, g1, g2 = setup
    _running(world, [g1])
    first = _new(term_coverage.term_coverage_for(world.body1, world.term1, TODAY, time_limit=2))[0]
    assert first.start == TODAY + datetime.timedelta(days=1)
    assert first.groups == [g2.pk] and first.capacity == 3  # one free group, three targets each
    assert "时间重叠" in first.notes[0] and "1个组" in first.notes[0]


def test_new_rounds_start_tomorrow_at_the_earliest(setup):
    world, _g1, _g2 = setup
    view = term_coverage.term_coverage_for(world.body1, world.term1, TODAY, time_limit=2)
    assert min(p.start for p in _new(view)) == TODAY + datetime.timedelta(days=1)


def test_a_set_up_round_starting_today_or_before_is_flagged(setup):
    world, g1, g2 = setup
    late = Round.objects.create(
        body=world.body1, term=world.term1, number=2, start=D(2024, 5, 20), end=D(2024, 7, 20)
    )
    late.groups.set([g1, g2])
    Inspection.objects.create(round=late, organization=world.v1)
    view = term_coverage.term_coverage_for(world.body1, world.term1, TODAY, time_limit=2)
    shown = next(p for p in view.proposed if p.round == late)
    assert any("不晚于今天" in n for n in shown.notes)


def test_the_new_round_form_offers_dates_after_the_round_under_way(
    setup,
    login,
):
    world, g1, g2 = setup
    today = timezone.localdate()
    _running(
        world, [g1, g2], start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=20)
    )
    assert term_coverage.next_round_dates(world.body1, world.term1, today)[0] == today + datetime.timedelta(
        days=21
    )
    client = login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:round_create", args=[world.body1.pk]))
    assert page.context["form"].initial["start"] == today + datetime.timedelta(days=21)


def test_the_plans_round_beside_one_under_way_takes_only_the_free_groups(setup, login):
    world, g1, g2 = setup
    today = timezone.localdate()
    _running(world, [g1], start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=40))
    client = login(world.users[Role.OFFICE_STAFF])
    answer = client.post(
        reverse("inspections:term_plan_round", args=[world.body1.pk]), {"term": world.term1.pk}
    )
    assert answer.status_code == 302
    created = Round.objects.get(body=world.body1, number=2)
    assert created.start == today + datetime.timedelta(days=1)
    assert list(created.groups.all()) == [g2]


@pytest.mark.parametrize("days, warned", [(0, True), (-5, True), (1, False)])
def test_a_round_created_to_start_today_or_before_is_said_so(setup, login, days, warned):
    world, g1, _g2 = setup
    today = timezone.localdate()
    client = login(world.users[Role.OFFICE_STAFF])
    answer = client.post(
        reverse("inspections:round_create", args=[world.body1.pk]),
        {
            "term": world.term1.pk,
            "number": 7,
            "kind": "regular",
            "start": (today + datetime.timedelta(days=days)).isoformat(),
            "end": (today + datetime.timedelta(days=60)).isoformat(),
            "clue_feedback_months": 3,
            "rectification_report_months": 2,
            "groups": [g1.pk],
        },
        follow=True,
    )
    assert Round.objects.filter(body=world.body1, number=7).exists()
    assert ("不晚于今天" in answer.content.decode()) is warned
