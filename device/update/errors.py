"""Why an update did not go ahead."""

from __future__ import annotations


class UpdateError(Exception):
    """An update stopped. `reason` is a short code the hub and the console show (signature, older,
    dependencies, download, install, health …); `final` says the same release must not be tried
    again (a bad signature stays bad), as opposed to a download cut short, tried at the next offer."""

    def __init__(self, reason: str, message: str, *, final: bool = True):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.final = final
