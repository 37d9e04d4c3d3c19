"""Pages for signing in and out and choosing the interface language."""

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.accounts.service import (
    authenticate,
    create_user,
    end_session,
    start_session,
    users_of,
)
from app.deps import (
    SESSION_COOKIE,
    DbSession,
    OptionalUser,
    SettingsDep,
    client_address,
    require_role,
)
from app.errors import AppError, NotAuthenticated, TooManyRequests
from app.i18n import gettext_for
from app.models import Locale, Organisation, User, UserRole
from app.security import new_token
from app.web.pages import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    CsrfChecked,
    render,
    request_locale,
    set_cookie,
)

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, require_role(UserRole.ADMIN)]


def _safe_next(next_url: str) -> str:
    """Returns next_url when it is a path on this site, else the dashboard (no open redirects)."""
    parts = urlsplit(next_url)
    if next_url.startswith("/") and not next_url.startswith("//") and not parts.netloc:
        return next_url
    return "/"


@router.get("/login", name="login")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    """Shows the sign-in form."""
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "accounts/login.html", user=None, email="", error=None, next=next)


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Signs in; a wrong password shows the form again with the e-mail kept."""
    _ = gettext_for(request_locale(request, None))
    error, status = None, 400
    if not email.strip() or not password:
        error = _("Enter your e-mail and password.")
    else:
        try:
            user = authenticate(
                db,
                email=email,
                password=password,
                ip_address=client_address(request),
            )
        except NotAuthenticated:
            error = _("Wrong e-mail or password. Check them and try again.")
            status = 400
        except TooManyRequests:
            error = _("Too many sign-in attempts. Wait a few minutes and try again.")
            status = 429
    if error is not None:
        return render(
            request,
            "accounts/login.html",
            user=None,
            status_code=status,
            email=email,
            error=error,
            next=next,
        )
    token = start_session(
        db,
        user=user,
        lifetime=timedelta(days=settings.session_days),
        replaces_token=request.cookies.get(SESSION_COOKIE),
        ip_address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(response, settings, SESSION_COOKIE, token, max_age=settings.session_days * 86400)
    # A new CSRF secret with the new session: tokens seen before sign-in stop working.
    set_cookie(response, settings, CSRF_COOKIE, new_token())
    return response


@router.post("/logout", name="logout", dependencies=[CsrfChecked])
def logout(request: Request, db: DbSession, settings: SettingsDep) -> Response:
    """Signs out this browser."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(db, token=token)
    response = RedirectResponse(request.url_for("login").path, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    set_cookie(response, settings, CSRF_COOKIE, new_token())
    return response


@router.post("/language", name="set_language", dependencies=[CsrfChecked])
def set_language(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    user: OptionalUser,
    locale: Annotated[Locale, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Switches the interface language; remembered for the user and in a cookie."""
    if user is not None:
        user.locale = locale
        db.add(user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(response, settings, LANGUAGE_COOKIE, locale.value, max_age=365 * 86400)
    return response


@router.get("/users", name="users")
def users(request: Request, db: DbSession, user: Admin) -> Response:
    """The organisation's users (admins only)."""
    return _users_page(
        request, db, user, values={"full_name": "", "email": "", "role": "interviewer"}
    )


def _users_page(
    request: Request,
    db: DbSession,
    user: User,
    *,
    values: dict,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "users/index.html",
        user=user,
        status_code=status_code,
        values=values,
        error=error,
        users=users_of(db, organisation_id=user.organisation_id, limit=1000),
    )


@router.post("/users", dependencies=[CsrfChecked])
def add_user(
    request: Request,
    db: DbSession,
    user: Admin,
    full_name: Annotated[str, Form()],
    email: Annotated[str, Form()],
    role: Annotated[UserRole, Form()],
    password: Annotated[str, Form()],
) -> Response:
    """Adds a user to the organisation; a problem shows the form again with the values."""
    values = {"full_name": full_name, "email": email, "role": role.value}
    organisation = db.get(Organisation, user.organisation_id)
    try:
        created = create_user(
            db,
            organisation=organisation,
            email=email,
            full_name=full_name.strip(),
            role=role,
            password=password,
        )
    except AppError as exc:
        return _users_page(request, db, user, values=values, error=exc.detail, status_code=400)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="user.created",
        object_type="user",
        object_id=created.id,
        actor_user_id=user.id,
    )
    return RedirectResponse(request.url_for("users").path, status_code=303)
