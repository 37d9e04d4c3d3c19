"""API shapes of vacancies, candidates, applications and interviewer assignments. Request
bodies refuse unknown fields, so ids, organisation and authorship cannot be set from outside."""

import uuid
from datetime import datetime
from typing import Annotated

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
    role_profile_id: uuid.UUID = Field(description="The role profile; its latest version is kept.")
    title: Name = Field(examples=["SMM-менеджер в приют «Лапы»"])
    locale: Locale = Locale.RU
    status: VacancyStatus = VacancyStatus.OPEN


class VacancyPatch(RequestBody):
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
    full_name: Name | None = None
    email: Email | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    location: ShortText | None = None
    external_id: ShortText | None = None
    profile: CandidateProfile | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class CandidateOut(BaseModel):
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
    vacancy_id: uuid.UUID
    candidate_id: uuid.UUID


class ApplicationOut(BaseModel):
    id: uuid.UUID
    vacancy_id: uuid.UUID
    candidate_id: uuid.UUID
    stage: Stage
    stage_changed_at: datetime
    created_at: datetime
    updated_at: datetime


class AssignmentIn(RequestBody):
    user_id: uuid.UUID = Field(description="An interviewer of your organisation.")
    stage: Stage


class AssignmentOut(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    user_id: uuid.UUID
    stage: Stage
    created_at: datetime
