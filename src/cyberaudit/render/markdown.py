"""The Markdown report, for tickets and wikis; every value from a scan is escaped."""

from __future__ import annotations

from cyberaudit.render import RenderOptions
from cyberaudit.render.areas import area_name
from cyberaudit.render.verdicts import UNREACHABLE_NOTE, cap_text, grade_text, unreachable_lines
from cyberaudit.render.view import STATUS_LABEL, ReportView, build_view, evidence_items, plain_evidence
from cyberaudit.result import Finding, Result
from cyberaudit.scoring import display_score
from cyberaudit.textsafe import md_code as c
from cyberaudit.textsafe import md_escape as e
from cyberaudit.textsafe import md_with_code


def _score(score: float | None, grade: str | None) -> str:
    return "not scored" if score is None else f"{display_score(score)} / 100 (grade {grade})"


def _said(f: Finding) -> str:
    # an error's message starts with "Could not be checked:", which its label already says
    prefix = "could not be checked:"
    if f.status == "error" and f.message.lower().startswith(prefix):
        return f.message[len(prefix):].strip()
    return f.message


def _finding(f: Finding) -> list[str]:
    out = [f"#### {e(f.title)}", "",
           f"- **Status:** {e(STATUS_LABEL.get(f.status, f.status))}, **severity:** {e(f.severity)}, "
           f"**rule:** {c(f.rule_id)}, effort {e(f.effort)}",
           f"- **{'Why it could not be checked' if f.status == 'error' else 'What we found'}:** {e(_said(f))}"]
    ev = plain_evidence(f)
    if ev.lines:
        out.append("- **Evidence:**")
        out += [f"  - {e(line)}" for line in ev.lines]
        if ev.more:
            out.append(f"  - … and {ev.more} more, listed in the technical appendix")
    if f.remediation:
        out.append(f"- **How to fix:** {md_with_code(f.remediation)}")
    if f.references:
        out.append(f"- **References:** {e('; '.join(f.references))}")
    return out + [""]


def _technical(f: Finding) -> list[str]:
    """The facts and conditions behind one finding, for whoever maintains the systems."""
    out = [f"#### {c(f.rule_id)} on {e(f.target)}", ""]
    out += [f"- Condition: {e(d)}" for d in f.details]
    for key, lines in evidence_items(f.evidence):
        if len(lines) == 1:
            out.append(f"- Fact {c(key)}: {e(lines[0])}")
        else:
            out.append(f"- Fact {c(key)}:")
            out += [f"  - {e(line)}" for line in lines]
    if plain_evidence(f).more:
        out.append("- All evidence:")
        out += [f"  - {e(line)}" for line in f.evidence_text]
    return out + [""]


def _platforms(v: ReportView) -> list[str]:
    """The "Your platforms" table: what each vendor offers on the plan used, and the step it needs."""
    if not v.platforms:
        return []
    out = ["## Your platforms", "", "| Service | Plan | BAA available | BAA signed | End-to-end encryption | MFA | "
           "What to do |", "|---|---|---|---|---|---|---|"]
    for p in v.platforms:
        out.append(f"| {e(p.service)} | {e(p.plan)} | {e(p.baa_available)} | {e(p.baa_signed)} | {e(p.e2ee)} | "
                   f"{e(p.mfa)} | {e('; '.join(p.actions))} |")
    return [*out, ""]


def render_markdown(result: Result, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    v = build_view(result, options)
    o = v.overall
    out = [f"# {e(v.title)}", ""]
    if v.organization:
        out += [f"Prepared by {e(v.organization)}.", ""]
    out += [f"{e(result.profile.practice)}, scanned {e(result.generated_at)}.", ""]
    if v.unreachable:  # said once, before anything else
        out += [f"> - **{e(line)}**" for line in unreachable_lines(v.unreachable)]
        out += [">", f"> {e(UNREACHABLE_NOTE)}", ""]
    out += [
            "## Summary", "", e(v.headline), "",
            f"- Score: {_score(o.score, o.grade)}{e(cap_text(o))}",
            f"- Coverage: {'none' if o.coverage is None else f'{o.coverage:g}%'} of applicable checks could be run"
            + (f" ({o.unreached} on targets that could not be reached)" if o.unreached else ""),
            f"- Failed {v.counts['fail']}, passed {v.counts['pass']}, could not be checked {v.counts['error']}, "
            f"waived {v.counts['waived']}, not applicable {v.counts['not_applicable']}"
            + (f", notes {v.counts['note']}" if v.counts["note"] else "")]
    out += ["", "### What to fix first", ""]
    if not v.fix_first:
        out.append("Nothing failed.")
    for i, item in enumerate(v.fix_first, 1):  # what is wrong (the failure message), not the rule's goal
        out.append(f"{i}. **{e(item.severity)}** {e(item.message)} ({c(item.rule_id)}, effort {e(item.effort)}) "
                   f"on {e(', '.join(item.targets))}")
    out.append("")
    if v.notes:  # info rules: worth knowing, not problems to fix
        out += ["### Notes", "", "Worth knowing, not problems to fix: informational checks weigh nothing.", ""]
        out += [f"- {e(f.message)} ({c(f.rule_id)} on {e(f.target)})" for f in v.notes]
        out.append("")
    ch = options.changes
    if ch is not None:
        out += ["## Changes since the last scan", ""]
        out += [f"- **Target {t.change}:** {e(t.target)}: {e(t.summary())}" for t in ch.targets]
        if ch.explanation is not None:
            out += ["", e(ch.explanation.sentence(ch.targets))]
        out += [""] if ch.targets else []
        out += [f"Score {_score(ch.score.old_score, ch.score.old_grade)} → {_score(ch.score.new_score, ch.score.new_grade)}.",
                "", f"- New problems: {len(ch.new_failures)}", f"- Fixed: {len(ch.fixed)}",
                f"- Still failing: {len(ch.still_failing)}",
                f"- Waivers expiring within 30 days: {len(ch.expiring_waivers)}", ""]
        for heading, items in (("New problems", ch.new_failures), ("Fixed", ch.fixed)):
            if items:
                out += [f"### {heading}", ""]
                # a new problem in its failure's words; a fix as the goal now met
                out += [f"- **{e(x.severity)}** {e(x.message if heading == 'New problems' else x.title)} "
                        f"({c(x.rule_id)}) on {e(x.target)}" for x in items]
                out.append("")
    if v.trend is not None:
        out += ["### Score over time", "", "| Scan | Score |", "|---|---|"]
        out += [f"| {e(label)} | {e(score)} |" for _, _, label, score in v.trend.dots]
        out.append("")
    out += _platforms(v)
    out += ["## Scores by area", "", "| Area | Score | Grade | Failed | Could not be checked | Coverage |",
            "|---|---|---|---|---|---|"]
    for cat, card in result.scores.by_category.items():
        out.append(f"| {e(area_name(cat))} | {'–' if card.score is None else display_score(card.score)} | {e(grade_text(card))} | "
                   f"{card.problems} | {card.counts.get('error', 0)} | "
                   f"{'–' if card.coverage is None else f'{card.coverage:g}%'} |")
    out += ["", "## What was checked", ""]
    for t in v.targets:
        out += [f"### {e(t.kind_label)}: {e(t.id)}", "",
                f"{'Not scored' if not t.card or t.card.score is None else _score(t.card.score, t.card.grade)}"
                f"{e(cap_text(t.card)) if t.card else ''}"
                f"{': it could not be reached' if t.card and t.card.score is None and t.card.unreached else ''}; "
                f"{len(t.failed)} failed, {len(t.errors)} could not be checked, {len(t.passed)} passed.", ""]
        for probe, reason in t.probe_errors:
            out += [f"The {c(probe)} check could not run: {e(reason)}", ""]
        for f in (*t.failed, *t.errors):
            out += _finding(f)
        if t.passed:
            out += ["#### Passed", ""] + [f"- {e(f.title)} ({c(f.rule_id)})" for f in t.passed] + [""]
    out += ["## How the score is calculated", "",
            "Score = 100 × weight of passed rules ÷ weight of passed, failed and unchecked rules. Weights: "
            + ", ".join(f"{k} {w}" for k, w in v.weights.items()) + ".", "",
            f"This scan: {o.weight_pass} ÷ {o.weight_total}" + (f" = {display_score(o.score)}." if o.score is not None else "."),
            "", "## Appendix", "", "### Waived rules", ""]
    if not v.waived:
        out.append("None.")
    for f in v.waived:
        w = f.waiver
        out.append(f"- {c(f.rule_id)} on {e(f.target)}: {e(w.reason) if w else ''} (expires {e(w.expires) if w else '?'})")
    out += ["", "### Rules that do not apply", ""]
    if not v.not_applicable:
        out.append("None.")
    out += [f"- {c(f.rule_id)} on {e(f.target)}: {e(f.message)}" for f in v.not_applicable]
    out += ["", "### Technical detail", ""]
    if not v.evidence:
        out.append("None.")
    for f in v.evidence:
        out += _technical(f)
    out += ["", "---", "",
            f"cyberaudit {e(result.tool.get('version', ''))}; packs: "
            + ", ".join(f"{e(p.name)} {e(p.version)}" for p in result.packs) + "."]
    return "\n".join(out).rstrip() + "\n"
