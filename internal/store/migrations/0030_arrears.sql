-- Rent and other arrears (husleierestanse) from the municipality's economy
-- system, and the conversation with the tenant that comes before any
-- collection (DOMAIN.md §2 step 9: "the first missed due date should
-- trigger a conversation, not debt collection"; seeds 002 and 004).
-- Amounts are whole øre. Every table reveals the tenant's finances.

-- The municipality's practice: how many days after the first missed due
-- date the conversation should be held. Without a row the built-in
-- default (arrears.DefaultPractice, with its source) applies.
CREATE TABLE arrears_practice (
  municipality_id   BIGINT PRIMARY KEY REFERENCES municipalities(id),
  conversation_days INTEGER NOT NULL,
  source            TEXT NOT NULL,
  updated_by        TEXT NOT NULL,
  updated_at        {{TIMESTAMP}} NOT NULL,
  CHECK (conversation_days >= 1 AND conversation_days <= 60)
);

-- One batch from the economy system (a file or a post to the API), kept
-- with its result so the same batch sent again changes nothing and gets
-- the first answer. batch_ref is the sender's batch id, or the file's
-- SHA-256 when it has none; content_hash tells a resend from a different
-- batch that reuses an id.
CREATE TABLE arrears_batches (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  batch_ref       TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  source          TEXT NOT NULL,
  lines           INTEGER NOT NULL,
  created_dues    INTEGER NOT NULL,
  updated_dues    INTEGER NOT NULL,
  conversations   INTEGER NOT NULL,
  received_by     TEXT NOT NULL,
  received_at     {{TIMESTAMP}} NOT NULL,
  CHECK (source IN ('fil', 'api')),
  UNIQUE (municipality_id, batch_ref),
  UNIQUE (id, municipality_id)
);

-- A due (forfall) the economy system reports unpaid, or one registered by
-- hand: the lease, the tenant it is billed to, its kind, due date, the
-- amount and what is still outstanding. due_ref is the economy system's
-- reference; a later batch with the same reference carries the new
-- outstanding balance (0: paid). Hand-registered dues have none.
CREATE TABLE arrears_dues (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  due_ref         TEXT,
  kind            TEXT NOT NULL,
  due_on          {{DATE}} NOT NULL,
  amount          BIGINT NOT NULL,
  outstanding     BIGINT NOT NULL,
  batch_id        BIGINT,
  paid_on         {{DATE}},
  registered_by   TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('husleie', 'strom', 'annet')),
  CHECK (amount > 0 AND outstanding >= 0 AND outstanding <= amount),
  UNIQUE (municipality_id, due_ref),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (batch_id, municipality_id) REFERENCES arrears_batches(id, municipality_id)
);
CREATE INDEX arrears_dues_lease ON arrears_dues (lease_id, due_on);
CREATE INDEX arrears_dues_person ON arrears_dues (person_id);
CREATE INDEX arrears_dues_open ON arrears_dues (municipality_id, outstanding, lease_id);

-- A change of a due's outstanding balance brought by a later batch: the
-- history of what was paid and when Husly learnt it.
CREATE TABLE arrears_changes (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  due_id          BIGINT NOT NULL,
  batch_id        BIGINT NOT NULL,
  before_ore      BIGINT NOT NULL,
  after_ore       BIGINT NOT NULL,
  FOREIGN KEY (due_id, municipality_id) REFERENCES arrears_dues(id, municipality_id),
  FOREIGN KEY (batch_id, municipality_id) REFERENCES arrears_batches(id, municipality_id)
);
CREATE INDEX arrears_changes_batch ON arrears_changes (batch_id);
CREATE INDEX arrears_changes_due ON arrears_changes (due_id);

-- The conversation with the tenant before collection: made when a lease's
-- first due is missed, for the resident's primary contact in follow-up or,
-- without one, the housing office on the lease's case. One is open per
-- lease until its arrears are settled. The outcome, whether NAV was told
-- and on what basis, and whether collection (inkasso) was started — only
-- after the conversation, or with a stated reason.
CREATE TABLE arrears_conversations (
  id                {{ID}},
  municipality_id   BIGINT NOT NULL,
  lease_id          BIGINT NOT NULL,
  person_id         BIGINT NOT NULL,
  first_due_on      {{DATE}} NOT NULL,
  due_on            {{DATE}} NOT NULL,
  assigned_as       TEXT NOT NULL,
  assignee_id       BIGINT,
  assignee_name     TEXT NOT NULL DEFAULT '',
  org_unit_id       BIGINT,
  status            TEXT NOT NULL DEFAULT 'apen',
  outcome           TEXT NOT NULL DEFAULT '',
  note              TEXT NOT NULL DEFAULT '',
  held_on           {{DATE}},
  recorded_by       TEXT NOT NULL DEFAULT '',
  recorded_by_id    BIGINT,
  nav_notified      BOOLEAN NOT NULL DEFAULT FALSE,
  nav_basis         TEXT NOT NULL DEFAULT '',
  nav_consent_id    BIGINT,
  nav_legal_basis   TEXT NOT NULL DEFAULT '',
  collection_on     {{DATE}},
  collection_reason TEXT NOT NULL DEFAULT '',
  collection_by     TEXT NOT NULL DEFAULT '',
  settled_on        {{DATE}},
  created_at        {{TIMESTAMP}} NOT NULL,
  CHECK (assigned_as IN ('primaerkontakt', 'boligkontor')),
  CHECK (status IN ('apen', 'gjennomfort')),
  CHECK (status <> 'gjennomfort' OR (outcome <> '' AND held_on IS NOT NULL)),
  CHECK (outcome IN ('', 'betalingsplan', 'trekk_i_ytelse', 'soknad_nav', 'bostotte', 'annet')),
  CHECK (nav_basis IN ('', 'samtykke', 'hjemmel')),
  CHECK (NOT nav_notified OR nav_basis <> ''),
  CHECK (collection_on IS NULL OR status = 'gjennomfort' OR collection_reason <> ''),
  CHECK (due_on >= first_due_on),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (assignee_id, municipality_id) REFERENCES users(id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id),
  FOREIGN KEY (recorded_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
-- One conversation per lease until its arrears are settled.
CREATE UNIQUE INDEX arrears_conversations_running ON arrears_conversations (lease_id) WHERE settled_on IS NULL;
CREATE INDEX arrears_conversations_assignee ON arrears_conversations (assignee_id, status);
CREATE INDEX arrears_conversations_unit ON arrears_conversations (org_unit_id, status);
CREATE INDEX arrears_conversations_person ON arrears_conversations (person_id);
CREATE INDEX arrears_conversations_municipality ON arrears_conversations (municipality_id, status, due_on);
