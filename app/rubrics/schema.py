"""The rubric document: what a file in rubrics/ (or an organisation's own rubric) must hold.

Pure data validation: no database and no web imports. rubrics/README.md documents it.
"""

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.rubrics.seed import SEED_LISTS

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
DEFAULT_LEVELS = (1, 2, 3, 4)


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

    levels: list[int] = Field(min_length=2, max_length=10)
    labels: dict[int, Text]


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
