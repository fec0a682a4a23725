/* Bulk copy for `gongdan migrate` (store.h, "bulk copy"). Tables are read through a cursor, a
 * few thousand rows per FETCH (memory stays bounded at any size), and written with COPY in text
 * format, the fastest way in. Most tables of gd_bulk_tables are the table of the same name;
 * "search" is wo_search, whose tokens (grams) are computed here as search_set computes them (the
 * shop's token among them, from the row's shop_id, which is its work order's); the
 * counters row 'outbox' of each shop is this backend's own numbering of its outbox
 * (schema pg/0004_webhooks.sql), not copied but set past the copied outbox rows and cursors by
 * bulk_finish, with the search piece sequence. */
#include "base/log.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

#define MAX_COLS 64
#define FETCH_ROWS "5000"

/* PostgreSQL type oids of the columns the schema uses (pg_type.h is a server header) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23

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

int gd_pg__snapshot_begin(struct gd_store *s, struct gd_err *err)
{
    return gd_pg__exec(PG(s), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

void gd_pg__snapshot_end(struct gd_store *s) { gd_pg__exec(PG(s), "COMMIT", NULL); }

/* The FROM ... part of reading table t. */
static void source(struct gd_strbuf *sql, const struct gd_bulk_table *t)
{
    if (is_search(t)) {
        /* a piece's shop is its work order's (the grams hold it only as a token) */
        gd_strbuf_adds(sql, "FROM wo_search s LEFT JOIN workorders w ON w.id = s.workorder_id");
    } else if (strcmp(t->name, "counters") == 0) {
        gd_strbuf_adds(sql, "FROM counters WHERE key <> 'outbox'");
    } else {
        gd_strbuf_addf(sql, "FROM %s", t->name);
    }
}

/* (the service names the table in its message) */
static int fail_result(struct gd_pg *p, PGresult *r, struct gd_err *err)
{
    int ret = gd_pg__fail_result(p, r, err);
    PQclear(r);
    return ret;
}

int gd_pg__bulk_count(struct gd_store *s, const struct gd_bulk_table *t, int64_t *out,
                      struct gd_err *err)
{
    struct gd_strbuf sql = GD_STRBUF_INIT;
    gd_strbuf_adds(&sql, "SELECT count(*) ");
    source(&sql, t);
    PGresult *r = PQexec(PG(s)->conn, sql.buf);
    gd_strbuf_release(&sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        return fail_result(PG(s), r, err);
    }
    *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return GD_OK;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* Calls back for each row of one FETCH's result. bytea is decoded into `bytes` (one buffer per
 * column, reused). */
static int rows_of(PGresult *r, const struct gd_bulk_table *t, struct gd_strbuf *bytes,
                   gd_bulk_row_fn row, void *ctx, struct gd_err *err)
{
    struct gd_bulk_cell cells[MAX_COLS];
    Oid types[MAX_COLS];
    for (int c = 0; c < t->ncols; c++) {
        types[c] = PQftype(r, c);
    }
    for (int i = 0, n = PQntuples(r); i < n; i++) {
        for (int c = 0; c < t->ncols; c++) {
            struct gd_bulk_cell *x = &cells[c];
            const char *v = PQgetvalue(r, i, c);
            if (PQgetisnull(r, i, c)) {
                *x = (struct gd_bulk_cell){.type = GD_BULK_NULL};
            } else if (types[c] == OID_INT8 || types[c] == OID_INT4 || types[c] == OID_INT2) {
                *x = (struct gd_bulk_cell){.type = GD_BULK_INT, .i = strtoll(v, NULL, 10)};
            } else if (types[c] == OID_BOOL) {
                *x = (struct gd_bulk_cell){.type = GD_BULK_INT, .i = v[0] == 't'};
            } else if (types[c] == OID_BYTEA) {
                /* hex format (bytea_output = hex, set at connect): \x then two digits a byte */
                struct gd_strbuf *b = &bytes[c];
                gd_strbuf_reset(b);
                for (const char *h = v + 2; h[0] && h[1]; h += 2) {
                    gd_strbuf_addch(b, (char)(hexval(h[0]) << 4 | hexval(h[1])));
                }
                *x = (struct gd_bulk_cell){.type = GD_BULK_BLOB, .p = b->buf, .len = b->len};
            } else {
                *x = (struct gd_bulk_cell){
                    .type = GD_BULK_TEXT, .p = v, .len = (size_t)PQgetlength(r, i, c)};
            }
        }
        int ret = row(ctx, cells, err);
        if (ret) {
            return ret;
        }
    }
    return GD_OK;
}

int gd_pg__bulk_dump(struct gd_store *s, const struct gd_bulk_table *t, gd_bulk_row_fn row,
                     void *ctx, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    if (t->ncols > MAX_COLS) {
        return gd_err_set(err, GD_EINVAL, "table %s has more than %d columns", t->name, MAX_COLS);
    }
    /* a cursor lives in a transaction: the caller's snapshot, or one of its own */
    bool own_tx = PQtransactionStatus(p->conn) == PQTRANS_IDLE;
    int ret =
        own_tx ? gd_pg__exec(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) : GD_OK;
    if (ret) {
        return ret;
    }
    struct gd_strbuf sql = GD_STRBUF_INIT;
    gd_strbuf_adds(&sql, "DECLARE gd_bulk NO SCROLL CURSOR FOR SELECT ");
    gd_strbuf_adds(&sql,
                   is_search(t) ? "s.piece, s.workorder_id, s.base, s.body, w.shop_id" : t->cols);
    gd_strbuf_addch(&sql, ' ');
    source(&sql, t);
    gd_strbuf_addf(&sql, " ORDER BY %s", t->key);
    ret = gd_pg__exec(p, sql.buf, err);
    gd_strbuf_release(&sql);

    struct gd_strbuf bytes[MAX_COLS];
    for (int c = 0; c < t->ncols; c++) {
        bytes[c] = (struct gd_strbuf)GD_STRBUF_INIT;
    }
    while (!ret) {
        PGresult *r = PQexec(p->conn, "FETCH " FETCH_ROWS " FROM gd_bulk");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            ret = fail_result(p, r, err);
            break;
        }
        int n = PQntuples(r);
        ret = rows_of(r, t, bytes, row, ctx, err);
        PQclear(r);
        if (n == 0) {
            break;
        }
    }
    for (int c = 0; c < t->ncols; c++) {
        gd_strbuf_release(&bytes[c]);
    }
    /* closed unless the transaction failed (then its end drops the cursor) */
    if (PQtransactionStatus(p->conn) == PQTRANS_INTRANS) {
        int closed = gd_pg__exec(p, "CLOSE gd_bulk", ret ? NULL : err);
        ret = ret ? ret : closed;
    }
    if (own_tx) {
        gd_pg__exec(p, ret ? "ROLLBACK" : "COMMIT", NULL);
    }
    return ret;
}

/* Appends `p` in COPY's text format: backslash, tab, newline and carriage return escaped. */
static void copy_text(struct gd_strbuf *out, const char *p, size_t len)
{
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        const char *esc = c == '\\'   ? "\\\\"
                          : c == '\t' ? "\\t"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                                      : NULL;
        if (esc) {
            gd_strbuf_add(out, p + from, i - from);
            gd_strbuf_adds(out, esc);
            from = i + 1;
        }
    }
    gd_strbuf_add(out, p + from, len - from);
}

static void copy_cell(struct gd_strbuf *out, const struct gd_bulk_cell *x)
{
    static const char hex[] = "0123456789abcdef";
    switch (x->type) {
    case GD_BULK_INT:
        gd_strbuf_add_i64(out, x->i);
        break;
    case GD_BULK_TEXT:
        copy_text(out, x->p, x->len);
        break;
    case GD_BULK_BLOB:
        gd_strbuf_adds(out, "\\\\x"); /* bytea's \x, its backslash escaped for COPY */
        for (size_t i = 0; i < x->len; i++) {
            unsigned char b = (unsigned char)x->p[i];
            gd_strbuf_addch(out, hex[b >> 4]);
            gd_strbuf_addch(out, hex[b & 15]);
        }
        break;
    default:
        gd_strbuf_adds(out, "\\N");
    }
}

/* search rows (piece, workorder_id, base, body, shop_id) become wo_search rows with their
 * tokens. */
static void copy_search_row(struct gd_strbuf *out, const struct gd_bulk_cell *c,
                            struct gd_strbuf *tmp)
{
    const char *body = c[3].type == GD_BULK_TEXT ? c[3].p : "";
    int64_t shop_id = c[4].type == GD_BULK_INT ? c[4].i : 0;
    for (int i = 0; i < 3; i++) {
        copy_cell(out, &c[i]);
        gd_strbuf_addch(out, '\t');
    }
    gd_strbuf_reset(tmp);
    gd_pg__fold(tmp, body);
    copy_text(out, tmp->buf, tmp->len);
    gd_strbuf_addch(out, '\t');
    gd_strbuf_reset(tmp);
    gd_pg__grams(tmp, shop_id, body);
    copy_text(out, tmp->buf, tmp->len);
}

int gd_pg__bulk_load(struct gd_store *s, const struct gd_bulk_table *t,
                     const struct gd_bulk_cell *cells, int nrows, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    struct gd_strbuf sql = GD_STRBUF_INIT, data = GD_STRBUF_INIT, tmp = GD_STRBUF_INIT;
    if (is_search(t)) {
        gd_strbuf_adds(&sql, "COPY wo_search (piece, workorder_id, base, body, grams) FROM STDIN");
    } else {
        gd_strbuf_addf(&sql, "COPY %s (%s) FROM STDIN", t->name, t->cols);
    }
    for (int r = 0; r < nrows; r++) {
        const struct gd_bulk_cell *row = cells + (size_t)r * (size_t)t->ncols;
        if (is_search(t)) {
            copy_search_row(&data, row, &tmp);
        } else {
            for (int c = 0; c < t->ncols; c++) {
                if (c) {
                    gd_strbuf_addch(&data, '\t');
                }
                copy_cell(&data, &row[c]);
            }
        }
        gd_strbuf_addch(&data, '\n');
    }
    int ret = GD_OK;
    PGresult *r = PQexec(p->conn, sql.buf);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        ret = fail_result(p, r, err);
    } else {
        PQclear(r);
        if (PQputCopyData(p->conn, data.buf, (int)data.len) != 1 ||
            PQputCopyEnd(p->conn, NULL) != 1) {
            gd_log(GD_LOG_ERROR, "COPY %s: %s", t->name, PQerrorMessage(p->conn));
        }
        /* the COPY's outcome, then nothing more */
        while ((r = PQgetResult(p->conn))) {
            if (!ret && PQresultStatus(r) != PGRES_COMMAND_OK) {
                ret = fail_result(p, r, err);
            } else {
                PQclear(r);
            }
        }
    }
    gd_strbuf_release(&sql);
    gd_strbuf_release(&data);
    gd_strbuf_release(&tmp);
    return ret;
}

/* The secondary indexes of the tables being loaded, those no constraint owns (not a primary
 * key, a unique constraint or the key a foreign key refers to), are dropped before the load and
 * built again by bulk_finish, once over all the rows: far cheaper than growing them row by row
 * (the GIN index of the search tokens most of all). Their definitions are the catalog's
 * (pg_get_indexdef), i.e. what the migrations made, so no list of indexes is written here. All of
 * it is inside the copy's transaction: a failed copy's rollback brings them back. */
int gd_pg__bulk_start(struct gd_store *s, const struct gd_bulk_table *tables, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    struct gd_strbuf names = GD_STRBUF_INIT, drop = GD_STRBUF_INIT;
    struct gd_pg_stmt *st = pg_prep(p,
                                    "SELECT quote_ident(ic.relname), "
                                    "pg_get_indexdef(i.indexrelid) FROM pg_index i "
                                    "JOIN pg_class ic ON ic.oid = i.indexrelid "
                                    "JOIN pg_class t ON t.oid = i.indrelid "
                                    "WHERE t.relnamespace = current_schema()::regnamespace "
                                    "AND t.relname = ANY($1::text[]) AND NOT EXISTS (SELECT "
                                    "1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                                    "ORDER BY 1",
                                    err);
    int ret = GD_OK, rc;

    if (!st) {
        return GD_EDB;
    }
    gd_strbuf_reset(&p->bulk_indexes);
    gd_strbuf_addch(&names, '{');
    for (const struct gd_bulk_table *t = tables; t->name; t++) {
        gd_pg__array_text(&names, is_search(t) ? "wo_search" : t->name);
    }
    gd_strbuf_addch(&names, '}');
    bind_text(st, 1, names.buf);
    gd_strbuf_adds(&drop, "DROP INDEX ");
    int n = 0;
    while ((rc = pg_step(st)) == PG_ROW) {
        const char *def = col_text(st, 1);
        gd_strbuf_addf(&drop, "%s%s", n++ ? ", " : "", col_text(st, 0));
        gd_strbuf_add(&p->bulk_indexes, def, strlen(def) + 1);
    }
    if (rc != PG_DONE) {
        ret = pg_fail(p, st, err);
    } else {
        pg_done(st);
        ret = n ? gd_pg__exec(p, drop.buf, err) : GD_OK;
    }
    gd_strbuf_release(&names);
    gd_strbuf_release(&drop);
    return ret;
}

int gd_pg__bulk_finish(struct gd_store *s, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    /* the indexes, first (ON CONFLICT below needs its keys); the next search piece after the
     * copied ones; each shop's outbox seq past its copied rows and past every cursor of its
     * endpoints (a cursor copied from SQLite counts a global sequence, so it may exceed the
     * shop's own rows); then fresh planner statistics */
    int ret = gd_pg__exec(p, "SET LOCAL maintenance_work_mem = '256MB'", err);
    /* the indexes bulk_start dropped, built again from their own definitions */
    for (size_t at = 0; !ret && at < p->bulk_indexes.len;
         at += strlen(p->bulk_indexes.buf + at) + 1) {
        ret = gd_pg__exec(p, p->bulk_indexes.buf + at, err);
    }
    gd_strbuf_reset(&p->bulk_indexes);
    if (ret ||
        (ret = gd_pg__exec(p,
                           "SELECT setval(pg_get_serial_sequence('wo_search', 'piece'), "
                           "coalesce((SELECT max(piece) FROM wo_search), 0) + 1, false)",
                           err)) ||
        (ret =
             gd_pg__exec(p,
                         "INSERT INTO counters (shop_id, key, n) SELECT shop_id, 'outbox', max(n) "
                         "FROM (SELECT shop_id, max(seq) AS n FROM outbox GROUP BY shop_id UNION "
                         "ALL SELECT shop_id, max(cursor) FROM webhooks GROUP BY shop_id) m GROUP "
                         "BY shop_id ON CONFLICT (shop_id, key) DO UPDATE SET n = "
                         "greatest(counters.n, excluded.n)",
                         err)) ||
        (ret = gd_pg__exec(p, "ANALYZE", err))) {
        return ret;
    }
    return GD_OK;
}

/* Tables this backend keeps apart from gd_bulk_tables: wo_search (the "search" table of the
 * copy) and what is left out on purpose. */
#define SEARCH_COLS "piece, workorder_id, base, body, grams"
static const char *const left_out[] = {
    "schema_migrations", /* each database has its own migrations */
    "sessions",          /* people sign in again */
    "api_tokens",        /* integrations get new tokens */
    "panel_links",       /* used panel links: expired within minutes anyway */
    "agent_presence",    /* open workbenches: renewed within seconds by each node */
    "blobs",             /* stored bytes: copied by content, checked by SHA-256 (migrate.c) */
    "blob_chunks",
    "export_leases", /* which live node runs a job: none of the target's */
};

static int check_columns(struct gd_pg *p, const char *table, const char *cols, int ncols,
                         struct gd_arena *a, const char **what, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(p,
                                    "SELECT column_name::text FROM information_schema.columns "
                                    "WHERE table_schema = current_schema() AND table_name = $1",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, table);
    int n = 0, rc;
    while ((rc = pg_step(st)) == PG_ROW) {
        const char *col = col_text(st, 0);
        n++;
        if (!*what && gd_bulk_col_index(cols, col) < 0) {
            *what = gd_arena_printf(a, "column %s.%s", table, col);
        }
    }
    if (rc != PG_DONE) {
        return pg_fail(p, st, err);
    }
    pg_done(st);
    if (!*what && n != ncols) {
        *what = gd_arena_printf(a, "table %s (the copy lists %d columns, the table has %d)", table,
                                ncols, n);
    }
    return GD_OK;
}

static void read_name(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    *(const char **)row = col_str(a, st, 0);
}

int gd_pg__bulk_uncovered(struct gd_store *s, const struct gd_bulk_table *tables,
                          struct gd_arena *a, const char **what, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    *what = NULL;
    struct gd_pg_stmt *st = pg_prep(p,
                                    "SELECT table_name::text FROM information_schema.tables "
                                    "WHERE table_schema = current_schema() AND table_type = "
                                    "'BASE TABLE' ORDER BY 1",
                                    err);
    const char **names = NULL;
    int n = 0;
    if (!st || gd_pg__rows(p, st, a, sizeof(*names), read_name, (void **)&names, &n, err)) {
        return GD_EDB;
    }
    for (int i = 0; i < n && !*what; i++) {
        const struct gd_bulk_table *t = strcmp(names[i], "search") ? named(tables, names[i]) : NULL;
        bool skip = false;
        for (size_t k = 0; k < sizeof(left_out) / sizeof(*left_out); k++) {
            skip |= strcmp(names[i], left_out[k]) == 0;
        }
        int ret = GD_OK;
        if (t) {
            ret = check_columns(p, names[i], t->cols, t->ncols, a, what, err);
        } else if (strcmp(names[i], "wo_search") == 0) {
            ret = check_columns(p, names[i], SEARCH_COLS, 5, a, what, err);
        } else if (!skip) {
            *what = gd_arena_printf(a, "table %s", names[i]);
        }
        if (ret) {
            return ret;
        }
    }
    return GD_OK;
}
