"""Bearer secrets (device tokens, staff API tokens, enrolment codes) as the database keeps them."""

from __future__ import annotations

import hashlib


def hash_secret(value: str) -> str:
    """Tokens and codes are random and long, so a fast hash is enough to keep them off the disk."""
    return hashlib.sha256(value.encode()).hexdigest()
