-- Issue 14: the table names and pool membership of the PostgreSQL schema, so both backends hold the configuration in
-- the same shape. Renaming keeps the rows and rewrites the foreign keys that point at a renamed table; a gateway's
-- pool moves from the pool_member table to its own pool_id and pool_position columns.

ALTER TABLE gateway RENAME TO gateways;
ALTER TABLE gateway_pool RENAME TO pools;
ALTER TABLE tenant RENAME TO tenants;
ALTER TABLE tenant_resource RENAME TO resources;
ALTER TABLE tenant_pool RENAME TO tenant_pools;
ALTER TABLE hardware_plan RENAME TO hardware_plans;
ALTER TABLE hardware_plan_network RENAME TO hardware_plan_networks;
ALTER TABLE tenant_network_extension RENAME TO tenant_network_extensions;
ALTER TABLE default_gateway RENAME TO default_gateways;

ALTER TABLE gateways ADD COLUMN pool_id TEXT REFERENCES pools (id) ON DELETE SET NULL;
ALTER TABLE gateways ADD COLUMN pool_position INTEGER;
UPDATE gateways SET
    pool_id = (SELECT m.pool_id FROM pool_member m WHERE m.gateway_id = gateways.id),
    pool_position = (SELECT m.position FROM pool_member m WHERE m.gateway_id = gateways.id);
DROP TABLE pool_member;
CREATE INDEX gateways_pool ON gateways (pool_id, pool_position);
