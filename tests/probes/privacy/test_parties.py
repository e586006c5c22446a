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
    ("insuranceProvider", None, "text", "health"),
    ("member_id", "Insurance member ID", "text", "identity"),
    ("email", None, "email", "contact"),
    ("f3", None, "tel", "contact"),
    ("agree_terms_and_conditions", None, "checkbox", None),
    ("utm_source", None, "hidden", None),
])
def test_field_kinds(name, label, type_, kind):
    assert field_kind(name, label, type_) == kind
