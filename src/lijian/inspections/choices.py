from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("常规巡视巡察")
    SPECIAL = "special", _("专项巡视巡察")
    FLEXIBLE = "flexible", _("机动巡视巡察")
    ELEVATED = "elevated", _("提级巡视巡察")
    CROSS = "cross", _("交叉巡察")
    LOOK_BACK = "look_back", _("巡视巡察“回头看”")
    LINKED = "linked", _("上下联动巡视巡察")


class Stage(models.TextChoices):
    """The life of one inspection (DESIGN.md §2)."""

    PLANNED = "planned", _("已安排")
    PREPARATION = "preparation", _("准备")
    ONSITE = "onsite", _("进驻了解")
    REPORT = "report", _("报告")
    FEEDBACK = "feedback", _("反馈")
    TRANSFER = "transfer", _("移交")
    RECTIFICATION = "rectification", _("整改")
    ARCHIVED = "archived", _("归档")
    WITHDRAWN = "withdrawn", _("撤销")


# Forward one stage at a time; before going on site an inspection may be withdrawn. Going back is
# not a transition of this table: it would be its own service with a reason.
STAGE_TRANSITIONS = TransitionTable(
    Stage,
    {
        Stage.PLANNED: {Stage.PREPARATION, Stage.WITHDRAWN},
        Stage.PREPARATION: {Stage.ONSITE, Stage.WITHDRAWN},
        Stage.ONSITE: {Stage.REPORT},
        Stage.REPORT: {Stage.FEEDBACK},
        Stage.FEEDBACK: {Stage.TRANSFER},
        Stage.TRANSFER: {Stage.RECTIFICATION},
        Stage.RECTIFICATION: {Stage.ARCHIVED},
    },
)

# The stage action (``inspections:inspection_stage``) that moves an inspection into each stage, with
# its button label. Feedback has none: it has its own form (``rectification:feedback_give``), which
# starts rectification.
ACTION_INTO_STAGE: dict[str, tuple[str, str]] = {
    Stage.PREPARATION: ("prepare", _("进入准备阶段")),
    Stage.ONSITE: ("enter_site", _("进驻")),
    Stage.REPORT: ("leave_site", _("撤离，起草报告")),
    Stage.TRANSFER: ("transfer", _("移交")),
    Stage.RECTIFICATION: ("rectify", _("进入整改阶段")),
    Stage.ARCHIVED: ("archive", _("归档")),
    Stage.WITHDRAWN: ("withdraw", _("撤销")),
}


def next_stage_actions(stage: str) -> list[tuple[str, str]]:
    """The ``(action, label)`` pairs that move an inspection on from ``stage``: one per move the
    transition table allows (in the order of ``Stage``), except a move that has its own form."""
    return [ACTION_INTO_STAGE[t] for t in Stage if STAGE_TRANSITIONS.can(stage, t) and t in ACTION_INTO_STAGE]


# Stages at and after going on site: the inspection counts as "inspected" from its on-site date.
ONSITE_OR_LATER = frozenset(
    {Stage.ONSITE, Stage.REPORT, Stage.FEEDBACK, Stage.TRANSFER, Stage.RECTIFICATION, Stage.ARCHIVED}
)


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("组员")


def member_role_rank() -> models.Case:
    """An expression ordering members as a group is read out: the leader, then deputies, then members
    (the codes' alphabetical order would put 副组长 above 组长)."""
    return models.Case(
        models.When(role=MemberRole.LEADER, then=0),
        models.When(role=MemberRole.DEPUTY, then=1),
        default=2,
        output_field=models.IntegerField(),
    )


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("求解中")
    DONE = "done", _("已有方案")
    INFEASIBLE = "infeasible", _("无可行方案")
    FAILED = "failed", _("出错")
    CONFIRMED = "confirmed", _("已确认")


PLAN_TRANSITIONS = TransitionTable(
    PlanStatus,
    {
        PlanStatus.QUEUED: {PlanStatus.RUNNING, PlanStatus.FAILED},
        PlanStatus.RUNNING: {PlanStatus.DONE, PlanStatus.INFEASIBLE, PlanStatus.FAILED},
        PlanStatus.DONE: {PlanStatus.CONFIRMED},
    },
)
