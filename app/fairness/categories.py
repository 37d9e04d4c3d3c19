"""The self-identification questions an organisation asks: dimensions (sex, ethnicity...)
each with its categories, labelled in Russian and English, edited by admins as short text."""

import re
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInput
from app.models import Organisation

# Always offered, never counted as a category: the report counts it with the unknowns.
PREFER_NOT_TO_SAY = "prefer_not_to_say"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DIMENSIONS = 6
MAX_OPTIONS = 20


@dataclass(frozen=True)
class Category:
    key: str
    ru: str
    en: str

    def label(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


@dataclass(frozen=True)
class Dimension(Category):
    options: tuple[Category, ...] = ()

    def option(self, key: str) -> Category | None:
        return next((option for option in self.options if option.key == key), None)


# The built-in questions; an organisation replaces them with its own in the settings.
DEFAULT_CATEGORIES_TEXT = """\
sex: Пол | Sex
  female: Женский | Female
  male: Мужской | Male
ethnicity: Этническая принадлежность | Ethnicity
  majority: Этническое большинство страны | The country's ethnic majority
  minority: Этническое меньшинство | An ethnic minority
"""


def parse_categories(text: str) -> list[dict[str, Any]]:
    """Returns the dimensions written as text, ready to store: a line `key: Русский | English`
    starts a dimension, indented lines of the same form are its categories."""
    dimensions: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, labels = line.strip().partition(":")
        ru, _, en = labels.partition("|")
        key, ru, en = key.strip(), ru.strip(), en.strip()
        if not _KEY.match(key) or key == PREFER_NOT_TO_SAY or not ru or not en:
            raise InvalidInput(
                f"line {number}: write `key: Русский | English`, the key in small Latin "
                f"letters, digits and _ (not {PREFER_NOT_TO_SAY}, which is always offered)",
                field="categories",
            )
        item = {"key": key, "ru": ru[:200], "en": en[:200]}
        if line[0].isspace():
            if not dimensions:
                raise InvalidInput(
                    f"line {number}: a category needs its dimension above it", field="categories"
                )
            options = dimensions[-1]["options"]
            if any(option["key"] == key for option in options) or len(options) >= MAX_OPTIONS:
                raise InvalidInput(
                    f"line {number}: the key {key!r} is there already, or too many",
                    field="categories",
                )
            options.append(item)
        else:
            if any(d["key"] == key for d in dimensions) or len(dimensions) >= MAX_DIMENSIONS:
                raise InvalidInput(
                    f"line {number}: the key {key!r} is there already, or too many",
                    field="categories",
                )
            dimensions.append({**item, "options": []})
    if any(len(d["options"]) < 2 for d in dimensions):
        raise InvalidInput("every dimension needs two categories or more", field="categories")
    return dimensions


def categories_text(dimensions: list[Dimension]) -> str:
    """Returns the dimensions in the text form admins edit."""
    lines = []
    for dimension in dimensions:
        lines.append(f"{dimension.key}: {dimension.ru} | {dimension.en}")
        lines.extend(f"  {o.key}: {o.ru} | {o.en}" for o in dimension.options)
    return "\n".join(lines) + "\n"


def dimensions_from(stored: list[dict[str, Any]]) -> list[Dimension]:
    return [
        Dimension(
            key=d["key"],
            ru=d["ru"],
            en=d["en"],
            options=tuple(Category(o["key"], o["ru"], o["en"]) for o in d["options"]),
        )
        for d in stored
    ]


DEFAULT_DIMENSIONS = dimensions_from(parse_categories(DEFAULT_CATEGORIES_TEXT))


def dimensions_of(organisation: Organisation) -> list[Dimension]:
    """Returns the organisation's questions, the built-in ones unless it set its own."""
    stored = organisation.self_identification_categories
    return DEFAULT_DIMENSIONS if stored is None else dimensions_from(stored)


def clean_answers(dimensions: list[Dimension], raw: dict[str, str]) -> dict[str, str]:
    """Returns the answers that name a dimension and one of its categories (or "prefer not
    to say"); anything else, blank included, is left out: unknown."""
    answers = {}
    for dimension in dimensions:
        value = str(raw.get(dimension.key) or "").strip()
        if value == PREFER_NOT_TO_SAY or dimension.option(value):
            answers[dimension.key] = value
    return answers
