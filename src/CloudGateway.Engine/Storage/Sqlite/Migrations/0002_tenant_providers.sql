-- Tenant side (issue 4): the providers this machine connects to as a tenant, and each provider's gateway list
-- in the order the provider gave it, with what this machine has seen of each gateway's health.
-- The password is kept encrypted (AES-GCM, key in a separate 0600 file); times are ISO 8601 UTC text.
CREATE TABLE IF NOT EXISTS tenant_providers (
    id                     TEXT    NOT NULL PRIMARY KEY,
    name                   TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    address                TEXT    NOT NULL,
    port                   INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    tenant_name            TEXT    NOT NULL,
    protected_password     BLOB    NOT NULL,
    certificate_thumbprint TEXT    NULL,
    last_refresh           TEXT    NULL,
    created                TEXT    NOT NULL,
    modified               TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS tenant_provider_gateways (
    provider_id          TEXT    NOT NULL REFERENCES tenant_providers (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    name                 TEXT    NOT NULL,
    address              TEXT    NOT NULL,
    port                 INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    fallback             INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_failure         TEXT    NULL,
    last_error           TEXT    NULL,
    last_success         TEXT    NULL,
    cool_down_until      TEXT    NULL,
    PRIMARY KEY (provider_id, position)
);
