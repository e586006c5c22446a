"""The safeguards probe: the practice's own policies, as declared, with their documents and review dates."""
