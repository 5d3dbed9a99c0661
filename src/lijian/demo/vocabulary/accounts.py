"""The demo's accounts: one per role, each with a scope that shows what the role sees, all with the
published demo password."""

from __future__ import annotations

from lijian.accounts.choices import Role

DEMO_PASSWORD = "lijian-demo-2026"

# username, full name, role, scope organisation code (None = whole system), body code
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMINISTRATOR, None, None),
    ("xunshiban", "王巡视（市委巡视办）", Role.OFFICE_STAFF, "TJ", "TJ-XSB"),
    ("heping", "李巡察（和平区委巡察办）", Role.OFFICE_STAFF, "120101", "XCB-120101"),
    ("zuzhang", "张组长（市委第一巡视组）", Role.GROUP_LEADER, "TJ-S02", "TJ-XSB"),
    ("zuyuan", "赵组员（市委第一巡视组）", Role.GROUP_MEMBER, "TJ-S02", "TJ-XSB"),
    ("lianluoyuan", "陈联络（天津港集团）", Role.LIAISON, "TJ-S01", None),
    ("jiwei", "刘协作（市纪委监委等协作部门）", Role.DEPARTMENT, "TJ", None),
    ("lingdao", "周领导（市委）", Role.LEADER, "TJ", None),
    ("shenji", "吴审计", Role.AUDITOR, "TJ", None),
]
