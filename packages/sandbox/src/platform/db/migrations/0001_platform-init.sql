-- Up Migration
-- The platform's records (PLATFORM.md): identities, tenancy, projects, runtime identity,
-- audit, enrollment tokens and events. Only rows with deleted_at IS NULL count for authorization,
-- so uniqueness of memberships holds among active rows only.
CREATE SCHEMA IF NOT EXISTS platform;

CREATE TABLE platform.orgs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('personal', 'customer', 'system')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.tenants (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES platform.orgs (id) ON DELETE CASCADE,
  slug text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX tenants_slug_key ON platform.tenants (lower(slug)) WHERE deleted_at IS NULL;

-- A user's id is text: self-signup gives a uuid, an admin bootstrap names the user (its user_id).
CREATE TABLE platform.users (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$'),
  org_id uuid NOT NULL REFERENCES platform.orgs (id) ON DELETE CASCADE,
  email text NOT NULL,
  display_name text NOT NULL,
  idp_subject text UNIQUE,
  is_system_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON platform.users (lower(email));

CREATE TABLE platform.tenant_memberships (
  id uuid PRIMARY KEY,
  user_id text NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('tenant_admin', 'operator', 'auditor', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX tenant_memberships_active_key ON platform.tenant_memberships (user_id, tenant_id) WHERE deleted_at IS NULL;
CREATE INDEX tenant_memberships_tenant ON platform.tenant_memberships (tenant_id);

CREATE TABLE platform.projects (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX projects_default_key ON platform.projects (tenant_id) WHERE is_default AND deleted_at IS NULL;

CREATE TABLE platform.project_memberships (
  id uuid PRIMARY KEY,
  user_id text NOT NULL REFERENCES platform.users (id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES platform.projects (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX project_memberships_active_key ON platform.project_memberships (user_id, project_id) WHERE deleted_at IS NULL;
CREATE INDEX project_memberships_project ON platform.project_memberships (project_id);

CREATE SEQUENCE platform.posix_uid_seq START 100000;
CREATE TABLE platform.user_posix_identities (
  user_id text PRIMARY KEY REFERENCES platform.users (id) ON DELETE CASCADE,
  uid integer NOT NULL UNIQUE DEFAULT nextval('platform.posix_uid_seq'),
  gid integer NOT NULL,
  username text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.instances (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES platform.projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  gpu_type text NOT NULL,
  status text NOT NULL DEFAULT 'running',
  created_by text REFERENCES platform.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX instances_project ON platform.instances (project_id) WHERE deleted_at IS NULL;

CREATE TABLE platform.audit_log (
  id bigserial PRIMARY KEY,
  action text NOT NULL,
  actor_id text,
  target_id text,
  tenant_id uuid,
  correlation_id text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_correlation ON platform.audit_log (correlation_id);
CREATE INDEX audit_log_target ON platform.audit_log (target_id);

CREATE TABLE platform.enrollment_tokens (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  secret_hash text NOT NULL,
  prefix text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by text REFERENCES platform.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX enrollment_tokens_tenant ON platform.enrollment_tokens (tenant_id);

CREATE TABLE platform.platform_events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  correlation_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_events_type ON platform.platform_events (type, created_at);
