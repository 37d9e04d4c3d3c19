"""Rubrics and role profiles in the database: built-in ones synced from files, organisations'
own ones created, cloned, edited and versioned by content hash."""

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.db import locked, write_session
from app.errors import Conflict, InvalidInput, NotFound
from app.models import RoleProfile, RoleProfileVersion, Rubric, RubricVersion, User
from app.profiles.checks import check_profile
from app.profiles.schema import RoleProfile as ProfileDocument
from app.rubrics.checks import Problem, check_rubric, validate_document
from app.rubrics.library import Library, content_sha256
from app.rubrics.schema import Criterion
from app.rubrics.schema import Rubric as RubricDocument

logger = logging.getLogger("smm_hire")


class DocumentInvalid(InvalidInput):
    """A rubric or profile document with problems; each names its field path."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(f"{len(problems)} problem(s), first: {first}", field=first.field)
        self.problems = problems

    def field_errors(self) -> list[tuple[str, str]]:
        # The document is the request body wherever this error reaches the API.
        return [(f"body.{problem.field}", problem.message) for problem in self.problems]


@dataclass(frozen=True)
class StoredRubric:
    row: Rubric
    version: RubricVersion
    document: RubricDocument

    @property
    def is_builtin(self) -> bool:
        return self.row.organisation_id is None


@dataclass(frozen=True)
class StoredProfile:
    row: RoleProfile
    version: RoleProfileVersion
    document: ProfileDocument

    @property
    def is_builtin(self) -> bool:
        return self.row.organisation_id is None


def dump(document: BaseModel) -> dict[str, Any]:
    return document.model_dump(mode="json")


# --- built-in library -------------------------------------------------------------------------


def sync_builtin_library(session: Session, library: Library) -> None:
    """Stores the library's rubrics and profiles as built-in rows; a changed file makes a new
    version, an unchanged one nothing. Organisations' own copies are never touched."""
    for document in library.rubrics.values():
        row = _builtin(session, Rubric, document.id) or Rubric(key=document.id)
        _new_rubric_version(session, row, document, created_by=None)
    for document in library.profiles.values():
        row = _builtin(session, RoleProfile, document.id) or RoleProfile(key=document.id)
        _new_profile_version(session, row, document, organisation_id=None, created_by=None)


def load_builtin_library(engine: Engine, library: Library) -> None:
    """Syncs the library in its own transaction; a worker that loses a race to another is fine."""
    try:
        with write_session(engine) as session:
            sync_builtin_library(session, library)
    except IntegrityError:
        logger.info("another process synced the built-in library first")


def _builtin(session: Session, model: type, key: str) -> Any:
    return session.exec(
        select(model).where(model.organisation_id.is_(None), model.key == key)
    ).first()


# --- rubrics ----------------------------------------------------------------------------------


def _latest_rubric_version(session: Session, row: Rubric) -> RubricVersion:
    return session.exec(
        select(RubricVersion).where(
            RubricVersion.rubric_id == row.id, RubricVersion.version == row.latest_version
        )
    ).one()


def _latest_rubric_versions(session: Session, rows: list[Rubric]) -> list[StoredRubric]:
    stored = []
    for row in rows:
        version = _latest_rubric_version(session, row)
        stored.append(StoredRubric(row, version, RubricDocument.model_validate(version.content)))
    return stored


def visible_rubrics(session: Session, *, organisation_id: uuid.UUID) -> list[StoredRubric]:
    """Returns the rubrics the organisation works with: its own, and the built-in ones it has
    not cloned (a clone keeps the key and takes the built-in's place)."""
    rows = session.exec(
        select(Rubric)
        .where(or_(Rubric.organisation_id.is_(None), Rubric.organisation_id == organisation_id))
        .where(Rubric.latest_version > 0)
        .order_by(Rubric.key)
    ).all()
    own_keys = {row.key for row in rows if row.organisation_id is not None}
    chosen = [row for row in rows if row.organisation_id is not None or row.key not in own_keys]
    return _latest_rubric_versions(session, chosen)


def criteria_for(
    session: Session, *, organisation_id: uuid.UUID
) -> dict[str, tuple[StoredRubric, Criterion]]:
    """Returns every criterion the organisation's profiles may pick, by id."""
    return {
        criterion.id: (stored, criterion)
        for stored in visible_rubrics(session, organisation_id=organisation_id)
        for criterion in stored.document.criteria()
    }


def search_rubrics(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    category: str | None = None,
    seed_list: str | None = None,
    text: str | None = None,
) -> list[StoredRubric]:
    """Returns the visible rubrics with a criterion matching every filter given."""
    return [
        stored
        for stored in visible_rubrics(session, organisation_id=organisation_id)
        if (category is None or stored.document.category == category)
        and any(
            criterion_matches(criterion, seed_list=seed_list, text=text)
            for criterion in stored.document.criteria()
        )
    ]


def criterion_matches(criterion: Criterion, *, seed_list: str | None, text: str | None) -> bool:
    if seed_list is not None and all(ref.list != seed_list for ref in criterion.source):
        return False
    if text:
        needle = text.casefold()
        haystack = " ".join(
            [criterion.id]
            + [
                part
                for item in (criterion.title, criterion.description)
                for part in (item.ru, item.en)
            ]
            + [ref.quote for ref in criterion.source]
        ).casefold()
        return needle in haystack
    return True


def rubric_by_id(
    session: Session, *, organisation_id: uuid.UUID, rubric_id: uuid.UUID
) -> StoredRubric:
    """Returns a rubric this organisation may see (its own or built-in); 404 otherwise."""
    row = session.get(Rubric, rubric_id)
    if row is None or row.organisation_id not in (None, organisation_id) or not row.latest_version:
        raise NotFound("no such rubric")
    return _latest_rubric_versions(session, [row])[0]


def parse_rubric(
    data: Any, *, session: Session, organisation_id: uuid.UUID, replacing_key: str | None = None
) -> RubricDocument:
    """Returns the validated rubric document, or raises DocumentInvalid naming each field."""
    document, problems = validate_document(RubricDocument, data)
    if document is not None:
        others = {
            criterion_id
            for criterion_id, (stored, _) in criteria_for(
                session, organisation_id=organisation_id
            ).items()
            if stored.row.key not in (document.id, replacing_key)
        }
        problems = check_rubric(document, known_criterion_ids=others)
        clashes = sorted({c.id for c in document.criteria()} & others)
        problems += [
            Problem(("sections",), f"criterion id {clash!r} is used by another rubric: rename it")
            for clash in clashes
        ]
    if problems:
        raise DocumentInvalid(problems)
    return document


def _new_rubric_version(
    session: Session, row: Rubric, document: RubricDocument, *, created_by: User | None
) -> RubricVersion | None:
    """Adds a version when the content changed; returns it, or None when nothing changed."""
    # Two edits at once: the second waits for the first and numbers its version after it.
    row = locked(session, row)
    content = dump(document)
    sha = content_sha256(content)
    if row.latest_version and _latest_rubric_version(session, row).content_sha256 == sha:
        return None
    row.latest_version += 1
    session.add(row)
    session.flush()
    version = RubricVersion(
        rubric_id=row.id,
        organisation_id=row.organisation_id,
        version=row.latest_version,
        content=content,
        content_sha256=sha,
        created_by_user_id=created_by.id if created_by else None,
    )
    session.add(version)
    session.flush()
    return version


def create_rubric(
    session: Session, *, organisation_id: uuid.UUID, data: Any, created_by: User | None = None
) -> StoredRubric:
    """Returns the organisation's new rubric (its key must be free in the organisation)."""
    document = parse_rubric(data, session=session, organisation_id=organisation_id)
    if _own(session, Rubric, organisation_id, document.id):
        raise Conflict(
            f"your organisation has a rubric {document.id!r} already: update it", field="id"
        )
    _refuse_scale_below_thresholds(session, organisation_id=organisation_id, document=document)
    row = Rubric(organisation_id=organisation_id, key=document.id)
    _new_rubric_version(session, row, document, created_by=created_by)
    return _latest_rubric_versions(session, [row])[0]


def update_rubric(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    rubric_id: uuid.UUID,
    data: Any,
    created_by: User | None = None,
) -> StoredRubric:
    """Returns the rubric with the new content as its latest version (unchanged content: same)."""
    stored = rubric_by_id(session, organisation_id=organisation_id, rubric_id=rubric_id)
    if stored.is_builtin:
        raise Conflict("built-in rubrics cannot be edited: clone it, then edit the clone")
    document = parse_rubric(
        data, session=session, organisation_id=organisation_id, replacing_key=stored.row.key
    )
    if document.id != stored.row.key:
        raise InvalidInput(f"the id must stay {stored.row.key!r}", field="id")
    _refuse_scale_below_thresholds(session, organisation_id=organisation_id, document=document)
    _new_rubric_version(session, stored.row, document, created_by=created_by)
    return _latest_rubric_versions(session, [stored.row])[0]


def _refuse_scale_below_thresholds(
    session: Session, *, organisation_id: uuid.UUID, document: RubricDocument
) -> None:
    """Raises Conflict when one of the organisation's profiles has a must-have threshold on a
    criterion of the rubric that its new scale does not have (it would no longer save)."""
    ids = {criterion.id for criterion in document.criteria()}
    levels = document.scale.levels
    for stored in visible_profiles(session, organisation_id=organisation_id, include_builtin=False):
        for index, must_have in enumerate(stored.document.must_haves):
            if must_have.criterion in ids and must_have.min_rating not in levels:
                raise Conflict(
                    f"profile {stored.row.key!r} needs {must_have.criterion!r} at level "
                    f"{must_have.min_rating} or above (must_haves.{index}.min_rating), which "
                    f"the scale {levels} does not have: change that threshold first",
                    field="scale.levels",
                )


def clone_rubric(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    rubric_id: uuid.UUID,
    created_by: User | None = None,
) -> StoredRubric:
    """Returns the organisation's own copy of a built-in rubric, which then replaces it."""
    stored = rubric_by_id(session, organisation_id=organisation_id, rubric_id=rubric_id)
    if not stored.is_builtin:
        raise Conflict("this rubric is your organisation's own already: edit it")
    if _own(session, Rubric, organisation_id, stored.row.key):
        raise Conflict(f"your organisation has its own {stored.row.key!r} already")
    row = Rubric(
        organisation_id=organisation_id,
        key=stored.row.key,
        cloned_from_rubric_id=stored.row.id,
    )
    _new_rubric_version(session, row, stored.document, created_by=created_by)
    return _latest_rubric_versions(session, [row])[0]


def _own(session: Session, model: type, organisation_id: uuid.UUID, key: str) -> Any:
    return session.exec(
        select(model).where(model.organisation_id == organisation_id, model.key == key)
    ).first()


# --- role profiles ----------------------------------------------------------------------------


def _latest_profile_version(session: Session, row: RoleProfile) -> RoleProfileVersion:
    return session.exec(
        select(RoleProfileVersion).where(
            RoleProfileVersion.role_profile_id == row.id,
            RoleProfileVersion.version == row.latest_version,
        )
    ).one()


def _latest_profile_versions(session: Session, rows: list[RoleProfile]) -> list[StoredProfile]:
    stored = []
    for row in rows:
        version = _latest_profile_version(session, row)
        stored.append(StoredProfile(row, version, ProfileDocument.model_validate(version.content)))
    return stored


def visible_profiles(
    session: Session, *, organisation_id: uuid.UUID, include_builtin: bool = True
) -> list[StoredProfile]:
    """Returns the organisation's own profiles, then the built-in ones."""
    condition = RoleProfile.organisation_id == organisation_id
    if include_builtin:
        condition = or_(condition, RoleProfile.organisation_id.is_(None))
    rows = session.exec(
        select(RoleProfile)
        .where(condition, RoleProfile.latest_version > 0, RoleProfile.archived.is_(False))
        .order_by(RoleProfile.organisation_id.is_(None), RoleProfile.key)
    ).all()
    return _latest_profile_versions(session, list(rows))


def profile_by_id(
    session: Session, *, organisation_id: uuid.UUID, profile_id: uuid.UUID
) -> StoredProfile:
    row = session.get(RoleProfile, profile_id)
    if row is None or row.organisation_id not in (None, organisation_id) or not row.latest_version:
        raise NotFound("no such role profile")
    return _latest_profile_versions(session, [row])[0]


def parse_profile(data: Any, *, session: Session, organisation_id: uuid.UUID) -> ProfileDocument:
    document, problems = validate_document(ProfileDocument, data)
    if document is not None:
        criteria = {
            criterion_id: (stored.document, criterion)
            for criterion_id, (stored, criterion) in criteria_for(
                session, organisation_id=organisation_id
            ).items()
        }
        problems = check_profile(document, criteria)
    if problems:
        raise DocumentInvalid(problems)
    return document


def _new_profile_version(
    session: Session,
    row: RoleProfile,
    document: ProfileDocument,
    *,
    organisation_id: uuid.UUID | None,
    created_by: User | None,
) -> RoleProfileVersion | None:
    """Adds a version when the content or the rubrics behind it changed; None otherwise."""
    # Two edits at once: the second waits for the first and numbers its version after it.
    row = locked(session, row)
    content = dump(document)
    sha = content_sha256(content)
    rubric_version_ids = sorted(
        {
            str(stored.version.id)
            for criterion_id, (stored, _) in _criteria_visible_to(session, organisation_id).items()
            if criterion_id in document.picked_ids()
        }
    )
    if row.latest_version:
        latest = _latest_profile_version(session, row)
        if latest.content_sha256 == sha and latest.rubric_version_ids == rubric_version_ids:
            return None
    row.latest_version += 1
    session.add(row)
    session.flush()
    version = RoleProfileVersion(
        role_profile_id=row.id,
        organisation_id=row.organisation_id,
        version=row.latest_version,
        content=content,
        content_sha256=sha,
        rubric_version_ids=rubric_version_ids,
        created_by_user_id=created_by.id if created_by else None,
    )
    session.add(version)
    session.flush()
    return version


def _criteria_visible_to(
    session: Session, organisation_id: uuid.UUID | None
) -> dict[str, tuple[StoredRubric, Criterion]]:
    if organisation_id is None:  # built-in profiles use built-in rubrics only
        rows = session.exec(
            select(Rubric).where(Rubric.organisation_id.is_(None), Rubric.latest_version > 0)
        ).all()
        return {
            criterion.id: (stored, criterion)
            for stored in _latest_rubric_versions(session, list(rows))
            for criterion in stored.document.criteria()
        }
    return criteria_for(session, organisation_id=organisation_id)


def create_profile(
    session: Session, *, organisation_id: uuid.UUID, data: Any, created_by: User | None = None
) -> StoredProfile:
    document = parse_profile(data, session=session, organisation_id=organisation_id)
    if _own(session, RoleProfile, organisation_id, document.id):
        raise Conflict(
            f"your organisation has a profile {document.id!r} already: update it", field="id"
        )
    row = RoleProfile(organisation_id=organisation_id, key=document.id)
    _new_profile_version(
        session, row, document, organisation_id=organisation_id, created_by=created_by
    )
    return _latest_profile_versions(session, [row])[0]


def update_profile(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    profile_id: uuid.UUID,
    data: Any,
    created_by: User | None = None,
) -> StoredProfile:
    stored = profile_by_id(session, organisation_id=organisation_id, profile_id=profile_id)
    if stored.is_builtin:
        raise Conflict("built-in profiles cannot be edited: clone it, then edit the clone")
    document = parse_profile(data, session=session, organisation_id=organisation_id)
    if document.id != stored.row.key:
        raise InvalidInput(f"the id must stay {stored.row.key!r}", field="id")
    _new_profile_version(
        session, stored.row, document, organisation_id=organisation_id, created_by=created_by
    )
    return _latest_profile_versions(session, [stored.row])[0]


def clone_profile(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    profile_id: uuid.UUID,
    new_key: str | None = None,
    created_by: User | None = None,
) -> StoredProfile:
    """Returns the organisation's editable copy of a profile (built-in or its own)."""
    stored = profile_by_id(session, organisation_id=organisation_id, profile_id=profile_id)
    key = new_key or stored.row.key
    if _own(session, RoleProfile, organisation_id, key):
        raise Conflict(
            f"your organisation has a profile {key!r} already: choose another id", field="id"
        )
    document = stored.document.model_copy(update={"id": key})
    parse_profile(dump(document), session=session, organisation_id=organisation_id)
    row = RoleProfile(
        organisation_id=organisation_id, key=key, cloned_from_role_profile_id=stored.row.id
    )
    _new_profile_version(
        session, row, document, organisation_id=organisation_id, created_by=created_by
    )
    return _latest_profile_versions(session, [row])[0]
