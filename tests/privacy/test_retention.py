"""The retention policy on fixed dates: who is due when, the talent-pool consent extending
it, `purge` erasing only those past it, and the organisation's settings."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.errors import InvalidInput
from app.hiring.service import create_application, create_candidate
from app.models import AuditEvent, Candidate, Organisation, Stage, Vacancy
from app.privacy import service
from app.privacy.retention import MONTHS_RANGE, Basis, Policy, add_months, retention
from app.rubrics.service import clone_profile, visible_profiles
from tests.factories import make_organisation

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)  # 8 months before NOW
RECENTLY = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)  # 4 months before NOW


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2025, 1, 31, tzinfo=UTC), 1, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 1, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2025, 11, 15, 8, 30, tzinfo=UTC), 6, datetime(2026, 5, 15, 8, 30, tzinfo=UTC)),
        (datetime(2025, 12, 1, tzinfo=UTC), 24, datetime(2027, 12, 1, tzinfo=UTC)),
    ],
)
def test_months_are_added_by_the_calendar(moment: datetime, months: int, expected) -> None:
    assert add_months(moment, months) == expected


def test_the_policy_decides_from_the_applications() -> None:
    policy = Policy(rejected_months=6, talent_pool_months=24)
    base = {"created_at": datetime(2020, 1, 1, tzinfo=UTC), "talent_pool_consent": False}

    open_one = retention(
        policy, **base, applications=2, open_applications=1, hired_applications=0,
        last_stage_change_at=LONG_AGO,
    )  # fmt: skip
    hired = retention(
        policy, **base, applications=1, open_applications=0, hired_applications=1,
        last_stage_change_at=LONG_AGO,
    )  # fmt: skip
    rejected = retention(
        policy, **base, applications=2, open_applications=0, hired_applications=0,
        last_stage_change_at=LONG_AGO,
    )  # fmt: skip
    never_applied = retention(
        policy, **base, applications=0, open_applications=0, hired_applications=0,
        last_stage_change_at=None,
    )  # fmt: skip

    assert (open_one.basis, open_one.erase_on) == (Basis.IN_PROCESS, None)
    assert (hired.basis, hired.erase_on) == (Basis.HIRED, None)
    assert rejected.basis == Basis.REJECTED
    assert rejected.erase_on == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert rejected.is_due(NOW) and not rejected.is_due(datetime(2026, 10, 31, tzinfo=UTC))
    assert never_applied.erase_on == datetime(2020, 7, 1, tzinfo=UTC)


@pytest.fixture
def organisation(db: Session, demo: Organisation) -> Organisation:
    """An organisation of its own (the demo's candidates changed today), with a vacancy."""
    organisation = make_organisation(db, slug="keeps")
    builtin = next(
        p
        for p in visible_profiles(db, organisation_id=organisation.id)
        if p.row.key == "smm_manager"
    )
    profile = clone_profile(db, organisation_id=organisation.id, profile_id=builtin.row.id)
    db.add(
        Vacancy(
            organisation_id=organisation.id,
            role_profile_id=profile.row.id,
            role_profile_version_id=profile.version.id,
            title="SMM",
        )
    )
    db.flush()
    return organisation


def candidate(
    db: Session,
    organisation: Organisation,
    name: str,
    *,
    stage: Stage | None,
    changed: datetime = LONG_AGO,
    talent_pool: bool = False,
) -> uuid.UUID:
    """A candidate whose application stands at the stage since `changed` (no application and
    added then when stage is None)."""
    row = create_candidate(
        db,
        organisation_id=organisation.id,
        full_name=name,
        talent_pool_consent_text="кадровый резерв" if talent_pool else "",
        talent_pool_consent_at=changed if talent_pool else None,
    )
    if stage is None:
        row.created_at = changed
        db.add(row)
    else:
        vacancy = db.exec(select(Vacancy).where(Vacancy.organisation_id == organisation.id)).one()
        application = create_application(db, vacancy=vacancy, candidate=row)
        application.stage, application.stage_changed_at = stage, changed
        db.add(application)
    db.flush()
    return row.id


def test_purge_erases_only_the_candidates_past_the_policy(
    db: Session, organisation: Organisation
) -> None:
    due = {
        candidate(db, organisation, "Отказ давно", stage=Stage.REJECTED),
        candidate(db, organisation, "Отозвал давно", stage=Stage.WITHDRAWN),
        candidate(db, organisation, "Не подавал давно", stage=None),
    }
    kept = {
        candidate(db, organisation, "Отказ недавно", stage=Stage.REJECTED, changed=RECENTLY),
        candidate(db, organisation, "В резерве", stage=Stage.REJECTED, talent_pool=True),
        candidate(db, organisation, "Ещё собеседуется", stage=Stage.INTERVIEW),
        candidate(db, organisation, "Нанят", stage=Stage.HIRED),
    }
    db.commit()

    found = service.due_for_erasure(db, organisation=organisation, now=NOW)
    erased = service.purge(db, organisation=organisation, due=found)
    db.commit()

    assert {item.candidate_id for item in found} == due and erased == 3
    assert {item.retention.basis for item in found} == {Basis.REJECTED}
    rows = {row.id: row for row in db.exec(select(Candidate).where(Candidate.id.in_(due | kept)))}
    assert all(rows[i].erased_at is not None and rows[i].full_name == "—" for i in due)
    assert all(rows[i].erased_at is None and rows[i].full_name != "—" for i in kept)
    details = db.exec(
        select(AuditEvent.details).where(
            AuditEvent.action == "candidate.erased", AuditEvent.organisation_id == organisation.id
        )
    ).all()
    assert sorted((d["reason"], d["applications"]) for d in details) == [
        ("retention_policy", 0),
        ("retention_policy", 1),
        ("retention_policy", 1),
    ]
    # A second purge finds no one: the erased are tombstones, not candidates to erase again.
    assert service.due_for_erasure(db, organisation=organisation, now=NOW) == []
    db.rollback()


def test_the_talent_pool_consent_keeps_a_candidate_longer(
    db: Session, organisation: Organisation
) -> None:
    pooled = candidate(db, organisation, "В резерве", stage=Stage.REJECTED, talent_pool=True)
    plain = candidate(db, organisation, "Без согласия", stage=Stage.REJECTED)
    db.commit()

    def due_at(moment: datetime) -> set[uuid.UUID]:
        return {
            i.candidate_id
            for i in service.due_for_erasure(db, organisation=organisation, now=moment)
        }

    assert due_at(NOW) == {plain}
    assert due_at(datetime(2028, 4, 30, tzinfo=UTC)) == {plain}
    assert due_at(datetime(2028, 5, 2, tzinfo=UTC)) == {plain, pooled}
    pooled_row = db.get(Candidate, pooled)
    kept = service.retention_of(db, candidate=pooled_row)
    assert kept.basis == Basis.TALENT_POOL and kept.erase_on == datetime(2028, 5, 1, 12, tzinfo=UTC)

    service.update_policy(db, organisation=organisation, rejected_months=3, talent_pool_months=9)

    assert due_at(datetime(2027, 2, 2, tzinfo=UTC)) == {plain, pooled}
    assert due_at(datetime(2026, 8, 2, tzinfo=UTC)) == {plain}
    db.rollback()


def test_the_settings_keep_to_the_range_and_the_pool_no_shorter(
    db: Session, organisation: Organisation
) -> None:
    low, high = MONTHS_RANGE
    assert f"{low} to {high} months" in service.MONTHS_OUT_OF_RANGE

    for rejected, pool in ((0, 24), (6, high + 1), (12, 6)):
        with pytest.raises(InvalidInput):
            service.update_policy(
                db, organisation=organisation, rejected_months=rejected, talent_pool_months=pool
            )
    service.update_policy(db, organisation=organisation, rejected_months=12, talent_pool_months=12)

    assert (organisation.retention_rejected_months, organisation.retention_talent_pool_months) == (
        12,
        12,
    )
    db.rollback()


def test_new_organisations_get_the_default_policy(db: Session, organisation: Organisation) -> None:
    db.commit()
    stored = db.exec(
        select(
            Organisation.retention_rejected_months, Organisation.retention_talent_pool_months
        ).where(Organisation.id == organisation.id)
    ).one()

    assert tuple(stored) == (6, 24)
    db.rollback()
