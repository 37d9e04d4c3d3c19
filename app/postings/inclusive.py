"""Inclusive-language check of job ads: gendered and age-coded wording, with alternatives."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Warning:
    phrase: str  # what the ad says
    reason: str  # why it shuts people out
    suggestion: str  # what to write instead


# (pattern, reason, suggestion) per language; patterns match case-insensitively.
RULES: dict[str, list[tuple[str, str, str]]] = {
    "ru": [
        (
            r"\bмолод\w*",
            "возраст: отпугивает опытных кандидатов",
            "«дружная команда», «команда, которая любит новое»",
        ),
        # An age limit ("не старше 35", "в возрасте до 30 лет"), not years of experience.
        (
            r"\b(?:в\s+возрасте|возраст\w*|не\s+старше)\s+(?:до\s+|от\s+)?\d{2}(?:\s+лет)?",
            "ограничение по возрасту",
            "уберите возраст, опишите нужный опыт",
        ),
        (r"\bстудент\w*", "возраст: подразумевает молодых", "«без опыта или с небольшим опытом»"),
        (
            r"\bдевушк\w*|\bженщин\w*",
            "пол: вакансия только для женщин",
            "пишите о задачах, а не о поле",
        ),
        (
            r"\bпарн\w*|\bпарень\b|\bмужчин\w*",
            "пол: вакансия только для мужчин",
            "пишите о задачах, а не о поле",
        ),
        (r"\(\s*[мж]\s*\)", "пометка пола в названии должности", "название без пометки пола"),
        (
            r"\bприятн\w+\s+внешност\w*|\bфото\s+в\s+резюме",
            "внешность не относится к работе",
            "уберите требование",
        ),
    ],
    "en": [
        (
            r"\byoung\b|\byouthful\b",
            "age-coded: puts off experienced people",
            "“curious”, “keen to learn”",
        ),
        (r"\bdigital natives?\b", "age-coded", "“fluent with social platforms”"),
        (r"\brecent graduates?\b", "age-coded", "“early in your career, or changing careers”"),
        (r"\bunder \d{2}\b", "an age limit", "describe the experience you need instead"),
        (r"\b(he|him|his)\b", "gendered pronoun", "“you” or “they”"),
        (r"\bguys\b", "gendered word", "“everyone”, “team”"),
        (r"\bsales(man|men)\b|\bchairman\b", "gendered job title", "“salesperson”, “chair”"),
        (
            r"\bninjas?\b|\brock ?stars?\b",
            "coded jargon that deters many applicants",
            "say what the job needs",
        ),
    ],
}


def check(text: str, locale: str) -> list[Warning]:
    """Returns the warnings for the text, in the order the phrases appear."""
    found: list[tuple[int, Warning]] = []
    for pattern, reason, suggestion in RULES.get(locale, []):
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            found.append((match.start(), Warning(match.group(0), reason, suggestion)))
    return [warning for _, warning in sorted(found, key=lambda item: item[0])]
