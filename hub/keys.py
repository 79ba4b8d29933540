"""The hub's secrets, made at first start: the key devices seal personal data to, and the ID-hash key."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from floor import idnumber
from floor.paths import write_private
from wire import sealed

KEY_FILE = "hub-key.pem"
SECRET_FILE = "hub-id-secret"


@dataclass(frozen=True)
class HubKeys:
    private_key: X25519PrivateKey
    id_secret: bytes

    @property
    def public_text(self) -> str:
        return sealed.public_key_text(self.private_key)

    @property
    def fingerprint(self) -> str:
        return sealed.fingerprint(self.public_text)

    def id_hash(self, number: str) -> str:
        """Keyed hash of an ID number: stable for lookups, useless without the hub's secret
        (a plain hash of an ID number is reversed by trying every birth date and sequence)."""
        return hmac.new(self.id_secret, idnumber.normalize(number).encode(), hashlib.sha256).hexdigest()

    def open(self, payload: str, context: bytes) -> dict:
        """A sealed body, opened only for the context it was sealed for (see wire.sealed)."""
        return sealed.open_sealed(self.private_key, payload, context)


def _create_once(path: Path, make: callable) -> None:
    """Creates the file unless another process (a sibling hub worker) won the race."""
    if path.exists():
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.new")
    write_private(tmp, make())
    try:
        os.link(tmp, path)  # atomic, and fails if the file appeared meanwhile
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def load_or_create(folder: Path) -> HubKeys:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path, secret_path = folder / KEY_FILE, folder / SECRET_FILE
    _create_once(key_path, lambda: sealed.private_key_to_pem(sealed.generate_private_key()))
    _create_once(secret_path, lambda: secrets.token_bytes(32))
    return HubKeys(sealed.private_key_from_pem(key_path.read_bytes()), secret_path.read_bytes())
