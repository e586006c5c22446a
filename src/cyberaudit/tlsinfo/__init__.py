"""TLS inspection used by the tls probe: handshakes, raw hellos, cipher-suite classes, chains."""
