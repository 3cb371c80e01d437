-- Up Migration
-- SCIM connections (seed 002, Settings): a tenant admin records which directory provisions the
-- tenant's users. Metadata only: the sandbox is no SCIM server. Removal (and the tenant's) sets
-- deleted_at, so the audit trail keeps what was connected.
CREATE TABLE platform.scim_connections (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  provider text NOT NULL CHECK (provider IN ('okta', 'entra_id', 'google_workspace', 'other')),
  created_by text REFERENCES platform.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX scim_connections_tenant ON platform.scim_connections (tenant_id) WHERE deleted_at IS NULL;
