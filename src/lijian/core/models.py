"""The append-only audit ledger every service writes to."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .chain import seal
from .fields import optional_link, user_field


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def bulk_create(self, objs, *args, **kwargs):
        """Chain the events (one lock, one head read for all of them) and insert them together."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            seal(objs)
            return super().bulk_create(objs, *args, **kwargs)


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("被拒绝")
    FAILED = "failed", _("失败")


class AuditEvent(models.Model):
    """One thing a person (or the system) did: who, when, what, to which object, before and after.

    Rows are only ever inserted: the model refuses ``save()`` on an existing row and ``delete()``,
    the queryset refuses bulk update and delete, and database triggers refuse UPDATE and DELETE.
    Each event is chained to the one before by ``seq`` and an SM3 ``hash`` (see ``core.ledger``),
    sealed in the transaction that inserts it. Events are never removed by the product: the
    ledger is kept for as long as the database is (at least the six months 等保 asks for).
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    # The organisation path the event belongs to, so an auditor's view can be restricted to a subtree.
    scope_path = models.CharField(_("范围路径"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    # The request that caused the event (the X-Request-ID header or one made up); empty for commands.
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, default="")
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    hash = models.CharField(_("哈希"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            seal([self])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class LedgerCheck(models.Model):
    """One verification of the whole audit ledger, asked for on the audit page and run in the
    background (``core.ledger_checks.run_ledger_check``); ``ok`` is empty while it runs."""

    requested_by = user_field(_("发起人"), blank=True)
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    ok = models.BooleanField(_("完好"), null=True)
    checked = models.PositiveBigIntegerField(_("已校验事件数"), default=0)
    head_seq = models.PositiveBigIntegerField(_("链尾序号"), default=0)
    problems = models.JSONField(_("问题"), default=list, blank=True)

    class Meta:
        verbose_name = _("账本校验")
        verbose_name_plural = _("账本校验")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.ok}"


class MessageKind(models.TextChoices):
    """What a message is about, for the message centre's grouping and filter."""

    PROBLEM = "problem", _("问题审定")
    CLUE = "clue", _("问题线索")
    FEEDBACK = "feedback", _("反馈整改")
    TASK = "task", _("整改任务")
    INSTRUCTION = "instruction", _("领导批示")
    OVERDUE = "overdue", _("超期督办")
    SELF_CRITICISM = "self_criticism", _("深刻检查")
    SUPERVISION = "supervision", _("整改督导")
    ACCOUNT = "account", _("账号")
    OTHER = "other", _("其他")


class Message(models.Model):
    """An in-app message (消息) to one user (a hand-over to act on, a report due, the day's overdue
    digest). Not an official notice (通报): that is a document.

    ``key`` names the fact the message is about, so each person hears of each fact once. The daily
    job's facts (an overdue task, a clue past its deadline) are folded into one digest per person
    per day: such a fact's row points to its ``digest`` and is not shown in the inbox on its own.
    ``record`` names the record the message is about (``findings.problem:12``), for grouping."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="messages"
    )
    key = models.CharField(_("事项"), max_length=120)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=MessageKind.choices, default=MessageKind.OTHER)
    record = models.CharField(_("事项记录"), max_length=120, blank=True)
    record_label = models.CharField(_("记录"), max_length=120, blank=True)
    digest = optional_link("self", _("所属汇总"), "items", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notice_per_fact")]
        indexes = [models.Index(fields=["recipient", "digest", "read_at"], name="notice_inbox_idx")]

    def __str__(self):
        return self.text


class ValueSynonym(models.Model):
    """A word offices write in a coded column of their spreadsheets for one of its codes (亲属任职 for
    the conflict reason ``relative``): reference data administrators edit. A word listed for several
    codes of one vocabulary is ambiguous (处级: 正处级 or 副处级?) and is refused on import with the
    candidates named (``core.vocabulary``)."""

    vocabulary = models.CharField(_("取值表"), max_length=60)  # "people.Rank": app label and enum name
    word = models.CharField(_("写法"), max_length=60)
    value = models.CharField(_("对应代码"), max_length=40)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("取值同义词")
        verbose_name_plural = _("取值同义词")
        ordering = ["vocabulary", "word", "value"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "word", "value"], name="value_synonym_unique")
        ]

    def __str__(self):
        return f"{self.word} → {self.value}"
