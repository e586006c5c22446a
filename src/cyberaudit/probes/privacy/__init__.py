"""The privacy probe: third-party trackers, session recorders, ad pixels and where forms send data."""
