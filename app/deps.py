"""Request dependencies: the database session, the signed-in user, the API caller."""

import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from app.accounts.service import user_for_session
from app.audit import Actor, act_as
from app.db import read_session, reads_first, write_session
from app.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from app.models import ApiKey, AuditEvent, Organisation, User, UserRole, utcnow
from app.security import sha256_hex
from app.settings import Settings

SESSION_COOKIE = "smm_session"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    """Yields one session per request, committed once when the route returns. A read's
    session only reads: the audit events it records go to the read log, which writes them
    in the background (on SQLite a read must not wait for the one writer)."""
    engine = request.app.state.engine
    if request.method not in READ_METHODS:
        with write_session(engine) as session:
            yield session
        return
    with read_session(engine) as session:
        session.autoflush = False
        yield session
        events = [item for item in session.new if isinstance(item, AuditEvent)]
        for event in events:
            session.expunge(event)
    if events:
        request.app.state.read_log.add(events)


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the commit happens before the response leaves, so a client that follows
# a redirect (or retries) always sees what the request wrote.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


class LoginRequired(Exception):
    """A page needs a signed-in user; answered with a redirect to the login page."""


def _authenticating(request: Request, db: Session) -> AbstractContextManager[None]:
    """Who is calling is read before a write transaction begins: a writing request takes the
    write lock (SQLite) at its route's first statement, not while it is authenticated."""
    return nullcontext() if request.method in READ_METHODS else reads_first(db)


def optional_user(request: Request, db: DbSession) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    with _authenticating(request, db):
        user = user_for_session(db, token=token) if token else None
    act_as(db, Actor(user_id=user.id if user else None, ip_address=client_address(request)))
    return user


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise LoginRequired
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: UserRole):  # noqa: ANN201
    """Returns a dependency giving the signed-in user when their role is one of these."""

    async def user_with_role(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("your role may not do this")
        return user

    return Depends(user_with_role)


# Who manages role profiles and rubrics.
ProfileManager = Annotated[User, require_role(UserRole.ADMIN, UserRole.HR)]


@dataclass(frozen=True)
class ApiCaller:
    """Who is calling the API: an organisation's key with its scopes, and the person it acts
    for when the call names one in On-Behalf-Of."""

    api_key: ApiKey
    organisation: Organisation
    on_behalf_of: User | None = None


_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer smmh_...`")


def api_caller(
    request: Request,
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    on_behalf_of: Annotated[
        str | None,
        Header(
            alias="On-Behalf-Of",
            description="The user of your organisation the call acts for: their id or e-mail.",
        ),
    ] = None,
) -> ApiCaller:
    if credentials is None:
        raise NotAuthenticated("send an API key as `Authorization: Bearer <key>`")
    with _authenticating(request, db):
        api_key, organisation = request.app.state.api_keys.get(db, credentials.credentials)
        now = utcnow()
        if api_key is None or api_key.revoked_at is not None:
            raise NotAuthenticated("the API key is unknown or revoked: ask an admin for a new one")
        if api_key.expires_at is not None and api_key.expires_at <= now:
            raise NotAuthenticated("the API key has expired: ask an admin for a new one")
        if api_key.last_used_at is None or api_key.last_used_at < now - LAST_USED_PRECISION:
            # Written in the background for every request: authenticating writes nothing.
            # The key object is shared through the cache: it is changed in the table, not here.
            request.app.state.read_log.key_used(api_key.id, now)
            api_key.last_used_at = now
        user = _named_user(db, organisation, on_behalf_of) if on_behalf_of is not None else None
    act_as(
        db,
        Actor(
            api_key_id=api_key.id,
            on_behalf_of_user_id=user.id if user else None,
            ip_address=client_address(request),
        ),
    )
    return ApiCaller(api_key=api_key, organisation=organisation, on_behalf_of=user)


class ApiKeyCache:
    """API keys with their organisation, known by the secret's hash for a few seconds: a busy
    integration's calls skip two queries each. A key revoked on the keys page stops at once
    (the page clears this cache); one revoked by another process (another worker, the CLI)
    stops within SECONDS. The cached objects are shared between requests: read them only."""

    SECONDS = 5.0

    def __init__(self) -> None:
        self.known: dict[str, tuple[ApiKey, Organisation, float]] = {}

    def get(self, db: Session, secret: str) -> tuple[ApiKey | None, Organisation | None]:
        key_hash = sha256_hex(secret)
        entry = self.known.get(key_hash)
        if entry is not None and time.monotonic() - entry[2] < self.SECONDS:
            return entry[0], entry[1]
        api_key = db.exec(select(ApiKey).where(ApiKey.key_hash == key_hash)).first()
        if api_key is None:
            return None, None  # unknown keys are not kept: guessing must not fill the memory
        organisation = db.get(Organisation, api_key.organisation_id)
        assert organisation is not None  # the foreign key guarantees it
        db.expunge(api_key)
        db.expunge(organisation)
        self.known[key_hash] = (api_key, organisation, time.monotonic())
        return api_key, organisation

    def clear(self) -> None:
        self.known.clear()


# Last-used times are kept to the minute: writing one on every request would make reads write.
LAST_USED_PRECISION = timedelta(minutes=1)


CurrentApiCaller = Annotated[ApiCaller, Depends(api_caller)]


def _named_user(db: Session, organisation: Organisation, header: str) -> User:
    """The user the On-Behalf-Of header names (their id or e-mail)."""
    query = select(User).where(User.organisation_id == organisation.id)
    try:
        query = query.where(User.id == uuid.UUID(header))
    except ValueError:
        query = query.where(User.email == header.strip().lower())
    user = db.exec(query).first()
    if user is None or not user.is_active:
        # Like an id in a path: no such user here (404), whatever the header's shape.
        raise NotFound(
            f"On-Behalf-Of names no active user of your organisation: {header!r}",
            field="header.on-behalf-of",
        )
    return user


async def on_behalf_of(caller: CurrentApiCaller) -> User | None:
    """Returns the user named in the On-Behalf-Of header (None when there is none)."""
    return caller.on_behalf_of


OnBehalfOf = Annotated[User | None, Depends(on_behalf_of)]


async def acting_user(user: OnBehalfOf) -> User:
    """For operations a person must do (rate, decide): the On-Behalf-Of user is required."""
    if user is None:
        raise InvalidInput(
            "this operation is done by a person: name them in the On-Behalf-Of header",
            field="header.on-behalf-of",
        )
    return user


ActingUser = Annotated[User, Depends(acting_user)]


def require_scope(scope: str):  # noqa: ANN201
    """Returns a dependency giving the caller when its key has the scope (or "admin")."""

    async def caller_with_scope(caller: CurrentApiCaller) -> ApiCaller:
        if scope not in caller.api_key.scopes and "admin" not in caller.api_key.scopes:
            raise Forbidden(f"this API key lacks the scope {scope!r}: ask an admin to add it")
        return caller

    return Depends(caller_with_scope)
