"""The hidden filters a count's link sets (core.list_filters): an id and a day range keep exactly the
rows the count is of, and a hand-edited value is refused beside the filter, never sent to the database."""

import datetime

import pytest

from lijian.core.list_filters import ListFilterSet, hidden_id, since_filter, until_filter
from lijian.core.lists import filtered
from lijian.core.params import ID_MAX
from lijian.inspections.models import Inspection, Round

from ..world import build_rounds

MARCH = datetime.date(2024, 3, 1)  # round 1's start (build_rounds)
APRIL = datetime.date(2024, 4, 1)  # round 2's, moved below


class InspectionsOfRounds(ListFilterSet):
    """Inspections narrowed by their round's body and start: the ids and days go through ``round``."""

    body = hidden_id("机构")
    since = since_filter()
    until = until_filter()
    date_field = "round__start"
    id_prefix = "round__"

    class Meta:
        model = Inspection
        fields = []


@pytest.fixture
def rounds(world):
    made = build_rounds(world)
    Round.objects.filter(pk=made.round2.pk).update(start=APRIL)
    return made


def _kept(rounds, **data) -> set[int]:
    rows = Inspection.objects.all()
    kept, status = filtered(InspectionsOfRounds(data, rows), rows)
    assert status == 200
    return {inspection.round_id for inspection in kept}


def test_since_and_until_keep_the_rows_dated_within_the_days_both_included(rounds):
    one, two = rounds.round1.pk, rounds.round2.pk
    assert _kept(rounds, since=MARCH.isoformat(), until=MARCH.isoformat()) == {one}
    assert _kept(rounds, until=(APRIL - datetime.timedelta(days=1)).isoformat()) == {one}
    assert _kept(rounds, since=(MARCH + datetime.timedelta(days=1)).isoformat()) == {two}
    assert _kept(rounds, since=MARCH.isoformat(), until=APRIL.isoformat()) == {one, two}


def test_a_hidden_id_keeps_the_rows_of_that_record_through_the_prefix(rounds, world):
    assert _kept(rounds, body=str(world.body2.pk)) == {rounds.round2.pk}
    assert _kept(rounds, body=str(world.body1.pk), since=APRIL.isoformat()) == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [("body", "0"), ("body", str(ID_MAX + 1)), ("body", "第一"), ("since", "2024-02-30"), ("until", "明天")],
)
def test_a_hand_edited_value_is_refused_beside_its_filter_and_the_list_stays_whole(rounds, name, value):
    rows = Inspection.objects.all()
    filters = InspectionsOfRounds({name: value}, rows)
    kept, status = filtered(filters, rows)
    assert status == 400
    assert list(filters.errors) == [name] and filters.errors[name][0]
    assert set(kept) == set(rows)
