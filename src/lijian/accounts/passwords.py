"""The password rules (settings ``AUTH_PASSWORD_VALIDATORS``), with their messages in Chinese.

Django's own validators keep refusing the common-password list, all-digit passwords and passwords
close to the username or name; these add the length and character-class rule, passphrases, and
the rule against reusing one of the last five passwords.
"""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PasswordHistory

# A passphrase's words are separated by spaces or the usual joining marks ("correct horse battery
# staple", "correct-horse-battery-staple").
_WORD_SEPARATORS = re.compile(r"[\s\-_.,;:+/|]+")


def character_classes(password: str) -> int:
    """How many of lower-case letters, upper-case letters, digits and other characters (symbols,
    spaces, Chinese characters) the password uses."""
    classes = set()
    for char in password:
        if char.isdigit():
            classes.add("digit")
        elif char.islower():
            classes.add("lower")
        elif char.isupper():
            classes.add("upper")
        else:
            classes.add("other")
    return len(classes)


def passphrase_words(password: str, min_word_length: int = 2) -> int:
    """The number of different words of at least ``min_word_length`` characters in the password."""
    words = {w.lower() for w in _WORD_SEPARATORS.split(password) if len(w) >= min_word_length}
    return len(words)


class StrengthValidator:
    """At least ``min_length`` characters, and either ``min_classes`` character classes or a
    passphrase of ``min_words`` different words."""

    def __init__(self, min_length: int = 12, min_classes: int = 3, min_words: int = 4):
        self.min_length, self.min_classes, self.min_words = min_length, min_classes, min_words

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要 %(min)d 个字符。") % {"min": self.min_length}, code="password_too_short"
            )
        if character_classes(password) < self.min_classes and passphrase_words(password) < self.min_words:
            raise ValidationError(
                _(
                    "密码太简单：请混用大写字母、小写字母、数字和符号中的至少 %(classes)d 类，"
                    "或使用由至少 %(words)d 个不同单词组成的短语（用空格或连字符隔开）。"
                )
                % {"classes": self.min_classes, "words": self.min_words},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "至少 %(min)d 个字符，混用大写字母、小写字母、数字和符号中的至少 %(classes)d 类，"
            "或使用由至少 %(words)d 个不同单词组成的短语。"
        ) % {"min": self.min_length, "classes": self.min_classes, "words": self.min_words}


class HistoryValidator:
    """A new password may not be any of the user's last ``remember`` passwords (the current one
    included). The history keeps the hashes the user's password field held (Argon2 in production),
    recorded by ``password_changed``, which Django calls whenever a user is saved with a new
    password — so every path that sets one (services, ``createsuperuser``, ``changepassword``) is
    remembered."""

    def __init__(self, remember: int = 5):
        self.remember = remember

    def _previous_hashes(self, user) -> list[str]:
        hashes = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-changed_at", "-pk")
            .values_list("password", flat=True)[: self.remember]
        )
        current = user.password if user.has_usable_password() else None
        if current and current not in hashes:
            hashes.insert(0, current)  # an account whose password predates the history
        return hashes[: self.remember]

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._previous_hashes(user)):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码，请换一个新密码。") % {"n": self.remember},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is not None and user.pk is not None and user.has_usable_password():
            self.record(user)

    def record(self, user) -> None:
        """Add the user's current password hash to the history (once), keeping the last
        ``remember``. Called before a password is replaced too, for accounts whose first password
        was stored without Django's hook (``create_user`` does that)."""
        latest = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-pk").first()
        if latest is not None and latest.password == user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-changed_at", "-pk")
            .values_list("pk", flat=True)[self.remember :]
        )
        if stale:
            PasswordHistory.objects.filter(pk__in=stale).delete()

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)d 次用过的密码相同。") % {"n": self.remember}


def remember_current_password(user) -> None:
    """Put the user's current password into the history before it is replaced, with the history
    length configured for ``HistoryValidator`` (nothing when that validator is not configured)."""
    from django.contrib.auth.password_validation import get_default_password_validators

    if user.pk is None or not user.has_usable_password():
        return
    for validator in get_default_password_validators():
        if isinstance(validator, HistoryValidator):
            validator.record(user)
