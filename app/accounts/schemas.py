"""API shapes of organisations and API keys."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from app.models import Locale, UserRole


class OrganisationPublic(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    default_locale: Locale


class ApiKeyPublic(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    created_at: datetime


class WhoAmI(BaseModel):
    """The organisation an API key belongs to, and the key itself (never its secret)."""

    organisation: OrganisationPublic
    api_key: ApiKeyPublic


class UserPublic(BaseModel):
    id: uuid.UUID
    email: str
    full_name: str
    role: UserRole
    locale: Locale
    is_active: bool
