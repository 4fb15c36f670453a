"""Password hashing with pwdlib's recommended algorithm (Argon2), so no hashing code is hand-written."""

from __future__ import annotations

import functools

from pwdlib import PasswordHash

_HASHER = PasswordHash.recommended()


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _HASHER.hash(password)


def verify_password(password: str, stored_hash: str) -> bool:
    """True when the password matches the stored hash."""
    return _HASHER.verify(password, stored_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash of no one's password, checked for unknown user names so that they cost what known ones do."""
    return _HASHER.hash("no user has this password")
