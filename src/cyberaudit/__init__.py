"""cyberaudit: privacy and security compliance scanner for therapy practices."""

__version__ = "0.1.0"
