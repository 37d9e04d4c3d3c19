"""The one ranking policy of a vacancy's candidates (pure): who a recruiter reads first.

Candidates who meet every must-have on enough of the profile come first, by total; then the
provisional or incomplete ones (a thin assessment, a must-have not yet assessed, nothing scored
yet), by total; then those who do not meet a must-have, by total, however high. Ties go to the
higher coverage, then to the earlier application (ids are time-ordered), so the order never
depends on how the rows were read.
"""

import enum
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

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


# --- the same policy as SQL ordering -----------------------------------------------------------
# The pages and the API page through thousands of applications in the database, so the policy is
# also written as ORDER BY terms over the stored score's columns. tests/scoring/test_ranking_sql.py
# checks on random data (ties included) that this order is the order of rank_key above.


def sql_rank_group(outcome: Any, provisional: Any) -> Any:
    """rank_group as a SQL expression (NULL columns: no current score, so TENTATIVE)."""
    return sa.case(
        (outcome == Outcome.DOES_NOT_MEET_MUST_HAVES.value, int(RankGroup.FAILS_MUST_HAVE)),
        (
            (outcome == Outcome.MEETS_MUST_HAVES.value) & (provisional == sa.false()),
            int(RankGroup.ASSESSED),
        ),
        else_=int(RankGroup.TENTATIVE),
    )


def sql_rank_order(
    *, outcome: Any, provisional: Any, total: Any, coverage: Any, tie: Any, reverse: bool = False
) -> list:
    """rank_key as ORDER BY terms (reverse: the last first); `tie` must sort in the database as
    str(id) sorts in Python (UUIDs do: 32 hex digits on SQLite, the uuid type's bytes on
    PostgreSQL). No term is NULL, so the databases' different NULL orders do not matter."""
    ascending = [
        (sql_rank_group(outcome, provisional), True),
        (sa.case((total.is_(None), 1), else_=0), True),
        (sa.func.coalesce(total, 0.0), False),
        (sa.func.coalesce(coverage, 0.0), False),
        (tie, True),
    ]
    return [term.asc() if up != reverse else term.desc() for term, up in ascending]
