"""Splitting one scan's targets into shards that separate processes or machines scan apart.

A target belongs to shard `1 + H(kind, id) mod COUNT`, where H is SHA-256: the same on every
machine and in every run, whatever the order of the profile, so each shard of a Kubernetes
Indexed Job, a CI matrix or GNU parallel picks its own targets without talking to the others.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cyberaudit.errors import InputError
from cyberaudit.targets import Target


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based, as `--shard 1/4`) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, target: Target) -> bool:
        return shard_of(target.kind, target.id, self.count) == self.index


def shard_of(kind: str, target_id: str, count: int) -> int:
    """The 1-based shard that scans this target."""
    digest = hashlib.sha256(f"{kind}\0{target_id}".encode()).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def parse_shard(text: str, count: int | None = None, env: Mapping[str, str] | None = None) -> Shard:
    """`INDEX/COUNT`, or `auto`: Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX (0-based) with
    `count` or JOB_COMPLETIONS."""
    env = os.environ if env is None else env
    if text.strip().lower() == "auto":
        index_text = env.get("JOB_COMPLETION_INDEX")
        if index_text is None:
            raise InputError("--shard auto: JOB_COMPLETION_INDEX is not set (it is set by Kubernetes "
                             "Indexed Jobs); give --shard INDEX/COUNT instead")
        total = count if count is not None else _int(env.get("JOB_COMPLETIONS"), "JOB_COMPLETIONS")
        if total is None:
            raise InputError("--shard auto: give --shard-count or set JOB_COMPLETIONS")
        index = _int(index_text, "JOB_COMPLETION_INDEX")
        assert index is not None
        return _checked(index + 1, total, f"JOB_COMPLETION_INDEX={index_text}")
    parts = text.split("/")
    if len(parts) != 2:
        raise InputError(f"--shard: expected INDEX/COUNT such as 1/4, or auto; got {text!r}")
    index, total = _int(parts[0], "--shard INDEX"), _int(parts[1], "--shard COUNT")
    assert index is not None and total is not None
    return _checked(index, total, text)


def _int(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise InputError(f"{what}: expected a whole number, got {text!r}") from None


def _checked(index: int, count: int, given: str) -> Shard:
    if count < 1:
        raise InputError(f"--shard: the number of shards must be at least 1 (got {given})")
    if not 1 <= index <= count:
        raise InputError(f"--shard: INDEX must be between 1 and {count} (got {given})")
    return Shard(index, count)


def run_key(profile_digest: str, pack_digests: Sequence[str], targets: Sequence[Target], count: int) -> str:
    """What every shard of one run has in common: same profile, packs, targets and shard count."""
    h = hashlib.sha256()
    for part in (profile_digest, *pack_digests, str(count), *(f"{t.kind}\0{t.id}" for t in targets)):
        h.update(part.encode())
        h.update(b"\n")
    return "sha256:" + h.hexdigest()
