"""Shared column types and mixins for the table models."""

import enum
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import declared_attr
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Field, SQLModel

# Named constraints, so migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    """Returns a UUIDv7: random, but sorted by creation time, which keeps indexes compact."""
    milliseconds = time.time_ns() // 1_000_000
    value = (milliseconds & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10)) & (
        (1 << 80) - 1
    )
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


_RANDOM_BITS = ((1 << 80) - 1) & ~(0xF << 76) & ~(0x3 << 62)  # of a new_id()


def new_ids(count: int) -> list[uuid.UUID]:
    """Returns count new_id()s made in one go, ascending: rows inserted together keep the
    order they are given in (new_id()s of one millisecond are in random order)."""
    prefix = new_id().int & ~_RANDOM_BITS  # the millisecond, version and variant
    randoms = os.urandom(10 * count)
    return [
        uuid.UUID(int=prefix | value)
        for value in sorted(
            int.from_bytes(randoms[i : i + 10]) & _RANDOM_BITS for i in range(0, 10 * count, 10)
        )
    ]


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one (UTC)")
        value = value.astimezone(UTC)
        # SQLite has no time zones: store naive UTC there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def enum_type(enum_class: type[enum.StrEnum]) -> sa.Enum:
    """Stores an enum as its value in a plain string column (no database enum type to migrate)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        index=True,
        sa_column_kwargs={"onupdate": utcnow},
    )


class change_position(FunctionElement):  # noqa: N801  (an SQL function, named as one)
    """The position in the sync order (app/api/pagination.py) of a row being written, taken
    by the writing statement itself, so every insert and update sets it: ORM and Core alike.

    PostgreSQL: the writing transaction's id (xid8, 64 bits: it never wraps around); a poll
    reads only positions below the oldest transaction still in flight. SQLite: one more than
    the table's highest; writers go one at a time (BEGIN IMMEDIATE), so a later commit
    always gets a higher number. Rows of the synced tables are deleted only with their
    organisation, so the highest position never goes back."""

    type = sa.BigInteger()
    inherit_cache = True

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        super().__init__()


@compiles(change_position, "postgresql")
def _change_position_postgresql(element: change_position, compiler: Any, **kw: Any) -> str:
    return "pg_current_xact_id()::text::bigint"


@compiles(change_position, "sqlite")
def _change_position_sqlite(element: change_position, compiler: Any, **kw: Any) -> str:
    table = compiler.preparer.quote(element.table_name)
    return f"(SELECT coalesce(max(p.change_position), 0) + 1 FROM {table} AS p)"


def change_position_field(table_name: str) -> Any:
    """The sync position of a table's rows; see change_position. Read it from the database
    after a write: the object holds None until then."""
    return Field(
        default=None,
        sa_type=sa.BigInteger,
        nullable=False,
        index=True,  # SQLite's max(); the poll uses the organisation's index (sync_index)
        sa_column_kwargs={
            "default": change_position(table_name),
            "onupdate": change_position(table_name),
        },
    )


def sync_index(table_name: str) -> sa.Index:
    """The index a poll of one organisation's rows reads in order."""
    return sa.Index(
        f"ix_{table_name}_organisation_id_change_position",
        "organisation_id",
        "change_position",
        "id",
    )


def organisation_fk() -> Any:
    return Field(foreign_key="organisations.id", ondelete="CASCADE", index=True, nullable=False)


def column_values(instance: SQLModel) -> dict[str, Any]:
    """Returns a table model instance's column values. Made once, an instance serves as the
    template of many rows inserted in one statement, with the defaults the model gives."""
    return {
        column.name: getattr(instance, column.name)
        for column in instance.__table__.columns
        # A default the database computes (change_position) is left to the insert.
        if not (column.default is not None and column.default.is_clause_element)
    }


def row_version_field() -> Any:
    return Field(default=1, nullable=False, sa_column_kwargs={"server_default": "1"})


class RowVersioned:
    """Optimistic locking: every UPDATE of the row checks and bumps row_version, so a write
    based on a stale read fails (StaleDataError, answered 409) instead of overwriting."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.row_version}


class IdModel(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)


class TimestampedModel(IdModel):
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class OrganisationOwned(TimestampedModel):
    """A row of one organisation's data: every query filters on organisation_id."""

    organisation_id: uuid.UUID = organisation_fk()
