"""``lijian bootstrap-office``: a fresh installation gets its first office holder from the server's
console — exactly one where nobody could approve one, never a way around the four-eyes approval once
an office holder exists, never for an administrator."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts import services
from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment, User
from lijian.accounts.selectors import second_factor_required
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm, access_for, forget_access

from ..world import PASSWORD, authenticator, make_user


def _bootstrap(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("bootstrap_office", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def _written():
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
        TOTPDevice.objects.count(),
        sorted(User.objects.values_list("password", flat=True)),
    )


def test_the_first_office_holder_of_an_organisation_without_one_is_seeded_with_a_one_time_password(
    client, world
):
    # The SOE's committee has no office holder, nor has anything above it (the city): nobody could
    # approve an office role there.
    password, said = _bootstrap("soe-office", world.soe.code, "--full-name", "港口巡察办")
    user = User.objects.get(username="soe-office")
    assert user.full_name == "港口巡察办"
    assert user.check_password(password) and user.must_change_password
    assert "一次性初始密码" in said and password not in said  # printed once, on stdout alone
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.organization, assignment.active, assignment.awaiting_approval) == (
        Role.OFFICE_STAFF,
        world.soe,
        True,
        False,
    )
    access = access_for(user)
    assert access.covers(Perm.IDENTITY_REVEAL, world.soe.path)
    assert access.covers(Perm.ROLE_APPROVE, world.soe.path)
    assert not access.covers(Perm.ROLE_APPROVE, world.d1.path)
    assert second_factor_required(user)  # the authenticator is enrolled at first log-in
    event = AuditEvent.objects.get(action="role.bootstrap")
    assert (event.actor_id, event.actor_name, event.scope_path) == (None, "system", world.soe.path)
    assert event.after["account_created"] and event.after["role"] == Role.OFFICE_STAFF
    assert password not in str(event.after)
    # The first log-in asks for a new password (and the enrolment the role requires).
    response = client.post("/accounts/login/", {"username": "soe-office", "password": password})
    assert response.status_code == 302


def test_from_then_on_the_four_eyes_approval_works_and_the_command_is_refused(world):
    first, _said = _bootstrap("soe-office", world.soe.code)
    holder = User.objects.get(username="soe-office")
    colleague = make_user("soe-second")
    request = services.role_grant(
        actor=world.admin, user=colleague, role=Role.OFFICE_STAFF, organization=world.soe
    )
    assert request.awaiting_approval
    services.role_approve(actor=holder, assignment=request)
    forget_access(colleague)
    assert access_for(colleague).covers(Perm.IDENTITY_REVEAL, world.soe.path)
    before = _written()
    with pytest.raises(CommandError, match="已有巡视巡察办人员"):
        _bootstrap("soe-third", world.soe.code)
    assert _written() == before


@pytest.mark.parametrize("where", ["d1", "t1", "v1"])
def test_refused_where_an_office_holder_exists_at_or_above_the_organisation(world, where):
    # 和平区's office staff covers the district, its street and its community.
    before = _written()
    with pytest.raises(CommandError, match="已有巡视巡察办人员.*u-office_staff"):
        _bootstrap("newcomer", getattr(world, where).code)
    assert _written() == before
    assert not User.objects.filter(username="newcomer").exists()


def test_an_office_holder_whose_account_is_deactivated_still_counts(world):
    """An administrator can reactivate the account; a console seed beside it would skip the approval."""
    world.users[Role.OFFICE_STAFF].is_active = False
    world.users[Role.OFFICE_STAFF].save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="已有巡视巡察办人员"):
        _bootstrap("newcomer", world.t1.code)


def test_refused_for_an_administrator_account(world):
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    before = _written()
    for admin in (world.admin, world.users[Role.ADMINISTRATOR], superuser):
        with pytest.raises(CommandError, match="系统管理员"):
            _bootstrap(admin.username, world.soe.code)
    assert _written() == before
    assert not RoleAssignment.objects.filter(role=Role.OFFICE_STAFF, organization=world.soe).exists()


def test_refused_for_an_unknown_organisation_a_deactivated_account_and_a_bad_username(world):
    inactive = make_user("gone", is_active=False)
    before = _written()
    with pytest.raises(CommandError, match="没有代码为“NOPE”的组织"):
        _bootstrap("newcomer", "NOPE")
    with pytest.raises(CommandError, match="已停用"):
        _bootstrap(inactive.username, world.soe.code)
    with pytest.raises(CommandError):
        _bootstrap("bad name!", world.soe.code)
    assert _written() == before


def test_an_existing_account_gets_new_credentials_and_loses_its_old_authenticator(world):
    """Whoever created the account or knew its password (an administrator) cannot sign in as the new
    office holder: the password is replaced and the authenticator enrolled again."""
    person = make_user("soe-person", Role.LEADER, world.soe)
    old = authenticator(person, create=True)
    password, _said = _bootstrap("soe-person", world.soe.code)
    person.refresh_from_db()
    assert person.check_password(password) and not person.check_password(PASSWORD)
    assert person.must_change_password
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert set(RoleAssignment.objects.filter(user=person, active=True).values_list("role", flat=True)) == {
        Role.LEADER,
        Role.OFFICE_STAFF,
    }
    assert AuditEvent.objects.get(action="role.bootstrap").after["account_created"] is False


def test_a_request_awaiting_approval_is_the_one_the_seed_activates(world):
    """An administrator asked for the role, but nobody could approve it: the seed makes it effective
    (one assignment, not two)."""
    person = make_user("soe-person")
    services.role_grant(actor=world.admin, user=person, role=Role.OFFICE_STAFF, organization=world.soe)
    _bootstrap("soe-person", world.soe.code)
    (assignment,) = RoleAssignment.objects.filter(user=person)
    assert assignment.active and not assignment.awaiting_approval
