"""The demo practice's names: its own domain and the third-party services its pages call."""

from __future__ import annotations

DOMAIN = "lakeside-counseling.example"
WEBSITE_HOST = f"www.{DOMAIN}"
PORTAL_HOST = f"portal.{DOMAIN}"
MAIL_HOST = f"mail.{DOMAIN}"
PRACTICE_NAME = "Lakeside Counseling (demo)"

# Hosts the pages load scripts from, send pixels to or post forms to. All of them are answered by
# a loopback server, so nothing a scan (or a browser pointed at the site) asks for leaves the machine.
THIRD_PARTY_HOSTS: tuple[str, ...] = (
    "www.googletagmanager.com",
    "www.google-analytics.com",
    "connect.facebook.net",
    "www.facebook.com",
    "static.hotjar.com",
    "script.hotjar.com",
    "submit.jotform.com",
    "cdn.callrail.com",
)

PAGES: tuple[str, ...] = ("/", "/contact", "/intake")
DKIM_SELECTORS: tuple[str, ...] = ("google", "s2019")
LOOPBACK = "127.0.0.1"
