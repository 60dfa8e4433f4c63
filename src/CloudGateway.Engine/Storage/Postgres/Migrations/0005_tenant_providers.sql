-- Tenant side (issue 14) on PostgreSQL, the same tables as SQLite's migrations 0002 and 0005: the providers this
-- machine connects to as a tenant, and each provider's gateway list in the order the provider gave it, with what was
-- seen of each gateway's health. The password is kept encrypted (AES-GCM, under the key file CLOUDGATEWAY_KEY_FILE
-- names). Names are unique without regard to ASCII case, as SQLite's NOCASE: lower() under COLLATE "C" folds A-Z only.

CREATE TABLE tenant_providers (
    id                          uuid        PRIMARY KEY,
    name                        text        NOT NULL,
    address                     text        NOT NULL,
    port                        integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    tenant_name                 text        NOT NULL,
    protected_password          bytea       NOT NULL,
    certificate_thumbprint      text,
    last_refresh                timestamptz,
    created                     timestamptz NOT NULL,
    modified                    timestamptz NOT NULL,
    next_certificate_thumbprint text,
    next_certificate_learned    timestamptz
);
CREATE UNIQUE INDEX tenant_providers_name ON tenant_providers (lower(name COLLATE "C"));

CREATE TABLE tenant_provider_gateways (
    provider_id          uuid        NOT NULL REFERENCES tenant_providers (id) ON DELETE CASCADE,
    position             integer     NOT NULL,
    name                 text        NOT NULL,
    address              text        NOT NULL,
    port                 integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    fallback             boolean     NOT NULL,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    last_failure         timestamptz,
    last_error           text,
    last_success         timestamptz,
    cool_down_until      timestamptz,
    PRIMARY KEY (provider_id, position)
);
