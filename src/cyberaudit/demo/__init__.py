"""The loopback demo practice: real servers on 127.0.0.1 with typical mistakes, for `cyberaudit demo`.

The servers only ever bind to 127.0.0.0/8 or ::1: a scan of them sends no traffic anywhere else.
Tests use the same servers (http_server, dns_server, certs).
"""
