"""Who is on the other end of a request: the client's address, seen through the reverse proxies the
operator trusts (``LIJIAN_TRUSTED_PROXIES``), and the network a rate limit counts it under.

Every limit on the public pages and django-axes' login lockout (``AXES_CLIENT_IP_CALLABLE``) use
:func:`client_address`, so one configuration decides which header is believed everywhere.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# One IPv6 subscriber is usually given a whole /64: counting single addresses would let one person
# step round a limit by changing the last 64 bits.
IPV6_LIMIT_PREFIX = 64


def _parse(text: str) -> Address | None:
    """The address in one hop of ``REMOTE_ADDR`` or ``X-Forwarded-For``, or ``None`` if it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1`` and ``[2001:db8::1]:5678``; an IPv4 address
    mapped into IPv6 (``::ffff:1.2.3.4``) is the IPv4 address it carries."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``settings.TRUSTED_PROXIES`` as networks (the setting may hold networks or CIDR strings)."""
    return [ipaddress.ip_network(str(n), strict=False) for n in getattr(settings, "TRUSTED_PROXIES", ())]


def _is_trusted(address: Address, proxies) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request) -> str:
    """The client's IP address as a normalised string ('' when the request carries none).

    ``X-Forwarded-For`` is believed only when the direct peer (``REMOTE_ADDR``) is a trusted proxy; it
    is then read from the right, past every trusted hop, and the first hop that is not a trusted
    proxy is the client — whatever a client wrote further left is never read. Without trusted
    proxies (the default) the answer is ``REMOTE_ADDR``, so a forged header changes nothing.
    A malformed hop written by a trusted proxy stops the walk at that proxy."""
    meta = getattr(request, "META", None) or {}
    raw_peer = str(meta.get("REMOTE_ADDR") or "")
    peer = _parse(raw_peer)
    if peer is None:
        return raw_peer.strip()[:64]
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(peer, proxies):
        return str(peer)
    hops = [hop for hop in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    current = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return str(current)
        current = address
        if not _is_trusted(current, proxies):
            return str(current)
    return str(current)  # every hop is one of ours: the left-most is the best we know


def client_network(address: str) -> str:
    """What a per-client limit counts ``address`` under: the address itself for IPv4, its /64 for
    IPv6, the text as given when it is not an address."""
    parsed = _parse(address) if address else None
    if parsed is None:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(parsed)
