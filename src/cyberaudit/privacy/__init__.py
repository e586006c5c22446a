"""Third-party tracker detection: the tracker database, user lists, party rules, page analysis."""
