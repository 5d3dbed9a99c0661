"""Coded columns read the words offices write: the code, the Chinese label the interface shows, the
English label, and the synonym table (reference data, seeded with the usual words); an ambiguous
word is refused with its candidates, an unknown one with the accepted values; full-width forms and
the usual ways of writing a day read too."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lijian.accounts.choices import Role
from lijian.core.models import ValueSynonym
from lijian.core.reference import TABLES
from lijian.core.vocabulary import SynonymForm, resolve_choice
from lijian.documents.ledger.reader import read_rows
from lijian.documents.ledger.registry import DATE, INT, Column, ImportContext, LedgerFile
from lijian.people.choices import ConflictKind, Rank

from ..world import make_user

FILE = "words.csv"
COLUMNS = [
    Column("rank", "职级", choices=Rank),
    Column("reason", "回避事由", choices=ConflictKind),
    Column("day", "日期", kind=DATE),
    Column("count", "数量", kind=INT),
]


def _read(*rows):
    ctx = ImportContext(actor=None)
    ledger_file = LedgerFile(FILE, "", COLUMNS, 0, None, None, None, None)
    read = [values for _line, values, _ok in read_rows(ctx, ledger_file, enumerate(rows, start=2))]
    return read, [(e.line, e.column, e.reason) for e in ctx.errors], ctx.mapping_list()


@pytest.mark.parametrize(
    "written, code",
    [
        ("deputy_division", Rank.DEPUTY_DIVISION),
        ("副处级", Rank.DEPUTY_DIVISION),
        ("Deputy division director level", Rank.DEPUTY_DIVISION),  # the English label, any case
        ("ＤＥＰＵＴＹ_ＤＩＶＩＳＩＯＮ", Rank.DEPUTY_DIVISION),  # full-width
        ("副处", Rank.DEPUTY_DIVISION),  # a seeded synonym
        ("正厅", Rank.BUREAU),  # the label without its bracketed part
    ],
)
def test_a_coded_value_is_read_from_its_code_label_english_label_or_synonym(db, written, code):
    assert resolve_choice(Rank, written) == code


def test_an_ambiguous_word_is_refused_with_its_candidates_named(db):
    with pytest.raises(ValidationError) as refused:
        resolve_choice(Rank, "处级")
    assert refused.value.messages == ["“处级”可指：正处级、副处级，请写明。"]


def test_an_unknown_word_lists_the_accepted_values(db):
    with pytest.raises(ValidationError) as refused:
        resolve_choice(ConflictKind, "同学")
    assert refused.value.messages == [
        "“同学”不是有效的取值（可用：relative/亲属关系、former_post/曾在该单位任职、other/其他）。"
    ]


def test_the_row_reader_applies_synonyms_and_records_each_mapping(db):
    read, errors, mappings = _read(
        ("正处", "亲属任职", "2026年3月1日", "１２"),
        ("正处", "亲属关系", "2026.3.2", "1,200"),
        ("处级", "relative", "２０２６／３／３", "3"),
    )
    assert read[0] == (Rank.DIVISION, ConflictKind.RELATIVE, datetime.date(2026, 3, 1), 12)
    assert read[1][1:] == (ConflictKind.RELATIVE, datetime.date(2026, 3, 2), 1200)
    assert read[2][2] == datetime.date(2026, 3, 3)
    assert errors == [(4, "rank", "“处级”可指：正处级、副处级，请写明。")]
    assert mappings == [
        {"file": FILE, "column": "rank", "label": "rank", "text": "正处", "meaning": "正处级", "cells": 2},
        {
            "file": FILE,
            "column": "reason",
            "label": "reason",
            "text": "亲属任职",
            "meaning": "亲属关系",
            "cells": 1,
        },
    ]


def test_a_synonym_added_on_the_reference_page_is_read_at_the_next_import(db, client):
    _read_before, errors, _mappings = _read(("", "同学", "", ""))
    assert errors and "不是有效的取值" in errors[0][2]
    admin = make_user("words-admin", Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        "/reference/value-synonyms/",
        {"vocabulary": "people.ConflictKind", "word": "同学", "value": "other", "note": "同学关系"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    read, errors, _mappings = _read(("", "同学", "", ""))
    assert errors == [] and read[0][1] == ConflictKind.OTHER


def test_a_synonym_must_name_a_known_vocabulary_and_one_of_its_codes(db):
    assert "value-synonyms" in TABLES
    assert not SynonymForm({"vocabulary": "people.Nothing", "word": "甲", "value": "x"}).is_valid()
    wrong_code = SynonymForm({"vocabulary": "people.Rank", "word": "甲", "value": "colonel"})
    assert not wrong_code.is_valid() and "value" in wrong_code.errors
    a_label = SynonymForm({"vocabulary": "people.Rank", "word": "正处级", "value": "division"})
    assert not a_label.is_valid() and "word" in a_label.errors
    assert SynonymForm({"vocabulary": "people.Rank", "word": "处长级", "value": "division"}).is_valid()


def test_the_seeded_table_holds_the_offices_usual_words(db):
    assert set(
        ValueSynonym.objects.filter(vocabulary="people.Rank", word="处级").values_list("value", flat=True)
    ) == {Rank.DIVISION, Rank.DEPUTY_DIVISION}
    assert ValueSynonym.objects.get(vocabulary="people.ConflictKind", word="亲属任职").value == "relative"
