"""The http probe: redirects, security headers, cookies, pages, forms and security.txt of a website.

Its public pieces are the pages it fetches and their parsed documents, which it hands to the probes
that require it (privacy) through ProbeOutput.artifacts.
"""

from cyberaudit.probes.http.htmldoc import Form, FormField, HtmlDocument, Link, Resource, parse_html
from cyberaudit.probes.http.pages import PARTIAL, FetchedPage

__all__ = ["PARTIAL", "FetchedPage", "Form", "FormField", "HtmlDocument", "Link", "Resource", "parse_html"]
