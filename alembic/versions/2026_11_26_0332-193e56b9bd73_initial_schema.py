"""Initial schema: every table of the domain.

Revision ID: 193e56b9bd73
Revises:
Create Date: 2026-11-26 03:32:28.792908+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "193e56b9bd73"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("default_locale", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisations_slug")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisations_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("object_type", sa.String(length=50), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("on_behalf_of_user_id", sa.Uuid(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=False),
        sa.Column(
            "details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_audit_events_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_actor_api_key_id"), ["actor_api_key_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_events_object_id"), ["object_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "candidates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "profile", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_candidates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint(
            "organisation_id", "external_id", name=op.f("uq_candidates_organisation_id_external_id")
        ),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidates_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidates_full_name"), ["full_name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_candidates_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_candidates_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "role_profiles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("cloned_from_role_profile_id", sa.Uuid(), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cloned_from_role_profile_id"],
            ["role_profiles.id"],
            name=op.f("fk_role_profiles_cloned_from_role_profile_id_role_profiles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_role_profiles_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_profiles")),
        sa.UniqueConstraint(
            "organisation_id", "key", name=op.f("uq_role_profiles_organisation_id_key")
        ),
    )
    with op.batch_alter_table("role_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_profiles_archived"), ["archived"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_role_profiles_cloned_from_role_profile_id"),
            ["cloned_from_role_profile_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_role_profiles_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_role_profiles_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            "uq_role_profiles_builtin_key",
            ["key"],
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        )

    op.create_table(
        "rubrics",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("cloned_from_rubric_id", sa.Uuid(), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cloned_from_rubric_id"],
            ["rubrics.id"],
            name=op.f("fk_rubrics_cloned_from_rubric_id_rubrics"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_rubrics_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubrics")),
        sa.UniqueConstraint("organisation_id", "key", name=op.f("uq_rubrics_organisation_id_key")),
    )
    with op.batch_alter_table("rubrics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rubrics_cloned_from_rubric_id"), ["cloned_from_rubric_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rubrics_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rubrics_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            "uq_rubrics_builtin_key",
            ["key"],
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=32), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_users_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_users_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_users_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column(
            "events", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=500), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_webhook_subscriptions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_subscriptions_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_subscriptions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_subscriptions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_api_keys_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_api_keys_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_created_by_user_id"), ["created_by_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_keys_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_keys_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "role_profile_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("role_profile_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "content", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "rubric_version_ids",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_role_profile_versions_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_role_profile_versions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_id"],
            ["role_profiles.id"],
            name=op.f("fk_role_profile_versions_role_profile_id_role_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_profile_versions")),
        sa.UniqueConstraint(
            "role_profile_id",
            "version",
            name=op.f("uq_role_profile_versions_role_profile_id_version"),
        ),
    )
    with op.batch_alter_table("role_profile_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_profile_versions_created_by_user_id"),
            ["created_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_role_profile_versions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_role_profile_versions_role_profile_id"),
            ["role_profile_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_role_profile_versions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "rubric_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rubric_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "content", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_rubric_versions_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_rubric_versions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rubric_id"],
            ["rubrics.id"],
            name=op.f("fk_rubric_versions_rubric_id_rubrics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_versions")),
        sa.UniqueConstraint(
            "rubric_id", "version", name=op.f("uq_rubric_versions_rubric_id_version")
        ),
    )
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_created_by_user_id"),
            ["created_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_rubric_id"), ["rubric_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "user_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_user_sessions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_sessions_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_user_sessions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_webhook_deliveries_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscriptions.id"],
            name=op.f("fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("event_id", name=op.f("uq_webhook_deliveries_event_id")),
    )
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_webhook_deliveries_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_subscription_id"), ["subscription_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "vacancies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("role_profile_id", sa.Uuid(), nullable=False),
        sa.Column("role_profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("owner_user_id", sa.Uuid(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_vacancies_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_vacancies_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_id"],
            ["role_profiles.id"],
            name=op.f("fk_vacancies_role_profile_id_role_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_version_id"],
            ["role_profile_versions.id"],
            name=op.f("fk_vacancies_role_profile_version_id_role_profile_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
    )
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vacancies_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vacancies_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vacancies_role_profile_id"), ["role_profile_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vacancies_role_profile_version_id"),
            ["role_profile_version_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_vacancies_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancies_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("vacancy_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("stage_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_applications_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_applications_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_applications_vacancy_id_vacancies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint(
            "vacancy_id", "candidate_id", name=op.f("uq_applications_vacancy_id_candidate_id")
        ),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applications_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applications_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applications_stage"), ["stage"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_applications_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applications_vacancy_id"), ["vacancy_id"], unique=False
        )

    op.create_table(
        "job_postings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("vacancy_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("locale", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_through", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_job_postings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_job_postings_vacancy_id_vacancies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_postings")),
        sa.UniqueConstraint(
            "organisation_id", "slug", name=op.f("uq_job_postings_organisation_id_slug")
        ),
    )
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_postings_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_postings_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_job_postings_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_job_postings_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_postings_vacancy_id"), ["vacancy_id"], unique=False
        )

    op.create_table(
        "interview_sheets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("role_profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "content", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_interview_sheets_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_interview_sheets_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_interview_sheets_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_version_id"],
            ["role_profile_versions.id"],
            name=op.f("fk_interview_sheets_role_profile_version_id_role_profile_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_sheets")),
    )
    with op.batch_alter_table("interview_sheets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_sheets_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_sheets_created_by_user_id"),
            ["created_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interview_sheets_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_sheets_role_profile_version_id"),
            ["role_profile_version_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interview_sheets_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "interviewer_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("assigned_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_interviewer_assignments_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_user_id"],
            ["users.id"],
            name=op.f("fk_interviewer_assignments_assigned_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_interviewer_assignments_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_interviewer_assignments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviewer_assignments")),
        sa.UniqueConstraint(
            "application_id",
            "user_id",
            "stage",
            name=op.f("uq_interviewer_assignments_application_id_user_id_stage"),
        ),
    )
    with op.batch_alter_table("interviewer_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interviewer_assignments_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interviewer_assignments_assigned_by_user_id"),
            ["assigned_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interviewer_assignments_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interviewer_assignments_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interviewer_assignments_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "job_posting_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("job_posting_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "content", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("role_profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_job_posting_versions_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_posting_id"],
            ["job_postings.id"],
            name=op.f("fk_job_posting_versions_job_posting_id_job_postings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_job_posting_versions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_version_id"],
            ["role_profile_versions.id"],
            name=op.f("fk_job_posting_versions_role_profile_version_id_role_profile_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_posting_versions")),
        sa.UniqueConstraint(
            "job_posting_id", "version", name=op.f("uq_job_posting_versions_job_posting_id_version")
        ),
    )
    with op.batch_alter_table("job_posting_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_posting_versions_created_by_user_id"),
            ["created_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_job_posting_versions_job_posting_id"), ["job_posting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_posting_versions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_posting_versions_role_profile_version_id"),
            ["role_profile_version_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_job_posting_versions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "scorecards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("interviewer_user_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "rubric_version_ids",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("role_profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("recommendation", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_scorecards_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_user_id"],
            ["users.id"],
            name=op.f("fk_scorecards_interviewer_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_scorecards_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_version_id"],
            ["role_profile_versions.id"],
            name=op.f("fk_scorecards_role_profile_version_id_role_profile_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecards")),
        sa.UniqueConstraint(
            "application_id",
            "interviewer_user_id",
            "stage",
            name=op.f("uq_scorecards_application_id_interviewer_user_id_stage"),
        ),
    )
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecards_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scorecards_interviewer_user_id"), ["interviewer_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scorecards_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scorecards_role_profile_version_id"),
            ["role_profile_version_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_scorecards_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_scorecards_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "stage_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("from_stage", sa.String(length=32), nullable=False),
        sa.Column("to_stage", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_stage_decisions_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_stage_decisions_decided_by_api_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_stage_decisions_decided_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_stage_decisions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_decisions")),
    )
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_decided_by_api_key_id"),
            ["decided_by_api_key_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_decided_by_user_id"),
            ["decided_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "criterion_ratings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_id", sa.String(length=200), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_criterion_ratings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_criterion_ratings_scorecard_id_scorecards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_ratings")),
        sa.UniqueConstraint(
            "scorecard_id",
            "criterion_id",
            name=op.f("uq_criterion_ratings_scorecard_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("criterion_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_ratings_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_criterion_ratings_scorecard_id"), ["scorecard_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_criterion_ratings_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "scorecard_revisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "snapshot", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("changed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("change_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"],
            ["users.id"],
            name=op.f("fk_scorecard_revisions_changed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_scorecard_revisions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name=op.f("fk_scorecard_revisions_scorecard_id_scorecards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_revisions")),
        sa.UniqueConstraint(
            "scorecard_id", "version", name=op.f("uq_scorecard_revisions_scorecard_id_version")
        ),
    )
    with op.batch_alter_table("scorecard_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_revisions_changed_by_user_id"),
            ["changed_by_user_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_scorecard_revisions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scorecard_revisions_scorecard_id"), ["scorecard_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scorecard_revisions_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scorecard_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_revisions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_scorecard_revisions_scorecard_id"))
        batch_op.drop_index(batch_op.f("ix_scorecard_revisions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_scorecard_revisions_changed_by_user_id"))

    op.drop_table("scorecard_revisions")
    with op.batch_alter_table("criterion_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_ratings_updated_at"))
        batch_op.drop_index(batch_op.f("ix_criterion_ratings_scorecard_id"))
        batch_op.drop_index(batch_op.f("ix_criterion_ratings_organisation_id"))

    op.drop_table("criterion_ratings")
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_decisions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_stage_decisions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_stage_decisions_decided_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_stage_decisions_decided_by_api_key_id"))
        batch_op.drop_index(batch_op.f("ix_stage_decisions_application_id"))

    op.drop_table("stage_decisions")
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecards_updated_at"))
        batch_op.drop_index(batch_op.f("ix_scorecards_status"))
        batch_op.drop_index(batch_op.f("ix_scorecards_role_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_scorecards_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_scorecards_interviewer_user_id"))
        batch_op.drop_index(batch_op.f("ix_scorecards_application_id"))

    op.drop_table("scorecards")
    with op.batch_alter_table("job_posting_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_posting_versions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_job_posting_versions_role_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_job_posting_versions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_job_posting_versions_job_posting_id"))
        batch_op.drop_index(batch_op.f("ix_job_posting_versions_created_by_user_id"))

    op.drop_table("job_posting_versions")
    with op.batch_alter_table("interviewer_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interviewer_assignments_user_id"))
        batch_op.drop_index(batch_op.f("ix_interviewer_assignments_updated_at"))
        batch_op.drop_index(batch_op.f("ix_interviewer_assignments_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_interviewer_assignments_assigned_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_interviewer_assignments_application_id"))

    op.drop_table("interviewer_assignments")
    with op.batch_alter_table("interview_sheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_sheets_updated_at"))
        batch_op.drop_index(batch_op.f("ix_interview_sheets_role_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_interview_sheets_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_interview_sheets_created_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_interview_sheets_application_id"))

    op.drop_table("interview_sheets")
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_postings_vacancy_id"))
        batch_op.drop_index(batch_op.f("ix_job_postings_updated_at"))
        batch_op.drop_index(batch_op.f("ix_job_postings_state"))
        batch_op.drop_index(batch_op.f("ix_job_postings_published_at"))
        batch_op.drop_index(batch_op.f("ix_job_postings_organisation_id"))

    op.drop_table("job_postings")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_vacancy_id"))
        batch_op.drop_index(batch_op.f("ix_applications_updated_at"))
        batch_op.drop_index(batch_op.f("ix_applications_stage"))
        batch_op.drop_index(batch_op.f("ix_applications_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_applications_candidate_id"))

    op.drop_table("applications")
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vacancies_updated_at"))
        batch_op.drop_index(batch_op.f("ix_vacancies_status"))
        batch_op.drop_index(batch_op.f("ix_vacancies_role_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_vacancies_role_profile_id"))
        batch_op.drop_index(batch_op.f("ix_vacancies_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_vacancies_organisation_id"))

    op.drop_table("vacancies")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_updated_at"))
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_status"))
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_next_attempt_at"))

    op.drop_table("webhook_deliveries")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_user_sessions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_user_sessions_expires_at"))

    op.drop_table("user_sessions")
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_versions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_rubric_versions_rubric_id"))
        batch_op.drop_index(batch_op.f("ix_rubric_versions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_rubric_versions_created_by_user_id"))

    op.drop_table("rubric_versions")
    with op.batch_alter_table("role_profile_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_profile_versions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_role_profile_versions_role_profile_id"))
        batch_op.drop_index(batch_op.f("ix_role_profile_versions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_role_profile_versions_created_by_user_id"))

    op.drop_table("role_profile_versions")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_updated_at"))
        batch_op.drop_index(batch_op.f("ix_api_keys_prefix"))
        batch_op.drop_index(batch_op.f("ix_api_keys_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_api_keys_created_by_user_id"))

    op.drop_table("api_keys")
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_subscriptions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_webhook_subscriptions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_webhook_subscriptions_is_active"))

    op.drop_table("webhook_subscriptions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_updated_at"))
        batch_op.drop_index(batch_op.f("ix_users_organisation_id"))

    op.drop_table("users")
    with op.batch_alter_table("rubrics", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_rubrics_builtin_key",
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_rubrics_updated_at"))
        batch_op.drop_index(batch_op.f("ix_rubrics_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_rubrics_cloned_from_rubric_id"))

    op.drop_table("rubrics")
    with op.batch_alter_table("role_profiles", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_role_profiles_builtin_key",
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_role_profiles_updated_at"))
        batch_op.drop_index(batch_op.f("ix_role_profiles_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_role_profiles_cloned_from_role_profile_id"))
        batch_op.drop_index(batch_op.f("ix_role_profiles_archived"))

    op.drop_table("role_profiles")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidates_updated_at"))
        batch_op.drop_index(batch_op.f("ix_candidates_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_full_name"))
        batch_op.drop_index(batch_op.f("ix_candidates_email"))

    op.drop_table("candidates")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_object_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_api_key_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_updated_at"))

    op.drop_table("organisations")
