"""The rubric document: what a file in rubrics/ (or an organisation's own rubric) must hold.

Pure data validation: no database and no web imports. rubrics/README.md documents it.
"""

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from app.rubrics.seed import SEED_LISTS

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
DEFAULT_LEVELS = (1, 2, 3, 4)
# A scale has 2 to 10 whole levels, consecutive from 0 or 1 (rubrics/README.md says why).
MIN_LEVELS, MAX_LEVELS = 2, 10
# Ratings are stored one byte each (app/scoring), so no level can be above this.
HIGHEST_STORABLE_LEVEL = 255


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Russian and in English; both are required."""

    ru: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

    def in_(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


class Category(enum.StrEnum):
    """Which part of a score a rubric feeds."""

    EXPERIENCE = "experience"
    ORGANISATION = "organisation"
    CORE_TRAITS = "core_traits"
    DUTIES = "duties"


class EvidenceKind(enum.StrEnum):
    CV = "cv"
    SCREENING = "screening"
    INTERVIEW = "interview"
    WORK_SAMPLE = "work_sample"
    REFERENCE = "reference"


class QuestionKind(enum.StrEnum):
    BEHAVIOURAL = "behavioural"  # "Tell me about a time when..."
    SITUATIONAL = "situational"  # "What would you do if..."


class SeedReference(Strict):
    """The list and item of the source article that a criterion comes from."""

    list: str
    item: int = Field(ge=1)

    @property
    def quote(self) -> str:
        return SEED_LISTS[self.list].items[self.item - 1]


class Question(Strict):
    kind: QuestionKind
    text: Text
    probes: list[Text] = Field(min_length=1)


class WorkSample(Strict):
    """A short task done before or during the interview, rated on the same anchors."""

    title: Text
    instructions: Text
    minutes: int = Field(ge=5, le=480)
    looks_for: list[Text] = Field(min_length=1)


class Criterion(Strict):
    id: Identifier
    title: Text
    description: Text
    indicators: list[Text] = Field(min_length=1)
    # One text per level of the rubric's scale, keyed by the level.
    anchors: dict[int, Text]
    questions: list[Question] = Field(min_length=2)
    work_sample: WorkSample | None = None
    evidence: list[EvidenceKind] = Field(min_length=1)
    weight: float = Field(default=1.0, ge=0)
    source: list[SeedReference] = Field(min_length=1)
    # Ids of criteria that assess something close (shown side by side in the UI).
    related: list[Identifier] = []


class Section(Strict):
    id: Identifier
    title: Text
    criteria: list[Criterion] = Field(min_length=1)


class Scale(Strict):
    """The rating levels, lowest first, each with a short label."""

    levels: list[StrictInt]
    labels: dict[int, Text]

    @field_validator("levels", mode="before")
    @classmethod
    def _levels_are_a_bounded_run(cls, levels: object) -> object:
        """Refuses anything but 2-10 consecutive whole numbers from 0 or 1, saying the fix.

        It sees the raw input, so 1.0 or "1" is refused rather than quietly made 1."""
        if not isinstance(levels, list):
            return levels  # pydantic says it is not a list
        for level in levels:
            if isinstance(level, bool) or not isinstance(level, int):
                raise _scale_error(
                    f"level {level!r} is not a whole number: "
                    "use whole numbers, e.g. levels: [1, 2, 3, 4]"
                )
        if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
            raise _scale_error(
                f"a scale has {MIN_LEVELS} to {MAX_LEVELS} levels, not {len(levels)}: "
                "e.g. levels: [1, 2, 3, 4]"
            )
        for level in levels:
            if level < 0:
                raise _scale_error(f"level {level} is negative: start the scale at 0 or 1")
            if level > HIGHEST_STORABLE_LEVEL:
                raise _scale_error(
                    f"level {level} is over {HIGHEST_STORABLE_LEVEL}, the highest rating that "
                    f"can be stored: use {MIN_LEVELS} to {MAX_LEVELS} levels from 0 or 1"
                )
        first = levels[0]
        if first not in (0, 1):
            raise _scale_error(
                f"the scale starts at {first}: start it at 0 or 1, "
                f"e.g. levels: {list(range(1, len(levels) + 1))}"
            )
        expected = list(range(first, first + len(levels)))
        if levels != expected:
            raise _scale_error(
                f"levels must be consecutive, lowest first, with no gaps or repeats: "
                f"use levels: {expected}"
            )
        return levels


def _scale_error(message: str) -> PydanticCustomError:
    # The message is shown as it is (no "Value error, " prefix), by the API and the check.
    return PydanticCustomError("scale_levels", message)


DEFAULT_SCALE = Scale(
    levels=list(DEFAULT_LEVELS),
    labels={
        1: Text(ru="Не соответствует", en="Does not meet"),
        2: Text(ru="Частично соответствует", en="Partly meets"),
        3: Text(ru="Соответствует", en="Meets"),
        4: Text(ru="Превосходит", en="Exceeds"),
    },
)


class Rubric(Strict):
    id: Identifier
    category: Category
    title: Text
    description: Text
    scale: Scale = DEFAULT_SCALE
    sections: list[Section] = Field(min_length=1)

    def criteria(self) -> list[Criterion]:
        return [criterion for section in self.sections for criterion in section.criteria]
