"""MFA coverage from admin-console exports written as the vendors write them."""

from __future__ import annotations

import hashlib

from cyberaudit.probes.mfa.probe import PROBE, redact_email
from tests.probes.controls_helpers import context, finding, practice, profile, status

GOOGLE_HEADER = ("First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
                 "Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],"
                 "Status [READ ONLY],Last Sign In [READ ONLY],Recovery Email,Home Secondary Email,"
                 "Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,"
                 "Mobile Phone,Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,"
                 "Department,Cost Center,2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY],Building ID,"
                 "Floor Name,Floor Section,Email Usage [READ ONLY],Drive Usage [READ ONLY],"
                 "Total Storage [READ ONLY],Change Password at Next Sign-In,New Status [UPLOAD ONLY]")


def google_row(first, last, email, status, enrolled, address=""):
    cells = [first, last, email, "****", "", "/", "", status, "2026/10/01 09:12:44", "", "", "", "", "", "", "",
             address, "", "", "", "", "", "Clinical", "", enrolled, enrolled, "", "", "", "0.4GB", "1.2GB",
             "30GB", "False", ""]
    return ",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in cells)


def write_google(path, rows):
    text = "\r\n".join([GOOGLE_HEADER, *rows]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # BOM + CRLF, as Excel saves "CSV UTF-8"


def run(tmp_path, entries, redact=False):
    prof = profile({"evidence": {"mfa": entries}})
    return PROBE.run(practice(prof), context(prof, tmp_path, redact=redact)), practice(prof)


def google_rows(all_enrolled):
    return [
        google_row("Zoë", "Ångström", "zoe@lakeside.example", "Active", "True", "12 Main St, Suite 4"),
        google_row("José", "Núñez, Jr.", "jose@lakeside.example", "Active", "True" if all_enrolled else "False"),
        google_row("Former", "Staff", "old@lakeside.example", "Suspended", "False"),
        google_row("Admin", "Owner", "owner@lakeside.example", "Active", "True"),
    ]


def test_google_export_all_enrolled_passes(tmp_path):
    write_google(tmp_path / "google.csv", google_rows(all_enrolled=True))
    out, t = run(tmp_path, [{"file": "google.csv", "format": "google_workspace",
                             "admins": ["Owner@Lakeside.example"]}])
    s = out.facts["summary"]
    assert (s["users"], s["active_users"], s["excluded"], s["enrolled"]) == (4, 3, 1, 3)
    assert s["coverage_percent"] == 100.0 and s["admins"] == 1
    assert status("MFA-USER-COVERAGE", out, t) == "pass"
    assert status("MFA-ADMINS", out, t) == "pass"


def test_google_export_missing_user_fails_and_names_them(tmp_path):
    write_google(tmp_path / "google.csv", google_rows(all_enrolled=False))
    out, t = run(tmp_path, [{"file": "google.csv", "format": "google_workspace", "platform": "Google Workspace",
                             "admins": ["owner@lakeside.example"]}])
    s = out.facts["summary"]
    assert s["not_enrolled"] == ["jose@lakeside.example"]  # the suspended account is not counted
    assert s["missing"][0]["name"] == "José Núñez, Jr." and s["missing"][0]["line"] == 3
    assert s["coverage_percent"] == 66.67
    f = finding("MFA-USER-COVERAGE", out, t)
    assert f.status == "fail" and f.evidence["mfa.summary.not_enrolled"] == ["jose@lakeside.example"]
    assert status("MFA-ADMINS", out, t) == "pass"
    assert out.facts["platforms"][0]["name"] == "Google Workspace"
    assert status("MFA-USER-COVERAGE", out, t, min_coverage_percent=60) == "pass"


def test_google_export_without_admin_information_makes_admin_rule_error(tmp_path):
    write_google(tmp_path / "google.csv", google_rows(all_enrolled=True))
    out, t = run(tmp_path, [{"file": "google.csv", "format": "google_workspace"}])
    assert status("MFA-USER-COVERAGE", out, t) == "pass"
    f = finding("MFA-ADMINS", out, t)
    assert f.status == "error" and "admins:" in f.message


def test_redacted_addresses_are_stable_short_hashes(tmp_path):
    write_google(tmp_path / "google.csv", google_rows(all_enrolled=False))
    out, _ = run(tmp_path, [{"file": "google.csv", "format": "google_workspace"}], redact=True)
    expected = "user-" + hashlib.sha256(b"jose@lakeside.example").hexdigest()[:10]
    assert out.facts["summary"]["not_enrolled"] == [expected] == [redact_email("JOSE@lakeside.example ")]
    assert out.facts["summary"]["missing"][0]["name"] is None
    assert "jose" not in repr(out.facts)


ENTRA_PORTAL = (
    '"User principal name","Name","User type","Admin","MFA Capable","MFA Registered","Passwordless Capable",'
    '"SSPR Registered","SSPR Enabled","SSPR Capable","Methods registered","Default MFA method",'
    '"Last Updated Time"\r\n'
    '"dana@lakeside.example","Dana Øberg","Member","Yes","Capable","Registered","Not Capable","Registered",'
    '"Enabled","Capable","Microsoft Authenticator app, Mobile phone","microsoftAuthenticatorPush",'
    '"2026-11-20T04:12:00Z"\r\n'
    '"eli@lakeside.example","Eli Kovač","Member","No","{eli}","{eli}","Not Capable","Not Registered",'
    '"Enabled","Not Capable","","none","2026-11-20T04:12:00Z"\r\n'
    '"consultant_partner.example#EXT#@lakeside.onmicrosoft.com","Guest Person","Guest","No","Not Capable",'
    '"Not Registered","Not Capable","Not Registered","Not Enabled","Not Capable","","none",'
    '"2026-11-20T04:12:00Z"\r\n'
    '"admin2@lakeside.example","Second Admin","Member","Yes","{adm}","{adm}","Not Capable","Registered",'
    '"Enabled","Capable","Mobile phone","mobilePhone","2026-11-20T04:12:00Z"\r\n'
)


def test_entra_portal_export(tmp_path):
    text = ENTRA_PORTAL.format(eli="Capable", adm="Not Capable")
    (tmp_path / "entra.csv").write_text("\ufeff" + text, encoding="utf-8", newline="")
    out, t = run(tmp_path, [{"file": "entra.csv", "format": "entra", "platform": "Microsoft 365"}])
    s = out.facts["summary"]
    assert out.facts["exports"][0]["guests_excluded"] == 1
    assert out.facts["exports"][0]["enrolled_column"] == "MFA Capable"
    assert (s["active_users"], s["enrolled"], s["admins"]) == (3, 2, 2)
    assert s["admins_not_enrolled"] == ["admin2@lakeside.example"]
    assert status("MFA-ADMINS", out, t) == "fail"
    assert status("MFA-USER-COVERAGE", out, t) == "fail"
    text = ENTRA_PORTAL.format(eli="Capable", adm="Capable")
    (tmp_path / "entra.csv").write_text(text, encoding="utf-8", newline="")
    out, t = run(tmp_path, [{"file": "entra.csv", "format": "entra"}])
    assert status("MFA-ADMINS", out, t) == "pass" and status("MFA-USER-COVERAGE", out, t) == "pass"


def test_entra_graph_property_export(tmp_path):
    # Get-MgReportAuthenticationMethodUserRegistrationDetail | Export-Csv: Graph property names, True/False
    text = ('"Id","IsAdmin","IsMfaCapable","IsMfaRegistered","IsPasswordlessCapable","UserDisplayName",'
            '"UserPrincipalName","UserType"\n'
            '"1f0c","True","True","True","False","Dana Øberg","dana@lakeside.example","member"\n'
            '"2a9d","False","False","True","False","Eli Kovač","eli@lakeside.example","member"\n')
    (tmp_path / "graph.csv").write_text(text, encoding="utf-8")
    out, t = run(tmp_path, [{"file": "graph.csv", "format": "entra"}])
    # "MFA capable" (registered and allowed by policy) is what counts, not merely registered
    assert out.facts["summary"]["not_enrolled"] == ["eli@lakeside.example"]
    assert status("MFA-USER-COVERAGE", out, t) == "fail"
    assert status("MFA-ADMINS", out, t) == "pass"


def test_generic_csv_with_mapping_semicolons_and_disabled_users(tmp_path):
    text = ("Benutzer;Name;Zwei-Faktor;Rolle;Aktiv\r\n"
            "mara@praxis.example;Mara Größ;ja;Administrator;ja\r\n"
            "tom@praxis.example;Tom Weiß;nein;;nein\r\n"
            "ida@praxis.example;\"Ida; Praxis\";yes;;yes\r\n")
    (tmp_path / "ehr.csv").write_text(text, encoding="utf-8")
    cols = {"email": "Benutzer", "name": "Name", "enrolled": "Zwei-Faktor", "admin": "Rolle", "enabled": "Aktiv"}
    out, t = run(tmp_path, [{"file": "ehr.csv", "format": "csv", "columns": cols, "platform": "EHR"}])
    s = out.facts["summary"]
    assert (s["users"], s["active_users"], s["enrolled"], s["admins"]) == (3, 2, 2, 1)
    assert status("MFA-USER-COVERAGE", out, t) == "pass" and status("MFA-ADMINS", out, t) == "pass"


def test_missing_column_is_an_error_naming_file_line_and_column(tmp_path):
    # an Entra export given as google_workspace: the wrong format
    (tmp_path / "entra.csv").write_text(ENTRA_PORTAL.format(eli="Capable", adm="Capable"), encoding="utf-8")
    out, t = run(tmp_path, [{"file": "entra.csv", "format": "google_workspace"}])
    err = out.facts["exports"][0]["error"]
    assert "entra.csv:1: missing column for the e-mail address" in err
    for rid in ("MFA-USER-COVERAGE", "MFA-ADMINS"):
        f = finding(rid, out, t)
        assert f.status == "error" and "entra.csv:1" in f.message, rid


def test_bad_value_and_truncated_row_name_their_line(tmp_path):
    rows = google_rows(all_enrolled=True)
    rows[1] = rows[1].replace(",True,True,", ",Maybe,Maybe,")
    write_google(tmp_path / "g.csv", rows)
    out, t = run(tmp_path, [{"file": "g.csv", "format": "google_workspace"}])
    f = finding("MFA-USER-COVERAGE", out, t)
    assert f.status == "error" and "g.csv:3:" in f.message and "2sv Enrolled [READ ONLY]" in f.message
    write_google(tmp_path / "g.csv", [*google_rows(True)[:2], "Cut,Off,cut@lakeside.example,Active"])
    out, t = run(tmp_path, [{"file": "g.csv", "format": "google_workspace"}])
    assert "g.csv:4:" in finding("MFA-USER-COVERAGE", out, t).message


def test_one_broken_export_never_lets_the_summary_pass(tmp_path):
    write_google(tmp_path / "good.csv", google_rows(all_enrolled=True))
    out, t = run(tmp_path, [{"file": "good.csv", "format": "google_workspace", "admins": ["owner@lakeside.example"]},
                            {"file": "absent.csv", "format": "entra"}])
    assert out.facts["exports"][0]["coverage_percent"] == 100.0
    f = finding("MFA-USER-COVERAGE", out, t)
    assert f.status == "error" and "absent.csv" in f.message and "not found" in f.message


def test_utf16_export_and_no_evidence_is_not_applicable(tmp_path):
    text = "\r\n".join([GOOGLE_HEADER, *google_rows(True)]) + "\r\n"
    (tmp_path / "u16.csv").write_bytes(text.encode("utf-16"))
    out, t = run(tmp_path, [{"file": "u16.csv", "format": "google_workspace"}])
    assert out.facts["summary"]["active_users"] == 3
    out, t = run(tmp_path, [])
    assert status("MFA-USER-COVERAGE", out, t) == "not_applicable"
    assert status("MFA-ADMINS", out, t) == "not_applicable"


def test_spreadsheet_instead_of_csv_is_an_error(tmp_path):
    # an .xlsx saved by mistake: a zip archive, not text
    (tmp_path / "users.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb7\xac\xce\xff" * 8)
    out, t = run(tmp_path, [{"file": "users.xlsx", "format": "google_workspace"}])
    f = finding("MFA-USER-COVERAGE", out, t)
    assert f.status == "error" and "users.xlsx:1: not UTF-8 text" in f.message


def test_one_missing_among_20001_fails_and_never_shows_100(tmp_path):
    rows = [google_row("Staff", str(i), f"staff{i}@lakeside.example", "Active", "True") for i in range(20000)]
    rows.append(google_row("Late", "Joiner", "late@lakeside.example", "Active", "False"))
    write_google(tmp_path / "google.csv", rows)
    out, t = run(tmp_path, [{"file": "google.csv", "format": "google_workspace",
                             "admins": ["staff0@lakeside.example"]}])
    s = out.facts["summary"]
    assert (s["active_users"], s["enrolled"], s["not_enrolled_count"]) == (20001, 20000, 1)
    assert s["coverage_percent"] == 99.99 and s["coverage_percent_exact"] < 100
    assert out.facts["exports"][0]["coverage_percent"] == 99.99
    f = finding("MFA-USER-COVERAGE", out, t)
    assert f.status == "fail" and f.evidence["mfa.summary.not_enrolled"] == ["late@lakeside.example"]
    assert status("MFA-USER-COVERAGE", out, t, min_coverage_percent=99.99) == "pass"
