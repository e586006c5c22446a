"""The declared probe: what the profile says about platforms and controls no network probe can see."""
