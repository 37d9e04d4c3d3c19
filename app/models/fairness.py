"""Candidates' voluntary self-identification, kept apart from their application: only the
fairness report reads it, never the pages of interviewers or recruiters, never the scoring."""

import uuid

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import JSONType, OrganisationOwned


class SelfIdentification(OrganisationOwned, table=True):
    __tablename__ = "self_identifications"
    __table_args__ = (sa.UniqueConstraint("application_id"),)

    application_id: uuid.UUID = Field(foreign_key="applications.id", ondelete="CASCADE")
    # The category key chosen per dimension of the organisation's settings, e.g.
    # {"sex": "female", "ethnicity": "prefer_not_to_say"}; a dimension left out is unknown.
    answers: dict[str, str] = Field(default_factory=dict, sa_type=JSONType)
