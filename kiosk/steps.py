"""The kiosk's screens and the taps they send, by name: what kiosk.flow moves between, kiosk.views
draws and the app's one seam (`app.act(name, *args)`) lets through."""

from __future__ import annotations

ATTRACT, JOBS, DETAIL, APPLY, RECEIPT = "attract", "jobs", "detail", "apply", "receipt"
SLOTS, REGISTER, BROWSE, INFO = "slots", "register", "browse", "info"
# Registering what work they want, one question a screen: trades, least pay, when, a phone.
REGISTER_PAY, REGISTER_WHEN, REGISTER_PHONE = "register_pay", "register_when", "register_phone"
REGISTER_STEPS = (REGISTER, REGISTER_PAY, REGISTER_WHEN, REGISTER_PHONE)
# 举报 (hub.trust): from a job's detail, one screen of big reason tiles; a tap sends it and goes back.
REPORT = "report"
REPORT_REASONS = ("fees", "pay", "address", "other")
# 紧缺工种 (hub.market): 这些活最缺人 on the first screen, a row per trade; a row lists its jobs here.
SHORTAGE = "shortage"
# 技能培训 (hub.training): the courses this kiosk offers, one course's facts; 报名 takes the card.
COURSES, COURSE = "courses", "course"
# 包车 (hub.buses): the buses leaving from here, one bus's facts; 报名 takes the card, the hub gives the seat.
BUSES, BUS = "buses", "bus"
# 招聘会 (hub.fairs): the booths of the fair on in the hall now, one booth; 取号 takes the card.
FAIR, BOOTH = "fair", "booth"
OFFER_LISTS = (COURSES, BUSES, FAIR)  # lists of offerings, paged by kiosk.offers.ROWS
SCREENS = (
    ATTRACT,
    JOBS,
    DETAIL,
    APPLY,
    RECEIPT,
    SLOTS,
    *REGISTER_STEPS,
    BROWSE,
    INFO,
    REPORT,
    SHORTAGE,
    COURSES,
    COURSE,
    BUSES,
    BUS,
    FAIR,
    BOOTH,
)
BACK = {
    DETAIL: JOBS,
    APPLY: DETAIL,
    SLOTS: DETAIL,
    REGISTER: JOBS,
    REGISTER_PAY: REGISTER,
    REGISTER_WHEN: REGISTER_PAY,
    REGISTER_PHONE: REGISTER_WHEN,
    REPORT: DETAIL,
    COURSE: COURSES,
    BUS: BUSES,
    BOOTH: FAIR,
}

# What a tap on the screens may ask of the flow (a 举报 reason is a tile: "tile", "report", reason).
ACTIONS = frozenset(
    [
        "browse",
        "info",
        "shortage",
        "courses",
        "open_course",
        "sign_up_course",
        "buses",
        "open_bus",
        "sign_up_bus",
        "fair",
        "open_booth",
        "take_number",
        "back",
        "end",
        "open_job",
        "more_jobs",
        "browse_trade",
        "next_page",
        "previous_page",
        "speak",
        "start_apply",
        "press_key",
        "toggle_consent",
        "toggle_contact",
        "confirm_apply",
        "start_report",
        "start_booking",
        "book_slot",
        "open_register",
        "next_step",
        "save_register",
        "tile",
        "stay",
    ]
)

COUNTDOWN_S = 10  # the "still there?" overlay's seconds before the visit ends
MATCHES, BROWSED = 20, 60  # jobs listed for a worker, and for a category browsed without a card
# Jobs on one page of the list. Paged with big buttons, not scrolled: many workers of 45–60 do not
# know a list scrolls, and a thin scrollbar does not tell them. Three cards fit the list's height
# at both orientations (kiosk/kv/jobs.kv sizes the cards to a third of it).
PAGE = 3
TAKE_CARD_S = 30  # how long the first screen asks for the card to be taken (some readers never say)
