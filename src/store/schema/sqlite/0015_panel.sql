-- The chat-side panel (docs/panel.md): per shop, the origins allowed to embed /panel in a frame
-- (space-separated, '' = none: never framed) and the secret a shop's integration signs panel
-- links with (NULL until an owner or lead makes one).
CREATE TABLE panel_settings (
    shop_id INTEGER PRIMARY KEY REFERENCES shops(id),
    origins TEXT NOT NULL DEFAULT '',
    secret TEXT,
    updated_at INTEGER NOT NULL
);
-- Signed links already exchanged for a session (by the SHA-256 of their signature), kept until
-- they expire, so a link signs in once.
CREATE TABLE panel_links (
    digest TEXT PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX panel_links_expiry ON panel_links(expires_at);
