/* The PostgreSQL backend: numbered migrations recorded in the database, transactions, the
 * per-connection prepared statements, and the generation number (the connection itself, and
 * what a broken one means for the caller, are conn.c's).
 *
 * Transactions (begin/commit) are serialised per shop (store.h): begin(shop) takes the
 * platform-wide advisory lock (PLATFORM_LOCK) shared and the shop's own advisory lock
 * exclusively; begin(0), a platform-wide transaction, takes PLATFORM_LOCK exclusively, so it
 * runs alone. COMMIT or ROLLBACK releases them. The transaction runs at READ COMMITTED, so every
 * statement after the locks sees every transaction committed before it: a read then a write of
 * the shop's own rows is safe, as under SQLite's one writer. Shops write side by side; the rows
 * they share (the platform's counters, idempotency records of platform staff) change only by
 * single statements that apply a delta (row locks order them), and two transactions that take
 * such row locks in opposite orders make a deadlock, which PostgreSQL breaks: GD_ERETRY.
 * Why not SERIALIZABLE alone: every pair of concurrent requests of one shop (they read the same
 * counters and work orders) would fail and run again; the shop lock makes them wait instead.
 * Statements outside begin/commit run concurrently, each committing on its own. A deadlock, a
 * serialization failure or a lost connection before COMMIT is GD_ERETRY ("run the whole unit
 * of work again"); a connection lost during COMMIT is resolved by conn.c.
 * Durability: synchronous_commit stays on (the server's fsync is on), so an acknowledged commit
 * survives power loss; relax_durability turns it off for that handle's connection. */
#include <stdatomic.h>
#include <time.h>
#include "base/log.h"
#include "base/xalloc.h"
#include "store/backends.h"
#include "store/migrations.h"
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

/* The advisory lock keys: the platform-wide one (one bigint key, "gd" 1), and the class of
 * the shops' own (two int4 keys: "gd" 2 and the shop id folded to 32 bits; two shops folding
 * to the same key only wait for each other). */
#define PLATFORM_LOCK "1734606849"
#define SHOP_LOCK_CLASS "1734606850"

/* For operators (ops_gauges): commits and their time, begins (waits for the writer lock) and
 * their time. */
static _Atomic int64_t commits, commit_us, begins, begin_us;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void gd_pg__tx_stats(struct gd_ops_gauges *out)
{
    out->commits = atomic_load(&commits);
    out->commit_seconds = (double)atomic_load(&commit_us) / 1e6;
    out->write_waits = atomic_load(&begins);
    out->write_wait_seconds = (double)atomic_load(&begin_us) / 1e6;
}

static uint64_t hash_bytes(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

static _Atomic long evicted;

long gd_pg_statements_evicted(void) { return atomic_load(&evicted); }

static void stmt_free(struct gd_pg_stmt *st)
{
    if (st) {
        PQclear(st->res);
        free((char *)st->sql);
        free(st);
    }
}

static void forget_statements(struct gd_pg *p)
{
    for (int i = 0; i < PG_CACHE; i++) {
        stmt_free(p->cache[i]);
        p->cache[i] = NULL;
    }
    for (int i = 0; i < PG_OVERFLOW; i++) {
        stmt_free(p->overflow[i]);
        p->overflow[i] = NULL;
    }
}

static int pg_statements_prepared(struct gd_store *s, int *out)
{
    int n = 0;
    for (int i = 0; i < PG_CACHE; i++) {
        n += PG(s)->cache[i] != NULL;
    }
    for (int i = 0; i < PG_OVERFLOW; i++) {
        n += PG(s)->overflow[i] != NULL;
    }
    *out = n;
    return GD_OK;
}

static bool retryable(struct gd_pg *p, const char *state);

/* Prepares st on the current connection. False on an error in the statement itself (logged,
 * in err); a connection that broke meanwhile leaves st unprepared, for step to report. */
static bool prepare(struct gd_pg_stmt *st, struct gd_err *err)
{
    struct gd_pg *p = st->p;
    PGresult *r = PQprepare(p->conn, st->name, st->sql, 0, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (ok) {
        st->gen = p->gen;
    } else if (PQstatus(p->conn) == CONNECTION_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        gd_log(GD_LOG_ERROR, "cannot prepare statement: %s sql=%.120s", PQresultErrorMessage(r),
               st->sql);
        bool retry = retryable(p, state);
        gd_err_set(err, retry ? GD_ERETRY : GD_EDB,
                   retry ? "the database asks to try again" : "database error");
        PQclear(r);
        return false;
    }
    PQclear(r);
    return true;
}

/* A cached statement, ready to bind (prepared again when its connection was replaced). */
static struct gd_pg_stmt *reuse(struct gd_pg_stmt *st, bool up, struct gd_err *err)
{
    PQclear(st->res);
    st->res = NULL;
    st->ran = false;
    st->nparams = 0;
    st->overflow = false;
    if (st->gen != st->p->gen && up && !prepare(st, err)) {
        return NULL;
    }
    return st;
}

struct gd_pg_stmt *gd_pg__prep(struct gd_pg *p, const char *sql, struct gd_err *err)
{
    uint64_t h = hash_bytes(sql, 14695981039346656037ull);
    int slot = -1;

    /* a broken connection is opened again between transactions; when it cannot be, the
     * statement is returned unprepared and running it fails as the connection did (so every
     * operation reports GD_EUNAVAIL or GD_ERETRY the way it reports a failed statement) */
    bool up = p->in_tx ? PQstatus(p->conn) == CONNECTION_OK : gd_pg__connected(p);
    for (int i = 0; i < PG_CACHE; i++) {
        int j = (int)((h + (uint64_t)i) % PG_CACHE);
        struct gd_pg_stmt *st = p->cache[j];
        if (!st) {
            slot = j;
            break;
        }
        if (strcmp(st->sql, sql) == 0) {
            return reuse(st, up, err);
        }
    }
    for (int i = 0; slot < 0 && i < PG_OVERFLOW; i++) {
        struct gd_pg_stmt *st = p->overflow[i];
        if (st && strcmp(st->sql, sql) == 0) {
            return reuse(st, up, err);
        }
    }
    struct gd_pg_stmt *st = xcalloc(1, sizeof(*st));
    st->p = p;
    if (slot >= 0) {
        snprintf(st->name, sizeof(st->name), "g%d", ++p->nprepared);
    } else {
        /* the cache is full: the oldest overflow statement makes room (its name is reused) */
        int k = p->next_overflow;
        p->next_overflow = (k + 1) % PG_OVERFLOW;
        if (p->overflow[k] && p->overflow[k]->gen == p->gen && up) {
            char dealloc[64];
            snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", p->overflow[k]->name);
            PQclear(PQexec(p->conn, dealloc));
        }
        if (p->overflow[k]) {
            stmt_free(p->overflow[k]);
            p->overflow[k] = NULL;
            atomic_fetch_add(&evicted, 1);
        }
        snprintf(st->name, sizeof(st->name), "o%d", k);
    }
    st->sql = xstrdup(sql);
    st->gen = p->gen - 1; /* not prepared yet */
    if (up && !prepare(st, err)) {
        stmt_free(st);
        return NULL;
    }
    if (slot >= 0) {
        p->cache[slot] = st;
    } else {
        p->overflow[(p->next_overflow + PG_OVERFLOW - 1) % PG_OVERFLOW] = st;
    }
    return st;
}

static void bind_at(struct gd_pg_stmt *st, int n, const char *v, int len, int fmt)
{
    if (n < 1 || n > PG_MAXP) {
        st->overflow = true;
        return;
    }
    for (int i = st->nparams; i < n - 1; i++) {
        st->vals[i] = NULL;
        st->fmts[i] = 0;
        st->lens[i] = 0;
    }
    st->vals[n - 1] = v;
    st->lens[n - 1] = len;
    st->fmts[n - 1] = fmt;
    if (n > st->nparams) {
        st->nparams = n;
    }
}

void gd_pg__bind_i64(struct gd_pg_stmt *st, int n, int64_t v)
{
    if (n < 1 || n > PG_MAXP) {
        st->overflow = true;
        return;
    }
    snprintf(st->nums[n - 1], sizeof(st->nums[n - 1]), "%lld", (long long)v);
    bind_at(st, n, st->nums[n - 1], 0, 0);
}

void gd_pg__bind_i64_nz(struct gd_pg_stmt *st, int n, int64_t v)
{
    if (v) {
        gd_pg__bind_i64(st, n, v);
    } else {
        bind_at(st, n, NULL, 0, 0);
    }
}

void gd_pg__bind_text(struct gd_pg_stmt *st, int n, const char *v) { bind_at(st, n, v, 0, 0); }

void gd_pg__bind_blob(struct gd_pg_stmt *st, int n, const void *v, size_t len)
{
    bind_at(st, n, v ? v : "", (int)len, 1);
}

int gd_pg__step(struct gd_pg_stmt *st)
{
    if (!st->ran) {
        st->ran = true;
        if (st->overflow) {
            gd_log(GD_LOG_ERROR, "more than %d parameters bound: sql=%.120s", PG_MAXP, st->sql);
            return PG_ERROR; /* res stays NULL: reported as a database error */
        }
        if (st->gen != st->p->gen) {
            return PG_ERROR; /* not prepared: the connection is down (map_error says so) */
        }
        st->res = PQexecPrepared(st->p->conn, st->name, st->nparams, st->vals, st->lens, st->fmts,
                                 st->binary);
        ExecStatusType s = PQresultStatus(st->res);
        if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
            return PG_ERROR;
        }
        st->row = -1;
        st->nrows = PQntuples(st->res);
    }
    if (PQresultStatus(st->res) != PGRES_TUPLES_OK && PQresultStatus(st->res) != PGRES_COMMAND_OK) {
        return PG_ERROR;
    }
    return ++st->row < st->nrows ? PG_ROW : PG_DONE;
}

void gd_pg__done(struct gd_pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->ran = false;
}

int64_t gd_pg__changes(struct gd_pg_stmt *st)
{
    const char *n = st->res ? PQcmdTuples(st->res) : "";
    return *n ? strtoll(n, NULL, 10) : 0;
}

bool gd_pg__col_null(struct gd_pg_stmt *st, int col) { return PQgetisnull(st->res, st->row, col); }

const char *gd_pg__col_text(struct gd_pg_stmt *st, int col)
{
    return PQgetisnull(st->res, st->row, col) ? NULL : PQgetvalue(st->res, st->row, col);
}

const char *gd_pg__col_str(struct gd_arena *a, struct gd_pg_stmt *st, int col)
{
    if (PQgetisnull(st->res, st->row, col)) {
        return NULL;
    }
    return gd_arena_strndup(a, PQgetvalue(st->res, st->row, col),
                            (size_t)PQgetlength(st->res, st->row, col));
}

int64_t gd_pg__col_i64(struct gd_pg_stmt *st, int col)
{
    if (PQgetisnull(st->res, st->row, col)) {
        return 0;
    }
    const char *v = PQgetvalue(st->res, st->row, col);
    if (v[0] == 't' && v[1] == 0) {
        return 1; /* boolean */
    }
    if (v[0] == 'f' && v[1] == 0) {
        return 0;
    }
    return strtoll(v, NULL, 10);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

const unsigned char *gd_pg__col_blob(struct gd_arena *a, struct gd_pg_stmt *st, int col,
                                     size_t *len)
{
    const char *v = gd_pg__col_text(st, col);
    /* bytea in text format is \x followed by hex digits (bytea_output = hex, set at connect) */
    if (!v || v[0] != '\\' || v[1] != 'x' || !v[2]) {
        *len = 0;
        return NULL;
    }
    size_t n = strlen(v + 2) / 2;
    unsigned char *b = gd_arena_alloc(a, n);
    for (size_t i = 0; i < n; i++) {
        b[i] = (unsigned char)(hexval(v[2 + 2 * i]) << 4 | hexval(v[3 + 2 * i]));
    }
    *len = n;
    return b;
}

/* A serialization failure, a deadlock, or a connection that broke: nothing was written, and
 * the same work may succeed when run again. */
static bool retryable(struct gd_pg *p, const char *state)
{
    if (PQstatus(p->conn) != CONNECTION_OK) {
        return true;
    }
    return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                     (strncmp(state, "08", 2) == 0 && strcmp(state, "08P01") != 0));
}

static int map_error(struct gd_pg *p, PGresult *r, struct gd_err *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(p->conn);

    if (state && strcmp(state, "23505") == 0) {
        return gd_err_set(err, GD_ECONFLICT, "already exists");
    }
    if (state && strcmp(state, "23503") == 0) {
        return gd_err_set(err, GD_EINVAL, "refers to something that does not exist");
    }
    if (state && strcmp(state, "22021") == 0) {
        /* SQLite keeps any bytes; PostgreSQL text holds UTF-8 only, so no stored row can match
         * such text and none can be written with it */
        return gd_err_set(err, GD_EINVAL, "text is not valid UTF-8");
    }
    if (PQstatus(p->conn) != CONNECTION_OK && !p->in_tx) {
        return gd_pg__unreachable(p, err); /* no connection, or it broke: see conn.c */
    }
    gd_log(GD_LOG_ERROR, "database error: %s code=%s", msg && *msg ? msg : "?",
           state ? state : "none");
    if (retryable(p, state)) {
        return gd_err_set(err, GD_ERETRY, "the database asks to run the work again");
    }
    return gd_err_set(err, GD_EDB, "database error");
}

int gd_pg__fail(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_err *err)
{
    int ret = map_error(p, st ? st->res : NULL, err);
    if (st) {
        gd_pg__done(st);
    }
    return ret;
}

int gd_pg__fail_result(struct gd_pg *p, PGresult *r, struct gd_err *err)
{
    return map_error(p, r, err);
}

int gd_pg__exec_stmt(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_err *err)
{
    if (gd_pg__step(st) == PG_ERROR) {
        return gd_pg__fail(p, st, err);
    }
    /* keep the result: the caller may ask for changes(); the next prep clears it */
    return GD_OK;
}

void gd_pg__array_text(struct gd_strbuf *out, const char *v)
{
    gd_strbuf_adds(out, out->len > 1 ? ",\"" : "\"");
    for (const char *c = v; *c; c++) {
        if (*c == '"' || *c == '\\') {
            gd_strbuf_addch(out, '\\');
        }
        gd_strbuf_addch(out, *c);
    }
    gd_strbuf_addch(out, '"');
}

void gd_pg__array_i64(struct gd_strbuf *out, int64_t v)
{
    if (out->len > 1) {
        gd_strbuf_addch(out, ',');
    }
    gd_strbuf_add_i64(out, v);
}

void gd_pg__cols_open(struct gd_pg_cols *c, int n)
{
    c->n = n;
    for (int k = 0; k < n; k++) {
        c->col[k] = (struct gd_strbuf)GD_STRBUF_INIT;
        gd_strbuf_addch(&c->col[k], '{');
    }
}

int gd_pg__cols_run(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_pg_cols *c,
                    struct gd_err *err)
{
    for (int k = 0; k < c->n; k++) {
        gd_strbuf_addch(&c->col[k], '}');
        gd_pg__bind_text(st, k + 1, c->col[k].buf); /* by reference: they live until it ran */
    }
    int ret = gd_pg__exec_stmt(p, st, err);
    for (int k = 0; k < c->n; k++) {
        gd_strbuf_release(&c->col[k]);
    }
    return ret;
}

int gd_pg__exec(struct gd_pg *p, const char *sql, struct gd_err *err)
{
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int ret = GD_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        ret = map_error(p, r, err);
    }
    PQclear(r);
    return ret;
}

int gd_pg__rows(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_arena *a, size_t size,
                gd_pg_read_fn read, void **out, int *count, struct gd_err *err)
{
    char *arr = NULL;
    int n = 0, cap = 0, rc;

    while ((rc = gd_pg__step(st)) == PG_ROW) {
        arr = gd_pg__grow(a, arr, n, &cap, size);
        read(st, a, arr + (size_t)n++ * size);
    }
    if (rc != PG_DONE) {
        return gd_pg__fail(p, st, err);
    }
    gd_pg__done(st);
    *out = arr;
    *count = n;
    return GD_OK;
}

void gd_pg__read_i64(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = col_i64(st, 0);
}

int gd_pg__row(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_arena *a, gd_pg_read_fn read,
               void *out, struct gd_err *err)
{
    int rc = gd_pg__step(st);

    if (rc == PG_ROW) {
        read(st, a, out);
    } else if (rc != PG_DONE) {
        return gd_pg__fail(p, st, err);
    }
    gd_pg__done(st);
    return rc == PG_ROW ? GD_OK : GD_ENOTFOUND;
}

void *gd_pg__grow(struct gd_arena *a, void *arr, int count, int *cap, size_t size)
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

static int pg_begin(struct gd_store *s, int64_t shop_id, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    int64_t t0 = mono_us();
    if (!gd_pg__connected(p)) {
        return gd_pg__unreachable(p, err);
    }
    int ret = gd_pg__exec(p, "BEGIN ISOLATION LEVEL READ COMMITTED", err);
    if (ret) {
        return ret;
    }
    /* the locks: held until COMMIT or ROLLBACK (the wait is what ops_gauges reports) */
    char sql[160];
    if (shop_id) {
        snprintf(sql, sizeof(sql),
                 "SELECT pg_advisory_xact_lock_shared(" PLATFORM_LOCK "), "
                 "pg_advisory_xact_lock(" SHOP_LOCK_CLASS ", %d)",
                 (int)(uint32_t)((uint64_t)shop_id ^ ((uint64_t)shop_id >> 32)));
    } else {
        snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(" PLATFORM_LOCK ")");
    }
    if ((ret = gd_pg__exec(p, sql, err))) {
        gd_pg__exec(p, "ROLLBACK", NULL);
        return ret;
    }
    atomic_fetch_add(&begins, 1);
    atomic_fetch_add(&begin_us, mono_us() - t0);
    p->in_tx = true;
    gd_hook_cache_clear(&p->hooks);
    gd_strbuf_reset(&p->notices);
    return GD_OK;
}

static int pg_commit(struct gd_store *s, struct gd_err *err)
{
    struct gd_pg *p = PG(s);
    int64_t t0 = mono_us();
    if (!p->in_tx) {
        return GD_OK;
    }
    p->in_tx = false;
    gd_hook_cache_clear(&p->hooks);
    /* The transaction's id, assigned by its first write (so a read-only transaction spends none
     * and leaves the generation alone), asked for before the COMMIT: after a lost answer it
     * tells whether the COMMIT happened (gd_pg__commit_outcome). A connection lost before
     * the COMMIT was sent means it did not. */
    PGresult *r = gd_pg__xid_and_notices(p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int ret =
            PQstatus(p->conn) == CONNECTION_OK
                ? map_error(p, r, err)
                : gd_err_set(err, GD_ERETRY, "the database connection broke before the commit");
        PQclear(r);
        if (PQstatus(p->conn) == CONNECTION_OK) {
            gd_pg__exec(p, "ROLLBACK", NULL); /* a failed transaction: the SELECT failed too */
            gd_log(GD_LOG_ERROR, "COMMIT of a failed transaction rolled back");
        }
        return ret;
    }
    snprintf(p->xid, sizeof(p->xid), "%s", PQgetvalue(r, 0, 0)); /* "" when it wrote nothing */
    PQclear(r);
    r = PQexec(p->conn, "COMMIT");
    ExecStatusType st = PQresultStatus(r);
    int ret = GD_OK;
    if (st != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (PQstatus(p->conn) != CONNECTION_OK || !state) {
            ret = gd_pg__commit_outcome(p, err); /* the COMMIT may or may not have happened */
        } else {
            ret = map_error(p, r, err);
        }
    } else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* a statement of the transaction failed earlier: COMMIT of an aborted transaction
         * rolls back; the caller ignored that failure */
        gd_log(GD_LOG_ERROR, "COMMIT of a failed transaction rolled back");
        ret = gd_err_set(err, GD_EDB, "database error");
    }
    PQclear(r);
    if (!ret) {
        atomic_fetch_add(&commits, 1);
        atomic_fetch_add(&commit_us, mono_us() - t0);
    }
    return ret;
}

static void pg_rollback(struct gd_store *s)
{
    struct gd_pg *p = PG(s);
    if (!p->in_tx) {
        return;
    }
    p->in_tx = false;
    gd_hook_cache_clear(&p->hooks);
    gd_strbuf_reset(&p->notices);             /* nothing of it happened: nobody is told */
    gd_strbuf_reset(&p->bulk_indexes);        /* the rollback brings back what bulk_start dropped */
    if (PQstatus(p->conn) == CONNECTION_OK) { /* a broken one took the transaction with it */
        gd_pg__exec(p, "ROLLBACK", NULL);
    }
}

/* The snapshot names which transactions have finished (all below xmin, those below xmax not in
 * the in-progress list): any commit, by any connection, changes it, and a read never does.
 * Hashed to one number; read before the data it guards, so never older than that data. */
int gd_pg__read_snapshot(struct gd_pg *p, int64_t *out)
{
    struct gd_pg_stmt *st = pg_prep(p, "SELECT pg_current_snapshot()::text", NULL);
    if (!st) {
        return GD_EDB;
    }
    if (pg_step(st) != PG_ROW) {
        pg_done(st);
        return GD_EDB;
    }
    *out = (int64_t)(hash_bytes(col_text(st, 0), 14695981039346656037ull) >> 1);
    pg_done(st);
    return GD_OK;
}

/* Through the process's fence (fence.c): one round trip serves every thread that asked while
 * the one before it was under way. */
int gd_pg__generation(struct gd_store *s, int64_t *out)
{
    return gd_pg__fenced_read(PG(s), gd_pg__read_snapshot, out);
}

/* Per shop, not yet: telling this process's commits from other nodes' in the snapshot would
 * need their transaction ids matched against it. Every shop gets the generation. */
int gd_pg__shop_generation(struct gd_store *s, int64_t shop_id, int64_t *out)
{
    (void)shop_id;
    return gd_pg__generation(s, out);
}

static void pg_close(struct gd_store *s)
{
    struct gd_pg *p = PG(s);
    pg_rollback(s);
    forget_statements(p);
    PQfinish(p->conn);
    gd_strbuf_release(&p->bulk_indexes);
    gd_strbuf_release(&p->notices);
    free(p->url);
    free(p);
}

static void pg_relax_durability(struct gd_store *s)
{
    PG(s)->relaxed = true; /* kept for a reconnect (conn.c) */
    gd_pg__exec(PG(s), "SET synchronous_commit = off", NULL);
}

/* Refuses a database that records a migration newer than this build's (store/migrations.h). */
static int refuse_newer(struct gd_pg *p, struct gd_err *err)
{
    PGresult *r = PQexec(
        p->conn, "SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1");
    int ret =
        PQresultStatus(r) != PGRES_TUPLES_OK
            ? gd_err_set(err, GD_EDB, "cannot read schema_migrations: %s", PQerrorMessage(p->conn))
        : PQntuples(r) == 0
            ? GD_OK
            : gd_migrations_refuse_newer(gd_migrations_pg, strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                                         PQgetvalue(r, 0, 1), err);
    PQclear(r);
    return ret;
}

static int migrate(struct gd_pg *p, struct gd_err *err)
{
    /* one migrator at a time across processes: a transaction-level advisory lock */
    if (gd_pg__exec(p,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY "
                    "KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                    NULL) &&
        gd_pg__exec(p, "SELECT 1 FROM schema_migrations LIMIT 0", err)) {
        return GD_EDB; /* a concurrent creator may have won the race; only then is it fine */
    }
    if (refuse_newer(p, err)) {
        return GD_EDB;
    }
    for (const struct gd_migration *m = gd_migrations_pg; m->version; m++) {
        if (gd_pg__exec(p, "BEGIN", err) ||
            gd_pg__exec(p, "SELECT pg_advisory_xact_lock(7263001)", err)) {
            gd_pg__exec(p, "ROLLBACK", NULL);
            return GD_EDB;
        }
        char q[160];
        snprintf(q, sizeof(q), "SELECT 1 FROM schema_migrations WHERE version = %d", m->version);
        PGresult *r = PQexec(p->conn, q);
        bool have = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
        PQclear(r);
        if (have) {
            gd_pg__exec(p, "COMMIT", NULL);
            continue;
        }
        char rec[256];
        snprintf(rec, sizeof(rec),
                 "INSERT INTO schema_migrations VALUES (%d, '%s', "
                 "(extract(epoch from clock_timestamp()) * 1000)::bigint)",
                 m->version, m->name);
        if (gd_pg__exec(p, m->sql, err) || gd_pg__exec(p, rec, err)) {
            gd_pg__exec(p, "ROLLBACK", NULL);
            return gd_err_set(err, GD_EDB, "migration %s failed", m->name);
        }
        if (gd_pg__exec(p, "COMMIT", err)) {
            return GD_EDB;
        }
        gd_log(GD_LOG_INFO, "applied migration version=%d name=%s", m->version, m->name);
    }
    return GD_OK;
}

static int pg_migrate(struct gd_store *s, struct gd_err *err) { return migrate(PG(s), err); }

int gd_pg_store_open(const char *url, bool do_migrate, struct gd_store **out, struct gd_err *err)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        gd_err_field(err, GD_EINVAL, "db", "malformed PostgreSQL url '%s': %s", url,
                     perr ? perr : "out of memory");
        /* libpq's message ends with a newline */
        if (err) {
            size_t n = strlen(err->msg);
            while (n && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' ')) {
                err->msg[--n] = 0;
            }
        }
        PQfreemem(perr);
        return GD_EINVAL;
    }
    /* libpq checks a port only when it connects; say it here, by name */
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "port") == 0 && o->val &&
            o->val[strspn(o->val, "0123456789,")] != '\0') {
            gd_err_field(err, GD_EINVAL, "db",
                         "malformed PostgreSQL url '%s': the port '%s' is "
                         "not a number",
                         url, o->val);
            PQconninfoFree(opts);
            return GD_EINVAL;
        }
    }
    PQconninfoFree(opts);

    struct gd_pg *p = xcalloc(1, sizeof(*p));
    p->base.ops = &gd_pg__ops;
    p->bulk_indexes = (struct gd_strbuf)GD_STRBUF_INIT;
    p->notices = (struct gd_strbuf)GD_STRBUF_INIT;
    p->url = xstrdup(url);
    p->conn = gd_pg__connect(url);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(p->conn));
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
            msg[--n] = 0;
        }
        gd_err_field(err, GD_EIO, "db", "cannot connect to '%s': %s", url, msg);
        PQfinish(p->conn);
        free(p->url);
        free(p);
        return GD_EIO;
    }
    int ret = gd_pg__session_setup(p, err);
    if (!ret && do_migrate) {
        ret = migrate(p, err);
    }
    if (ret) {
        PQfinish(p->conn);
        free(p->url);
        free(p);
        return ret;
    }
    *out = &p->base;
    return GD_OK;
}

#define OP(name) .name = gd_pg__##name

const struct gd_store_ops gd_pg__ops = {
    .backend = "postgresql",
    .close = pg_close,
    .migrate = pg_migrate,
    .relax_durability = pg_relax_durability,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .statements_prepared = pg_statements_prepared,
#include "store/pg/ops_list.h"
};
