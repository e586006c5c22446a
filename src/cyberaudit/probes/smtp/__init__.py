"""The smtp probe: STARTTLS, certificates and DANE of a mail domain's MX hosts."""
