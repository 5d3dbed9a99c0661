"""The demo's committee records (``lijian.demo.governance.ensure_governance``) come out as the seed says."""

import datetime

from lijian.accounts.choices import Role
from lijian.demo.governance import ensure_governance
from lijian.governance import selectors
from lijian.governance.models import MeetingInstruction

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
    assert MeetingInstruction.objects.filter(status="closed").count() == 11
    assert ensure_governance() == {}
