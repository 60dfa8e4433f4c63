-- Sessions counted across gateway servers. Each server inserts a row per admitted session and renews the rows of
-- its sessions every few seconds; rows whose lease has run out belong to a server that died and no longer count.
-- Times come from the database's clock, so the servers' clocks do not need to agree. tenant_key is the tenant's
-- name_key.

CREATE TABLE session_leases (
    session_id uuid        PRIMARY KEY,
    server_id  text        NOT NULL,
    tenant_key text        COLLATE "C" NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX session_leases_tenant ON session_leases (tenant_key, expires_at);
CREATE INDEX session_leases_server ON session_leases (server_id);
