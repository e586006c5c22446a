"""The pages of the 14 lab sites in benchmarks/lab_sites.py: what small practices' sites serve.

Builders for a hand-made site, a WordPress-like site (Google Analytics, Meta Pixel, an intake form,
a sitemap) and a Squarespace-like site (a nav of many pages, dozens of CDN assets, inline JSON).
"""

from __future__ import annotations

import json

from cyberaudit.demo.http_server import Route

HTML = "text/html; charset=utf-8"
GOOD_HEADERS = (("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
                ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
                ("Set-Cookie", "session=3f9a; Path=/; Secure; HttpOnly; SameSite=Lax"))
# what shared hosting with a page builder typically sends: a PHP session cookie and nothing else
PLAIN_HEADERS = (("Set-Cookie", "PHPSESSID=9c1e4bd27a0f3e55; Path=/"),)
BAD_HEADERS = (("Strict-Transport-Security", "max-age=300"),
               ("X-Frame-Options", "ALLOWALL"),
               ("Referrer-Policy", "unsafe-url"),
               ("Set-Cookie", "PHPSESSID=9c1e4bd27a0f3e55; Path=/"),
               ("Set-Cookie", "wp_lang=en_US; Path=/; SameSite=None"))

GTAG = ('<script async src="https://www.googletagmanager.com/gtag/js?id=G-LAB1234"></script>\n'
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-LAB1234');</script>")
META_PIXEL = ("<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
              "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;"
              "n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;"
              "s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,document,'script',"
              "'https://connect.facebook.net/en_US/fbevents.js');fbq('init','1234567890');"
              "fbq('track','PageView');</script>\n<noscript><img height=\"1\" width=\"1\" style=\"display:none\" "
              "src=\"https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1\"></noscript>")
PRIVACY_LINK = '<a href="/privacy-policy">Privacy policy</a>'
TEXT = ("We offer individual, couples and family counselling in person and by video. Our licensed "
        "therapists work with anxiety, depression, trauma, grief and life transitions. ")


def page(title: str, body: str, *, head: str = "", nav: list[tuple[str, str]] | None = None,
         footer: str = PRIVACY_LINK) -> str:
    links = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in nav or [])
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head}</head>\n'
            f"<body><header><nav><ul>{links}</ul></nav></header>\n<main><h1>{title}</h1>\n{body}</main>\n"
            f"<footer>{footer}<p>&copy; 2026</p></footer></body></html>")


def contact_form(action: str = "/contact", *, method: str = "post") -> str:
    return (f'<form action="{action}" method="{method}"><label for="n">Name</label><input id="n" name="name">'
            '<label for="e">E-mail</label><input id="e" name="email" type="email">'
            '<label for="p">Phone</label><input id="p" name="phone" type="tel">'
            '<label for="m">Message</label><textarea id="m" name="message"></textarea>'
            "<button>Send</button></form>")


def intake_form(action: str = "/intake") -> str:
    return (f'<form action="{action}" method="post"><label for="n">Full name</label><input id="n" name="name">'
            '<label for="d">Date of birth</label><input id="d" name="dob" type="date">'
            '<label for="i">Insurance provider</label><input id="i" name="insurance">'
            '<label for="r">What brings you to therapy?</label><textarea id="r" name="reason"></textarea>'
            '<label><input type="checkbox" name="consent"> I agree to the terms</label>'
            "<button>Request an appointment</button></form>")


def sitemap(paths: list[str], origin: str) -> Route:
    urls = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in paths)
    return Route(200, '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                 f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
                 (("Content-Type", "application/xml"),))


def security_txt() -> Route:
    return Route(200, "Contact: mailto:security@clinic.lab.example\nExpires: 2030-01-01T00:00:00Z\n",
                 (("Content-Type", "text/plain; charset=utf-8"),))


def simple_site(name: str, headers: tuple[tuple[str, str], ...], *, extra_body: str = "",
                security: bool = False) -> dict[str, Route]:
    """A hand-made three-page site: home, about, contact (with a form)."""
    nav = [("/", "Home"), ("/about", "About"), ("/contact", "Contact")]
    h = (("Content-Type", HTML), *headers)
    routes = {
        "/": Route(200, page(name, f"<p>{TEXT * 4}</p>{extra_body}", nav=nav), h),
        "/about": Route(200, page(f"About {name}", f"<p>{TEXT * 6}</p>", nav=nav), h),
        "/contact": Route(200, page(f"Contact {name}", contact_form(), nav=nav), h),
        "/privacy-policy": Route(200, page("Privacy policy", f"<p>{TEXT}</p>", nav=nav), h),
    }
    if security:
        routes["/.well-known/security.txt"] = security_txt()
    return routes


def wordpress_site(name: str, origin: str) -> dict[str, Route]:
    """GA4 and the Meta Pixel on every page (the intake form's too), jQuery and plugin assets, a sitemap."""
    nav = [("/", "Home"), ("/about-us/", "About us"), ("/services/", "Services"), ("/our-team/", "Our team"),
           ("/fees-insurance/", "Fees &amp; insurance"), ("/new-client-intake/", "New clients"),
           ("/contact/", "Contact"), ("/blog/", "Blog")]
    assets = "".join(f'<link rel="stylesheet" href="/wp-content/plugins/plugin-{i}/style.css?ver=6.6">'
                     for i in range(8))
    assets += ('<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>'
               '<link rel="preconnect" href="https://fonts.gstatic.com">'
               '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Lato">')
    head = f"{assets}\n{GTAG}\n{META_PIXEL}"
    h = (("Content-Type", HTML), ("X-Powered-By", "PHP/8.1.29"), *PLAIN_HEADERS)
    bodies = {
        "/": f"<p>{TEXT * 5}</p><img src=\"/wp-content/uploads/2024/03/office.jpg\" alt=\"Our office\">",
        "/about-us/": f"<p>{TEXT * 8}</p>",
        "/services/": "".join(f"<h2>Service {i}</h2><p>{TEXT * 2}</p>" for i in range(6)),
        "/our-team/": "".join(f"<h2>Therapist {i}</h2><img src=\"/wp-content/uploads/t{i}.jpg\"><p>{TEXT}</p>"
                              for i in range(5)),
        "/fees-insurance/": f"<p>{TEXT * 3}</p>",
        "/new-client-intake/": intake_form("/new-client-intake/"),
        "/contact/": contact_form("/wp-admin/admin-ajax.php"),
        "/blog/": "".join(f'<article><h2><a href="/blog/post-{i}/">Post {i}</a></h2><p>{TEXT}</p></article>'
                          for i in range(4)),
        "/privacy-policy": f"<p>{TEXT * 2}</p>",
    }
    bodies.update({f"/blog/post-{i}/": f"<p>{TEXT * 10}</p>" for i in range(4)})
    routes = {path: Route(200, page(name, body, head=head, nav=nav), h) for path, body in bodies.items()}
    routes["/sitemap.xml"] = sitemap(list(bodies), origin)
    return routes


def squarespace_site(name: str) -> dict[str, Route]:
    """Ten nav pages, each with ~40 CDN images, ~12 scripts and ~60 kB of inline context JSON."""
    pages = ["/", "/about", "/approach", "/services", "/individual-therapy", "/couples-therapy",
             "/telehealth", "/rates", "/faq", "/book-a-consultation"]
    nav = [(p, p.strip("/").replace("-", " ").title() or "Home") for p in pages]
    cdn = "https://static1.squarespace.com/static/vta/5c5a519771c10ba3470d8101/scripts"
    scripts = "".join(f'<script defer src="{cdn}/chunk-{i:02d}.en-US.js"></script>' for i in range(12))
    styles = "".join(f'<link rel="stylesheet" href="{cdn}/site-{i}.css">' for i in range(4))
    context = json.dumps({"website": {"id": "5f1e", "siteTitle": name, "collections": [
        {"id": f"c{i}", "title": f"Collection {i}", "blocks": [{"type": "text", "html": TEXT} for _ in range(6)]}
        for i in range(24)]}})
    head = f'{styles}{scripts}<script>Static.SQUARESPACE_CONTEXT = {context};</script>'
    h = (("Content-Type", HTML), ("Server", "Squarespace"), ("X-Content-Type-Options", "nosniff"),
         ("Strict-Transport-Security", "max-age=0"),
         ("Set-Cookie", "crumb=BZuPjds1rcRw; Path=/; Secure"))
    routes: dict[str, Route] = {}
    for p in pages:
        images = "".join(f'<img src="https://images.squarespace-cdn.com/content/v1/5f1e/{p.strip("/") or "home"}'
                         f'-{i}.jpg?format=750w" alt="">' for i in range(40))
        body = f"<section><p>{TEXT * 3}</p>{images}</section>"
        if p == "/book-a-consultation":
            body += ('<iframe src="https://clinic-10.as.me/schedule.php" title="Booking"></iframe>'
                     + contact_form("/api/form/FormSubmissionRead"))
        routes[p] = Route(200, page(name, body, head=head, nav=nav), h)
    routes["/privacy-policy"] = Route(200, page("Privacy", f"<p>{TEXT}</p>", head=head, nav=nav), h)
    return routes


def badly_done_site(name: str, plain_origin: str) -> dict[str, Route]:
    """Weak HSTS, X-Frame-Options that allows framing, cookies without flags, http:// image and form."""
    nav = [("/", "Home"), ("/contact", "Contact")]
    h = (("Content-Type", HTML), *BAD_HEADERS)
    home = (f'<p>{TEXT * 3}</p><img src="{plain_origin}/images/logo.png" alt="logo">'
            f'<script src="{plain_origin}/js/menu.js"></script>')
    return {"/": Route(200, page(name, home, nav=nav, footer=""), h),
            "/contact": Route(200, page(name, contact_form(f"{plain_origin}/contact.php"), nav=nav, footer=""), h)}
