-- The model registry. A model version is written once and never changed: there is no UPDATE or
-- DELETE of model_versions anywhere in the store. `card` is the JSON the registry lists (metrics,
-- feature schema, training window, data hash); `artifact` the fitted model, LZ4-compressed JSON
-- behind the same one-byte tag as record bodies.
CREATE TABLE model_versions (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    card TEXT NOT NULL,
    artifact BLOB NOT NULL,
    PRIMARY KEY (tenant, name, version)
);

-- Every alias change, appended in order (`seq` per tenant, name and alias). An alias points at the
-- version of its newest change; the older rows are its history, which is what a rollback reads.
CREATE TABLE model_alias_changes (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version INTEGER NOT NULL,
    previous_version INTEGER,
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tenant, name, alias, seq)
);
