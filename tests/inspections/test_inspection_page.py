"""The inspection page offers only what works: the rectification link only when the rectification
page exists, the problem form only in the stages a problem may still be recorded in."""

import datetime

import pytest
from django.urls import reverse

from lijian.inspections.choices import Stage

from ..world import build_findings, build_rectification, build_rounds


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def _page(client, inspection) -> str:
    page = client.get(reverse("inspections:inspection", args=[inspection.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_rectification_link_only_when_the_rectification_page_exists(client, world, rounds):
    # Moved through the stages with a feedback date but no feedback record (nothing to feed back).
    inspection = rounds.inspection1
    inspection.stage = Stage.RECTIFICATION
    inspection.feedback_date = datetime.date(2024, 5, 10)
    inspection.save()
    client.force_login(world.admin)
    url = reverse("rectification:inspection", args=[inspection.pk])
    assert client.get(url).status_code == 404
    html = _page(client, inspection)
    assert url not in html
    assert 'id="no-feedback"' in html

    findings = build_findings(world, rounds)
    fed = build_rectification(world, rounds, findings).inspection1
    url = reverse("rectification:inspection", args=[fed.pk])
    assert client.get(url).status_code == 200
    assert url in _page(client, fed)
