-- Call facts clustered by (tenant, campaign, started_at, id) instead of (tenant, id): a campaign
-- report reads one campaign's period, which is now one sequential range of the table instead of
-- an index range plus a random lookup per call (a million lookups took 2 of the report's 4 s).
-- Upserts still match on (tenant, id), through the unique index.
CREATE TABLE call_facts_by_time (
    tenant TEXT NOT NULL,
    campaign TEXT NOT NULL,
    started_at TEXT NOT NULL,
    id TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    facts BLOB NOT NULL,
    PRIMARY KEY (tenant, campaign, started_at, id)
) WITHOUT ROWID;
INSERT INTO call_facts_by_time (tenant, campaign, started_at, id, schema_version, facts)
    SELECT tenant, campaign, started_at, id, schema_version, facts FROM call_facts;
DROP TABLE call_facts;
ALTER TABLE call_facts_by_time RENAME TO call_facts;
CREATE UNIQUE INDEX call_facts_by_id ON call_facts (tenant, id);
