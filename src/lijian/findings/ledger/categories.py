"""categories.csv of the ledger bundle: the problem taxonomies (分类体系, each a version valid for a
date range) and their categories, one row per category with its framework's fields repeated, so a
bundle whose problems use a framework the target database lacks imports in one step.

A framework is matched by its code, a category by its framework and code; a category's parent is
implied by its code ("2.3" sits under "2", as ``services.category_save`` has it). Rows equal to what
the system holds change nothing and need no permission; anything new or different needs the
reference-data permission, and a framework problems already use is frozen: its categories cannot be
added to or renamed (make a new version, a framework of its own code). ``problems.csv`` finds its
categories among the frameworks of this file as well as the system's (``category_key``).
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger

from ..choices import FrameworkLevel
from ..models import Category, Framework, Problem

CATEGORIES = "categories.csv"


@dataclass
class FrameworkRow:
    line: int
    code: str
    name: str
    level: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    categories: dict[str, tuple[int, str]] = field(default_factory=dict)  # code -> (line, name)

    def fields(self) -> tuple:
        return (self.name, self.level, self.valid_from, self.valid_to)

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _parse_categories(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, FrameworkRow] = {}
    for line, (framework, name, level, valid_from, valid_to, code, category), ok in rows:
        if not ok:
            continue
        row = FrameworkRow(line, framework, name, level, valid_from, valid_to)
        first = staged.setdefault(framework, row)
        if first.fields() != row.fields():
            message = _("分类体系“%(code)s”的名称、适用或日期与第 %(line)s 行不一致。")
            ctx.error(CATEGORIES, line, "framework", message % {"code": framework, "line": first.line})
            continue
        if valid_to is not None and valid_to < valid_from:
            ctx.error(CATEGORIES, line, "valid_to", _("停用日期不能早于启用日期。"))
            continue
        first.categories[code] = (line, category)
    ctx.staged[CATEGORIES] = staged


def _check_categories(ctx: ledger.ImportContext) -> None:
    staged: dict[str, FrameworkRow] = ctx.staged[CATEGORIES]
    existing = {f.code: f for f in Framework.objects.filter(code__in=list(staged))}
    held = {
        (framework, code): name
        for framework, code, name in Category.objects.filter(framework__code__in=list(staged)).values_list(
            "framework__code", "code", "name"
        )
    }
    used = set(
        Problem.objects.filter(category__framework__code__in=list(staged))
        .values_list("category__framework__code", flat=True)
        .distinct()
    )
    may_change = ctx.access.has(Perm.REFERENCE_MANAGE)
    for framework in staged.values():
        old = existing.get(framework.code)
        changed = (
            old is not None and (old.name, old.level, old.valid_from, old.valid_to) != framework.fields()
        )
        if changed and not may_change:
            ctx.error(CATEGORIES, framework.line, "framework", _("您无权修改问题分类体系。"))
        for code, (line, name) in framework.categories.items():
            parent = code.rsplit(".", 1)[0] if "." in code else None
            if parent and parent not in framework.categories and (framework.code, parent) not in held:
                ctx.error(CATEGORIES, line, "code", _("找不到上级分类“%(code)s”。") % {"code": parent})
            if held.get((framework.code, code)) == name:
                continue
            if not may_change:
                ctx.error(CATEGORIES, line, "code", _("您无权修改问题分类体系。"))
            elif framework.code in used:
                message = _("“%(name)s”已有问题使用，不能再修改；请修订为新版本。")
                ctx.error(CATEGORIES, line, "code", message % {"name": framework.name})


def _apply_categories(ctx: ledger.ImportContext) -> None:
    staged: dict[str, FrameworkRow] = ctx.staged[CATEGORIES]
    for framework in staged.values():
        values = {
            "name": framework.name,
            "level": framework.level,
            "valid_from": framework.valid_from,
            "valid_to": framework.valid_to,
        }
        current = Framework.objects.filter(code=framework.code).first()
        ledger.upsert(ctx, CATEGORIES, Framework, current, values, create={"code": framework.code})
        saved = Framework.objects.get(code=framework.code)
        held = {c.code: c for c in saved.categories.all()}
        for code in sorted(framework.categories, key=lambda c: (c.count("."), c)):  # parents first
            _line, name = framework.categories[code]
            category = held.get(code)
            if category is None:
                parent = held.get(code.rsplit(".", 1)[0]) if "." in code else None
                held[code] = Category.objects.create(framework=saved, code=code, name=name, parent=parent)
                ctx.count(CATEGORIES, "created")
            elif category.name != name:
                Category.objects.filter(pk=category.pk).update(name=name)
                ctx.count(CATEGORIES, "updated")


def _export_categories(ctx: ledger.ExportContext):
    frameworks = Framework.objects.order_by("level", "valid_from", "code")
    for framework in frameworks:
        for code, name in framework.categories.order_by("code").values_list("code", "name"):
            yield [
                framework.code,
                framework.name,
                framework.level,
                ledger.iso(framework.valid_from),
                ledger.iso(framework.valid_to),
                code,
                name,
            ]


def category_key(
    ctx: ledger.ImportContext, level: str, text: str, day: datetime.date
) -> tuple[str, str] | None:
    """(framework code, category code) of the category with this code or name in the framework of
    ``level`` in force on ``day``, among this bundle's frameworks (which replace the system's of the
    same code) and the system's; ``None`` when there is none."""
    staged: dict[str, FrameworkRow] = ctx.staged.get(CATEGORIES, {})
    for framework in staged.values():
        if framework.level == level and framework.valid_on(day):
            for code, (_line, name) in framework.categories.items():
                if text in (code, name):
                    return framework.code, code
    for framework in Framework.objects.filter(level=level).exclude(code__in=list(staged)):
        if framework.valid_on(day):
            found = (
                framework.categories.filter(code=text).first()
                or framework.categories.filter(name=text).first()
            )
            if found:
                return framework.code, found.code
    return None


def category_candidates(ctx: ledger.ImportContext, level: str, text: str, day: datetime.date) -> list[str]:
    """The names of the categories in force on ``day`` for ``level`` (this bundle's frameworks and
    the system's) closest to ``text``, at most three, closest first: what a refusal suggests."""
    staged: dict[str, FrameworkRow] = ctx.staged.get(CATEGORIES, {})
    names = [
        name
        for framework in staged.values()
        if framework.level == level and framework.valid_on(day)
        for _line, name in framework.categories.values()
    ]
    for framework in Framework.objects.filter(level=level).exclude(code__in=list(staged)):
        if framework.valid_on(day):
            names += framework.categories.values_list("name", flat=True)
    return difflib.get_close_matches(text, list(dict.fromkeys(names)), n=3, cutoff=0.3)


ledger.register(
    ledger.LedgerFile(
        name=CATEGORIES,
        title=gettext_lazy("问题分类"),
        order=86,
        columns=[
            ledger.filled("framework", "分类体系代码", field=Framework.code),
            ledger.filled("framework_name", "分类体系名称", text=True, field=Framework.name),
            ledger.filled("level", "适用", choices=FrameworkLevel),
            ledger.filled("valid_from", "启用日期", kind=ledger.DATE),
            ledger.Column("valid_to", "停用日期", kind=ledger.DATE),
            ledger.filled("code", "分类编号", field=Category.code),
            ledger.filled("name", "分类名称", text=True, field=Category.name),
        ],
        unique=(ledger.Unique(("framework", "code")),),
        parse=_parse_categories,
        check=_check_categories,
        apply=_apply_categories,
        export=_export_categories,
    )
)
