"""Parsers for what web servers send: security headers, cookies, security.txt, and site identity."""
