"""Every table of the hub, imported in one place so metadata and migrations see them all."""

from hub.announcements.models import Announcement, AnnouncementKind, announcement_stations
from hub.applications.models import Application, ApplicationStatus
from hub.audit.models import AuditEntry
from hub.buses.models import BusSeat, Departure, DepartureStatus, departure_postings, departure_stations
from hub.db import Base
from hub.devices.models import Device, DeviceKind
from hub.employers.models import Employer
from hub.events.models import DeviceEvent
from hub.fairs.models import Booth, Fair, FairStatus, Ticket, fair_stations
from hub.feed.models import ChangeLog, FeedState
from hub.interviews.models import InterviewSlot, SlotStatus
from hub.market.models import OfficialRate
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.outcomes.models import CardVisitDay, QrApplication, QrScanDay
from hub.outreach.models import CallStatus, OutreachCall, OutreachNotice, WorkerHelp
from hub.places.models import Place
from hub.plays.models import PostingPlay
from hub.postings.models import PayUnit, Posting, PostingStatus, Settlement, posting_stations
from hub.ratelimit import rate_hits
from hub.releases.models import Release
from hub.staff.models import ApiToken, Role, StaffSession, StaffUser, staff_stations
from hub.stations.models import Station, StationKind
from hub.teams.models import Team, team_trades
from hub.trades.models import Trade, TradeCategory
from hub.training.models import Course, CourseStatus, Signup, course_stations
from hub.trust.models import PostingCheck, Report, TrustSetting
from hub.workers.models import Worker

metadata = Base.metadata

__all__ = [
    "Announcement",
    "AnnouncementKind",
    "ApiToken",
    "Application",
    "ApplicationStatus",
    "AuditEntry",
    "Base",
    "Booth",
    "BusSeat",
    "CallStatus",
    "CardVisitDay",
    "ChangeLog",
    "Course",
    "CourseStatus",
    "Departure",
    "DepartureStatus",
    "Device",
    "DeviceEvent",
    "DeviceKind",
    "Employer",
    "Fair",
    "FairStatus",
    "FeedState",
    "HouseholdOrder",
    "InterviewSlot",
    "OfficialRate",
    "OrderStatus",
    "OutreachCall",
    "OutreachNotice",
    "PayUnit",
    "Place",
    "Posting",
    "PostingCheck",
    "PostingPlay",
    "PostingStatus",
    "QrApplication",
    "QrScanDay",
    "Release",
    "Report",
    "Role",
    "Settlement",
    "Signup",
    "SlotStatus",
    "StaffSession",
    "StaffUser",
    "Station",
    "StationKind",
    "Team",
    "Ticket",
    "Trade",
    "TradeCategory",
    "TrustSetting",
    "Worker",
    "WorkerHelp",
    "announcement_stations",
    "course_stations",
    "departure_postings",
    "departure_stations",
    "fair_stations",
    "metadata",
    "posting_stations",
    "rate_hits",
    "staff_stations",
    "team_trades",
]
