"""The tls probe: protocol versions, cipher classes and the certificate chain of one endpoint."""
