-- Records: one table per record type. The full record is kept in `body` as LZ4-compressed JSON
-- behind a one-byte format tag (see hindsight-store/src/encode.rs; the record contract is the
-- schema); the columns beside it are what queries filter and sort on. Every table
-- is keyed by (tenant, id): the same id in two tenants is two records.
CREATE TABLE calls (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    campaign TEXT NOT NULL,
    started_at TEXT NOT NULL, -- RFC 3339, UTC, fixed width: sorts as text
    schema_version INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (tenant, id)
);
CREATE INDEX calls_by_campaign_time ON calls (tenant, campaign, started_at);

CREATE TABLE leads (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (tenant, id)
);

CREATE TABLE activities (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (tenant, id)
);
CREATE INDEX activities_by_lead ON activities (tenant, lead_id, at);

-- Outcome events are kept on their own and merged into calls and leads when those are read, so an
-- event that arrives before its call is neither lost nor dependent on arrival order.
CREATE TABLE outcome_events (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    call_id TEXT,
    lead_id TEXT,
    at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (tenant, id)
);
CREATE INDEX outcome_events_by_call ON outcome_events (tenant, call_id);
CREATE INDEX outcome_events_by_lead ON outcome_events (tenant, lead_id);

CREATE TABLE campaigns (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (tenant, id)
);
