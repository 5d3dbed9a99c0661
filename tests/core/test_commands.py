import socket
import subprocess
import sys

import pytest
from django.core.management.base import CommandError

from lijian.core.management.commands.serve import _check_free


def test_serve_says_plainly_when_its_address_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="已被占用"):
            _check_free(f"127.0.0.1:{port}")


def test_the_lijian_command_takes_dashed_names():
    out = subprocess.run(
        [sys.executable, "-m", "lijian", "import-ledger", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "全部或全不" in out
