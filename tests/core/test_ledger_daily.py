"""The daily job signs one ledger checkpoint a day into the checkpoint folder (owner-only files,
recorded on the ledger itself), and ``lijian ledger verify --checkpoint latest`` checks the chain
against the newest one — so a cut tail is caught without anyone having run ``checkpoint`` by hand.
Every test points the folder at a temporary directory: the real ``~/.config`` is never touched."""

import datetime
import stat

import pytest
from django.core.management import CommandError, call_command

from lijian.core.daily import daily_run_if_due
from lijian.core.ledger import CHECKPOINT_ACTION, read_checkpoint
from lijian.core.models import AuditEvent, AuditOutcome

from ..world import AUDIT_TABLE as TABLE
from ..world import attacker

ON = datetime.date(2026, 3, 2)
NEXT = ON + datetime.timedelta(days=1)


@pytest.fixture
def folder(settings, tmp_path):
    settings.LEDGER_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.LEDGER_CHECKPOINT_DIR


def test_the_daily_job_signs_one_owner_only_checkpoint_a_day_and_records_it(world, folder):
    assert daily_run_if_due(ON) is not None
    path = folder / f"checkpoint-{ON.isoformat()}.json"
    assert [p.name for p in folder.iterdir()] == [path.name]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    checkpoint = read_checkpoint(path)  # signed with the installation's key
    head = AuditEvent.objects.order_by("-seq").first()
    # The checkpoint covers the day's run and its own record, the head of the chain.
    assert (checkpoint["seq"], checkpoint["hash"]) == (head.seq, head.hash)
    assert (head.action, head.object_repr, head.outcome) == (CHECKPOINT_ACTION, ON.isoformat(), "success")
    assert head.after == {"file": str(path)}
    assert AuditEvent.objects.get(action="daily.run", object_repr=ON.isoformat()).seq < head.seq

    assert daily_run_if_due(ON) is None  # a restart, or a second scheduler, the same day
    assert AuditEvent.objects.filter(action=CHECKPOINT_ACTION).count() == 1
    assert read_checkpoint(path) == checkpoint  # the day's file is not rewritten
    daily_run_if_due(NEXT)
    assert sorted(p.name for p in folder.iterdir()) == [path.name, f"checkpoint-{NEXT.isoformat()}.json"]
    assert AuditEvent.objects.filter(action=CHECKPOINT_ACTION).count() == 2


def test_verify_against_the_latest_checkpoint_catches_a_cut_tail(world, folder, capsys):
    daily_run_if_due(ON)
    daily_run_if_due(NEXT)
    newest = folder / f"checkpoint-{NEXT.isoformat()}.json"
    call_command("ledger", "verify", "--checkpoint", "latest")  # exits 0
    out = capsys.readouterr().out
    assert str(newest) in out and f"与检查点（第 {read_checkpoint(newest)['seq']} 号）一致" in out
    with attacker() as cursor:  # the last day's events are cut off
        cursor.execute(f'DELETE FROM "{TABLE}" WHERE seq > %s', [read_checkpoint(newest)["seq"] - 2])
    call_command("ledger", "verify")  # what is left is a consistent chain on its own
    with pytest.raises(CommandError) as failure:
        call_command("ledger", "verify", "--checkpoint", "latest")
    assert failure.value.returncode == 1 and "截断" in str(failure.value)


def test_latest_with_no_checkpoint_yet_says_so_and_exits_2(world, folder):
    with pytest.raises(CommandError) as failure:
        call_command("ledger", "verify", "--checkpoint", "latest")
    assert failure.value.returncode == 2
    assert str(failure.value) == f"检查点目录 {folder} 中没有检查点文件。"


def test_a_folder_that_cannot_be_written_fails_once_on_the_record_and_is_retried(world, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.LEDGER_CHECKPOINT_DIR = blocker / "checkpoints"
    assert daily_run_if_due(ON) is not None  # the day's escalations are not held back
    assert daily_run_if_due(ON) is None  # the next check tries the checkpoint again
    failed = AuditEvent.objects.filter(action=CHECKPOINT_ACTION)
    assert [(e.outcome, e.object_repr) for e in failed] == [(AuditOutcome.FAILED, ON.isoformat())]
    assert "error" in failed[0].after
    settings.LEDGER_CHECKPOINT_DIR = tmp_path / "checkpoints"  # the operator fixes the folder
    assert daily_run_if_due(ON) is None
    read_checkpoint(tmp_path / "checkpoints" / f"checkpoint-{ON.isoformat()}.json")
    call_command("ledger", "verify", "--checkpoint", "latest")


def test_the_default_folder_is_beside_the_key_outside_the_data_folder(settings):
    assert settings.LEDGER_KEY_FILE.parent / "checkpoints" == settings.LEDGER_CHECKPOINT_DIR
    assert not settings.LEDGER_CHECKPOINT_DIR.is_relative_to(settings.DATA_DIR)
