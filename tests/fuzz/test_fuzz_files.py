"""Property-based fuzzing of every reader of user-named files: a valid load or a clean InputError.

A few thousand cases in all, deterministic (derandomize) so CI is stable; benchmarks/fuzz_inputs.py
runs many more, randomly.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as S
from tests.fuzz import targets as T
from tests.render.sample import sample_result

# CYBERAUDIT_FUZZ_SCALE=10 runs ten times as many cases
SCALE = float(os.environ.get("CYBERAUDIT_FUZZ_SCALE", "1"))


def n(count: int) -> int:
    return max(1, int(count * SCALE))


FAST = settings(max_examples=n(400), deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
SLOW = settings(FAST, max_examples=n(60))

RESULT = sample_result().to_dict()
RESULT_KEYS = sorted({k for f in RESULT["findings"] for k in f} | set(RESULT))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def test_the_bases_are_valid(folder):
    import yaml

    assert T.check_profile(folder, yaml.safe_dump(T.PROFILE)) == "loaded"
    assert T.check_pack(folder, yaml.safe_dump(T.PACK)) == "loaded"
    assert T.check_result(folder, json.dumps(RESULT), render=True) == "loaded"


def test_profile_loader(folder):
    @FAST
    @given(S.yaml_inputs(T.PROFILE, T.PROFILE_KEYS))
    def run(text):
        T.check_profile(folder, text)
    run()


def test_pack_loader(folder):
    @FAST
    @given(S.yaml_inputs(T.PACK, T.PACK_KEYS))
    def run(text):
        T.check_pack(folder, text)
    run()


def test_result_reader(folder):
    @FAST
    @given(S.json_inputs(RESULT, RESULT_KEYS))
    def run(text):
        T.check_result(folder, text)
    run()


def test_results_that_load_render_in_every_format(folder):
    @SLOW
    @given(S.same_type_mutated(RESULT).map(json.dumps))
    def run(text):
        T.check_result(folder, text, render=True)
    run()


LIST_TEXT = {
    "domains": "# trackers\ntracker.example\n0.0.0.0 ads.example\n*.pixel.example\n",
    "adblock": "! Title: Test\n! Version: 1\n||tracker.example^\n||ads.example^$third-party\n@@||ok.example^\n",
    "disconnect": json.dumps({"license": "CC", "categories": {"Advertising": [
        {"Ads Inc": {"https://ads.example/": ["ads.example", "ads2.example"]}}]}}, indent=1),
}


@pytest.mark.parametrize("fmt", sorted(LIST_TEXT))
def test_tracker_list_readers(folder, fmt):
    @settings(FAST, max_examples=n(150))
    @given(st.one_of(S.text_mutations(LIST_TEXT[fmt]), st.text(max_size=300)))
    def run(text):
        T.check_tracker_list(folder, text, fmt)
    run()


EXPORTS = {
    "google_workspace": "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],"
                        "2sv Enrolled [READ ONLY],Admin role\nAna,B,ana@lakeside.example,Active,True,Super Admin\n"
                        "Bo,C,bo@lakeside.example,Suspended,False,\n",
    "entra": "userPrincipalName,userDisplayName,isMfaCapable,isAdmin,userType\n"
             "ana@lakeside.example,Ana,True,True,member\nguest@x.example,G,False,False,guest\n",
    "csv": "Mail;MFA;Role\nana@lakeside.example;yes;admin\nbo@lakeside.example;no;\n",
}
BYTES = st.one_of(st.binary(max_size=300), st.sampled_from([b"\xff\xfe" + "a,b\n".encode("utf-16-le") + b"\x00",
                                                           b"\xfe\xff\x00", b"a\x00b,c\n"]))


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_mfa_export_readers(folder, fmt):
    @settings(FAST, max_examples=n(150))
    @given(st.one_of(S.text_mutations(EXPORTS[fmt]).map(lambda t: t.encode("utf-8", "surrogatepass")), BYTES,
                     S.text_mutations(EXPORTS[fmt]).map(lambda t: t.encode("utf-16", "surrogatepass"))))
    def run(data):
        T.check_mfa_export(folder, data, fmt)
    run()
