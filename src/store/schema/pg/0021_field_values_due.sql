-- The list's deadline order kept in the index of custom field values (docs/types.md, "Filters
-- and their index"): a list filtered on a field reads its page from wo_field_values_due in the
-- list's order and stops after it, instead of probing a value for every work order the view's
-- own index walks. due_key is the work order's (core/workorder.c, gd_workorder_due_key): the
-- store writes it with each value, and the trigger follows every change of it.
ALTER TABLE wo_field_values ADD COLUMN due_key BIGINT NOT NULL DEFAULT 9223372036854775807;
UPDATE wo_field_values v SET due_key = w.due_key FROM workorders w WHERE w.id = v.workorder_id;
ALTER TABLE wo_field_values ALTER COLUMN due_key DROP DEFAULT;
CREATE INDEX wo_field_values_due ON wo_field_values(shop_id, field_id, value, due_key,
                                                    workorder_id);
CREATE FUNCTION wo_field_values_follow_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wo_field_values SET due_key = NEW.due_key WHERE workorder_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER wo_field_values_follow_due AFTER UPDATE OF due_key ON workorders FOR EACH ROW
    WHEN (NEW.due_key <> OLD.due_key) EXECUTE FUNCTION wo_field_values_follow_due();
