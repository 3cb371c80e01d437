-- Up Migration
CREATE SCHEMA IF NOT EXISTS onramp;
CREATE TABLE onramp.runs (
  run_id text NOT NULL,
  journey text NOT NULL,
  location text NOT NULL DEFAULT '',
  outcome text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  steps jsonb NOT NULL,
  PRIMARY KEY (run_id, journey)
);
CREATE INDEX runs_journey_finished ON onramp.runs (journey, finished_at DESC);
CREATE INDEX runs_finished ON onramp.runs (finished_at DESC);

-- One row per tick that some replica ran: the first INSERT wins, the others find the row and skip.
CREATE TABLE onramp.ticks (
  job text NOT NULL,
  location text NOT NULL DEFAULT '',
  tick_at timestamptz NOT NULL,
  replica text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, location, tick_at)
);

-- Down Migration
DROP TABLE onramp.ticks;
DROP TABLE onramp.runs;
