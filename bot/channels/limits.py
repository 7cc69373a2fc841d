"""Limits every channel applies to what clients send: body size and who the client is.

- Bodies: at most MAX_BODY_BYTES (64 KiB) for the REST and Telegram webhooks and for socket.io
  messages; a larger body is refused with 413 (REST, Telegram) or closes the socket, and changes
  nothing. A chat message is at most 4,000 characters (cancellation/user_input.py), so 64 KiB
  leaves room for JSON escapes and metadata, not for abuse.
- JSON: parsed by `parse_json`, which treats nesting beyond the parser's recursion limit (20,000
  brackets fit in 64 KiB) as invalid JSON instead of letting RecursionError escape (a 500 on REST
  and Telegram, a silently dropped web chat message).
- Client address: the TCP peer, or, when the peer is one of TRUSTED_PROXIES, the right-most
  address in X-Forwarded-For that is not a trusted proxy (the left part of the header is written
  by the client and proves nothing).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import Any, Iterable, Optional, Union

from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

MAX_BODY_BYTES = 64 * 1024

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> Optional[bytes]:
    """The body of a streamed request, or None if it is longer than `limit` bytes (then the rest
    is not read)."""
    assert request.stream is not None
    # Sanic stops reading (and closes the connection) beyond this, also while discarding.
    request.stream.request_max_size = limit
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    while True:
        try:
            chunk = await request.stream.read()
        except PayloadTooLarge:
            return None
        if chunk is None:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            return None


class InvalidJson(ValueError):
    """Not JSON, or nested too deeply to parse."""


def parse_json(raw: Union[str, bytes, bytearray]) -> Any:
    """`json.loads(raw)`, raising InvalidJson for anything it cannot parse, including nesting
    deeper than the parser's recursion limit (which json.loads reports as RecursionError)."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise InvalidJson(str(error)[:200]) from None


def client_address(
    peer: Optional[str], forwarded_for: Optional[str], trusted_proxies: Iterable[Network]
) -> Optional[str]:
    """The address of the client behind `peer` (see the module docstring); None if unknown."""
    trusted = tuple(trusted_proxies)
    current = _address(peer)
    if current is None:
        return None
    if not trusted or not _is_trusted(current, trusted) or not forwarded_for:
        return str(current)
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        address = _address(hop)
        if address is None:
            # A malformed hop: whoever wrote it is the last one we can name.
            return str(current)
        current = address
        if not _is_trusted(current, trusted):
            return str(current)
    return str(current)


def client_key(address: Optional[str]) -> Optional[str]:
    """A stand-in for a client address in rate-limit keys and message metadata: the address
    itself is never stored."""
    if not address:
        return None
    return hashlib.sha256(f"kuendigungshilfe-client:{address}".encode()).hexdigest()[:32]


def request_client_address(request: Request, trusted_proxies: Iterable[Network]) -> Optional[str]:
    peer = _peer_of(request)
    return client_address(peer, request.headers.get("x-forwarded-for"), trusted_proxies)


def environ_client_address(environ: dict, trusted_proxies: Iterable[Network]) -> Optional[str]:
    """The same for a socket.io connection (its WSGI-style environ)."""
    # engine.io's Sanic driver writes a fixed REMOTE_ADDR of 127.0.0.1: ask the request itself.
    request = environ.get("sanic.request")
    peer = _peer_of(request) if request is not None else None
    return client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), trusted_proxies)


def _peer_of(request: Any) -> Optional[str]:
    try:
        # The TCP peer, not Sanic's request.ip/remote_addr (those may read forwarding headers).
        return request.conn_info.client_ip if request.conn_info else None
    except AttributeError:
        return None


def _address(raw: Optional[str]) -> Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]:
    if not raw:
        return None
    text = raw.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:1234"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:5678"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Any, trusted: tuple) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
