"""The one place a coded value written by a person is read: a spreadsheet cell, a form field.

A coded column (a ``TextChoices`` enum: ranks, conflict reasons, statuses …) accepts, in this order:

1. the code (``division``) or a label as the interface shows it, in Chinese (``正处级``) or English
   (``Division director level``), whole or without its bracketed part (``党支部（党总支）`` is also
   ``党支部``);
2. a word of the synonym table (``ValueSynonym``, reference data administrators edit on the 参考数据
   pages; seeded with the words offices usually write, e.g. ``亲属任职`` → ``relative``).

A word that stands for several codes (the synonym ``处级`` for 正处级 and 副处级) is refused with the
candidates named; an unknown word is refused with the accepted values listed. Full-width letters,
digits and punctuation (``ＤＩＶＩＳＩＯＮ``) read as their ASCII forms, upper and lower case alike.

The enums are known by a vocabulary key, ``<app label>.<enum name>`` (``people.Rank``); the ledger
registers the enum of every coded column it reads (``register_vocabulary``), so the synonym page
offers exactly those.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ValueSynonym

# Every enum a coded column reads, by vocabulary key.
VOCABULARIES: dict[str, type] = {}


def vocabulary_key(choices: type) -> str:
    """``people.Rank`` for ``lijian.people.choices.Rank``: the app's label and the enum's name."""
    parts = choices.__module__.split(".")
    app = parts[1] if len(parts) > 2 and parts[0] == "lijian" else parts[0]
    return f"{app}.{choices.__name__}"


def register_vocabulary(choices: type) -> str:
    """Make ``choices`` a vocabulary the synonym table may name; returns its key."""
    key = vocabulary_key(choices)
    VOCABULARIES[key] = choices
    return key


def normalised(text: str) -> str:
    """``text`` as words are compared: full-width forms as ASCII (NFKC), blanks trimmed, ASCII
    letters in lower case (codes and English labels are matched whatever their case)."""
    return unicodedata.normalize("NFKC", text).strip().lower()


@dataclass
class Vocabulary:
    """What one enum accepts, built once (per import, per form): ``words`` maps each normalised code
    or label to its code, ``synonyms`` each normalised synonym to its codes (the table is read the
    first time a word is neither a code nor a label)."""

    choices: type
    words: dict[str, str]
    _synonyms: dict[str, list[str]] | None = None

    @property
    def synonyms(self) -> dict[str, list[str]]:
        if self._synonyms is None:
            self._synonyms = _synonyms(self.choices)
        return self._synonyms

    def label(self, value: str) -> str:
        return str(self.choices(value).label)

    def accepted(self) -> str:
        """The accepted values as a refusal lists them: ``code/label`` each."""
        return "、".join(f"{v}/{label}" for v, label in self.choices.choices)

    def resolve(self, text: str) -> tuple[str, bool]:
        """The code ``text`` stands for and whether a synonym gave it.

        Raises ``ValidationError`` for a synonym of several codes (the candidates named) and for an
        unknown word (the accepted values listed)."""
        word = normalised(text)
        value = self.words.get(word)
        if value is not None:
            return value, False
        candidates = self.synonyms.get(word)
        if candidates and len(candidates) == 1:
            return candidates[0], True
        if candidates:
            raise ValidationError(
                _("“%(value)s”可指：%(candidates)s，请写明。")
                % {"value": text, "candidates": "、".join(self.label(c) for c in candidates)}
            )
        raise ValidationError(
            _("“%(value)s”不是有效的取值（可用：%(allowed)s）。")
            % {"value": text, "allowed": self.accepted()}
        )


def _labels(choices: type, language: str) -> list[tuple[str, str]]:
    with translation.override(language):
        return [(value, str(label)) for value, label in choices.choices]


def vocabulary(choices: type) -> Vocabulary:
    """What ``choices`` accepts now (the synonym table read once): see the module docstring."""
    words: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        for value, label in _labels(choices, language):
            words.setdefault(normalised(label), value)
            words.setdefault(normalised(label.split("（")[0].split("(")[0]), value)
    words.update((normalised(value), value) for value in choices.values)
    words.pop("", None)
    return Vocabulary(choices, words)


def _synonyms(choices: type) -> dict[str, list[str]]:
    synonyms: dict[str, list[str]] = {}
    valid = set(choices.values)
    for word, value in ValueSynonym.objects.filter(vocabulary=vocabulary_key(choices)).values_list(
        "word", "value"
    ):
        if value in valid and value not in synonyms.setdefault(normalised(word), []):
            synonyms[normalised(word)].append(value)
    for candidates in synonyms.values():
        candidates.sort(key=list(choices.values).index)
    return synonyms


def resolve_choice(choices: type, text: str) -> str:
    """The code of ``choices`` that ``text`` stands for (see the module docstring).

    Raises ``ValidationError`` for an ambiguous word (candidates named) or an unknown one."""
    return vocabulary(choices).resolve(text)[0]


def check_synonym(key: str, word: str, value: str) -> None:
    """A synonym entry's rule: a known vocabulary, one of its codes, and a word that is not already
    a code or label of that vocabulary (those are read directly and would never reach the table).

    Raises ``ValidationError`` naming the field at fault."""
    choices = VOCABULARIES.get(key)
    if choices is None:
        raise ValidationError({"vocabulary": _("没有这个取值表。")})
    if value not in choices.values:
        allowed = "、".join(f"{v}/{label}" for v, label in choices.choices)
        raise ValidationError({"value": _("应为以下代码之一：%(allowed)s。") % {"allowed": allowed}})
    if normalised(word) in vocabulary(choices).words:
        raise ValidationError({"word": _("这个写法已是该取值表的代码或名称，无需同义词。")})


def vocabulary_choices() -> list[tuple[str, str]]:
    return [(key, key) for key in sorted(VOCABULARIES)]


class SynonymForm(forms.ModelForm):
    """The synonym table's entry on the reference pages: the vocabulary picked from those the ledger
    reads, the code checked against it."""

    vocabulary = forms.ChoiceField(label=gettext_lazy("取值表"), choices=vocabulary_choices)

    class Meta:
        model = ValueSynonym
        fields = ("vocabulary", "word", "value", "note")

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("vocabulary", "word", "value")):
            try:
                check_synonym(data["vocabulary"], data["word"], data["value"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data
