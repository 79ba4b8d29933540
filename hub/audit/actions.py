"""Which staff routes are audited, under which name: every route that changes data, and the reads
that show personal data or credentials. A staff route that changes data without a name here fails
tests/integration/test_audit.py."""
from __future__ import annotations

CHANGES: dict[tuple[str, str], str] = {
    # the staff API (bearer tokens)
    ("POST", "/api/v1/devices"): "device.create",
    ("POST", "/api/v1/devices/{device_id}/code"): "device.new_code",
    ("PATCH", "/api/v1/devices/{device_id}"): "device.settings",
    ("POST", "/api/v1/devices/{device_id}/revoke"): "device.revoke",
    ("POST", "/api/v1/stations"): "station.create",
    ("PUT", "/api/v1/stations/{station_id}"): "station.edit",
    ("POST", "/api/v1/employers"): "employer.create",
    ("PUT", "/api/v1/employers/{employer_id}"): "employer.edit",
    ("POST", "/api/v1/employers/{employer_id}/verify"): "employer.verify",
    ("POST", "/api/v1/postings"): "posting.publish",
    ("PATCH", "/api/v1/postings/{posting_id}"): "posting.edit",
    ("POST", "/api/v1/postings/{posting_id}/status"): "posting.status",
    ("POST", "/api/v1/announcements"): "announcement.create",
    ("PUT", "/api/v1/announcements/{announcement_id}"): "announcement.edit",
    ("DELETE", "/api/v1/announcements/{announcement_id}"): "announcement.withdraw",
    ("POST", "/api/v1/interviews/slots"): "interview.offer",
    ("POST", "/api/v1/interviews/slots/{slot_id}/cancel"): "interview.cancel",
    ("POST", "/api/v1/interviews/slots/{slot_id}/no-show"): "interview.no_show",
    # the console (sessions)
    ("POST", "/staff/postings/new"): "posting.publish",
    ("POST", "/staff/postings/{posting_id}/edit"): "posting.edit",
    ("POST", "/staff/postings/{posting_id}/close"): "posting.close",
    ("POST", "/staff/postings/{posting_id}/full"): "posting.full",
    ("POST", "/staff/postings/import"): "posting.import",
    ("POST", "/staff/employers"): "employer.create",
    ("POST", "/staff/employers/{employer_id}"): "employer.edit",
    ("POST", "/staff/employers/{employer_id}/verify"): "employer.verify",
    ("POST", "/staff/applications/{application_id}/status"): "application.status",
    ("POST", "/staff/orders/{order_id}/publish"): "order.publish",
    ("POST", "/staff/orders/{order_id}/dispatch"): "order.dispatch",
    ("POST", "/staff/orders/{order_id}/reject"): "order.reject",
    ("POST", "/staff/orders/{order_id}/accept"): "order.accept",
    ("POST", "/staff/orders/{order_id}/complete"): "order.complete",
    ("POST", "/staff/orders/{order_id}/cancel"): "order.cancel",
    ("POST", "/staff/interviews"): "interview.offer",
    ("POST", "/staff/interviews/{slot_id}/cancel"): "interview.cancel",
    ("POST", "/staff/interviews/{slot_id}/no-show"): "interview.no_show",
    ("POST", "/staff/devices"): "device.create",
    ("POST", "/staff/devices/{device_id}"): "device.settings",
    ("POST", "/staff/devices/{device_id}/revoke"): "device.revoke",
    ("POST", "/staff/announcements"): "announcement.create",
    ("POST", "/staff/announcements/{announcement_id}/withdraw"): "announcement.withdraw",
    ("POST", "/staff/account"): "account.password",
    ("POST", "/staff/users"): "user.create",
    ("POST", "/staff/users/{user_id}/disable"): "user.disable",
    ("POST", "/staff/users/{user_id}/enable"): "user.enable",
    ("POST", "/staff/users/{user_id}/reset-password"): "user.reset_password",
    ("POST", "/staff/users/{user_id}/reset-2fa"): "user.reset_2fa",
    ("POST", "/staff/users/{user_id}/revoke-tokens"): "user.revoke_tokens",
}

# Reads that show workers' or residents' names and phones, or hand out a credential.
READS: dict[tuple[str, str], str] = {
    ("GET", "/staff/applications"): "applications.view",
    ("GET", "/staff/orders"): "orders.view",
    ("GET", "/staff/interviews"): "interviews.view",  # the employers' room links
    ("GET", "/api/v1/interviews/slots/{slot_id}/link"): "interview.link",
    ("GET", "/staff/audit"): "audit.view",
    ("GET", "/staff/users"): "users.view",
    ("GET", "/staff/devices/{device_id}/capture.png"): "device.picture",  # a kiosk's screen may show a visit
}

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def name_of(method: str, path: str) -> str | None:
    """The action a staff request is recorded as, or None when it is not recorded."""
    return CHANGES.get((method, path)) or READS.get((method, path)) or (
        f"{method.lower()} {path}"[:40] if method in MUTATING else None)
