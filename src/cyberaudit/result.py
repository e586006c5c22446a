"""The Result: one versioned JSON document, the single source for every renderer."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cyberaudit.compact import ENCODER, FrozenJson, field_names
from cyberaudit.errors import MAX_LISTED, InputError, raise_all
from cyberaudit.jsonsrc import MAX_JSON_DEPTH, bounded_int, json_positions, load_json, too_deep
from cyberaudit.jsonstream import read_object
from cyberaudit.messages import dotted, problem, shown
from cyberaudit.userfiles import MAX_RESULT_BYTES, read_user_bytes, read_user_chunks

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

SCHEMA_VERSION = "1.0"
Status = Literal["pass", "fail", "error", "not_applicable", "waived"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "error", "not_applicable", "waived")
# the pack format's values too (packs.py): renderers order and colour findings by them
Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
Effort = Literal["low", "medium", "high"]


@dataclass(frozen=True)
class WaiverInfo:
    reason: str
    expires: str  # ISO date
    expired: bool
    pattern: str  # the waiver's target pattern
    original_status: str  # what the finding would have been without the waiver


@dataclass(frozen=True, slots=True)  # slotted: a report of thousands of targets reads tens of thousands
class Finding:
    """One rule on one target."""

    rule_id: str
    target: str  # as written in the profile
    target_kind: str
    status: Status
    severity: Severity
    category: str
    title: str
    message: str  # plain words
    details: tuple[str, ...] = ()  # technical reasons (which fact, which value)
    evidence: dict[str, Any] = field(default_factory=dict)  # fact path → value: the technical appendix
    evidence_text: tuple[str, ...] = ()  # the same evidence as plain sentences, for people
    remediation: str = ""
    references: tuple[str, ...] = ()
    effort: Effort = "medium"
    pack: str = ""
    waiver: WaiverInfo | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # explicit, because frozen slotted dataclasses do not unpickle on every Python this supports
        return (Finding, tuple(getattr(self, name) for name in field_names(Finding)))


@dataclass(frozen=True)
class RuleInfo:
    """What a renderer needs to explain a rule (help text, SARIF driver rules)."""

    id: str
    title: str
    summary: str
    category: str
    severity: Severity
    scope: str
    probe: str
    rationale: str
    remediation: str
    references: tuple[str, ...]
    effort: Effort
    pack: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProbeRun:
    probe: str
    status: Literal["ok", "error", "unavailable", "timeout"]
    duration_ms: int
    error: str | None = None


@dataclass(frozen=True)
class TargetResult:
    id: str
    kind: str
    line: int | None
    facts: Mapping[str, Any]  # probe name → its facts; kept as compact.FrozenJson by the scan
    fact_errors: dict[str, str]
    probes: tuple[ProbeRun, ...]


@dataclass(frozen=True)
class ScoreCard:
    """Score of a set of findings: 100 × Σ weight(pass) / Σ weight(pass + fail + error)."""

    score: float | None  # None when nothing scorable was checked
    grade: str | None
    cap: str | None  # why the grade was capped, if it was
    weight_pass: int
    weight_total: int
    counts: dict[str, int]  # per status
    checked: int  # pass + fail
    applicable: int  # pass + fail + error
    coverage: float | None  # checked / applicable, percent
    uncapped_grade: str | None = None  # what the arithmetic alone gives, when a cap lowered it
    cap_rules: tuple[str, ...] = ()  # the failed rules behind the cap
    notes: int = 0  # failed info rules: shown as notes, never counted as problems
    unreached: int = 0  # checks on targets that could not be reached: applicable, not scored

    @property
    def problems(self) -> int:
        """Failed rules that need fixing (info rules are notes, not problems)."""
        return self.counts.get("fail", 0) - self.notes


@dataclass(frozen=True)
class Scores:
    overall: ScoreCard
    by_category: dict[str, ScoreCard]
    by_target: dict[str, ScoreCard]


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    digest: str
    path: str
    builtin: bool
    rules: int


@dataclass(frozen=True)
class ProfileInfo:
    path: str
    digest: str
    practice: str
    jurisdiction: str


@dataclass(frozen=True)
class Result:
    schema_version: str
    tool: dict[str, str]
    generated_at: str  # ISO 8601, UTC
    profile: ProfileInfo
    packs: tuple[PackInfo, ...]
    rules: dict[str, RuleInfo]
    targets: tuple[TargetResult, ...]
    findings: tuple[Finding, ...]  # a scan's own: packed.PackedFindings, the same sequence kept compact
    scores: Scores
    timings: dict[str, Any]
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def to_json(self) -> str:
        """The archive form: one line per top-level key, and one per finding, target, rule and score entry."""
        return "".join(self.json_chunks())

    def json_chunks(self) -> Iterator[str]:
        """`to_json` in pieces, for writing a large Result without holding its whole text."""
        # json's C encoder runs only without `indent`: a line per item keeps the file readable and
        # diffable at a tenth of the pure-Python encoder's cost
        enc = ENCODER.encode
        names = field_names(Result)
        yield "{\n"
        for i, name in enumerate(names):
            value = getattr(self, name)
            end = ",\n" if i < len(names) - 1 else "\n"
            if _is_list(value) and value:
                yield f"  {enc(name)}: [\n"
                for j, item in enumerate(value):
                    yield "    " + enc(item) + (",\n" if j < len(value) - 1 else "\n")
                yield "  ]" + end
            elif isinstance(value, dict) and value:
                yield f"  {enc(name)}: {{\n"
                last = len(value) - 1
                for j, (key, item) in enumerate(value.items()):
                    yield f"    {enc(str(key))}: {enc(item)}" + (",\n" if j < last else "\n")
                yield "  }" + end
            else:
                yield f"  {enc(name)}: {enc(value)}" + end
        yield "}\n"

    def findings_with(self, *statuses: str) -> list[Finding]:
        return [f for f in self.findings if f.status in statuses]


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 stamp ("Z" allowed) as an aware UTC datetime; naive stamps are taken as UTC."""
    try:
        when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def _is_list(value: Any) -> bool:
    # tuples, lists and the sequences a scan keeps compact (packed.PackedFindings)
    return isinstance(value, (list, tuple)) or (isinstance(value, Sequence) and not isinstance(value, (str, bytes)))


def _plain(value: Any) -> Any:
    # One pass over the dataclasses, without dataclasses.asdict's deep copy of every fact: on a
    # scan of many targets that copy cost more than writing the JSON.
    if hasattr(type(value), "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in field_names(type(value))}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if _is_list(value):
        return [_plain(v) for v in value]
    return value


@functools.cache
def _adapter() -> TypeAdapter[Result]:
    # built once: the dataclasses above are the schema (`cyberaudit schema result` prints the same);
    # pydantic is imported only here, so commands that never read a Result start without it
    from pydantic import TypeAdapter

    return TypeAdapter(Result)


def result_from_dict(data: dict[str, Any]) -> Result:
    """Rebuild a Result from its JSON form (the inverse of Result.to_dict); ValidationError if it is not one."""
    _check_major(data)
    # unknown keys (from a newer minor version) are ignored; every known one must have its type
    return _adapter().validate_python(data)


def _check_major(data: Mapping[str, Any]) -> None:
    major = str(data.get("schema_version", "")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported result schema_version {shown(data.get('schema_version'))} "
                         f"(this cyberaudit reads {SCHEMA_VERSION})")


@functools.cache
def _part_adapter(cls: type) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def _validation_error() -> type[Exception]:
    from pydantic import ValidationError

    return ValidationError


def _result_problems(exc: ValidationError, text: str, path: Path) -> list[InputError]:
    errors = exc.errors(include_url=False)
    # pydantic names the dataclass in some locations (Finding, WaiverInfo): keep keys and indexes only
    locs = [tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper())) for err in errors]
    where = json_positions(text, locs[:MAX_LISTED])
    out = []
    for err, loc in zip(errors, locs, strict=True):
        line, col = where.get(loc, (None, None))
        out.append(InputError(f"not a cyberaudit result: {problem(err, dotted(loc) or 'document')}", path,
                              line, col))
    return out


def _result_text(path: Path) -> str:
    raw = read_user_bytes(path, "result file", MAX_RESULT_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not a cyberaudit result: the file is not UTF-8 text", path) from None


def load_result(path: str | Path) -> Result:
    """Read a saved Result JSON, bounded in size and depth and checked against the Result's schema."""
    path = Path(path)
    try:
        return _load_streamed(path)
    except InputError:
        raise  # the file itself: missing, special, too large
    except Exception:  # noqa: BLE001 - any problem of the content is told by the whole-file reading below
        pass
    return _load_whole(path)


@dataclass(frozen=True)
class ResultHead:
    """What a list of saved results needs of each one: when, for which profile, and its overall score."""

    generated_at: str
    profile_path: str
    overall: ScoreCard


def load_result_head(path: str | Path, profile_path: str | None = None) -> ResultHead | None:
    """The head of a saved Result, its findings and targets read as JSON but neither checked nor kept.

    With `profile_path`, None for another profile's result, known as soon as its profile is read.
    """
    path = Path(path)
    try:
        head: dict[str, Any] = {}
        for key, value in _members(path):
            if isinstance(value, Iterator):
                for _ in value:
                    pass
                continue
            head[key] = value
            if key == "schema_version":
                _check_major(head)
            elif (key == "profile" and profile_path is not None
                  and _part_adapter(ProfileInfo).validate_python(value).path != profile_path):
                return None  # a folder shared by many clients' profiles: the others' are not read on
        return ResultHead(_part_adapter(str).validate_python(head["generated_at"]),
                          _part_adapter(ProfileInfo).validate_python(head["profile"]).path,
                          _part_adapter(ScoreCard).validate_python(head["scores"]["overall"]))
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - told, with its line, by the whole-file reading
        pass
    result = _load_whole(path)
    if profile_path is not None and result.profile.path != profile_path:
        return None
    return ResultHead(result.generated_at, result.profile.path, result.scores.overall)


def _members(path: Path) -> Iterator[tuple[str, Any]]:
    """The file's top-level members; findings and targets as iterators of their items (jsonstream)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def pieces() -> Iterator[str]:
        for chunk in read_user_chunks(path, "result file", MAX_RESULT_BYTES):
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)

    raw_decode = json.JSONDecoder(parse_int=bounded_int).raw_decode
    return read_object(pieces(), frozenset({"findings", "targets"}), raw_decode)


def _load_streamed(path: Path) -> Result:
    """The Result read a finding and a target at a time: only the current one is ever parsed whole.

    Findings are packed as they come (packed.py) and facts kept as compact.FrozenJson, as a scan
    keeps its own; at 1,000 websites that is about a tenth of the whole file's parsed objects. Any
    problem raises, and `load_result` then reads the file whole for errors with their lines.
    """
    from cyberaudit.packed import PackedFindings  # it builds on this module

    def items(values: Iterator[Any], adapter: TypeAdapter[Any]) -> Iterator[Any]:
        for value in values:
            if too_deep(value, MAX_JSON_DEPTH - 2):
                raise ValueError("nested too deep")
            yield adapter.validate_python(value)

    data: dict[str, Any] = {}
    findings: Sequence[Finding] = ()
    targets: tuple[TargetResult, ...] = ()
    for key, value in _members(path):
        if key == "findings" and isinstance(value, Iterator):
            findings = PackedFindings(items(value, _part_adapter(Finding)))
            data[key] = []
        elif key == "targets" and isinstance(value, Iterator):
            targets = tuple(replace(t, facts=FrozenJson(t.facts))
                            for t in items(value, _part_adapter(TargetResult)))
            data[key] = []
        elif too_deep(value, MAX_JSON_DEPTH - 1):
            raise ValueError("nested too deep")
        else:
            data[key] = value
        if key == "schema_version":
            _check_major(data)  # before thousands of findings of another layout are validated
    return replace(result_from_dict(data), findings=findings, targets=targets)


def _load_whole(path: Path) -> Result:
    # the bytes, the text and the parsed data of a large result are each let go once the next is
    # made: together they were several times the file (the text is read again only for an error)
    text = _result_text(path)
    data = load_json(text, path, "not a cyberaudit result")
    del text
    if not isinstance(data, dict):
        raise InputError("not a cyberaudit result: the top level is not a JSON object", path, 1, 1)
    try:
        return result_from_dict(data)
    except _validation_error() as exc:
        raise_all(_result_problems(exc, _result_text(path), path))
        raise InputError("not a cyberaudit result", path) from None
    except ValueError as exc:
        raise InputError(f"not a cyberaudit result: {exc}", path) from None
