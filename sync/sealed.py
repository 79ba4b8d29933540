"""Personal data sealed to the hub's public key (HPKE, RFC 9180) before it touches a device's disk."""
from __future__ import annotations

import base64
import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from .errors import SealError

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
INFO = b"lingong sealed v1"
PREFIX = "v1."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_private_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def private_key_to_pem(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_pem(pem: bytes) -> X25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, X25519PrivateKey):
        raise SealError("the hub key file does not hold an X25519 key")
    return key


def public_key_text(key: X25519PrivateKey | X25519PublicKey) -> str:
    """The public key as devices receive it at enrollment: 32 raw bytes, base64url."""
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return _b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_from_text(text: str) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(_unb64(text))
    except ValueError as exc:
        raise SealError("not a hub public key") from exc


def seal(public_key: X25519PublicKey | str, payload: dict) -> str:
    """Encrypts a JSON object so that only the holder of the hub's private key can read it."""
    if isinstance(public_key, str):
        public_key = public_key_from_text(public_key)
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return PREFIX + _b64(SUITE.encrypt(plaintext, public_key, info=INFO))


def open_sealed(private_key: X25519PrivateKey, sealed: str) -> dict:
    """Decrypts what `seal` produced; SealError for anything else."""
    if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
        raise SealError("not a sealed payload")
    try:
        plaintext = SUITE.decrypt(_unb64(sealed[len(PREFIX):]), private_key, info=INFO)
        value = json.loads(plaintext)
    except (InvalidTag, ValueError) as exc:
        raise SealError("sealed payload does not open with the hub's key") from exc
    if not isinstance(value, dict):
        raise SealError("sealed payload is not an object")
    return value
