-- Conversion patterns (conversion-intelligence.md §3.1): the current pattern per tenant and type,
-- replaced by each run, and a history row per computation that is never changed. `body` is the
-- pattern's JSON as the learner wrote it; `version` its layout version; the columns beside it are
-- what listings and health checks read without parsing it.
CREATE TABLE conversion_patterns (
    tenant TEXT NOT NULL,
    pattern_type TEXT NOT NULL,
    version TEXT NOT NULL,
    sample_size INTEGER NOT NULL,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    computed_at TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, pattern_type)
);

CREATE TABLE conversion_pattern_history (
    tenant TEXT NOT NULL,
    pattern_type TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version TEXT NOT NULL,
    sample_size INTEGER NOT NULL,
    confidence REAL NOT NULL,
    computed_at TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant, pattern_type, seq)
);
