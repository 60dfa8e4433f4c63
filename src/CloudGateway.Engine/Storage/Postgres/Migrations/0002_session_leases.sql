-- Sessions shared across gateway servers: each server renews its row in relay_servers and the leases of its
-- sessions; rows whose lease has run out belong to a server that died and no longer count.

CREATE TABLE relay_servers (
    server_id  text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

CREATE TABLE session_leases (
    session_id uuid        PRIMARY KEY,
    server_id  text        NOT NULL,
    tenant     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX session_leases_tenant ON session_leases (lower(tenant), expires_at);
CREATE INDEX session_leases_server ON session_leases (server_id);
