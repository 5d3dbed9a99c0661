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


_GROUP_PERMS = frozenset(
    {
        Perm.ORG_VIEW,
        Perm.ROUND_VIEW,
        Perm.FIELDWORK_RECORD,
        Perm.FINDINGS_VIEW,
        Perm.CLUE_VIEW,
        Perm.FINDINGS_RECORD,
        Perm.PETITION_VIEW,
        Perm.RECTIFICATION_VIEW,
    }
)

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
            Perm.FINDINGS_VIEW,
            Perm.CLUE_VIEW,
            Perm.FINDINGS_RECORD,
            Perm.CLUE_TRANSFER,
            Perm.PETITION_VIEW,
            Perm.PETITION_MANAGE,
            Perm.IDENTITY_REVEAL,
            Perm.ROLE_APPROVE,
            Perm.RECTIFICATION_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.DOCUMENT_ISSUE,
            Perm.GOVERNANCE_VIEW,
            Perm.GOVERNANCE_MANAGE,
        }
    ),
    # Group members see the inspections of the groups they serve in (by their cadre record), and
    # record fieldwork there; their organisation scope is what those inspections cover.
    Role.GROUP_LEADER: _GROUP_PERMS,
    Role.GROUP_MEMBER: _GROUP_PERMS,
    # A liaison never sees petitions, clues or problems before feedback; a department sees only the
    # clues transferred to it (``findings.selectors``).
    Role.LIAISON: frozenset({Perm.ORG_VIEW, Perm.RECTIFICATION_VIEW, Perm.RECTIFICATION_EDIT}),
    Role.DEPARTMENT: frozenset({Perm.CLUE_VIEW, Perm.CLUE_ANSWER}),
    Role.LEADER: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.LEDGER_EXPORT,
            Perm.POOL_VIEW,
            Perm.ROUND_VIEW,
            Perm.FIGURES_VIEW,
            Perm.FINDINGS_VIEW,
            Perm.CLUE_VIEW,
            Perm.INSTRUCTION_GIVE,
            Perm.PETITION_VIEW,
            Perm.RECTIFICATION_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.GOVERNANCE_VIEW,
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
            Perm.FINDINGS_VIEW,
            Perm.CLUE_VIEW,
            Perm.PETITION_VIEW,
            Perm.RECTIFICATION_VIEW,
            Perm.DOCUMENT_VIEW,
            Perm.GOVERNANCE_VIEW,
        }
    ),
    # An administrator sees every clue but answers none (only a department answers its transfers),
    # never reads who petitioned (the office that handles the petition does, with a reason), never
    # approves the roles that may, and never writes an organisation's rectification plan (its
    # liaison does).
    Role.ADMINISTRATOR: frozenset(Perm)
    - {
        Perm.PUBLIC,
        Perm.SIGNED_IN,
        Perm.CLUE_ANSWER,
        Perm.IDENTITY_REVEAL,
        Perm.ROLE_APPROVE,
        Perm.RECTIFICATION_EDIT,
    },
}

# Roles that may hold a grant over the whole system rather than one subtree.
GLOBAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.LEADER})

# Separation of duties. A role that can reveal petitioners' identities is granted only with a
# second person's approval (``services.role_approve``), and never to an account that administers
# accounts: whoever can create accounts and reset passwords must not also be able to read who
# petitioned, by any road. The permission engine enforces the last part again
# (``selectors.grants_for_user``), whatever the role table says.
REVEALING_ROLES = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.IDENTITY_REVEAL in perms)
ACCOUNT_ADMIN_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.ACCOUNTS_MANAGE in perms
)
# Permissions an account holding an account-administering role never has, through any other role.
WITHHELD_FROM_ACCOUNT_ADMINS = frozenset({Perm.IDENTITY_REVEAL, Perm.ROLE_APPROVE})
