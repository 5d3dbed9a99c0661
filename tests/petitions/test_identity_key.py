"""The key sealing petitioners' identities lives outside the data folder: a backup or copy of that folder
(database, uploads) does not carry the key to its ciphertexts. A key left there by earlier versions is
moved once with a warning; production refuses to start with the key inside the data folder.
Every test works in temporary folders, never the user's ~/.config."""

import logging
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from lijian.petitions import identity

OLD_KEY = "00112233445566778899aabbccddeeff"
SEAL_AND_SHOW = (
    "from django.conf import settings\n"
    "from lijian.petitions import identity\n"
    "blob = identity.seal({'name': '李秘密举报人'}, 'petition:1')\n"
    "assert identity.unseal(blob, 'petition:1') == {'name': '李秘密举报人'}\n"
    "print(settings.IDENTITY_KEY_FILE)\n"
)


def _start(tmp_path, code=SEAL_AND_SHOW, **env):
    """Run ``code`` in a fresh process configured as production would be (no pytest loaded), with
    ``tmp_path/home`` as the home folder and ``tmp_path/data`` as the data folder."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LIJIAN_") and k != "XDG_CONFIG_HOME"}
    environ.update(
        HOME=str(tmp_path / "home"),
        LIJIAN_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="lijian.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=120, check=False
    )


def _mode(path):
    return path.stat().st_mode & 0o777


def test_by_default_the_key_is_made_in_the_users_config_folder_readable_by_the_owner_only(tmp_path):
    started = _start(tmp_path)
    assert started.returncode == 0, started.stderr
    key_file = tmp_path / "home" / ".config" / "lijian" / "identity_key"
    assert started.stdout.strip() == str(key_file)
    assert len(bytes.fromhex(key_file.read_text())) == 16
    assert _mode(key_file) == 0o600 and _mode(key_file.parent) == 0o700
    data = tmp_path / "data"
    assert not list(data.rglob("identity_key")), "the key must not be in the data folder"
    assert key_file.read_text().strip() not in "".join(
        p.read_text(errors="ignore") for p in data.rglob("*") if p.is_file()
    )
    elsewhere = _start(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    assert elsewhere.stdout.strip() == str(tmp_path / "xdg" / "lijian" / "identity_key")


def test_production_refuses_to_start_with_the_key_inside_the_data_folder(tmp_path):
    inside = str(tmp_path / "data" / "keys" / "identity_key")
    refused = _start(tmp_path, code="import lijian.settings", LIJIAN_IDENTITY_KEY_FILE=inside)
    assert refused.returncode != 0
    assert "位于数据目录" in refused.stderr and "LIJIAN_IDENTITY_KEY_FILE" in refused.stderr
    assert not (tmp_path / "data" / "keys" / "identity_key").exists()
    # Development pages, or a key given in the environment, may start.
    for allowed in ({"LIJIAN_DEBUG": "1"}, {"LIJIAN_IDENTITY_KEY": OLD_KEY}):
        started = _start(tmp_path, code="import lijian.settings", LIJIAN_IDENTITY_KEY_FILE=inside, **allowed)
        assert started.returncode == 0, started.stderr
    outside = str(tmp_path / "keys" / "identity_key")
    assert _start(tmp_path, LIJIAN_IDENTITY_KEY_FILE=outside).stdout.strip() == outside


def test_a_key_left_in_the_data_folder_is_moved_once_at_start_with_a_warning(tmp_path):
    legacy = tmp_path / "data" / "identity_key"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(OLD_KEY)
    legacy.chmod(0o644)
    started = _start(tmp_path, code="import django; django.setup()")
    assert started.returncode == 0, started.stderr
    key_file = tmp_path / "home" / ".config" / "lijian" / "identity_key"
    assert not legacy.exists()
    assert key_file.read_text().strip() == OLD_KEY and _mode(key_file) == 0o600
    assert "身份密钥已从数据目录" in started.stderr
    assert not identity.relocate_legacy_key(key_file, tmp_path / "data")  # once: nothing left to move


def test_the_moved_key_still_opens_what_it_sealed(tmp_path, caplog):
    data, key_file = tmp_path / "data", tmp_path / "config" / "identity_key"
    data.mkdir()
    (data / "identity_key").write_text(OLD_KEY + "\n")
    with caplog.at_level(logging.WARNING, logger="lijian.petitions.identity"):
        assert identity.load_key(key_file, data) == bytes.fromhex(OLD_KEY)
    assert "移至" in caplog.text
    assert identity.load_key(key_file, data) == bytes.fromhex(OLD_KEY)


def test_two_different_keys_stop_the_start_and_neither_is_touched(tmp_path):
    data, key_file = tmp_path / "data", tmp_path / "config" / "identity_key"
    data.mkdir()
    key_file.parent.mkdir()
    (data / "identity_key").write_text(OLD_KEY)
    key_file.write_text("ff" * 16)
    with pytest.raises(ImproperlyConfigured, match="两处身份密钥不一致"):
        identity.load_key(key_file, data)
    assert (data / "identity_key").read_text() == OLD_KEY and key_file.read_text() == "ff" * 16
    # The same key in both places: the copy in the data folder goes.
    key_file.write_text(OLD_KEY)
    assert identity.load_key(key_file, data) == bytes.fromhex(OLD_KEY)
    assert not (data / "identity_key").exists()


def test_a_key_file_others_can_read_is_narrowed_and_a_damaged_one_is_refused(tmp_path):
    key_file = tmp_path / "config" / "identity_key"
    key_file.parent.mkdir()
    key_file.write_text(OLD_KEY)
    key_file.chmod(0o644)
    assert identity.load_key(key_file, tmp_path / "data") == bytes.fromhex(OLD_KEY)
    assert _mode(key_file) == 0o600
    for damaged in ("not hex at all", "0011", ""):
        key_file.write_text(damaged)
        with pytest.raises(ImproperlyConfigured, match="32 hex digits"):
            identity.load_key(key_file, tmp_path / "data")
