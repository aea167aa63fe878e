"""Password hashing with Argon2id (RFC 9106), at OWASP's recommended minimum cost.

The parameters live in each stored hash, so raising them later only affects new hashes; a hash with
outdated parameters is upgraded on the next successful sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the staff number is unknown, so a wrong number takes as long as a wrong password.
_DUMMY = _HASHER.hash("not a real password")
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
