"""Where webhooks may go: https (http only where settings allow it, for development), never
an address inside the network (private, loopback, link-local...), checked when the
subscription is made and again against the resolved addresses before each send."""

import ipaddress
import socket
from urllib.parse import urlsplit

from app.errors import InvalidInput


class UnsafeTarget(InvalidInput):
    pass


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, *, allow_http: bool, allow_internal: bool) -> None:
    """Raises UnsafeTarget unless the URL may receive webhooks; resolves the host now."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget("the webhook URL is not a valid URL", field="url") from None
    if parts.scheme not in (("https", "http") if allow_http else ("https",)):
        raise UnsafeTarget("a webhook URL must use https", field="url")
    if not parts.hostname:
        raise UnsafeTarget("the webhook URL has no host", field="url")
    if parts.username or parts.password:
        raise UnsafeTarget("put no user or password in the webhook URL", field="url")
    if allow_internal:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeTarget(f"the host {parts.hostname!r} does not resolve", field="url") from None
    internal = sorted(address for address in addresses if _is_internal(address))
    if internal:
        raise UnsafeTarget(
            f"the webhook URL points inside a network ({', '.join(internal)}): use a public "
            "address",
            field="url",
        )
