-- Allocation: each municipality's priority rules and scoring policy, every
-- version kept; the highest is in force.
CREATE TABLE priority_rules (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  version         INTEGER NOT NULL,
  rules           TEXT NOT NULL,
  policy          TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, version)
);
