"""The one ranking policy of a vacancy's candidates (pure): who a recruiter reads first.

Candidates who meet every must-have on enough of the profile come first, by total; then the
provisional or incomplete ones (a thin assessment, a must-have not yet assessed, nothing scored
yet), by total; then those who do not meet a must-have, by total, however high. Ties go to the
higher coverage, then to the earlier application (ids are time-ordered), so the order never
depends on how the rows were read.
"""

import enum
from collections.abc import Callable, Sequence
from typing import TypeVar

from app.scoring.engine import Outcome


class RankGroup(enum.IntEnum):
    ASSESSED = 1  # meets every must-have, not provisional
    TENTATIVE = 2  # provisional, incomplete or not scored yet
    FAILS_MUST_HAVE = 3  # does not meet a must-have


def rank_group(outcome: str | None, provisional: bool) -> RankGroup:
    """Returns the group a score puts its application in."""
    if outcome == Outcome.DOES_NOT_MEET_MUST_HAVES:
        return RankGroup.FAILS_MUST_HAVE
    if outcome == Outcome.MEETS_MUST_HAVES and not provisional:
        return RankGroup.ASSESSED
    return RankGroup.TENTATIVE


def rank_key(
    *, outcome: str | None, provisional: bool, total: float | None, coverage: float | None, tie: str
) -> tuple:
    """Returns the sort key of one application under the policy (smaller ranks first)."""
    return (
        rank_group(outcome, provisional),
        total is None,
        -(total or 0.0),
        -(coverage or 0.0),
        tie,
    )


Row = TypeVar("Row")


def ranked(rows: Sequence[Row], key: Callable[[Row], tuple]) -> list[tuple[int, Row]]:
    """Returns (rank, row) pairs in rank order, ranks from 1, given each row's rank_key."""
    return list(enumerate(sorted(rows, key=key), start=1))
