"""举报 at the kiosk (hub.trust), the flow's part: from a job's detail, the reasons as big tiles; a tap
sends the report through the outbox (sealed, like an application) and goes back to the job.
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

from .steps import DETAIL, REPORT, REPORT_REASONS


class Reporting:
    """举报: the reasons screen and sending one."""

    def start_report(self) -> None:
        """举报 on a job's detail: the reasons, as big tiles (a card is needed: a report names who made it)."""
        if not self.visit.with_card:
            self.visit.message = self.tr("report.need_card")
            return
        self._go(REPORT)

    def send_report(self, reason: str) -> None:
        """A reason tapped: queued through the outbox (sealed, like an application), back to the job."""
        visit = self.visit
        if reason not in REPORT_REASONS or not visit.with_card or not visit.job:
            return
        self.data.report(visit.identity, visit.job["pid"], reason)
        visit.reported.add(visit.job["pid"])
        self._go(DETAIL)
        visit.message = self.tr("report.done")
