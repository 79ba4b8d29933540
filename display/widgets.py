"""The wall's widgets. Their look is in display/kv/; here only what kv cannot say declaratively."""

from __future__ import annotations

from collections.abc import Callable

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.stencilview import StencilView
from kivy.uix.widget import Widget

from device.qr import qr_texture, wall_link

from . import fast
from .linebreak import balanced
from .strings import tr
from .teams import set_lines

MAX_TAGS = 3
COVER_LINE_HEIGHT = 1.1  # the covers' line spacing (root.kv: 即时快招 and 招聘会叫号)


def fitted_height(text: str, width: float, size: float, *, bold: bool = False) -> float:
    """How tall `text` is when wrapped to `width` at font size `size`."""
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(text=text, font_size=size, bold=bold, text_size=(width, None), halign="center")
    label.refresh()
    return label.texture.height if label.texture else 0


def fit_lines(text: str, width: float, height: float, *, low: float, high: float) -> tuple[int, str]:
    """The largest font size in [low, high] at which `text`, broken into balanced lines by the
    rules of Chinese typesetting (display.linebreak), fits `width` × `height`; and the text so
    broken. `low` when even that does not fit: the text is never made smaller than it must be read."""
    from kivy.core.text import Label as CoreLabel

    def lines_at(size: int) -> tuple[list[str], float]:
        core = CoreLabel(font_size=size)
        broken = balanced(text, width, lambda t: core.get_extents(t)[0])
        return broken, len(broken) * core.get_extents("国")[1]

    lo, hi = int(low), int(high)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines_at(mid)[1] <= height:
            lo = mid
        else:
            hi = mid - 1
    return lo, "\n".join(lines_at(lo)[0])


def cover_room(*, badge: bool) -> tuple[float, float, Callable[[str], float], float]:
    """A cover's room for its lines (width, height; under a badge line unless `badge` is False), and
    how to measure them: a line's width and height at 100 px, bold (see fast.fit_size)."""
    from kivy.core.text import Label as CoreLabel
    from kivy.core.window import Window

    app = App.get_running_app()
    width, height = Window.size
    measure = CoreLabel(font_size=100, bold=True)
    # (a little to spare: type measured at 100 px and scaled down runs a few pixels wider)
    room_w = (width - app.pad * 6) * 0.95
    room_h = (height - app.pad * 6 - (app.title_px * 1.6 + app.pad * 2 if badge else 0)) * 0.95
    return room_w, room_h, lambda text: measure.get_extents(text)[0], measure.get_extents("国")[1] * COVER_LINE_HEIGHT


def fit_cover(shapes: list[list[str]], *, badge: bool, strip: bool) -> tuple[int, list[str]]:
    """Of the ways to set a cover's lines (即时快招's card, 招聘会's calls), the one in the largest type
    the window allows, and that size. A strip (`strip`) cuts its one line: it gets two lines only
    where they fit whole, else the last (shortest) way."""
    app = App.get_running_app()
    room_w, room_h, width_of, line_px = cover_room(badge=badge)
    if strip:
        whole = fast.fitting(shapes, room_w, room_h, width_of, line_px=line_px, low=app.body)
        shapes = whole or shapes[-1:]
    return fast.best_fit(shapes, room_w, room_h, width_of, line_px=line_px, low=app.body, high=app.hero * 3)


class WallRoot(FloatLayout):
    """Stale banner, the layout's stage, the notices band; the emergency message over all of it."""


class Clip(StencilView):
    """Clips moving text to its band."""


class TableWall(BoxLayout):
    """Rows of 岗位 / 薪资 / 人数 / 单位 / 地点 / 电话, a page at a time, one trade category a page."""


class CardsWall(BoxLayout):
    """A grid of cards with QR codes (lobby screens, and one employer's booth)."""


class TickerWall(BoxLayout):
    """A strip: a few static lines, one posting each, that page like a table."""


class MarketWall(BoxLayout):
    """工资指导价 and 紧缺工种 from the hub's market document, in big type (display.market)."""


class FairWall(BoxLayout):
    """招聘会 in the hall: the booth table beside (or above) the calling board (display.fair)."""


class Row(RecycleDataViewBehavior, Widget):
    """One table or strip row; its fields sit where the app's `cells` say (one line or two).
    Rows are reused from page to page, only their texts change."""

    index = NumericProperty(0)
    pid = NumericProperty(0)
    employer = StringProperty("")
    title = StringProperty("")
    places = StringProperty("")
    pay = StringProperty("")
    place = StringProperty("")
    phone = StringProperty("")
    urgent = BooleanProperty(False)

    def refresh_view_attrs(self, rv, index, data):
        self.index = index
        # (a layout taken off the stage follows the app's page until it is collected: a lobby page's
        # team card, not a posting, must not break its rows meanwhile)
        fields = {k: data.get(k, "") for k in ("employer", "title", "places", "pay", "place", "phone")}
        fields.update(pid=data.get("pid", 0), urgent=bool(data.get("urgent")))
        return super().refresh_view_attrs(rv, index, fields)


class WallCard(RecycleDataViewBehavior, BoxLayout):
    """One posting on a lobby screen, with the QR code of its mobile page."""

    pid = NumericProperty(0)
    title = StringProperty("")
    employer = StringProperty("")
    pay = StringProperty("")
    settle = StringProperty("")
    place = StringProperty("")
    places = StringProperty("")
    phone = StringProperty("")
    tags = ListProperty([""] * MAX_TAGS)
    qr = StringProperty("")
    qr_texture = None

    def refresh_view_attrs(self, rv, index, data):
        tags = list(data.get("tags", []))[:MAX_TAGS]
        self.tags = tags + [""] * (MAX_TAGS - len(tags))
        fields = {k: data[k] for k in ("pid", "title", "employer", "pay", "settle", "place", "places", "phone", "qr")}
        return super().refresh_view_attrs(rv, index, fields)

    def on_qr(self, _instance, url: str) -> None:
        # qr_texture keeps the last 64 codes: pages come round again without drawing them anew.
        device, page = getattr(App.get_running_app(), "qr_wall", (0, ""))  # which wall, which page
        self.ids.code.texture = qr_texture(wall_link(url, device, page)) if url else None


class TeamCard(RecycleDataViewBehavior, BoxLayout):
    """A station's 零工团队 among the postings on a lobby screen (display.teams), with the code of the
    household order page addressed to it."""

    pid = NumericProperty(0)
    name = StringProperty("")
    trades = StringProperty("")
    leader = StringProperty("")
    districts = StringProperty("")
    done = StringProperty("")
    qr = StringProperty("")
    wide = BooleanProperty(False)  # short for its width (a portrait screen's): cards.kv

    def refresh_view_attrs(self, rv, index, data):
        fields = {k: data.get(k, "") for k in ("name", "trades", "leader", "districts", "done", "qr")}
        return super().refresh_view_attrs(rv, index, {"pid": data.get("pid", 0), **fields})

    def on_qr(self, _instance, url: str) -> None:
        # (the link as display.teams made it: the order page counts no wall scans, see wall_link)
        self.ids.code.texture = qr_texture(url) if url else None

    @staticmethod
    def broken(text: str, width: float, size: float, most: int) -> str:
        """`text` set on at most `most` lines of `width` at font size `size` (display.teams.set_lines)."""
        from kivy.core.text import Label as CoreLabel

        core = CoreLabel(font_size=size, bold=True)  # (bold measures wider: the text fits either way)
        return "\n".join(set_lines(text, width, most, lambda t: core.get_extents(t)[0]))

    @staticmethod
    def caption_width(size: float) -> float:
        """How wide the code's caption is on two lines at font size `size`: the code's column is never
        narrower (a third line would push the code smaller)."""
        from kivy.core.text import Label as CoreLabel

        core = CoreLabel(font_size=size, bold=True)
        measure = lambda t: core.get_extents(t)[0]
        text = tr("team.scan")
        return max(measure(line) for line in set_lines(text, measure(text) * 0.6, 2, measure))


class FairRow(RecycleDataViewBehavior, Widget):
    """One booth of the fair's table; its fields sit where the app's `fair_cells` say."""

    index = NumericProperty(0)
    booth = StringProperty("")
    employer = StringProperty("")
    jobs = StringProperty("")
    places = StringProperty("")
    serving = StringProperty("")
    waiting = StringProperty("")

    def refresh_view_attrs(self, rv, index, data):
        self.index = index
        fields = {k: data.get(k, "") for k in ("booth", "employer", "jobs", "places", "serving", "waiting")}
        return super().refresh_view_attrs(rv, index, fields)
