/* Per-shop generations (the store's shop_generation): a view of one shop may be served again
 * across other shops' writes, and never across a write of its own shop or one nobody can
 * attribute.
 *
 * Every write transaction of this process goes through its writer (writer.c), which knows the
 * shop each one began with (begin(shop_id); the contract keeps a unit to that shop's rows and
 * to rows only changed by deltas, which no view shows). A unit is "in flight" in its shop's slot
 * from its begin until its group has committed, and then, if it changed any row, bumps the
 * slot's epoch: a reader that saw nothing in flight, and later the same epoch, saw no commit of
 * that shop in between. begin(0), platform-wide, counts in the platform slot, part of every
 * shop's number; every unit counts in "any", the number of the platform's own views. (The
 * deadline thread runs a platform-wide unit on every wake-up, mostly changing nothing.)
 *
 * Everything else that commits (another process such as the CLI, a handle writing outside a
 * transaction) is "foreign" and moves every number. It is seen through PRAGMA data_version,
 * which only says "something committed" and not how often: of a connection of its own (the
 * watch), which sees every commit, and of the writer's connection, which sees every commit but
 * the writer's. While the writer COMMITs, a change the watch sees may be that commit or another,
 * so a reader then keeps nothing; right after COMMIT the writer takes the watch's value as
 * accounted for, and a change its own connection saw since just before the COMMIT is foreign.
 *
 * Shops have slots of their own (up to GD_SQ_VIEWGEN_SHOPS of them, then they share one), so a
 * write of one shop never moves another's number.
 *
 * Thread safety: the counters are atomics; the watch and what it has accounted for are under
 * `lock`, held for one PRAGMA at most. */
#include "store/sqlite/sqlite_int.h"

/* After the shops' slots: the shops that found no room share one, then begin(0), then all. */
enum { OVERFLOW = GD_SQ_VIEWGEN_SHOPS, PLATFORM, ANY };

/* The database's data_version as `st` (PRAGMA data_version, on its own connection) sees it. */
static int data_version(sqlite3_stmt *st, int64_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? GD_OK : GD_EDB;
}

static sqlite3_stmt *prepare_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int gd_sq__viewgen_init(struct gd_sq_viewgen *v, const char *path, sqlite3 *writer_db,
                        struct gd_err *err)
{
    int ret = gd_sq__conn_open(&v->watch, path, false, err);
    if (ret) {
        return ret;
    }
    pthread_mutex_init(&v->lock, NULL);
    v->watch_version = prepare_version(v->watch.db);
    v->writer_version = prepare_version(writer_db);
    if (!v->watch_version || !v->writer_version || data_version(v->watch_version, &v->watch_seen) ||
        data_version(v->writer_version, &v->writer_seen)) {
        gd_sq__viewgen_release(v);
        return gd_err_set(err, GD_EDB, "cannot read the database's data_version");
    }
    return GD_OK;
}

void gd_sq__viewgen_release(struct gd_sq_viewgen *v)
{
    sqlite3_finalize(v->watch_version);
    sqlite3_finalize(v->writer_version); /* before the writer's connection closes */
    v->watch_version = v->writer_version = NULL;
    gd_sq__conn_close(&v->watch);
    pthread_mutex_destroy(&v->lock);
}

/* The slot of shop_id: open addressing over shop ids, a slot never given back, so a search that
 * reaches an empty slot knows the shop was never written here (-1); a full table sends the shops
 * it lacks to the overflow slot. Only the writer claims (under its lock); readers look. */
static int find(struct gd_sq_viewgen *v, int64_t shop_id, bool claim)
{
    /* ids are time-ordered with a sequence in the low bits: mix them */
    uint64_t h = ((uint64_t)shop_id * 0x9E3779B97F4A7C15ull) >> 32;
    for (int n = 0; n < GD_SQ_VIEWGEN_SHOPS; n++) {
        int i = (int)((h + (uint64_t)n) % GD_SQ_VIEWGEN_SHOPS);
        int64_t k = atomic_load(&v->shop[i]);
        if (k == shop_id) {
            return i;
        }
        if (!k) {
            if (claim) {
                atomic_store(&v->shop[i], shop_id);
                return i;
            }
            return -1;
        }
    }
    return OVERFLOW;
}

int gd_sq__viewgen_slot(struct gd_sq_viewgen *v, int64_t shop_id)
{
    return shop_id ? find(v, shop_id, true) : PLATFORM;
}

/* Before the unit's writes can be seen: in flight until its group committed. */
void gd_sq__viewgen_enter(struct gd_sq_viewgen *v, int slot)
{
    atomic_fetch_add(&v->inflight[slot], 1);
    atomic_fetch_add(&v->inflight[ANY], 1);
}

/* After the group holding the unit committed (or rolled back): the epoch first, so a reader who
 * sees nothing in flight sees the new epoch. */
void gd_sq__viewgen_leave(struct gd_sq_viewgen *v, int slot, bool changed)
{
    if (changed) {
        atomic_fetch_add(&v->epoch[slot], 1);
        atomic_fetch_add(&v->epoch[ANY], 1);
    }
    atomic_fetch_sub(&v->inflight[slot], 1);
    atomic_fetch_sub(&v->inflight[ANY], 1);
}

/* Just before the writer's COMMIT. Its transaction holds the write lock, so nobody else commits
 * until it is done: what its connection has seen so far is accounted for here (a change the
 * watch shows and no reader accounted for yet is foreign), and after the COMMIT only what came
 * after it counts. */
void gd_sq__viewgen_committing(struct gd_sq_viewgen *v)
{
    int64_t watch, writer;
    pthread_mutex_lock(&v->lock);
    if (data_version(v->writer_version, &writer) == GD_OK) {
        v->writer_seen = writer;
    }
    if (data_version(v->watch_version, &watch) == GD_OK && watch != v->watch_seen) {
        atomic_fetch_add(&v->foreign, 1);
        v->watch_seen = watch;
    }
    v->committing = true;
    pthread_mutex_unlock(&v->lock);
}

/* Right after the writer's COMMIT (or its failure). The watch is read before the writer's
 * connection: a foreign commit after the COMMIT is then seen by the writer's connection, never
 * taken for the writer's own. */
void gd_sq__viewgen_committed(struct gd_sq_viewgen *v)
{
    int64_t watch, writer;
    pthread_mutex_lock(&v->lock);
    if (data_version(v->watch_version, &watch) == GD_OK) {
        v->watch_seen = watch;
    }
    if (data_version(v->writer_version, &writer)) {
        atomic_fetch_add(&v->foreign, 1); /* cannot tell: take it for foreign */
    } else if (writer != v->writer_seen) {
        atomic_fetch_add(&v->foreign, 1);
        v->writer_seen = writer;
    }
    v->committing = false;
    pthread_mutex_unlock(&v->lock);
}

bool gd_sq__viewgen_settle(struct gd_sq_viewgen *v)
{
    int64_t watch;
    bool settled = true;
    pthread_mutex_lock(&v->lock);
    if (data_version(v->watch_version, &watch)) {
        settled = false;
    } else if (watch != v->watch_seen) {
        if (v->committing) {
            settled = false; /* the writer's commit, or another's with it: the writer will know */
        } else {
            atomic_fetch_add(&v->foreign, 1);
            v->watch_seen = watch;
        }
    }
    pthread_mutex_unlock(&v->lock);
    return settled;
}

bool gd_sq__viewgen_number(struct gd_sq_viewgen *v, int64_t shop_id, int64_t *out)
{
    /* a shop's views: its slot and the platform's; the platform's views: every unit */
    int a = shop_id ? find(v, shop_id, false) : ANY, b = shop_id ? PLATFORM : ANY;
    /* in flight first, then the epochs: a unit that begins after this look moves them. A shop
     * with no slot has had no unit here yet: its first one will move its epoch from 0. */
    if ((a >= 0 && atomic_load(&v->inflight[a]) > 0) || atomic_load(&v->inflight[b]) > 0) {
        return false;
    }
    int64_t n = atomic_load(&v->foreign) + (a >= 0 ? atomic_load(&v->epoch[a]) : 0);
    *out = a == b ? n : n + atomic_load(&v->epoch[b]);
    return true;
}
