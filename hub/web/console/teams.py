"""零工团队上墙 in the console: put a team on a station's wall (every error of the form at once), the
teams of the caller's stations with their 接单, and each team's page — its edit form, its printable
card with the QR code residents scan to order it, taking it off the wall and putting it back."""

from __future__ import annotations

import itertools

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.audit.middleware import note
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.fields import IdPath
from hub.settings import Settings
from hub.staff.service import Principal
from hub.teams import service as teams
from hub.teams.models import Team
from hub.teams.router import out
from hub.teams.schemas import TeamIn, TeamPatch
from hub.trades.models import Trade
from hub.web.pages import render

from .forms import QueryId, console_router, many, validate_all, values_of, whole
from .offering import list_page, step, submit
from .posters import qr_svg, unreachable
from .postings import own_stations

router = console_router()
# The name's column holds 30 characters (hub.teams.models.Team): the API's ShortText lets 40 through,
# which PostgreSQL would refuse at the insert — the form says so first.
NAME_MAX = 30
TRADES_MAX = 12  # TeamIn.trade_ids: max_length
TARGETS = {
    "name": ("name", "团队名称"),
    "station_id": ("station_id", "驿站"),
    "leader": ("leader", "队长姓名"),
    "members": ("members", "人数"),
    "districts": ("districts", "在哪里干活"),
    "trade_ids": ("trades", "会干的活"),
}
# What the team's page says after a step (?saved=…); anything else in the link says nothing.
NOTICES = {
    "edited": "已保存，大屏上的团队卡片随即更新。",
    "retired": "已从墙上撤下：大屏不再显示它，扫它的二维码打开的是普通发单页。它的订单都还在。",
    "restored": "已重新上墙，大屏上随即显示。",
}


def trade_groups(session: Session) -> list[tuple[str, list[Trade]]]:
    """The trades a team may pick, under their categories' names, in the catalogue's order."""
    trades = session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all()
    return [(category.name, list(rows)) for category, rows in itertools.groupby(trades, key=lambda t: t.category)]


def _trade_problem(values: list, known: set[int]) -> str | None:
    """What is wrong with the ticked trades (the model's own words for a list are English)."""
    ids = {whole(v) for v in values}
    if not ids:
        return "至少选一个工种"
    if None in ids or not ids <= known:
        return "请从列表里选"
    return f"最多选 {TRADES_MAX} 个工种" if len(ids) > TRADES_MAX else None


def _checked(form: dict, session: Session, stations: set[int] | None) -> tuple[TeamIn | TeamPatch | None, dict]:
    """The team the form asks for — a new one (TeamIn) when `stations`, those it may be put up at,
    are given; else the changes to one (TeamPatch) — or every problem with it at once: each field's
    own, the station and trades against the lists the form offered, a name longer than its column."""
    ticked = many(form, "trades")
    fields = values_of(form, text=("name", "districts"), required=("members",))
    fields["trade_ids"] = sorted({n for v in ticked if (n := whole(v)) is not None})
    leader = form.get("leader", "")
    if stations is not None:
        fields |= {"station_id": whole(form.get("station_id")) or 0, "leader": leader}
    elif leader != "":  # left empty on the edit form: the leader stays as kept
        fields["leader"] = leader
    data, errors = validate_all(TeamIn if stations is not None else TeamPatch, fields)
    own: dict[str, str] = {}
    if stations is not None and fields["station_id"] not in stations:
        own["station_id"] = "请选择驿站" if not form.get("station_id") else "请从列表里选"
    if problem := _trade_problem(ticked, set(session.scalars(select(Trade.id)))):
        own["trade_ids"] = problem
    if "name" not in errors and len(fields["name"].strip()) > NAME_MAX:
        own["name"] = f"最多 {NAME_MAX} 个字"
    if form.get("members", "") == "":
        own["members"] = "必填"  # (sent as 0, which the model words as a number too small)
    errors = {k: v for k, v in errors.items() if k not in ("station_id", "trade_ids")} | own
    return (data if not errors else None), errors


def _shown(form: dict) -> dict:
    """A form sent back with its errors, as typed (a file sent for a field: nothing), but the leader's
    name as it would be kept (王**), never in full — sent again as it is, it is kept the same."""
    typed = {k: v for k, v in form.items() if isinstance(v, (str, list))}
    return typed | {"leader": mask_name(typed.get("leader", ""))}


def _rows(session: Session, listed: list[Team]) -> list[dict]:
    done = teams.orders_done(session, [t.id for t in listed])
    return [{"team": t, "done": done[t.id], "trades": "、".join(x.name for x in t.trades)} for t in listed]


def _list_page(request, session, staff, form: dict, errors: dict, status=200, put: int = 0) -> HTMLResponse:
    listed = teams.listing(session, staff)
    return list_page(
        request,
        session,
        staff,
        "staff/teams.html",
        _shown(form),
        errors,
        status,
        rows=_rows(session, listed),
        groups=trade_groups(session),
        targets=TARGETS,
        put=next((t for t in listed if t.id == put), None),  # the notice names it: only the caller's own
    )


@router.get("/teams", response_class=HTMLResponse)
def team_list(request: Request, staff: Staff, db: DbDep, put: QueryId = 0) -> HTMLResponse:
    own = sorted(staff.station_ids)
    form = {"station_id": str(own[0]) if len(own) == 1 else ""}  # one station: already chosen
    with db.read() as session:
        return _list_page(request, session, staff, form, {}, put=put)


@router.post("/teams", response_class=HTMLResponse)
async def put_up(request: Request, staff: Staff, db: DbDep):
    def check(session, form):
        return _checked(form, session, {s.id for s in own_stations(session, staff)})

    def create(session, data):
        team = teams.create(session, data, staff)
        note(request, target=f"team_id={team.id}", station_id=team.station_id)
        return team

    def page(session, form, errors, status):
        return _list_page(request, session, staff, form, errors, status)

    return await submit(request, db, check, create, lambda t: f"/staff/teams?put={t.id}#team-{t.id}", page)


def _team_page(
    request, session: Session, staff: Principal, settings: Settings, team_id: int, status: int = 200, **shown
) -> HTMLResponse:
    """The team's page (another station's team: 403); `shown` may hold the form as sent with its
    errors, a refused step's `error`, or the `notice` after one."""
    team = teams.get(session, team_id, staff)
    done = teams.orders_done(session, [team.id])[team.id]
    url = out(team, done, settings.public_url).order_url
    form = {
        "name": team.name,
        "members": str(team.members),
        "districts": team.districts,
        "trades": [str(t.id) for t in team.trades],
    }
    context = {"form": form, "errors": {}, "error": "", "notice": ""} | shown
    return render(
        request,
        "staff/team.html",
        context
        | {
            "staff": staff,
            "team": team,
            "done": done,
            "trades": "、".join(t.name for t in team.trades),
            "url": url,
            "qr": qr_svg(url) if team.active else "",  # a retired team's code opens the ordinary page
            "groups": trade_groups(session),
            "targets": TARGETS,
            "unreachable": unreachable(settings.public_url),
            "public_url": settings.public_url,
        },
        status,
    )


@router.get("/teams/{team_id}", response_class=HTMLResponse)
def team_page(
    team_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep, saved: str = ""
) -> HTMLResponse:
    with db.read() as session:
        return _team_page(request, session, staff, settings, team_id, notice=NOTICES.get(saved, ""))


@router.post("/teams/{team_id}", response_class=HTMLResponse)
async def edit(team_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    def check(session, form):
        teams.get(session, team_id, staff)  # another station's team: refused (403) before its form is read
        return _checked(form, session, None)

    def page(session, form, errors, status):
        return _team_page(request, session, staff, settings, team_id, status, form=_shown(form), errors=errors)

    return await submit(
        request,
        db,
        check,
        lambda session, data: teams.update(session, team_id, data, staff),
        lambda _: f"/staff/teams/{team_id}?saved=edited",
        page,
    )


async def _set_active(request: Request, staff: Principal, db, settings: Settings, team_id: int, active: bool):
    """Takes the team off its station's walls or puts it back; a refusal is told on its page."""

    def act(session, form):
        teams.update(session, team_id, TeamPatch(active=active), staff)

    def page(session, message, status):
        return _team_page(request, session, staff, settings, team_id, status, error=message)

    done = f"/staff/teams/{team_id}?saved={'restored' if active else 'retired'}"
    return await step(request, db, act, page, done)


@router.post("/teams/{team_id}/retire")
async def retire(team_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    return await _set_active(request, staff, db, settings, team_id, active=False)


@router.post("/teams/{team_id}/restore")
async def restore(team_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    return await _set_active(request, staff, db, settings, team_id, active=True)
