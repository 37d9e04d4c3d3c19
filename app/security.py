"""Passwords, random tokens and CSRF tokens."""

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_password_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _password_hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Returns True when the password matches; an unknown user (None) still costs a hash."""
    try:
        return _password_hasher.verify(password_hash or _DUMMY_HASH, password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def sha256_hex(value: str) -> str:
    """Returns the digest kept in the database for a high-entropy token (session, API key)."""
    return hashlib.sha256(value.encode()).hexdigest()


def csrf_token_for(secret_key: str, csrf_cookie: str) -> str:
    """Returns the token a form must send back: bound to this browser's CSRF cookie."""
    return hmac.new(secret_key.encode(), f"csrf:{csrf_cookie}".encode(), "sha256").hexdigest()


def csrf_token_is_valid(secret_key: str, csrf_cookie: str | None, submitted: str | None) -> bool:
    if not csrf_cookie or not submitted:
        return False
    return hmac.compare_digest(csrf_token_for(secret_key, csrf_cookie), submitted)
