"""Every form of the staff console fuzzed by schemathesis against a real hub process (SQLite), signed
in as an administrator and as a station's staff with a valid CSRF token: no 5xx.

The console's forms are not in the public API document (they take form posts, not JSON), so this
module describes them in an OpenAPI document of its own, CONSOLE_FORMS, checked against the hub's
routes so that a new form cannot be left out. (Apart from the API's fuzz, test_api_fuzz.py, so that
the two long runs can go to the two test workers.)"""

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.support.fuzz_hub import CSRF, coverage_callers, fuzzed_hub

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

CONSOLE_EXAMPLES = int(os.environ.get("LINGONG_FUZZ_CONSOLE_EXAMPLES", "4"))
POSTING = [
    "title",
    "trade_id",
    "employer_id",
    "headcount",
    "filled",
    "pay_min",
    "pay_max",
    "pay_unit",
    "settlement",
    "work_start",
    "work_end",
    "daily_hours",
    "valid_days",
    "valid_from",
    "district",
    "address",
    "contact_person",
    "contact_phone",
    "requirements",
    "benefits",
    "age_min",
    "age_max",
    "urgent",
    "certificate",
    "all_stations",
    "station_ids",
]
EMPLOYER = ["name", "credit_code", "contact_person", "contact_phone", "district", "address"]
NOTHING: list[str] = []
# (method, path) → the fields its form sends (GET: query parameters). Every console route is here but
# signing out, which would end the fuzzing session itself.
CONSOLE_FORMS: dict[tuple[str, str], list[str]] = {
    ("POST", "/staff/login"): ["name", "password"],
    ("POST", "/staff/login/second"): ["code"],
    ("POST", "/staff/account"): ["current", "password", "again"],
    ("GET", "/staff"): ["status", "q", "employer", "trade", "station", "page", "published", "saved", "ended", "how"],
    ("POST", "/staff/postings/new"): POSTING,
    ("POST", "/staff/postings/{posting_id}/edit"): POSTING,
    ("POST", "/staff/postings/{posting_id}/close"): ["confirmed", "back"],
    ("POST", "/staff/postings/{posting_id}/full"): ["confirmed", "back"],
    ("POST", "/staff/postings/{posting_id}/fast"): ["back"],  # 即时快招
    ("POST", "/staff/postings/{posting_id}/fast/end"): ["back"],
    ("GET", "/staff/postings/{posting_id}/close"): ["back"],
    ("GET", "/staff/postings/{posting_id}/full"): ["back"],
    ("POST", "/staff/postings/import"): ["file"],
    ("POST", "/staff/employers"): EMPLOYER,
    ("POST", "/staff/employers/{employer_id}"): EMPLOYER,
    ("POST", "/staff/employers/{employer_id}/verify"): ["verified"],
    ("GET", "/staff/applications"): ["posting", "station", "q", "title", "state"],
    ("POST", "/staff/applications/{application_id}/status"): ["status", "back"],
    ("GET", "/staff/orders"): ["tab", "error", "order", "team"],
    ("POST", "/staff/orders/{order_id}/publish"): ["trade_id", "tab"],
    ("POST", "/staff/orders/{order_id}/dispatch"): ["phone", "tab"],
    ("POST", "/staff/orders/{order_id}/reject"): ["note", "tab"],
    ("POST", "/staff/orders/{order_id}/accept"): ["tab"],
    ("POST", "/staff/orders/{order_id}/complete"): ["tab"],
    ("POST", "/staff/orders/{order_id}/cancel"): ["tab"],
    ("GET", "/staff/interviews"): ["day"],
    ("POST", "/staff/interviews"): ["posting_id", "booth_id", "starts_at", "minutes", "count"],
    ("POST", "/staff/interviews/{slot_id}/cancel"): NOTHING,
    ("POST", "/staff/interviews/{slot_id}/no-show"): NOTHING,
    ("POST", "/staff/courses"): [
        "title",
        "trade_id",
        "organiser",
        "place",
        "starts_on",
        "ends_on",
        "schedule",
        "seats",
        "cost",
        "age_min",
        "age_max",
        "registered_only",
        "all_stations",
        "station_ids",
    ],
    ("POST", "/staff/courses/{course_id}/status"): ["status"],
    ("POST", "/staff/courses/{course_id}/signups/{signup_id}"): ["mark"],
    ("POST", "/staff/buses"): [
        "destination",
        "employer_id",
        "work",
        "meeting_point",
        "leaves_at",
        "seats",
        "bring",
        "age_min",
        "age_max",
        "signup_until",
        "all_stations",
        "station_ids",
    ],
    ("POST", "/staff/buses/{departure_id}/status"): ["status"],
    ("POST", "/staff/buses/{departure_id}/seats/{seat_id}"): ["boarded"],
    ("POST", "/staff/fairs"): [
        "title",
        "hall",
        "day",
        "opens_at",
        "closes_at",
        "skip_after_min",
        "all_stations",
        "station_ids",
        # two of the form's booth rows, and its last (hub.web.console.fairs.ROWS)
        *(f"booth-{i}-{k}" for i in (0, 1, 11) for k in ("number", "employer_id", "jobs", "places")),
    ],
    ("POST", "/staff/fairs/{fair_id}/status"): ["status"],
    ("GET", "/staff/teams"): ["put"],
    ("POST", "/staff/teams"): ["name", "station_id", "leader", "members", "districts", "trades"],
    ("GET", "/staff/teams/{team_id}"): ["saved"],
    ("POST", "/staff/teams/{team_id}"): ["name", "leader", "members", "districts", "trades"],
    ("POST", "/staff/teams/{team_id}/retire"): NOTHING,
    ("POST", "/staff/teams/{team_id}/restore"): NOTHING,
    ("POST", "/staff/devices"): ["name", "kind", "station_id"],
    ("POST", "/staff/devices/{device_id}"): [
        "name",
        "station_id",
        "layout",
        "rotation",
        "dwell_s",
        "viewing_distance_m",
        "pixel_pitch_mm",
        "show_phone",
        "stale_after_s",
        "idle_timeout_s",
        "reader",
        "jitsi_domain",
        "browser",
        "trades",
        "urgent_only",
        "today_only",
    ],
    ("POST", "/staff/devices/{device_id}/revoke"): NOTHING,
    ("POST", "/staff/announcements"): ["kind", "title", "body", "station_ids", "valid_from", "valid_to", "priority"],
    ("POST", "/staff/announcements/{announcement_id}/withdraw"): NOTHING,
    ("POST", "/staff/releases"): ["wheel", "signature"],
    ("POST", "/staff/releases/{release_id}/rollout"): ["station_ids", "percent", "pinned"],
    ("POST", "/staff/users"): ["name", "role", "station_ids"],
    ("POST", "/staff/users/{user_id}/disable"): NOTHING,
    ("POST", "/staff/users/{user_id}/enable"): NOTHING,
    ("POST", "/staff/users/{user_id}/reset-password"): NOTHING,
    ("POST", "/staff/users/{user_id}/reset-2fa"): NOTHING,
    ("POST", "/staff/users/{user_id}/revoke-tokens"): NOTHING,
    # trust (hub.trust)
    ("POST", "/staff/reviews/{posting_id}/approve"): NOTHING,
    ("POST", "/staff/reviews/{posting_id}/reject"): ["reason"],
    ("POST", "/staff/reviews/hold"): ["hold_fees", "hold_training", "hold_pay_high", "hold_address", "hold_unverified"],
    ("POST", "/staff/reviews/suspend"): ["employer_id", "reason", "confirmed"],
    ("POST", "/staff/reviews/lift/{employer_id}"): NOTHING,
    ("POST", "/staff/reviews/station/{station_id}"): ["rules", "hotline", "complaint"],
    ("GET", "/staff/audit"): ["actor", "action", "target", "station", "since", "until", "before"],
    ("GET", "/staff/outreach/postings/{posting_id}"): ["sent"],
    ("POST", "/staff/outreach/calls/{call_id}"): ["status"],
    ("POST", "/staff/outreach/postings/{posting_id}/notify"): NOTHING,
    ("POST", "/staff/outreach/workers/{worker_id}/help"): [
        "kind_long_waiting",
        "kind_older",
        "kind_disabled",
        "kind_low_income",
        "consent",
    ],
}
NOT_FUZZED = {("POST", "/staff/logout")}


def console_document() -> dict:
    """CONSOLE_FORMS as OpenAPI: every field a string — or the same field sent several times."""
    value = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "maxItems": 3}]}
    paths: dict = {}
    for (method, path), fields in CONSOLE_FORMS.items():
        operation: dict = {
            "responses": {"default": {"description": "any page"}},
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                for name in re.findall(r"\{(\w+)\}", path)
            ],
        }
        if method == "GET":
            operation["parameters"] += [{"name": f, "in": "query", "schema": {"type": "string"}} for f in fields]
        else:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": dict.fromkeys(fields, value)}
                    }
                },
            }
        paths.setdefault(path, {})[method.lower()] = operation
    return {"openapi": "3.0.3", "info": {"title": "the staff console's forms", "version": "1"}, "paths": paths}


# The console's forms on SQLite: their parsing is the same on both databases (make test has 10
# minutes on 2 cores); the API's fuzz runs on PostgreSQL.
@pytest.fixture(scope="module", params=["sqlite"])
def form_hub(request, tmp_path_factory):
    yield from fuzzed_hub(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def console_schema(form_hub):
    return schemathesis.openapi.from_dict(console_document())


console = schemathesis.pytest.from_fixture("console_schema")


@console.parametrize()
@settings(max_examples=CONSOLE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_console_form_answers_with_a_server_error(case, form_hub):
    """Security review, finding 9: console forms answered 500 to `inf`, absurd numbers and a field
    sent twice. Signed in as an administrator and as station staff, with a valid CSRF token."""
    if isinstance(case.body, dict):
        case.body["csrf_token"] = CSRF
    for caller in coverage_callers(case, form_hub.sessions):
        case.call_and_validate(base_url=form_hub.url, headers=form_hub.sessions[caller], checks=[not_a_server_error])


def test_every_console_route_is_fuzzed():
    from fastapi.testclient import TestClient  # noqa: F401 (only the app's routes are read)

    from hub.app import create_app
    from hub.settings import Settings
    from tests.integration.test_access_matrix import routes

    app = create_app(Settings(home=os.environ.get("TMPDIR", "/tmp")))
    console_routes = {r for r in routes(app) if r[1].startswith("/staff") and (r[0] != "GET" or r in CONSOLE_FORMS)}
    missing = {r for r in console_routes if r[0] != "GET"} - set(CONSOLE_FORMS) - NOT_FUZZED
    assert not missing, f"console forms the fuzzer does not know: {sorted(missing)}"
    assert not set(CONSOLE_FORMS) - set(routes(app)), "CONSOLE_FORMS names routes that no longer exist"
