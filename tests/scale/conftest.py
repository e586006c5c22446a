"""Loopback websites for the scale tests: one HTTPS server answers for every *.shards.example."""

from __future__ import annotations

import ssl

import pytest
import trustme

from cyberaudit.demo.dns_server import DnsResponder, txt
from cyberaudit.demo.http_server import HttpServer, Route

PAGE = ('<html><head><script src="https://www.googletagmanager.com/gtag/js?id=G-XYZ"></script></head>'
        '<body><form action="/book" method="post"><input name="email"></form></body></html>')


@pytest.fixture(scope="package")
def servers(tmp_path_factory):
    """(https port, plain port, CA file, DNS responder address)."""
    tmp = tmp_path_factory.mktemp("scale")
    ca = trustme.CA()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("*.shards.example", "shards.example").configure_cert(server_ctx)
    ca_path = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    headers = (("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "sid=1; Path=/"))
    zone = {"shards.example": {"A": ["127.0.0.1"], "TXT": [txt("v=spf1 -all")], "MX": ["10 mx.shards.example."]},
            "_dmarc.shards.example": {"TXT": [txt("v=DMARC1; p=reject")]}}
    with HttpServer({"/": Route(200, PAGE, headers)}, tls=server_ctx) as https, \
            HttpServer({"/": Route(200, "plain", (("Content-Type", "text/plain"),))}) as plain, \
            DnsResponder(zone) as dns:
        yield https.port, plain.port, ca_path, dns.address


def write_profile(path, https_port: int, plain_port: int, sites: int, endpoints: int = 0,
                  name: str = "Shard practice", dns: str | None = None):
    lines = ["practice:", f"  name: {name}", "  jurisdiction: US", "targets:", "  websites:"]
    for i in range(sites):
        lines += [f"    - url: https://s{i}.shards.example:{https_port}/", "      address: 127.0.0.1",
                  f"      http_url: http://s{i}.shards.example:{plain_port}/"]
    if endpoints:
        lines += ["  endpoints:"]
        for i in range(endpoints):
            lines += [f"    - host: e{i}.shards.example", f"      port: {https_port}", "      address: 127.0.0.1"]
    if dns:
        lines += ["  mail_domains:", "    - domain: shards.example", "dns:", f"  nameservers: ['{dns}']"]
    lines += ["platforms:", "  - name: SimplePractice", "    holds_client_data: true", "    baa_signed: true"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
