-- Issue 18: a relay reloads only what changed. Every tenant and resource row carries the change counter of the write
-- that last touched it (a write bumps the counter first, so this is the value it commits as), and removed rows leave
-- their id in removed_rows. Triggers keep both, so every write path and every cascade does it. A tenant's pools, its
-- pools' names and its own name are part of what a relay reads of it and its resources, so changing them stamps the
-- rows that show them. The same shape as the SQLite store's migration 0006.

ALTER TABLE tenants ADD COLUMN changed bigint NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN changed bigint NOT NULL DEFAULT 0;
CREATE INDEX tenants_changed ON tenants (changed);
CREATE INDEX resources_changed ON resources (changed);

CREATE TABLE removed_rows (
    changed bigint NOT NULL,
    kind    text   NOT NULL,
    id      uuid   NOT NULL
);
CREATE INDEX removed_rows_changed ON removed_rows (changed);

CREATE FUNCTION cloudgateway_current_change() RETURNS bigint LANGUAGE sql STABLE AS
    'SELECT value FROM change_counter WHERE id = 1';

CREATE FUNCTION cloudgateway_stamp_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := cloudgateway_current_change();
    RETURN NEW;
END $$;

CREATE TRIGGER tenants_stamp BEFORE INSERT OR UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION cloudgateway_stamp_row();
CREATE TRIGGER resources_stamp BEFORE INSERT OR UPDATE ON resources FOR EACH ROW EXECUTE FUNCTION cloudgateway_stamp_row();

CREATE FUNCTION cloudgateway_tenant_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE resources SET changed = cloudgateway_current_change() WHERE tenant_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER tenants_rename_stamps_resources AFTER UPDATE OF name ON tenants
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION cloudgateway_tenant_renamed();

CREATE FUNCTION cloudgateway_row_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO removed_rows (changed, kind, id) VALUES (cloudgateway_current_change(), TG_ARGV[0], OLD.id);
    DELETE FROM removed_rows WHERE changed < cloudgateway_current_change() - 1000000;
    RETURN NULL;
END $$;

CREATE TRIGGER tenants_removed AFTER DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION cloudgateway_row_removed('tenant');
CREATE TRIGGER resources_removed AFTER DELETE ON resources FOR EACH ROW EXECUTE FUNCTION cloudgateway_row_removed('resource');

CREATE FUNCTION cloudgateway_tenant_pools_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants SET changed = cloudgateway_current_change()
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
    RETURN NULL;
END $$;

CREATE TRIGGER tenant_pools_stamp_tenant AFTER INSERT OR DELETE ON tenant_pools
    FOR EACH ROW EXECUTE FUNCTION cloudgateway_tenant_pools_changed();

CREATE FUNCTION cloudgateway_pool_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants SET changed = cloudgateway_current_change()
    WHERE id IN (SELECT tenant_id FROM tenant_pools WHERE pool_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER pools_rename_stamps_tenants AFTER UPDATE OF name ON pools
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION cloudgateway_pool_renamed();
