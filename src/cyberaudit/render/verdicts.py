"""Plain-text verdict notes shared by the text renderers: grade caps, not-scored areas, unreachable targets."""

from __future__ import annotations

from cyberaudit.reach import Unreachable
from cyberaudit.result import ScoreCard

UNREACHABLE_NOTE = ("Its checks are not scored and do not count as passed; they count as not checked "
                    "in the coverage.")


def cap_text(card: ScoreCard | None) -> str:
    """' (capped from B: 2 different critical rules failed: A, B)', or '' when no cap applies."""
    if card is None or not card.cap:
        return ""
    why = card.cap.replace(f" (grade capped at {card.grade})", "")
    rules = f": {', '.join(card.cap_rules)}" if card.cap_rules else ""
    source = f" from {card.uncapped_grade}" if card.uncapped_grade else ""
    return f" (capped{source}: {why}{rules})"


def grade_text(card: ScoreCard | None) -> str:
    """The grade with its cap, or why there is none."""
    if card is None or card.grade is None:
        return "not scored (could not be reached)" if card is not None and card.unreached else "–"
    return card.grade + cap_text(card)


def unreachable_lines(unreachable: list[Unreachable] | tuple[Unreachable, ...]) -> list[str]:
    """One sentence a target, with the endpoints folded into it."""
    return [u.sentence + (f" (also {', '.join(u.also)})" if u.also else "") for u in unreachable]
