"""A minimal WebSocket server (RFC 6455) on loopback, over TLS: it accepts the handshake and keeps
the text frames a browser sends, as a chat or session-recording vendor's endpoint would."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import ssl
import struct
import threading

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocketServer:
    """Accepts wss:// connections on 127.0.0.1 and records every message received."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        self.messages: list[bytes] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> WebSocketServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError, ValueError), raw:
            raw.settimeout(10)
            conn = self.tls.wrap_socket(raw, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 16384:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (line.decode("latin-1").partition(":") for line in head.split(b"\r\n")[1:] if b":" in line)}
            accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + _GUID).digest())
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            while not self._stop.is_set():
                frame = _read_frame(conn)
                if frame is None:
                    return
                opcode, payload = frame
                if opcode == 8:  # close
                    return
                if opcode in (1, 2):
                    self.messages.append(payload)


def _read_exact(conn: ssl.SSLSocket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_frame(conn: ssl.SSLSocket) -> tuple[int, bytes] | None:
    head = _read_exact(conn, 2)
    if head is None:
        return None
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        ext = _read_exact(conn, 2)
        length = struct.unpack("!H", ext)[0] if ext else 0
    elif length == 127:
        ext = _read_exact(conn, 8)
        length = struct.unpack("!Q", ext)[0] if ext else 0
    mask = _read_exact(conn, 4) if head[1] & 0x80 else b"\0\0\0\0"
    body = _read_exact(conn, length) if length else b""
    if mask is None or body is None:
        return None
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(body))
