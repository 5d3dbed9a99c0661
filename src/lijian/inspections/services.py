from django.db import transaction

from lijian.core.audit import audit_record, snapshot
from lijian.core.permissions import Perm, require

from .models import Group

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for group numbers below 100)."""
    if n < 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十" + (CHINESE_NUMERALS[ones] if ones else "")


@transaction.atomic
def group_create(*, actor, body, number: int, name: str = "") -> Group:
    """Create standing group ``number`` of ``body``, named 第N巡视组 / 第N巡察组 unless ``name`` is given."""
    require(actor, Perm.ORG_MANAGE, body.owner_org.path)
    suffix = "巡视组" if body.level == "inspection" else "巡察组"
    group = Group(body=body, number=number, name=name or f"第{chinese_number(number)}{suffix}")
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action="group.create",
        obj=group,
        after=snapshot(group, ("body", "number", "name")),
        scope_path=body.owner_org.path,
    )
    return group
