"""Who handles a receiving department's transfers (told of clues transferred to it and overdue)."""

from collections.abc import Iterable

from .models import Department


def department_staff_by_id(departments: Iterable[int]) -> dict[int, set[int]]:
    """For each receiving department (by id), the active accounts handling its transfers."""
    staff: dict[int, set[int]] = {}
    through = Department.staff.through.objects.filter(department__in=set(departments), user__is_active=True)
    for department, user in through.values_list("department_id", "user_id"):
        staff.setdefault(department, set()).add(user)
    return staff


def department_staff(department) -> set[int]:
    """The active accounts handling a receiving department's transfers."""
    return department_staff_by_id([department.pk]).get(department.pk, set())
