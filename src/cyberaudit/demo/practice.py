"""Start the demo practice on 127.0.0.1 and stop all of it again, whatever happens in between."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import ssl
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.demo import certs
from cyberaudit.demo.dns_server import DnsResponder
from cyberaudit.demo.evidence import write_mfa_export, write_policies, write_recordings
from cyberaudit.demo.http_server import HttpServer, server_context
from cyberaudit.demo.names import (
    DOMAIN,
    LOOPBACK,
    MAIL_HOST,
    PORTAL_HOST,
    THIRD_PARTY_HOSTS,
    WEBSITE_HOST,
)
from cyberaudit.demo.profile_file import ProfilePlaces, write_profile
from cyberaudit.demo.site import portal_routes, third_party_routes, website_routes
from cyberaudit.demo.smtp_server import SmtpServer
from cyberaudit.demo.zone import practice_zone
from cyberaudit.errors import InputError
from cyberaudit.network import NetworkSettings
from cyberaudit.outfiles import make_dirs

PROFILE_NAME = "cyberaudit.yaml"
CA_NAME = "demo-ca.pem"
MFA_EXPORT_NAME = "evidence/google-workspace-users.csv"
PORTAL_CERT_DAYS = 10
RESTORE_TEST_AGE_DAYS = 540
# The practice's mail is hosted on a shared server whose certificate names the host, not the practice's MX.
MAIL_CERT_NAME = "shared-mail.hostingco.example"


@dataclass(frozen=True)
class LoopbackPractice:
    """A running demo practice: its profile, its servers and how to reach them."""

    output_dir: Path
    profile_path: Path
    ca_bundle: Path
    mfa_export: Path
    recordings_dir: Path
    website: HttpServer  # https://www.lakeside-counseling.example:PORT/
    website_http: HttpServer  # the same site over plain HTTP, not redirecting
    portal: HttpServer  # TLS 1.0 allowed, certificate expiring soon
    third_party: HttpServer  # every tracker and form host the pages reference
    dns: DnsResponder
    mail: SmtpServer  # the MX: STARTTLS with the hosting company's certificate (wrong name)

    @property
    def servers(self) -> tuple[HttpServer, ...]:
        return (self.website, self.website_http, self.portal, self.third_party)

    @property
    def website_url(self) -> str:
        return f"https://{WEBSITE_HOST}:{self.website.port}/"

    @property
    def portal_target(self) -> str:
        return f"{PORTAL_HOST}:{self.portal.port}"

    @property
    def ports(self) -> tuple[int, ...]:
        """Every TCP port the practice listens on (the DNS server also on UDP)."""
        return tuple(s.port for s in self.servers) + (self.mail.port, self.dns.port)

    @property
    def connect_to(self) -> dict[tuple[str, int], tuple[str, int]]:
        """--connect-to mappings: the third-party hosts, which pages reference on port 443, and the MX."""
        out = {(host, 443): (LOOPBACK, self.third_party.port) for host in THIRD_PARTY_HOSTS}
        out[(MAIL_HOST, 25)] = (LOOPBACK, self.mail.port)
        return out

    def network_settings(self, **overrides: object) -> NetworkSettings:
        """Network settings that reach every part of the practice (and nothing else)."""
        values: dict[str, object] = {
            "connect_to": self.connect_to,
            "ca_bundle": self.ca_bundle,
            "nameservers": ((self.dns.host, self.dns.port),),
        }
        values.update(overrides)
        return NetworkSettings(**values)  # type: ignore[arg-type]

    def scan_arguments(self) -> list[str]:
        """`cyberaudit scan` arguments that scan this practice as the demo does."""
        args = ["scan", "-p", str(self.profile_path)]
        for (host, port), (addr, port2) in sorted(self.connect_to.items()):
            args += ["--connect-to", f"{host}:{port}:{addr}:{port2}"]
        return args

    def hosts_served(self) -> set[str]:
        """Names the HTTP(S) servers were asked for (Host header, without the port)."""
        out: set[str] = set()
        for server in self.servers:
            for _method, _path, headers in list(server.requests):
                host = next((v for k, v in headers.items() if k.lower() == "host"), "")
                out.add(host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower())
        return out

    def names_queried(self) -> set[str]:
        return {name for name, _rdtype in list(self.dns.queries)}


def _portal_context(ca: certs.Issued) -> ssl.SSLContext:
    now = dt.datetime.now(dt.timezone.utc)
    leaf = certs.issue(ca, [PORTAL_HOST], key_type="rsa", key_size=2048,
                       not_after=now + dt.timedelta(days=PORTAL_CERT_DAYS))
    with warnings.catch_warnings():
        # TLS 1.0 is the very mistake on show; Python warns about enabling it.
        warnings.simplefilter("ignore", DeprecationWarning)
        return server_context(leaf.fullchain_pem, leaf.key_pem, minimum=ssl.TLSVersion.TLSv1,
                              ciphers="DEFAULT:@SECLEVEL=0")


@contextlib.contextmanager
def demo_practice(output_dir: Path | str) -> Iterator[LoopbackPractice]:
    """Start the demo practice, write its profile into `output_dir`, and stop it all on exit.

    Servers bind to 127.0.0.1 on free ports; the recordings folder is a temporary directory that is
    removed on exit. The profile, CA certificate and MFA export stay in `output_dir`.
    """
    out = Path(output_dir)
    try:
        make_dirs(out)  # reports are written here: 0700 when created
    except OSError as exc:
        raise InputError(f"cannot use this as the demo's output folder: {exc.strerror or exc}", out) from None
    with contextlib.ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="cyberaudit-demo-"))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        recordings = write_recordings(tmp / "Session recordings")
        mfa_export = write_mfa_export(out / MFA_EXPORT_NAME)
        write_policies(mfa_export.parent / "policies")

        ca = certs.make_ca("Lakeside Counseling Demo CA (cyberaudit demo)")
        ca_path = out / CA_NAME
        ca_path.write_bytes(ca.cert_pem)
        site_cert = certs.issue(ca, [WEBSITE_HOST, DOMAIN])
        third_cert = certs.issue(ca, list(THIRD_PARTY_HOSTS))

        dns = stack.enter_context(DnsResponder(practice_zone(), LOOPBACK))
        http = stack.enter_context(HttpServer({}, host=LOOPBACK))
        # The plain-HTTP twin serves the pages too instead of redirecting to HTTPS.
        http.routes = website_routes(http.port)
        website = stack.enter_context(HttpServer(
            website_routes(http.port), tls=server_context(site_cert.fullchain_pem, site_cert.key_pem),
            host=LOOPBACK))
        portal = stack.enter_context(HttpServer(portal_routes(), tls=_portal_context(ca), host=LOOPBACK))
        third = stack.enter_context(HttpServer(
            third_party_routes(), tls=server_context(third_cert.fullchain_pem, third_cert.key_pem),
            host=LOOPBACK))

        mail_cert = certs.issue(ca, [MAIL_CERT_NAME])
        mail = stack.enter_context(SmtpServer(
            "good", server_context(mail_cert.fullchain_pem, mail_cert.key_pem), host=LOOPBACK, name=MAIL_HOST))

        profile_path = write_profile(out / PROFILE_NAME, ProfilePlaces(
            https_port=website.port, http_port=http.port, portal_port=portal.port,
            nameserver=dns.address, ca_bundle=ca_path.resolve(), mfa_export=mfa_export.resolve(),
            recordings=recordings.resolve(),
            last_restore_test=dt.date.today() - dt.timedelta(days=RESTORE_TEST_AGE_DAYS)))
        yield LoopbackPractice(
            output_dir=out, profile_path=profile_path, ca_bundle=ca_path.resolve(),
            mfa_export=mfa_export.resolve(), recordings_dir=recordings.resolve(), website=website,
            website_http=http, portal=portal, third_party=third, dns=dns, mail=mail)
