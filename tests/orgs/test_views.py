"""The organisation pages: forms answer bad input with a message and change nothing."""

from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.orgs.models import InspectionBody, Organization, Term


def test_creating_a_child_with_a_taken_code_shows_why_and_creates_nothing(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("orgs:create_child", kwargs={"pk": world.v1.pk})
    response = client.post(url, {"code": "120101", "name": "重复代码", "kind": "branch"})
    assert response.status_code == 200 and "组织代码" in response.content.decode()
    assert "已被其他组织使用" in response.content.decode()
    assert not Organization.objects.filter(name="重复代码").exists()
    response = client.post(url, {"code": "HP-B1", "name": "新支部", "kind": "branch"}, follow=True)
    assert "已新增组织" in response.content.decode()
    assert Organization.objects.get(code="HP-B1").parent_path == world.v1.path


def test_editing_an_organisation_with_dates_out_of_order_is_refused(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("orgs:edit", kwargs={"pk": world.t1.pk})
    data = {
        "code": world.t1.code,
        "name": world.t1.name,
        "kind": "street",
        "active_from": "2024-05-01",
        "active_to": "2024-01-01",
    }
    response = client.post(url, data)
    assert "撤销日期不能早于设立日期" in response.content.decode()
    world.t1.refresh_from_db()
    assert world.t1.active_from is None


def test_office_staff_edit_posts_and_terms_and_overlaps_are_refused(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("orgs:body_edit", kwargs={"pk": world.body1.pk})
    client.post(
        url,
        {
            "code": world.body1.code,
            "name": world.body1.name,
            "level": "patrol",
            "authorized_posts": 15,
            "rectification_threshold": 70,
        },
    )
    assert InspectionBody.objects.get(pk=world.body1.pk).authorized_posts == 15
    client.post(
        reverse("orgs:term_create", kwargs={"pk": world.body1.pk}),
        {"name": "第十三届", "start": "2027-06-23", "end": "2032-06-22"},
    )
    later = Term.objects.get(body=world.body1, name="第十三届")
    response = client.post(
        reverse("orgs:term_edit", kwargs={"pk": later.pk}),
        {"name": "第十三届", "start": "2026-01-01", "end": "2032-06-22"},
    )
    assert "时间重叠" in response.content.decode()
    later.refresh_from_db()
    assert str(later.start) == "2027-06-23"


def test_the_children_list_loads_more_by_keyset(client, world):
    from lijian.orgs import services

    for i in range(55):
        services.organization_create(
            actor=world.admin, parent=world.v1, code=f"P{i:02d}", name=f"支部{i:02d}", kind="branch"
        )
    client.force_login(world.users[Role.GROUP_MEMBER])
    page = client.get(reverse("orgs:detail", kwargs={"pk": world.v1.pk})).content.decode()
    assert "支部49" in page and "支部50" not in page and "加载更多" in page
    after = Organization.objects.get(code="P49").path
    more = client.get(
        reverse("orgs:children", kwargs={"pk": world.v1.pk}), {"after": after}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "支部50" in more and "支部54" in more and "支部49" not in more and "加载更多" not in more


def test_the_search_page_and_its_htmx_fragment(client, world):
    client.force_login(world.users[Role.LIAISON])
    page = client.get(reverse("orgs:search"), {"q": "多福巷"}).content.decode()
    assert "多福巷社区党委" in page and "<html" in page
    fragment = client.get(reverse("orgs:search"), {"q": "新津"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "没有找到匹配的组织" in fragment  # 新津 is in 河西, out of scope


def test_saving_the_edit_form_unchanged_keeps_the_supervising_body(client, world):
    # 和平区委 is covered by the city inspection office, which 和平区's own staff cannot manage.
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("orgs:edit", kwargs={"pk": world.d1.pk})
    page = client.get(url).content.decode()
    assert f'value="{world.city_body.pk}" selected' in page
    form = {
        "code": world.d1.code,
        "name": world.d1.name,
        "kind": "district_committee",
        "supervising_body": world.city_body.pk,
    }
    client.post(url, form)
    world.d1.refresh_from_db()
    assert world.d1.supervising_body == world.city_body


def test_a_new_child_defaults_to_the_body_of_the_nearest_committee(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("orgs:create_child", kwargs={"pk": world.t1.pk})).content.decode()
    assert f'value="{world.body1.pk}" selected' in page  # 和平区委巡察办, not the street's parent's body
    assert '<option value="" selected>' in page  # the kind must be chosen, not defaulted to the first one


def test_a_body_cannot_cover_organisations_outside_its_committee(client, world):
    client.force_login(world.admin)
    url = reverse("orgs:edit", kwargs={"pk": world.t1.pk})
    form = {
        "code": world.t1.code,
        "name": world.t1.name,
        "kind": "street",
        "supervising_body": world.body2.pk,
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the reason; 河西's office is not offered here
    world.t1.refresh_from_db()
    assert world.t1.supervising_body == world.body1
    from django.core.exceptions import ValidationError

    from lijian.orgs import services

    try:
        services.organization_update(actor=world.admin, org=world.t1, supervising_body=world.body2)
    except ValidationError as exc:
        assert "只能负责" in str(exc)
    else:
        raise AssertionError("a 河西 body was allowed to cover a 和平 street")


def test_codes_with_spaces_are_refused(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    response = client.post(
        reverse("orgs:create_child", kwargs={"pk": world.v1.pk}),
        {"code": "A B", "name": "空格", "kind": "branch"},
    )
    assert "代码不能含空格" in response.content.decode()
    assert not Organization.objects.filter(name="空格").exists()
