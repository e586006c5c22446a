"""The mfa probe: who is enrolled in multi-factor authentication, from admin exports."""
