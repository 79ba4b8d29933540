"""Training (技能培训) at the kiosk, the flow's part: the courses offered here, one course's facts,
a seat taken with the card in one more tap (offline too), and a seat not had said at the next card.
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

import datetime as dt

from cardreader.identity import Identity
from wire import events

from . import courses
from .offers import OffersView, OfferView
from .steps import COURSE, COURSES, RECEIPT
from .visit import Visit


class Training:
    """Courses: the list, one course, signing up."""

    def courses(self) -> None:
        """From the first screen (looked at without a card, like 先看看岗位) or during a visit."""
        if not self.data.courses():
            return
        if self.visit is None:
            self._begin(Visit(browsing=True))
        self.visit.offers_page = 0
        self._go(COURSES)

    def open_course(self, course_id: int) -> None:
        if self.data.course(course_id) is None:  # sign-ups closed meanwhile: the list as it is now
            self.visit.message = self.tr("course.gone")
            return
        self.visit.course = course_id
        self._go(COURSE)

    def sign_up_course(self) -> None:
        """报名: a seat taken at once (offline too; the receipt says whether the hub has it yet)."""
        visit = self.visit
        doc = self.data.course(visit.course) if visit.course is not None else None
        if doc is None:
            visit.message = self.tr("course.gone")
            return
        if not visit.with_card:
            visit.message = self.tr("course.need_card")
            return
        if doc["id"] in visit.signed_up:  # a second tap on 报名 (the receipt was already shown)
            return
        unregistered = visit.asked and not visit.known
        why_not = courses.refusal(doc, self._age_on_course(doc), self.lang, unregistered=unregistered)
        if why_not:
            visit.message = why_not
            return
        body = events.CourseSignup(course=doc["id"], cursor=self.data.store.cursor)
        code, _n = self.data.take_seat(visit.identity, "course_signup", body, doc.get("title", ""))
        visit.signed_up.add(doc["id"])
        url = self.page_url(f"/c/{doc['id']}")
        visit.receipt = courses.receipt(code, doc, self.lang, url=url, sent=self.online)
        self._go(RECEIPT)

    def courses_card(self) -> dict | None:
        """The card after a worker's jobs that leads to the courses taking sign-ups here, its first
        line the one nearest their trades (kiosk.flow.Flow.list_items places it)."""
        rows = self.course_rows()
        if not rows:
            return None
        line = self.tr("course.card_line", n=len(rows), title=rows[0]["title"])
        seats = self.tr("course.card_seats", seats=rows[0]["seats"]) if rows[0]["open"] else rows[0]["seats"]
        title = self.tr("course.card_title")
        return {
            "viewclass": "OfferCard",
            "icon": "training",
            "action": "courses",
            "title": title,
            "line": line,
            "seats": seats,
        }

    def course_rows(self) -> list[dict]:
        visit, ref = self.visit, self.data.reference
        wanted = set(visit.trades) or set(visit.intention.get("trades") or ())
        return courses.rows(self.data.courses(), self.lang, ref.trades, wanted)

    def course_list(self) -> OffersView:
        return courses.listing(self.course_rows(), self.lang, self.visit.message, self.visit.offers_page)

    def course_view(self) -> OfferView:
        visit = self.visit
        doc = self.data.course(visit.course) if visit.course is not None else None
        if doc is None:  # withdrawn while on screen: the facts go, the answer says why
            return OfferView(message=self.tr("course.gone"))
        return courses.view(
            doc,
            self.lang,
            self.data.reference.trades,
            self.data.tz,
            age=self._age_on_course(doc),
            message=visit.message,
            card=visit.with_card,
            signed=doc["id"] in visit.signed_up,
            unregistered=visit.asked and not visit.known,
        )

    def _age_on_course(self, doc: dict) -> int | None:
        if self.visit.identity is None:
            return None
        return self.visit.identity.age(dt.date.fromisoformat(doc["starts_on"]))

    def _signup_news(self, identity: Identity) -> str:
        """What became of this worker's sign-ups from this kiosk since they left: a seat given, or not."""
        return "\n".join(
            self.tr("course.confirmed_news", title=title)
            if status in ("applied", "duplicate")
            else self.tr("course.refused", title=title, reason=reason)
            for title, status, reason in self.data.answered_signups(identity)
        )
