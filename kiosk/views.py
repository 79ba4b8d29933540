"""What each kiosk screen shows, as one immutable object per screen built from the flow: every text
in the worker's language, every choice and every yes/no the kv files bind to. No Kivy here."""

from __future__ import annotations

from dataclasses import dataclass, field

from floor.postings import yuan

from . import present
from . import theme as T
from .flow import PAGE

AVAILABILITY = ("today", "week", "weekends", "long_term")
PAY_CHOICES = {
    "day": (20000, 25000, 30000, 40000),
    "hour": (2000, 2500, 3000),
    "month": (400000, 500000, 600000),
}


@dataclass(frozen=True)
class AttractView:
    title: str = ""  # 请刷身份证, or 请取走您的身份证 after a visit that left the card on the reader
    take_card: bool = False
    subtitle: str = ""  # how to use the reader; nothing while it asks for the card to be taken
    station: str = ""
    online: bool = False
    link: str = ""  # 已联网 / 离线
    reader_ok: bool = False
    reader: str = ""  # what the card reader is doing, in words
    open_jobs: str = ""
    placed: str = "—"
    notices: str = ""  # markup: the five newest notices' titles


@dataclass(frozen=True)
class JobsView:
    heading: str = ""
    subtitle: str = ""
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
    when: str = ""
    where: str = ""
    employer: str = ""
    verified: bool = False
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
    phone: str = ""
    ask_phone: str = ""  # the prompt to type a phone; empty when the hub holds one
    keypad: bool = True
    consent: bool = False
    message: str = ""


@dataclass(frozen=True)
class ReceiptView:
    sent: bool = False
    status: str = ""  # 报名成功 / 预约成功, online or not: the outbox delivers it
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


@dataclass(frozen=True)
class SlotsView:
    title: str = ""
    message: str = ""
    tiles: list = field(default_factory=list)


@dataclass(frozen=True)
class RegisterView:
    trades: list = field(default_factory=list)
    pay: list = field(default_factory=list)
    when: list = field(default_factory=list)
    phone: str = ""
    consent: bool = False
    message: str = ""


@dataclass(frozen=True)
class BrowseView:
    tiles: list = field(default_factory=list)


@dataclass(frozen=True)
class InfoView:
    text: str = ""  # markup: every live notice with its body


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
    return AttractView(
        title=flow.tr("attract.take_card" if take_card else "attract.title"),
        take_card=take_card,
        subtitle="" if take_card else flow.tr("attract.subtitle"),
        station=data.reference.station.get("name", ""),
        online=flow.online,
        link=flow.tr("link.online" if flow.online else "link.offline"),
        reader_ok=flow.reader_state in ("ready", "card"),
        reader=flow.tr("reader." + flow.reader_state),
        open_jobs=flow.tr("attract.count", n=data.open_count()),
        placed=flow.tr("attract.people", n=placed) if placed is not None else "—",
        notices="\n".join(titles),
    )


def categories(flow) -> list[dict]:
    """The trade categories, in the hub's order."""
    return sorted(flow.data.reference.categories.values(), key=lambda c: c["sort"])


def jobs(flow) -> JobsView:
    visit, ref = flow.visit, flow.data.reference
    if visit.browse_category is not None:
        title = flow.tr("jobs.browse_title", category=ref.categories[visit.browse_category]["name"])
    elif visit.identity is not None and visit.found > len(visit.jobs) > 0:  # only the best are listed
        title = flow.tr("jobs.found_best", n=visit.found, shown=len(visit.jobs))
    elif visit.identity is not None:
        title = flow.tr("jobs.found", n=visit.found) if visit.jobs else flow.tr("jobs.none")
    else:
        title = flow.tr("jobs.all")
    greeting = flow.tr("jobs.hello", name=visit.masked_name) if visit.identity is not None else ""
    tiles = [
        tile(c["name"], "category", c["id"], icon=f"cat-{c['slug']}", chosen=c["id"] in visit.categories)
        for c in categories(flow)
    ]
    return JobsView(
        heading=greeting or title,
        subtitle=title if greeting else "",
        warning=visit.banner or visit.message,
        choose="" if visit.browsing else flow.tr("jobs.choose"),
        tiles=[] if visit.browsing else tiles,
        jobs=visit.jobs[visit.page * PAGE : (visit.page + 1) * PAGE],
        paged=flow.pages > 1,
        page=flow.tr("jobs.page", page=visit.page + 1, pages=flow.pages),
        can_previous=visit.page > 0,
        can_next=visit.page < flow.pages - 1,
        can_register=not visit.browsing,
        back=flow.tr("detail.back" if visit.browsing else "jobs.logout"),
        back_icon="back" if visit.browsing else "logout",
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
        when=job["when"],
        where=job["where"] + (f"  ({job['distance']})" if job["distance"] else ""),
        employer=job["employer"] + (f"  ✓{verified}" if job["verified"] else ""),
        verified=job["verified"],
        contact=flow.tr("detail.contact") + "：" + job["contact"],
        places=job["places"],
        requirements=job["requirements"],
        benefits=job["benefits"],
        qr=job["qr"],
        can_book=bool(job["slots"]) and not visit.job_gone,
        can_apply=not visit.job_gone,
        message=visit.message,
    )


def grouped(digits: str) -> str:
    """A typed phone number read back in its groups: 139 1234 5678."""
    return " ".join(p for p in (digits[:3], digits[3:7], digits[7:]) if p)


def apply(flow) -> ApplyView:
    visit = flow.visit
    # Eleven slots while typing, so a worker sees how many digits are still to come.
    phone = visit.phone_masked or grouped((visit.digits + "_" * 11)[:11])
    return ApplyView(
        title=flow.tr("apply.title", title=visit.job["title"]),
        name=flow.tr("apply.name") + "：" + visit.masked_name + "  " + flow.tr("apply.name_note"),
        phone=flow.tr("apply.phone") + "：" + phone,
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
    return [
        ([unit, fen], flow.tr("register.pay_at_least", amount=yuan(fen), unit=flow.tr(f"unit.{unit}")))
        for unit, amounts in PAY_CHOICES.items()
        for fen in amounts
    ]


def trades(flow) -> list[dict]:
    """Every trade, grouped by category in the hub's order."""
    ref = flow.data.reference
    order = {c["id"]: c["sort"] for c in ref.categories.values()}
    return sorted(ref.trades.values(), key=lambda t: (order.get(t["category"], 99), t["sort"]))


def register(flow) -> RegisterView:
    visit = flow.visit
    return RegisterView(
        trades=[
            tile(t["name"], "trade", t["id"], icon=t["slug"], chosen=t["id"] in visit.reg_trades) for t in trades(flow)
        ],
        pay=[tile(text, "pay", value, chosen=value == visit.reg_pay) for value, text in pay_choices(flow)],
        when=[tile(flow.tr("avail." + w), "when", w, chosen=w in visit.reg_when) for w in AVAILABILITY],
        phone=flow.tr("register.phone") + "：" + (grouped(visit.digits) or visit.phone_masked or "—"),
        consent=visit.reg_consent,
        message=visit.message,
    )


def browse(flow) -> BrowseView:
    return BrowseView(
        tiles=[tile(c["name"], "browse", c["id"], icon=f"cat-{c['slug']}", big=True) for c in categories(flow)]
    )


def info(flow) -> InfoView:
    notices = flow.data.notices()
    text = "\n\n".join(
        f"{_notice_tag(flow, n)}  [b]{escape_markup(n['title'])}[/b]"
        + (f"\n{escape_markup(n['body'])}" if n.get("body") else "")
        for n in notices
    )
    return InfoView(text=text or flow.tr("info.none"))


BUILDERS = {
    "attract": attract,
    "jobs": jobs,
    "detail": detail,
    "apply": apply,
    "receipt": receipt,
    "slots": slots,
    "register": register,
    "browse": browse,
    "info": info,
}
