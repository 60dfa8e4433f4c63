-- CloudGateway configuration on PostgreSQL: gateways, pools, tenants, resources, the gateways' certificate and
-- the change counter. Tables live in the connection's current schema (the first of its Search Path).
-- As in the SQLite store, names are unique through name_key, the invariant upper-case form of the name computed by
-- CloudGateway (compared byte-wise with COLLATE "C"), so comparisons and ordering ignore case the same way.

CREATE TABLE change_counter (
    id    integer PRIMARY KEY CHECK (id = 1),
    value bigint  NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

-- Every bump of the counter is announced, at commit, to the gateways listening on channel cloudgateway_changes.
-- The payload is "<schema>:<counter>" so that several configurations in one database do not wake each other.
CREATE FUNCTION cloudgateway_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cloudgateway_changes', TG_TABLE_SCHEMA || ':' || NEW.value);
    RETURN NEW;
END;
$$;
CREATE TRIGGER change_counter_announce AFTER UPDATE ON change_counter
    FOR EACH ROW EXECUTE FUNCTION cloudgateway_announce_change();

CREATE TABLE pools (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    name_key    text        COLLATE "C" NOT NULL UNIQUE,
    description text        NOT NULL,
    created     timestamptz NOT NULL,
    modified    timestamptz NOT NULL
);

CREATE TABLE gateways (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    name_key       text        COLLATE "C" NOT NULL UNIQUE,
    description    text        NOT NULL,
    server         text        NOT NULL,
    network_mode   text        NOT NULL CHECK (network_mode IN ('Direct', 'Nat')),
    address        text        NOT NULL,
    port           integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    listen_address text,
    internal_port  integer     NOT NULL CHECK (internal_port BETWEEN 1 AND 65535),
    enabled        boolean     NOT NULL,
    pool_id        uuid        REFERENCES pools (id) ON DELETE SET NULL,
    pool_position  integer,
    created        timestamptz NOT NULL,
    modified       timestamptz NOT NULL
);
CREATE INDEX gateways_pool ON gateways (pool_id, pool_position);

CREATE TABLE tenants (
    id                      uuid        PRIMARY KEY,
    name                    text        NOT NULL,
    name_key                text        COLLATE "C" NOT NULL UNIQUE,
    description             text        NOT NULL,
    enabled                 boolean     NOT NULL,
    lease_expiration        timestamptz,
    password_hash           text        NOT NULL,
    gateway_selection       text        NOT NULL CHECK (gateway_selection IN ('Standalone', 'Pools')),
    gateway_failover        boolean     NOT NULL,
    max_concurrent_sessions integer     NOT NULL CHECK (max_concurrent_sessions >= 0),
    upload_bandwidth        bigint      NOT NULL CHECK (upload_bandwidth >= 0),
    download_bandwidth      bigint      NOT NULL CHECK (download_bandwidth >= 0),
    failed_logon_count      integer     NOT NULL,
    last_failed_logon       timestamptz,
    locked_until            timestamptz,
    created                 timestamptz NOT NULL,
    modified                timestamptz NOT NULL
);

CREATE TABLE tenant_pools (
    tenant_id uuid    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    pool_id   uuid    NOT NULL REFERENCES pools (id),
    position  integer NOT NULL,
    PRIMARY KEY (tenant_id, pool_id)
);
CREATE INDEX tenant_pools_pool ON tenant_pools (pool_id);

CREATE TABLE resources (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    name_key    text        COLLATE "C" NOT NULL,
    target_host text        NOT NULL,
    target_port integer     NOT NULL CHECK (target_port BETWEEN 1 AND 65535),
    description text        NOT NULL,
    created     timestamptz NOT NULL,
    modified    timestamptz NOT NULL
);
CREATE UNIQUE INDEX resources_name ON resources (tenant_id, name_key);

CREATE TABLE gateway_certificate (
    id       integer     PRIMARY KEY CHECK (id = 1),
    pkcs12   bytea       NOT NULL,
    modified timestamptz NOT NULL
);
