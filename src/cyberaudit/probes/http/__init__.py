"""The http probe: redirects, security headers, cookies, pages, forms and security.txt of a website.

Its public pieces are the pages it fetches and their parsed documents, which it hands to the probes
that require it (privacy) through ProbeOutput.artifacts, and the crawl that finds more pages (which
browser mode runs on the rendered pages).
"""

from cyberaudit.probes.http.crawl import DEFAULT_MAX_PAGES, Candidate, PageCrawl
from cyberaudit.probes.http.htmldoc import Form, FormField, HtmlDocument, Link, Resource, parse_html
from cyberaudit.probes.http.pages import PARTIAL, FetchedPage

__all__ = ["DEFAULT_MAX_PAGES", "PARTIAL", "Candidate", "FetchedPage", "Form", "FormField", "HtmlDocument", "Link",
           "PageCrawl", "Resource", "parse_html"]
