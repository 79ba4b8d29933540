"""Where a console posting is: a point pasted from a map app, a place the hub keeps (the district's
communities and landmarks, kept as staff name the points they paste), or its station's point."""

from __future__ import annotations

from sqlalchemy import select

from hub.errors import HubError
from hub.places import service as places
from hub.postings.models import Posting
from hub.stations.models import Station

from . import map_point
from .forms import whole

SAME = 6  # decimals (~0.1 m): a posting at a place's or station's point took that point


def choices(session) -> dict:
    """What the posting form offers: the kept places, and how to paste a point."""
    return {
        "places": places.listed(session),
        "place_help": map_point.HELP,
        "place_detail": map_point.DETAIL,
        "picker": map_point.PICKER,
    }


def form_values(session, p: Posting) -> dict:
    """A posting's place as the form shows it back: the kept place at its point, else its own point
    (not a station's, nor none at all), else nothing."""
    point = (round(p.lat, SAME), round(p.lon, SAME))
    for place in places.listed(session):
        if (round(place.lat, SAME), round(place.lon, SAME)) == point:
            return {"place_id": str(place.id), "coordinates": ""}
    stations = {(round(s.lat, SAME), round(s.lon, SAME)) for s in session.scalars(select(Station))}
    own = point not in stations and point != (0.0, 0.0)
    return {"place_id": "", "coordinates": map_point.shown(p.lat, p.lon) if own else ""}


def picked(session, form: dict, district: str) -> tuple[tuple[float, float] | None, dict[str, str]]:
    """The point of the kept place chosen (None: none chosen), and what is wrong with the place's
    fields: one place chosen and a point pasted too, a name to keep without a point, a name taken."""
    errors: dict[str, str] = {}
    point = None
    if form.get("place_id"):
        try:
            place = places.find(session, whole(form["place_id"]) or 0)
            point = (place.lat, place.lon)
        except HubError as exc:
            errors["place_id"] = exc.message
        if form.get("coordinates"):
            errors["place_id"] = "常用地点和粘贴的坐标只填一样"
    name = str(form.get("place_name") or "").strip()
    if name and not form.get("coordinates"):
        errors["place_name"] = "先粘贴坐标，才能把它存为常用地点"
    elif name:
        for problem in places.name_problems(session, district, name):
            errors.setdefault(problem.field or "place_name", problem.message)
    return point, errors


def keep_pasted(session, form: dict, district: str) -> None:
    """Keeps a pasted point under the name staff gave it, for the next posting there."""
    name = str(form.get("place_name") or "").strip()
    point = map_point.parse(str(form.get("coordinates") or ""))
    if name and point:
        places.keep(session, district, name, *point)
