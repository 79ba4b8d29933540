"""What a device accepts: an offer signed with the key from enrollment, then a file that is exactly what was signed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from wire.errors import ReleaseError
from wire.releases import Signed, digest, valid_version, version_key, wheel_version

from .errors import UpdateError

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Offer:
    """A release the hub rolls out to this device. Only `release_id` (an integer, for the download
    path the device builds itself) and `pinned` are taken on the hub's word; the rest is signed.
    `pinned` is not signed, so it is believed only from an authenticated hub (see offer_of)."""

    release_id: int
    signed: Signed
    pinned: bool

    @property
    def version(self) -> str:
        return self.signed.version

    @property
    def key(self) -> str:
        """This release as the device remembers a failure of it: version and everything signed."""
        s = self.signed
        text = f"{s.version}\n{s.sha256}\n{s.size}\n{s.signature}"
        return f"{s.version}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def offer_of(answer: object, pin_trusted: bool = False) -> Offer | None:
    """The release in a heartbeat answer, or None (none offered, or not one in a shape we take).

    `pin_trusted`: the answer came over TLS or loopback (sync.enroll.authenticated). A pin lets an
    older signed release in, and nothing signs it: over plain HTTP anyone on the path could set it
    and take devices back to any old release with a known hole, so there it is ignored."""
    if not isinstance(answer, dict) or not isinstance(answer.get("release"), dict):
        return None
    r = answer["release"]
    release_id, size, pinned = r.get("id"), r.get("size"), r.get("pinned", False)
    if not (isinstance(release_id, int) and not isinstance(release_id, bool) and 1 <= release_id <= MAX_ID):
        return None
    if not (isinstance(size, int) and not isinstance(size, bool)) or not isinstance(pinned, bool):
        return None
    fields = [r.get(k) for k in ("version", "sha256", "signature")]
    if not all(isinstance(v, str) and len(v) <= 200 for v in fields):
        return None
    try:
        valid_version(fields[0])
    except ReleaseError:
        return None
    return Offer(release_id, Signed(fields[0], fields[1], size, fields[2]), pinned and pin_trusted)


def check_offer(offer: Offer, key_text: str, running: str) -> None:
    """UpdateError unless the offer is signed with the update key and not a step back (unless pinned)."""
    if not key_text:
        raise UpdateError("no_key", "接入时中心没有给更新公钥：重新接入后才能更新")
    try:
        offer.signed.check(key_text)
    except ReleaseError as exc:
        raise UpdateError("signature", f"签名不对，拒绝安装 {offer.version}：{exc.words}") from exc
    if version_key(offer.version) < version_key(running) and not offer.pinned:
        raise UpdateError("older", f"{offer.version} 比正在运行的 {running} 旧，管理员没有指定退回，拒绝安装")


def check_file(path: Path, offer: Offer) -> None:
    """UpdateError unless the downloaded file is the signed bytes and says the signed version itself."""
    sha, size = digest(path)
    if (sha, size) != (offer.signed.sha256, offer.signed.size):
        # Not final: a download damaged on the way (or the wrong file served once) says nothing of
        # the release itself, which is fetched again at the next offer.
        raise UpdateError("download", f"下载的文件和签名不符，稍后重新下载 {offer.version}", final=False)
    try:
        inside = wheel_version(path)
    except ReleaseError as exc:
        raise UpdateError("signature", f"下载的文件不是本项目的安装包：{exc.words}") from exc
    if inside != offer.version:
        raise UpdateError("signature", f"安装包里的版本 {inside} 和签名的 {offer.version} 不符")
