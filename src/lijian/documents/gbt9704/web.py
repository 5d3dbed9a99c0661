"""A ``Paper`` as HTML for the web view: the same parts in the same order as the DOCX, every text
escaped, every figure a link to the rows behind it with its definition (口径) as the title.

The markup carries classes (``gbt9704-title``, ``gbt9704-rule`` …) and no style; the page's CSS
gives it the look of the printed document.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .paper import (
    Annex,
    Block,
    Heading,
    Letterhead,
    Paper,
    Paragraph,
    Run,
    Table,
    cn_date,
    figures_of,
)


def _safe_href(href: str) -> bool:
    # Only a path or a web address: never javascript: or data: from data a user may have typed.
    return href.startswith(("/", "https://", "http://")) and not href.startswith("//")


def _run(run: Run) -> str:
    if isinstance(run, str):
        return escape(run)
    if run.href and _safe_href(run.href):
        return format_html(
            '<a class="gbt9704-figure" href="{}" title="{}" data-figure="{}">{}</a>',
            run.href,
            run.definition or run.label,
            run.key,
            run.value,
        )
    return format_html(
        '<span class="gbt9704-figure" title="{}" data-figure="{}">{}</span>',
        run.definition or run.label,
        run.key,
        run.value,
    )


def _p(css: str, text: str) -> str:
    return format_html('<p class="{}">{}</p>', css, text) if text else ""


def _table(table: Table) -> str:
    parts = ['<table class="gbt9704-table">']
    if table.title:
        parts.append(format_html("<caption>{}</caption>", table.title))
    if table.header:
        parts.append("<thead><tr>")
        parts += [format_html('<th scope="col">{}</th>', label) for label in table.header]
        parts.append("</tr></thead>")
    parts.append("<tbody>")
    for row in table.rows:
        parts.append("<tr>" + "".join(f"<td>{_run(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _blocks(blocks: list[Block]) -> list[str]:
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            parts.append(
                format_html('<h{} class="gbt9704-h{}">{}</h{}>', level + 2, level, block.text, level + 2)
            )
        elif isinstance(block, Paragraph):
            key = format_html(' data-key="{}"', block.key) if block.key else ""
            parts.append(f'<p class="gbt9704-body"{key}>{"".join(_run(r) for r in block.runs)}</p>')
        else:
            parts.append(_table(block))
    return parts


def _annex(n: int | None, annex: Annex) -> str:
    label = "附件" if n is None else f"附件{n}"
    return (
        '<section class="gbt9704-annex">'
        + _p("gbt9704-annex-label", label)
        + format_html('<h2 class="gbt9704-title">{}</h2>', annex.title)
        + "".join(_blocks(annex.blocks))
        + "</section>"
    )


def _head(paper: Paper) -> list[str]:
    parts = [_p("gbt9704-classification", paper.classification), _p("gbt9704-urgency", paper.urgency)]
    if paper.letterhead == Letterhead.RED:
        parts.append(_p("gbt9704-organ-mark", paper.organ_mark))
    elif paper.letterhead == Letterhead.PREPRINTED:
        parts.append('<p class="gbt9704-organ-mark gbt9704-preprinted" aria-hidden="true"></p>')
    parts.append(_p("gbt9704-number", paper.number))
    if paper.letterhead == Letterhead.RED:
        parts.append('<hr class="gbt9704-rule">')
    parts.append(format_html('<h2 class="gbt9704-title">{}</h2>', paper.title))
    parts.append(_p("gbt9704-subtitle", paper.subtitle))
    if paper.recipients:
        parts.append(_p("gbt9704-recipients", paper.recipients.rstrip("：:") + "："))
    return parts


def _tail(paper: Paper) -> list[str]:
    parts = []
    names = paper.attachments or [annex.title for annex in paper.annexes]
    if names:
        items = "".join(format_html("<li>{}</li>", name) for name in names)
        parts.append(f'<div class="gbt9704-attachments"><span>附件：</span><ol>{items}</ol></div>')
    parts += [_p("gbt9704-signature", paper.signature), _p("gbt9704-date", cn_date(paper.dated))]
    several = len(paper.annexes) > 1
    parts += [_annex(n if several else None, annex) for n, annex in enumerate(paper.annexes, start=1)]
    figures = figures_of(paper)
    if paper.as_of and figures:
        as_of = cn_date(paper.as_of)
        parts.append(
            '<section class="gbt9704-figures">'
            + format_html('<h3 class="gbt9704-h1">数据口径说明（截至{}）</h3>', as_of)
            + _table(Table(["指标", "数值", "口径"], [[f.label, f, f.definition] for f in figures]))
            + "</section>"
        )
    record = []
    if paper.cc:
        record.append(_p("gbt9704-cc", "抄送：" + "，".join(paper.cc) + "。"))
    printed = f"{cn_date(paper.printed_on)}印发" if paper.printed_on else ""
    if paper.printer or printed:
        record.append(
            format_html(
                '<p class="gbt9704-printer"><span>{}</span><span>{}</span></p>', paper.printer, printed
            )
        )
    if record:
        parts.append('<footer class="gbt9704-record">' + "".join(record) + "</footer>")
    return parts


def render_html(paper: Paper) -> SafeString:
    """The paper as one ``<article class="gbt9704">``: every text escaped, every ``Figure`` a link
    to its ``href`` (a span when it has none) titled with its definition. It sits under the page's
    own ``<h1>``: the title and the annexes' titles are ``<h2>``, the headings ``<h3>`` to ``<h5>``."""
    parts = ['<article class="gbt9704">', *_head(paper), *_blocks(paper.blocks), *_tail(paper), "</article>"]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - every part is escaped above
