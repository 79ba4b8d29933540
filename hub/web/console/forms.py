"""What every console page shares: reading a posted form (CSRF checked) and wording its errors."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import ValidationError

from hub.web import csrf


def console_router() -> APIRouter:
    """Every console module's router: under /staff, kept out of the public API document."""
    return APIRouter(prefix="/staff", tags=["staff console"], include_in_schema=False)


async def form_of(request: Request) -> dict[str, str]:
    """The posted form, its CSRF token checked; a field given several times (checkboxes) keeps
    all its values as a list."""
    raw = await request.form()
    form: dict = {}
    for key in raw.keys():
        values = [v.strip() if isinstance(v, str) else v for v in raw.getlist(key)]
        form[key] = values if len(values) > 1 or key.endswith("[]") else values[0]
    csrf.check(request, form.pop("csrf_token", ""))
    return form


def many(form: dict, key: str) -> list[str]:
    value = form.get(key, [])
    return value if isinstance(value, list) else [value]


def field_errors(exc: ValidationError) -> dict[str, str]:
    return {str(e["loc"][0]) if e["loc"] else "form": e["msg"].removeprefix("Value error, ") for e in exc.errors()}


def aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def yuan_to_fen(text: str):
    """'380' or '12.5' → fen; anything else is handed on as it is, for the model to word the error."""
    try:
        return round(float(text or "x") * 100)
    except ValueError:
        return text
