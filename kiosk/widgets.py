"""The kiosk's widgets. Their look is in screens.kv; here only what kv cannot say declaratively."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.scrollview import ScrollView

from device.qr import qr_texture

MAX_CHIPS = 5


class Hideable:
    """`shown: False` hides a widget and lets touches pass through it. (Kivy's `disabled` would
    not do: a disabled widget swallows every touch that lands on it, visible or not.)"""

    shown = BooleanProperty(True)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.shown else False

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.shown else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) if self.shown else False


class HideBox(Hideable, BoxLayout):
    """A BoxLayout that can be hidden (with everything in it)."""


class Txt(Label):
    """Text that wraps to its width and takes the height it needs."""


class Icon(Label):
    """An icon glyph of the icon font, by name (a trade's slug or an interface name)."""

    name = StringProperty("job")


class Chip(Label):
    """A short reason ("日结", "离这里2.1公里"); empty chips take no room."""


class BigButton(Hideable, ButtonBehavior, BoxLayout):
    """The main action: accent colour, an icon and a word, at least 140 px high at 1080p."""

    text = StringProperty("")
    icon = StringProperty("")
    primary = BooleanProperty(True)
    enabled = BooleanProperty(True)
    word_size = NumericProperty(0)  # the word's (and icon's) font size; 0: the theme's title size
    stack = BooleanProperty(False)  # the icon above the word, always
    stacked = BooleanProperty(False)  # the icon above the word: `stack`, or side by side they do not fit


class Tile(ButtonBehavior, BoxLayout):
    """A large icon with its name, marked when chosen (trades, pay, availability, consent)."""

    text = StringProperty("")
    icon = StringProperty("")
    chosen = BooleanProperty(False)
    big = BooleanProperty(False)
    action = StringProperty("")  # what a tap means: app.tile(action, value)
    value = ObjectProperty(None)


class Panel(BoxLayout):
    """A white panel with a border, sized by its parent."""


class Card(Panel):
    """A panel as tall as its content."""


class JobRow(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    """One job in a list. Rows are reused as the list scrolls: only their texts change, and the
    chip labels are a fixed set, so no widgets are created while a worker scrolls."""

    pid = NumericProperty(0)
    title = StringProperty("")
    pay = StringProperty("")
    settle = StringProperty("")
    employer = StringProperty("")
    verified = BooleanProperty(False)
    place = StringProperty("")
    places = StringProperty("")
    icon = StringProperty("job")
    urgent = BooleanProperty(False)
    chips = ListProperty([""] * MAX_CHIPS)

    def refresh_view_attrs(self, rv, index, data):
        data = dict(data)
        chips = list(data.pop("chips", []))[:MAX_CHIPS]
        self.chips = chips + [""] * (MAX_CHIPS - len(chips))
        return super().refresh_view_attrs(rv, index, data)


class Keypad(Hideable, GridLayout):
    """Large digits for a phone number: no Chinese typing anywhere on the kiosk. It holds no
    number itself: each key is an `on_key` event, and the app keeps the digits."""

    __events__ = ("on_key",)
    key_height = NumericProperty(140)  # set by kv from the window
    digit_size = NumericProperty(64)  # set by kv from the window

    def press(self, key: str) -> None:
        self.dispatch("on_key", key)

    def on_key(self, key: str) -> None:
        pass


class PhoneBoxes(Hideable, BoxLayout):
    """A mobile number as eleven big boxes, grouped 3-4-4 as it is read aloud: a worker sees each
    digit typed and how many are still to come. Its boxes (PhoneBox, in choices.kv) are made once."""

    digits = StringProperty("")
    GROUPS = (3, 4, 4)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from kivy.factory import Factory

        self.boxes = []
        for i, size in enumerate(self.GROUPS):
            if i:
                self.add_widget(Factory.PhoneGap())
            for _ in range(size):
                box = Factory.PhoneBox()
                self.boxes.append(box)
                self.add_widget(box)
        self.on_digits(self, self.digits)

    def on_digits(self, _instance, value: str) -> None:
        for i, box in enumerate(getattr(self, "boxes", ())):
            box.text = value[i] if i < len(value) else ""
            box.next = i == len(value)  # the box the next digit goes into is marked


class Overlay(FloatLayout):
    """Covers the screens when `active`: it takes every touch, so nothing beneath is pressed by
    mistake, and a touch anywhere off its buttons is an `on_backdrop` event. When inactive it is
    invisible to touches."""

    active = BooleanProperty(False)
    __events__ = ("on_backdrop",)

    def on_touch_down(self, touch):
        if not self.active:
            return False
        if not super().on_touch_down(touch):
            self.dispatch("on_backdrop")
        return True

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) or True if self.active else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) or True if self.active else False

    def on_backdrop(self):
        pass


class CueScroll(ScrollView):
    """A scroll view that knows when its content runs past it, so a cue (ScrollCue) can say so:
    `overflows` when the content is taller than the view and the room its cue takes below it (the
    same answer with the cue shown or not, so it never flickers), `at_end` once scrolled down."""

    room = NumericProperty(0)  # the height the cue below the view takes when shown
    overflows = BooleanProperty(False)
    at_end = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("viewport_size", self._measure)
        self.fbind("size", self._measure)
        self.fbind("room", self._measure)
        self.fbind("scroll_y", self._measure)

    def _measure(self, *_args) -> None:
        space = self.height + (self.room if self.overflows else 0)
        self.overflows = self.viewport_size[1] > space + 2
        self.at_end = self.scroll_y <= 0.01

    def page(self) -> None:
        """One screenful further down, or back to the top from the end (a tap on the cue)."""
        from kivy.animation import Animation

        run = self.viewport_size[1] - self.height
        if run <= 0:
            return
        target = 1.0 if self.at_end else max(0.0, self.scroll_y - 0.8 * self.height / run)
        Animation.cancel_all(self, "scroll_y")
        Animation(scroll_y=target, d=0.35, t="out_quad").start(self)


class ScrollCue(Hideable, ButtonBehavior, BoxLayout):
    """The band under a CueScroll while its content runs past it: 往下看 ↓, or 回到上面 ↑ at the
    end; a tap scrolls (a swipe works too, but not every worker knows to swipe)."""

    scroll = ObjectProperty(None, allownone=True, rebind=True)  # rebind: kv follows its `overflows`


class QRCode(Image):
    """A QR code of `data`, sharp at any size."""

    data = StringProperty("")

    def on_data(self, _instance, value: str) -> None:
        self.texture = qr_texture(value) if value else None
