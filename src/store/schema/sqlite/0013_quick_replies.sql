-- Quick replies (快捷短语, docs/quickreplies.md): texts a shop's users insert into a note, a
-- transfer reason or a collaborative reply. owner_user_id NULL = shop-wide (managed by the
-- shop's owner and leads), else one person's own. The index serves a user's list (shop-wide and
-- own) and the counts the limits take.
CREATE TABLE quick_replies (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    owner_user_id INTEGER REFERENCES users(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX quick_replies_owner ON quick_replies(shop_id, owner_user_id);
