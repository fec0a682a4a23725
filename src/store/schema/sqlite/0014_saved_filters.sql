-- Saved filters (docs/savedfilters.md): a list filter kept as a named view with its own count.
-- owner_user_id NULL = shared with the shop (managed by its owner and leads), else one person's
-- own. view is the list (todo, shop, ...), query the list's filter as URL query text
-- (state=open&type=shipping), checked by the list's own parser when saved and when counted.
-- The index serves a user's list (shared and own) and the counts the limits take.
CREATE TABLE saved_filters (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    owner_user_id INTEGER REFERENCES users(id),
    name TEXT NOT NULL,
    view TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX saved_filters_owner ON saved_filters(shop_id, owner_user_id);
