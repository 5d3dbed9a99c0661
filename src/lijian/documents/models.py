from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import user_field

from .choices import JobStatus


class LedgerImportJob(models.Model):
    """One ledger bundle uploaded from the web page and imported by the background worker."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=255, unique=True)  # in a folder the server names
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("进度说明"), max_length=120, blank=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    report = models.JSONField(_("导入报告"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.done * 100 / self.total))

    @property
    def count_rows(self) -> list[tuple[str, int, int, int]]:
        """(file, created, updated, moved) for each file of a finished import."""
        report = self.report or {}
        counts = report.get("counts", {})
        return [
            (name, *(counts.get(name, {}).get(k, 0) for k in ("created", "updated", "moved")))
            for name in report.get("files", [])
        ]


class Attachment(models.Model):
    """A file attached to a record (a problem's evidence, a clue, a petition …).

    Stored outside the web root under a server-chosen name and served only through the owning
    record's permission check (``documents.attachments``)."""

    owner_type = models.CharField(_("所属记录类型"), max_length=40)  # "findings.problem"
    owner_id = models.PositiveBigIntegerField(_("所属记录"))
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=80, unique=True)
    kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = user_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self):
        return self.original_name
