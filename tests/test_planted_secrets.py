"""Secrets a site puts in its own URLs, cookies, hidden fields and headers never reach a report.

A loopback practice plants a different secret in every place a server controls: the query strings
of pages, scripts, images, pixels, form actions, links and redirects (absolute, relative and
query-only), cookie values, hidden inputs and response headers. The real CLI scans it and writes
every report format, the terminal output and the history folder; each secret is looked for in all
of them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cyberaudit.demo import certs
from cyberaudit.demo.http_server import HttpServer, Route, server_context
from tests.conftest import CliRun, run_cli_subprocess

HOST = "www.practice.example"
SITE = f"https://{HOST}/"


def _secret(place: str) -> str:
    # letters and digits only: the same in JSON, HTML, XML, CSV, URLs and PDF text
    return "zq" + re.sub(r"[^a-z0-9]", "", place.lower()) + "x7k2"


PLACES = (
    "redirect_query", "redirect_cookie", "page_query_relative", "page_query_only", "script_tracker",
    "script_mixed", "image_mixed", "image_signed_sig", "image_signed_cred", "pixel_id", "pixel_data",
    "form_insecure", "form_third_party", "formaction", "hidden_input", "hidden_input_form2",
    "link_policy", "iframe", "stylesheet", "cookie_value", "cookie_value_host", "cookie_value_plain",
    "auth_echo", "auth_header", "www_authenticate", "csp_report", "csp_relative", "reporting_endpoint",
    "link_header", "error_page_query", "http_redirect_query", "http_redirect_cookie", "securitytxt_query",
    "securitytxt_contact", "fragment", "userinfo", "matrix_param", "inline_xhr", "noscript_pixel",
    "srcset", "video_poster", "meta_refresh", "js_cookie", "local_storage_value", "link_third_party",
    "refresh_header",
)
SECRETS = {place: _secret(place) for place in PLACES}
S = SECRETS


def _headers(*extra: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Strict-Transport-Security", "max-age=31536000"),
        ("Content-Security-Policy", f"default-src 'self'; report-uri https://csp.report.example/r?token="
                                    f"{S['csp_report']} /csp?key={S['csp_relative']}"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Reporting-Endpoints", f'default="https://reports.example/up?key={S["reporting_endpoint"]}"'),
        ("Link", f"<https://cdn.example/a.js?token={S['link_header']}>; rel=preload"),
        ("Refresh", f"3600; url=/home?session={S['refresh_header']}"),
        ("X-Echo-Authorization", f"Bearer {S['auth_echo']}"),
        ("Authorization", f"Bearer {S['auth_header']}"),
        ("WWW-Authenticate", f'Bearer realm="x", error="{S["www_authenticate"]}"'),
        ("Set-Cookie", f"session={S['cookie_value']}; Path=/; Secure; HttpOnly; SameSite=Lax"),
        ("Set-Cookie", f"__Host-pref={S['cookie_value_host']}; Path=/; Secure"),
        *extra,
    )


HOME = f"""<!doctype html><html><head><title>Lakeside Counseling</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1&token={S['script_tracker']}"></script>
<script src="http://cdn.practice.example/app.js?key={S['script_mixed']}"></script>
<link rel="stylesheet" href="https://fonts.example.net/css?family=Lato&key={S['stylesheet']}">
<script>fetch('/api/ping?token={S['inline_xhr']}');
document.cookie = "jsc={S['js_cookie']}; path=/";
try {{ localStorage.setItem("prefs", "{S['local_storage_value']}"); }} catch (e) {{}}</script>
<meta http-equiv="refresh" content="3600; url=/home?session={S['meta_refresh']}">
</head><body>
<img src="http://img.practice.example/p.png?sig={S['image_mixed']}">
<img src="https://bucket.s3.amazonaws.com/o.png?X-Amz-Signature={S['image_signed_sig']}&X-Amz-Credential={S['image_signed_cred']}">
<img src="https://www.facebook.com/tr?id={S['pixel_id']}&ev=PageView&ud[em]={S['pixel_data']}">
<noscript><img src="https://px.ads.linkedin.com/collect/?pid=1&fmt=gif&sec={S['noscript_pixel']}"></noscript>
<iframe src="https://www.youtube.com/embed/x?token={S['iframe']}"></iframe>
<img srcset="http://img.practice.example/a.png?sig={S['srcset']} 2x">
<video poster="https://www.google-analytics.com/collect?tid={S['video_poster']}"></video>
<a href="https://partner.example/offer?token={S['link_third_party']}">Partner</a>
<img src="https://user:{S['userinfo']}@static.practice.example/logo.png">
<img src="/img;jsessionid={S['matrix_param']}/logo.png">
<a href="/privacy?ref={S['link_policy']}#t={S['fragment']}">Privacy policy</a>
<form action="http://forms.practice.example/send?key={S['form_insecure']}" method="post">
  <input type="hidden" name="csrf" value="{S['hidden_input']}">
  <label for="e">E-mail</label><input id="e" name="email" type="email">
  <button type="submit" formaction="https://www.practice.example/alt?sig={S['formaction']}">Send</button>
</form>
<form action="https://forms.thirdparty.example/submit?token={S['form_third_party']}" method="post">
  <input type="hidden" name="state" value="{S['hidden_input_form2']}">
  <label for="d">Diagnosis</label><input id="d" name="diagnosis">
</form>
</body></html>"""

INTAKE = """<!doctype html><html><head><title>Intake</title></head><body><p>Intake</p></body></html>"""


def security_txt() -> str:
    return (f"Contact: https://www.practice.example/report?token={S['securitytxt_contact']}\n"
            "Expires: 2099-01-01T00:00:00Z\n")


def https_routes() -> dict[str, Route]:
    redirect = (("Location", f"/home?session={S['redirect_query']}"),
                ("Set-Cookie", f"redir={S['redirect_cookie']}; Path=/; Secure"))
    return {
        "/": Route(302, "", redirect),
        "/home": Route(200, HOME, _headers()),
        "/intake": Route(301, "", (("Location", f"/intake/form?s={S['page_query_relative']}"),)),
        "/intake/form": Route(302, "", (("Location", f"?step=2&t={S['page_query_only']}"),)),
        "/missing": Route(302, "", (("Location", f"/gone?session={S['error_page_query']}"),)),
        "/gone": Route(404, "gone", (("Content-Type", "text/plain"),)),
        "/.well-known/security.txt": Route(302, "", (("Location", f"/sec.txt?token={S['securitytxt_query']}"),)),
        "/sec.txt": Route(200, security_txt(), (("Content-Type", "text/plain; charset=utf-8"),)),
    }


def _intake_form(path: str, headers: object) -> Route:
    if "step=2" in path:
        return Route(200, INTAKE, _headers())
    return https_routes()["/intake/form"]


def plain_routes() -> dict[str, Route]:
    return {"/": Route(301, "", (("Location", f"https://{HOST}/?utm={S['http_redirect_query']}"),
                                 ("Set-Cookie", f"plain={S['http_redirect_cookie']}; Path=/"),
                                 ("Set-Cookie", f"p2={S['cookie_value_plain']}")))}


@dataclass
class Practice:
    profile: Path
    ca_file: Path
    https_port: int
    plain_port: int


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    root = tmp_path_factory.mktemp("secrets")
    ca = certs.make_ca()
    leaf = certs.issue(ca, [HOST, "practice.example"])
    ca_file = root / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    routes: dict = https_routes()
    routes["/intake/form"] = _intake_form
    tls = HttpServer(routes=routes, tls=server_context(leaf.fullchain_pem, leaf.key_pem)).start()
    plain = HttpServer(routes=plain_routes()).start()
    profile = root / "clinic" / "cyberaudit.yaml"
    profile.parent.mkdir()
    profile.write_text(f"""practice:
  name: Lakeside Counseling
targets:
  websites:
    - url: {SITE}
      pages: [/, /intake, /missing]
""", encoding="utf-8")
    yield Practice(profile, ca_file, tls.port, plain.port)
    tls.stop()
    plain.stop()


OUTPUTS = ("r.json", "r.html", "r.md", "r.sarif", "r.csv", "r.junit.xml")


@dataclass
class Scanned:
    run: CliRun
    files: list[Path]
    history: Path
    result: dict


def _scan(practice: Practice, out: Path, *extra: str) -> Scanned:
    files = [out / name for name in OUTPUTS]
    if shutil.which("pdftotext") and _pdf_browser():
        files.append(out / "r.pdf")
    run = run_cli_subprocess(
        "scan", "-p", str(practice.profile), "-v", "--timeout", "30",
        "--connect-to", f"{HOST}:443:127.0.0.1:{practice.https_port}",
        "--connect-to", f"{HOST}:80:127.0.0.1:{practice.plain_port}",
        "--ca-bundle", str(practice.ca_file), "--history", str(out / "history"), *extra,
        *[a for f in files for a in ("-o", str(f))], env={"NO_COLOR": "1"}, timeout=300)
    assert run.code in (0, 1), run.err
    return Scanned(run, files, out / "history", json.loads((out / "r.json").read_text()))


def _pdf_browser() -> bool:
    from cyberaudit.errors import InputError
    from cyberaudit.render.pdf import find_chromium

    try:
        find_chromium()
    except InputError:
        return False
    return True


def _texts(scan: Scanned) -> dict[str, str]:
    texts = {"terminal": scan.run.out + "\n" + scan.run.err}
    for f in scan.files:
        if f.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(f), "-"], capture_output=True, timeout=60).stdout.decode()
            texts["pdf"] = re.sub(r"\s+", "", text)  # long addresses wrap across lines
        else:
            texts[f.name] = f.read_text(encoding="utf-8")
    for i, saved in enumerate(sorted(scan.history.rglob("*"))):
        if saved.is_file():
            texts[f"history/{saved.name}#{i}"] = saved.read_text(encoding="utf-8")
    return texts


def leaks(texts: dict[str, str]) -> dict[str, list[str]]:
    """Output name → the planted places whose secret it contains."""
    found: dict[str, list[str]] = {}
    for name, text in texts.items():
        lowered = text.lower()
        hits = [place for place, secret in SECRETS.items() if secret in lowered]
        if hits:
            found[name] = hits
    return found


def _website(result: dict) -> dict:
    return next(t for t in result["targets"] if t["kind"] == "website")["facts"]


@pytest.fixture(scope="module")
def static_scan(practice: Practice, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    return _scan(practice, tmp_path_factory.mktemp("static"))


def test_no_planted_secret_in_any_report_terminal_or_history(static_scan: Scanned) -> None:
    http, privacy = _website(static_scan.result)["http"], _website(static_scan.result)["privacy"]
    # the scan really saw every planted place: the pages, the redirects, the forms and the cookies
    assert {p["page"]: p["ok"] for p in http["pages"]} == {"/": True, "/intake": True, "/missing": False}
    assert {c["name"] for c in http["cookies"]} >= {"session", "__Host-pref", "redir", "plain", "p2"}
    assert len(http["insecure_forms"]) == 1 and http["mixed_content"]
    assert http["redirect"]["chain"][0]["location"].startswith(f"https://{HOST}/?utm=")
    assert {"Google", "Meta"} <= {t["company"] for t in privacy["trackers"]}
    assert any(f["third_party"] for f in privacy["forms"])
    assert privacy["privacy_policy"]["present"] is True

    texts = _texts(static_scan)
    assert any(name.startswith("history/") for name in texts) and "terminal" in texts
    found = leaks(texts)
    print("LEAKS", {k: len(v) for k, v in found.items()}, sorted({p for v in found.values() for p in v}))
    assert found == {}


def test_query_names_are_kept_and_values_replaced(static_scan: Scanned) -> None:
    http, privacy = _website(static_scan.result)["http"], _website(static_scan.result)["privacy"]
    assert http["final_url"] == f"https://{HOST}/home?session=…"
    assert http["redirect"]["chain"][0]["location"] == f"https://{HOST}/?utm=…"
    assert http["insecure_forms"][0]["action"] == "http://forms.practice.example/send?key=…"
    pixel = next(t for t in privacy["trackers"] if t["product"] == "Meta Pixel")
    assert pixel["evidence"] == "https://www.facebook.com/tr?id=…&ev=…&ud[em]=…"
    assert privacy["privacy_policy"]["url"] == f"https://{HOST}/privacy?ref=…#…"


@pytest.mark.browser
def test_browser_scan_leaks_no_planted_secret(practice: Practice, tmp_path: Path) -> None:
    from cyberaudit.probes.privacy.browser import chromium_path

    if chromium_path() is None:
        pytest.skip("no Chromium installed")
    scan = _scan(practice, tmp_path, "--browser")
    privacy = _website(scan.result)["privacy"]
    assert privacy["mode"] == "browser"
    assert any(p["requests"] for p in privacy["pages"])
    found = leaks(_texts(scan))
    print("LEAKS", {k: len(v) for k, v in found.items()}, sorted({p for v in found.values() for p in v}))
    assert found == {}
