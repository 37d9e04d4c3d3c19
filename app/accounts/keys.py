"""The API keys page (admins): create a key with its scopes and expiry, shown once; see when
each was last used; revoke one."""

import uuid
from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.accounts.service import API_KEY_SCOPES, api_keys_of, create_api_key, revoke_api_key
from app.deps import DbSession, require_role
from app.errors import AppError
from app.i18n import N_
from app.models import ApiKey, Organisation, User, UserRole, utcnow
from app.ownership import owned
from app.web.pages import CsrfChecked, PostedForm, render

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, require_role(UserRole.ADMIN)]


def _page(
    request: Request,
    db: DbSession,
    user: User,
    *,
    secret: str | None = None,
    error: str | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "users/api_keys.html",
        user=user,
        keys=api_keys_of(db, organisation_id=user.organisation_id),
        scopes=API_KEY_SCOPES,
        now=utcnow(),
        secret=secret,
        error=error,
        values=values or {"name": "", "scopes": [], "expires": ""},
        status_code=status_code,
    )


@router.get("/settings/api-keys", name="api_keys")
def api_keys(request: Request, db: DbSession, user: Admin) -> Response:
    """The organisation's API keys with their scopes, expiry and last use."""
    return _page(request, db, user)


@router.post("/settings/api-keys", dependencies=[CsrfChecked])
def create_key(request: Request, db: DbSession, user: Admin, form: PostedForm) -> Response:
    """Creates a key and shows it this once; only its hash is kept."""
    values = {
        "name": str(form.get("name", "")).strip(),
        "scopes": [str(scope) for scope in form.getlist("scopes")],
        "expires": str(form.get("expires", "")).strip(),
    }
    try:
        if not values["name"]:
            raise AppError(N_("Name the key after what uses it, e.g. the ATS."))
        if not values["scopes"]:
            raise AppError(N_("Choose at least one scope."))
        expires_at = None
        if values["expires"]:
            try:
                last_day = date.fromisoformat(values["expires"])
            except ValueError:
                raise AppError(N_("The expiry date is not a date: use YYYY-MM-DD.")) from None
            expires_at = datetime.combine(last_day, time.max, UTC)
            if expires_at <= utcnow():
                raise AppError(N_("The expiry date has passed: choose a later one."))
        api_key, secret = create_api_key(
            db,
            organisation=db.get(Organisation, user.organisation_id),
            name=values["name"][:200],
            scopes=values["scopes"],
            created_by=user,
            expires_at=expires_at,
        )
    except AppError as exc:
        return _page(request, db, user, error=exc.detail, values=values, status_code=400)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="api_key.created",
        object_type="api_key",
        object_id=api_key.id,
        actor_user_id=user.id,
        details={"scopes": api_key.scopes},
    )
    return _page(request, db, user, secret=secret)


@router.post(
    "/settings/api-keys/{api_key_id}/revoke", name="revoke_api_key", dependencies=[CsrfChecked]
)
def revoke(request: Request, api_key_id: uuid.UUID, db: DbSession, user: Admin) -> Response:
    """Stops the key working at once."""
    api_key = owned(db, ApiKey, api_key_id, organisation_id=user.organisation_id, name="API key")
    revoke_api_key(db, api_key=api_key)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="api_key.revoked",
        object_type="api_key",
        object_id=api_key.id,
        actor_user_id=user.id,
    )
    db.commit()
    request.app.state.api_keys.clear()  # the key stops at once, not when its cache runs out
    return RedirectResponse(request.url_for("api_keys").path, status_code=303)
