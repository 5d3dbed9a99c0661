"""Petitioners' identities, encrypted at rest with SM4 in GCM mode (``cryptography``).

The key is ``LIJIAN_IDENTITY_KEY`` (32 hex digits) or, when unset, a random key created once in
``$LIJIAN_DATA_DIR/identity_key`` (readable by the owner only). What is stored is
``version byte + 12-byte nonce + ciphertext + 16-byte tag``; the petition's id is bound in as
associated data, so a ciphertext copied onto another petition does not decrypt.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
FIELDS = ("name", "phone", "id_number", "address", "email")


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
    path = Path(settings.DATA_DIR) / "identity_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(os.urandom(16).hex())
    return bytes.fromhex(path.read_text().strip())


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
