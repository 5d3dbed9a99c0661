"""The cadre page carries several forms (absences, conflicts); each field must be addressable."""

import re
from collections import Counter

from lijian.accounts.choices import Role

from ..world import build_rounds


def test_the_cadre_page_has_no_duplicate_element_ids(client, world):
    rounds = build_rounds(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    html = client.get(rounds.cadre1.get_absolute_url()).content.decode()
    assert 'name="kind"' in html  # both forms are there
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
