"""Registering what work they want, the flow's part: trades, least pay, when, a phone — one
question a screen — and the separate consent to be called about work (岗位找人).
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

from floor.phone import is_mobile

from .steps import JOBS, REGISTER, REGISTER_STEPS


class Registering:
    """Registering what work they want, a step a screen."""

    def open_register(self) -> None:
        visit = self.visit
        if not visit.with_card:
            visit.message = self.tr("apply.need_card")
            return
        intention = visit.intention
        visit.reg_trades = sorted(set(intention.get("trades") or ()) | visit.trades)
        # The trades are shown a category at a time (42 tiles never fit one screen at a size a
        # finger hits): open the category of the first trade they have, else the first.
        ref = self.data.reference
        first = [ref.category_of[t] for t in visit.reg_trades if t in ref.category_of]
        ordered = sorted(ref.categories.values(), key=lambda c: c["sort"])
        visit.reg_category = first[0] if first else (ordered[0]["id"] if ordered else None)
        visit.reg_pay = [intention["pay_unit"], intention["pay_min_fen"]] if intention.get("pay_unit") else []
        visit.reg_when = list(intention.get("availability") or ())
        visit.reg_consent = bool(visit.phone_masked)
        visit.reg_contact = False
        visit.digits = ""
        self._go(REGISTER)

    def next_step(self) -> None:
        """下一步 on a register screen. The pay offered follows the trades chosen: a least pay in a
        unit none of them is paid in is dropped (不限) rather than kept out of sight."""
        visit = self.visit
        if self.screen == REGISTER:
            units = {unit for unit, _ in self.data.pay_ladder(visit.reg_trades)}
            if visit.reg_pay and visit.reg_pay[0] not in units:
                visit.reg_pay = []
        if self.screen in REGISTER_STEPS[:-1]:
            self._go(REGISTER_STEPS[REGISTER_STEPS.index(self.screen) + 1])

    def save_register(self) -> None:
        visit = self.visit
        phone = visit.digits or None
        if phone and not is_mobile(phone):
            visit.message = self.tr("apply.phone_bad")
            return
        intention = {"trades": list(visit.reg_trades), "availability": list(visit.reg_when)}
        if visit.reg_pay:
            intention.update(pay_unit=visit.reg_pay[0], pay_min_fen=visit.reg_pay[1])
        self.data.register(visit.identity, intention, phone, consent=visit.reg_consent, contact=visit.reg_contact)
        visit.intention, visit.known = intention, True
        visit.trades = set(visit.reg_trades)
        visit.digits = ""
        self._show_matches()
        self._go(JOBS)
        visit.message = self.tr("register.saved")

    def toggle_contact(self) -> None:
        """有合适的活，驿站可以打电话告诉我: a consent of its own, off until tapped."""
        self.visit.reg_contact = not self.visit.reg_contact
