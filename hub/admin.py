"""Administrative tasks run on the hub's own machine (the `lingong admin …` and `lingong seed` commands)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from . import migrate
from .db import Database
from .devices import service as devices
from .devices.models import DeviceKind
from .devices.schemas import DeviceConfig
from .errors import NotFound
from .keys import load_or_create
from .seed.generate import SeedReport, seed
from .settings import Settings
from .staff import service as staff
from .staff.models import Role, StaffUser


def open_db(settings: Settings) -> Database:
    db = Database(settings.db_url, pool_size=2)
    migrate.upgrade(db.engine, settings.home)
    load_or_create(settings.home)
    return db


def create_user(settings: Settings, name: str, role: str, password: str, station_ids: list[int]) -> int:
    db = open_db(settings)
    try:
        with db.write() as session:
            return staff.create_user(session, name, Role(role), password, station_ids).id
    finally:
        db.dispose()


def api_token(settings: Settings, name: str, label: str = "") -> str:
    db = open_db(settings)
    try:
        with db.write() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.name == name))
            if user is None:
                raise NotFound(f"no staff user named {name!r}")
            return staff.create_token(session, user, label)
    finally:
        db.dispose()


def add_device(settings: Settings, name: str, kind: str, station_id: int, config: dict | None = None) -> tuple[int, str]:
    db = open_db(settings)
    try:
        with db.write() as session:
            device, code = devices.create(
                session, name=name, kind=DeviceKind(kind), station_id=station_id,
                config=DeviceConfig.model_validate(config or {}),
                code_ttl=dt.timedelta(hours=settings.enroll_code_ttl_h))
            return device.id, code
    finally:
        db.dispose()


def seed_hub(settings: Settings, postings: int, seed_value: int) -> SeedReport:
    db = open_db(settings)
    try:
        with db.write() as session:
            return seed(session, postings=postings, seed=seed_value, tz=settings.tz)
    finally:
        db.dispose()
