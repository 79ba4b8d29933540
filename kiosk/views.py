"""What each kiosk screen shows, as one immutable object per screen built from the flow: every text
in the worker's language, every choice and every yes/no the kv files bind to. No Kivy here."""

from __future__ import annotations

from dataclasses import dataclass, field

from floor.postings import yuan

from . import present
from . import shortage as shortages
from . import theme as T
from .offers import OffersView, OfferView
from .steps import PAGE, REGISTER_STEPS, REPORT_REASONS

AVAILABILITY = ("today", "week", "weekends", "long_term")


@dataclass(frozen=True)
class AttractView:
    title: str = ""  # 请刷身份证, or 请取走您的身份证 after a visit that left the card on the reader
    take_card: bool = False
    subtitle: str = ""  # how to use the reader; nothing while it asks for the card to be taken
    station: str = ""
    online: bool = False
    link: str = ""  # 已联网 / 没联网
    reader_ok: bool = False
    reader: str = ""  # what the card reader is doing, in words
    open_jobs: str = ""
    placed: str = "—"
    notices: str = ""  # markup: the five newest notices' titles
    shortage: str = ""  # 这些活最缺人 on its button; "" (no button) without a fresh shortage list
    stale: str = ""  # out of touch for long: the list may be out of date (said in the subtitle's place)
    courses: str = ""  # 免费学手艺 on its button; "" (no button) when no course takes sign-ups here
    buses: str = ""  # 包车外出务工 on its button; "" (no button) when no bus takes sign-ups here
    fair: str = ""  # 招聘会取号 beside 先看看岗位 while a fair is on in the hall; "" otherwise


@dataclass(frozen=True)
class JobsView:
    heading: str = ""
    subtitle: str = ""
    stale: str = ""  # the list may be out of date (offline long): one line, in the subtitle's place
    warning: str = ""
    choose: str = ""  # the prompt over the category tiles; empty when browsing (no tiles)
    tiles: list = field(default_factory=list)
    jobs: list = field(default_factory=list)  # present.job_card rows: the page on screen
    paged: bool = False  # more than one page: the pager is shown
    page: str = ""  # 第1页，共7页
    can_previous: bool = False
    can_next: bool = False
    can_register: bool = False
    back: str = ""  # 退出, or 返回 to the categories when browsing
    back_icon: str = "logout"


@dataclass(frozen=True)
class DetailView:
    title: str = ""
    icon: str = "job"
    urgent: str = ""
    gone: str = ""  # said when the posting was filled or closed while they looked at it
    pay: str = ""
    settle: str = ""
    guide: str = ""  # where the pay stands among its trade's here (the hub's pay guide)
    when: str = ""
    where: str = ""
    employer: str = ""
    verified: bool = False
    free: str = ""  # 不收费: a verified employer, nothing flagged at the hub (hub.trust)
    contact: str = ""
    places: str = ""
    requirements: str = ""
    benefits: str = ""
    qr: str = ""
    can_book: bool = False
    can_apply: bool = False
    message: str = ""


@dataclass(frozen=True)
class ApplyView:
    title: str = ""
    name: str = ""
    phone: str = ""  # the number the hub holds (masked); empty when one is to be typed
    digits: str = ""  # typed so far, shown in eleven big boxes above the keypad
    ask_phone: str = ""  # the prompt to type a phone; empty when the hub holds one
    keypad: bool = True
    consent: bool = False
    message: str = ""


@dataclass(frozen=True)
class ReceiptView:
    sent: bool = False
    status: str = ""  # 报名成功 / 预约成功, online or not: the outbox delivers it
    # The mark beside the status: check (done), time (a seat the hub has yet to give), warning (refused)
    mark: str = "check"
    # The hub is being asked for the seat or number now: leaving is not what to do next, so 退出
    # is not the primary button (nothing is lost if they do: the outbox holds the request).
    waiting: bool = False
    qr: str = ""  # what the QR holds when not the code (a fair number's own phone page)
    note: str = ""  # offline: when it will reach the employer
    code: str = ""
    code_label: str = ""
    scan_label: str = ""
    title: str = ""
    employer: str = ""
    when: str = ""
    where: str = ""
    contact_label: str = ""
    contact_icon: str = "phone"
    contact: str = ""
    help: str = ""  # whom to ask before the day (a bus: the station's number; 有事打驿站电话)


@dataclass(frozen=True)
class SlotsView:
    title: str = ""
    message: str = ""
    tiles: list = field(default_factory=list)


@dataclass(frozen=True)
class RegisterView:
    """One step of registering (kiosk.flow.REGISTER_STEPS): each screen binds what it asks."""

    step: str = ""  # 第2步，共4步
    question: str = ""  # the step's one question, as the heading
    back: str = ""  # 返回 on the first step (to the list), 上一步 after it
    back_icon: str = "back"
    categories: list = field(default_factory=list)  # tabs: the open one marked, ✓ on those with a trade chosen
    trades_title: str = ""  # names the open category over its trades
    trades: list = field(default_factory=list)  # the open category's trades
    pay: list = field(default_factory=list)  # 不限 first, then the units of the chosen trades
    when: list = field(default_factory=list)
    digits: str = ""  # typed so far, shown in eleven boxes
    held: str = ""  # the number the hub holds (masked), kept unless another is typed
    consent: bool = False
    contact: bool = False  # 有合适的活，驿站可以打电话告诉我
    message: str = ""


@dataclass(frozen=True)
class BrowseView:
    tiles: list = field(default_factory=list)


@dataclass(frozen=True)
class InfoView:
    text: str = ""  # markup: every live notice with its body


@dataclass(frozen=True)
class ShortageView:
    """这些活最缺人: one big row per trade (kiosk.shortage.rows), most short first."""

    rows: list = field(default_factory=list)
    message: str = ""  # a trade tapped that has no jobs here


@dataclass(frozen=True)
class ReportView:
    """举报: the job's title, and one big tile per reason."""

    title: str = ""
    question: str = ""
    tiles: list = field(default_factory=list)
    note: str = ""  # what a tap does, under the tiles


def build(flow):
    """The view of the screen the flow is on."""
    return BUILDERS[flow.screen](flow)


def tile(text: str, action: str, value, *, icon: str = "", chosen: bool = False, big: bool = False) -> dict:
    return {"text": text, "icon": icon, "chosen": chosen, "big": big, "action": action, "value": value}


def escape_markup(text: str) -> str:
    # Kivy's own escape_markup would import Kivy into this module; its rule is these three swaps.
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


def _notice_tag(flow, notice: dict) -> str:
    word = escape_markup(flow.tr("notice." + notice["kind"]))
    return f"[color={T.ACCENT.lstrip('#')}][b]{word}[/b][/color]"


def attract(flow) -> AttractView:
    data = flow.data
    placed = data.placed_today()
    titles = (f"{_notice_tag(flow, n)}  {escape_markup(n['title'])}" for n in data.notices()[:5])
    take_card = flow.card_left_at is not None
    # Under 请取走您的身份证, a green 可以刷卡了 would tell them the opposite: the line says why instead.
    reader_state = "left" if take_card and flow.reader_state in ("ready", "card") else flow.reader_state
    return AttractView(
        title=flow.tr("attract.take_card" if take_card else "attract.title"),
        take_card=take_card,
        subtitle="" if take_card else flow.tr("attract.subtitle"),
        station=data.reference.station.get("name", ""),
        online=flow.online,
        link=flow.tr("link.online" if flow.online else "link.offline"),
        reader_ok=reader_state in ("ready", "card"),
        reader=flow.tr("reader." + reader_state),
        open_jobs=flow.tr("attract.count", n=data.open_count()),
        placed=flow.tr("attract.people", n=placed) if placed is not None else "—",
        notices="\n".join(titles),
        shortage=flow.tr("attract.shortage") if data.shortage() else "",
        stale=flow.stale_note(),
        courses=flow.tr("attract.courses") if data.courses() else "",
        buses=flow.tr("attract.buses") if data.buses() else "",
        fair=flow.tr("attract.fair") if data.fair() else "",
    )


def categories(flow) -> list[dict]:
    """The trade categories, in the hub's order."""
    return sorted(flow.data.reference.categories.values(), key=lambda c: c["sort"])


def jobs(flow) -> JobsView:
    visit, ref = flow.visit, flow.data.reference
    if visit.browse_category is not None:
        title = flow.tr("jobs.browse_title", category=ref.categories[visit.browse_category]["name"])
    elif visit.browse_trade is not None:  # a trade of 这些活最缺人
        title = flow.tr("jobs.trade_title", trade=ref.trades.get(visit.browse_trade, {}).get("name", ""))
    elif visit.identity is not None and visit.found > len(visit.jobs) > 0:  # only the best are listed
        title = flow.tr("jobs.found_best", n=visit.found, shown=len(visit.jobs))
    elif visit.identity is not None:
        title = flow.tr("jobs.found", n=visit.found) if visit.jobs else flow.tr("jobs.none")
    else:
        title = flow.tr("jobs.all")
    # 蔡师傅，您好 — not 蔡**，您好, which reads as a glitch; 您好 alone when no surname can be told.
    if visit.identity is None:
        greeting = ""
    elif visit.surname:
        greeting = flow.tr("jobs.hello", surname=visit.surname)
    else:
        greeting = flow.tr("jobs.hello_plain")
    tiles = [
        tile(c["name"], "category", c["id"], icon=f"cat-{c['slug']}", chosen=c["id"] in visit.categories)
        for c in categories(flow)
    ]
    stale = flow.stale_note(short=True)
    return JobsView(
        heading=greeting or title,
        # (in the subtitle's place: a line more in the column cuts the cards, or pushes the heading
        # off a landscape screen)
        subtitle=stale or (title if greeting else ""),
        stale=stale,
        warning=visit.banner or visit.message,
        choose="" if visit.browsing else flow.tr("jobs.choose"),
        tiles=[] if visit.browsing else tiles,
        jobs=flow.list_items[visit.page * PAGE : (visit.page + 1) * PAGE],
        paged=flow.pages > 1,
        page=flow.tr("jobs.page", page=visit.page + 1, pages=flow.pages),
        can_previous=visit.page > 0,
        can_next=visit.page < flow.pages - 1,
        can_register=not visit.browsing,
        back=flow.tr("detail.back" if visit.browsing or visit.browse_trade is not None else "jobs.logout"),
        back_icon="back" if visit.browsing or visit.browse_trade is not None else "logout",
    )


def detail(flow) -> DetailView:
    visit = flow.visit
    job = visit.job
    verified = flow.tr("jobs.verified")
    return DetailView(
        title=job["title"],
        icon=job["icon"],
        urgent=flow.tr("chip.urgent") if job["urgent"] else "",
        gone=flow.tr("detail.gone") if visit.job_gone else "",
        pay=job["pay"],
        settle=job["settle"],
        guide=job["guide"],
        when=job["when"],
        where=job["where"] + (f"  ({job['distance']})" if job["distance"] else ""),
        employer=job["employer"] + (f"  ✓{verified}" if job["verified"] else ""),
        verified=job["verified"],
        free=flow.tr("chip.free") if job.get("free") else "",
        contact=flow.tr("detail.contact") + "：" + job["contact"],
        places=job["places"],
        requirements=job["requirements"],
        benefits=job["benefits"],
        qr=job["qr"],
        can_book=bool(job["slots"]) and not visit.job_gone,
        can_apply=not visit.job_gone,
        message=visit.message,
    )


def apply(flow) -> ApplyView:
    visit = flow.visit
    return ApplyView(
        title=flow.tr("apply.title", title=visit.job["title"]),
        name=flow.tr("apply.name") + "：" + visit.masked_name + "  " + flow.tr("apply.name_note"),
        phone=flow.tr("apply.phone") + "：" + visit.phone_masked if visit.phone_masked else "",
        digits=visit.digits,
        ask_phone="" if visit.phone_masked else flow.tr("apply.enter_phone"),
        keypad=not visit.phone_masked,
        consent=visit.consent,
        message=visit.message,
    )


def receipt(flow) -> ReceiptView:
    return ReceiptView(**flow.visit.receipt)


def slots(flow) -> SlotsView:
    visit = flow.visit
    times = [tile(present.slot_text(s, flow.lang, flow.data.tz), "slot", s["id"], big=True) for s in visit.slots]
    return SlotsView(title=flow.tr("slots.title", title=visit.job["title"]), message=visit.message, tiles=times)


def pay_choices(flow) -> list[tuple[list, str]]:
    """不限, then least pays in the units the chosen trades are paid in (kiosk.data.pay_ladder); a
    least pay registered before stays among them when its unit does."""
    visit = flow.visit
    choices = [([], flow.tr("register.any_pay"))]
    for unit, amounts in flow.data.pay_ladder(visit.reg_trades):
        if visit.reg_pay and visit.reg_pay[0] == unit and visit.reg_pay[1] not in amounts:
            amounts = sorted([*amounts, visit.reg_pay[1]])
        for fen in amounts:
            text = flow.tr("register.pay_at_least", amount=yuan(fen), unit=flow.tr(f"unit.{unit}"))
            choices.append(([unit, fen], text))
    return choices


def trades(flow) -> list[dict]:
    """Every trade, grouped by category in the hub's order."""
    ref = flow.data.reference
    order = {c["id"]: c["sort"] for c in ref.categories.values()}
    return sorted(ref.trades.values(), key=lambda t: (order.get(t["category"], 99), t["sort"]))


def register(flow) -> RegisterView:
    """The step the flow is on; only that step's choices are built (the others stay empty)."""
    visit, screen = flow.visit, flow.screen
    n = REGISTER_STEPS.index(screen)
    ref = flow.data.reference
    chosen_categories = {ref.category_of.get(t) for t in visit.reg_trades}
    category_tiles = [
        tile(
            ("✓" if c["id"] in chosen_categories else "") + c["name"],
            "trade_category",
            c["id"],
            icon=f"cat-{c['slug']}",
            chosen=c["id"] == visit.reg_category,
        )
        for c in categories(flow)
    ]
    trade_tiles = [
        tile(t["name"], "trade", t["id"], icon=t["slug"], chosen=t["id"] in visit.reg_trades)
        for t in ref.trades_in(visit.reg_category)
    ]
    return RegisterView(
        step=flow.tr("register.step", n=n + 1, of=len(REGISTER_STEPS)),
        question=flow.tr(f"register.ask.{n + 1}"),
        back=flow.tr("register.previous" if n else "detail.back"),
        categories=category_tiles if n == 0 else [],
        trades_title=flow.tr("register.in_category", category=ref.categories[visit.reg_category]["name"])
        if n == 0 and visit.reg_category in ref.categories
        else "",
        trades=trade_tiles if n == 0 else [],
        pay=[tile(text, "pay", value, chosen=value == visit.reg_pay, big=True) for value, text in pay_choices(flow)]
        if n == 1
        else [],
        when=[tile(flow.tr("avail." + w), "when", w, chosen=w in visit.reg_when, big=True) for w in AVAILABILITY]
        if n == 2
        else [],
        digits=visit.digits if n == 3 else "",
        held=flow.tr("register.held", phone=visit.phone_masked) if n == 3 and visit.phone_masked else "",
        consent=visit.reg_consent,
        contact=visit.reg_contact,
        message=visit.message,
    )


def browse(flow) -> BrowseView:
    return BrowseView(
        tiles=[tile(c["name"], "browse", c["id"], icon=f"cat-{c['slug']}", big=True) for c in categories(flow)]
    )


def report(flow) -> ReportView:
    icons = {"fees": "pay", "pay": "warning", "address": "place", "other": "info"}
    return ReportView(
        title=flow.tr("report.heading", title=flow.visit.job["title"]),
        question=flow.tr("report.title"),
        note=flow.tr("report.note"),
        tiles=[tile(flow.tr(f"report.{r}"), "report", r, icon=icons[r], big=True) for r in REPORT_REASONS],
    )


def shortage(flow) -> ShortageView:
    return ShortageView(rows=shortages.rows(flow.data, flow.lang), message=flow.visit.message)


def station_rules(flow) -> str:
    """The station's 服务规范, 服务热线 and 投诉电话 (set on the hub), as markup; "" when unset."""
    station = flow.data.reference.station
    lines = [escape_markup(line) for line in (station.get("rules") or "").splitlines() if line.strip()]
    text = f"[b]{escape_markup(flow.tr('info.rules'))}[/b]\n" + "\n".join(lines) if lines else ""
    phones = [
        flow.tr(key, phone=escape_markup(station[field]))
        for key, field in (("info.hotline", "hotline"), ("info.complaint", "complaint"))
        if station.get(field)
    ]
    return "\n".join(t for t in (text, "    ".join(phones)) if t)


def info(flow) -> InfoView:
    notices = flow.data.notices()
    text = "\n\n".join(
        f"{_notice_tag(flow, n)}  [b]{escape_markup(n['title'])}[/b]"
        + (f"\n{escape_markup(n['body'])}" if n.get("body") else "")
        for n in notices
    )
    text = "\n\n".join(t for t in (station_rules(flow), text) if t)
    return InfoView(text=text or flow.tr("info.none"))


def courses(flow) -> OffersView:
    return flow.course_list()


def course(flow) -> OfferView:
    return flow.course_view()


def buses(flow) -> OffersView:
    return flow.bus_list()


def fair(flow) -> OffersView:
    return flow.booth_list()


def booth(flow) -> OfferView:
    return flow.booth_view()


def bus(flow) -> OfferView:
    return flow.bus_view()


BUILDERS = {
    "attract": attract,
    "jobs": jobs,
    "detail": detail,
    "apply": apply,
    "receipt": receipt,
    "slots": slots,
    **dict.fromkeys(REGISTER_STEPS, register),
    "browse": browse,
    "info": info,
    "report": report,
    "shortage": shortage,
    "courses": courses,
    "course": course,
    "buses": buses,
    "bus": bus,
    "fair": fair,
    "booth": booth,
}
