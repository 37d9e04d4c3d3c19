"""The fairness report's figures, pure: from each application's outcome at a stage, its
self-identification and its scores, the selection and scoring rates per category and per
intersection of two dimensions, with impact ratios, the four-fifths flag and Fisher's test."""

import csv
import enum
import io
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from app.fairness.categories import PREFER_NOT_TO_SAY, Dimension
from app.fairness.stats import above_median, fisher_exact
from app.models import Stage

# The usual path through hiring; rejected and withdrawn leave it.
PIPELINE = (
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEW,
    Stage.WORK_SAMPLE,
    Stage.FINAL,
    Stage.OFFER,
    Stage.HIRED,
)
# Stages with a "next": the stages a report can be about.
REPORT_STAGES = PIPELINE[:-1]
_ORDER = {stage: position for position, stage in enumerate(PIPELINE)}
# The four-fifths rule: a rate below 80% of the highest group's suggests adverse impact.
FOUR_FIFTHS = 0.8


class Outcome(enum.StrEnum):
    FORWARD = "forward"  # reached a later stage of the path
    NOT_FORWARD = "not_forward"  # rejected at the stage
    PENDING = "pending"  # still at the stage (or on hold): no decision yet
    WITHDRAWN = "withdrawn"  # the candidate left at the stage: not a selection decision


def outcome_at(
    stage: Stage, current: Stage, moves: Iterable[tuple[Stage, Stage]]
) -> Outcome | None:
    """Returns what happened to an application at the stage, from its current stage and its
    decisions' (from, to) stages; None when it never reached the stage. Every application
    starts at "applied"; moved forward means it reached any later stage of the path, even
    if it left the path later (rejected after the next stage still counts as forward here)."""
    visited = {Stage.APPLIED, current}
    for from_stage, to_stage in moves:
        visited |= {from_stage, to_stage}
    if stage not in visited:
        return None
    furthest = max(_ORDER[s] for s in visited if s in _ORDER)
    if furthest > _ORDER[stage]:
        return Outcome.FORWARD
    if current == Stage.REJECTED:
        return Outcome.NOT_FORWARD
    if current == Stage.WITHDRAWN:
        return Outcome.WITHDRAWN
    return Outcome.PENDING


@dataclass(frozen=True)
class Person:
    """One application that reached the stage, as the report sees it (no name, no id)."""

    outcome: Outcome
    answers: dict[str, str]
    score: float | None = None
    ratings: dict[str, float] = field(default_factory=dict)  # criterion id -> panel rating


@dataclass
class Rate:
    """hits of `of` people: moved forward, or scored above the median."""

    hits: int
    of: int
    ratio: float | None = None  # this rate / the highest shown group's rate
    p_value: float | None = None  # Fisher's exact test, this group against the other groups

    @property
    def rate(self) -> float | None:
        return self.hits / self.of if self.of else None

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio < FOUR_FIFTHS


@dataclass
class Group:
    key: tuple[str, ...]  # one category key per dimension of the breakdown
    labels: tuple[str, ...]
    size: int  # people of the group who reached the stage
    selection: Rate
    scoring: Rate
    criteria: dict[str, Rate]
    hidden: bool = False


@dataclass
class Breakdown:
    """The groups of one dimension, or of the intersection of two."""

    dimensions: tuple[Dimension, ...]
    groups: list[Group]  # the groups shown: as large as the minimum or larger
    hidden_groups: int
    hidden_people: int
    unknown: int  # no answer to (one of) the dimensions
    prefer_not: int  # answered "prefer not to say" (and left nothing unknown)

    @property
    def key(self) -> str:
        return " x ".join(dimension.key for dimension in self.dimensions)

    def title(self, locale: str) -> str:
        return " × ".join(dimension.label(locale) for dimension in self.dimensions)

    @property
    def flagged(self) -> bool:
        return any(
            rate.flagged
            for group in self.groups
            for rate in (group.selection, group.scoring, *group.criteria.values())
        )


@dataclass
class Figures:
    people: int
    outcomes: dict[Outcome, int]
    selection: Rate
    scoring: Rate
    median_score: float | None
    criteria: list[tuple[str, str]]  # (criterion id, title)
    criterion_medians: dict[str, float | None]
    breakdowns: list[Breakdown]
    respondents: int  # people who answered at least one question (prefer-not included)


def _above(
    people: Sequence[Person], value_of: Callable[[Person], float | None]
) -> tuple[float | None, list[bool | None]]:
    """Returns the median of the people's values and, per person, whether theirs is above it
    (None: the person has no value)."""
    values = [value_of(person) for person in people]
    middle, flags = above_median([value for value in values if value is not None])
    flags_iter = iter(flags)
    return middle, [None if value is None else next(flags_iter) for value in values]


def _rate(members: Iterable[bool | None]) -> Rate:
    known = [member for member in members if member is not None]
    return Rate(hits=sum(known), of=len(known))


def _compare(rates: list[Rate], everyone: Rate) -> None:
    """Fills each shown group's impact ratio (against the highest rate among them) and its
    Fisher p-value (against all other respondents of the breakdown, hidden groups included)."""
    top = max((rate.rate for rate in rates if rate.rate is not None), default=None)
    for rate in rates:
        if rate.rate is not None and top:
            rate.ratio = rate.rate / top
        if rate.of:
            rest_hits, rest_of = everyone.hits - rate.hits, everyone.of - rate.of
            if rest_of:
                rate.p_value = fisher_exact(
                    rate.hits, rate.of - rate.hits, rest_hits, rest_of - rest_hits
                )


def compute(
    people: Sequence[Person],
    dimensions: Sequence[Dimension],
    *,
    min_group_size: int,
    criteria: Sequence[tuple[str, str]],
    locale: str = "ru",
) -> Figures:
    """Returns the report's figures for the people who reached the stage."""
    forward = [
        {Outcome.FORWARD: True, Outcome.NOT_FORWARD: False}.get(person.outcome) for person in people
    ]
    median_score, above = _above(people, lambda person: person.score)
    criterion_medians: dict[str, float | None] = {}
    criterion_above: dict[str, list[bool | None]] = {}
    for criterion_id, _ in criteria:
        criterion_medians[criterion_id], criterion_above[criterion_id] = _above(
            people, lambda person, cid=criterion_id: person.ratings.get(cid)
        )
    breakdowns = []
    combinations = [(d,) for d in dimensions] + list(itertools.combinations(dimensions, 2))
    for combination in combinations:
        members: dict[tuple[str, ...], list[int]] = {}
        unknown = prefer_not = 0
        for index, person in enumerate(people):
            key = tuple(person.answers.get(d.key) for d in combination)
            if None in key:
                unknown += 1
            elif PREFER_NOT_TO_SAY in key:
                prefer_not += 1
            else:
                members.setdefault(key, []).append(index)
        known = [index for indexes in members.values() for index in indexes]
        everyone = {
            "selection": _rate(forward[i] for i in known),
            "scoring": _rate(above[i] for i in known),
            **{cid: _rate(criterion_above[cid][i] for i in known) for cid, _ in criteria},
        }
        groups = []
        for key, indexes in members.items():
            labels = tuple(
                option.label(locale) if (option := d.option(value)) else value
                for d, value in zip(combination, key, strict=True)
            )
            groups.append(
                Group(
                    key=key,
                    labels=labels,
                    size=len(indexes),
                    selection=_rate(forward[i] for i in indexes),
                    scoring=_rate(above[i] for i in indexes),
                    criteria={
                        cid: _rate(criterion_above[cid][i] for i in indexes) for cid, _ in criteria
                    },
                    hidden=len(indexes) < min_group_size,
                )
            )
        # In the order the form lists the categories (an answer no longer listed goes last).
        order = [{option.key: i for i, option in enumerate(d.options)} for d in combination]
        shown = sorted(
            (g for g in groups if not g.hidden),
            key=lambda g: [
                ranks.get(value, len(ranks)) for ranks, value in zip(order, g.key, strict=True)
            ],
        )
        _compare([g.selection for g in shown], everyone["selection"])
        _compare([g.scoring for g in shown], everyone["scoring"])
        for cid, _ in criteria:
            _compare([g.criteria[cid] for g in shown], everyone[cid])
        hidden = [g for g in groups if g.hidden]
        breakdowns.append(
            Breakdown(
                dimensions=tuple(combination),
                groups=shown,
                hidden_groups=len(hidden),
                hidden_people=sum(g.size for g in hidden),
                unknown=unknown,
                prefer_not=prefer_not,
            )
        )
    outcomes = dict.fromkeys(Outcome, 0)
    for person in people:
        outcomes[person.outcome] += 1
    return Figures(
        people=len(people),
        outcomes=outcomes,
        selection=_rate(forward),
        scoring=_rate(above),
        median_score=median_score,
        criteria=list(criteria),
        criterion_medians=criterion_medians,
        breakdowns=breakdowns,
        respondents=sum(1 for person in people if person.answers),
    )


CSV_COLUMNS = (
    "breakdown",
    "category",
    "measure",
    "criterion",
    "group_size",
    "hits",
    "of",
    "rate",
    "impact_ratio",
    "below_four_fifths",
    "fisher_p",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def figures_csv(figures: Figures) -> str:
    """Returns the figures as CSV, a row per group and measure (selection, scoring, each
    criterion), then the hidden, unknown and prefer-not counts of each breakdown. With a BOM,
    so Excel reads the Cyrillic right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for breakdown in figures.breakdowns:
        for group in breakdown.groups:
            measures = [("selection", "", group.selection), ("scoring", "", group.scoring)]
            measures += [("criterion", cid, group.criteria[cid]) for cid, _ in figures.criteria]
            for measure, criterion_id, rate in measures:
                writer.writerow(
                    [
                        breakdown.key,
                        " × ".join(group.labels),
                        measure,
                        criterion_id,
                        group.size,
                        rate.hits,
                        rate.of,
                        _number(rate.rate),
                        _number(rate.ratio),
                        "yes" if rate.flagged else "no",
                        _number(rate.p_value),
                    ]
                )
        for label, count in (
            (f"hidden: {breakdown.hidden_groups} groups", breakdown.hidden_people),
            ("unknown", breakdown.unknown),
            ("prefer not to say", breakdown.prefer_not),
        ):
            writer.writerow([breakdown.key, label, "count", "", count] + [""] * 6)
    return out.getvalue()
