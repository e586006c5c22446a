"""Who runs a mail server, from its MX name: so the practice knows whom to ask."""

from __future__ import annotations

# MX name suffix → the service people know it by. Only names the providers document for inbound mail.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("aspmx.l.google.com", "Google Workspace"), ("googlemail.com", "Google Workspace"),
    ("google.com", "Google Workspace"), ("mail.protection.outlook.com", "Microsoft 365"),
    ("outlook.com", "Microsoft 365"), ("pphosted.com", "Proofpoint"), ("ppe-hosted.com", "Proofpoint"),
    ("mimecast.com", "Mimecast"), ("zoho.com", "Zoho Mail"), ("zoho.eu", "Zoho Mail"),
    ("protonmail.ch", "Proton Mail"), ("messagingengine.com", "Fastmail"), ("icloud.com", "iCloud Mail"),
    ("secureserver.net", "GoDaddy"), ("emailsrvr.com", "Rackspace"), ("barracudanetworks.com", "Barracuda"),
    ("registrar-servers.com", "Namecheap"), ("yahoodns.net", "Yahoo"), ("ovh.net", "OVHcloud"),
    ("amazonaws.com", "Amazon Web Services"), ("paubox.com", "Paubox"), ("hushmail.com", "Hushmail"),
)


def provider_of(mx: str) -> str | None:
    host = mx.rstrip(".").lower()
    for suffix, name in _SUFFIXES:
        if host == suffix or host.endswith("." + suffix):
            return name
    return None
