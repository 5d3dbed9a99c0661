"""The permission engine: deny by default, roles granted per organisation subtree.

A user holds role assignments, each a role over the subtree rooted at one organisation (or over
everything, for a system administrator). A role is a set of permissions (``accounts.choices``). The
engine answers three questions, always from the same grants:

- ``Access.has(perm)`` — may the user use this kind of page or operation at all?
- ``Access.covers(perm, path)`` — may the user act on the object at this tree path?
- ``Access.q(perm, field)`` — the filter that restricts a queryset to what the user may see.

Every URL and API operation declares its permission with ``requires`` / ``api_requires``; a test
walks the URL configuration and fails for any route without one.

The engine also holds the vocabulary the apps share, each word defined once by the app that owns
the idea: named scopes (``register_scope``: "office of the body", "group of the inspection", …, each
a filter and an object check) and actions (``Action``: who may do one thing to a record and what
anyone else is told), which the services check and ``<entity>_get(user, pk, action)`` asks for
through ``visible_get`` — 404 for a record the user may not see, 403 for one they may not act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Perm(StrEnum):
    """Every permission the product knows. Roles map to sets of these."""

    PUBLIC = "public"  # no login: the login page, the language switch
    SIGNED_IN = "signed_in"  # any signed-in user, whatever their roles (home, own profile)
    ORG_VIEW = "orgs.view"
    ORG_MANAGE = "orgs.manage"
    LEDGER_IMPORT = "ledger.import"
    LEDGER_EXPORT = "ledger.export"
    AUDIT_VIEW = "audit.view"
    ACCOUNTS_MANAGE = "accounts.manage"
    POOL_VIEW = "people.view"
    POOL_MANAGE = "people.manage"
    ROUND_VIEW = "inspections.view"
    ROUND_MANAGE = "inspections.manage"
    FIELDWORK_RECORD = "inspections.record"
    FIGURES_VIEW = "analytics.view"
    REFERENCE_MANAGE = "core.reference"
    FINDINGS_VIEW = "findings.view"  # problems and clues of the inspections the user may see
    FINDINGS_RECORD = "findings.record"  # record problems and clues (the group, the office)
    CLUE_VIEW = "findings.clues"  # clue pages, evidence files, instructions: findings viewers and departments
    CLUE_TRANSFER = "findings.transfer"  # hand clues over to departments (the office)
    CLUE_ANSWER = "findings.answer"  # a receiving department: its transfers only
    INSTRUCTION_GIVE = "findings.instruct"  # a leader's written instruction (批示)
    PETITION_VIEW = "petitions.view"  # petitions of the bodies in scope, or routed to the user's group
    PETITION_MANAGE = "petitions.manage"  # receive, route, close petitions (the office)
    IDENTITY_REVEAL = "petitions.reveal"  # decrypt a petitioner's identity, with a reason, audited
    # The second person for a role that reveals identities: an office holder over its scope approves
    # it (four eyes); never an administrator, who only requests it.
    ROLE_APPROVE = "accounts.approve"
    RECTIFICATION_EDIT = "rectification.edit"  # the liaison: the own organisation's plan, tasks, progress
    RECTIFICATION_VIEW = "rectification.view"  # fed-back problems, plans, rates, interviews, accountability
    DOCUMENT_VIEW = "documents.view"  # official documents (通报, 工作报告) of the bodies in scope
    DOCUMENT_ISSUE = "documents.issue"  # draft, edit, number and issue official documents (the office)
    # The committee's own work and its guidance of lower bodies: meetings, rules, exposure of cases,
    # self-inspection, review of special-meeting materials, the yearly assessment.
    GOVERNANCE_VIEW = "governance.view"
    GOVERNANCE_MANAGE = "governance.manage"


PERM_LABELS = {
    Perm.PUBLIC: _("公开"),
    Perm.SIGNED_IN: _("已登录"),
    Perm.ORG_VIEW: _("查看组织"),
    Perm.ORG_MANAGE: _("维护组织、机构和届次"),
    Perm.LEDGER_IMPORT: _("导入台账"),
    Perm.LEDGER_EXPORT: _("导出台账"),
    Perm.AUDIT_VIEW: _("查看审计日志"),
    Perm.ACCOUNTS_MANAGE: _("管理账号和角色"),
    Perm.POOL_VIEW: _("查看人才库"),
    Perm.POOL_MANAGE: _("维护人才库和回避事项"),
    Perm.ROUND_VIEW: _("查看轮次和巡视巡察"),
    Perm.ROUND_MANAGE: _("规划轮次、编组和推进阶段"),
    Perm.FIELDWORK_RECORD: _("记录了解情况"),
    Perm.FIGURES_VIEW: _("查看统计数字"),
    Perm.REFERENCE_MANAGE: _("维护参考数据（联动方式、了解情况方式、专长、协作部门、问题分类）"),
    Perm.FINDINGS_VIEW: _("查看问题和线索"),
    Perm.FINDINGS_RECORD: _("记录问题和线索"),
    Perm.CLUE_VIEW: _("查看问题线索、附件和批示"),
    Perm.CLUE_TRANSFER: _("向协作部门移交线索"),
    Perm.CLUE_ANSWER: _("反馈移交线索的办理情况"),
    Perm.INSTRUCTION_GIVE: _("作出批示"),
    Perm.PETITION_VIEW: _("查看信访件"),
    Perm.PETITION_MANAGE: _("受理、转办和办结信访件"),
    Perm.IDENTITY_REVEAL: _("查看信访人身份（须说明理由，记入审计日志）"),
    Perm.ROLE_APPROVE: _("审批可查看信访人身份的角色授予，管理这类账号的密码和二次验证"),
    Perm.RECTIFICATION_EDIT: _("编制和报送本单位的整改方案、任务和进展"),
    Perm.RECTIFICATION_VIEW: _("查看整改情况、整改率、约谈和问责"),
    Perm.DOCUMENT_VIEW: _("查看公文（通报、工作报告）"),
    Perm.DOCUMENT_ISSUE: _("起草、编号和印发公文"),
    Perm.GOVERNANCE_VIEW: _("查看会议、制度、曝光、自查、材料审阅和考核"),
    Perm.GOVERNANCE_MANAGE: _("记录会议、制度、曝光、自查、材料审阅和考核"),
}

# Sorts after every character of the path alphabet (0-9, A-Z), so [p, p + PATH_END) is exactly the
# set of paths that start with p. Path columns use the C collation on PostgreSQL to keep this true.
PATH_END = "~"


def subtree_range(path: str) -> tuple[str, str]:
    """The half-open range of paths in the subtree rooted at ``path`` (the root included)."""
    return path, path + PATH_END


def subtree_q(path: str, field: str = "path") -> Q:
    low, high = subtree_range(path)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def q_any(*parts: Q | None) -> Q:
    """The OR of filters, where an empty ``Q()`` means "everything" (a global grant) and wins.

    Django's ``Q() | other`` returns ``other``, which would turn "everything or X" into "X"; every
    selector that widens a scope with ``|`` goes through here. ``None`` parts are skipped; no part
    at all matches nothing."""
    present = [p for p in parts if p is not None]
    if any(not p for p in present):
        return Q()
    if not present:
        return Q(pk__in=[])
    result = present[0]
    for part in present[1:]:
        result = result | part
    return result


@dataclass(frozen=True)
class Grant:
    """A role's permissions over one subtree. ``path`` is ``""`` for the whole system."""

    role: str
    path: str
    perms: frozenset[str]


class Access:
    """What one user may do, computed once per request from their active role assignments."""

    def __init__(self, grants: list[Grant], authenticated: bool):
        self.grants = grants
        self.authenticated = authenticated

    def has(self, perm: str) -> bool:
        if perm == Perm.PUBLIC:
            return True
        if perm == Perm.SIGNED_IN:
            return self.authenticated
        return any(perm in g.perms for g in self.grants)

    def paths(self, perm: str) -> list[str]:
        """The roots of the subtrees where ``perm`` holds, none inside another."""
        roots = sorted({g.path for g in self.grants if perm in g.perms})
        minimal: list[str] = []
        for path in roots:  # sorted, so an ancestor comes before its descendants
            if not any(path.startswith(kept) for kept in minimal):
                minimal.append(path)
        return minimal

    def covers(self, perm: str, path: str) -> bool:
        return any(path.startswith(root) for root in self.paths(perm))

    def is_global(self, perm: str) -> bool:
        return "" in self.paths(perm)

    def q(self, perm: str, field: str = "path") -> Q:
        """A filter matching the objects whose ``field`` (a tree path) lies inside the user's scope.

        Matches nothing when the user lacks the permission everywhere.
        """
        roots = self.paths(perm)
        if "" in roots:
            return Q()
        if not roots:
            return Q(pk__in=[])
        query = Q()
        for root in roots:
            query |= subtree_q(root, field)
        return query

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def without_roles(self, roles: frozenset[str]) -> Access:
        """The same user's ``Access`` from the grants of every role but ``roles`` (a named scope
        built from part of the role table, e.g. the office's grants without a group's)."""
        return Access([g for g in self.grants if g.role not in roles], self.authenticated)


@dataclass(frozen=True)
class Scope:
    """One named way a user reaches a record ("office of the body", "group of the inspection", …),
    defined once by the app that owns the idea and registered here with ``register_scope``.

    ``q(user, perm, field)`` is the filter for a queryset whose ``field`` leads to the scope's anchor
    (a body, an inspection, an organisation, a department); it is ``None`` when the user reaches
    nothing this way, so that ``q_any`` skips it. ``holds(user, perm, anchor)`` is the same rule for
    one anchor object. Both answer only for ``perm``; a caller ORs scopes with ``q_any``."""

    name: str
    q: Callable[[Any, str, str], Q | None]
    holds: Callable[[Any, str, Any], bool]


SCOPES: dict[str, Scope] = {}


def register_scope(name: str, *, q: Callable, holds: Callable) -> Scope:
    """Register the scope ``name`` and return it. Raises ``ImproperlyConfigured`` when another
    definition already holds the name: each scope is defined once."""
    if name in SCOPES:
        raise ImproperlyConfigured(f"The permission scope {name!r} is defined twice.")
    SCOPES[name] = Scope(name, q, holds)
    return SCOPES[name]


@dataclass(frozen=True)
class Action:
    """One thing a user may do to a record: who may (``allowed(user, obj)``, a selector's ``can_*``)
    and what anyone else is told (``refusal``). The service checks it before it writes, and
    ``<entity>_get(user, pk, action)`` before a view binds its form, so both answer alike."""

    allowed: Callable[[Any, Any], bool]
    refusal: Any = None  # a (lazy) message; the generic one when None

    def check(self, user, obj) -> None:
        """Raise ``PermissionDenied`` (with ``refusal``) unless ``user`` may do this to ``obj``."""
        permit(self.allowed(user, obj), self.refusal)


def visible_get(visible: QuerySet, pk, *, user=None, action: Action | None = None):
    """The one object with primary key ``pk`` among ``visible`` (a selector's queryset of what the
    user may see), for an ``<entity>_get(user, pk, action)``.

    Raises ``Http404`` when ``pk`` is no id or the object is not visible (existence is not revealed),
    then ``PermissionDenied`` when ``action`` is given and ``user`` may not do it to the object: the
    user sees it, but may not act on it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    obj = visible.filter(pk=pk).first()
    if obj is None:
        raise Http404
    if action is not None:
        action.check(user, obj)
    return obj


# The reader of the role table (who holds which role where), registered by the app that holds it
# (accounts) with ``register_grants``: the engine reads grants, it does not know where they live.
_grants_readers: list[Callable[[Any], list]] = []


def register_grants(reader: Callable[[Any], list]) -> None:
    """Make ``reader(user)`` (a list of ``Grant``) the source of every user's grants."""
    _grants_readers[:] = [reader]


def _grants_for_user(user) -> list:
    if not _grants_readers:
        raise ImproperlyConfigured("No app registered the role table (register_grants).")
    return _grants_readers[0](user)


def access_for(user) -> Access:
    """The user's ``Access``, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Access([], authenticated=False)
    cached = getattr(user, "_lijian_access", None)
    if cached is None:
        cached = Access(_grants_for_user(user), authenticated=True)
        user._lijian_access = cached
    return cached


def forget_access(user) -> None:
    """Drop the cached grants, e.g. after a role assignment changes within the same request."""
    if hasattr(user, "_lijian_access"):
        del user._lijian_access


def require(user, perm: str, path: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds ``perm`` (over ``path`` when given)."""
    access = access_for(user)
    allowed = access.has(perm) if path is None else access.covers(perm, path)
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def permit(allowed: bool, message: str | None = None) -> None:
    """The first step of every action on a record, before the request's form is bound: raise
    ``PermissionDenied`` (the 403 page) unless ``allowed`` — the selectors' ``can_*`` answer for this
    actor, this action and this record. Checking the form first would tell a user who may not act
    what a valid request looks like ("请填写…") and answer them 302/200 instead of 403; the service
    checks again, so this is about the order of answers, not a second rule."""
    if not allowed:
        raise PermissionDenied(message or _("您没有权限执行此操作。"))


def requires(perm: Perm) -> Callable:
    """Declare and enforce the permission of an HTML view.

    Anonymous users are sent to the login page (except for ``Perm.PUBLIC``); signed-in users without
    the permission anywhere get 403. Object scope is enforced by the selectors the view calls, which
    answer 404 for objects outside the user's subtrees.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if perm != Perm.PUBLIC:
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login  # needs the user model loaded

                    return redirect_to_login(request.get_full_path())
                if not access_for(request.user).has(perm):
                    raise PermissionDenied(_("您没有权限访问此页面。"))
            return view(request, *args, **kwargs)

        wrapped.lijian_permission = perm
        return wrapped

    return decorate


def api_requires(perm: Perm) -> Callable:
    """Declare and enforce the permission of a django-ninja operation (use under ``@router.get``)."""
    from ninja.errors import HttpError

    def decorate(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if perm != Perm.PUBLIC:
                if not request.user.is_authenticated:
                    raise HttpError(401, str(_("请先登录。")))
                if not access_for(request.user).has(perm):
                    raise HttpError(403, str(_("您没有权限执行此操作。")))
            return func(request, *args, **kwargs)

        wrapped.lijian_permission = perm
        return wrapped

    return decorate
