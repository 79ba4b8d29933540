"""Errors of the device side of the link, each carrying what the caller needs to decide."""

from __future__ import annotations


class SyncError(Exception):
    """Base of everything the link raises."""


class HubUnreachable(SyncError):
    """The hub did not answer usefully within the retry budget (network down, 5xx, timeouts)."""


class HubRejected(SyncError):
    """The hub answered with a 4xx that retrying will not change."""

    def __init__(self, status: int, detail: object):
        super().__init__(f"hub refused the request ({status}): {detail}")
        self.status = status
        self.detail = detail


class Unauthorized(HubRejected):
    """The device token is unknown or revoked (401): the device must be enrolled again."""


class Forbidden(HubRejected):
    """The token is valid but this kind of device may not do this (403)."""


class ResetRequired(SyncError):
    """The hub cannot continue the feed from our cursor: take a fresh snapshot."""


class NotEnrolled(SyncError):
    """The device store holds no enrollment yet: run `lingong enroll`."""


class EnrollRefused(SyncError):
    """Enrolling would trust a hub key nobody vouched for (no fingerprint over plain HTTP, or one
    that does not match); nothing was saved."""
