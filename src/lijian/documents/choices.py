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


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


# Issuing is final: an issued document is never edited, renumbered or withdrawn here (a correction
# is a new document).
DOCUMENT_TRANSITIONS = TransitionTable(DocumentStatus, {DocumentStatus.DRAFT: {DocumentStatus.ISSUED}})


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


RENDER_TRANSITIONS = TransitionTable(
    RenderStatus,
    {
        RenderStatus.QUEUED: {RenderStatus.RUNNING, RenderStatus.FAILED},
        RenderStatus.RUNNING: {RenderStatus.DONE, RenderStatus.FAILED},
    },
)


class FileFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
