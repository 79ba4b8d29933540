"""Hub configuration from LINGONG_* environment variables, validated once at start-up."""

from __future__ import annotations

import ipaddress
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from floor import paths


class Settings(BaseSettings):
    """Every knob of the hub; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="LINGONG_", extra="ignore")

    home: Path = Field(default_factory=paths.home, description="state folder")
    database_url: str | None = Field(None, description="SQLAlchemy URL; SQLite under home if unset")
    public_url: str = Field("http://127.0.0.1:8470", description="address QR codes and links point at")
    max_body_bytes: int = Field(1_000_000, ge=1024, le=100_000_000)
    longpoll_max_s: float = Field(25.0, gt=0, lt=30)
    stream_max_s: float = Field(
        300.0, gt=0, le=3600, description="how long a device's change stream stays open before it reconnects"
    )
    feed_window: int = Field(50_000, ge=100, description="recent changes each hub process keeps in memory")
    feed_poll_s: float = Field(0.2, gt=0, le=10, description="how often a process looks for other processes' changes")
    enroll_code_ttl_h: float = Field(72.0, gt=0)
    enroll_per_minute: int = Field(10, ge=1, description="enrollment attempts per client address")
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    log_format: str = Field("text", description="text, or json: one JSON object a line (scrubbed alike)")
    # /metrics: with a token, only `Authorization: Bearer <token>`; without, only loopback, unproxied.
    metrics_token: str = Field("", description="bearer token Prometheus sends for /metrics")
    # The proxies whose X-Forwarded-For / X-Forwarded-Proto the hub believes (addresses or networks,
    # comma-separated). Empty: the connecting address is the client, whatever headers say.
    trusted_proxies: str = Field("", description="e.g. 127.0.0.1 or 10.0.0.0/24,10.0.1.5")
    api_docs: bool = Field(False, description="serve /docs (Swagger UI from the installed package)")
    # false: the hub (and `lingong admin`) only check the schema and refuse to start behind it; the
    # DBA runs `lingong migrate`, or applies the SQL `lingong migrate --sql` prints.
    migrate_on_start: bool = Field(True, description="bring the database schema up to date at start")
    # Console sessions: signed out after this long without a request, and after this long in any case.
    session_idle_min: float = Field(30, gt=0, le=24 * 60)
    session_max_h: float = Field(12, gt=0, le=7 * 24)
    # Wrong passwords in a row before an account is locked, and for how long.
    lockout_after: int = Field(5, ge=3, le=100)
    lockout_min: float = Field(15, gt=0, le=24 * 60)
    # How long personal data is kept (see README "Personal data").
    retain_applicants_days: int = Field(
        180, ge=1, le=3650, description="names and phones on applications, counted from the posting's end"
    )
    retain_order_contact_days: int = Field(
        7, ge=0, le=3650, description="a household order's phone and address, counted from the order's end"
    )
    # 即时快招: how long a posting stays marked, how long walls show it as an interrupting card
    # (then it leads its trade's pages), and how many may be marked at once at one station.
    fast_hire_hours: float = Field(24, gt=0, le=7 * 24, description="a fast-hiring mark lapses after this long")
    fast_hire_card_min: float = Field(10, ge=0, le=24 * 60, description="walls interrupt with the posting this long")
    fast_hire_per_station: int = Field(3, ge=1, le=20, description="fast-hiring postings at once at one station")
    audit_retention_days: int = Field(180, ge=180, le=3650, description="the audit trail (at least 180 days)")
    # 岗位找人: the city's SMS gateway, as an HTTP webhook (empty: no text messages are sent).
    sms_webhook_url: str = Field("", description="e.g. https://sms.city.example.cn/send")
    sms_webhook_secret: str = Field("", description="signs each message (HMAC-SHA256 over the body)")
    # Signed updates (hub/releases): the public half of the update key `lingong release keygen` made;
    # the private half stays off the hub. Devices receive it at enrollment; empty: no releases.
    update_public_key: str = Field("", description="Ed25519 public key, base64 (lingong release keygen prints it)")
    sms_daily_cap: int = Field(2, ge=0, le=20, description="text messages to one worker a day, at most")

    @field_validator("home")
    @classmethod
    def _home(cls, value: Path) -> Path:
        value = value.expanduser().resolve()
        value.mkdir(parents=True, exist_ok=True, mode=0o700)
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) address such as https://hub.example.cn")
        return value.rstrip("/")

    @field_validator("sms_webhook_url")
    @classmethod
    def _sms_webhook_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError("must be empty or an http(s) address such as https://sms.city.example.cn/send")
        return value

    @field_validator("update_public_key")
    @classmethod
    def _update_public_key(cls, value: str) -> str:
        from wire.errors import ReleaseError
        from wire.releases import public_key

        value = value.strip()
        if value:
            try:
                public_key(value)
            except ReleaseError as exc:
                raise ValueError(exc.message) from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:/// and postgresql+psycopg:// databases are supported")
        if value and value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://") :]
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        value = value.lower()
        if value not in ("text", "json"):
            raise ValueError("text or json")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: str) -> str:
        items = [item.strip() for item in value.split(",") if item.strip()]
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"{item!r} is not an address or network") from exc
        return ",".join(items)

    @property
    def https(self) -> bool:
        """Served over HTTPS (the public address says so): cookies are Secure, HSTS is sent."""
        return self.public_url.startswith("https://")

    @cached_property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'hub.db'}"

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
