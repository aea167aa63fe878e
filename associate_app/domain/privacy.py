"""What a role may see of a member: cashiers never see a full phone number."""

from __future__ import annotations

import hashlib

from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the first three and last four digits; already-masked numbers pass through."""
    if not phone:
        return phone
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)


def visible_phone(actor: Actor, phone: str | None) -> str | None:
    return mask_phone(phone) if actor.role == Role.CASHIER else phone


def phone_hash(salt: str, phone: str | None) -> str | None:
    """HQ's salted phone hash (docs/sync-protocol.md, the cashier view): SHA-256 of "<salt>:<phone>", 32 hex
    digits. HQ publishes it instead of the number; a cashier's device hashes a typed number to match it."""
    if not phone:
        return None
    return hashlib.sha256(f"{salt}:{phone}".encode()).hexdigest()[:32]
