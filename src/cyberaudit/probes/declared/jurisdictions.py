"""Default minimum retention periods for clinical records, by the profile's jurisdiction.

These are defaults, not legal advice: the RET-POLICY-MINIMUM rule takes one parameter per
jurisdiction (min_years_us, min_years_eu, ...) so a practice can set its own state's or country's rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionMinimum:
    """A default minimum for keeping clinical records and where the figure comes from."""

    years: float
    source: str


RETENTION_MINIMUMS: dict[str, RetentionMinimum] = {
    "US": RetentionMinimum(6, "HIPAA 45 CFR 164.316(b)(2)(i): documentation kept 6 years; many states "
                              "require longer for the clinical record itself"),
    "EU": RetentionMinimum(10, "no EU-wide period; 10 years follows Germany's BGB §630f(3) for patient "
                               "records (France and the Netherlands require 20): set min_years_eu for "
                               "your member state"),
    "UK": RetentionMinimum(8, "NHS England Records Management Code of Practice 2021: adult health "
                              "records 8 years after the last contact (mental-health services in the NHS "
                              "keep 20)"),
    "CA": RetentionMinimum(10, "Ontario's College of Registered Psychotherapists and College of "
                               "Psychologists: 10 years after the last contact; other provinces differ"),
    "AU": RetentionMinimum(7, "Psychology Board of Australia and state health-records laws (e.g. NSW "
                              "Health Records and Information Privacy Act 2002 s25): 7 years after the "
                              "last contact for adults"),
    "other": RetentionMinimum(6, "no jurisdiction given: the US federal floor of 6 years is used; set "
                                 "min_years_other to your local rule"),
}


def retention_minimum(jurisdiction: str) -> RetentionMinimum:
    """The default minimum for a jurisdiction code (unknown codes use 'other')."""
    return RETENTION_MINIMUMS.get(jurisdiction, RETENTION_MINIMUMS["other"])
