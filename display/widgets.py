"""The wall's widgets. Their look is in display/kv/; here only what kv cannot say declaratively."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.stencilview import StencilView

from device.qr import qr_texture

MAX_TAGS = 3


class WallRoot(FloatLayout):
    """Stale banner, the layout's stage, the notices band; the emergency message over all of it."""


class Clip(StencilView):
    """Clips moving text to its band."""


class TableWall(BoxLayout):
    """Rows of 单位 / 岗位 / 人数 / 薪资 / 电话, a page at a time."""


class CardsWall(BoxLayout):
    """A grid of cards with QR codes (lobby screens, and one employer's booth)."""


class TickerWall(BoxLayout):
    """One line crossing the strip."""


class Row(RecycleDataViewBehavior, BoxLayout):
    """One table row; rows are reused from page to page, only their texts change."""

    index = NumericProperty(0)
    pid = NumericProperty(0)
    employer = StringProperty("")
    title = StringProperty("")
    places = StringProperty("")
    pay = StringProperty("")
    phone = StringProperty("")
    urgent = BooleanProperty(False)

    def refresh_view_attrs(self, rv, index, data):
        self.index = index
        fields = {k: data[k] for k in ("pid", "employer", "title", "places", "pay", "phone", "urgent")}
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
        self.ids.code.texture = qr_texture(url) if url else None
