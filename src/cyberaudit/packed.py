"""A scan's findings kept as one compressed block per target, the texts a rule's findings share held once.

Tens of thousands of findings as objects cost several times their text. `PackedFindings` is the
Result's sequence of findings in that form: reading it decodes one target's block at a time, so
scoring, writing and merging never hold every finding at once. The blocks are pickles made in this
process (or by its own worker processes, which hand their Result over pickled anyway); nothing
read from a file is ever unpickled.
"""

from __future__ import annotations

import bisect
import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from cyberaudit.result import Finding

# what every finding of one rule on one kind of target has in common
_Common = tuple[str, str, str, str, str, str, tuple[str, ...], str, str]


class PackedFindings(Sequence[Finding]):
    """An immutable sequence of findings, stored per target as a compressed block."""

    __slots__ = ("_blocks", "_starts", "_common", "_index", "_len")

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._blocks: list[bytes] = []
        self._starts: list[int] = []  # position of each block's first finding
        self._common: list[_Common] = []
        self._index: dict[_Common, int] = {}
        self._len = 0
        run: list[Finding] = []
        for f in findings:  # consecutive findings of one target become one block
            if run and (f.target, f.target_kind) != (run[0].target, run[0].target_kind):
                self._add(run)
                run = []
            run.append(f)
        self._add(run)

    def _add(self, findings: Sequence[Finding]) -> None:
        if findings:
            self.append_block(*self.pack(findings))

    def pack(self, findings: Sequence[Finding]) -> tuple[bytes, int]:
        """One block of `findings` (using this sequence's table of shared texts), and its length."""
        rows = []
        for f in findings:
            common: _Common = (f.rule_id, f.target_kind, f.severity, f.category, f.title, f.remediation,
                               tuple(f.references), f.effort, f.pack)
            i = self._index.get(common)
            if i is None:
                i = self._index[common] = len(self._common)
                self._common.append(common)
            rows.append((i, f.target, f.status, f.message, tuple(f.details), dict(f.evidence),
                         tuple(f.evidence_text), f.waiver))
        return zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 6), len(rows)

    def append_block(self, block: bytes, length: int) -> None:
        """Add a block made by `pack` on this sequence at the end."""
        if length:
            self._starts.append(self._len)
            self._blocks.append(block)
            self._len += length

    def rule_ids(self) -> set[str]:
        """The rules that have findings here, without decoding any."""
        return {c[0] for c in self._common}

    def _block(self, n: int) -> list[Finding]:
        out = []
        for i, target, status, message, details, evidence, evidence_text, waiver in pickle.loads(
                zlib.decompress(self._blocks[n])):
            rule_id, kind, severity, category, title, remediation, references, effort, pack = self._common[i]
            out.append(Finding(rule_id=rule_id, target=target, target_kind=kind, status=status, severity=severity,
                               category=category, title=title, message=message, details=details,
                               evidence=evidence, evidence_text=evidence_text, remediation=remediation,
                               references=references, effort=effort, pack=pack, waiver=waiver))
        return out

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Finding]:
        for n in range(len(self._blocks)):
            yield from self._block(n)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Finding, ...]: ...

    def __getitem__(self, index: int | slice) -> Finding | tuple[Finding, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("finding index out of range")
        n = bisect.bisect_right(self._starts, index) - 1
        return self._block(n)[index - self._starts[n]]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedFindings({len(self)} findings in {len(self._blocks)} blocks)"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (_restore, (self._blocks, self._starts, self._common, self._len))

    @property
    def stored_bytes(self) -> int:
        """Bytes of the compressed blocks."""
        return sum(len(b) for b in self._blocks)


def _restore(blocks: list[bytes], starts: list[int], common: list[_Common], length: int) -> PackedFindings:
    obj = PackedFindings()
    obj._blocks, obj._starts, obj._common, obj._len = blocks, starts, common, length
    obj._index = {c: i for i, c in enumerate(common)}
    return obj
