"""Facts and findings kept compact: they read back, and write out, exactly as the plain values would."""

from __future__ import annotations

import pickle

import pytest

from cyberaudit.compact import ENCODER, FrozenJson, frozen
from cyberaudit.packed import PackedFindings
from cyberaudit.redact import redact_result
from tests.render.sample import compacted, sample_result

FACTS = {
    "tls": {"protocols": {"tls1_0": False, "tls1_3": True}, "chain": [{"subject": "CN=lakeside.example",
                                                                       "not_after": "2027-01-31T00:00:00Z"}],
            "key_bits": 2048, "ratio": 0.1 + 0.2, "big": 2 ** 70, "nothing": None},
    "http": {"headers": {"content-security-policy": "default-src 'self'"}, "title": "Über uns — Beratung ✓",
             "cookies": [{"name": "sid", "secure": False}] * 40, "empty": {}, "none": []},
}


@pytest.mark.parametrize("value", [FACTS, {"a": 1}, {"text": "\ud800 lone surrogate"}, {"k": "x" * 5000}])
def test_reads_back_equal_and_encodes_to_the_same_text(value):
    held = FrozenJson(value)
    assert held == value and dict(held) == value
    assert ENCODER.encode(held) == ENCODER.encode(value)
    assert sorted(held) == sorted(value) and len(held) == len(value)


def test_large_values_are_stored_compressed_small_ones_as_text():
    big, small = FrozenJson(FACTS), FrozenJson({"a": 1})
    assert big.stored_bytes < len(ENCODER.encode(FACTS).encode()) / 2
    assert small.stored_bytes == len(b'{"a": 1}')


def test_each_read_is_a_fresh_copy_and_the_mapping_cannot_be_changed():
    held = FrozenJson(FACTS)
    held["tls"]["key_bits"] = 1024  # changes the copy that was read, never what is held
    assert held["tls"]["key_bits"] == 2048
    with pytest.raises(TypeError):
        held["tls"] = {}  # type: ignore[index]


def test_pickles_as_the_stored_bytes():
    held = FrozenJson(FACTS)
    again = pickle.loads(pickle.dumps(held))
    assert again == held and again.stored_bytes == held.stored_bytes


def test_empty_mapping_stays_a_dict():
    assert frozen({}) == {} and type(frozen({})) is dict


def test_a_compact_result_writes_the_same_json_and_pickles_whole():
    plain = sample_result()
    compact = compacted(plain)
    assert compact.to_json() == plain.to_json()
    assert compact.to_dict() == plain.to_dict()
    assert "".join(compact.json_chunks()) == plain.to_json()
    assert pickle.loads(pickle.dumps(compact)).to_json() == plain.to_json()


def test_redaction_reaches_into_compact_facts_and_evidence():
    plain, compact = redact_result(sample_result()), redact_result(compacted(sample_result()))
    assert compact.to_json() == plain.to_json()
    assert "jane.doe@lakeside.example" not in compact.to_json()


def test_packed_findings_read_back_equal_in_order_by_index_and_slice():
    plain = sample_result().findings
    packed = PackedFindings(plain)
    assert len(packed) == len(plain) and tuple(packed) == plain and packed == plain
    assert packed[0] == plain[0] and packed[-1] == plain[-1] and packed[3:7] == plain[3:7]
    assert [packed[i] for i in range(len(plain))] == list(plain)
    with pytest.raises(IndexError):
        packed[len(plain)]
    assert packed.rule_ids() == {f.rule_id for f in plain}
    assert pickle.loads(pickle.dumps(packed)) == plain


def test_packed_findings_hold_each_rule_text_once_and_less_than_the_json():
    plain = sample_result().findings * 50  # the same rules on many targets
    packed = PackedFindings(plain)
    assert packed == plain
    assert packed.stored_bytes < len(ENCODER.encode(list(plain))) / 5
