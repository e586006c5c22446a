"""Rule packs: the model, the loader and strict validation with file:line:col errors."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from cyberaudit.conditions import Check, CheckSyntaxError, compile_check, iter_facts, iter_params
from cyberaudit.errors import InputError, raise_all
from cyberaudit.evidence import EvidenceTemplate, MessageBranch, Template, TemplateSyntaxError, parse_template
from cyberaudit.messages import did_you_mean
from cyberaudit.models import Strict, validate_document
from cyberaudit.probes import PROBE_MODULES, fact_is_published, fact_specs, get_probe
from cyberaudit.resources import builtin_rules_dir
from cyberaudit.result import SEVERITIES, Effort, Severity  # noqa: F401  - SEVERITIES: packs.SEVERITIES, as before
from cyberaudit.targets import TargetKind
from cyberaudit.yamlsrc import YamlDocument, load_yaml

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


class ParamSpec(Strict):
    default: Any = Field(description="Value used unless the profile overrides it.")
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None


class MessageModel(Strict):
    when: Any = Field(None, description="A check on the facts; the first message whose check holds is used.")
    message: str = Field(min_length=1, description="Plain words; {fact.path} placeholders are filled in.")
    see: str | None = Field(None, description="The rule whose missing subject makes this one fail.")


class EvidenceModel(Strict):
    text: str = Field(min_length=1, description="A plain sentence; {fact.path} (or, with each, {field}) "
                                                "placeholders are filled in.")
    when: Any = Field(None, description="Only when this check holds.")
    each: str | None = Field(None, description="A list fact: one sentence per element.")
    where: Any = Field(None, description="With each: which elements (a check on the element); default: "
                                         "the elements that made the check fail.")


class RuleModel(Strict):
    id: str = Field(description="Stable id, SCREAMING-KEBAB with the pack's prefix.")
    title: str = Field(min_length=1, description="The goal, phrased as what good looks like.")
    category: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    severity: Severity
    scope: TargetKind
    probe: str
    check: Any = Field(description="A declarative check; see docs/rules.md.")
    applies_if: Any = Field(None, description="When this check fails the rule is not_applicable.")
    params: dict[str, ParamSpec] = Field(default_factory=dict)
    summary: str = Field("", description="One plain sentence on what the rule looks at.")
    rationale: str = Field(min_length=1, description="Why it matters, in plain words.")
    remediation: str = Field(min_length=1, description="What to do, in plain words.")
    references: list[str] = Field(min_length=1)
    effort: Effort = "medium"
    fail_message: str | None = Field(None, description="Plain-words message when the rule fails.")
    pass_message: str | None = None
    not_applicable_message: str | None = Field(None, description="Plain-words message when applies_if "
                                                                  "fails.")
    fail_messages: list[MessageModel] = Field(default_factory=list, description="A message per way the rule "
                                              "fails; the first whose `when` holds replaces fail_message.")
    evidence: list[str | EvidenceModel] = Field(default_factory=list, description="Facts kept with the "
                                                "finding (a path) and plain sentences about them (text).")
    aliases: list[str] = Field(default_factory=list, description="Former ids of this rule.")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError(f"rule id {v!r} must be SCREAMING-KEBAB such as TLS-CERT-HOSTNAME")
        return v

    @field_validator("probe")
    @classmethod
    def _probe(cls, v: str) -> str:
        if v not in PROBE_MODULES:
            raise ValueError(f"unknown probe {v!r} (known: {', '.join(sorted(PROBE_MODULES))})")
        return v


class PackModel(Strict):
    pack: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
    title: str
    description: str = ""
    rules: list[RuleModel] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """A validated rule with its compiled checks and the pack it came from."""

    model: RuleModel
    check: Check
    applies_if: Check | None
    pack: str
    source: str  # file:line of the rule
    messages: tuple[MessageBranch, ...] = ()
    templates: tuple[EvidenceTemplate, ...] = ()

    @property
    def evidence_facts(self) -> tuple[str, ...]:
        """The fact paths kept with every finding of this rule (the technical appendix shows them)."""
        return tuple(e for e in self.model.evidence if isinstance(e, str))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    @property
    def id(self) -> str:
        return self.model.id

    def default_params(self) -> dict[str, Any]:
        return {k: v.default for k, v in self.model.params.items()}


@dataclass(frozen=True)
class Pack:
    name: str
    version: str
    title: str
    description: str
    path: str
    digest: str
    builtin: bool
    rules: tuple[Rule, ...]


# Packs already loaded by this process, by (file, builtin, check_facts): reused while the file's
# bytes are the same. Worker processes forked after the parent loaded the packs start with them.
_LOADED: dict[tuple[str, bool, bool], Pack] = {}


def load_pack(path: str | Path, builtin: bool = False, check_facts: bool = True) -> Pack:
    """Load one pack file and validate it completely (ids, operators, probes, facts, params).

    `check_facts=False` skips only the check that each fact is published by the installed probes.
    """
    path = Path(path)
    key = (str(path), builtin, check_facts)
    cached = _LOADED.get(key)
    if cached is not None:
        try:
            same = cached.digest == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            same = False
        if same:
            return cached
    pack = _read_pack(path, builtin, check_facts)
    _LOADED[key] = pack
    return pack


def _read_pack(path: Path, builtin: bool, check_facts: bool) -> Pack:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("a pack must be a mapping with pack, version, title and rules", path, 1, 1)
    model = validate_document(PackModel, doc)
    rules = []
    problems: list[InputError] = []
    for i, rule in enumerate(model.rules):
        loaded = _load_rule(doc, rule, ("rules", i), model.pack, check_facts, problems)
        if loaded is not None:
            rules.append(loaded)
    raise_all(problems)
    digest = "sha256:" + doc.sha256
    return Pack(model.pack, model.version, model.title, model.description, str(path), digest, builtin,
                tuple(rules))


def _load_rule(doc: YamlDocument, rule: RuleModel, loc: tuple[Any, ...], pack: str, check_facts: bool,
               problems: list[InputError]) -> Rule | None:
    """One rule checked completely: each of its problems is appended, so a pack reports all at once."""
    before = len(problems)

    def attempt(step: Any, *args: Any) -> Any:
        try:
            return step(*args)
        except InputError as exc:
            problems.append(exc)
            return None

    check = attempt(_compile, doc, rule.check, (*loc, "check"))
    applies = attempt(_compile, doc, rule.applies_if, (*loc, "applies_if")) if rule.applies_if is not None else None
    for compiled, key in ((check, "check"), (applies, "applies_if")):
        if compiled is not None and check_facts:
            attempt(_validate_facts, doc, rule, compiled, (*loc, key))
            attempt(_validate_params, doc, rule, compiled, (*loc, key))
    for j, fact in enumerate(rule.evidence if check_facts else ()):
        if isinstance(fact, str):
            attempt(_validate_fact_path, doc, rule, fact, (*loc, "evidence", j))
    messages = tuple(attempt(_message, doc, rule, m, (*loc, "fail_messages", j), check_facts)
                     for j, m in enumerate(rule.fail_messages))
    templates = tuple(attempt(_evidence_template, doc, rule, e, (*loc, "evidence", j), check_facts)
                      for j, e in enumerate(rule.evidence) if isinstance(e, EvidenceModel))
    probe = get_probe(rule.probe) if check_facts else None
    if probe is not None and rule.scope not in probe.scopes:
        problems.append(doc.error((*loc, "scope"), f"rule {rule.id}: the {rule.probe} probe runs on "
                                                   f"{', '.join(sorted(probe.scopes))}, not on {rule.scope}"))
    if len(problems) > before or check is None:
        return None
    return Rule(rule, check, applies, pack, f"{doc.path}:{doc.where(loc)[0]}", messages, templates)


def _compile(doc: YamlDocument, raw: Any, loc: tuple[Any, ...]) -> Check:
    try:
        return compile_check(raw)
    except CheckSyntaxError as exc:
        raise doc.error((*loc, *exc.loc), exc.message) from None


def _template(doc: YamlDocument, rule: RuleModel, text: str, loc: tuple[Any, ...], check_facts: bool,
              each: str | None = None) -> Template:
    try:
        tpl = parse_template(text)
    except TemplateSyntaxError as exc:
        raise doc.error(loc, f"rule {rule.id}: {exc}") from None
    for placeholder in tpl.paths():
        if placeholder.startswith("param."):
            if placeholder[6:] not in rule.params:
                raise doc.error(loc, f"rule {rule.id}: {{{placeholder}}} names a parameter that the rule does "
                                     f"not declare under params:")
        elif not check_facts:
            continue
        elif each is None:
            _validate_fact_path(doc, rule, placeholder, loc)
        elif placeholder != ".":
            _validate_fact_path(doc, rule, f"{each}[].{placeholder}", loc)
    return tpl


def _optional_check(doc: YamlDocument, rule: RuleModel, raw: Any, loc: tuple[Any, ...], check_facts: bool,
                    prefix: str | None = None) -> Check | None:
    if raw is None:
        return None
    compiled = _compile(doc, raw, loc)
    if check_facts:
        _validate_params(doc, rule, compiled, loc)
        for fact, _op in iter_facts(compiled):
            if prefix is not None:  # a check on the list's element: its paths are relative to it
                fact = prefix if fact == "." else f"{prefix}[].{fact}"
            _validate_fact_path(doc, rule, fact, loc)
    return compiled


def _message(doc: YamlDocument, rule: RuleModel, m: MessageModel, loc: tuple[Any, ...],
             check_facts: bool) -> MessageBranch:
    when = _optional_check(doc, rule, m.when, (*loc, "when"), check_facts)
    if m.see is not None and not RULE_ID.match(m.see):
        raise doc.error((*loc, "see"), f"rule {rule.id}: see must be a rule id such as MAIL-DMARC-PRESENT, "
                                       f"got {m.see!r}")
    return MessageBranch(when, _template(doc, rule, m.message, (*loc, "message"), check_facts), m.see)


def _evidence_template(doc: YamlDocument, rule: RuleModel, e: EvidenceModel, loc: tuple[Any, ...],
                       check_facts: bool) -> EvidenceTemplate:
    if e.each is not None and check_facts:
        _validate_fact_path(doc, rule, e.each, (*loc, "each"))
    if e.where is not None and e.each is None:
        raise doc.error((*loc, "where"), f"rule {rule.id}: where selects elements, so it needs each")
    when = _optional_check(doc, rule, e.when, (*loc, "when"), check_facts)
    where = _optional_check(doc, rule, e.where, (*loc, "where"), check_facts, prefix=e.each)
    text = _template(doc, rule, e.text, (*loc, "text"), check_facts, each=e.each)
    return EvidenceTemplate(text, when, e.each, where)


def _validate_facts(doc: YamlDocument, rule: RuleModel, check: Check, loc: tuple[Any, ...]) -> None:
    for path, _op in iter_facts(check):
        _validate_fact_path(doc, rule, path, loc)


def _validate_fact_path(doc: YamlDocument, rule: RuleModel, path: str, loc: tuple[Any, ...]) -> None:
    head = path.split(".")[0].split("[")[0]
    if head != rule.probe:
        raise doc.error(loc, f"rule {rule.id} reads fact '{path}', but its probe is '{rule.probe}' "
                             f"(facts of that probe start with '{rule.probe}.')")
    published = fact_is_published(rule.probe, path)
    if published is False:
        known = [spec.path for spec in fact_specs(rule.probe) or ()]
        hint = did_you_mean(path, known)
        raise doc.error(loc, f"rule {rule.id}: probe '{rule.probe}' does not publish fact '{path}'{hint} "
                             f"(see `cyberaudit facts {rule.probe}`)")


def _validate_params(doc: YamlDocument, rule: RuleModel, check: Check, loc: tuple[Any, ...]) -> None:
    for name in iter_params(check):
        if name not in rule.params:
            raise doc.error(loc, f"rule {rule.id} refers to parameter '{name}' that it does not declare "
                                 f"under params:")


@dataclass(frozen=True)
class RuleSet:
    """All loaded packs with their rules by id (aliases resolved)."""

    packs: tuple[Pack, ...]
    rules: dict[str, Rule]
    aliases: dict[str, str]

    def resolve_id(self, rule_id: str) -> str | None:
        if rule_id in self.rules:
            return rule_id
        return self.aliases.get(rule_id)


def pack_files(path: Path) -> list[Path]:
    """A pack path is a YAML file or a folder of them."""
    if path.is_dir():
        return sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    if not path.exists():
        raise InputError("pack not found", path)
    return [path]


def load_rule_set(extra: list[str | Path] | tuple[str | Path, ...] = (), builtin: bool = True,
                  check_facts: bool = True) -> RuleSet:
    """The built-in packs plus extra pack files or folders; duplicate ids are an error."""
    files: list[tuple[Path, bool]] = []
    if builtin:
        files += [(p, True) for p in pack_files(builtin_rules_dir())]
    for item in extra:
        found = pack_files(Path(item))
        if not found:
            raise InputError("no *.yaml pack files in this folder", item)
        files += [(p, False) for p in found]
    packs: list[Pack] = []
    rules: dict[str, Rule] = {}
    aliases: dict[str, str] = {}
    seen_files: set[Path] = set()
    for file, is_builtin in files:
        if file.resolve() in seen_files:
            continue
        seen_files.add(file.resolve())
        # The shipped packs are checked against the probes' published facts by the test suite, so
        # a run need not import every probe module to check them again (`rules list` stays fast).
        pack = load_pack(file, builtin=is_builtin, check_facts=check_facts and not is_builtin)
        for rule in pack.rules:
            for name in (rule.id, *rule.model.aliases):
                clash = rules.get(name) or (rules.get(aliases[name]) if name in aliases else None)
                if clash is not None:
                    where = rule.source.rsplit(":", 1)
                    raise InputError(f"rule id {name} is already defined at {clash.source}",
                                     where[0], int(where[1]))
            rules[rule.id] = rule
            for alias in rule.model.aliases:
                aliases[alias] = rule.id
        packs.append(pack)
    for rule in rules.values():
        for branch in rule.messages:
            if branch.see is not None and branch.see not in rules and branch.see not in aliases:
                where = rule.source.rsplit(":", 1)
                raise InputError(f"rule {rule.id}: fail_messages names unknown rule {branch.see} in see:",
                                 where[0], int(where[1]))
    return RuleSet(tuple(packs), rules, aliases)
