"""Signing deliveries the Standard Webhooks way (standardwebhooks.com): the headers
webhook-id, webhook-timestamp and webhook-signature, where the signature is "v1," and the
base64 of HMAC-SHA256 over "id.timestamp.body" keyed with the secret's bytes."""

import base64
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, body: bytes, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }


def verify(secret: str, received: dict[str, str], body: bytes, now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (no replays)."""
    try:
        timestamp = int(received["webhook-timestamp"])
        expected = signature(secret, received["webhook-id"], timestamp, body)
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    # The header may carry several space-separated signatures (while a secret is rotated).
    return any(
        hmac.compare_digest(expected, candidate)
        for candidate in received.get("webhook-signature", "").split()
    )
