-- The core configuration: gateways, pools, tenants, their resources, and the gateways' certificate.
-- Names are unique through name_key, the invariant upper-case form of the name, so comparisons ignore case.
-- Times are UTC ticks; ids are GUIDs in their 36-character text form.

CREATE TABLE change_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE gateway (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    server TEXT NOT NULL,
    network_mode TEXT NOT NULL CHECK (network_mode IN ('Direct', 'Nat')),
    address TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    listen_address TEXT,
    internal_port INTEGER NOT NULL CHECK (internal_port BETWEEN 1 AND 65535),
    enabled INTEGER NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
);

CREATE TABLE gateway_pool (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
);

CREATE TABLE pool_member (
    pool_id TEXT NOT NULL REFERENCES gateway_pool (id) ON DELETE CASCADE,
    gateway_id TEXT NOT NULL UNIQUE REFERENCES gateway (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (pool_id, gateway_id)
);

CREATE TABLE tenant (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    lease_expiration INTEGER,
    password_hash TEXT NOT NULL,
    gateway_selection TEXT NOT NULL CHECK (gateway_selection IN ('Standalone', 'Pools')),
    gateway_failover INTEGER NOT NULL,
    max_concurrent_sessions INTEGER NOT NULL CHECK (max_concurrent_sessions >= 0),
    upload_bandwidth INTEGER NOT NULL CHECK (upload_bandwidth >= 0),
    download_bandwidth INTEGER NOT NULL CHECK (download_bandwidth >= 0),
    failed_logon_count INTEGER NOT NULL,
    last_failed_logon INTEGER,
    locked_until INTEGER,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
);

CREATE TABLE tenant_pool (
    tenant_id TEXT NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    pool_id TEXT NOT NULL REFERENCES gateway_pool (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, pool_id)
);
CREATE INDEX tenant_pool_by_pool ON tenant_pool (pool_id);

CREATE TABLE tenant_resource (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    target_host TEXT NOT NULL,
    target_port INTEGER NOT NULL CHECK (target_port BETWEEN 1 AND 65535),
    description TEXT NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    UNIQUE (tenant_id, name_key)
);

CREATE TABLE gateway_certificate (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pkcs12 BLOB NOT NULL,
    modified INTEGER NOT NULL
);
