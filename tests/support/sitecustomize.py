"""Records every address this Python process connects or sends to (audit hooks, PEP 578).

Put this folder on PYTHONPATH and set CYBERAUDIT_TEST_CONNECT_LOG to a file: each socket.connect,
socket.sendto and socket.getaddrinfo event is appended as one JSON line. Nothing is changed or
intercepted; the hook only observes, so the process talks to the network exactly as it would.
"""

import json
import os
import sys

_LOG = os.environ.get("CYBERAUDIT_TEST_CONNECT_LOG")

if _LOG:
    def _hook(event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.sendto"):
            address = args[1]
        elif event == "socket.getaddrinfo":
            address = (args[0], args[1])
        else:
            return
        if isinstance(address, bytes):
            address = address.decode("utf-8", "replace")
        if isinstance(address, (tuple, list)):
            address = [a.decode("utf-8", "replace") if isinstance(a, bytes) else a for a in address]
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"event": event, "address": address}, default=str) + "\n")

    sys.addaudithook(_hook)
