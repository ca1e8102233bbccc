"""TOTP second factor (placeholder until the enrolment lands): nothing is asked yet."""
from __future__ import annotations

from typing import Any, Optional


def after_password(login_name: Optional[str]):
    return None


def verified_in_request(identity: dict[str, Any]):
    return None
