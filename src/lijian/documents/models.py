from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.fields import user_field

from .choices import DocumentStatus, JobStatus, RenderStatus
from .kinds import kind_label


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
    # The errors workbook the job builds once it ends with errors, stored beside the bundle (a name
    # under the upload folder like ``stored_name``); "" before it is built, or for an older job.
    errors_name = models.CharField(_("错误表格"), max_length=255, blank=True)
    # A preview checks the bundle and reports what it would write, writing nothing; once confirmed,
    # the import proper is another job (``confirmed_as``) that takes the stored file over.
    preview = models.BooleanField(_("预览"), default=False)
    confirmed_as = models.OneToOneField(
        "self",
        verbose_name=_("确认后的导入"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="previewed_by",
    )

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


class OfficialDocument(models.Model):
    """An official document (公文) of a registered kind (``documents.kinds``) issued by one organ.

    A draft holds the paper its kind computed from the records as of ``as_of`` (``computed``), the
    office's wording of its paragraphs (``wording``: per paragraph key, a text with ``{figure}``
    placeholders) and the two combined (``paper``, what is shown and rendered). Issuing numbers it
    (``serial`` within organ, kind and year; ``number`` the 发文字号) and freezes ``paper``."""

    kind = models.CharField(_("文书种类"), max_length=40)
    organ_type = models.CharField(_("发文机关类型"), max_length=40)  # "orgs.body"
    organ_id = models.PositiveBigIntegerField(_("发文机关"))
    organ_name = models.CharField(_("发文机关名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=80, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    as_of = models.DateField(_("数据截至"))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    computed = models.JSONField(_("计算所得文稿"), default=dict, blank=True)
    wording = models.JSONField(_("修改的文字"), default=dict, blank=True)
    paper = models.JSONField(_("文稿"), default=dict, blank=True)
    created_by = user_field(_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    issued_by = user_field(_("印发人"), blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organ_type", "organ_id"], name="official_document_organ_idx"),
            models.Index(fields=["-created_at", "-id"], name="official_document_list_idx"),
        ]
        constraints = [
            # The serial is taken under a lock (documents.official); this refuses a repeat however
            # the row was written.
            models.UniqueConstraint(
                fields=["organ_type", "organ_id", "kind", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="official_document_number_unique",
            ),
            # 发文字号 never repeats within an organ, whatever kind carries it (GB/T 9704 §7.2.4); the
            # issue service refuses a repeat first, this is the backstop.
            models.UniqueConstraint(
                fields=["organ_type", "organ_id", "number"],
                condition=~models.Q(number=""),
                name="official_document_number_text_unique",
            ),
        ]

    def __str__(self):
        return self.number or self.title

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class DocumentVersion(models.Model):
    """One version of an official document: the paper as it stood (frozen JSON) and its DOCX and PDF,
    rendered by the background worker and stored outside the web root under server-chosen names.
    A version is written when a draft is made, regenerated or reworded, and when it is issued; none
    is ever changed afterwards but for its rendering."""

    document = models.ForeignKey(
        OfficialDocument, verbose_name=_("公文"), on_delete=models.CASCADE, related_name="versions"
    )
    n = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=16, choices=DocumentStatus.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    as_of = models.DateField(_("数据截至"))
    paper = models.JSONField(_("文稿"))
    created_by = user_field(_("生成人"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    render_status = models.CharField(
        _("生成状态"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    render_stage = models.CharField(_("进度说明"), max_length=120, blank=True)
    render_percent = models.PositiveSmallIntegerField(_("进度"), default=0)
    rendered_at = models.DateTimeField(_("生成完成时间"), null=True, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    docx_name = models.CharField(_("DOCX 存储名"), max_length=80, blank=True)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True)
    docx_size = models.PositiveBigIntegerField(_("DOCX 大小"), default=0)
    pdf_name = models.CharField(_("PDF 存储名"), max_length=80, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF 大小"), default=0)
    pdf_note = models.CharField(_("无 PDF 的原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("公文版本")
        verbose_name_plural = _("公文版本")
        ordering = ["document", "-n"]
        constraints = [models.UniqueConstraint(fields=["document", "n"], name="document_version_unique")]

    def __str__(self):
        return f"{self.document} v{self.n}"

    @property
    def finished(self) -> bool:
        return self.render_status in (RenderStatus.DONE, RenderStatus.FAILED)


class DocumentSerial(models.Model):
    """The last serial issued by one organ for one kind in one year: issuing locks this row, takes
    ``last + 1`` and commits both together, so numbers run 1, 2, 3 … without a gap or a repeat."""

    organ_type = models.CharField(_("发文机关类型"), max_length=40)
    organ_id = models.PositiveBigIntegerField(_("发文机关"))
    kind = models.CharField(_("文书种类"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("最后顺序号"), default=0)

    class Meta:
        verbose_name = _("发文顺序号")
        verbose_name_plural = _("发文顺序号")
        constraints = [
            models.UniqueConstraint(
                fields=["organ_type", "organ_id", "kind", "year"], name="document_serial_unique"
            )
        ]

    def __str__(self):
        return f"{self.organ_type}:{self.organ_id} {self.kind} {self.year} → {self.last}"
