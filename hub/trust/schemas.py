"""A kiosk's 举报 as the hub checks it (the keys are wire.events.Report's, plus the sealed person)."""

from __future__ import annotations

from pydantic import Field

from hub.fields import Input, RecordId

from .models import ReportReason


class ReportBody(Input):
    posting: RecordId
    reason: ReportReason
    person: str = Field(max_length=4000, description="sealed Person")
