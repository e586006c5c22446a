"""TLS 1.0-1.2 cipher suites by IANA code point, and the classes the tls probe reports.

The table lists suites by their IANA names (https://www.iana.org/assignments/tls-parameters), so a
suite is classified from its name alone, whatever the linked OpenSSL still implements: builds of
OpenSSL 3 and later ship no RC4, DES, 3DES or EXPORT suites, yet old servers still accept them.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from functools import cache

# code point → IANA name (without the TLS_ prefix). Kerberos suites are left out: no web server
# offers them and OpenSSL dropped them long ago.
SUITES: dict[int, str] = {
    0x0001: "RSA_WITH_NULL_MD5", 0x0002: "RSA_WITH_NULL_SHA", 0x003B: "RSA_WITH_NULL_SHA256",
    0x0003: "RSA_EXPORT_WITH_RC4_40_MD5", 0x0006: "RSA_EXPORT_WITH_RC2_CBC_40_MD5",
    0x0008: "RSA_EXPORT_WITH_DES40_CBC_SHA", 0x000B: "DH_DSS_EXPORT_WITH_DES40_CBC_SHA",
    0x000E: "DH_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x0011: "DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
    0x0014: "DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x0017: "DH_anon_EXPORT_WITH_RC4_40_MD5",
    0x0019: "DH_anon_EXPORT_WITH_DES40_CBC_SHA", 0x0062: "RSA_EXPORT1024_WITH_DES_CBC_SHA",
    0x0063: "DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", 0x0064: "RSA_EXPORT1024_WITH_RC4_56_SHA",
    0x0065: "DHE_DSS_EXPORT1024_WITH_RC4_56_SHA",
    0x0004: "RSA_WITH_RC4_128_MD5", 0x0005: "RSA_WITH_RC4_128_SHA", 0x0018: "DH_anon_WITH_RC4_128_MD5",
    0x008A: "PSK_WITH_RC4_128_SHA", 0x008E: "DHE_PSK_WITH_RC4_128_SHA", 0x0092: "RSA_PSK_WITH_RC4_128_SHA",
    0xC002: "ECDH_ECDSA_WITH_RC4_128_SHA", 0xC007: "ECDHE_ECDSA_WITH_RC4_128_SHA",
    0xC00C: "ECDH_RSA_WITH_RC4_128_SHA", 0xC011: "ECDHE_RSA_WITH_RC4_128_SHA",
    0xC016: "ECDH_anon_WITH_RC4_128_SHA", 0xC033: "ECDHE_PSK_WITH_RC4_128_SHA",
    0x0009: "RSA_WITH_DES_CBC_SHA", 0x000A: "RSA_WITH_3DES_EDE_CBC_SHA", 0x000C: "DH_DSS_WITH_DES_CBC_SHA",
    0x000D: "DH_DSS_WITH_3DES_EDE_CBC_SHA", 0x000F: "DH_RSA_WITH_DES_CBC_SHA",
    0x0010: "DH_RSA_WITH_3DES_EDE_CBC_SHA", 0x0012: "DHE_DSS_WITH_DES_CBC_SHA",
    0x0013: "DHE_DSS_WITH_3DES_EDE_CBC_SHA", 0x0015: "DHE_RSA_WITH_DES_CBC_SHA",
    0x0016: "DHE_RSA_WITH_3DES_EDE_CBC_SHA", 0x001A: "DH_anon_WITH_DES_CBC_SHA",
    0x001B: "DH_anon_WITH_3DES_EDE_CBC_SHA", 0x008B: "PSK_WITH_3DES_EDE_CBC_SHA",
    0x008F: "DHE_PSK_WITH_3DES_EDE_CBC_SHA", 0x0093: "RSA_PSK_WITH_3DES_EDE_CBC_SHA",
    0xC003: "ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", 0xC008: "ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
    0xC00D: "ECDH_RSA_WITH_3DES_EDE_CBC_SHA", 0xC012: "ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    0xC017: "ECDH_anon_WITH_3DES_EDE_CBC_SHA", 0xC01A: "SRP_SHA_WITH_3DES_EDE_CBC_SHA",
    0xC01B: "SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", 0xC01C: "SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",
    0xC034: "ECDHE_PSK_WITH_3DES_EDE_CBC_SHA",
    0xC001: "ECDH_ECDSA_WITH_NULL_SHA", 0xC006: "ECDHE_ECDSA_WITH_NULL_SHA", 0xC00B: "ECDH_RSA_WITH_NULL_SHA",
    0xC010: "ECDHE_RSA_WITH_NULL_SHA", 0xC015: "ECDH_anon_WITH_NULL_SHA", 0x002C: "PSK_WITH_NULL_SHA",
    0x002D: "DHE_PSK_WITH_NULL_SHA", 0x002E: "RSA_PSK_WITH_NULL_SHA", 0x00B0: "PSK_WITH_NULL_SHA256",
    0x00B1: "PSK_WITH_NULL_SHA384", 0x00B4: "DHE_PSK_WITH_NULL_SHA256", 0x00B5: "DHE_PSK_WITH_NULL_SHA384",
    0x00B8: "RSA_PSK_WITH_NULL_SHA256", 0x00B9: "RSA_PSK_WITH_NULL_SHA384",
    0xC039: "ECDHE_PSK_WITH_NULL_SHA", 0xC03A: "ECDHE_PSK_WITH_NULL_SHA256",
    0xC03B: "ECDHE_PSK_WITH_NULL_SHA384",
    0x0034: "DH_anon_WITH_AES_128_CBC_SHA", 0x003A: "DH_anon_WITH_AES_256_CBC_SHA",
    0x006C: "DH_anon_WITH_AES_128_CBC_SHA256", 0x006D: "DH_anon_WITH_AES_256_CBC_SHA256",
    0x00A6: "DH_anon_WITH_AES_128_GCM_SHA256", 0x00A7: "DH_anon_WITH_AES_256_GCM_SHA384",
    0x0046: "DH_anon_WITH_CAMELLIA_128_CBC_SHA", 0x0089: "DH_anon_WITH_CAMELLIA_256_CBC_SHA",
    0x009B: "DH_anon_WITH_SEED_CBC_SHA", 0x00BF: "DH_anon_WITH_CAMELLIA_128_CBC_SHA256",
    0x00C5: "DH_anon_WITH_CAMELLIA_256_CBC_SHA256", 0xC018: "ECDH_anon_WITH_AES_128_CBC_SHA",
    0xC019: "ECDH_anon_WITH_AES_256_CBC_SHA",
    # CBC with HMAC-SHA1 and a sound cipher
    0x002F: "RSA_WITH_AES_128_CBC_SHA", 0x0035: "RSA_WITH_AES_256_CBC_SHA",
    0x0030: "DH_DSS_WITH_AES_128_CBC_SHA", 0x0031: "DH_RSA_WITH_AES_128_CBC_SHA",
    0x0036: "DH_DSS_WITH_AES_256_CBC_SHA", 0x0037: "DH_RSA_WITH_AES_256_CBC_SHA",
    0x0032: "DHE_DSS_WITH_AES_128_CBC_SHA", 0x0033: "DHE_RSA_WITH_AES_128_CBC_SHA",
    0x0038: "DHE_DSS_WITH_AES_256_CBC_SHA", 0x0039: "DHE_RSA_WITH_AES_256_CBC_SHA",
    0xC004: "ECDH_ECDSA_WITH_AES_128_CBC_SHA", 0xC005: "ECDH_ECDSA_WITH_AES_256_CBC_SHA",
    0xC009: "ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    0xC00E: "ECDH_RSA_WITH_AES_128_CBC_SHA", 0xC00F: "ECDH_RSA_WITH_AES_256_CBC_SHA",
    0xC013: "ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "ECDHE_RSA_WITH_AES_256_CBC_SHA",
    0x0041: "RSA_WITH_CAMELLIA_128_CBC_SHA", 0x0084: "RSA_WITH_CAMELLIA_256_CBC_SHA",
    0x0044: "DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", 0x0045: "DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
    0x0087: "DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", 0x0088: "DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
    0x0096: "RSA_WITH_SEED_CBC_SHA", 0x0099: "DHE_DSS_WITH_SEED_CBC_SHA", 0x009A: "DHE_RSA_WITH_SEED_CBC_SHA",
    0x0007: "RSA_WITH_IDEA_CBC_SHA", 0x008C: "PSK_WITH_AES_128_CBC_SHA", 0x008D: "PSK_WITH_AES_256_CBC_SHA",
    0x0090: "DHE_PSK_WITH_AES_128_CBC_SHA", 0x0091: "DHE_PSK_WITH_AES_256_CBC_SHA",
    0x0094: "RSA_PSK_WITH_AES_128_CBC_SHA", 0x0095: "RSA_PSK_WITH_AES_256_CBC_SHA",
    0xC035: "ECDHE_PSK_WITH_AES_128_CBC_SHA", 0xC036: "ECDHE_PSK_WITH_AES_256_CBC_SHA",
    0xC01D: "SRP_SHA_WITH_AES_128_CBC_SHA", 0xC01E: "SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
    0xC01F: "SRP_SHA_DSS_WITH_AES_128_CBC_SHA", 0xC020: "SRP_SHA_WITH_AES_256_CBC_SHA",
    0xC021: "SRP_SHA_RSA_WITH_AES_256_CBC_SHA", 0xC022: "SRP_SHA_DSS_WITH_AES_256_CBC_SHA",
    # key exchange without forward secrecy, with sound ciphers and MACs
    0x003C: "RSA_WITH_AES_128_CBC_SHA256", 0x003D: "RSA_WITH_AES_256_CBC_SHA256",
    0x009C: "RSA_WITH_AES_128_GCM_SHA256", 0x009D: "RSA_WITH_AES_256_GCM_SHA384",
    0xC09C: "RSA_WITH_AES_128_CCM", 0xC09D: "RSA_WITH_AES_256_CCM", 0xC0A0: "RSA_WITH_AES_128_CCM_8",
    0xC0A1: "RSA_WITH_AES_256_CCM_8", 0x00BA: "RSA_WITH_CAMELLIA_128_CBC_SHA256",
    0x00C0: "RSA_WITH_CAMELLIA_256_CBC_SHA256", 0xC03C: "RSA_WITH_ARIA_128_CBC_SHA256",
    0xC03D: "RSA_WITH_ARIA_256_CBC_SHA384", 0xC050: "RSA_WITH_ARIA_128_GCM_SHA256",
    0xC051: "RSA_WITH_ARIA_256_GCM_SHA384", 0x003E: "DH_DSS_WITH_AES_128_CBC_SHA256",
    0x003F: "DH_RSA_WITH_AES_128_CBC_SHA256", 0x0068: "DH_DSS_WITH_AES_256_CBC_SHA256",
    0x0069: "DH_RSA_WITH_AES_256_CBC_SHA256", 0x00A0: "DH_RSA_WITH_AES_128_GCM_SHA256",
    0x00A1: "DH_RSA_WITH_AES_256_GCM_SHA384", 0x00A4: "DH_DSS_WITH_AES_128_GCM_SHA256",
    0x00A5: "DH_DSS_WITH_AES_256_GCM_SHA384", 0xC025: "ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
    0xC026: "ECDH_ECDSA_WITH_AES_256_CBC_SHA384", 0xC029: "ECDH_RSA_WITH_AES_128_CBC_SHA256",
    0xC02A: "ECDH_RSA_WITH_AES_256_CBC_SHA384", 0xC02D: "ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
    0xC02E: "ECDH_ECDSA_WITH_AES_256_GCM_SHA384", 0xC031: "ECDH_RSA_WITH_AES_128_GCM_SHA256",
    0xC032: "ECDH_RSA_WITH_AES_256_GCM_SHA384", 0x00A8: "PSK_WITH_AES_128_GCM_SHA256",
    0x00A9: "PSK_WITH_AES_256_GCM_SHA384", 0x00AE: "PSK_WITH_AES_128_CBC_SHA256",
    0x00AF: "PSK_WITH_AES_256_CBC_SHA384", 0x00AC: "RSA_PSK_WITH_AES_128_GCM_SHA256",
    0x00AD: "RSA_PSK_WITH_AES_256_GCM_SHA384", 0x00B6: "RSA_PSK_WITH_AES_128_CBC_SHA256",
    0x00B7: "RSA_PSK_WITH_AES_256_CBC_SHA384", 0xCCAB: "PSK_WITH_CHACHA20_POLY1305_SHA256",
    0xCCAE: "RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
}

# The classes TLS-CIPHER-WEAK reads (NIST SP 800-52r2 §3.3.1 and RFC 7465 forbid all of them).
WEAK_CLASSES: tuple[str, ...] = ("null", "export", "anon", "rc4", "des")
CLASSES: tuple[str, ...] = (*WEAK_CLASSES, "cbc_sha1", "no_forward_secrecy")

# Key exchanges with a long-term key: recorded traffic can be decrypted once that key leaks.
_STATIC_KEX = ("RSA", "DH_DSS", "DH_RSA", "ECDH_ECDSA", "ECDH_RSA", "PSK", "RSA_PSK", "SRP_SHA",
               "SRP_SHA_RSA", "SRP_SHA_DSS")


def parts(name: str) -> tuple[str, str, str]:
    """(key exchange, bulk cipher, MAC) of an IANA suite name."""
    kex, _, rest = name.partition("_WITH_")
    cipher, _, mac = rest.rpartition("_")
    if mac in ("8",) or cipher.endswith("_CCM") or mac == "CCM":
        cipher, mac = rest, "AEAD"
    return kex, cipher, mac


@cache
def classes_of(name: str) -> frozenset[str]:
    """Every class a suite belongs to (a suite may sit in several: DH_anon + RC4)."""
    kex, cipher, mac = parts(name)
    out: set[str] = set()
    if cipher == "NULL":
        out.add("null")
    if "EXPORT" in kex:
        out.add("export")
    if "anon" in kex:
        out.add("anon")
    if "RC4" in cipher:
        out.add("rc4")
    if "DES" in cipher:
        out.add("des")
    if not out and "CBC" in cipher and mac == "SHA":
        out.add("cbc_sha1")
    if kex.split("_EXPORT")[0] in _STATIC_KEX or kex.startswith("RSA_EXPORT"):
        out.add("no_forward_secrecy")
    return frozenset(out)


def suites_in(cls: str) -> list[int]:
    """Code points of the class, in table order."""
    return list(_suites_in(cls))


@cache
def _suites_in(cls: str) -> tuple[int, ...]:
    return tuple(code for code, name in SUITES.items() if cls in classes_of(name))


def suites_in_any(classes: Iterable[str]) -> list[int]:
    return list(_suites_in_any(frozenset(classes)))


@cache
def _suites_in_any(wanted: frozenset[str]) -> tuple[int, ...]:
    return tuple(code for code, name in SUITES.items() if wanted & classes_of(name))


def name_of(code: int) -> str:
    return "TLS_" + SUITES[code] if code in SUITES else f"0x{code:04X}"


# OpenSSL's key-exchange labels (ssl.SSLContext.get_ciphers) that give forward secrecy
_FS_KEA = frozenset({"kx-ecdhe", "kx-dhe", "kx-any", "kx-ecdhe-psk", "kx-dhe-psk"})


@cache
def _openssl_table() -> dict[str, tuple[int, str]]:
    """OpenSSL suite name → (IANA code point, key-exchange label), for every suite OpenSSL knows."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    return {c["name"]: (c["id"] & 0xFFFF, c.get("kea") or "") for c in ctx.get_ciphers()}


@cache
def classes_of_openssl(name: str) -> frozenset[str] | None:
    """The classes of a suite given by its OpenSSL name (what a handshake reports); None if unknown.

    TLS 1.3 suites belong to no class. A suite outside the table above is sound; it lacks forward
    secrecy only when its key exchange is a static one (a few PSK suites).
    """
    if name.startswith("TLS_"):
        return frozenset()
    found = _openssl_table().get(name)
    if found is None:
        return None
    code, kea = found
    if code in SUITES:
        return classes_of(SUITES[code])
    return frozenset() if kea in _FS_KEA else frozenset({"no_forward_secrecy"})
