"""Looking up one organisation's row by id: another organisation's row is "not found" (404,
never 403), so ids do not reveal what exists elsewhere."""

import uuid
from typing import TypeVar

from sqlmodel import Session

from app.errors import NotFound

Row = TypeVar("Row")


def owned(
    session: Session,
    model: type[Row],
    object_id: uuid.UUID,
    *,
    organisation_id: uuid.UUID,
    name: str,
) -> Row:
    """Returns the row of the model with this id when it belongs to the organisation."""
    row = session.get(model, object_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no such {name}")
    return row
