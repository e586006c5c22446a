"""Domain names and client addresses as SPF uses them."""

from __future__ import annotations

import ipaddress

import dns.exception
import dns.name

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(ip: str | IPAddress) -> IPAddress:
    """The client IP; an IPv4-mapped IPv6 address is its IPv4 address (§5)."""
    addr = ip if isinstance(ip, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else \
        ipaddress.ip_address(ip.strip())
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def dotted_ip(addr: IPAddress) -> str:
    """The `i` macro: a dotted quad, or 32 dot-separated nibbles for IPv6 (§7.3)."""
    if isinstance(addr, ipaddress.IPv4Address):
        return str(addr)
    return ".".join(addr.exploded.replace(":", ""))


def reverse_name(addr: IPAddress) -> str:
    """The in-addr.arpa or ip6.arpa name of an address."""
    return addr.reverse_pointer


def ascii_domain(domain: str) -> str:
    """An internationalised domain name in its ASCII (IDNA) form; others unchanged."""
    domain = domain.strip()
    if domain.isascii():
        return domain
    try:
        return dns.name.from_text(domain).to_text(omit_final_dot=True)
    except (dns.exception.DNSException, UnicodeError):
        return domain


def valid_dns_name(name: str) -> bool:
    """A name DNS can carry: labels of 1..63 octets, 253 in all, at least two labels."""
    return domain_problem(name) is None


def domain_problem(name: str) -> str | None:
    """Why `name` is not a fully qualified domain SPF can look up (RFC 7208 §4.3), or None."""
    if name.startswith("[") and name.endswith("]"):
        return f"{name!r} is an address literal, not a domain name"
    name = name[:-1] if name.endswith(".") else name
    if not name:
        return "the domain name is empty"
    if len(name.encode()) > 253:
        return f"the domain name is {len(name.encode())} characters long; at most 253 are allowed"
    labels = name.split(".")
    if len(labels) < 2:
        return f"{name!r} is a single label, not a fully qualified domain name"
    for label in labels:
        if not label:
            return f"{name!r} has an empty label (two dots in a row, or a leading dot)"
        if len(label.encode()) > 63:
            return f"{name!r} has a label of {len(label.encode())} characters; at most 63 are allowed"
    return None


def query_text(name: str) -> str:
    """`name` as zone-file text, so that dots stay separators and other characters stay literal."""
    name = name[:-1] if name.endswith(".") else name
    labels = [label.encode() for label in name.split(".")]
    return dns.name.Name([*labels, b""]).to_text(omit_final_dot=True)


def same_or_subdomain(name: str, parent: str) -> bool:
    """Whether `name` is `parent` or below it, ignoring case and a trailing dot."""
    name = name.rstrip(".").lower()
    parent = parent.rstrip(".").lower()
    return name == parent or name.endswith("." + parent)


def ptr_target(text: str) -> str:
    """A PTR or MX host name from dnspython's text form back to plain text."""
    labels = [label for label in dns.name.from_text(text).labels if label]
    return b".".join(labels).decode("utf-8", "replace")
