"""The organisation API answers with the same scope and the same facts as the pages."""

from lijian.accounts.choices import Role


def test_children_search_and_detail_through_the_api(client, world):
    client.force_login(world.users[Role.GROUP_LEADER])  # 和平区
    roots = client.get("/api/orgs/").json()
    assert [o["code"] for o in roots["items"]] == ["120101"]
    page = client.get("/api/orgs/", {"parent": world.d1.pk}).json()
    assert [(o["code"], o["kind"], o["kind_label"]) for o in page["items"]] == [
        ("120101001", "street", "街道党工委")
    ]
    assert page["next_after"] is None
    found = client.get("/api/orgs/", {"q": "多福巷"}).json()
    assert [o["code"] for o in found["items"]] == ["120101001001"]
    detail = client.get(f"/api/orgs/{world.v1.pk}").json()
    assert [a["code"] for a in detail["ancestors"]] == ["TJ", "120101", "120101001"]
    assert detail["subtree_size"] == 0 and detail["supervising_body_id"] == world.body1.pk


def test_writes_through_the_api_are_checked_and_audited(client, world):
    from lijian.core.models import AuditEvent

    client.force_login(world.users[Role.OFFICE_STAFF])
    created = client.post(
        "/api/orgs/",
        {"parent_id": world.v1.pk, "code": "API-1", "name": "接口支部", "kind": "branch"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["depth"] == world.v1.depth + 1
    bad = client.post(
        "/api/orgs/",
        {"parent_id": world.v1.pk, "code": "API-1", "name": "重复", "kind": "branch"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "code" in bad.json()["detail"]
    wrong_kind = client.post(
        "/api/orgs/",
        {"parent_id": world.v1.pk, "code": "API-2", "name": "x", "kind": "castle"},
        content_type="application/json",
    )
    assert wrong_kind.status_code == 422
    patched = client.patch(
        f"/api/orgs/{created.json()['id']}", {"name": "接口支部（改）"}, content_type="application/json"
    )
    assert patched.json()["name"] == "接口支部（改）"
    assert AuditEvent.objects.filter(
        action="organization.update", actor=world.users[Role.OFFICE_STAFF]
    ).exists()
