import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lijian.documents.gbt9704 import PdfUnavailable, render_docx, render_docx_pdf
from lijian.documents.kinds import KINDS, document_kind
from lijian.documents.official import paper_compute


class Command(BaseCommand):
    help = (
        "按台账生成一份公文（未编号的草稿）并写入 .docx 或 .pdf 文件，如："
        "lijian document KIND --body CODE [--term 届次] [--year 年度] [--named 点名对象] [--date 数据截至] --out 文件.docx"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="文书种类代码")
        parser.add_argument("--body", required=True, help="发文机关代码")
        parser.add_argument("--term", default="", help="届次名称（默认：种类自定，通常为当前届次）")
        parser.add_argument("--year", type=int, default=None, help="年度")
        parser.add_argument(
            "--named", default="", help="点名对象（点名道姓通报：committees 区委 / persons 个人；默认全部）"
        )
        parser.add_argument("--date", default=None, help="数据截至日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--out", required=True, help="输出文件，扩展名 .docx 或 .pdf")

    def handle(self, *args, kind, body, term, year, named, date, out, **options):
        target = Path(out)
        suffix = target.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise CommandError("--out 的扩展名应为 .docx 或 .pdf。")
        try:
            as_of = datetime.date.fromisoformat(date) if date else datetime.date.today()
        except ValueError:
            raise CommandError(f"--date “{date}”不是有效日期，请写作 YYYY-MM-DD。") from None
        try:
            spec = document_kind(kind)
            if spec.organ_from_code is None:
                raise CommandError(f"“{kind}”这种文书不能在命令行生成。")
            organ = spec.organ_from_code(body)
            params = spec.params_parse(organ, term.strip(), year, named.strip())
            paper = paper_compute(spec, organ, params, as_of)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        rendered = render_docx(paper)
        warnings = list(rendered.warnings)
        data = rendered.data
        if suffix == ".pdf":
            try:
                _docx, pdf = render_docx_pdf(paper, rendered)
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from None
            data = pdf.data
            warnings += [w for w in pdf.warnings if w not in warnings]
        for warning in warnings:
            self.stderr.write(f"提示：{warning}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入 {target}（{spec.label}，{getattr(organ, 'name', organ)}，数据截至 {as_of.isoformat()}，"
                f"未编号草稿；种类：{', '.join(KINDS.keys())}）"
            )
        )
