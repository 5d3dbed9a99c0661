"""The demo's committee records (``lijian.demo.governance.ensure_governance``) come out as the seed says."""

import datetime
import re

from lijian.accounts.choices import Role
from lijian.demo.governance import ensure_governance
from lijian.governance import selectors
from lijian.governance.models import MeetingInstruction, Regulation

from ..world import make_user


def test_the_seed_counts_come_out_once(world):
    office = make_user("xunshiban", Role.OFFICE_STAFF, world.root, world.city_body)
    make_user("lingdao", Role.LEADER, world.root)
    counts = ensure_governance()
    assert counts == {"meetings": 14, "instructions": 12, "regulations": 6, "exposures": 4}
    since_19th = selectors.meetings_by_kind(office, world.city_body, datetime.date(2017, 10, 18))
    assert since_19th["standing_committee"] == 11
    assert selectors.regulations_in_force(office, world.city_body) == 6
    assert sum(selectors.exposures_by_channel(office, world.city_body).values()) == 4
    closed = MeetingInstruction.objects.filter(status="closed").select_related("meeting")
    assert closed.count() == 11
    # Dated from their meetings, not from the day the demo is built, so a report counts them alike.
    assert all(i.closed_on == i.meeting.held_on + datetime.timedelta(days=70) for i in closed)
    numbers = list(Regulation.objects.values_list("number", flat=True))
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert all(re.fullmatch(r"津党(办)?发〔20\d\d〕[1-9]\d*号", n) for n in numbers)
    assert ensure_governance() == {}
