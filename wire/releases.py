"""Signed releases, one definition for signer, hub and devices: version strings, the signed statement, Ed25519."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import ReleaseError

PROJECT = "lingong"
FORMAT = "lingong-release-1"
# MAJOR.MINOR.PATCH and nothing else: a device names folders and files after it, so no letters,
# no separators, no leading zeros (two spellings of one version would be two folders).
VERSION = re.compile(r"(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})")
MAX_WHEEL_BYTES = 200_000_000  # the project's wheel is ~30 MB (fonts); far above it is no release of ours
WHEEL_TAG = "py3-none-any"


def valid_version(value: object) -> str:
    """The version if it is one (see VERSION), else ReleaseError."""
    if not isinstance(value, str) or not VERSION.fullmatch(value):
        raise ReleaseError(
            "version",
            f"not a release version (MAJOR.MINOR.PATCH): {str(value)[:40]!r}",
            "版本号不对（应为 主.次.修订，如 1.2.0）",
        )
    return value


def version_key(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(p) for p in valid_version(version).split("."))
    return major, minor, patch


def wheel_name(version: str) -> str:
    """The one file name a release's wheel has (pip needs a wheel's proper name to install it)."""
    return f"{PROJECT}-{valid_version(version)}-{WHEEL_TAG}.whl"


# ---- keys ----------------------------------------------------------------------------------------
def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ReleaseError("key", "not an unencrypted PEM private key", "不是未加密的 PEM 私钥") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ReleaseError("key", "not an Ed25519 key", "不是 Ed25519 密钥")
    return key


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as devices and the hub's setting carry it: base64 of its 32 raw bytes."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError("length")
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError, AttributeError) as exc:
        raise ReleaseError("key", "not an Ed25519 public key (base64 of 32 bytes)", "更新公钥格式不对") from exc


def key_fingerprint(text: str) -> str:
    digest = hashlib.sha256(public_key(text).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    return "-".join(digest.hexdigest()[i : i + 4] for i in range(0, 20, 4))


# ---- the signed statement ------------------------------------------------------------------------
@dataclass(frozen=True)
class Signed:
    """What the update key vouches for: this project, this version, these exact bytes. Binding the
    version and the digest together is what stops a hub mixing one release's name with another's file."""

    version: str
    sha256: str
    size: int
    signature: str  # base64 of the Ed25519 signature over `statement()`

    def statement(self) -> bytes:
        return f"{FORMAT}\n{PROJECT}\n{self.version}\n{self.sha256}\n{self.size}\n".encode()

    def document(self) -> str:
        """The .sig file's text."""
        body = {"format": FORMAT, "project": PROJECT, **self.__dict__}
        return json.dumps(body, indent=1, sort_keys=True) + "\n"

    def check(self, key_text: str) -> None:
        """ReleaseError unless the fields are well formed and the signature verifies with the key."""
        valid_version(self.version)
        if not (isinstance(self.sha256, str) and re.fullmatch(r"[0-9a-f]{64}", self.sha256)):
            raise ReleaseError("sha256", "not a SHA-256 digest", "签名文件里的文件摘要格式不对")
        if not (isinstance(self.size, int) and 0 < self.size <= MAX_WHEEL_BYTES):
            raise ReleaseError("size", "size out of range", "签名文件里的文件大小不对")
        try:
            signature = base64.b64decode(str(self.signature), validate=True)
            public_key(key_text).verify(signature, self.statement())
        except (binascii.Error, ValueError, InvalidSignature) as exc:
            raise ReleaseError(
                "signature", "the signature does not verify with the update key", "不是用本中心的更新私钥签的名"
            ) from exc


def parse_document(text: str | bytes) -> Signed:
    try:
        body = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReleaseError("signature", "the signature file is not JSON", "签名文件格式不对（不是 .sig 文件）") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("project") != PROJECT:
        raise ReleaseError("signature", f"not a {FORMAT} signature of {PROJECT}", "不是本项目的签名文件")
    size = body.get("size")
    if not isinstance(size, int) or isinstance(size, bool):
        raise ReleaseError("size", "size is not a whole number", "签名文件里的文件大小不对")
    fields = {k: body.get(k) for k in ("version", "sha256", "signature")}
    if not all(isinstance(v, str) and len(v) <= 200 for v in fields.values()):
        raise ReleaseError(
            "signature", "a field of the signature file is missing or too long", "签名文件缺内容或内容太长"
        )
    return Signed(size=size, **fields)


def digest(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def sign(wheel: Path, key: Ed25519PrivateKey) -> Signed:
    """Signs a wheel of the project: its version read from the wheel itself, never from its name."""
    version = wheel_version(wheel)
    sha, size = digest(wheel)
    unsigned = Signed(version, sha, size, "")
    signature = base64.b64encode(key.sign(unsigned.statement())).decode()
    return Signed(version, sha, size, signature)


# ---- the wheel itself ----------------------------------------------------------------------------
def wheel_version(wheel: Path) -> str:
    """The version the wheel's own metadata states, after checking it is a pure-Python wheel of the
    project (ReleaseError otherwise)."""
    try:
        with zipfile.ZipFile(wheel) as z:
            infos = [n for n in z.namelist() if re.fullmatch(rf"{PROJECT}-[^/]+\.dist-info/(METADATA|WHEEL)", n)]
            texts = {n.rsplit("/", 1)[1]: z.read(n).decode("utf-8", "replace") for n in infos}
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ReleaseError("wheel", "not a wheel (zip) file", "不是安装包（.whl）文件") from exc
    if set(texts) != {"METADATA", "WHEEL"}:
        raise ReleaseError("wheel", f"not a wheel of {PROJECT}", "不是本项目的安装包")
    meta = _headers(texts["METADATA"].splitlines())
    if meta.get("Name", [""])[0].lower() != PROJECT:
        raise ReleaseError("wheel", f"not a wheel of {PROJECT}", "不是本项目的安装包")
    if f"Tag: {WHEEL_TAG}" not in texts["WHEEL"].splitlines():
        raise ReleaseError("wheel", f"not a pure-Python wheel ({WHEEL_TAG})", "不是通用（纯 Python）安装包")
    return valid_version(meta.get("Version", [""])[0])


def _headers(lines: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in lines:
        if not line.strip():
            break  # the description follows the headers
        name, sep, value = line.partition(":")
        if sep:
            out.setdefault(name.strip(), []).append(value.strip())
    return out
