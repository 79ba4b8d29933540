"""What every console page shares: reading a posted form (CSRF checked) and wording its errors."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, TypeAdapter, ValidationError

from hub.errors import HubError, Invalid
from hub.fields import MAX_ID, hostile
from hub.web import csrf

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
# The rules between a model's fields (a service's): every one broken by the values given, any of
# which may be left out (a field that is itself wrong) — a rule missing one of its values is skipped.
Rules = Callable[[Mapping[str, Any]], Iterable[HubError]]


def console_router() -> APIRouter:
    """Every console module's router: under /staff, kept out of the public API document."""
    return APIRouter(prefix="/staff", tags=["staff console"], include_in_schema=False)


# A record id in a page's query string (0: none): a larger number is a 422, not a database overflow.
QueryId = Annotated[int, Query(ge=0, le=MAX_ID)]

# Fields that are lists of checkboxes; any other field sent twice is a forged form.
# (and the weekdays of a wall's schedule rows: hub/web/console/device_schedule.py, ROWS of each kind)
LISTS = frozenset({"station_ids", "trades", *(f"{kind}-{i}-days" for kind in ("on", "part") for i in range(3))})


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


def values_of(form: dict, *, text=(), required=(), optional=()) -> dict[str, Any]:
    """A form's fields as its model takes them: text as typed ('' when left out), a required number
    or choice 0 when empty (below every id: the model words the error), an optional one None."""
    return (
        {key: form.get(key, "") for key in text}
        | {key: form.get(key) or 0 for key in required}
        | {key: form.get(key) or None for key in optional}
    )


def attempt(action: Callable[[], T]) -> tuple[T | None, dict[str, str]]:
    """Runs a form's action: (its result, no errors) when it went through, else (None, the errors
    by field) — the model's field errors and the services' own refusals alike."""
    try:
        return action(), {}
    except ValidationError as exc:
        return None, field_errors(exc)
    except HubError as exc:
        return None, {exc.field or "form": exc.message}


def validate_all(model: type[M], data: dict, rules: Rules | None = None) -> tuple[M | None, dict[str, str]]:
    """The model made from `data` and every problem at once: each field's own, and each rule
    between fields whose values are right (pydantic stops before its model's rules when a field is
    wrong, and a service at its first refusal — a form would then show one more error per submit)."""
    try:
        made, errors = model.model_validate(data), {}
    except ValidationError as exc:
        made, errors = None, field_errors(exc)
    if rules is not None:
        parts = made.model_dump() if made is not None else valid_parts(model, data, errors)
        for problem in rules(parts):
            errors.setdefault(problem.field or "form", problem.message)
    return (made if not errors else None), errors


def valid_parts(model: type[BaseModel], data: dict, wrong: Iterable[str]) -> dict[str, Any]:
    """The fields of `data` that are right on their own, as the model would hold them."""
    parts = {}
    for name in model.model_fields.keys() - set(wrong):
        if name in data:
            try:
                parts[name] = _adapter(model, name).validate_python(data[name])
            except ValidationError:
                continue
    return parts


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


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
        "int_type": "请写整数",
        "float_type": "请写数字",
        "string_type": "请写文字",
        "date_type": "请写日期，如 2026-11-25",
        "datetime_type": "请写日期和时间",
        "list_type": "请从列表里选",
        "extra_forbidden": "多了不认识的一项",
        "timezone_aware": "请写日期和时间",
    }
    if kind in known:
        try:
            return known[kind].format(**ctx)
        except (KeyError, IndexError):
            return known[kind]
    message = e["msg"].removeprefix("Value error, ")
    if "the year must be between" in message:
        return "年份不对：请写 2000 年到 2199 年之间的日期"
    # The models' own checks speak to API callers and may be in English: staff never read that.
    return message if not re.search(r"[A-Za-z]{2,}", message) else "格式不对"


def local_datetime(text: str, tz: dt.tzinfo) -> dt.datetime | str:
    """A datetime-local field (2026-11-22T08:00) in the hub's zone; anything else goes to the model
    as it is, for the model to word the error (a file sent where the field belongs, too)."""
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=tz)
    except (ValueError, TypeError):
        return text


def yuan_to_fen(text: str):
    """'380' or '12.5' → fen; anything else (words, 'inf', 'nan', a number no purse holds) is handed
    on as it is, for the model to word the error."""
    try:
        value = float(text or "x")
    except (ValueError, TypeError):
        return text
    return round(value * 100) if math.isfinite(value) and abs(value) < 1e12 else text
