"""security: staff sessions, lockout and second factor; the audit trail (append-only); rate limits
shared by hub processes; when postings end; which station registered an employer; device settings
that name only what the device itself defines

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_at", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_log_actor_at", ["actor", "at"], unique=False)
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)

    op.create_table(
        "rate_hits",
        sa.Column("bucket", sa.String(length=32), nullable=False),
        sa.Column("window", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("station_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_employers_station_id", "stations", ["station_id"], ["id"])

    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("totp_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))

    _audit_guard()
    _ended_postings()
    _device_settings()


AUDIT_GUARD = {
    "postgresql": [
        """CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'audit entries are never changed'; END IF;
          IF OLD.at > now() - interval '180 days' THEN
            RAISE EXCEPTION 'audit entries are kept at least 180 days';
          END IF;
          RETURN OLD;
        END $$""",
        "CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_guard()",
    ],
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END",
        "CREATE TRIGGER audit_log_keep BEFORE DELETE ON audit_log WHEN old.at > datetime('now', '-180 days') "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are kept at least 180 days'); END",
    ],
}


def _audit_guard() -> None:
    """Append-only for the application: the database itself refuses changes, and deletions of
    entries younger than the legal floor (hub.audit.models.MIN_RETENTION_DAYS)."""
    for statement in AUDIT_GUARD[op.get_bind().dialect.name]:
        op.execute(statement)


def _ended_postings() -> None:
    """Postings already full or closed ended at their last change, as far as anyone can tell."""
    op.execute("UPDATE postings SET ended_at = updated_at WHERE status <> 'open'")


def _device_settings() -> None:
    """Device settings may no longer name a program or a port: the browser's command line goes (the
    booth's own machine file names its browsers), and a reader spec that is not one of the names a
    device defines becomes the device's own default."""
    import json
    import re

    bind = op.get_bind()
    name = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
    for device_id, config in bind.execute(sa.text("SELECT id, config FROM devices")).all():
        config = json.loads(config) if isinstance(config, str) else dict(config or {})
        changed = dict(config)
        changed.pop("browser_command", None)
        if not name.match(str(changed.get("reader") or "")):
            changed["reader"] = ""
        if changed != config:
            value = json.dumps(changed, ensure_ascii=False)
            cast = "CAST(:c AS JSONB)" if bind.dialect.name == "postgresql" else ":c"
            bind.execute(sa.text(f"UPDATE devices SET config = {cast} WHERE id = :i"), {"c": value, "i": device_id})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION audit_log_guard()")
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_confirmed_at")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")

    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_column("ended_at")

    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_constraint("fk_employers_station_id", type_="foreignkey")
        batch_op.drop_column("station_id")

    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_user_id"))

    op.drop_table("staff_sessions")
    op.drop_table("rate_hits")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_index("ix_audit_log_actor_at")
        batch_op.drop_index("ix_audit_log_action_at")

    op.drop_table("audit_log")
