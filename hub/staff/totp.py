"""The administrators' second factor: time-based one-time codes (TOTP, RFC 6238) from any
authenticator app. The secret is kept sealed (AES-GCM under a key derived from the hub's secret),
so a copy of the database alone does not give the codes; a code is good once."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import time

import pyotp
import qrcode
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from qrcode.image.svg import SvgPathImage

from hub.errors import Invalid

from .models import StaffUser

ISSUER = "零工驿站"
STEP_S = 30
DRIFT_STEPS = 1  # a phone's clock a step either way


def _key(id_secret: bytes) -> bytes:
    return hmac.new(id_secret, b"staff-totp", hashlib.sha256).digest()


def _seal(id_secret: bytes, secret: str, user_id: int) -> str:
    nonce = os.urandom(12)
    box = AESGCM(_key(id_secret)).encrypt(nonce, secret.encode(), str(user_id).encode())
    return base64.urlsafe_b64encode(nonce + box).decode()


def _open(id_secret: bytes, sealed: str, user_id: int) -> str:
    raw = base64.urlsafe_b64decode(sealed)
    return AESGCM(_key(id_secret)).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()


def start_enrolment(user: StaffUser, id_secret: bytes) -> str:
    """A new secret for this user (unconfirmed until a code matches); returns it for the QR code."""
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = _seal(id_secret, secret, user.id), None, None
    return secret


def secret_of(user: StaffUser, id_secret: bytes) -> str:
    return _open(id_secret, user.totp_secret or "", user.id)


def provisioning(user: StaffUser, id_secret: bytes) -> tuple[str, str]:
    """The otpauth:// URI and its QR code (SVG) for the user's authenticator app."""
    uri = pyotp.TOTP(secret_of(user, id_secret)).provisioning_uri(name=user.name, issuer_name=ISSUER)
    svg = qrcode.make(uri, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    return uri, svg


def verify(user: StaffUser, id_secret: bytes, code: str, now: float | None = None) -> None:
    """Accepts a code once (the time step is remembered); the first good code confirms enrolment.
    Invalid (field "code") otherwise."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6) or not user.totp_secret:
        raise Invalid("请输入验证器上的6位数字", code="totp.format", field="code")
    totp = pyotp.TOTP(secret_of(user, id_secret))
    now = time.time() if now is None else now
    current = int(now // STEP_S)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_S), code):
            user.totp_last_step = step
            if user.totp_confirmed_at is None:
                user.totp_confirmed_at = dt.datetime.now(dt.UTC)
            return
    raise Invalid(
        "验证码不对。请核对手机验证器上现在显示的6位数字（每个验证码只能用一次）", code="totp.wrong", field="code"
    )


def enrolled(user: StaffUser) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def reset(user: StaffUser) -> None:
    """An administrator lost their phone: they enrol again at their next sign-in."""
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
