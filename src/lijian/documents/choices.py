from django.db import models
from django.utils.translation import gettext_lazy as _

from lijian.core.choices import TransitionTable


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("未导入")


JOB_TRANSITIONS = TransitionTable(
    JobStatus,
    {
        JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
        JobStatus.RUNNING: {JobStatus.SUCCEEDED, JobStatus.FAILED},
    },
)
