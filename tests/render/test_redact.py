"""--redact: personal data is pseudonymised in every format, the same way in every run."""

from __future__ import annotations

import json

import pytest

from cyberaudit.redact import email_token, redact_result, token
from cyberaudit.render import FORMATS, RenderOptions
from tests.render.sample import SITE, sample_result

PERSONAL = ("jane.doe@lakeside.example", "Bob.Smith@Lakeside.example", "bob.smith@lakeside.example",
            "/home/jane", "client A.mp4", "~/Therapy", "it@lakeside.example")


def test_emails_paths_are_replaced_everywhere_in_the_result():
    r = redact_result(sample_result())
    text = r.to_json()
    for secret in PERSONAL:
        assert secret not in text, secret
    assert email_token("jane.doe@lakeside.example") in text
    # the same address in different case is the same person
    assert email_token("Bob.Smith@Lakeside.example") in text
    assert r.profile.path == "cyberaudit.yaml"
    assert r.options["redacted"] is True


def test_tokens_are_stable_across_runs_and_distinct_per_value():
    a, b = redact_result(sample_result()), redact_result(sample_result())
    assert a.to_json() == b.to_json()
    assert email_token("a@x.example") != email_token("b@x.example")
    assert email_token(" A@X.example") == email_token("a@x.example")


def test_what_is_not_personal_is_kept():
    r = redact_result(sample_result())
    assert [f.rule_id for f in r.findings] == [f.rule_id for f in sample_result().findings]
    assert [f.status for f in r.findings] == [f.status for f in sample_result().findings]
    assert r.scores == sample_result().scores
    trackers = next(f for f in r.findings if f.rule_id == "PRIV-TRACKERS-ON-FORMS").evidence
    assert trackers["privacy.form_pages"] == ["https://lakeside.example/intake"]  # URLs are not file paths
    assert next(f for f in r.findings if f.rule_id == "HTTP-COOKIE-SECURE").message == \
        "Cookie sessionid is sent without Secure."


def test_cookie_names_only_when_asked():
    r = redact_result(sample_result(), cookies=True)
    text = r.to_json()
    assert "sessionid" not in text and "csrftoken" not in text
    assert token("cookie", "sessionid") in text
    site = next(t for t in r.targets if t.id == SITE)
    assert site.facts["http"]["cookies"][0]["secure"] is False


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"pdf"}))
def test_every_format_renders_without_personal_data(fmt, tmp_path):
    from cyberaudit.render import write_report

    out = write_report(sample_result(), tmp_path / f"r.{fmt}", FORMATS[fmt],
                       RenderOptions(redact=True, redact_cookies=True))
    text = out.read_text(encoding="utf-8")
    for secret in (*PERSONAL, "sessionid"):
        assert secret not in text, f"{secret} in {fmt}"
    if fmt == "json":
        assert json.loads(text)["options"]["redacted_cookies"] is True
