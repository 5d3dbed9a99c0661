"""Roles and what each may do (DESIGN.md §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Perm


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("巡视巡察办工作人员")
    GROUP_LEADER = "group_leader", _("巡视巡察组组长")
    GROUP_MEMBER = "group_member", _("巡视巡察组成员")
    LIAISON = "liaison", _("被巡视单位联络员")
    DEPARTMENT = "department", _("协作部门")
    LEADER = "leader", _("领导")
    AUDITOR = "auditor", _("审计员")
    ADMINISTRATOR = "administrator", _("系统管理员")


# Deny by default: a permission not listed for a role is refused. Later issues narrow the group and
# liaison roles further (to their group's inspections, their own organisation's tasks).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OFFICE_STAFF: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.ORG_MANAGE,
            Perm.LEDGER_IMPORT,
            Perm.LEDGER_EXPORT,
            Perm.POOL_VIEW,
            Perm.POOL_MANAGE,
            Perm.ROUND_VIEW,
            Perm.ROUND_MANAGE,
            Perm.FIELDWORK_RECORD,
            Perm.FIGURES_VIEW,
        }
    ),
    # Group members see the inspections of the groups they serve in (by their cadre record), and
    # record fieldwork there; their organisation scope is what those inspections cover.
    Role.GROUP_LEADER: frozenset({Perm.ORG_VIEW, Perm.ROUND_VIEW, Perm.FIELDWORK_RECORD}),
    Role.GROUP_MEMBER: frozenset({Perm.ORG_VIEW, Perm.ROUND_VIEW, Perm.FIELDWORK_RECORD}),
    Role.LIAISON: frozenset({Perm.ORG_VIEW}),
    Role.DEPARTMENT: frozenset(),
    Role.LEADER: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.LEDGER_EXPORT,
            Perm.POOL_VIEW,
            Perm.ROUND_VIEW,
            Perm.FIGURES_VIEW,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.LEDGER_EXPORT,
            Perm.AUDIT_VIEW,
            Perm.POOL_VIEW,
            Perm.ROUND_VIEW,
            Perm.FIGURES_VIEW,
        }
    ),
    Role.ADMINISTRATOR: frozenset(Perm) - {Perm.PUBLIC, Perm.SIGNED_IN},
}

# Roles that may hold a grant over the whole system rather than one subtree.
GLOBAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.LEADER})
