/* The SQLite backend: opening (WAL, foreign keys, busy timeout, chosen durability), numbered
 * migrations recorded in the database, transactions, and the per-connection statement cache.
 *
 * Durability: synchronous=FULL, so a transaction acknowledged to a client survives power loss
 * (WAL + FULL syncs the log on every commit). Write transactions go through one writer
 * connection per database and process, with group commit (writer.c). */
#include <limits.h>
#include <pthread.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/backends.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_int.h"

static _Atomic long evicted;

long gd_sqlite_statements_evicted(void) { return evicted; }

void gd_sqlite_memory(int64_t *used, int64_t *peak)
{
    *used = sqlite3_memory_used();
    *peak = sqlite3_memory_highwater(0);
}

static uint32_t hash_sql(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

/* The recency list: unlink slot i, or push it as the newest. */
static void lru_unlink(struct gd_sq_conn *c, int i)
{
    int newer = c->cache[i].newer, older = c->cache[i].older;
    if (newer) {
        c->cache[newer - 1].older = older;
    } else {
        c->newest = older;
    }
    if (older) {
        c->cache[older - 1].newer = newer;
    } else {
        c->oldest = newer;
    }
    c->cache[i].newer = c->cache[i].older = 0;
}

static void lru_push(struct gd_sq_conn *c, int i)
{
    c->cache[i].newer = 0;
    c->cache[i].older = c->newest;
    if (c->newest) {
        c->cache[c->newest - 1].newer = i + 1;
    }
    c->newest = i + 1;
    if (!c->oldest) {
        c->oldest = i + 1;
    }
}

static sqlite3_stmt *hit(struct gd_sq_conn *c, int i)
{
    if (c->newest != i + 1) {
        lru_unlink(c, i);
        lru_push(c, i);
    }
    sqlite3_reset(c->cache[i].stmt);
    sqlite3_clear_bindings(c->cache[i].stmt);
    return c->cache[i].stmt;
}

/* Frees a slot for a new statement: a never used one, or the least recently used statement that
 * no caller is stepping (a busy one may be mid-iteration under a nested query), finalised.
 * -1 when every statement is busy. */
static int take_slot(struct gd_sq_conn *c)
{
    if (c->used < SQ_CACHE) {
        for (int i = 0; i < SQ_CACHE; i++) {
            if (!c->cache[i].sql) {
                return i;
            }
        }
    }
    int i = c->oldest - 1;
    while (i >= 0 && sqlite3_stmt_busy(c->cache[i].stmt)) {
        i = c->cache[i].newer - 1;
    }
    if (i < 0) {
        return -1;
    }
    int *link = &c->bucket[c->cache[i].hash % SQ_BUCKETS];
    while (*link != i + 1) {
        link = &c->cache[*link - 1].chain;
    }
    *link = c->cache[i].chain;
    lru_unlink(c, i);
    sqlite3_finalize(c->cache[i].stmt);
    free((char *)c->cache[i].sql);
    c->cache[i].sql = NULL;
    c->cache[i].stmt = NULL;
    c->used--;
    evicted++;
    return i;
}

sqlite3_stmt *gd_sq__prep(struct gd_sq *q, const char *sql, struct gd_err *err)
{
    /* fast path: the statement last found for this text pointer, confirmed by content (SQL is
     * mostly string literals; a reused buffer with other text falls through to the hash) */
    unsigned hint = (unsigned)(((uintptr_t)sql >> 3) % SQ_HINTS);
    struct gd_sq_conn *c = q->conn;
    int hs = c->hint[hint];
    if (hs > 0 && c->cache[hs - 1].sql && strcmp(c->cache[hs - 1].sql, sql) == 0) {
        return hit(c, hs - 1);
    }
    uint32_t h = hash_sql(sql);
    for (int i = c->bucket[h % SQ_BUCKETS]; i; i = c->cache[i - 1].chain) {
        if (c->cache[i - 1].hash == h && strcmp(c->cache[i - 1].sql, sql) == 0) {
            c->hint[hint] = i;
            return hit(c, i - 1);
        }
    }
    /* The shared SQL numbers its parameters $1..$n (PostgreSQL's form). To SQLite "$1" is a
     * name, numbered by first appearance; "?1" is the number 1. Rewriting $n to ?n once here
     * lets every bind go straight to its number. (Our SQL has no '$' inside string literals.) */
    char *text = xstrdup(sql);
    for (char *p = text; (p = strchr(p, '$')) != NULL; p++) {
        if (p[1] >= '0' && p[1] <= '9') {
            *p = '?';
        }
    }
    int slot = take_slot(c);
    sqlite3_stmt *st = NULL;
    /* only a cached statement is worth SQLite's long-lived allocation */
    int rc =
        sqlite3_prepare_v3(q->db, text, -1, slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
    free(text);
    if (rc != SQLITE_OK) {
        gd_log(GD_LOG_ERROR, "cannot prepare statement: %s (%d) sql=%.80s", sqlite3_errmsg(q->db),
               sqlite3_extended_errcode(q->db), sql);
        gd_err_set(err, GD_EDB, "database error");
        return NULL;
    }
    if (slot < 0) {
        /* every cached statement is mid-iteration: SQ_CACHE nested queries cannot happen */
        sqlite3_finalize(st);
        gd_log(GD_LOG_ERROR, "statement cache: every statement is in use");
        gd_err_set(err, GD_EDB, "database error");
        return NULL;
    }
    c->cache[slot].sql = xstrdup(sql);
    c->cache[slot].stmt = st;
    c->cache[slot].hash = h;
    c->cache[slot].chain = c->bucket[h % SQ_BUCKETS];
    c->bucket[h % SQ_BUCKETS] = slot + 1;
    lru_push(c, slot);
    c->used++;
    c->hint[hint] = slot + 1;
    return st;
}

int gd_sq__fail(struct gd_sq *q, sqlite3_stmt *st, struct gd_err *err)
{
    int ext = sqlite3_extended_errcode(q->db);
    if (st) {
        sqlite3_reset(st);
    }
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return gd_err_set(err, GD_ECONFLICT, "already exists");
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return gd_err_set(err, GD_EINVAL, "refers to something that does not exist");
    }
    gd_log(GD_LOG_ERROR, "database error: %s code=%d", sqlite3_errmsg(q->db), ext);
    return gd_err_set(err, GD_EDB, "database error");
}

void gd_sq__bind_i64(sqlite3_stmt *st, int n, int64_t v) { sqlite3_bind_int64(st, n, v); }

void gd_sq__bind_i64_nz(sqlite3_stmt *st, int n, int64_t v)
{
    if (v) {
        sqlite3_bind_int64(st, n, v);
    } else {
        sqlite3_bind_null(st, n);
    }
}

void gd_sq__bind_text(sqlite3_stmt *st, int n, const char *v)
{
    if (v) {
        sqlite3_bind_text(st, n, v, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, n);
    }
}

const char *gd_sq__col_str(struct gd_arena *a, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t) {
        return NULL;
    }
    return gd_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
}

int64_t gd_sq__col_i64(sqlite3_stmt *st, int col) { return sqlite3_column_int64(st, col); }

int gd_sq__exec_stmt(struct gd_sq *q, sqlite3_stmt *st, struct gd_err *err)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return sq_fail(q, st, err);
    }
    sqlite3_reset(st);
    return GD_OK;
}

int gd_sq__rows(struct gd_sq *q, sqlite3_stmt *st, struct gd_arena *a, size_t size,
                gd_sq_read_fn read, void **out, int *count, struct gd_err *err)
{
    char *arr = NULL;
    int n = 0, cap = 0, rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        arr = gd_sq__grow(a, arr, n, &cap, size);
        read(st, a, arr + (size_t)n++ * size);
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(q, st, err);
    }
    sq_done(st);
    *out = arr;
    *count = n;
    return GD_OK;
}

void gd_sq__read_i64(sqlite3_stmt *st, struct gd_arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = col_i64(st, 0);
}

int gd_sq__row(struct gd_sq *q, sqlite3_stmt *st, struct gd_arena *a, gd_sq_read_fn read, void *out,
               struct gd_err *err)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        read(st, a, out);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(q, st, err);
    }
    sq_done(st);
    return rc == SQLITE_ROW ? GD_OK : GD_ENOTFOUND;
}

int gd_sq__each_pair(struct gd_sq *q, sqlite3_stmt *st, const int64_t *first, const int64_t *second,
                     int n, gd_sq_each_fn row, void *ctx, struct gd_err *err)
{
    struct gd_strbuf keys = GD_STRBUF_INIT;
    int rc, ret = GD_OK;

    /* digits written by hand, not by a printf per pair: a firing batch's 2,000 keys */
    for (int i = 0; i < n; i++) {
        gd_strbuf_adds(&keys, i ? ",[" : "[[");
        gd_strbuf_add_i64(&keys, first[i]);
        gd_strbuf_addch(&keys, ',');
        gd_strbuf_add_i64(&keys, second[i]);
        gd_strbuf_addch(&keys, ']');
    }
    if (!n) {
        gd_strbuf_addch(&keys, '[');
    }
    gd_strbuf_addch(&keys, ']');
    bind_text(st, 1, keys.buf); /* by reference: the buffer lives until the rows are read */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row(st, ctx);
    }
    if (rc != SQLITE_DONE) {
        ret = sq_fail(q, st, err);
    } else {
        sq_done(st);
    }
    gd_strbuf_release(&keys);
    return ret;
}

void *gd_sq__grow(struct gd_arena *a, void *arr, int count, int *cap, size_t size)
{
    if (count < *cap) {
        return arr;
    }
    int ncap = *cap ? *cap * 2 : 16;
    void *n = gd_arena_alloc(a, (size_t)ncap * size);
    if (count) {
        memcpy(n, arr, (size_t)count * size);
    }
    *cap = ncap;
    return n;
}

int gd_sq__exec(sqlite3 *db, const char *sql, struct gd_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        gd_log(GD_LOG_ERROR, "database error: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return gd_err_set(err, GD_EDB, "database error");
    }
    return GD_OK;
}

static int exec(struct gd_sq *q, const char *sql, struct gd_err *err)
{
    return gd_sq__exec(q->db, sql, err);
}

/* One writer per database: every write transaction runs alone, whatever its shop (the
 * contract's "serialised per shop" and more). */
static int sq_begin(struct gd_store *s, int64_t shop_id, struct gd_err *err)
{
    int ret = gd_sq__writer_begin(SQ(s), shop_id, err);
    if (!ret) {
        SQ(s)->in_tx = true;
        gd_hook_cache_clear(&SQ(s)->hooks);
    }
    return ret;
}

static int sq_commit(struct gd_store *s, struct gd_err *err)
{
    SQ(s)->in_tx = false;
    SQ(s)->own_commits++;
    gd_hook_cache_clear(&SQ(s)->hooks);
    return gd_sq__writer_end(SQ(s), true, err);
}

static void sq_rollback(struct gd_store *s)
{
    if (!SQ(s)->in_tx) {
        return;
    }
    SQ(s)->in_tx = false;
    gd_hook_cache_clear(&SQ(s)->hooks);
    gd_sq__writer_end(SQ(s), false, NULL);
}

int gd_sq__generation(struct gd_store *s, int64_t *out)
{
    sqlite3_stmt *st = sq_prep(SQ(s), "PRAGMA data_version", NULL);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st) {
            sqlite3_reset(st);
        }
        return GD_EDB;
    }
    /* data_version counts other connections' commits; this handle's transactions are counted
     * apart, in the upper half, and its writes outside a transaction (each committing on its own
     * connection) by the rows they changed: every part only grows, so the sum moves whenever
     * anyone writes */
    *out = (SQ(s)->own_commits << 32) + sqlite3_column_int64(st, 0) +
           sqlite3_total_changes64(SQ(s)->own.db);
    sqlite3_reset(st);
    return GD_OK;
}

/* What this handle's connection has seen commit since the viewgen last accounted for it: any
 * other connection's commit (data_version) or one of its own writes outside a transaction. */
int gd_sq__shop_generation(struct gd_store *s, int64_t shop_id, int64_t *out)
{
    struct gd_sq *q = SQ(s);
    struct gd_sq_viewgen *v = gd_sq__writer_viewgen(q->writer);
    int64_t version;

    if (q->in_tx) {
        return GD_ERETRY; /* the contract asks for it outside a transaction */
    }

    sqlite3_stmt *st = sq_prep(q, "PRAGMA data_version", NULL);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st) {
            sqlite3_reset(st);
        }
        return GD_EDB;
    }
    version = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    int64_t changes = sqlite3_total_changes64(q->own.db);
    if (version != q->view_version || changes != q->view_changes) {
        if (!gd_sq__viewgen_settle(v)) {
            return GD_ERETRY;
        }
        q->view_version = version;
        q->view_changes = changes;
    }
    return gd_sq__viewgen_number(v, shop_id, out) ? GD_OK : GD_ERETRY;
}

void gd_sq__conn_close(struct gd_sq_conn *c)
{
    for (int i = 0; i < SQ_CACHE; i++) {
        if (c->cache[i].sql) {
            sqlite3_finalize(c->cache[i].stmt);
            free((char *)c->cache[i].sql);
        }
    }
    sqlite3_close(c->db);
    c->db = NULL;
}

static int sq_statements_prepared(struct gd_store *s, int *out)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(SQ(s)->db, NULL); st;
         st = sqlite3_next_stmt(SQ(s)->db, st)) {
        n++;
    }
    *out = n;
    return GD_OK;
}

static void sq_close(struct gd_store *s)
{
    struct gd_sq *q = SQ(s);
    sq_rollback(s);
    gd_sq__conn_close(&q->own);
    gd_sq__writer_put(q->writer);
    free(q);
}

static void sq_relax_durability(struct gd_store *s)
{
    /* WAL + NORMAL: a commit is not synced itself, but the next FULL commit of the writer syncs
     * the log it sits in */
    gd_sq__exec(SQ(s)->own.db, "PRAGMA synchronous=NORMAL", NULL);
}

/* The search index's file beside the database (search_mover.c), attached as `search`; made empty
 * when missing (ATTACH makes a file only where the database's own open may). Through SQLite, not
 * open(2) and close(2): closing any descriptor of a file drops every POSIX lock this process
 * holds on it, the other connections' too; SQLite's own close keeps them. */
static int attach_search(sqlite3 *db, const char *path, struct gd_err *err)
{
    char side[PATH_MAX];
    if (snprintf(side, sizeof(side), "%s" GD_SQ_SEARCH_SUFFIX, path) >= (int)sizeof(side)) {
        return gd_err_field(err, GD_EIO, "db", "database path too long: '%s'", path);
    }
    if (access(side, F_OK) != 0) {
        sqlite3 *made = NULL;
        int rc = sqlite3_open_v2(side, &made, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
        sqlite3_close(made);
        if (rc != SQLITE_OK) {
            return gd_err_field(err, GD_EIO, "db", "cannot make the search index '%s'", side);
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS search", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, side, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
        return gd_err_field(err, GD_EIO, "db", "cannot attach the search index '%s': %s", side,
                            sqlite3_errmsg(db));
    }
    return GD_OK;
}

int gd_sq__conn_open(struct gd_sq_conn *c, const char *path, bool create, struct gd_err *err)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);

    memset(c, 0, sizeof(*c));
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        gd_err_field(err, GD_EIO, "db", "cannot open database '%s': %s", path,
                     c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        c->db = NULL;
        return GD_EIO;
    }
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_extended_result_codes(c->db, 1);
    int ret = gd_sq__register_bigram(c->db)
                  ? gd_err_set(err, GD_EDB, "cannot register the bigram tokenizer")
              : gd_sq__register_hist_sum(c->db)
                  ? gd_err_set(err, GD_EDB, "cannot register the gd_hist_sum aggregate")
              : attach_search(c->db, path, err)
                  ? GD_EIO
                  : gd_sq__exec(c->db,
                                "PRAGMA journal_mode=WAL; PRAGMA search.journal_mode=WAL; "
                                "PRAGMA synchronous=FULL; PRAGMA search.synchronous=FULL; "
                                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000; "
                                "PRAGMA search.cache_size=-16000; PRAGMA temp_store=MEMORY",
                                err);
    if (ret) {
        sqlite3_close(c->db);
        c->db = NULL;
        return ret;
    }
    return GD_OK;
}

/* Whether migration `version` is recorded as applied. */
static bool applied(struct gd_sq *q, int version)
{
    sqlite3_stmt *st = NULL;
    bool yes = false;
    if (sqlite3_prepare_v2(q->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int(st, 1, version);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

/* Refuses a database that records a migration newer than this build's (store/migrations.h). */
static int refuse_newer(struct gd_sq *q, struct gd_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT version, name FROM schema_migrations ORDER BY version DESC "
                           "LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK) {
        return gd_err_set(err, GD_EDB, "cannot read schema_migrations: %s", sqlite3_errmsg(q->db));
    }
    int ret = sqlite3_step(st) == SQLITE_ROW
                  ? gd_migrations_refuse_newer(gd_migrations_sqlite, sqlite3_column_int64(st, 0),
                                               (const char *)sqlite3_column_text(st, 1), err)
                  : GD_OK;
    sqlite3_finalize(st);
    return ret;
}

/* Applies every migration not recorded yet, in order (by its own record, not the highest one:
 * a database whose record of one migration is missing gets that one, whatever came after). */
static int migrate(struct gd_sq *q, struct gd_err *err)
{
    if (exec(q,
             "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
             err) ||
        refuse_newer(q, err)) {
        return GD_EDB;
    }
    for (const struct gd_migration *m = gd_migrations_sqlite; m->version; m++) {
        if (applied(q, m->version)) {
            continue;
        }
        char rec[256];
        snprintf(rec, sizeof(rec), "INSERT INTO schema_migrations VALUES (%d, '%s', %lld)",
                 m->version, m->name, (long long)gd_clock_now_ms());
        if (exec(q, "BEGIN IMMEDIATE", err)) {
            return GD_EDB;
        }
        if (exec(q, m->sql, err) || exec(q, rec, err)) {
            exec(q, "ROLLBACK", NULL);
            return gd_err_set(err, GD_EDB, "migration %s failed", m->name);
        }
        if (exec(q, "COMMIT", err)) {
            return GD_EDB;
        }
        gd_log(GD_LOG_INFO, "applied migration version=%d name=%s", m->version, m->name);
    }
    return applied(q, 25) ? gd_sq__search_file_check(q->db, err) : GD_OK;
}

static int sq_migrate(struct gd_store *s, struct gd_err *err) { return migrate(SQ(s), err); }

int gd_sqlite_store_open(const char *path, bool do_migrate, struct gd_store **out,
                         struct gd_err *err)
{
    struct gd_sq *q;
    int ret;

    q = xcalloc(1, sizeof(*q));
    q->base.ops = &gd_sq__ops;
    ret = gd_sq__conn_open(&q->own, path, do_migrate, err);
    if (ret) {
        free(q);
        return ret;
    }
    q->db = q->own.db;
    q->conn = &q->own;
    q->view_version = -1; /* nothing accounted for yet */
    ret = do_migrate ? migrate(q, err) : GD_OK;
    if (!ret) {
        ret = gd_sq__writer_get(path, &q->writer, err);
    }
    if (ret) {
        gd_sq__conn_close(&q->own);
        free(q);
        return ret;
    }
    *out = &q->base;
    return GD_OK;
}

const struct gd_store_ops gd_sq__ops = {
    .backend = "sqlite",
    .close = sq_close,
    .migrate = sq_migrate,
    .relax_durability = sq_relax_durability,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .shop_insert = gd_sq__shop_insert,
    .shop_get = gd_sq__shop_get,
    .shop_get_by_name = gd_sq__shop_get_by_name,
    .shops_list = gd_sq__shops_list,
    .shop_set_aftersales = gd_sq__shop_set_aftersales,
    .user_insert = gd_sq__user_insert,
    .user_get = gd_sq__user_get,
    .user_get_by_username = gd_sq__user_get_by_username,
    .users_list = gd_sq__users_list,
    .shop_update = gd_sq__shop_update,
    .user_update = gd_sq__user_update,
    .user_credentials_revoke = gd_sq__user_credentials_revoke,
    .audit_insert = gd_sq__audit_insert,
    .audit_list = gd_sq__audit_list,
    .session_insert = gd_sq__session_insert,
    .session_get = gd_sq__session_get,
    .session_delete = gd_sq__session_delete,
    .token_insert = gd_sq__token_insert,
    .token_get = gd_sq__token_get,
    .login_attempt_reserve = gd_sq__login_attempt_reserve,
    .login_attempt_release = gd_sq__login_attempt_release,
    .login_attempt_forget = gd_sq__login_attempt_forget,
    .login_attempts_prune = gd_sq__login_attempts_prune,
    .orders_upsert = gd_sq__orders_upsert,
    .order_get = gd_sq__order_get,
    .orders_search = gd_sq__orders_search,
    .orders_of_buyer = gd_sq__orders_of_buyer,
    .workorder_next_number = gd_sq__workorder_next_number,
    .workorder_insert = gd_sq__workorder_insert,
    .workorder_get = gd_sq__workorder_get,
    .workorders_get_many = gd_sq__workorders_get_many,
    .workorders_get_brief = gd_sq__workorders_get_brief,
    .workorder_update = gd_sq__workorder_update,
    .workorders_list = gd_sq__workorders_list,
    .workorders_list_keys = gd_sq__workorders_list_keys,
    .users_names = gd_sq__users_names,
    .workorders_by_order = gd_sq__workorders_by_order,
    .search_set = gd_sq__search_set,
    .search_append = gd_sq__search_append,
    .event_append = gd_sq__event_append,
    .events_append_many = gd_sq__events_append_many,
    .events_list = gd_sq__events_list,
    .counter_add = gd_sq__counter_add,
    .counter_get = gd_sq__counter_get,
    .idem_get = gd_sq__idem_get,
    .idem_put = gd_sq__idem_put,
    .deadline_insert = gd_sq__deadline_insert,
    .deadline_cancel = gd_sq__deadline_cancel,
    .deadline_take = gd_sq__deadline_take,
    .deadline_next_due = gd_sq__deadline_next_due,
    .deadlines_take = gd_sq__deadlines_take,
    .workorder_mark_overdue = gd_sq__workorder_mark_overdue,
    .workorders_mark_overdue_many = gd_sq__workorders_mark_overdue_many,
    .generation = gd_sq__generation,
    .shop_generation = gd_sq__shop_generation,
    .ops_gauges = gd_sq__ops_gauges,
    .rules_insert = gd_sq__rules_insert,
    .rules_get = gd_sq__rules_get,
    .collab_insert = gd_sq__collab_insert,
    .collab_get = gd_sq__collab_get,
    .collab_update = gd_sq__collab_update,
    .attachment_insert = gd_sq__attachment_insert,
    .attachment_get = gd_sq__attachment_get,
    .attachment_link = gd_sq__attachment_link,
    .attachments_list = gd_sq__attachments_list,
    /* reports */
    .stats_contrib_get = gd_sq__stats_contrib_get,
    .stats_contrib_put = gd_sq__stats_contrib_put,
    .stats_contribs_get = gd_sq__stats_contribs_get,
    .stats_contribs_put = gd_sq__stats_contribs_put,
    .stats_rollup_get = gd_sq__stats_rollup_get,
    .stats_rollup_put = gd_sq__stats_rollup_put,
    .stats_rollup_add = gd_sq__stats_rollup_add,
    .stats_rollup_list = gd_sq__stats_rollup_list,
    .stats_months_list = gd_sq__stats_months_list,
    .stats_type_days_list = gd_sq__stats_type_days_list,
    .stats_summaries_refresh = gd_sq__stats_summaries_refresh,
    .stats_orders_add = gd_sq__stats_orders_add,
    .stats_orders_sum = gd_sq__stats_orders_sum,
    .stats_reset = gd_sq__stats_reset,
    .export_rows = gd_sq__export_rows,
    .export_count = gd_sq__export_count,
    .export_insert = gd_sq__export_insert,
    .export_get = gd_sq__export_get,
    .export_update = gd_sq__export_update,
    .export_claim = gd_sq__export_claim,
    .export_lease = gd_sq__export_lease,
    .exports_requeue = gd_sq__exports_requeue,
    .blob_put = gd_sq__blob_put,
    .blob_put_file = gd_sq__blob_put_file,
    .blob_size = gd_sq__blob_size,
    .blob_read = gd_sq__blob_read,
    .blob_delete = gd_sq__blob_delete,
    .webhook_insert = gd_sq__webhook_insert,
    .webhooks_list = gd_sq__webhooks_list,
    .webhook_delete = gd_sq__webhook_delete,
    .webhooks_due = gd_sq__webhooks_due,
    .webhook_attempted = gd_sq__webhook_attempted,
    .webhook_skip = gd_sq__webhook_skip,
    .outbox_add = gd_sq__outbox_add,
    .outbox_add_many = gd_sq__outbox_add_many,
    .outbox_list = gd_sq__outbox_list,
    .outbox_trim = gd_sq__outbox_trim,
    .quickreplies_list = gd_sq__quickreplies_list,
    .quickreplies_count = gd_sq__quickreplies_count,
    .quickreply_get = gd_sq__quickreply_get,
    .quickreply_insert = gd_sq__quickreply_insert,
    .quickreply_update = gd_sq__quickreply_update,
    .quickreply_delete = gd_sq__quickreply_delete,
    .notification_insert = gd_sq__notification_insert,
    .notifications_insert_many = gd_sq__notifications_insert_many,
    .notifications_list = gd_sq__notifications_list,
    .notifications_unread = gd_sq__notifications_unread,
    .notifications_mark_read = gd_sq__notifications_mark_read,
    .notify_prefs_get = gd_sq__notify_prefs_get,
    .notify_prefs_set = gd_sq__notify_prefs_set,
    .savedfilters_list = gd_sq__savedfilters_list,
    .savedfilters_count = gd_sq__savedfilters_count,
    .savedfilter_get = gd_sq__savedfilter_get,
    .savedfilter_insert = gd_sq__savedfilter_insert,
    .savedfilter_update = gd_sq__savedfilter_update,
    .savedfilter_delete = gd_sq__savedfilter_delete,
    .workorders_count = gd_sq__workorders_count,
    .panel_get = gd_sq__panel_get,
    .panel_put = gd_sq__panel_put,
    .panel_link_use = gd_sq__panel_link_use,
    .targets_get = gd_sq__targets_get,
    .targets_put = gd_sq__targets_put,
    .wo_target_get = gd_sq__wo_target_get,
    .wo_target_put = gd_sq__wo_target_put,
    .target_stats = gd_sq__target_stats,
    .wo_types_list = gd_sq__wo_types_list,
    .wo_type_get = gd_sq__wo_type_get,
    .wo_type_insert = gd_sq__wo_type_insert,
    .wo_type_update = gd_sq__wo_type_update,
    .wo_fields_list = gd_sq__wo_fields_list,
    .wo_field_insert = gd_sq__wo_field_insert,
    .wo_field_update = gd_sq__wo_field_update,
    .wo_field_values_set = gd_sq__wo_field_values_set,
    .assign_rules_list = gd_sq__assign_rules_list,
    .assign_rule_get = gd_sq__assign_rule_get,
    .assign_rule_put = gd_sq__assign_rule_put,
    .assign_rule_delete = gd_sq__assign_rule_delete,
    .assign_rule_cursor = gd_sq__assign_rule_cursor,
    .agent_statuses_list = gd_sq__agent_statuses_list,
    .agent_status_put = gd_sq__agent_status_put,
    .agent_presence_touch = gd_sq__agent_presence_touch,
    .agent_presence_drop = gd_sq__agent_presence_drop,
    /* storage hardening */
    .statements_prepared = sq_statements_prepared,
    .sessions_expire = gd_sq__sessions_expire,
    .idem_expire = gd_sq__idem_expire,
    .timers_expire = gd_sq__timers_expire,
    .attachments_unlinked = gd_sq__attachments_unlinked,
    .attachment_delete_unlinked = gd_sq__attachment_delete_unlinked,
    .exports_finished = gd_sq__exports_finished,
    /* bulk copy (gongdan migrate) */
    .snapshot_begin = gd_sq__snapshot_begin,
    .snapshot_end = gd_sq__snapshot_end,
    .bulk_count = gd_sq__bulk_count,
    .bulk_dump = gd_sq__bulk_dump,
    .bulk_load = gd_sq__bulk_load,
    .bulk_start = gd_sq__bulk_start,
    .bulk_finish = gd_sq__bulk_finish,
    .bulk_uncovered = gd_sq__bulk_uncovered,
    .node_slot_claim = gd_sq__node_slot_claim,
    .change_notify = gd_sq__change_notify,
    .revoked_notify = gd_sq__revoked_notify,
    .import_lock = gd_sq__import_lock,
    .import_unlock = gd_sq__import_unlock,
    .webhook_lease = gd_sq__webhook_lease,
    .webhook_leases_release = gd_sq__webhook_leases_release,
    .changes_wait = gd_sq__changes_wait,
};
