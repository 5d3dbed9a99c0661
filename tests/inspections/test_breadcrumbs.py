"""Breadcrumbs link only to pages that answer the reader: a group's people serve in a round of a
body whose page they may not open (their grant is over their own unit, not the body's committee),
so the round page names the body without a link for them, and links it for the office."""

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.inspections.models import RoundMember
from lijian.orgs.models import Organization

from ..world import build_rounds, make_cadre, make_user


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def _member_of_own_unit(world, rounds, role):
    """A group account granted over its own unit (the cadres' home department), serving in the
    district's first round: it sees the round, not the body's page."""
    home = Organization.objects.get(code="D1-RU")
    user = make_user(f"unit-{role}", role, home)
    cadre = make_cadre(world, f"U-{role}", home, user=user)
    RoundMember.objects.create(
        round=rounds.round1, group=rounds.inspection1.group, cadre=cadre, role="member"
    )
    return user


@pytest.mark.parametrize("role", [Role.GROUP_LEADER, Role.GROUP_MEMBER])
def test_a_group_member_sees_the_body_on_the_round_page_without_a_link_to_a_page_they_cannot_open(
    world, rounds, login, role
):
    client = login(_member_of_own_unit(world, rounds, role))
    body_page = reverse("orgs:body_detail", args=[world.body1.pk])
    assert client.get(body_page).status_code == 404  # the premise: the body's page is not theirs
    page = client.get(reverse("inspections:round", args=[rounds.round1.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.body1.name in html
    assert f'href="{body_page}"' not in html
    # nor the group page, which only the office opens
    assert client.get(reverse("inspections:group", args=[rounds.inspection1.group.pk])).status_code == 404


@pytest.mark.parametrize("page", ["inspections:round", "inspections:group"])
def test_the_office_follows_the_breadcrumb_to_the_body(world, rounds, login, page):
    client = login(world.users[Role.OFFICE_STAFF])
    pk = rounds.round1.pk if page == "inspections:round" else rounds.inspection1.group.pk
    html = client.get(reverse(page, args=[pk])).content.decode()
    body_page = reverse("orgs:body_detail", args=[world.body1.pk])
    assert f'href="{body_page}"' in html
    assert client.get(body_page).status_code == 200
