-- Up Migration

-- A user is kept whole as jsonb (it is read and written whole); the columns beside it are what the
-- IdP looks users up by and what the database must keep unique.
CREATE TABLE idp.users (
  id text PRIMARY KEY,
  realm text NOT NULL,
  username text NOT NULL,
  -- NULL for no email and for '': an empty email never clashes, as in Keycloak.
  email text,
  data jsonb NOT NULL,
  -- "Oldest first" is insertion order; createdTimestamp can tie within a millisecond.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Created in this order so a user clashing on both reports the username, as the memory store does.
CREATE UNIQUE INDEX users_realm_username_key ON idp.users (realm, lower(username));
CREATE UNIQUE INDEX users_realm_email_key ON idp.users (realm, lower(email));
CREATE INDEX users_realm_seq_idx ON idp.users (realm, seq);

CREATE TABLE idp.credentials (
  user_id text PRIMARY KEY REFERENCES idp.users (id) ON DELETE CASCADE,
  id text NOT NULL,
  type text NOT NULL,
  created_date bigint NOT NULL,
  hash text NOT NULL
);

-- Key material survives restarts so tokens issued before one still verify (same JWKS kid).
CREATE TABLE idp.realm_keys (
  realm text PRIMARY KEY,
  keys jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- oidc-provider's records. The lookup keys are derived from the payload by the database so they
-- can never disagree with it, consume() included.
CREATE TABLE idp.oidc_records (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  uid text GENERATED ALWAYS AS (payload ->> 'uid') STORED,
  user_code text GENERATED ALWAYS AS (payload ->> 'userCode') STORED,
  grant_id text GENERATED ALWAYS AS (payload ->> 'grantId') STORED,
  account_id text GENERATED ALWAYS AS (payload ->> 'accountId') STORED,
  -- NULL: never expires.
  expires_at timestamptz,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_records_uid_idx ON idp.oidc_records (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_records_user_code_idx ON idp.oidc_records (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_records_grant_id_idx ON idp.oidc_records (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_records_account_idx ON idp.oidc_records (model, account_id, seq) WHERE account_id IS NOT NULL;
CREATE INDEX oidc_records_expires_at_idx ON idp.oidc_records (expires_at) WHERE expires_at IS NOT NULL;

-- Down Migration

DROP TABLE idp.oidc_records;
DROP TABLE idp.realm_keys;
DROP TABLE idp.credentials;
DROP TABLE idp.users;
