"""Example rubric and role profile documents for the API's OpenAPI document. Both are valid
for any organisation that sees the built-in library: the rubric's criterion id is new, and the
profile picks built-in criteria (tests/api/test_openapi_document.py creates both)."""

from typing import Any


def _text(ru: str, en: str) -> dict[str, str]:
    return {"ru": ru, "en": en}


RUBRIC_EXAMPLE: dict[str, Any] = {
    "id": "community_care",
    "category": "duties",
    "title": _text("Забота о сообществе", "Community care"),
    "description": _text(
        "Как кандидат держит порядок в сообществе организации и бережно отвечает людям.",
        "How the candidate keeps the community orderly and answers people with care.",
    ),
    "sections": [
        {
            "id": "community_care",
            "title": _text("Модерация", "Moderation"),
            "criteria": [
                {
                    "id": "community_care.moderation",
                    "title": _text("Правила и модерация обсуждений", "Rules and moderation"),
                    "description": _text(
                        "Пишет понятные правила сообщества и применяет их ровно и вежливо.",
                        "Writes clear community rules and applies them evenly and politely.",
                    ),
                    "indicators": [
                        _text(
                            "Приводит пример правил, которые писал сам, и объясняет каждое.",
                            "Shows rules they wrote and explains each one.",
                        )
                    ],
                    # JSON object keys are strings; the scale's levels are 1 to 4.
                    "anchors": {
                        "1": _text("Удаляет неудобное без правил.", "Deletes what is awkward."),
                        "2": _text(
                            "Правила есть, применяет их от случая к случаю.",
                            "Has rules, applies them now and then.",
                        ),
                        "3": _text(
                            "Применяет правила ровно и объясняет решения.",
                            "Applies rules evenly, explains decisions.",
                        ),
                        "4": _text(
                            "Сообщество само поддерживает правила.",
                            "The community upholds the rules itself.",
                        ),
                    },
                    "questions": [
                        {
                            "kind": "behavioural",
                            "text": _text(
                                "Расскажите, как вы остановили ссору в комментариях.",
                                "Tell me how you stopped a quarrel in the comments.",
                            ),
                            "probes": [
                                _text("Что вы написали первым?", "What did you write first?")
                            ],
                        },
                        {
                            "kind": "situational",
                            "text": _text(
                                "Под постом о сборе пишут, что приют обманывает. Ваши действия?",
                                "People call the shelter a fraud under a fundraiser. What now?",
                            ),
                            "probes": [
                                _text(
                                    "Что вы удалите, а что оставите?",
                                    "What do you remove and what do you keep?",
                                )
                            ],
                        },
                    ],
                    "evidence": ["interview", "work_sample"],
                    "weight": 1.0,
                    "source": [{"list": "implementation", "item": 11}],
                    "related": ["implementation.conversations"],
                }
            ],
        }
    ],
}

PROFILE_EXAMPLE: dict[str, Any] = {
    "id": "smm_shelter",
    "title": _text("SMM-менеджер приюта для животных", "Social media manager, animal shelter"),
    "summary": _text(
        "Ведёт VK и Telegram приюта: истории питомцев, сборы, ответы волонтёрам.",
        "Runs the shelter's VK and Telegram: pets' stories, fundraising, answers to volunteers.",
    ),
    "level": "middle",
    "section_weights": {"experience": 20, "organisation": 20, "core_traits": 30, "duties": 30},
    "criteria": [
        {"id": "experience.own_audience"},
        {"id": "organisation.deadlines"},
        {"id": "communicability.listening", "weight": 2},
        {"id": "passion.audience_fit"},
        {"id": "implementation.editorial_content"},
        {"id": "implementation.conversations"},
    ],
    "must_haves": [{"criterion": "communicability.listening", "min_rating": 3}],
    "experience": {"min_years": 1, "max_years": 5},
    "platforms": {"required": ["vk", "telegram"], "optional": ["dzen"]},
    "kpis": [
        {"funnel": "engagement", "metric": _text("Вовлечённость (ER)", "Engagement rate")},
        {"funnel": "leads", "metric": _text("Заявки волонтёров", "Volunteer sign-ups")},
    ],
    "stages": [
        {"stage": "screening", "criteria": ["experience.own_audience"]},
        {
            "stage": "interview",
            "criteria": [
                "organisation.deadlines",
                "communicability.listening",
                "passion.audience_fit",
                "implementation.conversations",
            ],
        },
        {"stage": "work_sample", "criteria": ["implementation.editorial_content"]},
    ],
    "context": {
        "cause": "Помогаем бездомным животным найти дом",
        "audience": "Жители Казани 25–45 лет, волонтёры и будущие хозяева",
        "tone": "friendly",
    },
    "terms": {
        "location": "Казань",
        "remote": "hybrid",
        "schedule": "Пн–Пт, 10:00–19:00",
        "employment_type": "FULL_TIME",
        "salary_min": 70000,
        "salary_max": 95000,
        "currency": "RUB",
        "country": "RU",
    },
}


def upload_body(example: dict[str, Any]) -> dict[str, Any]:
    """The openapi_extra of an import. A YAML body's schema and example are its data, as for
    JSON (clients and schemathesis serialise them to YAML text)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                media_type: {"schema": {"type": "object"}, "example": example}
                for media_type in ("application/yaml", "application/json")
            },
        }
    }
