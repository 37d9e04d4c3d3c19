"""API shapes of vacancies, candidates, applications and interviewer assignments. Request
bodies refuse unknown fields, so ids, organisation and authorship cannot be set from outside."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.contract import RequestBody
from app.models import Locale, Stage, VacancyStatus
from app.scoring.screening import ScreeningData

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]


class VacancyIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role_profile_id": "01965f3a-2b7c-7d41-9e0a-5c3b8f1d2a64",
                    "title": "SMM-менеджер в приют «Лапы»",
                    "locale": "ru",
                    "status": "open",
                }
            ]
        }
    )

    role_profile_id: uuid.UUID = Field(description="The role profile; its latest version is kept.")
    title: Name = Field(examples=["SMM-менеджер в приют «Лапы»"])
    locale: Locale = Locale.RU
    status: VacancyStatus = VacancyStatus.OPEN


class VacancyPatch(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "Старший SMM-менеджер в приют «Лапы»", "status": "on_hold"}]
        }
    )

    title: Name | None = None
    status: VacancyStatus | None = None


class VacancyOut(BaseModel):
    id: uuid.UUID
    title: str
    locale: Locale
    status: VacancyStatus
    role_profile_id: uuid.UUID
    role_profile_version_id: uuid.UUID
    opened_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class CandidateProfile(ScreeningData):
    """What the candidate states: it feeds the screening score."""

    model_config = ConfigDict(extra="forbid")


class CandidateIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "full_name": "Вера Кандидатова",
                    "email": "vera@example.org",
                    "phone": "+7 912 345-67-89",
                    "location": "Казань",
                    "source": "hh.ru",
                    "external_id": "ats-17",
                    "profile": {
                        "years_in_smm": 3,
                        "platforms": ["vk", "telegram", "dzen"],
                        "ad_tools": ["VK Реклама", "Telegram Ads"],
                        "cms": ["Tilda"],
                        "analytics_tools": ["Яндекс Метрика", "TGStat"],
                        "own_blog_url": "https://t.me/vera_pro_smm",
                        "audience_built": 12000,
                        "portfolio_links": ["https://vk.com/lapy_priut"],
                    },
                    "notes": "Вела сообщество зоозащитного фонда два года.",
                    "consent_text": "Согласна на обработку персональных данных для подбора.",
                    "consent_given_at": "2025-03-14T10:30:00Z",
                }
            ]
        }
    )

    full_name: Name = Field(examples=["Вера Кандидатова"])
    email: Email | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    location: ShortText = ""
    source: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = "ats"
    external_id: ShortText | None = Field(
        default=None, description="The candidate's id in your ATS (unique in the organisation)."
    )
    profile: CandidateProfile = CandidateProfile()
    notes: Annotated[str, StringConstraints(max_length=10_000)] = ""
    consent_text: Annotated[str, StringConstraints(max_length=2_000)] = Field(
        default="", description="What the candidate agreed to, word for word."
    )
    consent_given_at: datetime | None = None


class CandidatePatch(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location": "Москва",
                    "profile": {"years_in_smm": 4, "platforms": ["vk", "telegram", "rutube"]},
                    "notes": "Переехала в Москву, готова к гибридному графику.",
                }
            ]
        }
    )

    full_name: Name | None = None
    email: Email | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    location: ShortText | None = None
    external_id: ShortText | None = None
    profile: CandidateProfile | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class CandidateOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                    "full_name": "Вера Кандидатова",
                    "email": "vera@example.org",
                    "phone": "+7 912 345-67-89",
                    "location": "Казань",
                    "source": "hh.ru",
                    "external_id": "ats-17",
                    "profile": {"years_in_smm": 3, "platforms": ["vk", "telegram", "dzen"]},
                    "notes": "Вела сообщество зоозащитного фонда два года.",
                    "consent_given_at": "2025-03-14T10:30:00Z",
                    "created_at": "2025-03-14T10:31:02Z",
                    "updated_at": "2025-03-20T08:15:47Z",
                }
            ]
        }
    )

    id: uuid.UUID
    full_name: str
    email: str
    phone: str
    location: str
    source: str
    external_id: str | None
    profile: dict
    notes: str
    consent_given_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ApplicationIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "vacancy_id": "01965f3b-0c1d-7e2f-8a3b-4c5d6e7f8091",
                    "candidate_id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                }
            ]
        }
    )

    vacancy_id: uuid.UUID
    candidate_id: uuid.UUID


class ApplicationOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f3e-3f40-7152-8d6e-7f8091021324",
                    "vacancy_id": "01965f3b-0c1d-7e2f-8a3b-4c5d6e7f8091",
                    "candidate_id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                    "stage": "interview",
                    "stage_changed_at": "2025-03-18T12:00:00Z",
                    "created_at": "2025-03-14T10:31:05Z",
                    "updated_at": "2025-03-18T12:00:00Z",
                    "row_version": 3,
                }
            ]
        }
    )

    id: uuid.UUID
    vacancy_id: uuid.UUID
    candidate_id: uuid.UUID
    stage: Stage
    stage_changed_at: datetime
    created_at: datetime
    updated_at: datetime
    row_version: int = Field(
        description="Bumped by every change: send it back as If-Match on a decision to refuse "
        "it when the application has moved since you read it."
    )


class AssignmentIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "01965f3d-2e3f-7041-8c5d-6e7f80910213", "stage": "interview"}]
        }
    )

    user_id: uuid.UUID = Field(description="An interviewer of your organisation.")
    stage: Stage


class AssignmentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f3f-4051-7263-9e7f-809102132435",
                    "application_id": "01965f3e-3f40-7152-8d6e-7f8091021324",
                    "user_id": "01965f3d-2e3f-7041-8c5d-6e7f80910213",
                    "stage": "interview",
                    "created_at": "2025-03-18T12:05:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    application_id: uuid.UUID
    user_id: uuid.UUID
    stage: Stage
    created_at: datetime


class RankedApplicationOut(BaseModel):
    """One application's place under the ranking policy, with the score it rests on."""

    rank: int = Field(description="1 is read first; ties are broken by coverage, then by id.")
    group: Literal["assessed", "tentative", "fails_must_have"] = Field(
        description="assessed: meets every must-have and is not provisional; tentative: "
        "provisional, a must-have not assessed, or not scored yet; fails_must_have: a "
        "must-have below its threshold, whatever the total."
    )
    application_id: uuid.UUID
    candidate_id: uuid.UUID
    external_id: str | None = None
    stage: Stage
    total: float | None
    coverage: float | None
    provisional: bool
    outcome: str | None
    band: str | None = Field(default=None, description="Only for the assessed group.")
    disagreements: int = Field(description="Criteria whose raters of one stage differ by 2+.")


class RankingOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "vacancy_id": "01965f3b-0c1d-7e2f-8a3b-4c5d6e7f8091",
                    "count": 2,
                    "offset": 0,
                    "items": [
                        {
                            "rank": 1,
                            "group": "assessed",
                            "application_id": "01965f3e-3f40-7152-8d6e-7f8091021324",
                            "candidate_id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                            "external_id": "ats-4711",
                            "stage": "interview",
                            "total": 81.25,
                            "coverage": 0.92,
                            "provisional": False,
                            "outcome": "meets_must_haves",
                            "band": "strong",
                            "disagreements": 0,
                        },
                        {
                            "rank": 2,
                            "group": "fails_must_have",
                            "application_id": "01965f3e-3f40-7152-8d6e-7f8091021325",
                            "candidate_id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809103",
                            "external_id": None,
                            "stage": "interview",
                            "total": 97.6,
                            "coverage": 1.0,
                            "provisional": False,
                            "outcome": "does_not_meet_must_haves",
                            "band": None,
                            "disagreements": 1,
                        },
                    ],
                }
            ]
        }
    )

    vacancy_id: uuid.UUID
    count: int = Field(description="Applications of the vacancy in all.")
    offset: int
    items: list[RankedApplicationOut]
