"""``lijian ledger checkpoint`` and ``lijian ledger verify``: sign the audit ledger's head, check the chain."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lijian.core.ledger import (
    LedgerError,
    latest_checkpoint_path,
    make_checkpoint,
    read_checkpoint,
    verify,
)

# Exit codes other tools rely on: 0 the ledger is intact, 1 it is broken, 2 the command could not check.
BROKEN = 1
UNUSABLE = 2


class Command(BaseCommand):
    # A check of the record must run even when some unrelated setting is off.
    requires_system_checks = []
    help = "审计账本：签发检查点（checkpoint），或校验哈希链（verify，完好时退出码 0，被篡改时 1）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        checkpoint = sub.add_parser(
            "checkpoint", help="把账本当前的末尾（序号、哈希）连同 HMAC-SM3 签名写入文件。"
        )
        checkpoint.add_argument("--out", help="写入的文件（默认输出到屏幕）。")
        check = sub.add_parser(
            "verify", help="逐条校验哈希链；给出检查点时还核对检查点之前未被改写、末尾未被截断。"
        )
        check.add_argument(
            "--checkpoint",
            help="此前签发的检查点文件；latest 表示检查点目录（LIJIAN_LEDGER_CHECKPOINT_DIR）中最新的每日检查点。",
        )
        check.add_argument("--json", action="store_true", help="以 JSON 输出结果。")

    def handle(self, *args, **options):
        if options["action"] == "checkpoint":
            return self._checkpoint(options.get("out"))
        return self._verify(options.get("checkpoint"), options.get("json"))

    def _checkpoint(self, out):
        try:
            checkpoint = make_checkpoint()
        except LedgerError as exc:
            raise CommandError(str(exc), returncode=UNUSABLE) from exc
        text = json.dumps(checkpoint, ensure_ascii=False, indent=2) + "\n"
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(
                f"检查点已写入 {out}：第 {checkpoint['seq']} 号事件，哈希 {checkpoint['hash']}。"
            )
        else:
            self.stdout.write(text, ending="")

    def _verify(self, checkpoint_path, as_json):
        try:
            if checkpoint_path == "latest":
                checkpoint_path = latest_checkpoint_path()
                if not as_json:
                    self.stdout.write(f"使用最新的检查点：{checkpoint_path}")
            checkpoint = read_checkpoint(Path(checkpoint_path)) if checkpoint_path else None
        except LedgerError as exc:
            raise CommandError(str(exc), returncode=UNUSABLE) from exc
        started = time.perf_counter()
        result = verify(checkpoint=checkpoint)
        seconds = time.perf_counter() - started
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "checked": result.checked,
                        "head_seq": result.head_seq,
                        "head_hash": result.head_hash,
                        "checkpoint_seq": result.checkpoint_seq,
                        "problems": [
                            {"seq": p.seq, "event_id": p.event_id, "message": p.message}
                            for p in result.problems
                        ],
                        "seconds": round(seconds, 3),
                    },
                    ensure_ascii=False,
                )
            )
        elif result.ok:
            against = f"，与检查点（第 {result.checkpoint_seq} 号）一致" if checkpoint else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计账本完好：共 {result.checked} 条事件，链尾第 {result.head_seq} 号{against}（用时 {seconds:.2f} 秒）。"
                )
            )
        else:
            for problem in result.problems:
                self.stderr.write(f"  {problem.message}")
        if not result.ok:
            raise CommandError(f"审计账本被篡改，首个问题：{result.first_bad.message}", returncode=BROKEN)
