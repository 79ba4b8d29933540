"""Administrative tasks run on the hub's own machine (the `lingong admin …` and `lingong seed` commands)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from . import migrate
from .audit import service as audit
from .db import Database
from .devices import service as devices
from .devices.models import DeviceKind
from .devices.schemas import DeviceConfig
from .keys import load_or_create
from .privacy import retention
from .privacy.erase import erase_worker
from .seed.generate import SeedReport, seed
from .settings import Settings
from .staff import service as staff
from .staff import totp
from .staff.models import ApiToken, Role, StaffUser


def open_db(settings: Settings) -> Database:
    db = Database(settings.db_url, pool_size=2)
    migrate.at_start(db.engine, settings.home, settings.migrate_on_start)
    load_or_create(settings.home)
    return db


def _in_transaction(settings: Settings, work):
    db = open_db(settings)
    try:
        with db.write() as session:
            return work(session)
    finally:
        db.dispose()


def create_user(settings: Settings, name: str, role: str, password: str, station_ids: list[int]) -> int:
    def work(session):
        user = staff.create_user(session, name, Role(role), password, station_ids)
        audit.record_cli(session, "user.create", target=f"user_id={user.id}", detail={"role": role})
        return user.id

    return _in_transaction(settings, work)


def api_token(settings: Settings, name: str, label: str = "") -> str:
    def work(session):
        user = staff.by_name(session, name)
        audit.record_cli(session, "token.create", target=f"user_id={user.id}", detail={"label": label[:40]})
        return staff.create_token(session, user, label)

    return _in_transaction(settings, work)


def users(settings: Settings) -> list[dict]:
    def work(session):
        live = {uid for uid in session.scalars(select(ApiToken.user_id).where(ApiToken.revoked_at.is_(None)))}
        return [
            {
                "name": u.name,
                "role": u.role.value,
                "stations": sorted(u.station_ids),
                "disabled": u.disabled_at is not None,
                "second_factor": totp.enrolled(u),
                "api_tokens": u.id in live,
            }
            for u in session.scalars(select(StaffUser).order_by(StaffUser.id))
        ]

    return _in_transaction(settings, work)


def user_action(settings: Settings, name: str, action: str, password: str | None = None) -> str:
    """disable, enable, set-password, reset-password, reset-2fa, revoke-tokens: what it did, in words."""

    def work(session):
        user = staff.by_name(session, name)
        if action == "disable":
            staff.disable(session, user)
            said = f"{name} disabled: signed out everywhere, API tokens revoked"
        elif action == "enable":
            staff.enable(user)
            said = f"{name} enabled (and unlocked)"
        elif action == "set-password":
            staff.set_password(user, password or "")
            staff.sessions.end_all(session, user.id)
            said = f"{name}'s password set; their sessions ended"
        elif action == "reset-password":
            said = (
                f"{name}'s temporary password (to be changed at the next sign-in): "
                f"{staff.grouped(staff.reset_password(session, user))}"
            )
        elif action == "reset-2fa":
            totp.reset(user)
            staff.sessions.end_all(session, user.id)
            said = f"{name} enrols a new authenticator at the next sign-in"
        elif action == "revoke-tokens":
            said = f"{staff.revoke_tokens(session, user)} API token(s) of {name} revoked"
        else:
            raise ValueError(action)
        audit.record_cli(session, f"user.{action.replace('-', '_')}", target=f"user_id={user.id}")
        return said

    return _in_transaction(settings, work)


def run_retention(settings: Settings) -> dict[str, int]:
    return _in_transaction(settings, lambda session: retention.sweep(session, settings))


def erase(settings: Settings, *, id_number: str | None, phone: str | None) -> dict[str, int]:
    keys = load_or_create(settings.home)
    return _in_transaction(
        settings, lambda session: erase_worker(session, keys, id_number=id_number, phone=phone, tz=settings.tz)
    )


def add_device(
    settings: Settings, name: str, kind: str, station_id: int, config: dict | None = None
) -> tuple[int, str]:
    def work(session):
        device, code = devices.create(
            session,
            name=name,
            kind=DeviceKind(kind),
            station_id=station_id,
            config=DeviceConfig.model_validate(config or {}),
            code_ttl=dt.timedelta(hours=settings.enroll_code_ttl_h),
            is_admin=True,
        )
        audit.record_cli(session, "device.create", target=f"device_id={device.id}", station_id=station_id)
        return device.id, code

    return _in_transaction(settings, work)


def key_fingerprint(settings: Settings) -> str:
    return load_or_create(settings.home).fingerprint


def seed_hub(settings: Settings, postings: int, seed_value: int) -> SeedReport:
    db = open_db(settings)
    try:
        with db.write() as session:
            return seed(session, postings=postings, seed=seed_value, tz=settings.tz)
    finally:
        db.dispose()
