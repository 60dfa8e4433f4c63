-- Issue 18: a relay reloads only what changed. Every tenant and resource row carries the change counter of the write
-- that last touched it (the counter is bumped first in a write, so this is the value the write commits as), and
-- removed rows leave their id in removed_rows. Triggers keep both, so every write path and every cascade does it.
-- A tenant's pools, its pools' names and its own name are part of what a relay reads of it and its resources, so
-- changing them stamps the rows that show them.

ALTER TABLE tenants ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tenants_changed ON tenants (changed);
CREATE INDEX resources_changed ON resources (changed);

CREATE TABLE removed_rows (
    changed INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    id      TEXT    NOT NULL
);
CREATE INDEX removed_rows_changed ON removed_rows (changed);

CREATE TRIGGER tenants_stamp_insert AFTER INSERT ON tenants
BEGIN
    UPDATE tenants SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER tenants_stamp_update AFTER UPDATE ON tenants
WHEN NEW.changed IS NOT (SELECT value FROM change_counter WHERE id = 1)
BEGIN
    UPDATE tenants SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER tenants_rename_stamps_resources AFTER UPDATE OF name ON tenants
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE resources SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE tenant_id = NEW.id;
END;

CREATE TRIGGER tenants_removed AFTER DELETE ON tenants
BEGIN
    INSERT INTO removed_rows (changed, kind, id) VALUES ((SELECT value FROM change_counter WHERE id = 1), 'tenant', OLD.id);
END;

CREATE TRIGGER resources_stamp_insert AFTER INSERT ON resources
BEGIN
    UPDATE resources SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER resources_stamp_update AFTER UPDATE ON resources
WHEN NEW.changed IS NOT (SELECT value FROM change_counter WHERE id = 1)
BEGIN
    UPDATE resources SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
END;

CREATE TRIGGER resources_removed AFTER DELETE ON resources
BEGIN
    INSERT INTO removed_rows (changed, kind, id) VALUES ((SELECT value FROM change_counter WHERE id = 1), 'resource', OLD.id);
END;

CREATE TRIGGER tenant_pools_insert_stamps_tenant AFTER INSERT ON tenant_pools
BEGIN
    UPDATE tenants SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER tenant_pools_delete_stamps_tenant AFTER DELETE ON tenant_pools
BEGIN
    UPDATE tenants SET changed = (SELECT value FROM change_counter WHERE id = 1) WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER pools_rename_stamps_tenants AFTER UPDATE OF name ON pools
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE tenants SET changed = (SELECT value FROM change_counter WHERE id = 1)
    WHERE id IN (SELECT tenant_id FROM tenant_pools WHERE pool_id = NEW.id);
END;

-- Removals older than a million changes are dropped; a relay that far behind reads the whole configuration instead.
CREATE TRIGGER removed_rows_window AFTER INSERT ON removed_rows
BEGIN
    DELETE FROM removed_rows WHERE changed < NEW.changed - 1000000;
END;
