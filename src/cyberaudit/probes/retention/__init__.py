"""The retention probe: how old the files in the practice's configured folders are."""
