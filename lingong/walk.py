"""`lingong kiosk walk`: the kiosk's own flow (kiosk.flow, kiosk.views) driven step by step from the
command line over an enrolled kiosk's store, each screen printed as text — the booth walk-through
without a screen. What it queues (an application, a booking) is that kiosk's own event, sent to
the hub like any other."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

# The buttons of each screen that are not listed in its view (its jobs and tiles are), as steps.
BUTTONS = {
    "attract": "card:NUMBER:NAME 刷身份证 · browse 不刷卡看看 · shortage 这些活最缺人 · info 政策和服务",
    "jobs": "previous_page 上一页 · next_page 下一页 · open_register 登记想干的活 · info · back 退出",
    "detail": "start_apply 我要报名 · start_booking 预约视频面试 · start_report 举报 · back 返回",
    "apply": "type:PHONE 输入手机号 · toggle_consent 同意 · confirm_apply 确认报名 · back 返回",
    "receipt": "more_jobs 看更多岗位 · end 退出",
    "slots": "back 返回",
    "register": "next_step 下一步 · back 返回",
    "register_pay": "next_step 下一步 · back 上一步",
    "register_when": "next_step 下一步 · back 上一步",
    "register_phone": (
        "type:PHONE · toggle_consent 同意 · toggle_contact 可以打电话告诉我 · save_register 保存登记 · back 上一步"
    ),
    "browse": "back 返回",
    "info": "back 返回",
    "report": "back 返回",  # (the reasons are its tiles: tile:report:fees …)
    "shortage": "speak 读给我听 · back 返回",
}
MARKUP = re.compile(r"\[/?(?:b|i|u|s|color|size|font|sub|sup|ref|anchor)(?:=[^\]]*)?\]")


def plain(text: str) -> str:
    """Kivy markup taken out (the views carry some for the screens)."""
    text = MARKUP.sub("", text).replace("\n", " ")
    return text.replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")


def _arg(text: str):
    if "," in text:  # a tile's value that is a list (a pay tile: unit and amount)
        return [_arg(part) for part in text.split(",")]
    return int(text) if text.isascii() and text.lstrip("-").isdigit() else text


def _step_value(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def steps_of(tokens: list[str]) -> list[tuple[str, list]]:
    """`open_job:123`, `tile:category:2`, `type:13912345678`, `card:NUMBER:NAME`, `lift`, or an
    action's bare name: (action, arguments)."""
    steps = []
    for token in tokens:
        name, *args = token.split(":")
        steps.append((name, [_arg(a) for a in args]))
    return steps


def _chip(chip) -> str:
    return plain(chip.get("text", "") if isinstance(chip, dict) else str(chip))


def render(flow) -> str:
    """The screen the flow is on, as the worker would read it, with the steps that press its buttons."""
    from kiosk import views

    view = views.build(flow)
    lines = [f"── {flow.screen} ──"]
    for f in dataclasses.fields(view):
        value = getattr(view, f.name)
        if f.name == "jobs":
            for i, job in enumerate(value, 1):
                chips = " ".join(_chip(c) for c in job.get("chips", ()))
                lines.append(f"  {i}. {plain(job['title'])}  {plain(job['pay'])}  {chips}".rstrip())
                lines.append(f"       {plain(job['employer'])} · {plain(job['place'])}   → open_job:{job['pid']}")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "action" in item:
                    mark = "✓ " if item.get("chosen") else ""
                    lines.append(
                        f"  [{mark}{plain(item['text'])}]   → tile:{item['action']}:{_step_value(item['value'])}"
                    )
                elif isinstance(item, dict) and "trade_name" in item:  # a row of 这些活最缺人
                    words = "  ".join(item[k] for k in ("trade_name", "need", "trend", "here") if item[k])
                    lines.append(f"  {item['rank']}. {plain(words)}   → browse_trade:{item['trade']}")
                elif isinstance(item, dict) and "text" in item:
                    lines.append(f"  {plain(item['text'])}")
        elif isinstance(value, bool):
            if f.name in ("consent", "can_apply", "can_book"):
                lines.append(f"  {f.name}: {'是' if value else '否'}")
        elif isinstance(value, str) and value and f.name not in ("icon", "back_icon", "contact_icon"):
            lines.append(f"  {f.name}: {plain(value)}")
    if flow.screen in BUTTONS:
        lines.append(f"  buttons: {BUTTONS[flow.screen]}")
    return "\n".join(lines)


def press(flow, name: str, args: list) -> None:
    """One step: a card laid on or lifted, a phone typed digit by digit, or one of the flow's actions."""
    from cardreader.sim import resident
    from kiosk.flow import ACTIONS

    if name == "card":
        number, card_name = (list(map(str, args)) + ["", ""])[:2]
        flow.card(resident(number, card_name))
    elif name == "lift":
        flow.lift()
    elif name == "type":
        for digit in str(args[0]) if args else "":
            flow.press_key(digit)
    elif name in ACTIONS:
        getattr(flow, name)(*args)
    else:
        raise ValueError(f"not a kiosk step: {name!r} (actions: {', '.join(sorted(ACTIONS))}; or card, lift, type)")


def _hub_answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url.rstrip("/") + "/healthz", timeout=3).ok
    except requests.RequestException:
        return False


def walk(home: Path, tokens: list[str], *, card: tuple[str, str], phone: str, send: bool, out=sys.stdout) -> int:
    from floor import timezone
    from kiosk.data import KioskData
    from kiosk.flow import Flow
    from sync.errors import NotEnrolled, SyncError
    from sync.store import FILE_NAME, DeviceStore

    if not (home / FILE_NAME).exists():
        print(f"no kiosk here: {home} holds no device store (set LINGONG_HOME to a kiosk's folder)", file=sys.stderr)
        return 2
    store = DeviceStore.in_home(home)
    try:
        try:
            enrollment = store.enrollment()
        except NotEnrolled:
            print(f"{home} is not enrolled with a hub", file=sys.stderr)
            return 2
        if enrollment.kind != "kiosk":
            print(f"{home} is a {enrollment.kind}, not a kiosk", file=sys.stderr)
            return 2
        data = KioskData(store, tz=timezone.local())
        data.refresh()
        flow = Flow(data, public_url=enrollment.public_url or enrollment.hub_url, linked=True)
        flow.online = _hub_answers(enrollment.hub_url)  # as the kiosk's link would say
        flow.reader_state = "ready"  # the walk's cards are its `card:` steps
        print(render(flow), file=out)
        steps = steps_of(tokens)
        if not steps:  # the README's walk, to the receipt
            number, name = card
            press(flow, "card", [number, name])
            print(f"\n> card:{number}:{name}\n{render(flow)}", file=out)
            steps = [
                ("open_job", [flow.visit.jobs[0]["pid"]] if flow.visit and flow.visit.jobs else []),
                ("start_apply", []),
                ("type", [phone]),
                ("toggle_consent", []),
                ("confirm_apply", []),
            ]
        for name, args in steps:
            try:
                press(flow, name, args)
            except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
                print(f"\n> {':'.join(map(str, [name, *args]))}: cannot press here ({exc})", file=sys.stderr)
                return 2
            print(f"\n> {':'.join(map(str, [name, *args]))}\n{render(flow)}", file=out)
        waiting = store.outbox.count()
        if waiting and send:
            from sync.agent import SyncAgent

            try:
                taken = SyncAgent(store).push_once()
                print(f"\nsent to the hub at {enrollment.hub_url}: {taken} event(s)", file=out)
            except SyncError as exc:
                print(f"\nthe hub did not answer ({exc}); {waiting} event(s) wait in the outbox", file=out)
        elif waiting:
            print(f"\n{waiting} event(s) wait in this kiosk's outbox (its sync agent sends them)", file=out)
    finally:
        store.close()
    return 0
