"""Runs inside checkdmarc's own venv: checks domains against a loopback nameserver, prints JSON.

usage: python checkdmarc_driver.py NAMESERVER_ADDR NAMESERVER_PORT POLICY_PORT CA_FILE DOMAIN...
       python checkdmarc_driver.py --mx NAMESERVER_ADDR NAMESERVER_PORT CA_FILE DOMAIN...

checkdmarc fetches MTA-STS policies with requests and the system resolver; so that nothing leaves
the loopback interface, names under .test are answered here with 127.0.0.1 and port 443 is mapped
to POLICY_PORT, where the test's HTTPS policy host listens.

With --mx, checkdmarc's MX check runs with its STARTTLS test (check_mx_tls): it dials port 25 of
each MX name through the system resolver, so names under .test are answered here from the loopback
nameserver's A records (the same answers the smtp probe gets) and ports are left alone. Its TLS
context is ssl.create_default_context(), whose trust store is pointed at CA_FILE by SSL_CERT_FILE.
"""

from __future__ import annotations

import json
import os
import socket
import sys


def _loopback_only_names() -> None:
    """smtplib names itself with getfqdn(), which may ask the system's DNS: keep it on this host."""
    socket.getfqdn = lambda name="": "localhost"  # type: ignore[assignment]

    def refuse(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(f"interop driver refuses reverse lookups of {host}: loopback only")

    socket.gethostbyaddr = refuse  # type: ignore[assignment]


def mx_main(ns_addr: str, ns_port: str, ca_file: str, domains: list[str]) -> None:
    os.environ["SSL_CERT_FILE"] = ca_file
    _loopback_only_names()
    import dns.message
    import dns.query
    import dns.rdatatype

    real_getaddrinfo = socket.getaddrinfo

    def from_loopback_dns(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".test"):
            answer = dns.query.udp(dns.message.make_query(name, dns.rdatatype.A), ns_addr, timeout=2.0,
                                   port=int(ns_port))
            addrs = [r.address for rrset in answer.answer for r in rrset if rrset.rdtype == dns.rdatatype.A]
            if not addrs:
                raise socket.gaierror(socket.EAI_NONAME, f"{name} has no A record")
            return [info for a in addrs for info in real_getaddrinfo(a, port, *args, **kwargs)]
        if not name.startswith("127.") and name not in ("localhost", "::1"):
            raise OSError(f"interop driver refuses to resolve {name}: loopback only")
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.getaddrinfo = from_loopback_dns  # type: ignore[assignment]

    import dns.nameserver
    from checkdmarc.smtp import check_mx

    nameservers = [dns.nameserver.Do53Nameserver(ns_addr, int(ns_port))]
    out = {}
    for domain in domains:
        mx = check_mx(domain, check_mx_tls=True, nameservers=nameservers, timeout=2.0, retries=0)
        out[domain] = {"hosts": [{k: h.get(k) for k in ("hostname", "addresses", "starttls", "tls")}
                                 for h in mx.get("hosts", [])],
                       "warnings": mx.get("warnings", []), "error": mx.get("error")}
    json.dump(out, sys.stdout, default=str)


def main() -> None:
    if sys.argv[1] == "--mx":
        mx_main(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
        return
    ns_addr, ns_port, policy_port, ca_file, *domains = sys.argv[1:]
    os.environ["REQUESTS_CA_BUNDLE"] = ca_file
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".test"):
            return real_getaddrinfo("127.0.0.1", int(policy_port) if int(port) == 443 else port, *args, **kwargs)
        if name not in ("127.0.0.1", "localhost", "::1"):
            raise OSError(f"interop driver refuses to resolve {name}: loopback only")
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.getaddrinfo = loopback_only  # type: ignore[assignment]

    import dns.nameserver
    from checkdmarc.dmarc import check_dmarc
    from checkdmarc.mta_sts import check_mta_sts
    from checkdmarc.spf import check_spf

    nameservers = [dns.nameserver.Do53Nameserver(ns_addr, int(ns_port))]
    out = {}
    for domain in domains:
        spf = check_spf(domain, nameservers=nameservers, timeout=2.0, retries=0)
        dmarc = check_dmarc(domain, nameservers=nameservers, timeout=2.0, retries=0)
        sts = check_mta_sts(domain, nameservers=nameservers, timeout=2.0, retries=0)
        out[domain] = {
            "spf": {"valid": spf.get("valid"), "lookups": spf.get("dns_lookups"),
                    "void_lookups": spf.get("void_dns_lookups"), "error": spf.get("error"),
                    "all": (spf.get("parsed") or {}).get("all")},
            "dmarc": {"valid": dmarc.get("valid"), "location": dmarc.get("location"),
                      "policy": ((dmarc.get("tags") or {}).get("p") or {}).get("value"),
                      "error": dmarc.get("error")},
            "mta_sts": {"valid": sts.get("valid"), "mode": (sts.get("policy") or {}).get("mode"),
                        "error": sts.get("error")},
        }
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
