"""Static-mode figures on the 43-page small-practice corpus: tracker recall and precision, forms, health forms.

Run: PYTHONPATH=src python benchmarks/privacy_corpus.py
The pages and their truth are tests/probes/privacy/corpus/; each page is analysed as the static scan
reads it (the served HTML), with no network at all.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.probes.privacy.corpus.pages import PAGES  # noqa: E402
from tests.probes.privacy.corpus.score import score  # noqa: E402

from cyberaudit.probes.privacy.analysis import analyse  # noqa: E402
from cyberaudit.probes.privacy.evidence import PageEvidence  # noqa: E402
from cyberaudit.probes.privacy.parties import Parties  # noqa: E402
from cyberaudit.probes.privacy.trackerdb import builtin_database  # noqa: E402


def main() -> None:
    db = builtin_database()
    parties = Parties.for_site(["corpus.test"], [])
    hit = missed = extra = forms = forms_truth = health = health_truth = 0
    start = time.perf_counter()
    for page in PAGES:
        url = f"https://corpus.test/{page.name}"
        facts = analyse([PageEvidence(f"/{page.name}", url, url, 200, page.html)], db, parties, "static").facts
        r = score(page, facts)
        hit, missed, extra = hit + len(r.found), missed + len(r.missed), extra + len(r.extra)
        forms += min(r.forms, page.forms)
        forms_truth += page.forms
        health += min(r.health_forms, page.health_forms)
        health_truth += page.health_forms
        if r.missed or r.extra or r.forms != page.forms or r.health_forms != page.health_forms:
            print(f"  {page.name}: missed {sorted(r.missed)} extra {sorted(r.extra)} "
                  f"forms {r.forms}/{page.forms} health {r.health_forms}/{page.health_forms}")
    took = time.perf_counter() - start
    print(f"pages {len(PAGES)}, trackers shown {hit + missed}, forms {forms_truth}, health forms {health_truth}")
    print(f"tracker recall {hit / (hit + missed):.3f}, product precision {hit / max(1, hit + extra):.3f}")
    print(f"forms listed {forms}/{forms_truth}, health forms recognised {health}/{health_truth}")
    print(f"embedded forms (fields not in the HTML, not counted): {sum(p.embedded_forms for p in PAGES)}")
    print(f"analysis time {took * 1000:.0f} ms for {len(PAGES)} pages")


if __name__ == "__main__":
    main()
