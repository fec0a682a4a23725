-- Work order types and custom fields a shop defines (docs/types.md). A shop type is numbered
-- from 1000 within its shop; its work orders carry the key 'x-<code>' in workorders.type, so
-- every list, filter and rollup keyed by type holds them as it holds the built-in ones.
CREATE TABLE wo_types (
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    code INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    deadline_ms INTEGER NOT NULL, -- default deadline after creation; 0 = none
    handler_id INTEGER REFERENCES users(id), -- default handler; NULL = none
    color TEXT NOT NULL, -- the icon colour, #rrggbb
    retired INTEGER NOT NULL DEFAULT 0, -- 1: hidden from new work orders, its data stays
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, code)
) STRICT;
-- A custom field of a shop type; its key is unique in the shop, so a filter field.<key> names
-- one field.
CREATE TABLE wo_fields (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    type_code INTEGER NOT NULL,
    key TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    kind TEXT NOT NULL, -- core/fields.c
    required INTEGER NOT NULL,
    options TEXT NOT NULL DEFAULT '[]', -- JSON array of strings (choice, multi_choice)
    position INTEGER NOT NULL, -- order of display within the type
    retired INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (shop_id, key),
    FOREIGN KEY (shop_id, type_code) REFERENCES wo_types(shop_id, code)
) STRICT;
CREATE INDEX wo_fields_type ON wo_fields(shop_id, type_code, position);
-- What a list filters on: one row per value of a filterable field (one per option of a
-- multiple choice), keyed so that field.<key>=<value> is a range of this key.
CREATE TABLE wo_field_values (
    shop_id INTEGER NOT NULL,
    field_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    workorder_id INTEGER NOT NULL,
    PRIMARY KEY (shop_id, field_id, value, workorder_id)
) WITHOUT ROWID, STRICT;
CREATE INDEX wo_field_values_wo ON wo_field_values(workorder_id);
-- The values of a work order's fields as its answers show them (JSON object by field key).
ALTER TABLE workorders ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
