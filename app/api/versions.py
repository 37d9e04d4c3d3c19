"""Optimistic locking in the API: objects carry their `row_version`; a write that sends it
back as `If-Match` is refused with 409 when the object has changed since (a stale client does
not silently overwrite another's change). Without If-Match the write applies to what is
there now (its row is locked while it is read and written)."""

from typing import Annotated

from fastapi import Header

from app.errors import InvalidInput

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The `row_version` you read, e.g. `"3"`: if the object has changed since, '
        "the write is refused with 409 and nothing is saved. Optional.",
        examples=['"3"'],
    ),
]


def expected_row_version(if_match: str | None) -> int | None:
    """Returns the row_version an If-Match header names (`"3"`, `W/"3"` or `3`), or None."""
    if if_match is None or not if_match.strip():
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(
            'If-Match must be the row_version you read, in quotes: "3"', field="header.if-match"
        )
    return int(value)
