"""Rendering pages: the Jinja2 environment, the request's language and CSRF token."""

from typing import Annotated, Any
from urllib.parse import quote, unquote

from babel.numbers import format_decimal
from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData, MutableHeaders

from app import PROJECT_ROOT
from app.i18n import gettext_for, locale_from_header
from app.models import Locale, User
from app.rubrics.seed import SEED_LISTS
from app.security import csrf_token_for, csrf_token_is_valid, new_token
from app.settings import Settings
from app.web.labels import all_labels

CSRF_COOKIE = "smm_csrf"
LANGUAGE_COOKIE = "smm_lang"

_environment = Environment(
    loader=FileSystemLoader(PROJECT_ROOT / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_environment)


def decimal(value: float | None, locale: str, digits: int = 2, signed: bool = False) -> str:
    """Returns the number as the language writes it (0,62 in Russian, 0.62 in English), with
    + before a positive one when signed; a dash for none."""
    if value is None:
        return "—"
    places = "0." + "0" * digits if digits else "0"
    pattern = f"+{places};-{places}" if signed else places
    return format_decimal(value, format=pattern, locale=str(locale))


_environment.filters["decimal"] = decimal


class CsrfFailed(Exception):
    """A form came back without this browser's CSRF token."""


def request_locale(request: Request, user: User | None) -> Locale:
    """Returns the user's language, else the cookie's, else the browser's, else Russian."""
    if user is not None:
        return user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in (Locale.RU, Locale.EN):
        return Locale(cookie)
    return locale_from_header(request.headers.get("accept-language", "")) or Locale.RU


def path_maker(request: Request):  # noqa: ANN201
    """Returns link(name, **params): the route's path like url_for(...).path, but url_for runs
    once per route and request (pages with a thousand links would spend most time in it)."""
    templates_by_route: dict[tuple, str] = {}

    def link(name: str, **params: Any) -> str:
        key = (name, tuple(sorted(params)))
        if key not in templates_by_route:
            placeholders = {param: f"{{{param}}}" for param in params}
            templates_by_route[key] = unquote(request.url_for(name, **placeholders).path)
        return templates_by_route[key].format(
            **{k: quote(str(v), safe="") for k, v in params.items()}
        )

    return link


def csrf_token(request: Request) -> str:
    return csrf_token_for(request.app.state.secret_key, request.state.csrf_cookie)


def render(
    request: Request,
    template: str,
    *,
    user: User | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Returns the page; every template gets the user, the language, t() and the CSRF token."""
    locale = request_locale(request, user)
    return templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "locale": locale,
            "_": gettext_for(locale),
            "link": path_maker(request),
            **all_labels(),
            "seed_lists": SEED_LISTS,
            "csrf_token": csrf_token(request),
            **context,
        },
        status_code=status_code,
    )


async def verify_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Dependency for every form POST: the hidden csrf_token must match this browser's."""
    if not csrf_token_is_valid(
        request.app.state.secret_key, request.cookies.get(CSRF_COOKIE), csrf_token
    ):
        raise CsrfFailed


CsrfChecked = Depends(verify_csrf)


async def posted_form(request: Request) -> FormData:
    """The posted form, parsed on the event loop before the route runs: routes that use the
    database are plain functions (run in a thread), never async (the loop would wait for SQL)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def set_cookie(
    response: Response, settings: Settings, name: str, value: str, max_age: int | None = None
) -> None:
    """Sets a cookie that scripts cannot read, sent only from this site, HTTPS-only on HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


class CsrfCookieMiddleware:
    """Gives every browser a CSRF secret (a cookie) before it sees its first form; pages read
    it as request.state.csrf_cookie. Pure ASGI, and API paths (skip_prefix) pass straight
    through: they use keys, not cookies."""

    def __init__(self, app, settings: Settings, skip_prefix: str) -> None:  # noqa: ANN001
        self.app = app
        self.settings = settings
        self.skip_prefix = skip_prefix

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http" or scope["path"].startswith(self.skip_prefix):
            await self.app(scope, receive, send)
            return
        cookie = Request(scope).cookies.get(CSRF_COOKIE)
        secret = cookie or new_token()
        scope.setdefault("state", {})["csrf_cookie"] = secret
        if cookie is not None:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A response that sets its own CSRF cookie (login rotates it) keeps it.
                if not any(
                    value.startswith(f"{CSRF_COOKIE}=") for value in headers.getlist("set-cookie")
                ):
                    carrier = Response()
                    set_cookie(carrier, self.settings, CSRF_COOKIE, secret)
                    headers.append("set-cookie", carrier.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_cookie)
