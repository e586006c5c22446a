"""An outbound guard for a whole Python process (audit hooks, PEP 578), installed before any code runs.

Put this folder first on PYTHONPATH and set CYBERAUDIT_NETGUARD_LOG to a file. Every connection,
datagram and name lookup is checked: allowed are the addresses in CYBERAUDIT_NETGUARD_ALLOW (a JSON
list of [address, port]), loopback ports this process itself listens on (the demo practice's
servers, and their answers to loopback clients), Unix sockets, and lookups of IP literals. Anything else is written to the log as a
violation and refused (PermissionError), so it never leaves the machine either.
"""

import contextlib
import ipaddress
import json
import os
import sys
import weakref

_LOG = os.environ.get("CYBERAUDIT_NETGUARD_LOG")
_ALLOW = {(str(a), int(p)) for a, p in json.loads(os.environ.get("CYBERAUDIT_NETGUARD_ALLOW") or "[]")}
_bound = []  # weak references to sockets this process bound: its own servers


def _write(record):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, default=str) + "\n")


def _is_ip(text):
    try:
        ipaddress.ip_address(str(text).split("%", 1)[0])
    except ValueError:
        return False
    return True


def _own_ports():
    out = set()
    for ref in list(_bound):
        sock = ref()
        if sock is None:
            continue
        try:
            name = sock.getsockname()
        except OSError:
            continue
        if isinstance(name, tuple) and len(name) >= 2:
            out.add((str(name[0]), int(name[1])))
    return out


def _own_server(sock):
    return any(ref() is sock for ref in list(_bound))


def _allowed(address, sock=None):
    if isinstance(address, (str, bytes)):
        return True  # a Unix socket: no network
    if not isinstance(address, tuple) or len(address) < 2 or not isinstance(address[1], int):
        return True  # netlink and other local families
    host, port = str(address[0]), address[1]
    if (host, port) in _ALLOW:
        return True
    if not ipaddress.ip_address(host.split("%", 1)[0]).is_loopback:
        return False
    # to one of this process's own servers, or one of them answering a loopback client (DNS over UDP)
    return (host, port) in _own_ports() or (sock is not None and _own_server(sock))


def _hook(event, args):
    if not event.startswith("socket."):
        return
    if event == "socket.bind":
        with contextlib.suppress(TypeError):  # a socket type without weak references: not a server of ours
            _bound.append(weakref.ref(args[0]))
        return
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        ok = _allowed(address, args[0] if event != "socket.connect" else None)
    elif event == "socket.getaddrinfo":
        address = (args[0], args[1])
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
        ok = host is None or _is_ip(host)  # a name here would go to the system's resolver
    elif event in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        address = args[0]
        ok = _is_ip(address)
    else:
        return
    _write({"event": event, "address": address, "allowed": ok})
    if not ok:
        raise PermissionError(f"outbound guard: {event} to {address!r} is not a configured target")


if _LOG:
    sys.addaudithook(_hook)
