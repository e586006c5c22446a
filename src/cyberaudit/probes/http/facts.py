"""Every fact the http probe publishes, documented for `cyberaudit facts` and for rule authors."""

from __future__ import annotations

from cyberaudit.probes.base import FactSpec

_F = FactSpec

FACTS: tuple[FactSpec, ...] = (
    _F("http.url", "str", "The website address from the profile."),
    _F("http.final_url", "str", "Where the site's address ended up after redirects."),
    _F("http.status", "int", "HTTP status of the site's main page (after redirects)."),
    _F("http.https", "bool", "The main page was finally served over HTTPS."),
    _F("http.https_url", "str", "The site's https:// address: url itself, or for an http:// url its "
       "https_url, else the same host and path on port 443."),
    _F("http.https_available", "bool?", "The site opens over HTTPS: its https:// address answers over "
       "HTTPS (certificate trusted or not: the tls rules judge it), its redirects end on https://, status "
       "below 400 (null: could not be told, e.g. a timeout)."),
    _F("http.https_problem", "str?", "Why the site does not open over HTTPS (refused, no TLS, sends "
       "visitors to plain HTTP, an error status), or why that could not be told."),
    _F("http.inspected_untrusted", "bool", "Some pages were fetched with certificate checks off because "
       "their certificate did not verify (expired, self-signed, another name, missing intermediates); "
       "their headers, cookies and forms are judged, HSTS from them is not."),
    _F("http.inspection", "str", "Present only when pages were read with relaxed TLS settings "
       "(certificate checks off, or the widest cipher list and TLS 1.0 allowed): how and why, in plain "
       "words."),
    _F("http.redirected_off_site", "bool", "The main page's redirects end on another site (another registrable "
       "domain, or another port; http.final_url says where): that site's headers and cookies are not the "
       "practice's and are never judged."),

    _F("http.redirect.url", "str", "The plain-HTTP address checked (http_url, else an http:// url itself, "
       "else http://<host>/)."),
    _F("http.redirect.available", "bool",
       "Something listens on the plain-HTTP address (false when the connection is refused)."),
    _F("http.redirect.status", "int?", "Status of the first plain-HTTP response."),
    _F("http.redirect.chain", "list", "Each plain-HTTP hop: url, status, location."),
    _F("http.redirect.chain[].url", "str", "Address requested at this hop."),
    _F("http.redirect.chain[].status", "int", "Status received at this hop."),
    _F("http.redirect.chain[].location", "str?", "The Location header of this hop, if any."),
    _F("http.redirect.final_url", "str?", "Where the plain-HTTP address leads (the first https:// address "
       "reached, or the last plain-HTTP page)."),
    _F("http.redirect.to_https", "bool?", "The plain-HTTP address ends on an https:// address (false "
       "when nothing answers on plain HTTP)."),
    _F("http.redirect.same_site", "bool?",
       "That address has the same registrable domain as the website (Public Suffix List)."),
    _F("http.redirect.to_https_same_site", "bool?", "Both of the above: visitors are moved to HTTPS on "
       "the practice's own site."),
    _F("http.redirect.hops", "int", "Number of plain-HTTP responses followed."),
    _F("http.redirect.capped", "bool", "The chain was cut at the redirect limit (a loop or a very long chain)."),

    _F("http.headers.*", "str", "Raw value of a security header of the main page, by lower-case name "
       "(only headers that were sent; Set-Cookie is never included)."),

    _F("http.hsts.present", "bool", "A Strict-Transport-Security header was sent over HTTPS."),
    _F("http.hsts.valid", "bool", "The first HSTS header parses per RFC 6797 (max-age given once, as a number)."),
    _F("http.hsts.max_age", "int?", "HSTS max-age in seconds."),
    _F("http.hsts.include_subdomains", "bool", "HSTS includeSubDomains directive present."),
    _F("http.hsts.preload", "bool", "HSTS preload directive present."),
    _F("http.hsts.problem", "str?", "Why the HSTS header is missing or invalid."),

    _F("http.csp.present", "bool", "A Content-Security-Policy header (enforced or report-only) was sent."),
    _F("http.csp.enforced", "bool", "An enforced Content-Security-Policy header was sent."),
    _F("http.csp.report_only", "bool", "Only a Content-Security-Policy-Report-Only header was sent "
       "(it reports, it blocks nothing)."),
    _F("http.csp.directives", "object", "The first policy parsed: directive name → list of sources."),
    _F("http.csp.directives.*", "list", "Sources of one directive."),
    _F("http.csp.script_src", "list?", "Effective script sources (script-src, else default-src; null if neither)."),
    _F("http.csp.restricts_scripts", "bool", "An enforced policy has script-src or default-src."),
    _F("http.csp.unsafe_inline", "bool", "Inline scripts are allowed ('unsafe-inline' without a nonce or hash)."),
    _F("http.csp.unsafe_eval", "bool", "'unsafe-eval' is allowed for scripts."),
    _F("http.csp.wildcard_scripts", "bool",
       "Scripts may come from anywhere (*, http:, https:, data: ... without 'strict-dynamic')."),
    _F("http.csp.frame_ancestors", "list?", "Sources of the frame-ancestors directive, if any."),
    _F("http.csp.frame_ancestors_restricts", "bool",
       "An enforced frame-ancestors directive limits who may frame the site (no wildcard)."),
    _F("http.csp.upgrade_insecure_requests", "bool", "An enforced policy has upgrade-insecure-requests."),
    _F("http.csp.policies", "int", "Number of CSP headers (enforced and report-only) received."),

    _F("http.content_type_options.present", "bool", "X-Content-Type-Options was sent."),
    _F("http.content_type_options.value", "str?", "Its value."),
    _F("http.content_type_options.nosniff", "bool", "Its value is nosniff."),
    _F("http.frame_options.present", "bool", "X-Frame-Options was sent."),
    _F("http.frame_options.value", "str?", "Its value(s), upper-case."),
    _F("http.frame_options.valid", "bool", "A single DENY or SAMEORIGIN (ALLOW-FROM is ignored by browsers)."),
    _F("http.referrer_policy.present", "bool", "Referrer-Policy was sent."),
    _F("http.referrer_policy.value", "str", "The effective policy (the last recognised token; \"\" when none)."),
    _F("http.referrer_policy.strict", "bool", "The policy never sends the page address to other sites "
       "(no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin)."),
    _F("http.permissions_policy.present", "bool", "Permissions-Policy was sent."),
    _F("http.permissions_policy.value", "str?", "Its value."),
    _F("http.corp.present", "bool", "Cross-Origin-Resource-Policy was sent."),
    _F("http.corp.value", "str?", "Its value."),
    _F("http.coop.present", "bool", "Cross-Origin-Opener-Policy was sent."),
    _F("http.coop.value", "str?", "Its value."),

    _F("http.cookies", "list", "Cookies set by the site (main page, pages, redirects, security.txt), "
       "one entry per distinct name, domain, path and flags. Values are never read into facts."),
    _F("http.cookies[].name", "str", "Cookie name."),
    _F("http.cookies[].page", "str", "The page (as configured) or address whose response set it."),
    _F("http.cookies[].secure", "bool", "Secure attribute: only sent over HTTPS."),
    _F("http.cookies[].httponly", "bool", "HttpOnly attribute: hidden from page scripts."),
    _F("http.cookies[].samesite", "str", "SameSite value: strict, lax, none, or \"\" when absent or invalid."),
    _F("http.cookies[].persistent", "bool", "Kept after the browser closes (Expires or Max-Age in the future)."),
    _F("http.cookies[].expires", "str?", "When it expires (ISO 8601, UTC), null for a session cookie."),
    _F("http.cookies[].max_age", "int?", "Max-Age in seconds, if given."),
    _F("http.cookies[].deleting", "bool", "The header deletes the cookie (Max-Age ≤ 0 or Expires in the past)."),
    _F("http.cookies[].domain", "str?", "Domain attribute (null: host-only)."),
    _F("http.cookies[].path", "str?", "Path attribute."),
    _F("http.cookies[].partitioned", "bool", "Partitioned attribute (CHIPS)."),
    _F("http.cookies[].host_prefix", "bool", "Name starts with __Host-."),
    _F("http.cookies[].secure_prefix", "bool", "Name starts with __Secure-."),

    _F("http.pages", "list", "Each configured page, fetched once, then the pages the crawl found and read."),
    _F("http.crawl", "object", "Pages found beyond `pages:` (links, sitemap.xml), up to max_pages."),
    _F("http.crawl.max_pages", "int", "The most pages checked (the website's max_pages, default 20)."),
    _F("http.crawl.checked", "list", "Every page checked: the configured ones, then those found."),
    _F("http.crawl.found", "list", "Pages found by the crawl, best first."),
    _F("http.crawl.found[].page", "str", "Path and query."),
    _F("http.crawl.found[].found_by", "str", "How: link from PAGE or sitemap.xml."),
    _F("http.crawl.found[].checked", "bool", "Whether it was read."),
    _F("http.crawl.found[].error", "str?", "Why it was not (max_pages reached, not HTML, an error)."),
    _F("http.pages[].page", "str", "The page as configured."),
    _F("http.pages[].url", "str", "Absolute address requested."),
    _F("http.pages[].final_url", "str?", "Address after redirects."),
    _F("http.pages[].status", "int?", "HTTP status (null when the fetch failed)."),
    _F("http.pages[].ok", "bool", "Status 200-299."),
    _F("http.pages[].https", "bool", "Finally served over HTTPS."),
    _F("http.pages[].content_type", "str", "Media type of the response."),
    _F("http.pages[].truncated", "bool", "The body was longer than the cap and was cut."),
    _F("http.pages[].title", "str?", "The HTML title."),
    _F("http.pages[].forms", "int", "Number of forms on the page."),
    _F("http.pages[].error", "str?", "Why the page could not be checked (the fetch failed, a redirect was not "
       "followed to its end, or the answer was not 200-299)."),
    _F("http.pages[].redirected_off_site", "bool", "The page's redirects end on another site (final_url)."),
    _F("http.pages[].charset", "str?", "The character encoding the HTML was read with (byte-order mark, then "
       "the Content-Type charset, then <meta charset>, then detection)."),
    _F("http.pages[].undecodable", "int", "Byte sequences that did not decode in that encoding and were read "
       "as U+FFFD."),
    _F("http.pages[].partial", "str?", "Why only part of the page could be read: its bytes do not match its "
       "charset, markup makes a browser stop reading (a comment or <script> never closed, <plaintext>), or "
       "the page is beyond the bounds on tags, nesting or time. Rules that found nothing there read error."),

    _F("http.mixed_content", "list", "http:// resources and form actions on pages served over HTTPS."),
    _F("http.mixed_content[].page", "str", "The page (as configured)."),
    _F("http.mixed_content[].url", "str", "The insecure address."),
    _F("http.mixed_content[].tag", "str", "HTML element (script, link, img, iframe, form ...)."),
    _F("http.mixed_content[].kind", "str", "script, style, frame, object, image, media, preload, manifest or form."),
    _F("http.mixed_content[].active", "bool", "Active content (scripts, styles, frames, objects, forms) that "
       "an attacker on the network could use to change the page or read what is typed."),

    _F("http.insecure_forms", "list", "Forms that submit to an http:// address."),
    _F("http.insecure_forms[].page", "str", "The page (as configured)."),
    _F("http.insecure_forms[].action", "str", "Where the form submits."),
    _F("http.insecure_forms[].method", "str", "GET or POST."),
    _F("http.insecure_forms[].fields", "int", "Number of named fields."),

    _F("http.security_txt.url", "str", "Address checked (/.well-known/security.txt on the site)."),
    _F("http.security_txt.status", "int?", "HTTP status received."),
    _F("http.security_txt.content_type", "str?", "Media type received."),
    _F("http.security_txt.present", "bool", "Served with 200, as text/plain, over HTTPS (RFC 9116 §3)."),
    _F("http.security_txt.contact", "list", "Contact: values (at least one is required)."),
    _F("http.security_txt.expires", "str?", "Expires: value (ISO 8601 when it parses)."),
    _F("http.security_txt.expires_valid", "bool", "Exactly one Expires: field, a valid RFC 3339 date-time."),
    _F("http.security_txt.expired", "bool?", "The Expires date has passed."),
    _F("http.security_txt.days_to_expiry", "int?", "Days until Expires."),
    _F("http.security_txt.expires_within_year", "bool?", "Expires is at most a year away (RFC 9116 advice)."),
    _F("http.security_txt.signed", "bool", "The file is OpenPGP cleartext-signed (not verified)."),
    _F("http.security_txt.encryption", "list", "Encryption: values."),
    _F("http.security_txt.policy", "list", "Policy: values."),
    _F("http.security_txt.preferred_languages", "str?", "Preferred-Languages: value."),
    _F("http.security_txt.canonical", "list", "Canonical: values."),
    _F("http.security_txt.fallback_present", "bool?",
       "When the well-known file is missing: a legacy /security.txt is served (null when not checked)."),
)
