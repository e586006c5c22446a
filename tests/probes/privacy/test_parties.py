"""First party, processor or third party, on registrable domains; and sensitive form fields."""

from __future__ import annotations

import pytest

from cyberaudit.probes.privacy.formfields import field_kind
from cyberaudit.probes.privacy.parties import Parties, registrable_domain
from cyberaudit.profile import Platform


@pytest.mark.parametrize("host, expected", [
    ("www.lakeside.example", "lakeside.example"),
    ("intake.lakeside.co.uk", "lakeside.co.uk"),
    ("lakeside.github.io", "lakeside.github.io"),
    ("connect.facebook.net", "facebook.net"),
    ("127.0.0.1", "127.0.0.1"),
    ("WWW.Lakeside.Example.", "lakeside.example"),
])
def test_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


def test_parties():
    parties = Parties.for_site(["www.lakeside.co.uk"], [Platform(name="SimplePractice", domains=["simplepractice.com"])])
    assert parties.classify("lakeside.co.uk") == "first"
    assert parties.classify("cdn.lakeside.co.uk") == "first"
    assert parties.classify("other.co.uk") == "third"
    assert parties.classify("secure.simplepractice.com") == "processor"
    assert parties.classify("notsimplepractice.com") == "third"
    github = Parties.for_site(["lakeside.github.io"], [])
    assert github.classify("tracker.github.io") == "third"  # github.io is a public suffix


@pytest.mark.parametrize("name, label, type_, kind", [
    ("q7", "What symptoms are you experiencing?", "textarea", "health"),
    ("current_medications", None, "text", "health"),
    ("reasonForVisit", None, "text", "health"),
    ("date_of_birth", None, "date", "identity"),
    ("ssn", None, "text", "identity"),
    ("insuranceProvider", None, "text", "identity"),  # who pays, not what the visitor's health is
    ("member_id", "Insurance member ID", "text", "identity"),
    ("email", None, "email", "contact"),
    ("f3", None, "tel", "contact"),
    ("agree_terms_and_conditions", None, "checkbox", None),
    ("utm_source", None, "hidden", None),
])
def test_field_kinds(name, label, type_, kind):
    assert field_kind(name, label, type_) == kind


@pytest.mark.parametrize("label, type_, options, context, kind", [
    (None, "select", ("Anxiety & panic", "Depression", "Eating disorders"), "I'd like help with", "health"),
    ("Anxiety & panic", "checkbox", (), None, "health"),
    ("Type here", "textarea", (), "What brings you here?", "health"),
    (None, "textarea", (), "What\u2019s going on?", "health"),
    ("Reason for visit", "text", (), None, "health"),
    ("Describe your symptoms", "textarea", (), None, "health"),
    ("Message", "textarea", (), "Send us a note", None),
    # a consent or marketing choice is never a health question, whatever was asked before it
    ("I agree to receive text messages (SMS) about my appointments", "checkbox", (), "Describe your symptoms", None),
    ("Sign me up for the newsletter", "checkbox", (), "What brings you here?", None),
    ("How did you hear about us?", "select", ("Doctor referral", "Psychology Today"), None, None),
    # a question before a labelled one-line field is that field's own business
    ("Email", "email", (), "What brings you here?", "contact"),
    ("Address", "text", (), None, "contact"),  # "address" does not hold the stem "stress"
])
def test_health_questions_from_options_context_and_labels(label, type_, options, context, kind):
    assert field_kind("", label, type_, options, context) == kind
