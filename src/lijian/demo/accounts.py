"""The demo's accounts made (``vocabulary.accounts``), the liaisons of the organisations fed back, and
the demo group leader and member linked to the cadres the optimiser chose."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment, User
from lijian.core.audit import audit_record
from lijian.demo.vocabulary.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from lijian.inspections.models import Inspection, RoundMember
from lijian.orgs.models import InspectionBody, Organization
from lijian.people.models import Cadre


def enrol_demo_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator for a demo account whose role requires the second factor, so the
    demo can be tried without a phone: ``lijian demo-otp <username>`` prints its current code."""
    return TOTPDevice.objects.create(user=user, name="演示验证器", confirmed=True)


@transaction.atomic
def ensure_accounts(specs=DEMO_ACCOUNTS) -> list[dict]:
    """Create the demo accounts that do not exist yet, with an authenticator where the role requires
    one. Existing ones are left as they are, except that an account an older demo made (it still
    has the demo password) is marked as a demo account and given its authenticator."""
    rows = []
    for username, full_name, role, scope, body in specs:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, full_name=full_name, demo_account=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
            audit_record(
                actor=None, action="user.create", obj=user, after={"username": username, "demo": True}
            )
            if role in settings.TOTP_REQUIRED_ROLES:
                enrol_demo_authenticator(user)
        elif not user.demo_account and user.check_password(DEMO_PASSWORD):
            # Made by a demo from before accounts were marked: with the published password it is a
            # demo account in all but name, so it gets what a new one gets.
            User.objects.filter(pk=user.pk).update(demo_account=True)
            if role in settings.TOTP_REQUIRED_ROLES and not TOTPDevice.objects.filter(user=user).exists():
                enrol_demo_authenticator(user)
        organization = Organization.objects.get(code=scope) if scope else None
        body_obj = InspectionBody.objects.get(code=body) if body else None
        assignment, granted = RoleAssignment.objects.get_or_create(
            user=user, role=role, organization=organization, defaults={"body": body_obj}
        )
        if granted:
            audit_record(
                actor=None,
                action="role.grant",
                obj=assignment,
                after={"user": user.pk, "role": role, "organization": scope},
                scope_path=organization.path if organization else "",
            )
        rows.append(
            {
                "username": username,
                "full_name": full_name,
                "role": Role(role).label,
                "scope": organization.name if organization else "全系统",
                "created": created,
                "totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                or role in settings.TOTP_REQUIRED_ROLES,
            }
        )
    return rows


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once per run: Argon2 is slow on purpose, and a hundred hashes would
    add a minute to the demo."""
    return make_password(DEMO_PASSWORD)


def ensure_demo_user(username: str, full_name: str, *, demo_account: bool = True) -> User:
    """The account ``username``, created (and audited) with the demo password if it does not exist."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=full_name[:60],
            password=demo_password_hash(),
            demo_account=demo_account,
        )
        user.save()
        audit_record(actor=None, action="user.create", obj=user, after={"username": username, "demo": True})
    return user


def ensure_role(user: User, role: str, organization: Organization) -> RoleAssignment:
    """``user``'s role over ``organization``, granted (and audited) if not held yet."""
    assignment, granted = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization
    )
    if granted:
        audit_record(
            actor=None,
            action="role.grant",
            obj=assignment,
            after={"user": user.pk, "role": role, "organization": organization.code},
            scope_path=organization.path,
        )
    return assignment


@transaction.atomic
def ensure_liaisons(organizations) -> dict[int, User]:
    """One liaison account per inspected organisation (role LIAISON over it), by organisation id, so
    each organisation's plan is written by its own liaison: an existing liaison of the organisation
    is kept (天津港集团's is the demo account ``lianluoyuan``), otherwise ``lianluo-<code>`` is
    created with the demo password."""
    organizations = list(organizations)
    existing = {
        a.organization_id: a.user
        for a in RoleAssignment.objects.filter(
            role=Role.LIAISON, organization__in=organizations, active=True
        ).select_related("user")
    }
    liaisons = {}
    for org in organizations:
        user = existing.get(org.pk)
        if user is None:
            user = ensure_demo_user(f"lianluo-{org.code.lower()}", f"{org.name}联络员")
            ensure_role(user, Role.LIAISON, org)
        liaisons[org.pk] = user
    return liaisons


def link_group_accounts() -> None:
    """The demo group leader and member are the leader and a member of the city group that inspected
    天津城投集团 (TJ-S02), as the optimiser staffed it."""
    inspection = Inspection.objects.filter(organization__code="TJ-S02", round__body__code="TJ-XSB").first()
    if inspection is None:
        return
    members = RoundMember.objects.filter(round=inspection.round, group=inspection.group).order_by(
        "role", "cadre_id"
    )
    leader = members.filter(role="leader").first()
    member = members.exclude(role="leader").first()
    for username, row in (("zuzhang", leader), ("zuyuan", member)):
        user = User.objects.get(username=username)
        if row and not Cadre.objects.filter(user=user).exists():
            Cadre.objects.filter(pk=row.cadre_id, user__isnull=True).update(user=user)
