"""What pixels send, decoded; typed values found in the encodings scripts use."""

from __future__ import annotations

import base64
import hashlib
import json

from cyberaudit.probes.privacy.canaries import (
    Field,
    Typed,
    canary_kind,
    canary_value,
    find_leaks,
    request_texts,
)
from cyberaudit.probes.privacy.evidence import ObservedRequest
from cyberaudit.probes.privacy.pixels import decode, health_terms


def test_a_ga4_batch_carries_one_event_per_line_with_its_consent_state():
    body = b"en=page_view&dl=https%3A%2F%2Fsunny.test%2Fintake\nen=generate_lead&ep.form=intake"
    req = ObservedRequest("https://region1.google-analytics.com/g/collect?v=2&tid=G-1&gcs=G100", "ping",
                          method="POST", body=body)
    hits = decode(req)
    assert [h.event for h in hits] == ["page_view", "generate_lead"]
    assert hits[0].page_url == "https://sunny.test/intake" and hits[0].consent == "G100"
    assert hits[0].vendor == "Google Analytics 4"


def test_tiktok_json_events_name_the_hashed_email():
    email = hashlib.sha256(b"a@b.example").hexdigest()
    body = json.dumps({"event": "SubmitForm", "context": {"page": {"url": "https://sunny.test/book?reason=anxiety"},
                                                        "user": {"email": email}}}).encode()
    (hit,) = decode(ObservedRequest("https://analytics.tiktok.com/api/v2/pixel", "fetch", method="POST", body=body))
    assert hit.event == "SubmitForm" and hit.user_data == ("context.user.email",) and hit.hashed is True
    assert "anxi" in health_terms(hit.page_url or "")


def test_health_words_are_read_from_path_and_query_never_the_host():
    assert health_terms("https://anxiety-therapy.example/") == []
    assert health_terms("https://x.example/booking?reason=depression") == ["depress", "reason"]


def test_not_a_pixel_is_not_decoded():
    assert decode(ObservedRequest("https://www.facebook.com/sharer.php?u=x", "document")) == []


def test_typed_values_are_found_base64_in_json_and_md5_hashed():
    email = canary_value("email", 0)
    name = canary_value("name", 1)
    payload = json.dumps({"d": base64.b64encode(name.encode()).decode(),
                          "m": hashlib.md5(email.encode()).hexdigest()}).encode()
    sent = [ObservedRequest("https://rec.example/batch", "xhr", method="POST", body=payload)]
    typed = [Typed("mail", "email", (email,)), Typed("who", "name", (name,))]
    leaks = {(x.field, x.encoding, x.where) for x in find_leaks(typed, sent)}
    assert leaks == {("mail", "md5", "body"), ("who", "base64", "body")}


def test_a_picked_option_the_page_sent_anyway_is_not_a_leak():
    title = ObservedRequest("https://www.google-analytics.com/g/collect?en=page_view&dt=Anxiety%20help", "ping")
    sent = [ObservedRequest("https://www.google-analytics.com/g/collect?en=select&ep.c=Anxiety", "ping"),
            ObservedRequest("https://www.facebook.com/tr?ev=Lead&cd[c]=Eating%20disorders", "image")]
    typed = [Typed("concern", "health", ("anxiety", "Anxiety"), choice=True),
             Typed("other", "health", ("eating", "Eating disorders"), choice=True)]
    known = [x for r in [title] for x in request_texts(r)]
    # "Anxiety" was in the page title sent before anything was picked: proves nothing
    assert [(x.field, x.encoding) for x in find_leaks(typed, sent, known)] == [("other", "plain")]


def test_fields_get_canaries_from_type_label_and_placeholder():
    assert canary_kind(Field("q4", "What brings you here?", "textarea")) == "health"
    assert canary_kind(Field("f1", "Phone number", "text")) == "phone"
    assert canary_kind(Field("x", "", "email")) == "email"
    assert canary_kind(Field("birth", "", "date")) == "date of birth"
    assert canary_value("email", 0) != canary_value("email", 1)
