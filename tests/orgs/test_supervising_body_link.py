"""An organisation's page links its supervising body only for those who may open the body's page
(a link to a 404 tells a user nothing)."""

from django.urls import reverse

from lijian.accounts.choices import Role

from ..world import make_user


def test_the_supervising_body_is_a_link_only_for_those_who_may_open_it(client, world):
    liaison = make_user("port-liaison", Role.LIAISON, world.t1)  # sees the street, not 和平区's office
    body_url = reverse("orgs:body_detail", args=[world.body1.pk])
    client.force_login(liaison)
    page = client.get(reverse("orgs:detail", args=[world.t1.pk])).content.decode()
    assert world.body1.name in page and f'href="{body_url}"' not in page
    assert client.get(body_url).status_code == 404
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("orgs:detail", args=[world.t1.pk])).content.decode()
    assert f'href="{body_url}"' in page
