"""Petitioners' identities, encrypted at rest with SM4 in GCM mode (``cryptography``).

The key is ``LIJIAN_IDENTITY_KEY`` (32 hex digits) or, when unset, a random key created once in
``settings.IDENTITY_KEY_FILE`` (``LIJIAN_IDENTITY_KEY_FILE``, by default ``~/.config/lijian/identity_key``,
readable by the owner only) — outside the data folder, so a copy of the database does not travel with
its key. A key file earlier versions left in ``$LIJIAN_DATA_DIR/identity_key`` is moved there once,
with a warning. What is stored is
``version byte + 12-byte nonce + ciphertext + 16-byte tag``; the petition's id is bound in as
associated data, so a ciphertext copied onto another petition does not decrypt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
FIELDS = ("name", "phone", "id_number", "address", "email")


LEGACY_KEY_NAME = "identity_key"  # earlier versions kept the key here, inside LIJIAN_DATA_DIR

log = logging.getLogger(__name__)


def _write_key_file(path: Path, hex_key: str) -> None:
    """Create ``path`` holding ``hex_key``, readable by the owner only, in a folder only the owner may
    enter. The file appears whole or not at all (written aside, then linked into place); raises
    ``FileExistsError`` when it exists already (two processes starting at once: the first one wins)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".identity_key-")  # mode 600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(hex_key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(partial, path)
    finally:
        os.unlink(partial)


def relocate_legacy_key(key_file: Path, data_dir: Path) -> bool:
    """Move a key file left inside ``data_dir`` by earlier versions to ``key_file``, once, and warn.

    Returns whether the old file was removed. When both places hold the same key the old copy is
    deleted; raises ``ImproperlyConfigured`` when they hold different keys, because which one sealed
    the stored identities cannot be told and guessing would lose them."""
    legacy = Path(data_dir) / LEGACY_KEY_NAME
    key_file = Path(key_file)
    if not legacy.is_file() or legacy.resolve() == key_file.resolve():
        return False
    try:
        old = legacy.read_text().strip()
    except FileNotFoundError:  # another process (a second web worker) moved it a moment ago
        return False
    if key_file.exists():
        if key_file.read_text().strip() != old:
            raise ImproperlyConfigured(
                f"两处身份密钥不一致：{legacy} 与 {key_file}。请确认加密现有数据所用的密钥，"
                "保留它并删除另一个。"
            )
    else:
        with contextlib.suppress(FileExistsError):  # another process moved the same key a moment ago
            _write_key_file(key_file, old)
    legacy.unlink(missing_ok=True)
    log.warning(
        "身份密钥已从数据目录 %s 移至 %s（备份数据目录不再带走密钥，请另行妥善备份该密钥）", legacy, key_file
    )
    return True


def load_key(key_file: Path, data_dir: Path) -> bytes:
    """The SM4 key kept in ``key_file``: a key left in ``data_dir`` is moved there first, a missing one
    is created, a file others may read is narrowed to its owner. Raises ``ImproperlyConfigured`` when
    the file does not hold 32 hex digits."""
    key_file = Path(key_file)
    relocate_legacy_key(key_file, data_dir)
    if not key_file.exists():
        with contextlib.suppress(FileExistsError):
            _write_key_file(key_file, os.urandom(16).hex())
    if key_file.stat().st_mode & 0o077:
        key_file.chmod(0o600)
        log.warning("身份密钥文件 %s 曾允许他人读取，已改为仅所有者可读", key_file)
    try:
        key = bytes.fromhex(key_file.read_text().strip())
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured(f"{key_file} must hold an SM4 key: 32 hex digits")
    return key


@cache
def _key() -> bytes:
    configured = os.environ.get("LIJIAN_IDENTITY_KEY", "").strip()
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError as exc:
            raise ImproperlyConfigured("LIJIAN_IDENTITY_KEY must be 32 hex digits") from exc
        if len(key) != 16:
            raise ImproperlyConfigured("LIJIAN_IDENTITY_KEY must be 32 hex digits (an SM4 key)")
        return key
    return load_key(settings.IDENTITY_KEY_FILE, settings.DATA_DIR)


def relocate_configured_legacy_key() -> None:
    """At start-up: move a key earlier versions left in the data folder to its configured place, so
    the next backup of the data folder no longer holds it (see :func:`relocate_legacy_key`)."""
    if os.environ.get("LIJIAN_IDENTITY_KEY", "").strip():
        if (Path(settings.DATA_DIR) / LEGACY_KEY_NAME).exists():
            log.warning(
                "数据目录中仍有旧的身份密钥文件 identity_key，但已使用 LIJIAN_IDENTITY_KEY：请核对后删除它"
            )
        return
    relocate_legacy_key(settings.IDENTITY_KEY_FILE, settings.DATA_DIR)


def seal(identity: dict, bound_to: str) -> bytes:
    """The identity fields given (empty ones dropped) as an SM4-GCM ciphertext bound to ``bound_to``."""
    data = {k: str(v).strip() for k, v in identity.items() if k in FIELDS and str(v or "").strip()}
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(bound_to.encode())
    body = encryptor.update(json.dumps(data, ensure_ascii=False).encode()) + encryptor.finalize()
    return VERSION + nonce + body + encryptor.tag


def unseal(blob: bytes, bound_to: str) -> dict:
    """The identity; ``ValueError`` if the ciphertext was altered, moved or sealed with another key."""
    blob = bytes(blob)
    if not blob.startswith(VERSION) or len(blob) < 1 + 12 + 16:
        raise ValueError("not a sealed identity")
    nonce, body, tag = blob[1:13], blob[13:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(bound_to.encode())
    try:
        return json.loads(decryptor.update(body) + decryptor.finalize())
    except InvalidTag as exc:
        raise ValueError("the identity does not decrypt") from exc
