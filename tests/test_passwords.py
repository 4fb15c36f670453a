"""Passwords are stored as Argon2 hashes with pwdlib's recommended cost, never in clear."""

from __future__ import annotations

from pwdlib import PasswordHash

from spbe.services import passwords


def test_the_production_hasher_is_pwdlibs_recommended_argon2():
    hasher = PasswordHash.recommended()
    stored = hasher.hash("rahasia-sekali")
    assert stored.startswith("$argon2id$") and "rahasia" not in stored
    assert hasher.verify("rahasia-sekali", stored) and not hasher.verify("salah", stored)


def test_hash_and_verify_round_trip():
    stored = passwords.hash_password("kata-sandi-1")
    assert passwords.verify_password("kata-sandi-1", stored)
    assert not passwords.verify_password("kata-sandi-2", stored)
