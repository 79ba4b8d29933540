"""Personal data sealed to the hub's public key (HPKE, RFC 9180) before it touches a device's disk.

Each sealed body is bound to where it belongs — the device, and for an event its kind and number —
through HPKE's `info`: opened anywhere else (another device's event, another kind of event, a
lookup replayed as an application) it does not open at all."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from .errors import SealError

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
INFO = b"lingong sealed v2"
PREFIX = "v2."  # v1 bodies (bound to nothing) are refused


def event_context(device_id: int, kind: str, n: int) -> bytes:
    """A queued event's body: this device, this kind, this number."""
    return f"event\x00{device_id}\x00{kind}\x00{n}".encode()


def lookup_context(device_id: int) -> bytes:
    """A kiosk asking what the hub knows of the worker at its reader."""
    return f"lookup\x00{device_id}".encode()


def checkin_context(device_id: int) -> bytes:
    """A booth checking the worker at its reader in to an interview."""
    return f"checkin\x00{device_id}".encode()


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


def fingerprint(public_text: str) -> str:
    """What staff read out next to an enrollment code, and `lingong enroll --fingerprint` checks:
    the first 80 bits of the SHA-256 of the hub's public key, in groups of four."""
    digest = hashlib.sha256(_unb64(public_text)).hexdigest()[:20]
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


def public_key_from_text(text: str) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(_unb64(text))
    except ValueError as exc:
        raise SealError("not a hub public key") from exc


def seal(public_key: X25519PublicKey | str, payload: dict, context: bytes) -> str:
    """Encrypts a JSON object so that only the holder of the hub's private key can read it, and only
    as what `context` says it is."""
    if isinstance(public_key, str):
        public_key = public_key_from_text(public_key)
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return PREFIX + _b64(SUITE.encrypt(plaintext, public_key, info=INFO + b"\x00" + context))


def open_sealed(private_key: X25519PrivateKey, sealed: str, context: bytes) -> dict:
    """Decrypts what `seal` produced for this same context; SealError for anything else."""
    if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
        raise SealError("not a sealed payload (or sealed by an older version, bound to nothing)")
    try:
        plaintext = SUITE.decrypt(_unb64(sealed[len(PREFIX) :]), private_key, info=INFO + b"\x00" + context)
        value = json.loads(plaintext)
    except (InvalidTag, ValueError) as exc:
        raise SealError(
            "sealed payload does not open with the hub's key, or not for this device, kind and number"
        ) from exc
    if not isinstance(value, dict):
        raise SealError("sealed payload is not an object")
    return value
