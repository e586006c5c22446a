"""Mail-domain DNS policies (DMARC, DKIM, MTA-STS, TLS-RPT, CAA): parsers and lookups.

Each module reads DNS only through a DnsClient and returns frozen dataclasses; the email probe
turns them into facts.
"""
