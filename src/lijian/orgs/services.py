"""Every write to organisations, bodies and terms. Each function checks the actor's permission over
the organisations it touches, validates, writes and appends an audit event, in one transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited, snapshot, update_audited
from lijian.core.permissions import Perm, access_for, require

from .models import InspectionBody, Organization, Term
from .validators import check_division_code, check_not_under_itself, check_term_overlap

ORG_FIELDS = ("code", "name", "kind", "division_code", "active_from", "active_to", "supervising_body")
BODY_FIELDS = ("code", "name", "level", "owner_org", "authorized_posts", "rectification_threshold")
TERM_FIELDS = ("body", "name", "start", "end")


def _require_manage(actor, path: str | None) -> None:
    """Managing a root (``path is None``) needs a grant over the whole system."""
    if path is None:
        if not access_for(actor).is_global(Perm.ORG_MANAGE):
            raise PermissionDenied(_("只有系统管理员可以新建顶级组织。"))
        return
    require(actor, Perm.ORG_MANAGE, path)


def check_supervising_body(body: InspectionBody | None, parent_path: str) -> None:
    """A body covers organisations inside its committee's subtree: its owner must be the new or
    current parent of the organisation, or an ancestor of it. ``ValidationError`` otherwise."""
    if body is not None and not parent_path.startswith(body.owner_org.path):
        raise ValidationError(
            {
                "supervising_body": _("“%(body)s”只能负责“%(owner)s”的下属组织。")
                % {"body": body.name, "owner": body.owner_org.name}
            }
        )


@transaction.atomic
def organization_create(
    *,
    actor,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    division_code: str = "",
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
    supervising_body: InspectionBody | None = None,
) -> Organization:
    """Create an organisation as the last child of ``parent`` (or as a new root).

    Raises ``PermissionDenied`` unless the actor manages ``parent``'s subtree, ``ValidationError``
    for a duplicate code, bad dates (``validators.check_active_dates``) or a division code that is
    not digits (``validators.check_division_code``).
    """
    _require_manage(actor, parent.path if parent else None)
    org = Organization(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        division_code=division_code.strip(),
        active_from=active_from,
        active_to=active_to,
        supervising_body=supervising_body,
        path="0" * Organization.steplen * ((parent.depth + 1) if parent else 1),  # placeholder for validation
        depth=(parent.depth + 1) if parent else 1,
    )
    check_division_code(org.division_code)  # before the model's length check, in the ledger's words
    org.full_clean(exclude=["path"])
    check_supervising_body(supervising_body, parent.path if parent else "")
    if parent is None:
        org = Organization.objects.add_root(instance=org)
    else:
        parent.refresh_from_db()
        org = Organization.objects.add_child(parent, instance=org)
    audit_record(
        actor=actor,
        action="organization.create",
        obj=org,
        after=snapshot(org, ORG_FIELDS),
        scope_path=org.path,
    )
    return org


@transaction.atomic
def organization_update(*, actor, org: Organization, **changes) -> Organization:
    """Change the facts of an organisation (not its place in the tree: see ``organization_move``)."""
    require(actor, Perm.ORG_MANAGE, org.path)
    if changes.get("division_code") is not None:  # before the model's length check, as on creation
        check_division_code(changes["division_code"].strip())
    return update_audited(
        actor=actor,
        instance=org,
        changes=changes,
        editable=ORG_FIELDS,
        action="organization.update",
        scope_path=org.path,
        check=lambda o: check_supervising_body(o.supervising_body, o.parent_path),
    )


_KEEP = object()


@transaction.atomic
def organization_move(
    *, actor, org: Organization, new_parent: Organization, supervising_body=_KEEP
) -> Organization:
    """Move ``org`` and its whole subtree under ``new_parent`` (as its last child), optionally giving
    it another supervising body in the same step.

    Raises ``ValidationError`` when ``new_parent`` is ``org`` itself or inside its subtree, or when the
    supervising body cannot cover the organisation at its new place.
    """
    require(actor, Perm.ORG_MANAGE, org.path)
    require(actor, Perm.ORG_MANAGE, new_parent.path)
    check_not_under_itself(org.path, new_parent.path)
    body = org.supervising_body if supervising_body is _KEEP else supervising_body
    check_supervising_body(body, new_parent.path)
    before = {"parent": org.parent_path, "supervising_body": org.supervising_body_id}
    if body != org.supervising_body:
        org.supervising_body = body
        org.save(update_fields=["supervising_body"])
    Organization.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action="organization.move",
        obj=org,
        before=before,
        after={"parent": new_parent.path, "supervising_body": org.supervising_body_id},
        scope_path=org.path,
    )
    return org


@transaction.atomic
def body_create(
    *,
    actor,
    code: str,
    name: str,
    level: str,
    owner_org: Organization,
    authorized_posts: int = 0,
    rectification_threshold: int = 70,
):
    """Create an inspection or patrol body for the committee ``owner_org``."""
    require(actor, Perm.ORG_MANAGE, owner_org.path)
    body = InspectionBody(
        code=code.strip(),
        name=name.strip(),
        level=level,
        owner_org=owner_org,
        authorized_posts=authorized_posts,
        rectification_threshold=rectification_threshold,
    )
    create_audited(
        actor=actor,
        instance=body,
        action="body.create",
        fields=BODY_FIELDS,
        scope_path=owner_org.path,
    )
    return body


@transaction.atomic
def body_update(*, actor, body: InspectionBody, **changes) -> InspectionBody:
    require(actor, Perm.ORG_MANAGE, body.owner_org.path)
    if "owner_org" in changes:
        require(actor, Perm.ORG_MANAGE, changes["owner_org"].path)
    return update_audited(
        actor=actor,
        instance=body,
        changes=changes,
        editable=BODY_FIELDS,
        action="body.update",
        scope_path=body.owner_org.path,
    )


def _check_term_overlap(term: Term) -> None:
    """``validators.check_term_overlap`` against the body's other terms in the database."""
    others = (
        Term.objects.filter(body=term.body, start__lte=term.end, end__gte=term.start)
        .exclude(pk=term.pk)
        .values_list("name", "start", "end")
    )
    check_term_overlap(term.start, term.end, others)


@transaction.atomic
def term_create(*, actor, body: InspectionBody, name: str, start: datetime.date, end: datetime.date) -> Term:
    """Create a term of ``body``. Raises ``ValidationError`` for an end not after the start
    (``validators.check_term_dates``) and for a term overlapping another of the body
    (``validators.check_term_overlap``)."""
    require(actor, Perm.ORG_MANAGE, body.owner_org.path)
    term = Term(body=body, name=name.strip(), start=start, end=end)
    return create_audited(
        actor=actor,
        instance=term,
        action="term.create",
        fields=TERM_FIELDS,
        check=_check_term_overlap,
        scope_path=body.owner_org.path,
    )


@transaction.atomic
def term_update(*, actor, term: Term, **changes) -> Term:
    """Rename a term or change its dates; the rules of ``term_create`` hold."""
    require(actor, Perm.ORG_MANAGE, term.body.owner_org.path)
    return update_audited(
        actor=actor,
        instance=term,
        changes=changes,
        editable=("name", "start", "end"),
        action="term.update",
        scope_path=term.body.owner_org.path,
        check=_check_term_overlap,
    )
