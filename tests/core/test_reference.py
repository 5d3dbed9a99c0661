"""The reference tables show their cells in words: booleans as 是/否, never True/False."""

import re

from lijian.core.reference import TABLES
from lijian.people.models import SupervisionLine


def _cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'<td class="small">(.*?)</td>', html, re.S)]


def test_boolean_cells_read_yes_or_no_in_every_reference_table(client, world):
    SupervisionLine.objects.create(
        supervisor=world.d1, supervised=world.soe, description="审计过", active=True
    )
    SupervisionLine.objects.create(supervisor=world.d1, supervised=world.t1, description="", active=False)
    client.force_login(world.admin)
    cells = _cells(client.get("/reference/supervision-lines/").content.decode())
    assert "是" in cells and "否" in cells
    assert "True" not in cells and "False" not in cells
    for key in TABLES:
        html = client.get(f"/reference/{key}/").content.decode()
        assert not {"True", "False", "None"} & set(_cells(html)), key
