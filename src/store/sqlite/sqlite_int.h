/* Internals shared by the files of the SQLite backend. Only this folder includes <sqlite3.h>.
 *
 * Statements are cached per connection by their SQL text, written with the portable $1..$n and
 * rewritten to ?1..?n when prepared (gd_sq__prep), so a bind goes straight to its number
 * (docs/decisions.md, "Parameters"). Callers prepare with sq_prep, bind, step, and always end
 * with sqlite3_reset (sq_done) so no read transaction stays open. */
#ifndef GD_STORE_SQLITE_INT_H
#define GD_STORE_SQLITE_INT_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include "base/strbuf.h"
#include "base/worker.h"
#include "store/hook_cache.h"
#include "store/store.h"

#define SQ_CACHE 256   /* statements kept prepared per connection */
#define SQ_BUCKETS 512 /* hash buckets of the cache */
#define SQ_HINTS 128

/* One SQLite connection and its statement cache: at most SQ_CACHE statements, the least
 * recently used one finalised to make room (filters make the SQL text vary without bound). */
struct gd_sq_conn {
    sqlite3 *db;
    struct {
        const char *sql; /* owned copy; NULL = free slot */
        sqlite3_stmt *stmt;
        uint32_t hash;
        int chain;        /* next slot + 1 in its bucket */
        int newer, older; /* slot + 1 in the recency list */
    } cache[SQ_CACHE];
    int bucket[SQ_BUCKETS]; /* hash -> first slot + 1 */
    int newest, oldest;     /* slot + 1 */
    int used;               /* slots holding a statement */
    int hint[SQ_HINTS];     /* text pointer -> cache slot + 1 (0 = none), checked by content */
};

struct gd_sq_writer;

/* Per-shop generations for readers that cache by shop (viewgen.c); one per writer, so per
 * database and process. A slot per shop written (the shops beyond GD_SQ_VIEWGEN_SHOPS share
 * one, which only costs their readers refreshes), and three more: that shared one, platform-wide
 * units, every unit. */
#define GD_SQ_VIEWGEN_SHOPS 4096
struct gd_sq_viewgen {
    _Atomic int64_t shop[GD_SQ_VIEWGEN_SHOPS]; /* the shop of each slot, 0 = free */
    _Atomic int64_t epoch[GD_SQ_VIEWGEN_SHOPS + 3];
    _Atomic int inflight[GD_SQ_VIEWGEN_SHOPS + 3];
    _Atomic int64_t foreign; /* commits not made through the writer */
    pthread_mutex_t lock;    /* the watch and what follows */
    struct gd_sq_conn watch; /* a connection that only reads data_version */
    sqlite3_stmt *watch_version, *writer_version;
    int64_t watch_seen, writer_seen; /* the data_versions accounted for */
    bool committing;                 /* the writer is between COMMIT and accounting for it */
};
int gd_sq__viewgen_init(struct gd_sq_viewgen *v, const char *path, sqlite3 *writer_db,
                        struct gd_err *err);
void gd_sq__viewgen_release(struct gd_sq_viewgen *v);
/* The slot of a unit of shop_id (0: platform-wide), claimed if new; the writer's, under its lock. */
int gd_sq__viewgen_slot(struct gd_sq_viewgen *v, int64_t shop_id);
/* The writer's side: a unit of `slot` begins; its group has ended (changed: it wrote a row);
 * around each COMMIT. */
void gd_sq__viewgen_enter(struct gd_sq_viewgen *v, int slot);
void gd_sq__viewgen_leave(struct gd_sq_viewgen *v, int slot, bool changed);
void gd_sq__viewgen_committing(struct gd_sq_viewgen *v);
void gd_sq__viewgen_committed(struct gd_sq_viewgen *v);
/* A reader's side: after its connection saw a change, account for it (false: the writer is
 * committing, or the database did not answer: keep nothing now); then the number of shop_id's
 * views (false: a unit of that shop is in flight). */
bool gd_sq__viewgen_settle(struct gd_sq_viewgen *v);
bool gd_sq__viewgen_number(struct gd_sq_viewgen *v, int64_t shop_id, int64_t *out);

/* A store handle: its own connection for reads, and, inside a write transaction, the process's
 * one writer connection for its database (writer.c). `db` and `conn` are the current ones. */
struct gd_sq {
    struct gd_store base;
    sqlite3 *db;
    struct gd_sq_conn *conn;
    struct gd_sq_conn own;
    struct gd_sq_writer *writer;
    bool in_tx;
    bool savepoint;      /* this transaction joined an open group as a SAVEPOINT */
    int64_t own_commits; /* PRAGMA data_version does not count this handle's commits */
    int view_slot;       /* the viewgen slot of the transaction open on the writer */
    int64_t view_rows;   /* the writer's total_changes when that transaction began */
    /* what this connection had seen when the viewgen last accounted for it (shop_generation) */
    int64_t view_version, view_changes;
    struct gd_hook_cache hooks; /* shops with webhook endpoints, in the open transaction */
};

/* Opens a connection with the backend's settings (WAL, durability, tokenizer). */
int gd_sq__conn_open(struct gd_sq_conn *c, const char *path, bool create, struct gd_err *err);
void gd_sq__conn_close(struct gd_sq_conn *c);
int gd_sq__exec(sqlite3 *db, const char *sql, struct gd_err *err);
/* The writer's WAL checkpointed by a thread beside it (checkpoint.c). */
struct gd_sq_ckpt {
    struct gd_worker worker;
    struct gd_sq_conn conn; /* the thread's own */
    int wake_at, tail_at;   /* log sizes (pages) at which the thread is woken, the writer copies */
};
int gd_sq__ckpt_start(struct gd_sq_ckpt *c, const char *path, sqlite3 *writer_db,
                      struct gd_err *err);
void gd_sq__ckpt_stop(struct gd_sq_ckpt *c, sqlite3 *writer_db);

/* The writer of a database path, shared by every handle of this process (refcounted). */
int gd_sq__writer_get(const char *path, struct gd_sq_writer **out, struct gd_err *err);
void gd_sq__writer_put(struct gd_sq_writer *w);
/* Enters a write transaction of shop_id (0: platform-wide) on the writer (q->db becomes the
 * writer's connection). */
int gd_sq__writer_begin(struct gd_sq *q, int64_t shop_id, struct gd_err *err);
/* A piece of search text was written in the writer's open transaction (search.c). */
void gd_sq__writer_piece_added(struct gd_sq_writer *w);
/* The writer's per-shop generations. */
struct gd_sq_viewgen *gd_sq__writer_viewgen(struct gd_sq_writer *w);
/* Leaves it: commit = keep the work; returns once the group holding it is durable (or failed). */
int gd_sq__writer_end(struct gd_sq *q, bool commit, struct gd_err *err);

#define SQ(s) ((struct gd_sq *)(s))

sqlite3_stmt *gd_sq__prep(struct gd_sq *q, const char *sql, struct gd_err *err);
int gd_sq__fail(struct gd_sq *q, sqlite3_stmt *st, struct gd_err *err);
void gd_sq__bind_i64(sqlite3_stmt *st, int n, int64_t v);
void gd_sq__bind_i64_nz(sqlite3_stmt *st, int n, int64_t v);   /* 0 binds NULL */
void gd_sq__bind_text(sqlite3_stmt *st, int n, const char *v); /* NULL binds NULL */
const char *gd_sq__col_str(struct gd_arena *a, sqlite3_stmt *st, int col);
int64_t gd_sq__col_i64(sqlite3_stmt *st, int col);
/* Steps a statement that returns no rows, resets it, maps errors. */
int gd_sq__exec_stmt(struct gd_sq *q, sqlite3_stmt *st, struct gd_err *err);
int gd_sq__register_bigram(sqlite3 *db);
/* Search text indexed in batches (search.c): how many pieces a batch gathers before they are
 * moved into the index; the number waiting in a database (0 when it cannot tell). */
#define GD_SQ_SEARCH_BATCH 128
int64_t gd_sq__search_waiting(sqlite3 *db);
/* The index lives in a file of its own beside the database, path GD_SQ_SEARCH_SUFFIX, attached
 * to every connection as `search`; a thread with its own connection moves the waiting pieces
 * into it (search_mover.c). `moved` and `gone` are what its last move left for the writer to
 * forget: the waiting pieces numbered up to `moved` are in the index, the removals numbered up to
 * `gone` are done in it (0: nothing yet). */
#define GD_SQ_SEARCH_SUFFIX "-search"
struct gd_sq_mover {
    struct gd_worker worker;
    struct gd_sq_conn conn; /* the thread's own */
    _Atomic int64_t moved, gone;
    bool started; /* the marks a crash may have left have been handed to the writer */
};
int gd_sq__mover_start(struct gd_sq_mover *m, const char *path, struct gd_err *err);
/* After the migrations: a database whose index file is missing (a main file restored alone) gets
 * an empty index, and the error is logged: the text it held is not found until edited again. A
 * main file older than its index file (restored from a backup) numbers new pieces past it. */
int gd_sq__search_file_check(sqlite3 *db, struct gd_err *err);
void gd_sq__mover_stop(struct gd_sq_mover *m);
/* The writer's connection, in its open transaction: deletes the waiting pieces and removals
 * the index already holds (up to moved and gone). GD_OK, or GD_EDB with nothing deleted. */
int gd_sq__search_forget(sqlite3 *db, int64_t moved, int64_t gone);
/* The gd_hist_sum aggregate (hist_sum.c): 0, or -1 when it cannot be registered. */
int gd_sq__register_hist_sum(sqlite3 *db);
/* The first byte of a shop's search token, "\x01<shop id>" (bigram.c): SQL writes it as
 * char(1) || shop_id. */
#define GD_SQ_SHOP_TOKEN '\x01'
/* Reads every row of a stepped statement into an arena array of `size`-byte rows, each filled
 * by `read`; resets the statement. */
typedef void (*gd_sq_read_fn)(sqlite3_stmt *st, struct gd_arena *a, void *row);
int gd_sq__rows(struct gd_sq *q, sqlite3_stmt *st, struct gd_arena *a, size_t size,
                gd_sq_read_fn read, void **out, int *count, struct gd_err *err);
/* A gd_sq_read_fn of the first column as an int64_t (a count, a sum). */
void gd_sq__read_i64(sqlite3_stmt *st, struct gd_arena *a, void *row);
/* Reads the one row of a stepped statement into `out` with `read`; resets the statement.
 * GD_ENOTFOUND (err untouched: the caller says what was not found) when there is none. */
int gd_sq__row(struct gd_sq *q, sqlite3_stmt *st, struct gd_arena *a, gd_sq_read_fn read, void *out,
               struct gd_err *err);
/* Steps `st` with its $1 bound to the JSON array of the `n` key pairs [[first[i], second[i]], …]
 * (one statement looks up many keys: it reads them with json_each, k.key being a pair's index and
 * k.value ->> 0, ->> 1 its parts), handing each row to `row` with `ctx`; resets the statement. */
typedef void (*gd_sq_each_fn)(sqlite3_stmt *st, void *ctx);
int gd_sq__each_pair(struct gd_sq *q, sqlite3_stmt *st, const int64_t *first, const int64_t *second,
                     int n, gd_sq_each_fn row, void *ctx, struct gd_err *err);
/* Appends a row pointer to a growing arena array. */
void *gd_sq__grow(struct gd_arena *a, void *arr, int count, int *cap, size_t size);

#define sq_prep gd_sq__prep
#define sq_fail gd_sq__fail
#define bind_i64 gd_sq__bind_i64
#define bind_i64_nz gd_sq__bind_i64_nz
#define bind_text gd_sq__bind_text
#define col_str gd_sq__col_str
#define col_i64 gd_sq__col_i64
#define sq_exec gd_sq__exec_stmt
#define sq_done sqlite3_reset

/* Query text with numbered parameters, for the statements whose conditions vary (filter.c). */
struct gd_sq_qb {
    struct gd_strbuf sql;
    struct gd_strbuf fts;   /* the FTS5 query text, bound by reference */
    struct gd_strbuf terms; /* the same terms for the pieces not yet indexed (search.c) */
    int n;
    struct {
        bool is_text;
        int64_t i;
        const char *t;
    } p[48];
};
#define GD_SQ_QB_INIT                                      \
    {                                                      \
        GD_STRBUF_INIT, GD_STRBUF_INIT, GD_STRBUF_INIT, 0, \
        {                                                  \
            {                                              \
                0                                          \
            }                                              \
        }                                                  \
    }
int gd_sq__qb_i64(struct gd_sq_qb *b, int64_t v);
int gd_sq__qb_text(struct gd_sq_qb *b, const char *v);
/* Appends " WHERE ..." for the view and filters of `f` in shop `shop_id` (0 = platform). */
void gd_sq__qb_where(struct gd_sq_qb *b, int64_t shop_id, const struct gd_wo_filter *f);
void gd_sq__qb_bind(sqlite3_stmt *st, const struct gd_sq_qb *b);
void gd_sq__qb_release(struct gd_sq_qb *b);
/* The work order list's statement into `b`: `select` (NULL: the columns the store reads and the
 * names' joins), the view's and filters' WHERE, the cursor, the order and the limit. Shared with
 * the view's ceiling (bench/view_ceiling.c), so it measures the statement the store runs. */
void gd_sq__workorders_list_sql(struct gd_sq_qb *b, const char *select, int64_t shop_id,
                                const struct gd_wo_filter *f);

extern const struct gd_store_ops gd_sq__ops;

/* The operation implementations, one group per file. */
int gd_sq__shop_insert(struct gd_store *, const struct gd_shop *, struct gd_err *);
int gd_sq__shop_get(struct gd_store *, int64_t, struct gd_arena *, struct gd_shop *,
                    struct gd_err *);
int gd_sq__shop_get_by_name(struct gd_store *, const char *, struct gd_arena *, struct gd_shop *,
                            struct gd_err *);
int gd_sq__shops_list(struct gd_store *, struct gd_arena *, struct gd_shop **, int *,
                      struct gd_err *);
int gd_sq__shop_set_aftersales(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__user_insert(struct gd_store *, const struct gd_user *, struct gd_err *);
int gd_sq__user_get(struct gd_store *, int64_t, struct gd_arena *, struct gd_user *,
                    struct gd_err *);
int gd_sq__user_get_by_username(struct gd_store *, const char *, struct gd_arena *,
                                struct gd_user *, struct gd_err *);
int gd_sq__users_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_user **, int *,
                      struct gd_err *);
int gd_sq__shop_update(struct gd_store *, const struct gd_shop *, struct gd_err *);
int gd_sq__user_update(struct gd_store *, const struct gd_user *, struct gd_err *);
int gd_sq__user_credentials_revoke(struct gd_store *, int64_t, const char *, int *,
                                   struct gd_err *);
int gd_sq__audit_insert(struct gd_store *, const struct gd_audit_event *, struct gd_err *);
int gd_sq__audit_list(struct gd_store *, int64_t, int64_t, int, struct gd_arena *,
                      struct gd_audit_event **, int *, struct gd_err *);
int gd_sq__session_insert(struct gd_store *, const char *, int64_t, const char *, int64_t, int64_t,
                          struct gd_err *);
int gd_sq__session_get(struct gd_store *, const char *, int64_t, struct gd_arena *,
                       struct gd_user *, const char **, int64_t *, struct gd_err *);
int gd_sq__session_delete(struct gd_store *, const char *, struct gd_err *);
int gd_sq__token_insert(struct gd_store *, const char *, int64_t, int64_t, const char *, int64_t,
                        struct gd_err *);
int gd_sq__token_get(struct gd_store *, const char *, struct gd_arena *, struct gd_user *,
                     struct gd_err *);
int gd_sq__login_attempt_reserve(struct gd_store *, const char *, int64_t, int64_t, int, int64_t,
                                 bool *, int64_t *, struct gd_err *);
int gd_sq__login_attempt_release(struct gd_store *, const char *, int, struct gd_err *);
int gd_sq__login_attempt_forget(struct gd_store *, const char *, struct gd_err *);
int gd_sq__login_attempts_prune(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__orders_upsert(struct gd_store *, int64_t, const struct gd_order *, int,
                         struct gd_arena *, const char **, struct gd_err *);
int gd_sq__order_get(struct gd_store *, int64_t, const char *, struct gd_arena *, struct gd_order *,
                     struct gd_err *);
int gd_sq__orders_search(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                         struct gd_order **, int *, struct gd_err *);
int gd_sq__orders_of_buyer(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                           struct gd_order **, int *, struct gd_err *);
int gd_sq__workorder_next_number(struct gd_store *, int64_t, int64_t *, struct gd_err *);
int gd_sq__workorder_insert(struct gd_store *, const struct gd_workorder *, struct gd_err *);
int gd_sq__workorders_get_many(struct gd_store *, const int64_t *, const int64_t *, int,
                               struct gd_arena *, struct gd_workorder *, struct gd_err *);
int gd_sq__workorders_get_brief(struct gd_store *, const int64_t *, const int64_t *, int,
                                struct gd_arena *, struct gd_workorder *, struct gd_err *);
int gd_sq__workorder_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                         struct gd_workorder *, struct gd_err *);
int gd_sq__workorder_update(struct gd_store *, const struct gd_workorder *, int64_t,
                            struct gd_err *);
int gd_sq__workorders_list(struct gd_store *, int64_t, const struct gd_wo_filter *,
                           struct gd_arena *, struct gd_workorder **, int *, struct gd_err *);
int gd_sq__workorders_list_keys(struct gd_store *, int64_t, const struct gd_wo_filter *,
                                struct gd_arena *, struct gd_workorder **, int *, struct gd_err *);
int gd_sq__users_names(struct gd_store *, const int64_t *, int, struct gd_arena *, const char **,
                       struct gd_err *);
int gd_sq__workorders_by_order(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                               struct gd_workorder **, int *, struct gd_err *);
int gd_sq__search_set(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_sq__search_append(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_sq__event_append(struct gd_store *, const struct gd_event *, struct gd_err *);
int gd_sq__events_append_many(struct gd_store *, const struct gd_event *, int, struct gd_err *);
int gd_sq__events_list(struct gd_store *, int64_t, int64_t, struct gd_arena *, struct gd_event **,
                       int *, struct gd_err *);
int gd_sq__counter_add(struct gd_store *, int64_t, const char *, int, struct gd_err *);
int gd_sq__counter_get(struct gd_store *, int64_t, const char *, int64_t *, struct gd_err *);
int gd_sq__idem_get(struct gd_store *, int64_t, const char *, struct gd_arena *, int *,
                    const char **, const char **, struct gd_err *);
int gd_sq__idem_put(struct gd_store *, int64_t, const char *, const char *, int, const char *,
                    int64_t, struct gd_err *);
int gd_sq__deadline_insert(struct gd_store *, const struct gd_deadline *, struct gd_err *);
int gd_sq__deadline_cancel(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_sq__deadline_take(struct gd_store *, const struct gd_deadline *, struct gd_err *);
int gd_sq__deadline_next_due(struct gd_store *, int64_t *, struct gd_err *);
int gd_sq__deadlines_take(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_deadline **,
                          int *, struct gd_err *);
int gd_sq__workorder_mark_overdue(struct gd_store *, const struct gd_workorder *, struct gd_err *);
int gd_sq__workorders_mark_overdue_many(struct gd_store *, const struct gd_workorder *, int,
                                        struct gd_err *);
int gd_sq__generation(struct gd_store *, int64_t *);
int gd_sq__shop_generation(struct gd_store *, int64_t, int64_t *);
int gd_sq__rules_insert(struct gd_store *, const char *, int64_t, int64_t, int64_t *,
                        struct gd_err *);
int gd_sq__rules_get(struct gd_store *, int64_t, struct gd_arena *, int64_t *, const char **,
                     int64_t *, struct gd_err *);
int gd_sq__collab_insert(struct gd_store *, const struct gd_collab *, struct gd_err *);
int gd_sq__collab_get(struct gd_store *, int64_t, int64_t, struct gd_arena *, struct gd_collab *,
                      struct gd_err *);
int gd_sq__collab_update(struct gd_store *, const struct gd_collab *, struct gd_err *);
int gd_sq__attachment_insert(struct gd_store *, const struct gd_attachment *, struct gd_err *);
int gd_sq__attachment_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                          struct gd_attachment *, struct gd_err *);
int gd_sq__attachment_link(struct gd_store *, int64_t, int64_t, int64_t, int64_t, const char *,
                           struct gd_err *);
int gd_sq__attachments_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                            struct gd_attachment **, int *, struct gd_err *);

/* reports */
int gd_sq__stats_contribs_get(struct gd_store *, const int64_t *, const int64_t *, int,
                              struct gd_stats_contrib *, bool *, struct gd_err *);
int gd_sq__stats_contribs_put(struct gd_store *, const int64_t *, const int64_t *,
                              const struct gd_stats_contrib *, int, struct gd_err *);
int gd_sq__stats_contrib_get(struct gd_store *, int64_t, int64_t, struct gd_stats_contrib *,
                             struct gd_err *);
int gd_sq__stats_contrib_put(struct gd_store *, int64_t, int64_t, const struct gd_stats_contrib *,
                             struct gd_err *);
int gd_sq__stats_rollup_get(struct gd_store *, int64_t, const struct gd_stats_key *,
                            struct gd_arena *, struct gd_stats_row *, struct gd_err *);
int gd_sq__stats_rollup_put(struct gd_store *, const struct gd_stats_row *, struct gd_err *);
int gd_sq__stats_rollup_add(struct gd_store *, int64_t, const struct gd_stats_key *,
                            const struct gd_stats_counts *, int, int, int, struct gd_err *);
int gd_sq__stats_rollup_list(struct gd_store *, int64_t, int64_t, int64_t, int, int64_t,
                             struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_sq__stats_months_list(struct gd_store *, int64_t, int64_t, int64_t, int, int64_t,
                             struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_sq__stats_type_days_list(struct gd_store *, int64_t, int64_t, int64_t, int,
                                struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_sq__stats_summaries_refresh(struct gd_store *, int64_t, struct gd_err *);
int gd_sq__stats_orders_add(struct gd_store *, int64_t, int64_t, int64_t, struct gd_err *);
int gd_sq__stats_orders_sum(struct gd_store *, int64_t, int64_t, int64_t, int64_t *,
                            struct gd_err *);
int gd_sq__stats_reset(struct gd_store *, int64_t, int, struct gd_err *);
int gd_sq__export_rows(struct gd_store *, int64_t, const struct gd_wo_filter *, int64_t, int64_t,
                       int, struct gd_arena *, struct gd_export_row **, int *, struct gd_err *);
int gd_sq__export_count(struct gd_store *, int64_t, const struct gd_wo_filter *, int64_t *,
                        int64_t *, struct gd_err *);
int gd_sq__export_insert(struct gd_store *, const struct gd_export_job *, struct gd_err *);
int gd_sq__export_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                      struct gd_export_job *, struct gd_err *);
int gd_sq__export_update(struct gd_store *, const struct gd_export_job *, struct gd_err *);
void gd_sq__writer_stats(struct gd_ops_gauges *out); /* writer.c: commits, lock waits */
int gd_sq__ops_gauges(struct gd_store *, int64_t, struct gd_ops_gauges *, struct gd_err *);
int gd_sq__export_claim(struct gd_store *, int, int64_t, struct gd_arena *, struct gd_export_job *,
                        struct gd_err *);
int gd_sq__export_lease(struct gd_store *, int64_t, int, int64_t, struct gd_err *);
/* files.c */
int gd_sq__blob_put(struct gd_store *, const char *, const char *, const char *, const void *,
                    size_t, struct gd_err *);
int gd_sq__blob_put_file(struct gd_store *, const char *, const char *, const char *, const char *,
                         struct gd_err *);
int gd_sq__blob_size(struct gd_store *, const char *, const char *, const char *, int64_t *,
                     struct gd_err *);
int gd_sq__blob_read(struct gd_store *, const char *, const char *, const char *, int64_t, void *,
                     size_t, size_t *, struct gd_err *);
int gd_sq__blob_delete(struct gd_store *, const char *, const char *, const char *,
                       struct gd_err *);
int gd_sq__exports_requeue(struct gd_store *, struct gd_err *);
/* webhooks.c */
int gd_sq__webhook_insert(struct gd_store *, const struct gd_webhook *, struct gd_err *);
int gd_sq__webhooks_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_webhook **, int *,
                         struct gd_err *);
int gd_sq__webhook_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__webhooks_due(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_webhook **,
                        int *, struct gd_err *);
int gd_sq__webhook_attempted(struct gd_store *, int64_t, int64_t, const struct gd_webhook_attempt *,
                             struct gd_err *);
int gd_sq__webhook_skip(struct gd_store *, int64_t, int64_t, int, int64_t, struct gd_err *);
int gd_sq__outbox_add(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__outbox_add_many(struct gd_store *, int64_t, const int64_t *, int, struct gd_err *);
int gd_sq__outbox_list(struct gd_store *, int64_t, int64_t, int, struct gd_arena *,
                       struct gd_outbox_event **, int *, struct gd_err *);
int gd_sq__outbox_trim(struct gd_store *, struct gd_err *);
int gd_sq__quickreplies_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                             struct gd_quickreply **, int *, struct gd_err *);
int gd_sq__quickreplies_count(struct gd_store *, int64_t, int64_t, int *, struct gd_err *);
int gd_sq__quickreply_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                          struct gd_quickreply *, struct gd_err *);
int gd_sq__quickreply_insert(struct gd_store *, const struct gd_quickreply *, struct gd_err *);
int gd_sq__quickreply_update(struct gd_store *, const struct gd_quickreply *, struct gd_err *);
int gd_sq__quickreply_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__notification_insert(struct gd_store *, const struct gd_notification *, struct gd_err *);
int gd_sq__notifications_insert_many(struct gd_store *, const struct gd_notification *, int,
                                     struct gd_err *);
int gd_sq__notifications_list(struct gd_store *, int64_t, int64_t, int, bool, struct gd_arena *,
                              struct gd_notification **, int *, struct gd_err *);
int gd_sq__notifications_unread(struct gd_store *, int64_t, int64_t *, struct gd_err *);
int gd_sq__notifications_mark_read(struct gd_store *, int64_t, int64_t, int64_t, int *,
                                   struct gd_err *);
int gd_sq__notify_prefs_get(struct gd_store *, int64_t, struct gd_arena *, const char **,
                            struct gd_err *);
int gd_sq__notify_prefs_set(struct gd_store *, int64_t, const char *, int64_t, struct gd_err *);
int gd_sq__savedfilters_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                             struct gd_saved_filter **, int *, struct gd_err *);
int gd_sq__savedfilters_count(struct gd_store *, int64_t, int64_t, int *, struct gd_err *);
int gd_sq__savedfilter_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                           struct gd_saved_filter *, struct gd_err *);
int gd_sq__savedfilter_insert(struct gd_store *, const struct gd_saved_filter *, struct gd_err *);
int gd_sq__savedfilter_update(struct gd_store *, const struct gd_saved_filter *, struct gd_err *);
int gd_sq__savedfilter_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_sq__workorders_count(struct gd_store *, int64_t, const struct gd_wo_filter *, int, int64_t *,
                            struct gd_err *);
int gd_sq__panel_get(struct gd_store *, int64_t, struct gd_arena *, const char **, const char **,
                     struct gd_err *);
int gd_sq__panel_put(struct gd_store *, int64_t, const char *, const char *, int64_t,
                     struct gd_err *);
int gd_sq__panel_link_use(struct gd_store *, int64_t, const char *, int64_t, int64_t,
                          struct gd_err *);
/* targets.c */
int gd_sq__targets_get(struct gd_store *, int64_t, struct gd_target_settings *, struct gd_err *);
int gd_sq__targets_put(struct gd_store *, int64_t, const struct gd_target_settings *, int64_t,
                       struct gd_err *);
int gd_sq__wo_target_get(struct gd_store *, int64_t, int64_t, struct gd_wo_target *,
                         struct gd_err *);
int gd_sq__wo_target_put(struct gd_store *, const struct gd_wo_target *, struct gd_err *);
int gd_sq__target_stats(struct gd_store *, int64_t, int64_t, int64_t, struct gd_arena *,
                        struct gd_target_count **, int *, struct gd_err *);
int gd_sq__wo_types_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_shop_type **,
                         int *, struct gd_err *);
int gd_sq__wo_type_get(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_shop_type *,
                       struct gd_err *);
int gd_sq__wo_type_insert(struct gd_store *, struct gd_shop_type *, struct gd_err *);
int gd_sq__wo_type_update(struct gd_store *, const struct gd_shop_type *, struct gd_err *);
int gd_sq__wo_fields_list(struct gd_store *, int64_t, int, struct gd_arena *,
                          struct gd_shop_field **, int *, struct gd_err *);
int gd_sq__wo_field_insert(struct gd_store *, const struct gd_shop_field *, struct gd_err *);
int gd_sq__wo_field_update(struct gd_store *, const struct gd_shop_field *, struct gd_err *);
int gd_sq__wo_field_values_set(struct gd_store *, int64_t, int64_t, const struct gd_field_value *,
                               int, struct gd_err *);
/* assignment.c */
int gd_sq__assign_rules_list(struct gd_store *, int64_t, struct gd_arena *,
                             struct gd_assign_rule **, int *, struct gd_err *);
int gd_sq__assign_rule_get(struct gd_store *, int64_t, const char *, struct gd_arena *,
                           struct gd_assign_rule *, struct gd_err *);
int gd_sq__assign_rule_put(struct gd_store *, const struct gd_assign_rule *, struct gd_err *);
int gd_sq__assign_rule_delete(struct gd_store *, int64_t, const char *, struct gd_err *);
int gd_sq__assign_rule_cursor(struct gd_store *, int64_t, const char *, int64_t, struct gd_err *);
int gd_sq__agent_statuses_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                               struct gd_agent_status **, int *, struct gd_err *);
int gd_sq__agent_status_put(struct gd_store *, const struct gd_agent_status *, struct gd_err *);
int gd_sq__agent_presence_touch(struct gd_store *, int64_t, int, int64_t, struct gd_err *);
int gd_sq__agent_presence_drop(struct gd_store *, int64_t, int, struct gd_err *);
/* retention.c (and exports_finished in reports.c) */
int gd_sq__sessions_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_sq__idem_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_sq__timers_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_sq__attachments_unlinked(struct gd_store *, int64_t, int, struct gd_arena *,
                                struct gd_attachment **, int *, struct gd_err *);
int gd_sq__attachment_delete_unlinked(struct gd_store *, int64_t, int64_t, const char *, bool *,
                                      struct gd_err *);
int gd_sq__exports_finished(struct gd_store *, int64_t, int, struct gd_arena *,
                            struct gd_export_job **, int *, struct gd_err *);

/* bulk.c: bulk copy (gongdan migrate) */
int gd_sq__snapshot_begin(struct gd_store *, struct gd_err *);
void gd_sq__snapshot_end(struct gd_store *);
int gd_sq__bulk_count(struct gd_store *, const struct gd_bulk_table *, int64_t *, struct gd_err *);
int gd_sq__bulk_dump(struct gd_store *, const struct gd_bulk_table *, gd_bulk_row_fn, void *,
                     struct gd_err *);
int gd_sq__bulk_load(struct gd_store *, const struct gd_bulk_table *, const struct gd_bulk_cell *,
                     int, struct gd_err *);
int gd_sq__bulk_start(struct gd_store *, const struct gd_bulk_table *, struct gd_err *);
int gd_sq__bulk_finish(struct gd_store *, struct gd_err *);
int gd_sq__bulk_uncovered(struct gd_store *, const struct gd_bulk_table *, struct gd_arena *,
                          const char **, struct gd_err *);
/* notify.c */
int gd_sq__node_slot_claim(struct gd_store *, int, int *, struct gd_err *);
int gd_sq__change_notify(struct gd_store *, int64_t, int64_t, int, struct gd_err *);
int gd_sq__revoked_notify(struct gd_store *, int, struct gd_err *);
int gd_sq__import_lock(struct gd_store *, int64_t, bool *, struct gd_err *);
void gd_sq__import_unlock(struct gd_store *, int64_t);
int gd_sq__webhook_lease(struct gd_store *, int64_t, int64_t, int, int64_t, bool *,
                         struct gd_err *);
int gd_sq__webhook_leases_release(struct gd_store *, int, struct gd_err *);
int gd_sq__changes_wait(struct gd_store *, int, struct gd_change *, int, int *, bool *,
                        struct gd_err *);

#endif
