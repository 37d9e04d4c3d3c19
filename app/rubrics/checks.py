"""Validation of rubric documents: every problem with its path in the document and the fix."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any

from pydantic import BaseModel, ValidationError

from app.i18n import N_
from app.rubrics.schema import QuestionKind, Rubric
from app.rubrics.seed import SEED_LISTS

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a document: where (path, and file and line when known) and the fix."""

    path: Path
    message: str
    file: str | None = None
    line: int | None = None
    # The message as a gettext id with its values, for pages in the user's language; a
    # message without one is shown as it is (in English).
    text: str | None = None
    values: Mapping[str, object] = dataclass_field(default_factory=dict)

    @classmethod
    def translatable(cls, path: Path, text: str, **values: object) -> "Problem":
        """Returns a problem whose English message is the gettext id filled with the values."""
        return cls(path, text % values, text=text, values=values)

    @property
    def field(self) -> str:
        return ".".join(str(part) for part in self.path) or "(document)"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.field}: {self.message}"


_LANGUAGES = {"ru": "Russian", "en": "English"}


def _message_for(error: Mapping[str, Any]) -> str:
    kind, location = error["type"], error["loc"]
    last = location[-1] if location else None
    if kind == "missing" and last in _LANGUAGES:
        return f"missing translation: add the {_LANGUAGES[last]} text ({last}: ...)"
    if kind == "string_too_short" and last in _LANGUAGES:
        return f"missing translation: the {_LANGUAGES[last]} text ({last}) is empty"
    if kind == "missing":
        return f"{last!r} is required: add it"
    if kind == "extra_forbidden":
        return f"unknown field {last!r}: remove it or fix its spelling (see rubrics/README.md)"
    if kind == "enum":
        return f"{error['input']!r} is not allowed: {error['ctx']['expected']}"
    if kind == "greater_than_equal" and last == "weight":
        return "a weight cannot be negative: use 0 to switch a criterion off"
    if kind == "too_short" and error.get("ctx"):
        return f"{last!r} needs at least {error['ctx']['min_length']} item(s): add one"
    if kind == "string_pattern_mismatch":
        return (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits and "
            "underscores, parts joined by dots (e.g. strategy.budget)"
        )
    return f"{error['msg']}"


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    return [_problem_for(error) for error in exc.errors()]


def _problem_for(error: Mapping[str, Any]) -> Problem:
    path = tuple(error["loc"])
    if path and path[-1] == "min_rating" and error["type"] in ("int_type", "greater_than_equal"):
        # The profile builder's form can send this: it is shown in the user's language.
        return Problem.translatable(
            path,
            N_(
                "%(value)s is not a level: a must-have threshold is a whole level of the "
                "criterion's scale, e.g. 3"
            ),
            value=repr(error["input"]),
        )
    return Problem(path=path, message=_message_for(error))


def validate_document(model: type[BaseModel], data: Any) -> tuple[Any, list[Problem]]:
    """Returns the parsed document (or None) and the shape problems pydantic found."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc)


def check_rubric(rubric: Rubric, *, known_criterion_ids: Iterable[str] = ()) -> list[Problem]:
    """Returns the problems a well-shaped rubric can still have: anchors, ids, weights, sources."""
    problems: list[Problem] = []
    levels = rubric.scale.levels  # 2-10 consecutive levels from 0 or 1: the schema saw to it
    if set(rubric.scale.labels) != set(levels):
        problems.append(
            Problem(("scale", "labels"), f"give one label for each level {levels} and no other")
        )
    ids = Counter(criterion.id for criterion in rubric.criteria())
    own_ids = set(ids)
    known = own_ids | set(known_criterion_ids)
    reported_duplicates: set[str] = set()
    for s_index, section in enumerate(rubric.sections):
        section_path: Path = ("sections", s_index)
        if all(criterion.weight == 0 for criterion in section.criteria):
            problems.append(
                Problem(
                    (*section_path, "criteria"),
                    f"every criterion of section {section.id!r} weighs 0: "
                    "give at least one a weight above 0",
                )
            )
        for c_index, criterion in enumerate(section.criteria):
            path: Path = (*section_path, "criteria", c_index)
            if ids[criterion.id] > 1 and criterion.id not in reported_duplicates:
                reported_duplicates.add(criterion.id)
                problems.append(
                    Problem((*path, "id"), f"duplicate id {criterion.id!r}: give each one its own")
                )
            for level in levels:
                if level not in criterion.anchors:
                    problems.append(
                        Problem(
                            (*path, "anchors"),
                            f"missing anchor for level {level}: describe what a {level} looks like",
                        )
                    )
            for level in criterion.anchors:
                if level not in levels:
                    problems.append(
                        Problem(
                            (*path, "anchors", level),
                            f"level {level} is not on the scale {levels}: remove it",
                        )
                    )
            kinds = {question.kind for question in criterion.questions}
            for kind in QuestionKind:
                if kind not in kinds:
                    problems.append(
                        Problem(
                            (*path, "questions"),
                            f"no {kind.value} question: add one, with follow-up probes",
                        )
                    )
            for duplicate, count in Counter(criterion.evidence).items():
                if count > 1:
                    problems.append(
                        Problem((*path, "evidence"), f"{duplicate.value!r} is listed twice")
                    )
            for r_index, reference in enumerate(criterion.source):
                problem = seed_reference_problem(reference.list, reference.item)
                if problem:
                    problems.append(Problem((*path, "source", r_index), problem))
            for r_index, related in enumerate(criterion.related):
                if related not in known:
                    problems.append(
                        Problem(
                            (*path, "related", r_index),
                            f"dangling reference: no criterion has the id {related!r}",
                        )
                    )
    return problems


def seed_reference_problem(list_key: str, item: int) -> str | None:
    seed_list = SEED_LISTS.get(list_key)
    if seed_list is None:
        return f"unknown seed list {list_key!r}: use one of {', '.join(SEED_LISTS)}"
    if item > len(seed_list.items):
        return f"seed list {list_key!r} has {len(seed_list.items)} items, not {item}"
    return None


def in_file(problems: Iterable[Problem], file: str, lines: Mapping[Path, int]) -> list[Problem]:
    """Returns the problems with the file and the line of the nearest part of the path."""
    located = []
    for problem in problems:
        path = tuple(str(part) for part in problem.path)
        while path and path not in lines:
            path = path[:-1]
        located.append(replace(problem, file=file, line=problem.line or lines.get(path, 1)))
    return located
