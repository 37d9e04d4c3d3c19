"""The webhooks page (admins): subscriptions with their state and the reason one was
disabled, a new one with its signing secret shown once, and each one's delivery log with
"send again"."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.deps import DbSession, SettingsDep, require_role
from app.errors import AppError, NotFound
from app.models import User, UserRole, WebhookDelivery, WebhookSubscription
from app.ownership import owned
from app.web.pages import CsrfChecked, PostedForm, render
from app.webhooks import service

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, require_role(UserRole.ADMIN)]


def _subscription(db: DbSession, user: User, subscription_id: uuid.UUID) -> WebhookSubscription:
    return owned(
        db,
        WebhookSubscription,
        subscription_id,
        organisation_id=user.organisation_id,
        name="webhook subscription",
    )


def _record(db: DbSession, user: User, action: str, object_id: uuid.UUID) -> None:
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action=action,
        object_type="webhook_subscription",
        object_id=object_id,
        actor_user_id=user.id,
    )


def _list(
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
        "settings/webhooks.html",
        user=user,
        subscriptions=service.subscriptions_of(db, organisation_id=user.organisation_id),
        events=service.EVENTS,
        secret=secret,
        error=error,
        values=values or {"url": "", "events": [], "description": ""},
        status_code=status_code,
    )


@router.get("/settings/webhooks", name="webhooks")
def webhooks(request: Request, db: DbSession, user: Admin) -> Response:
    """The organisation's webhook subscriptions."""
    return _list(request, db, user)


@router.post("/settings/webhooks", dependencies=[CsrfChecked])
def subscribe(
    request: Request, db: DbSession, user: Admin, settings: SettingsDep, form: PostedForm
) -> Response:
    """Subscribes a URL to events; the signing secret is shown this once."""
    values = {
        "url": str(form.get("url", "")).strip()[:2000],
        "events": [str(event) for event in form.getlist("events")],
        "description": str(form.get("description", "")).strip()[:500],
    }
    try:
        # Resolving the host can take seconds: before the transaction (and SQLite's write lock).
        target = service.checked_target(values["url"], settings)
        subscription = service.subscribe(
            db,
            organisation_id=user.organisation_id,
            settings=settings,
            url=target,
            events=values["events"],
            description=values["description"],
        )
    except AppError as exc:
        return _list(request, db, user, error=exc.detail, values=values, status_code=400)
    _record(db, user, "webhook.subscribed", subscription.id)
    return _list(request, db, user, secret=subscription.secret)


@router.get("/settings/webhooks/{subscription_id}", name="webhook")
def webhook(request: Request, subscription_id: uuid.UUID, db: DbSession, user: Admin) -> Response:
    """One subscription and its last 100 deliveries."""
    subscription = _subscription(db, user, subscription_id)
    return render(
        request,
        "settings/webhook.html",
        user=user,
        subscription=subscription,
        deliveries=service.deliveries_of(db, subscription=subscription),
    )


@router.post(
    "/settings/webhooks/{subscription_id}/{action}",
    name="webhook_action",
    dependencies=[CsrfChecked],
)
def webhook_action(
    request: Request,
    subscription_id: uuid.UUID,
    action: str,
    db: DbSession,
    user: Admin,
    settings: SettingsDep,
    form: PostedForm,
) -> Response:
    """enable (again), delete, or resend one delivery (its id in the form)."""
    subscription = _subscription(db, user, subscription_id)
    if action == "enable":
        service.change(db, subscription=subscription, settings=settings, active=True)
        _record(db, user, "webhook.changed", subscription.id)
    elif action == "delete":
        _record(db, user, "webhook.unsubscribed", subscription.id)
        db.delete(subscription)
        return RedirectResponse(request.url_for("webhooks").path, status_code=303)
    elif action == "resend":
        try:
            delivery = db.get(WebhookDelivery, uuid.UUID(str(form.get("delivery_id", ""))))
        except ValueError:
            delivery = None
        if delivery is None or delivery.subscription_id != subscription.id:
            raise NotFound("no such delivery")
        service.resend(db, subscription=subscription, delivery=delivery)
        _record(db, user, "webhook.resent", subscription.id)
    else:
        raise AppError("unknown action")
    return RedirectResponse(
        request.url_for("webhook", subscription_id=subscription.id).path, status_code=303
    )
