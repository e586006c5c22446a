"""Runs inside checkdmarc's own venv: checks domains against a loopback nameserver, prints JSON.

usage: python checkdmarc_driver.py NAMESERVER_ADDR NAMESERVER_PORT POLICY_PORT CA_FILE DOMAIN...

checkdmarc fetches MTA-STS policies with requests and the system resolver; so that nothing leaves
the loopback interface, names under .test are answered here with 127.0.0.1 and port 443 is mapped
to POLICY_PORT, where the test's HTTPS policy host listens.
"""

from __future__ import annotations

import json
import os
import socket
import sys


def main() -> None:
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
