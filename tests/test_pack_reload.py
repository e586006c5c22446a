"""A pack loaded once is reused only while its file is unchanged: an edited pack is read again."""

from __future__ import annotations

import pytest

from cyberaudit.errors import InputError
from cyberaudit.packs import load_pack

PACK = """pack: custom
version: 1.0.0
title: Custom rules
rules:
  - id: CUSTOM-BAA
    title: {title}
    category: encryption
    severity: {severity}
    scope: platform
    probe: declared
    check: {{fact: declared.baa_signed, equals: true}}
    rationale: Why.
    remediation: What.
    references: [HIPAA 45 CFR 164.308(b)]
"""


def test_an_edited_pack_is_read_again(tmp_path):
    path = tmp_path / "custom.yaml"
    path.write_text(PACK.format(title="A BAA is signed", severity="high"), encoding="utf-8")
    first = load_pack(path)
    assert load_pack(path) is first  # unchanged: the same pack, not parsed again
    path.write_text(PACK.format(title="A BAA is signed", severity="low"), encoding="utf-8")
    second = load_pack(path)
    assert second.rules[0].model.severity == "low"
    assert second.digest != first.digest


def test_a_pack_broken_after_loading_is_an_error_not_the_old_pack(tmp_path):
    path = tmp_path / "custom.yaml"
    path.write_text(PACK.format(title="A BAA is signed", severity="high"), encoding="utf-8")
    load_pack(path)
    path.write_text(PACK.format(title="A BAA is signed", severity="urgent"), encoding="utf-8")
    with pytest.raises(InputError):
        load_pack(path)
    path.unlink()
    with pytest.raises(InputError):
        load_pack(path)
