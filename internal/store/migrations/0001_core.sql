-- The core of Husly: tenants, organisation, staff, persons and households,
-- the housing stock and leases. Every row belongs to exactly one
-- municipality; composite foreign keys make cross-municipality links
-- impossible in the database itself, not only in the code.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE municipalities (
  id          {{ID}},
  number      TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  inhabitants INTEGER NOT NULL DEFAULT 0,
  created_at  {{TIMESTAMP}} NOT NULL
);

CREATE TABLE org_units (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  phone           TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, name),
  UNIQUE (id, municipality_id)
);

CREATE TABLE households (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (id, municipality_id)
);

CREATE TABLE persons (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  -- The identity number is kept encrypted (AES-GCM, keys outside the
  -- database); identity_hash is its keyed blind index for exact lookups and
  -- uniqueness; identity_prefix is its first six digits (the birth date
  -- part), for masked display and search by date.
  identity_enc    TEXT NOT NULL,
  identity_hash   TEXT NOT NULL,
  identity_prefix TEXT NOT NULL,
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  -- lower-case, accent-folded copies for indexed prefix search
  first_name_key  TEXT {{BYTEWISE}} NOT NULL,
  last_name_key   TEXT {{BYTEWISE}} NOT NULL,
  birth_date      {{DATE}} NOT NULL,
  phone           TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  postal_code     TEXT NOT NULL DEFAULT '',
  postal_place    TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, identity_hash),
  UNIQUE (id, municipality_id)
);
CREATE INDEX persons_last_name ON persons (municipality_id, last_name_key, first_name_key);
CREATE INDEX persons_first_name ON persons (municipality_id, first_name_key, last_name_key);
CREATE INDEX persons_prefix ON persons (municipality_id, identity_prefix);

CREATE TABLE users (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  org_unit_id     BIGINT,
  -- set for residents: the person the login belongs to
  person_id       BIGINT,
  username        TEXT NOT NULL UNIQUE,
  full_name       TEXT NOT NULL,
  email           TEXT NOT NULL DEFAULT '',
  title           TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL,
  password_hash   TEXT NOT NULL DEFAULT '',
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until    {{TIMESTAMP}},
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX users_unit ON users (municipality_id, org_unit_id);

CREATE TABLE sessions (
  token  TEXT PRIMARY KEY,
  data   {{BLOB}} NOT NULL,
  expiry {{TIMESTAMP}} NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE api_tokens (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  user_id         BIGINT NOT NULL,
  name            TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  created_at      {{TIMESTAMP}} NOT NULL,
  expires_at      {{TIMESTAMP}},
  revoked_at      {{TIMESTAMP}},
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);

-- A household is the people who live together. Members known to the
-- services are persons; others (often children) are recorded by name.
CREATE TABLE household_members (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  household_id    BIGINT NOT NULL,
  person_id       BIGINT UNIQUE,
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  birth_date      {{DATE}},
  relation        TEXT NOT NULL,
  FOREIGN KEY (household_id, municipality_id) REFERENCES households(id, municipality_id) ON DELETE CASCADE,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX household_members_household ON household_members (household_id);

CREATE TABLE sites (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  name            TEXT NOT NULL,
  district        TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  co_located      BOOLEAN NOT NULL DEFAULT FALSE,
  staff_base      BOOLEAN NOT NULL DEFAULT FALSE,
  staffing        TEXT NOT NULL DEFAULT 'ingen',
  UNIQUE (municipality_id, name),
  UNIQUE (id, municipality_id)
);

CREATE TABLE buildings (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  site_id         BIGINT,
  name            TEXT NOT NULL,
  address         TEXT NOT NULL DEFAULT '',
  floors          INTEGER NOT NULL DEFAULT 1,
  has_lift        BOOLEAN NOT NULL DEFAULT FALSE,
  built_year      INTEGER,
  UNIQUE (municipality_id, name),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (site_id, municipality_id) REFERENCES sites(id, municipality_id)
);

CREATE TABLE units (
  id                {{ID}},
  municipality_id   BIGINT NOT NULL REFERENCES municipalities(id),
  building_id       BIGINT,
  code              TEXT NOT NULL,
  address           TEXT NOT NULL,
  postal_code       TEXT NOT NULL DEFAULT '',
  district          TEXT NOT NULL DEFAULT '',
  category          TEXT NOT NULL,
  control           TEXT NOT NULL,
  intended_use      TEXT NOT NULL DEFAULT '',
  co_located        BOOLEAN NOT NULL DEFAULT FALSE,
  staff_base        BOOLEAN NOT NULL DEFAULT FALSE,
  staffing          TEXT NOT NULL DEFAULT 'ingen',
  lifetime_standard BOOLEAN NOT NULL DEFAULT FALSE,
  robust            BOOLEAN NOT NULL DEFAULT FALSE,
  floor             INTEGER NOT NULL DEFAULT 1,
  lift              BOOLEAN NOT NULL DEFAULT FALSE,
  wheelchair        BOOLEAN NOT NULL DEFAULT FALSE,
  rooms             INTEGER NOT NULL,
  area_m2           {{FLOAT}} NOT NULL,
  rent_monthly      INTEGER NOT NULL,
  rent_includes     TEXT NOT NULL DEFAULT '',
  near_transport    BOOLEAN NOT NULL DEFAULT FALSE,
  near_shops        BOOLEAN NOT NULL DEFAULT FALSE,
  near_services     BOOLEAN NOT NULL DEFAULT FALSE,
  drug_scene_nearby BOOLEAN NOT NULL DEFAULT FALSE,
  own_entrance      BOOLEAN NOT NULL DEFAULT FALSE,
  pets_allowed      BOOLEAN NOT NULL DEFAULT FALSE,
  smoking_allowed   BOOLEAN NOT NULL DEFAULT FALSE,
  condition         TEXT NOT NULL DEFAULT 'god',
  last_maintained   {{DATE}},
  status            TEXT NOT NULL DEFAULT 'ledig',
  created_at        {{TIMESTAMP}} NOT NULL,
  updated_at        {{TIMESTAMP}} NOT NULL,
  CHECK (rooms > 0 AND area_m2 > 0 AND rent_monthly >= 0),
  UNIQUE (municipality_id, code),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (building_id, municipality_id) REFERENCES buildings(id, municipality_id)
);
CREATE INDEX units_filter ON units (municipality_id, category, status);

CREATE TABLE leases (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  unit_id         BIGINT NOT NULL,
  start_date      {{DATE}} NOT NULL,
  end_date        {{DATE}},
  rent_monthly    INTEGER NOT NULL,
  deposit         INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL DEFAULT 'aktiv',
  created_at      {{TIMESTAMP}} NOT NULL,
  -- husleieloven § 3-5: a deposit of at most six months' rent; municipal
  -- practice (and Husly's rule) is at most three.
  CHECK (deposit >= 0 AND deposit <= 3 * rent_monthly),
  CHECK (end_date IS NULL OR end_date > start_date),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (unit_id, municipality_id) REFERENCES units(id, municipality_id)
);
CREATE INDEX leases_unit ON leases (unit_id, status);

CREATE TABLE lease_tenants (
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  PRIMARY KEY (lease_id, person_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id) ON DELETE CASCADE,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX lease_tenants_person ON lease_tenants (person_id);
