"""Writing the audit log: who did what to which object. Ids and versions only, no personal data."""

import uuid
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from app.models import AuditEvent

if TYPE_CHECKING:
    from app.deps import ApiCaller


def record(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    actor_user_id: uuid.UUID | None = None,
    actor_api_key_id: uuid.UUID | None = None,
    on_behalf_of_user_id: uuid.UUID | None = None,
    ip_address: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Returns the event added to the session (committed with the change it records)."""
    event = AuditEvent(
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        actor_user_id=actor_user_id,
        actor_api_key_id=actor_api_key_id,
        on_behalf_of_user_id=on_behalf_of_user_id,
        ip_address=ip_address[:45],
        details=details or {},
    )
    session.add(event)
    return event


def record_call(
    session: Session,
    caller: "ApiCaller",
    *,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Records what an API key did, and for whom when the call named a person."""
    return record(
        session,
        organisation_id=caller.organisation.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_api_key_id=caller.api_key.id,
        on_behalf_of_user_id=caller.on_behalf_of.id if caller.on_behalf_of else None,
        details=details,
    )
