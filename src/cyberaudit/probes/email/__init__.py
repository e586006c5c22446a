"""The email probe: a mail domain's DNS policies (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, CAA, DNSSEC).

Each parser module reads DNS only through a DnsClient and returns frozen dataclasses; probe.py
turns them into facts.
"""
