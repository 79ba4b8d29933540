"""What every console page shares: reading a posted form (CSRF checked) and wording its errors."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from hub.errors import HubError, Invalid
from hub.fields import MAX_ID, hostile
from hub.web import csrf

T = TypeVar("T")


def console_router() -> APIRouter:
    """Every console module's router: under /staff, kept out of the public API document."""
    return APIRouter(prefix="/staff", tags=["staff console"], include_in_schema=False)


# A record id in a page's query string (0: none): a larger number is a 422, not a database overflow.
QueryId = Annotated[int, Query(ge=0, le=MAX_ID)]

# Fields that are lists of checkboxes; any other field sent twice is a forged form.
LISTS = frozenset({"station_ids", "trades"})


async def form_of(request: Request) -> dict:
    """The posted form, its CSRF token checked: one string per field, a list for checkbox fields
    (`LISTS`). A field sent twice that is not a list, or a control character in any
    value, is refused with 422 before any page sees it."""
    raw = await request.form()
    form: dict = {}
    for key in raw:
        values = [v.strip() if isinstance(v, str) else v for v in raw.getlist(key)]
        if key in LISTS:
            form[key] = values
        elif len(values) > 1:
            raise Invalid(f"{key}: 表单字段重复", code="form.field_repeated", field=key[:40])
        else:
            form[key] = values[0]
    token = form.pop("csrf_token", "")
    csrf.check(request, token if isinstance(token, str) else "")  # (an uploaded file is no token)
    where = hostile({k: v for k, v in form.items() if isinstance(v, (str, list))})
    if where:
        raise Invalid(f"{where}: 含有不允许的字符", code="form.control_character", field=where.split(".")[0][:40])
    return form


def whole(value: object, low: int = 1, high: int = MAX_ID) -> int | None:
    """A form's whole number inside [low, high], or None (words, signs, 30 digits …)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if low <= number <= high else None


def many(form: dict, key: str) -> list[str]:
    value = form.get(key, [])
    return value if isinstance(value, list) else [value]


def attempt(action: Callable[[], T]) -> tuple[T | None, dict[str, str]]:
    """Runs a form's action: (its result, no errors) when it went through, else (None, the errors
    by field) — the model's field errors and the services' own refusals alike."""
    try:
        return action(), {}
    except ValidationError as exc:
        return None, field_errors(exc)
    except HubError as exc:
        return None, {exc.field or "form": exc.message}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Each field's first problem, in words staff read (pydantic's own for anything unlisted)."""
    errors: dict[str, str] = {}
    for e in exc.errors():
        field = str(e["loc"][0]) if e["loc"] else "form"
        errors.setdefault(field, wording(e))
    return errors


def wording(e: dict) -> str:
    ctx = e.get("ctx") or {}
    kind = e["type"]
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "[0-9]{9}" in pattern:
            return "请写11位手机号，或带区号的座机（如 0731-12345678）"
        if "a-z0-9_-" in pattern:
            return "只能写设备在它的 machine.toml 里登记的名称（小写字母、数字、- 和 _），空着就用设备自己的默认"
        return "格式不对"
    if kind in ("missing", "string_too_short") and ctx.get("min_length", 1) <= 1:
        return "必填"
    known = {
        "string_too_short": "至少 {min_length} 个字",
        "string_too_long": "最多 {max_length} 个字",
        "int_parsing": "请写整数",
        "float_parsing": "请写数字",
        "int_from_float": "请写整数",
        "greater_than_equal": "不能小于 {ge}",
        "less_than_equal": "不能大于 {le}",
        "greater_than": "必须大于 {gt}",
        "less_than": "必须小于 {lt}",
        "date_from_datetime_parsing": "请写日期，如 2026-11-25",
        "date_parsing": "请写日期，如 2026-11-25",
        "datetime_from_date_parsing": "请写日期和时间",
        "datetime_parsing": "请写日期和时间",
        "enum": "请从列表里选",
        "literal_error": "请从列表里选",
        "bool_parsing": "请写 是 或 否",
    }
    if kind in known:
        try:
            return known[kind].format(**ctx)
        except (KeyError, IndexError):
            return known[kind]
    return e["msg"].removeprefix("Value error, ")


def yuan_to_fen(text: str):
    """'380' or '12.5' → fen; anything else (words, 'inf', 'nan', a number no purse holds) is handed
    on as it is, for the model to word the error."""
    try:
        value = float(text or "x")
    except (ValueError, TypeError):
        return text
    return round(value * 100) if math.isfinite(value) and abs(value) < 1e12 else text
