"""The console's form for a wall's week (DeviceConfig.schedule): when its screen is on, and its
dayparts — rows of days and times staff fill in, each problem said in words next to its row."""

from __future__ import annotations

import re
import typing

from hub.devices.schemas import DeviceConfig, Schedule, WallLayout

from .forms import LISTS, many

ROWS = 3  # rows of each kind on the form; more can be set through the API
LAYOUTS = frozenset(typing.get_args(WallLayout)) - {"auto"}
assert {f"{kind}-{i}-days" for kind in ("on", "part") for i in range(ROWS)} <= LISTS  # (checkboxes: lists)
DAYS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "日"}
HHMM = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")
LOOSE = re.compile(r"^(\d{1,2})(?:[:：.点](\d{2})分?|(\d{2}))?$")  # 6:30, 6：30, 06.30, 0630, 6点30, 6


def clock(text: str) -> str:
    """A time as staff type it (a Chinese keyboard's ：, no leading zero, no colon at all on a phone's
    keypad) as HH:MM; what cannot be read comes back as typed, for the check to refuse."""
    found = LOOSE.match(text.strip().replace(" ", ""))
    if not found:
        return text.strip()
    hours, minutes = int(found.group(1)), found.group(2) or found.group(3) or "00"
    return f"{hours:02d}:{minutes}"


def targets() -> dict[str, tuple[str, str]]:
    """Each row's error key → (its first field, its name), for the page's error summary."""
    rows = {f"on-{i}": (f"on-{i}-start", f"开关屏时间第{i + 1}行") for i in range(ROWS)}
    return rows | {f"part-{i}": (f"part-{i}-start", f"时段第{i + 1}行") for i in range(ROWS)}


def _text(form: dict, key: str) -> str:
    """A field's text; a file or a list where text belongs counts as nothing typed."""
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def rows_of(schedule: Schedule | None) -> dict:
    """The form's rows for a schedule (and empty rows to add more). Rows beyond the form's (set
    through the API) are not shown; saving keeps them (`extra` says how many)."""
    on = [w.model_dump() for w in schedule.on][:ROWS] if schedule else []
    parts = [p.model_dump() for p in schedule.dayparts][:ROWS] if schedule else []
    blank = {"days": [], "start": "", "end": ""}
    on_rows = [{**r, "days": [str(d) for d in r["days"]]} for r in on] + [blank] * max(0, ROWS - len(on))
    part_rows = [
        {
            **r,
            "days": [str(d) for d in r["days"]],
            "layout": r.get("layout") or "",
            "today_only": bool((r.get("filters") or {}).get("today_only")),
            "dwell_s": "" if r.get("dwell_s") is None else f"{r['dwell_s']:g}",
        }
        for r in parts
    ] + [{**blank, "layout": "", "today_only": False, "large_text": False, "dwell_s": ""}] * max(0, ROWS - len(parts))
    extra = len(schedule.on) + len(schedule.dayparts) - len(on) - len(parts) if schedule else 0
    return {"on": on_rows, "parts": part_rows, "extra": extra}


def rows_from_form(form: dict) -> dict:
    """The rows as staff sent them (shown again beside their problems)."""
    on = [
        {"days": many(form, f"on-{i}-days"), "start": form.get(f"on-{i}-start", ""), "end": form.get(f"on-{i}-end", "")}
        for i in range(ROWS)
    ]
    parts = [
        {
            "days": many(form, f"part-{i}-days"),
            "start": form.get(f"part-{i}-start", ""),
            "end": form.get(f"part-{i}-end", ""),
            "layout": form.get(f"part-{i}-layout", ""),
            "today_only": form.get(f"part-{i}-today_only") == "yes",
            "large_text": form.get(f"part-{i}-large_text") == "yes",
            "dwell_s": form.get(f"part-{i}-dwell_s", ""),
        }
        for i in range(ROWS)
    ]
    return {"on": on, "parts": parts}


def _window(form: dict, key: str, errors: dict) -> dict | None:
    """One row's days and times, or None when the row is empty."""
    start, end = clock(_text(form, f"{key}-start")), clock(_text(form, f"{key}-end"))
    ticked = [d for d in many(form, f"{key}-days")]
    days = sorted({int(d) for d in ticked if d in {str(n) for n in DAYS}})
    if not (start or end):
        return None
    problem = (
        "星期只能选周一到周日"
        if len(days) != len(set(ticked))
        else "开始和结束时间都要写（如 06:30）"
        if not (start and end)
        else "时间要写成 时:分，如 06:30 或 20:00"
        if not (HHMM.match(start) and HHMM.match(end))
        else "开始不能是 24:00（写 00:00）"
        if start == "24:00"
        else "开始和结束不能相同"
        if start == end
        else "请至少选一天"
        if not days
        else ""
    )
    if problem:
        errors.setdefault(key, problem)  # (the row and the summary say which row)
        return None
    return {"days": days, "start": start, "end": end}


def schedule_of(form: dict, current: DeviceConfig, errors: dict) -> dict | None:
    """The schedule the form asks for (rows left empty are dropped); problems go into `errors`.
    Dayparts beyond the form's rows (set through the API) are kept as they are."""
    on = [w for i in range(ROWS) if (w := _window(form, f"on-{i}", errors))]
    had = current.schedule.dayparts if current.schedule else []
    parts = []
    for i in range(ROWS):
        window = _window(form, f"part-{i}", errors)
        if window is None:
            continue
        layout = _text(form, f"part-{i}-layout")
        if layout and layout not in LAYOUTS:
            errors.setdefault(f"part-{i}", "请从列表里选版式")
            continue
        dwell = _text(form, f"part-{i}-dwell_s")
        part = {**window, "layout": layout or None, "large_text": form.get(f"part-{i}-large_text") == "yes"}
        # (filters the form does not show — trades, set through the API — stay as they were)
        before = had[i].filters.model_dump() if i < len(had) and had[i].filters else {}
        today = form.get(f"part-{i}-today_only") == "yes"
        if today or any(v for k, v in before.items() if k != "today_only"):
            part["filters"] = {**before, "today_only": today}
        if dwell:
            try:
                part["dwell_s"] = float(dwell)
            except ValueError:
                errors.setdefault(f"part-{i}", "每页停留要写秒数（3 到 600）")
                continue
            if not 3 <= part["dwell_s"] <= 600:
                errors.setdefault(f"part-{i}", "每页停留要在 3 到 600 秒之间")
                continue
        parts.append(part)
    if current.schedule:  # (rows beyond the form's, set through the API, are kept as they are)
        on += [w.model_dump() for w in current.schedule.on[ROWS:]]
        parts += [p.model_dump() for p in current.schedule.dayparts[ROWS:]]
    return {"on": on, "dayparts": parts} if on or parts else None
