-- Call facts: each call without its transcript (hindsight_model::CallFacts, LZ4-compressed JSON
-- behind the same one-byte tag as bodies), so campaign reports over millions of calls read
-- ~300 bytes per call instead of the whole record. Written in the same transaction as the call.
CREATE TABLE call_facts (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    campaign TEXT NOT NULL,
    started_at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    facts BLOB NOT NULL,
    PRIMARY KEY (tenant, id)
) WITHOUT ROWID; -- small rows: one B-tree keyed by (tenant, id) instead of a table plus an index
CREATE INDEX call_facts_by_campaign_time ON call_facts (tenant, campaign, started_at);
