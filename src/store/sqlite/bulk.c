/* Bulk copy for `gongdan migrate` (store.h, "bulk copy"): the tables of gd_bulk_tables read out
 * as typed cells and written back. Most are the table of the same name; "search" is the FTS5
 * table wo_search_text (its shop column the shop's token, char(1) || shop id; in the index's own
 * file, search_mover.c) less the pieces replaced since (wo_search_gone) and the pieces waiting to
 * be indexed (wo_search_pending, search.c) less those indexed already, with wo_search_base
 * marking each work order's own-fields piece. */
#include "base/log.h"
#include "store/sqlite/sqlite_int.h"

#define MAX_COLS 64

/* Columns this backend keeps beside a copied table's own, made from them when a row is loaded
 * rather than copied: the notifications' unread flag, a part of their key here (migration 0027). */
static const struct {
    const char *table, *col, *expr;
} derived[] = {{"notifications", "unread", "read_at = 0"}};

/* The column `table` derives (and its expression over the row's columns), or NULL. */
static const char *derived_col(const char *table, const char **expr)
{
    for (size_t i = 0; i < sizeof(derived) / sizeof(*derived); i++) {
        if (strcmp(table, derived[i].table) == 0) {
            *expr = derived[i].expr;
            return derived[i].col;
        }
    }
    return NULL;
}

static const struct gd_bulk_table *named(const struct gd_bulk_table *tables, const char *name)
{
    for (const struct gd_bulk_table *t = tables; t->name; t++) {
        if (strcmp(t->name, name) == 0) {
            return t;
        }
    }
    return NULL;
}

static bool is_search(const struct gd_bulk_table *t) { return strcmp(t->name, "search") == 0; }

/* Every piece of search text once: indexed and not replaced since, or waiting and not indexed
 * yet (a crash may leave a piece in both; search_mover.c). */
#define SEARCH_PIECES                                                                           \
    "SELECT rowid AS piece, workorder_id, coalesce(body, '') AS body, CAST(substr(shop, 2) AS " \
    "INTEGER) AS shop_id FROM wo_search_text WHERE rowid NOT IN (SELECT piece FROM "            \
    "wo_search_gone) UNION ALL SELECT id, workorder_id, body, shop_id FROM wo_search_pending "  \
    "WHERE id > (SELECT upto FROM search_moved)"

int gd_sq__snapshot_begin(struct gd_store *s, struct gd_err *err)
{
    /* a read transaction on the handle's own connection; the read pins its WAL snapshot now */
    return gd_sq__exec(SQ(s)->own.db, "BEGIN; SELECT count(*) FROM schema_migrations", err);
}

void gd_sq__snapshot_end(struct gd_store *s) { gd_sq__exec(SQ(s)->own.db, "COMMIT", NULL); }

/* A one-off statement (not cached: a table is read once). */
static sqlite3_stmt *prepare(struct gd_sq *q, const char *sql, struct gd_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        gd_log(GD_LOG_ERROR, "cannot prepare: %s sql=%.120s", sqlite3_errmsg(q->db), sql);
        gd_err_set(err, GD_EDB, "database error");
        return NULL;
    }
    return st;
}

int gd_sq__bulk_count(struct gd_store *s, const struct gd_bulk_table *t, int64_t *out,
                      struct gd_err *err)
{
    char sql[640];
    if (is_search(t)) {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s)", SEARCH_PIECES);
    } else {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->name);
    }
    sqlite3_stmt *st = prepare(SQ(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? GD_OK : gd_err_set(err, GD_EDB, "database error");
}

int gd_sq__bulk_dump(struct gd_store *s, const struct gd_bulk_table *t, gd_bulk_row_fn row,
                     void *ctx, struct gd_err *err)
{
    struct gd_bulk_cell cells[MAX_COLS];
    char sql[1024]; /* (SEARCH_PIECES fits) */
    if (is_search(t)) {
        /* the body as the PostgreSQL backend keeps it, ASCII folded (lower() folds ASCII
         * only); the shop's id out of its token */
        snprintf(sql, sizeof(sql),
                 "SELECT t.piece, t.workorder_id, b.piece IS NOT NULL, lower(t.body), t.shop_id "
                 "FROM (%s) t LEFT JOIN wo_search_base b ON b.workorder_id = t.workorder_id AND "
                 "b.piece = t.piece ORDER BY t.piece",
                 SEARCH_PIECES);
    } else {
        snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->key);
    }
    if (t->ncols > MAX_COLS) {
        return gd_err_set(err, GD_EINVAL, "table %s has more than %d columns", t->name, MAX_COLS);
    }
    sqlite3_stmt *st = prepare(SQ(s), sql, err);
    if (!st) {
        return GD_EDB;
    }
    int rc, ret = GD_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < t->ncols; c++) {
            struct gd_bulk_cell *x = &cells[c];
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL:
                *x = (struct gd_bulk_cell){.type = GD_BULK_NULL};
                break;
            case SQLITE_INTEGER:
            case SQLITE_FLOAT: /* STRICT tables hold no REAL column */
                *x = (struct gd_bulk_cell){.type = GD_BULK_INT, .i = sqlite3_column_int64(st, c)};
                break;
            case SQLITE_BLOB: {
                const void *b = sqlite3_column_blob(st, c);
                *x = (struct gd_bulk_cell){.type = GD_BULK_BLOB,
                                           .p = b ? b : "",
                                           .len = (size_t)sqlite3_column_bytes(st, c)};
                break;
            }
            default:
                *x = (struct gd_bulk_cell){.type = GD_BULK_TEXT,
                                           .p = (const char *)sqlite3_column_text(st, c),
                                           .len = (size_t)sqlite3_column_bytes(st, c)};
            }
        }
        if ((ret = row(ctx, cells, err))) {
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE) {
        gd_log(GD_LOG_ERROR, "reading %s: %s", t->name, sqlite3_errmsg(SQ(s)->db));
        ret = gd_err_set(err, GD_EDB, "database error reading table %s", t->name);
    }
    sqlite3_finalize(st);
    return ret;
}

static void bind_cell(sqlite3_stmt *st, int n, const struct gd_bulk_cell *x)
{
    switch (x->type) {
    case GD_BULK_INT:
        sqlite3_bind_int64(st, n, x->i);
        break;
    case GD_BULK_TEXT:
        sqlite3_bind_text(st, n, x->p, (int)x->len, SQLITE_STATIC);
        break;
    case GD_BULK_BLOB:
        sqlite3_bind_blob(st, n, x->p, (int)x->len, SQLITE_STATIC);
        break;
    default:
        sqlite3_bind_null(st, n);
    }
}

/* search rows: (piece, workorder_id, base, body, shop_id) */
static int load_search(struct gd_sq *q, const struct gd_bulk_cell *cells, int nrows,
                       struct gd_err *err)
{
    for (int r = 0; r < nrows; r++) {
        const struct gd_bulk_cell *c = cells + (size_t)r * 5;
        sqlite3_stmt *st = sq_prep(q,
                                   "INSERT INTO wo_search_text (rowid, workorder_id, body, "
                                   "shop) VALUES (?1, ?2, ?3, char(1) || ?4)",
                                   err);
        if (!st) {
            return GD_EDB;
        }
        bind_cell(st, 1, &c[0]);
        bind_cell(st, 2, &c[1]);
        bind_cell(st, 3, &c[3]);
        bind_cell(st, 4, &c[4]);
        int rc = sq_exec(q, st, err);
        if (rc) {
            return rc;
        }
        if (c[2].type == GD_BULK_INT && c[2].i) {
            st =
                sq_prep(q, "INSERT INTO wo_search_base (workorder_id, piece) VALUES (?1, ?2)", err);
            if (!st) {
                return GD_EDB;
            }
            bind_cell(st, 1, &c[1]);
            bind_cell(st, 2, &c[0]);
            if ((rc = sq_exec(q, st, err))) {
                return rc;
            }
        }
    }
    return GD_OK;
}

int gd_sq__bulk_load(struct gd_store *s, const struct gd_bulk_table *t,
                     const struct gd_bulk_cell *cells, int nrows, struct gd_err *err)
{
    if (is_search(t)) {
        return load_search(SQ(s), cells, nrows, err);
    }
    struct gd_strbuf sql = GD_STRBUF_INIT;
    const char *expr = NULL, *extra = derived_col(t->name, &expr);
    if (extra) {
        /* the row's cells named as its columns, so the derived one is made from them */
        gd_strbuf_addf(&sql, "INSERT INTO %s (%s, %s) SELECT *, %s FROM (SELECT ", t->name, t->cols,
                       extra, expr);
        const char *col = t->cols;
        for (int c = 0; c < t->ncols; c++) {
            size_t len = strcspn(col, ",");
            gd_strbuf_addf(&sql, "%s?%d AS %.*s", c ? ", " : "", c + 1, (int)len, col);
            col += len + strspn(col + len, ", ");
        }
        gd_strbuf_addch(&sql, ')');
    } else {
        gd_strbuf_addf(&sql, "INSERT INTO %s (%s) VALUES (", t->name, t->cols);
        for (int c = 0; c < t->ncols; c++) {
            gd_strbuf_adds(&sql, c ? ", ?" : "?");
        }
        gd_strbuf_addch(&sql, ')');
    }
    int ret = GD_OK;
    for (int r = 0; r < nrows && !ret; r++) {
        sqlite3_stmt *st = sq_prep(SQ(s), sql.buf, err);
        if (!st) {
            ret = GD_EDB;
            break;
        }
        for (int c = 0; c < t->ncols; c++) {
            bind_cell(st, c + 1, &cells[(size_t)r * (size_t)t->ncols + (size_t)c]);
        }
        ret = sq_exec(SQ(s), st, err);
    }
    gd_strbuf_release(&sql);
    return ret;
}

int gd_sq__bulk_start(struct gd_store *s, const struct gd_bulk_table *tables, struct gd_err *err)
{
    /* nothing to ready: the copy inserts each table in key order through one prepared
     * statement in the writer's transaction, where SQLite keeps its indexes cheaply */
    (void)s;
    (void)tables;
    (void)err;
    return GD_OK;
}

int gd_sq__bulk_finish(struct gd_store *s, struct gd_err *err)
{
    /* outbox's AUTOINCREMENT followed the copied seqs by itself; it must also pass every
     * endpoint's cursor (the rows up to it may have been trimmed), or new events would be
     * numbered at or below a cursor and never delivered. Ids are application-made. The search
     * text's pieces are numbered by wo_search_pending's sequence, which must pass the copied
     * pieces' numbers (search.c). */
    return gd_sq__exec(SQ(s)->db,
                       "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', 0 WHERE NOT "
                       "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox'); "
                       "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(cursor), "
                       "0) FROM webhooks)) WHERE name = 'outbox'; "
                       "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(rowid), "
                       "0) FROM wo_search_text)) WHERE name = 'wo_search_pending'",
                       err);
}

/* Tables this backend keeps apart from gd_bulk_tables: the search index's three tables (the
 * "search" table of the copy) and what is left out on purpose. */
static const struct {
    const char *name, *cols;
    int ncols;
} search_tables[] = {{"wo_search_text", "body, shop, workorder_id", 3},
                     {"wo_search_base", "workorder_id, piece", 2},
                     {"wo_search_pending", "id, workorder_id, shop_id, body", 4}};
static const char *const left_out[] = {
    "schema_migrations", /* each database has its own migrations */
    "sessions",          /* people sign in again */
    "api_tokens",        /* integrations get new tokens */
    "panel_links",       /* used panel links: expired within minutes anyway */
    "agent_presence",    /* open workbenches: renewed within seconds by each node */
    "wo_search_gone",    /* the copy's search pieces leave the replaced ones out */
};

/* The first column of `table` not in `cols`, or a count that differs from `ncols`. */
static int check_columns(struct gd_sq *q, const char *table, const char *cols, int ncols,
                         struct gd_arena *a, const char **what, struct gd_err *err)
{
    sqlite3_stmt *st = prepare(q, "SELECT name FROM pragma_table_info(?1)", err);
    if (!st) {
        return GD_EDB;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    const char *expr, *extra = derived_col(table, &expr);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 0);
        if (extra && strcmp(col, extra) == 0) {
            continue; /* made on load */
        }
        n++;
        if (!*what && gd_bulk_col_index(cols, col) < 0) {
            *what = gd_arena_printf(a, "column %s.%s", table, col);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return gd_err_set(err, GD_EDB, "database error");
    }
    if (!*what && n != ncols) {
        *what = gd_arena_printf(a, "table %s (the copy lists %d columns, the table has %d)", table,
                                ncols, n);
    }
    return GD_OK;
}

int gd_sq__bulk_uncovered(struct gd_store *s, const struct gd_bulk_table *tables,
                          struct gd_arena *a, const char **what, struct gd_err *err)
{
    *what = NULL;
    sqlite3_stmt *st = prepare(SQ(s),
                               "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                               "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE "
                               "'wo\\_search\\_text\\_%' ESCAPE '\\' ORDER BY name",
                               err);
    if (!st) {
        return GD_EDB;
    }
    /* (FTS5 keeps wo_search_text in shadow tables wo_search_text_*: copied through it) */
    int rc, ret = GD_OK;
    while (!ret && !*what && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = gd_arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
        const struct gd_bulk_table *t = strcmp(name, "search") ? named(tables, name) : NULL;
        bool skip = false;
        for (size_t i = 0; i < sizeof(left_out) / sizeof(*left_out); i++) {
            skip |= strcmp(name, left_out[i]) == 0;
        }
        if (t) {
            ret = check_columns(SQ(s), name, t->cols, t->ncols, a, what, err);
            continue;
        }
        for (size_t i = 0; i < sizeof(search_tables) / sizeof(*search_tables); i++) {
            if (strcmp(name, search_tables[i].name) == 0) {
                ret = check_columns(SQ(s), name, search_tables[i].cols, search_tables[i].ncols, a,
                                    what, err);
                skip = true;
            }
        }
        if (!skip) {
            *what = gd_arena_printf(a, "table %s", name);
        }
    }
    sqlite3_finalize(st);
    return ret;
}
