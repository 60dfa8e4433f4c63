-- Certificate rollover (issue 16) on PostgreSQL, as SQLite's migration 0005: the active certificate's SHA-256
-- thumbprint (null for a row written before this migration, until it is written again), the staged successor and
-- the previous certificate sealed like the active one, and per tenant the successor thumbprint its last accepted
-- connection was told.

ALTER TABLE gateway_certificate ADD COLUMN thumbprint text;

CREATE TABLE gateway_certificate_slots (
    slot       text        PRIMARY KEY CHECK (slot IN ('next', 'previous')),
    pkcs12     bytea       NOT NULL,
    thumbprint text        NOT NULL,
    modified   timestamptz NOT NULL
);

CREATE TABLE tenant_certificate_pins (
    tenant_id  uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    thumbprint text        NOT NULL,
    learned    timestamptz NOT NULL
);
