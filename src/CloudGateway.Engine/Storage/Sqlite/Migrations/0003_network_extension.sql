-- Network extension (issue 5): hardware plans and their networks, each tenant's plan and routing option, and
-- the default gateway of each of a tenant's networks. Names are unique through their invariant upper-case key,
-- so comparisons ignore case; ids are GUIDs in text form; times are UTC ticks. Addresses are stored as text in
-- .NET's canonical form and validated by the engine before they are written.

CREATE TABLE hardware_plan (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
);

CREATE TABLE hardware_plan_network (
    plan_id TEXT NOT NULL REFERENCES hardware_plan (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    internet_access INTEGER NOT NULL,
    vlan_id INTEGER NOT NULL CHECK (vlan_id BETWEEN 1 AND 4094),
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, name_key),
    UNIQUE (plan_id, vlan_id)
);

-- One row per tenant that was ever configured; a tenant without a row has no plan and routing off.
CREATE TABLE tenant_network_extension (
    tenant_id TEXT PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
    plan_id TEXT REFERENCES hardware_plan (id),
    route_between_networks INTEGER NOT NULL
);
CREATE INDEX tenant_network_extension_by_plan ON tenant_network_extension (plan_id);

CREATE TABLE default_gateway (
    tenant_id TEXT NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    network TEXT NOT NULL,
    network_key TEXT NOT NULL,
    ipv4_address TEXT,
    ipv4_subnet_mask TEXT,
    ipv6_network TEXT,
    ipv6_prefix_length INTEGER CHECK (ipv6_prefix_length BETWEEN 1 AND 128),
    ipv6_address TEXT,
    PRIMARY KEY (tenant_id, network_key),
    CHECK ((ipv4_address IS NULL) = (ipv4_subnet_mask IS NULL)),
    CHECK ((ipv6_network IS NULL) = (ipv6_address IS NULL) AND (ipv6_network IS NULL) = (ipv6_prefix_length IS NULL)),
    CHECK (ipv4_address IS NOT NULL OR ipv6_network IS NOT NULL)
);
