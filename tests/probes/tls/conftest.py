"""Fixtures of the tls tests: a test CA, an intermediate, a trust bundle and good leaf certificates."""

from __future__ import annotations

from pathlib import Path

import pytest
from tls_servers import HOST

from cyberaudit import packs
from cyberaudit.demo import certs
from cyberaudit.resources import builtin_rules_dir


@pytest.fixture(scope="session")
def ca() -> certs.Issued:
    return certs.make_ca("Lakeside Test Root CA")


@pytest.fixture(scope="session")
def intermediate(ca: certs.Issued) -> certs.Issued:
    return certs.issue(ca, [], is_ca=True, common_name="Lakeside Test Intermediate CA")


@pytest.fixture(scope="session")
def bundle(ca: certs.Issued, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trust") / "ca.pem"
    path.write_bytes(ca.cert_pem)
    return path


@pytest.fixture(scope="session")
def good(intermediate: certs.Issued) -> certs.Issued:
    """A leaf for HOST issued by the intermediate; fullchain_pem serves the intermediate too."""
    return certs.issue(intermediate, [HOST], days=200)


@pytest.fixture(scope="session")
def rsa_good(ca: certs.Issued) -> certs.Issued:
    return certs.issue(ca, [HOST], key_type="rsa", key_size=2048, days=200)


@pytest.fixture(scope="session")
def tls_pack() -> packs.Pack:
    return packs.load_pack(builtin_rules_dir() / "tls.yaml", builtin=True)
