-- Issue 16: certificate rollover. The active certificate (gateway_certificate) gains its SHA-256 thumbprint, which
-- running relays compare to the one they present; a row written before this migration has none until it is written
-- again. A successor staged beside it ("next") and the certificate a switch replaced ("previous") are kept sealed
-- the same way in gateway_certificate_slots. tenant_certificate_pins records, per tenant, the successor thumbprint
-- its last accepted connection was told. On the tenant side, a provider keeps a second pin the gateways announced.

ALTER TABLE gateway_certificate ADD COLUMN thumbprint TEXT;

CREATE TABLE gateway_certificate_slots (
    slot       TEXT    NOT NULL PRIMARY KEY CHECK (slot IN ('next', 'previous')),
    pkcs12     BLOB    NOT NULL,
    thumbprint TEXT    NOT NULL,
    modified   INTEGER NOT NULL
);

CREATE TABLE tenant_certificate_pins (
    tenant_id  TEXT    NOT NULL PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    thumbprint TEXT    NOT NULL,
    learned    INTEGER NOT NULL
);

ALTER TABLE tenant_providers ADD COLUMN next_certificate_thumbprint TEXT NULL;
ALTER TABLE tenant_providers ADD COLUMN next_certificate_learned TEXT NULL;
