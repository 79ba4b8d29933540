"""The kiosk's screens as Kivy classes, one per kv file under kiosk/kv/: each holds the immutable view
(kiosk.views) its file binds to, and the app swaps in a new one whenever the flow moves. (`rebind`:
kv rules read `root.view.title`, and Kivy re-evaluates such a rule on a new view only with it.)"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from . import views
from .offers import OffersView, OfferView


class AttractScreen(Screen):
    view = ObjectProperty(views.AttractView(), rebind=True)


class JobsScreen(Screen):
    view = ObjectProperty(views.JobsView(), rebind=True)


class DetailScreen(Screen):
    view = ObjectProperty(views.DetailView(), rebind=True)


class ApplyScreen(Screen):
    view = ObjectProperty(views.ApplyView(), rebind=True)


class ReceiptScreen(Screen):
    view = ObjectProperty(views.ReceiptView(), rebind=True)


class SlotsScreen(Screen):
    view = ObjectProperty(views.SlotsView(), rebind=True)


class RegisterScreen(Screen):
    view = ObjectProperty(views.RegisterView(), rebind=True)


class RegisterPayScreen(Screen):
    view = ObjectProperty(views.RegisterView(), rebind=True)


class RegisterWhenScreen(Screen):
    view = ObjectProperty(views.RegisterView(), rebind=True)


class RegisterPhoneScreen(Screen):
    view = ObjectProperty(views.RegisterView(), rebind=True)


class BrowseScreen(Screen):
    view = ObjectProperty(views.BrowseView(), rebind=True)


class InfoScreen(Screen):
    view = ObjectProperty(views.InfoView(), rebind=True)


class ReportScreen(Screen):
    view = ObjectProperty(views.ReportView(), rebind=True)


class ShortageScreen(Screen):
    view = ObjectProperty(views.ShortageView(), rebind=True)


class OffersScreen(Screen):
    """A list of offerings with seats (kv/offers.kv): the courses, the buses."""

    view = ObjectProperty(OffersView(), rebind=True)


class OfferScreen(Screen):
    """One offering in full (kv/offer.kv). Its facts are as many lines as it has, so the screen
    lays them out itself whenever a new view comes (kv rules cannot repeat a widget per item)."""

    view = ObjectProperty(OfferView(), rebind=True)

    def on_view(self, _screen, view: OfferView) -> None:
        box = self.ids.get("facts")
        if box is None:  # (before the kv rule has been applied)
            return
        box.clear_widgets()
        for icon, text in view.facts:
            box.add_widget(Factory.Meta(icon=icon, text=text))

    def on_kv_post(self, _base) -> None:
        self.on_view(self, self.view)


class CoursesScreen(OffersScreen):
    pass


class CourseScreen(OfferScreen):
    pass


class BusesScreen(OffersScreen):
    pass


class BusScreen(OfferScreen):
    pass


class FairScreen(OffersScreen):
    pass


class BoothScreen(OfferScreen):
    pass
