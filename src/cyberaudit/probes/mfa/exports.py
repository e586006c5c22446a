"""Reading admin-console user exports (Google Workspace, Microsoft Entra, any CSV) for MFA coverage.

Column names come from the vendors' own exports (see docs/mfa.md for the sources). Headers are
matched without regard to case, spacing or Google's "[READ ONLY]" style suffixes, so the console
download, the API property names and a spreadsheet saved again by Excel all read the same way.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.errors import InputError
from cyberaudit.messages import shown as quoted
from cyberaudit.userfiles import read_user_bytes

MAX_EXPORT_BYTES = 50 * 1024 * 1024


# English as the consoles write it, plus the yes/no of spreadsheets saved in other languages
_TRUE = {"true", "yes", "y", "1", "on", "enrolled", "registered", "capable", "enabled", "active", "x",
         "ja", "oui", "si", "wahr", "vrai"}
_FALSE = {"false", "no", "n", "0", "off", "notenrolled", "notregistered", "notcapable", "disabled",
          "notenabled", "none", "nein", "non", "falsch", "faux"}
_INACTIVE = {"suspended", "disabled", "blocked", "archived", "deleted", "inactive", "deprovisioned",
             "locked", "signinblocked"}


@dataclass(frozen=True)
class Layout:
    """Which header names (normalised) hold each field, in order of preference."""

    email: tuple[str, ...]
    enrolled: tuple[str, ...]
    name: tuple[str, ...] = ()
    first_name: tuple[str, ...] = ()
    last_name: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    suspended: tuple[str, ...] = ()
    enabled: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    admin: tuple[str, ...] = ()
    user_type: tuple[str, ...] = ()
    label: str = "export"


GOOGLE_WORKSPACE = Layout(
    # Admin console > Directory > Users > Download users (CSV), and GAM/Directory API names
    email=("emailaddress", "primaryemail", "email"),
    enrolled=("2svenrolled", "isenrolledin2sv", "2stepverificationenrollment"),
    name=("name", "fullname", "namefullname"),
    first_name=("firstname", "namegivenname"),
    last_name=("lastname", "namefamilyname"),
    status=("status", "userstatus"),
    suspended=("suspended", "issuspended"),
    admin=("adminrole", "adminroles", "isadmin", "admin"),
    label="Google Workspace user export",
)

ENTRA = Layout(
    # Entra admin center > Authentication methods > User registration details > Download, and the
    # Microsoft Graph userRegistrationDetails property names (Export-Csv of the PowerShell cmdlet)
    email=("userprincipalname", "upn"),
    # "capable" = a strong method registered AND allowed by policy; preferred over "registered"
    enrolled=("mfacapable", "ismfacapable", "multifactorauthenticationcapable",
              "mfaregistered", "ismfaregistered", "multifactorauthenticationregistered"),
    name=("name", "userdisplayname", "displayname"),
    enabled=("accountenabled",),
    blocked=("blocksignin", "blockcredential"),
    admin=("admin", "isadmin"),
    user_type=("usertype",),
    label="Microsoft Entra user registration details export",
)


@dataclass(frozen=True)
class ExportUser:
    """One account row of an export."""

    email: str
    name: str
    active: bool
    enrolled: bool
    admin: bool | None  # None: the export does not say
    line: int


@dataclass(frozen=True)
class ParsedExport:
    """All account rows of one export and which columns were used."""

    users: tuple[ExportUser, ...]
    enrolled_column: str
    admin_column: str | None
    guests_excluded: int


def normalise_header(text: str) -> str:
    """'2sv Enrolled [READ ONLY]' → '2svenrolled'; 'userPrincipalName' → 'userprincipalname'."""
    text = text.replace("\ufeff", "").strip()
    text = re.sub(r"\[[^\]]*\]", "", text)
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _word(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.lower())


def read_text(path: Path) -> str:
    """The export's text: UTF-8 (with or without BOM) or UTF-16 with a BOM (Excel 'Unicode text')."""
    data = read_user_bytes(path, "export file", MAX_EXPORT_BYTES)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count("\n".encode("utf-16-le")) + 1
            raise InputError("not UTF-16 text after its byte-order mark (save the export as CSV UTF-8)",
                             path, line) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text (save the export as CSV UTF-8)", path, line) from None


def _label(header: str) -> str:
    # a header is the file's text: keep it short and on one line in the message
    return header if header.isprintable() and len(header) <= 40 else quoted(header, 40)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _find(headers: dict[str, int], names: Iterable[str]) -> tuple[int, str] | None:
    for name in names:
        if name in headers:
            return headers[name], name
    return None


def parse_export(path: Path, layout: Layout, admins: Iterable[str] = ()) -> ParsedExport:
    """Parse an export; a missing column or unreadable value raises InputError with file and line."""
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise InputError(f"the file is empty; expected a {layout.label} with a header row", path, 1) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV header: {exc}", path, 1) from None
    headers: dict[str, int] = {}
    for i, h in enumerate(raw_headers):
        headers.setdefault(normalise_header(h), i)
    shown = {normalise_header(h): h.replace("\ufeff", "").strip() for h in raw_headers}

    def need(field: str, names: tuple[str, ...]) -> tuple[int, str]:
        found = _find(headers, names)
        if found is None:
            raise InputError(f"missing column for {field} (expected one of: {', '.join(names)}); is this a "
                             f"{layout.label}? found columns: {', '.join(_label(h) for h in list(shown.values())[:12])}",
                             path, 1)
        return found

    email_col, _ = need("the e-mail address", layout.email)
    enrolled_col, enrolled_name = need("MFA enrolment", layout.enrolled)
    optional = {key: _find(headers, getattr(layout, key)) for key in
                ("name", "first_name", "last_name", "status", "suspended", "enabled", "blocked", "admin",
                 "user_type")}
    admin_set = {a.strip().lower() for a in admins}
    admin_column = shown[optional["admin"][1]] if optional["admin"] else None

    users: list[ExportUser] = []
    guests = 0
    width = len(raw_headers)
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise InputError(f"row has {len(row)} fields, the header has {width} (a broken quote or "
                                 f"a truncated file?)", path, line)

            def cell(found: tuple[int, str] | None, row: list[str] = row) -> str | None:
                return row[found[0]].strip() if found else None

            email = row[email_col].strip()
            if not email:
                raise InputError(f"empty e-mail address in column {shown[normalise_header(raw_headers[email_col])]!r}",
                                 path, line)
            user_type = cell(optional["user_type"])
            if user_type is not None and _word(user_type) == "guest":
                # guests prove their second factor at their home organisation, not in this export
                guests += 1
                continue
            enrolled = _bool(row[enrolled_col], path, line, shown[enrolled_name])
            active = _active(optional, cell, path, line, shown)
            admin: bool | None = None
            if optional["admin"]:
                value = cell(optional["admin"]) or ""
                admin = _admin_value(value, path, line, shown[optional["admin"][1]])
            if email.lower() in admin_set:
                admin = True
            elif admin is None and admin_set:
                admin = False
            name = cell(optional["name"]) or " ".join(
                p for p in (cell(optional["first_name"]), cell(optional["last_name"])) if p)
            users.append(ExportUser(email=email, name=name, active=active, enrolled=enrolled, admin=admin,
                                    line=line))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path, reader.line_num) from None
    return ParsedExport(tuple(users), shown[enrolled_name], admin_column, guests)


def _bool(value: str, path: Path, line: int, column: str) -> bool:
    word = _word(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InputError(f"cannot read {value!r} in column {column!r} as yes or no", path, line)


def _admin_value(value: str, path: Path, line: int, column: str) -> bool:
    word = _word(value)
    if word in _TRUE:
        return True
    # a role column: any named role ("Super Admin", "Help desk admin") is an admin
    return not (word in _FALSE or word == "")


def _active(optional: dict[str, tuple[int, str] | None], cell, path: Path, line: int,
            shown: dict[str, str]) -> bool:
    status = cell(optional["status"])
    if status is not None and _word(status) in _INACTIVE:
        return False
    for key, inactive_when in (("suspended", True), ("blocked", True), ("enabled", False)):
        found = optional[key]
        if found is not None:
            value = cell(found) or ""
            if value and _bool(value, path, line, shown[found[1]]) == inactive_when:
                return False
    return True


def csv_layout(columns: dict[str, str]) -> Layout:
    """A layout for a generic CSV from the profile's mapping (field → column name)."""
    def one(field: str) -> tuple[str, ...]:
        return (normalise_header(columns[field]),) if field in columns else ()
    return Layout(email=one("email"), enrolled=one("enrolled"), name=one("name"), status=one("status"),
                  admin=one("admin"), enabled=one("enabled"), label="CSV export (columns from the profile)")
