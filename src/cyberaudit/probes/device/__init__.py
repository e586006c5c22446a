"""The device probe: disk encryption, screen lock and updates of the computer the scan runs on."""
