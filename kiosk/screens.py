"""The kiosk's screens as Kivy classes, one per kv file under kiosk/kv/: each holds the immutable view
(kiosk.views) its file binds to, and the app swaps in a new one whenever the flow moves. (`rebind`:
kv rules read `root.view.title`, and Kivy re-evaluates such a rule on a new view only with it.)"""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from . import courses, views


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


class CoursesScreen(Screen):
    view = ObjectProperty(courses.CoursesView(), rebind=True)


class CourseScreen(Screen):
    view = ObjectProperty(courses.CourseView(), rebind=True)
