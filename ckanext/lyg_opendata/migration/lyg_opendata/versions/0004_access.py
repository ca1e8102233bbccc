"""Conditional data access: applications, agreements, grants, usage reports, notices

Tables of access/model.py and notify.Notice.

Revision ID: 0004_access
Revises: 0003_resource_code_unique
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0004_access"
down_revision = "0003_resource_code_unique"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lyg_opendata_application',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('package_id', sa.UnicodeText(), nullable=False),
    sa.Column('org_id', sa.UnicodeText(), nullable=True),
    sa.Column('user_id', sa.UnicodeText(), nullable=False),
    sa.Column('status', sa.UnicodeText(), nullable=False),
    sa.Column('applicant_type', sa.UnicodeText(), nullable=False),
    sa.Column('applicant_name', sa.UnicodeText(), nullable=True),
    sa.Column('credit_code', sa.UnicodeText(), nullable=True),
    sa.Column('contact_name', sa.UnicodeText(), nullable=True),
    sa.Column('contact_phone', sa.UnicodeText(), nullable=True),
    sa.Column('contact_email', sa.UnicodeText(), nullable=True),
    sa.Column('purpose', sa.UnicodeText(), nullable=False),
    sa.Column('scenario', sa.UnicodeText(), nullable=False),
    sa.Column('security_measures', sa.UnicodeText(), nullable=False),
    sa.Column('resource_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=False),
    sa.Column('conditions_accepted', sa.Boolean(), nullable=False),
    sa.Column('privacy_notice_version', sa.UnicodeText(), nullable=True),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('info_requested_on', sa.Date(), nullable=True),
    sa.Column('info_supplied_on', sa.Date(), nullable=True),
    sa.Column('info_request', sa.UnicodeText(), nullable=True),
    sa.Column('info_reply', sa.UnicodeText(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.UnicodeText(), nullable=True),
    sa.Column('conditions_of_use', sa.UnicodeText(), nullable=True),
    sa.Column('granted_resource_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('granted_term_start', sa.Date(), nullable=True),
    sa.Column('granted_term_end', sa.Date(), nullable=True),
    sa.Column('refusal_reason', sa.UnicodeText(), nullable=True),
    sa.Column('refusal_basis', sa.UnicodeText(), nullable=True),
    sa.Column('deadline_workdays', sa.Integer(), nullable=False, server_default='10'),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('overdue_reminded_on', sa.Date(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['group.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('lyg_opendata_application_event',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('application_id', sa.UnicodeText(), nullable=False),
    sa.Column('actor_id', sa.UnicodeText(), nullable=True),
    sa.Column('action', sa.UnicodeText(), nullable=False),
    sa.Column('from_status', sa.UnicodeText(), nullable=True),
    sa.Column('to_status', sa.UnicodeText(), nullable=True),
    sa.Column('reason', sa.UnicodeText(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['lyg_opendata_application.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('lyg_opendata_agreement_template',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.UnicodeText(), nullable=False),
    sa.Column('body', sa.UnicodeText(), nullable=False),
    sa.Column('note', sa.UnicodeText(), nullable=True),
    sa.Column('created_by', sa.UnicodeText(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )
    op.create_table('lyg_opendata_agreement',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('number', sa.UnicodeText(), nullable=False),
    sa.Column('application_id', sa.UnicodeText(), nullable=False),
    sa.Column('template_id', sa.UnicodeText(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=True),
    sa.Column('text', sa.UnicodeText(), nullable=False),
    sa.Column('sha256', sa.UnicodeText(), nullable=False),
    sa.Column('report_schedule', sa.UnicodeText(), nullable=False),
    sa.Column('report_interval_months', sa.Integer(), nullable=True),
    sa.Column('agency_signed_at', sa.DateTime(), nullable=True),
    sa.Column('agency_signed_by', sa.UnicodeText(), nullable=True),
    sa.Column('applicant_signed_at', sa.DateTime(), nullable=True),
    sa.Column('applicant_signed_by', sa.UnicodeText(), nullable=True),
    sa.Column('applicant_sign_ip', sa.UnicodeText(), nullable=True),
    sa.Column('applicant_sign_user_agent', sa.UnicodeText(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_signed_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['applicant_signed_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['lyg_opendata_application.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['lyg_opendata_agreement_template.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('lyg_opendata_grant',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('agreement_id', sa.UnicodeText(), nullable=False),
    sa.Column('application_id', sa.UnicodeText(), nullable=False),
    sa.Column('user_id', sa.UnicodeText(), nullable=False),
    sa.Column('package_id', sa.UnicodeText(), nullable=False),
    sa.Column('resource_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.UnicodeText(), nullable=True),
    sa.Column('revoke_reason', sa.UnicodeText(), nullable=True),
    sa.Column('expiry_notified_at', sa.DateTime(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['lyg_opendata_agreement.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['application_id'], ['lyg_opendata_application.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agreement_id')
    )
    op.create_table('lyg_opendata_usage_report',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('grant_id', sa.UnicodeText(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('usage', sa.UnicodeText(), nullable=True),
    sa.Column('results', sa.UnicodeText(), nullable=True),
    sa.Column('incidents', sa.UnicodeText(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by', sa.UnicodeText(), nullable=True),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['lyg_opendata_grant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('lyg_opendata_notice',
    sa.Column('id', sa.UnicodeText(), nullable=False),
    sa.Column('user_id', sa.UnicodeText(), nullable=False),
    sa.Column('subject', sa.UnicodeText(), nullable=False),
    sa.Column('body', sa.UnicodeText(), nullable=True),
    sa.Column('link', sa.UnicodeText(), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_lyg_opendata_application_org_id'), 'lyg_opendata_application', ['org_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_application_package_id'), 'lyg_opendata_application', ['package_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_application_status'), 'lyg_opendata_application', ['status'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_application_user_id'), 'lyg_opendata_application', ['user_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_application_event_application_id'), 'lyg_opendata_application_event', ['application_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_grant_package_id'), 'lyg_opendata_grant', ['package_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_grant_user_id'), 'lyg_opendata_grant', ['user_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_usage_report_grant_id'), 'lyg_opendata_usage_report', ['grant_id'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_notice_created'), 'lyg_opendata_notice', ['created'], unique=False)
    op.create_index(op.f('ix_lyg_opendata_notice_user_id'), 'lyg_opendata_notice', ['user_id'], unique=False)
    # one open application per user and dataset at a time
    op.execute("CREATE UNIQUE INDEX lyg_opendata_application_one_open ON lyg_opendata_application "
               "(user_id, package_id) WHERE status IN ('submitted', 'info_requested')")


def downgrade():
    op.drop_table('lyg_opendata_notice')
    op.drop_table('lyg_opendata_usage_report')
    op.drop_table('lyg_opendata_grant')
    op.drop_table('lyg_opendata_agreement')
    op.drop_table('lyg_opendata_agreement_template')
    op.drop_table('lyg_opendata_application_event')
    op.drop_table('lyg_opendata_application')
