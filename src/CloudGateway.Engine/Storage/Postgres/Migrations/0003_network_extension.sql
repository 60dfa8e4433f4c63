-- Network extension (issue 5) on PostgreSQL, the same tables as SQLite's migration 0003: hardware plans and their
-- networks, each tenant's plan and routing option, and the default gateway of each of a tenant's networks. Names are
-- unique through name_key (invariant upper case, COLLATE "C"); addresses are text in .NET's canonical form, validated
-- by the engine before they are written.

CREATE TABLE hardware_plans (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    name_key    text        COLLATE "C" NOT NULL UNIQUE,
    description text        NOT NULL,
    created     timestamptz NOT NULL,
    modified    timestamptz NOT NULL
);

CREATE TABLE hardware_plan_networks (
    plan_id         uuid    NOT NULL REFERENCES hardware_plans (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    name            text    NOT NULL,
    name_key        text    COLLATE "C" NOT NULL,
    internet_access boolean NOT NULL,
    vlan_id         integer NOT NULL CHECK (vlan_id BETWEEN 1 AND 4094),
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, name_key),
    UNIQUE (plan_id, vlan_id)
);

-- One row per tenant that was ever configured; a tenant without a row has no plan and routing off.
CREATE TABLE tenant_network_extensions (
    tenant_id              uuid    PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    plan_id                uuid    REFERENCES hardware_plans (id),
    route_between_networks boolean NOT NULL
);
CREATE INDEX tenant_network_extensions_plan ON tenant_network_extensions (plan_id);

CREATE TABLE default_gateways (
    tenant_id          uuid    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    network            text    NOT NULL,
    network_key        text    COLLATE "C" NOT NULL,
    ipv4_address       text,
    ipv4_subnet_mask   text,
    ipv6_network       text,
    ipv6_prefix_length integer CHECK (ipv6_prefix_length BETWEEN 1 AND 128),
    ipv6_address       text,
    PRIMARY KEY (tenant_id, network_key),
    CHECK ((ipv4_address IS NULL) = (ipv4_subnet_mask IS NULL)),
    CHECK ((ipv6_network IS NULL) = (ipv6_address IS NULL) AND (ipv6_network IS NULL) = (ipv6_prefix_length IS NULL)),
    CHECK (ipv4_address IS NOT NULL OR ipv6_network IS NOT NULL)
);
