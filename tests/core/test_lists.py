"""The list mechanism (core.lists): keyset paging without a count, cursors, sorting, export, bad input."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lijian.core.lists import Column, ListSpec, encode_cursor, keyset_page
from lijian.core.params import BadParameter
from lijian.findings.models import Problem

from ..world import build_rounds, category

ROWS = 100_000
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    return world


def _make(f, n: int, *, days: int = 7, prefix: str = "L", summary=lambda i: f"批量问题{i}") -> None:
    """``n`` problems on 和平's inspection, found on ``days`` different days (so most share a date)."""
    cat = category()
    inspection = f.rounds.inspection1
    Problem.objects.bulk_create(
        (
            Problem(
                ref=f"{prefix}{i:06d}",
                inspection=inspection,
                category=cat,
                summary=summary(i),
                found_on=DAY + datetime.timedelta(days=i % days),
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def _refs(response) -> list[str]:
    return [p.ref for p in response.context["page"]]


def _next_query(response) -> str:
    return response.context["page"].next_query


def test_the_first_page_of_a_100000_row_list_counts_nothing_and_the_cursor_goes_on_without_gap(f, client):
    _make(f, ROWS)
    client.force_login(f.admin)
    url = reverse("findings:problems")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url)
    assert first.status_code == 200
    table = Problem._meta.db_table
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and table in q["sql"]]
    assert counting == [], counting
    # the page's read of the rows is limited to one page and one row
    reads = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}".')]
    assert reads and all(re.search(r"LIMIT 51\b", sql) for sql in reads), reads

    expected = list(Problem.objects.order_by("-found_on", "-id").values_list("ref", flat=True)[:150])
    assert _refs(first) == expected[:50]
    second = client.get(url + "?" + _next_query(first))
    assert second.status_code == 200 and _refs(second) == expected[50:100]
    third = client.get(url + "?" + _next_query(second))
    assert _refs(third) == expected[100:150]
    back = client.get(url + "?" + third.context["page"].previous_query)
    assert _refs(back) == expected[50:100]
    assert back.context["page"].has_previous() and back.context["page"].has_next()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=40),
    size=st.integers(min_value=1, max_value=7),
)
def test_walking_the_pages_forward_and_back_gives_every_row_once_whatever_the_ties(f, days, size):
    """Rows share dates (ties on the first key): the walk forward lists each row exactly once, in the
    order of the list, and the walk back from the last page gives the same pages."""
    Problem.objects.filter(ref__startswith="H").delete()  # the rows of the previous example
    cat = category()
    Problem.objects.bulk_create(
        Problem(
            ref=f"H{i:04d}",
            inspection=f.rounds.inspection1,
            category=cat,
            summary="x",
            found_on=DAY + datetime.timedelta(days=d),
        )
        for i, d in enumerate(days)
    )
    rows = Problem.objects.filter(ref__startswith="H")
    order = ("-found_on", "-id")
    expected = list(rows.order_by(*order).values_list("pk", flat=True))
    pages, query = [], QueryDict(mutable=True)
    while True:
        page = keyset_page(rows, order, query.get("cursor"), size, query)
        pages.append([p.pk for p in page])
        if not page.has_next():
            break
        query = QueryDict(page.next_query, mutable=True)
    assert [pk for chunk in pages for pk in chunk] == expected
    assert all(len(chunk) == size for chunk in pages[:-1])
    backwards = [pages[-1]]
    while len(backwards) < len(pages):
        page = keyset_page(rows, order, query.get("cursor"), size, query)
        query = QueryDict(page.previous_query, mutable=True)
        back = keyset_page(rows, order, query.get("cursor"), size, query)
        backwards.append([p.pk for p in back])
        assert back.has_previous() == (len(backwards) < len(pages))
    assert backwards[::-1] == pages


def test_sorting_by_a_column_keeps_the_filters_and_pages_on_in_that_order(f, client):
    _make(f, 120, days=3)
    client.force_login(f.admin)
    url = reverse("findings:problems")
    page = client.get(url, {"q": "批量", "sort": "found_on"})
    assert page.status_code == 200
    expected = list(
        Problem.objects.filter(summary__contains="批量")
        .order_by("found_on", "id")
        .values_list("ref", flat=True)
    )
    assert _refs(page) == expected[:50]
    nxt = client.get(url + "?" + _next_query(page))
    assert _refs(nxt) == expected[50:100]
    down = client.get(url, {"q": "批量", "sort": "-found_on"})
    assert _refs(down) == expected[::-1][:50]
    # the header links to the other direction and keeps the filter
    assert dict(down.context["sort_links"])["found_on"] == "q=%E6%89%B9%E9%87%8F&sort=found_on"


def test_the_export_holds_the_filtered_rows_and_no_cell_is_a_formula(f, client):
    _make(f, 30, prefix="E", summary=lambda i: '=HYPERLINK("http://x")' if i == 0 else f"导出问题{i}")
    _make(f, 5, prefix="O")  # not matched by the filter
    client.force_login(f.admin)
    url = reverse("findings:problems")
    page = client.get(url, {"q": "E"})
    links = page.context["export_links"]
    assert set(links) == {"csv", "xlsx"} and "q=E" in links["csv"]

    response = client.get(url + "?" + links["csv"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="problems-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == [
        "编号",
        "被巡视巡察党组织",
        "轮次",
        "类别",
        "问题概述",
        "发现日期",
        "审定",
        "整改状态",
    ]
    matching = Problem.objects.filter(Q(summary__contains="E") | Q(ref__startswith="E"))
    expected = list(matching.order_by("-found_on", "-id"))
    assert len(expected) == 30 and len(expected) < Problem.objects.count()
    assert [row[0] for row in table[1:]] == [p.ref for p in expected]  # the filtered rows, in order
    by_ref = {row[0]: row for row in table[1:]}
    assert by_ref["E000000"][4] == '\'=HYPERLINK("http://x")'
    one = Problem.objects.get(ref="E000001")
    assert by_ref["E000001"][1:] == [
        one.inspection.organization.name,
        str(one.inspection.round),
        f"{one.category.code} {one.category.name}",
        "导出问题1",
        one.found_on.isoformat(),
        one.get_review_display(),
        one.get_status_display(),
    ]

    book = client.get(url + "?" + links["xlsx"])
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][0] == "编号" and len(cells) == 1 + len(expected)
    formula = next(r for r in cells if r[0] == "E000000")
    assert formula[4] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "'"},
        {"cursor": "%"},
        {"cursor": "eyJkIjoibiIsImsiOlsiMjAyNi0xMy00NSIsMV19"},  # {"d":"n","k":["2026-13-45",1]}
        {"cursor": "eyJkIjoibiIsImsiOlsiMjAyNC0wMy0wMSIsOTk5OTk5OTk5OTk5OTk5OTk5OTldfQ"},  # a 20-digit id
        {"cursor": "eyJkIjoieCIsImsiOltdfQ"},  # {"d":"x","k":[]}
        {"cursor": "eyJkIjogIm4iLCAiayI6IFsiMjAyNC0wMy0wMSIsICI5OTk5OTk5OTk5OTk5OTk5OTk5OSJdfQ"},  # id as text
        {"cursor": "eyJkIjogIm4iLCAiayI6IFsiMjAyNC0wMy0wMSIsIDFlKzMwMF19"},  # id 1e300
        {"sort": "summary"},
        {"sort": "--found_on"},
        {"export": "pdf"},
    ],
)
def test_a_malformed_cursor_sort_or_export_is_a_400_with_a_message(f, client, query):
    client.force_login(f.admin)
    response = client.get(reverse("findings:problems"), query)
    assert response.status_code == 400
    assert "无效" in response.content.decode()


def test_a_cursor_past_the_last_row_lists_nothing_and_offers_no_link(f, client):
    """A well-formed cursor whose rows are gone (deleted since the link was made) is a 200 with no rows."""
    _make(f, 3)
    client.force_login(f.admin)
    url = reverse("findings:problems")
    last = Problem.objects.order_by("-found_on", "-id").last()
    for forward in (True, False):
        cursor = encode_cursor(("-found_on", "-id"), last, forward=True)
        if not forward:
            first = Problem.objects.order_by("-found_on", "-id").first()
            cursor = encode_cursor(("-found_on", "-id"), first, forward=False)
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 200
        page = response.context["page"]
        assert list(page) == [] and not page.has_other_pages()
        assert "没有符合条件的问题。" in response.content.decode()


def test_a_bad_filter_is_shown_beside_it_with_400_and_offers_no_export(f, client):
    client.force_login(f.admin)
    response = client.get(reverse("findings:problems"), {"org": "NO-SUCH", "export": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "没有代码为“NO-SUCH”的组织。" in response.content.decode()
    assert response.context["export_links"] == {}


def test_a_list_spec_refuses_a_nullable_ordering_key_and_sorts_only_its_sortable_columns():
    spec = ListSpec(
        template="x.html",
        order=("-found_on", "-id"),
        columns=(Column("ref", "编号", sort=("ref",)), Column("summary", "概述")),
    )
    assert spec.ordering("") == ("-found_on", "-id")
    assert spec.ordering("ref") == ("ref", "id")
    assert spec.ordering("-ref") == ("-ref", "-id")
    with pytest.raises(BadParameter):
        spec.ordering("summary")


def test_the_inbox_pages_its_groups_by_keyset_unread_first_none_skipped_or_repeated(world, client):
    """The message centre lists groups (an aggregate per kind and record, unread ones first): walking
    its cursor gives each group once, in the order of the whole list, with no count."""
    from django.utils import timezone

    from lijian.core.messages import message_groups
    from lijian.core.models import Message

    user = world.users["office_staff"]
    at = timezone.now()
    Message.objects.bulk_create(
        Message(
            recipient=user,
            key=f"k{i}",
            text=f"消息{i}",
            kind="problem" if i % 2 else "task",
            record=f"r{i % 23}",
            created_at=at - datetime.timedelta(minutes=i % 5),  # ties on the time
            read_at=at if i % 3 else None,
        )
        for i in range(60)
    )
    expected = [(g["kind"], g["record"]) for g in message_groups(user)]
    assert len(expected) > 20  # more than one page of 20
    client.force_login(user)
    seen, query = [], ""
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("core:messages") + ("?" + query if query else ""))
        assert response.status_code == 200
        # no count of the groups (the menu's count of one's unread messages is a cheap one, kept)
        assert not [q for q in queries if "COUNT(*)" in q["sql"].upper() and "GROUP BY" in q["sql"]]
        page = response.context["page"]
        seen += [(g["kind"], g["record"]) for g in page]
        if not page.has_next():
            break
        query = page.next_query
    assert seen == expected
