"""Errors the hub's services raise, each mapped to one HTTP status. One convention: a stable `code`
(`domain.what`, for programs and tests) and a message in the Chinese shown to people."""

from __future__ import annotations


class HubError(Exception):
    """Base: `status` is the HTTP status, `code` says which refusal it is, `field` names the input at
    fault when there is one."""

    status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def body(self) -> dict:
        body: dict = {"error": self.message, "code": self.code}
        if self.field:
            body["field"] = self.field
        return body

    def headers(self) -> dict[str, str]:
        return {}


class Invalid(HubError):
    status = 422


class NotFound(HubError):
    status = 404


class Conflict(HubError):
    status = 409


class Unauthenticated(HubError):
    status = 401


class Forbidden(HubError):
    status = 403


class Gone(HubError):
    status = 410


class TooLarge(HubError):
    status = 413


class TooMany(HubError):
    """Too many attempts: `retry_after` seconds until the next one will be let through."""

    status = 429

    def __init__(self, message: str, *, code: str, retry_after: int = 60, field: str | None = None):
        super().__init__(message, code=code, field=field)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
