"""What the home page shows of the signed-in user's roles (registered in ``AccountsConfig.ready``)."""

from lijian.core.permissions import Perm, access_for, subtree_q
from lijian.orgs.models import InspectionBody
from lijian.orgs.selectors import organization_subtree_size

from .choices import Role
from .selectors import role_assignments_for_user


def home_scope(request) -> dict:
    """The user's role assignments, each with the organisations and bodies it covers (and whether
    the user may open the organisation's page), and whether the user works for a receiving
    department."""
    access = access_for(request.user)
    assignments = list(role_assignments_for_user(request.user))
    for assignment in assignments:
        if assignment.organization is not None:
            assignment.can_open = access.covers(Perm.ORG_VIEW, assignment.organization.path)
            assignment.scope_size = organization_subtree_size(assignment.organization) + 1
            assignment.scope_bodies = InspectionBody.objects.filter(
                subtree_q(assignment.organization.path, "owner_org__path")
            ).count()
    return {"assignments": assignments, "is_department": Role.DEPARTMENT in access.roles()}
