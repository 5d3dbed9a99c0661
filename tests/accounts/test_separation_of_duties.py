"""Separation of duties: whoever administers accounts never reads who petitioned, by any road; a
role that reveals identities needs a second person, an office holder over its scope; nobody grants
roles to themselves. The attack: an administrator creates an account, grants it an office role and
reads a petitioner's phone through it — each road it could take is tried here."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts import services
from lijian.accounts.choices import REVEALING_ROLES, ROLE_PERMISSIONS, Role
from lijian.accounts.models import RoleAssignment
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm, access_for
from lijian.petitions import services as petition_services

from ..world import PASSWORD, authenticator, make_user

SECRET_PHONE = "13912345678"
LOGIN = "/accounts/login/"


@pytest.fixture
def petition(world):
    return petition_services.petition_receive(
        actor=world.users[Role.OFFICE_STAFF],
        body=world.body1,
        channel="letter",
        received_on=datetime.date(2024, 3, 12),
        summary="反映社区书记违规发放补贴给亲属。",
        identity={"name": "李秘密举报人", "phone": SECRET_PHONE},
    )


def _reveal(user, petition):
    return petition_services.petition_reveal(actor=user, petition=petition, reason="核实情况需要")


def test_the_office_role_is_the_one_that_reveals_and_administrators_hold_neither_reveal_nor_approve():
    assert {Role.OFFICE_STAFF} == REVEALING_ROLES
    assert Perm.IDENTITY_REVEAL not in ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert Perm.ROLE_APPROVE not in ROLE_PERMISSIONS[Role.ADMINISTRATOR]


def test_an_administrator_cannot_grant_themselves_any_role(client, world):
    for admin in (world.admin, world.users[Role.ADMINISTRATOR]):
        for role, org in ((Role.OFFICE_STAFF, world.d1), (Role.LEADER, world.d1), (Role.AUDITOR, None)):
            with pytest.raises(PermissionDenied, match="不能给自己授予角色"):
                services.role_grant(actor=admin, user=admin, role=role, organization=org)
    client.force_login(world.admin)
    page = client.post(
        reverse("accounts:user_detail", kwargs={"pk": world.admin.pk}),
        {"form": "grant", "role": Role.OFFICE_STAFF, "organization_code": world.d1.code},
        follow=True,
    ).content.decode()
    assert "不能给自己授予角色" in page
    assert not RoleAssignment.objects.filter(user=world.admin, role=Role.OFFICE_STAFF).exists()


def test_nobody_grants_a_role_to_themselves_even_with_account_rights_in_scope(world):
    admin_d1 = world.users[Role.ADMINISTRATOR]
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=admin_d1, user=admin_d1, role=Role.LIAISON, organization=world.t1)


def test_a_fresh_account_given_an_office_role_by_an_administrator_reveals_nothing_until_approved(
    client, world, petition
):
    fresh = services.user_create(
        actor=world.admin, username="fresh", full_name="新账号", password="Admin-knows-2026"
    )
    assignment = services.role_grant(
        actor=world.admin, user=fresh, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    assert assignment.awaiting_approval and not assignment.active
    assert not access_for(fresh).has(Perm.IDENTITY_REVEAL)
    with pytest.raises(PermissionDenied):
        _reveal(fresh, petition)
    # The administrator, signed in as the account whose password they chose (and changed, as its
    # first log-in requires), gets no further.
    services.user_set_password(actor=fresh, user=fresh, password="Admin-changed-2026")
    client.force_login(fresh)
    url = reverse("petitions:reveal", kwargs={"pk": petition.pk})
    answer = client.post(url, {"reason": "核实情况需要"})
    assert answer.status_code == 403 and SECRET_PHONE not in answer.content.decode()
    assert AuditEvent.objects.filter(action="role.request", object_id=str(assignment.pk)).exists()
    assert not AuditEvent.objects.filter(action="petition.reveal", outcome="success").exists()
    assert AuditEvent.objects.filter(action="petition.reveal", actor=fresh, outcome="denied").count() == 2


def test_an_administrator_cannot_approve_and_the_approval_locks_the_administrator_out(
    client, world, petition
):
    fresh = services.user_create(
        actor=world.admin, username="fresh", full_name="新账号", password="Admin-knows-2026"
    )
    assignment = services.role_grant(
        actor=world.admin, user=fresh, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    for admin in (world.admin, world.users[Role.ADMINISTRATOR]):
        with pytest.raises(PermissionDenied):
            services.role_approve(actor=admin, assignment=assignment)
    client.force_login(world.admin)
    assert client.get(reverse("accounts:approvals")).status_code == 403
    # The administrator keeps a session as the fresh account, and enrolled its authenticator.
    as_fresh = type(client)()
    as_fresh.force_login(fresh)
    TOTPDevice.objects.create(user=fresh, name="管理员的手机", confirmed=True)
    office = world.users[Role.OFFICE_STAFF]  # the office of 和平区
    assignment, one_time = services.role_approve(actor=office, assignment=assignment)
    assert assignment.active and assignment.approved_by == office
    fresh.refresh_from_db()
    assert one_time and fresh.check_password(one_time) and not fresh.check_password("Admin-knows-2026")
    assert fresh.must_change_password and not TOTPDevice.objects.filter(user=fresh).exists()
    assert as_fresh.get("/").status_code == 302  # the old password's session has ended
    client.logout()
    refused = client.post(LOGIN, {"username": "fresh", "password": "Admin-knows-2026"})
    assert "用户名、密码或动态验证码不正确" in refused.content.decode()
    # The administrator cannot reset the password or the authenticator of the account now.
    with pytest.raises(PermissionDenied, match="巡视巡察办"):
        services.user_set_password(actor=world.admin, user=fresh, password="Admin-again-2026")
    with pytest.raises(PermissionDenied):
        services.totp_remove(actor=world.admin, user=fresh)
    client.force_login(world.admin)
    page = client.post(
        reverse("accounts:user_detail", kwargs={"pk": fresh.pk}),
        {"form": "password", "password": "Admin-again-2026", "password2": "Admin-again-2026"},
    ).content.decode()
    assert "只能由本人或其所在巡视巡察办的人员重置" in page
    fresh.refresh_from_db()
    assert fresh.check_password(one_time)
    # The person the office handed the one-time password to reveals, audited as themselves.
    assert _reveal(fresh, petition)["phone"] == SECRET_PHONE
    actions = list(AuditEvent.objects.filter(actor=office).values_list("action", flat=True))
    assert "role.approve" in actions and "user.credentials_reissue" in actions


def test_the_second_person_is_an_office_holder_over_the_scope_and_neither_party(world):
    newcomer = make_user("newcomer")
    assignment = services.role_grant(
        actor=world.admin, user=newcomer, role=Role.OFFICE_STAFF, organization=world.v1, body=world.body1
    )
    for wrong in (
        world.outsider,  # office of 河西区: not this scope
        world.users[Role.LEADER],
        world.users[Role.AUDITOR],
        world.users[Role.GROUP_LEADER],
        newcomer,  # the grantee
    ):
        with pytest.raises(PermissionDenied):
            services.role_approve(actor=wrong, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.awaiting_approval and not assignment.active
    rejected = services.role_reject(actor=world.users[Role.OFFICE_STAFF], assignment=assignment)
    assert not rejected.active and not rejected.awaiting_approval
    with pytest.raises(ValidationError):
        services.role_approve(actor=world.users[Role.OFFICE_STAFF], assignment=rejected)


def test_an_account_administrator_never_holds_a_revealing_role_by_any_grant(world, petition):
    admin_d1 = world.users[Role.ADMINISTRATOR]
    with pytest.raises(ValidationError, match="系统管理员账号不能"):
        services.role_grant(
            actor=world.admin, user=admin_d1, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
        )
    office = world.users[Role.OFFICE_STAFF]
    with pytest.raises(ValidationError, match="不能再被授予系统管理员"):
        services.role_grant(actor=world.admin, user=office, role=Role.ADMINISTRATOR, organization=world.d1)
    # Even a row written past the services (a database edit, an old import) gives no reveal.
    RoleAssignment.objects.create(
        user=admin_d1, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    assert not access_for(admin_d1).has(Perm.IDENTITY_REVEAL)
    assert not access_for(admin_d1).has(Perm.ROLE_APPROVE)
    with pytest.raises(PermissionDenied):
        _reveal(admin_d1, petition)
    superuser = make_user("super", is_superuser=True, is_staff=True)
    RoleAssignment.objects.create(
        user=superuser, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    with pytest.raises(PermissionDenied):
        _reveal(superuser, petition)


def test_a_revoked_office_role_granted_again_waits_for_approval_again(world):
    office = world.users[Role.OFFICE_STAFF]
    [assignment] = RoleAssignment.objects.filter(user=office, role=Role.OFFICE_STAFF)
    services.role_revoke(actor=world.admin, assignment=assignment)
    again = services.role_grant(
        actor=world.admin, user=office, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    assert again.pk == assignment.pk and again.awaiting_approval and not again.active
    assert not access_for(office).has(Perm.IDENTITY_REVEAL)
    with pytest.raises(ValidationError, match="等待审批"):
        services.role_grant(
            actor=world.admin, user=office, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
        )


def test_a_further_office_scope_for_an_office_holder_keeps_their_credentials(world):
    colleague = world.users[Role.OFFICE_STAFF]
    assignment = services.role_grant(
        actor=world.admin,
        user=colleague,
        role=Role.OFFICE_STAFF,
        organization=world.soe,
        body=world.city_body,
    )
    city_office = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    assignment, one_time = services.role_approve(actor=city_office, assignment=assignment)
    colleague.refresh_from_db()
    assert one_time is None and colleague.check_password(PASSWORD) and not colleague.must_change_password


def test_the_office_approves_on_its_page_and_sees_the_one_time_password_once(client, world):
    fresh = make_user("fresh")
    services.role_grant(
        actor=world.admin, user=fresh, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("accounts:approvals")).content.decode()
    assert "fresh" in page and "巡视巡察办工作人员" in page and "root-admin" in page
    [assignment] = RoleAssignment.objects.filter(user=fresh, awaiting_approval=True)
    done = client.post(reverse("accounts:approvals"), {"assignment": assignment.pk, "decision": "approve"})
    text = done.content.decode()
    assert done.status_code == 200 and 'id="issued-password"' in text
    fresh.refresh_from_db()
    shown = text.split('<code class="fs-5">')[1].split("</code>")[0]
    assert fresh.check_password(shown)
    again = client.get(reverse("accounts:approvals")).content.decode()
    assert shown not in again and 'value="approve"' not in again  # shown once; nothing left to approve
    client.force_login(world.outsider)  # another district's office sees nothing to approve here
    other = make_user("other")
    services.role_grant(
        actor=world.admin, user=other, role=Role.OFFICE_STAFF, organization=world.d1, body=world.body1
    )
    [pending] = RoleAssignment.objects.filter(user=other, awaiting_approval=True)
    assert "other" not in client.get(reverse("accounts:approvals")).content.decode()
    assert (
        client.post(
            reverse("accounts:approvals"), {"assignment": pending.pk, "decision": "approve"}
        ).status_code
        == 404
    )


def test_the_user_page_says_a_revealing_role_waits_for_approval(client, world):
    target = make_user("target")
    client.force_login(world.admin)
    url = reverse("accounts:user_detail", kwargs={"pk": target.pk})
    page = client.post(
        url,
        {
            "form": "grant",
            "role": Role.OFFICE_STAFF,
            "organization_code": world.d1.code,
            "body_code": world.body1.code,
        },
        follow=True,
    ).content.decode()
    assert "已提交审批" in page and "待审批" in page


def test_there_is_no_django_admin_site_and_the_api_grants_no_roles_and_shows_no_identity(
    client, world, petition
):
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    client.force_login(world.admin)
    assert client.get("/admin/").status_code == 404
    from lijian.core.api import api

    paths = api.get_openapi_schema()["paths"]
    assert not [p for p in paths if "account" in p or "role" in p or "user" in p or "reveal" in p]
    for url in ("/api/petitions/", f"/api/petitions/{petition.pk}"):
        answer = client.get(url)
        assert SECRET_PHONE not in answer.content.decode()


def test_the_office_reissues_a_colleagues_credentials_and_an_administrator_cannot(client, world):
    colleague = make_user("colleague", Role.OFFICE_STAFF, world.d1, world.body1)
    authenticator(colleague)
    with pytest.raises(PermissionDenied):
        services.credentials_reissue(actor=world.admin, user=colleague)
    with pytest.raises(PermissionDenied):
        services.credentials_reissue(actor=world.outsider, user=colleague)  # another district's office
    with pytest.raises(PermissionDenied):
        services.credentials_reissue(actor=colleague, user=colleague)
    with pytest.raises(ValidationError):  # no reveal: an administrator resets that one
        services.credentials_reissue(actor=world.users[Role.OFFICE_STAFF], user=world.users[Role.LIAISON])
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("accounts:approvals")).content.decode()
    assert "colleague" in page and "u-liaison" not in page and "root-admin" not in page
    done = client.post(reverse("accounts:approvals"), {"decision": "reissue", "user": colleague.pk})
    shown = done.content.decode().split('<code class="fs-5">')[1].split("</code>")[0]
    colleague.refresh_from_db()
    assert colleague.check_password(shown) and colleague.must_change_password
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(action="user.credentials_reissue", object_id=str(colleague.pk)).exists()
    refused = client.post(
        reverse("accounts:approvals"), {"decision": "reissue", "user": world.users[Role.LIAISON].pk}
    )
    assert refused.status_code == 404
