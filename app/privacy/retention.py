"""The retention policy, pure: when a candidate's personal data is due for erasure.

The clock starts when the hiring process ends for the candidate: the last stage change of
their applications once every one is rejected or withdrawn (the day they were added when they
never applied). Rejected candidates are kept `rejected_months`; those who consented to the
talent pool `talent_pool_months`. While an application is open the data is needed; a hired
candidate is an employee, whose records this policy does not decide.
"""

import calendar
import enum
from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_REJECTED_MONTHS = 6
DEFAULT_TALENT_POOL_MONTHS = 24
# The talent pool keeps people at most two years; a rejected candidate no longer than that.
MONTHS_RANGE = (1, 24)


class Basis(enum.StrEnum):
    """Why a candidate is (or is not) due for erasure."""

    IN_PROCESS = "in_process"  # an application is open: not due
    HIRED = "hired"  # not due under this policy
    REJECTED = "rejected"  # rejected or withdrawn everywhere (or never applied)
    TALENT_POOL = "talent_pool"  # the same, with the talent-pool consent
    ERASED = "erased"


@dataclass(frozen=True)
class Policy:
    rejected_months: int = DEFAULT_REJECTED_MONTHS
    talent_pool_months: int = DEFAULT_TALENT_POOL_MONTHS


@dataclass(frozen=True)
class Retention:
    basis: Basis
    process_ended_at: datetime | None = None
    erase_on: datetime | None = None  # None: not scheduled

    def is_due(self, now: datetime | None = None) -> bool:
        return self.erase_on is not None and self.erase_on <= (now or datetime.now(UTC))


def add_months(moment: datetime, months: int) -> datetime:
    """Returns the same day and time `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention(
    policy: Policy,
    *,
    created_at: datetime,
    applications: int,
    open_applications: int,
    hired_applications: int,
    last_stage_change_at: datetime | None,
    talent_pool_consent: bool,
) -> Retention:
    """Returns when the candidate is due for erasure, and why, from their applications' counts
    (open: not rejected, withdrawn or hired) and last stage change."""
    if open_applications:
        return Retention(Basis.IN_PROCESS)
    if hired_applications:
        return Retention(Basis.HIRED)
    ended_at = (last_stage_change_at if applications else None) or created_at
    if talent_pool_consent:
        return Retention(
            Basis.TALENT_POOL, ended_at, add_months(ended_at, policy.talent_pool_months)
        )
    return Retention(Basis.REJECTED, ended_at, add_months(ended_at, policy.rejected_months))
