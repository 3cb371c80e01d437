-- Up Migration
-- One row per journey (and location) while a replica runs it: a tick is claimed only when no lease
-- of its journey is live, so a journey never overlaps itself across replicas. The holder renews
-- expires_at while the run goes on and deletes the row after it; a killed holder's lease lapses.
CREATE TABLE onramp.leases (
  job text NOT NULL,
  location text NOT NULL DEFAULT '',
  holder text NOT NULL,
  tick_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (job, location)
);

-- Down Migration
DROP TABLE onramp.leases;
