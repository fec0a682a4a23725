/* Internals shared by the files of the PostgreSQL backend. Only this folder includes
 * <libpq-fe.h>.
 *
 * One connection per store handle (one per server thread, as with SQLite). Statements are
 * prepared once per connection (PQprepare, by a generated name) the first time their SQL text
 * is used, then run with PQexecPrepared: parameters travel apart from the SQL text, integers
 * and text in text format, bytea in binary format. The helpers mirror the SQLite backend's
 * (sqlite_int.h) so an operation reads the same in both: prep, bind by number, step through
 * rows, read columns, done. */
#ifndef GD_STORE_PG_INT_H
#define GD_STORE_PG_INT_H
#include <libpq-fe.h>
#include <stdbool.h>
#include "base/strbuf.h"
#include "store/hook_cache.h"
#include "store/store.h"

#define PG_CACHE 256
#define PG_OVERFLOW 8
#define PG_MAXP 64 /* parameters of one statement (collab_insert binds 34) */

/* A prepared statement of one connection, with its bound parameters and current result. */
struct gd_pg_stmt {
    struct gd_pg *p;
    char name[16];
    const char *sql; /* owned copy */
    int nparams;     /* highest parameter bound + 1 */
    const char *vals[PG_MAXP];
    int lens[PG_MAXP];
    int fmts[PG_MAXP];
    char nums[PG_MAXP][24];
    PGresult *res;
    int row, nrows;
    bool ran;
    bool overflow; /* a parameter past PG_MAXP was bound: running it fails */
    bool binary;   /* results in binary format (a statement reading bytea only: blobs.c) */
    int gen;       /* the connection generation it was prepared on (gd_pg.gen) */
};

/* A store handle. */
struct gd_pg {
    struct gd_store base;
    PGconn *conn;
    char *url;
    struct gd_pg_stmt *cache[PG_CACHE];
    /* when the cache is full (list filters make SQL text vary without bound): a few more
     * statements in turn, the oldest deallocated to make room (counted as evicted) */
    struct gd_pg_stmt *overflow[PG_OVERFLOW];
    int next_overflow;
    int nprepared;
    int gen; /* counts reconnects: statements of an older generation are prepared again */
    bool in_tx;
    bool relaxed;
    bool lost;    /* the connection broke and is not back yet (logged once) */
    char xid[24]; /* the committing transaction's id, "" if it wrote nothing (a lost COMMIT) */
    /* notify.c: the node slot this connection holds (slot_held), and LISTEN's state */
    bool slot_held, listening, listen_lost;
    int slot;
    /* notify.c: the open transaction's change notifications, a text[] literal ("{" and the
     * payloads so far; empty when none), sent with its COMMIT in one round trip */
    struct gd_strbuf notices;
    struct gd_hook_cache hooks; /* shops with webhook endpoints, in the open transaction */
    /* bulk.c: the definitions of the indexes bulk_start dropped, each NUL-terminated, which
     * bulk_finish creates again */
    struct gd_strbuf bulk_indexes;
    struct gd_pg_fence *fence; /* fence.c: the generation fence of this handle's database */
};

#define PG(s) ((struct gd_pg *)(s))

enum { PG_ROW = 100, PG_DONE = 101, PG_ERROR = 1 };

struct gd_pg_stmt *gd_pg__prep(struct gd_pg *p, const char *sql, struct gd_err *err);
void gd_pg__bind_i64(struct gd_pg_stmt *st, int n, int64_t v);
void gd_pg__bind_i64_nz(struct gd_pg_stmt *st, int n, int64_t v);   /* 0 binds NULL */
void gd_pg__bind_text(struct gd_pg_stmt *st, int n, const char *v); /* NULL binds NULL */
void gd_pg__bind_blob(struct gd_pg_stmt *st, int n, const void *v, size_t len);
/* Runs the statement on first call; returns PG_ROW for each row, then PG_DONE (or PG_ERROR). */
int gd_pg__step(struct gd_pg_stmt *st);
/* Forgets the result (the bindings stay until the next prep). */
void gd_pg__done(struct gd_pg_stmt *st);
/* Rows changed by the statement last run (UPDATE/DELETE/INSERT). */
int64_t gd_pg__changes(struct gd_pg_stmt *st);
bool gd_pg__col_null(struct gd_pg_stmt *st, int col);
const char *gd_pg__col_text(struct gd_pg_stmt *st, int col); /* borrowed; NULL when NULL */
const char *gd_pg__col_str(struct gd_arena *a, struct gd_pg_stmt *st, int col);
int64_t gd_pg__col_i64(struct gd_pg_stmt *st, int col);
const unsigned char *gd_pg__col_blob(struct gd_arena *a, struct gd_pg_stmt *st, int col,
                                     size_t *len);
/* Maps the error of the statement last run (SQLSTATE) to a status, logs it, forgets the
 * result: unique clash -> GD_ECONFLICT, foreign key -> GD_EINVAL, serialization failure,
 * deadlock or lost connection -> GD_ERETRY, anything else -> GD_EDB. */
int gd_pg__fail(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_err *err);
/* The same for a result of PQexec (COPY, cursors); the caller clears it. */
int gd_pg__fail_result(struct gd_pg *p, PGresult *r, struct gd_err *err);
/* Runs a statement that returns no rows (or whose rows are not wanted); maps errors. */
int gd_pg__exec_stmt(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_err *err);
/* Runs SQL text without parameters (transaction control, migrations). */
int gd_pg__exec(struct gd_pg *p, const char *sql, struct gd_err *err);

/* Append one element to an array literal being built in `out` ("{" first, "}" at the end):
 * text quoted with its quotes and backslashes escaped, so any text is one element. Many values
 * bound as one array parameter make one statement of what would be one per value. */
void gd_pg__array_text(struct gd_strbuf *out, const char *v);
void gd_pg__array_i64(struct gd_strbuf *out, int64_t v);
/* Rows written in one statement as one array per column (... FROM unnest($1::bigint[],
 * $2::text[], ...)): open n columns, add each row's values to cols.col[k] with the two above,
 * then run binds column k as parameter k + 1, runs the statement and releases the columns. */
#define GD_PG_COLS_MAX 12
struct gd_pg_cols {
    struct gd_strbuf col[GD_PG_COLS_MAX];
    int n;
};
void gd_pg__cols_open(struct gd_pg_cols *c, int n);
int gd_pg__cols_run(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_pg_cols *c,
                    struct gd_err *err);

typedef void (*gd_pg_read_fn)(struct gd_pg_stmt *st, struct gd_arena *a, void *row);
int gd_pg__rows(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_arena *a, size_t size,
                gd_pg_read_fn read, void **out, int *count, struct gd_err *err);
/* A gd_pg_read_fn of the first column as an int64_t (a count, a sum). */
void gd_pg__read_i64(struct gd_pg_stmt *st, struct gd_arena *a, void *row);
/* GD_ENOTFOUND (err untouched: the caller says what was not found) when there is no row. */
int gd_pg__row(struct gd_pg *p, struct gd_pg_stmt *st, struct gd_arena *a, gd_pg_read_fn read,
               void *out, struct gd_err *err);
void *gd_pg__grow(struct gd_arena *a, void *arr, int count, int *cap, size_t size);

/* The search index (search.c). The unigram and bigram tokens of every run of `text`, ASCII
 * folded to lower case, and the token of shop `shop_id` (none for 0), as a text[] literal (what
 * the index holds). */
void gd_pg__grams(struct gd_strbuf *out, int64_t shop_id, const char *text);
/* The token of shop `shop_id` among a piece's grams, "shop <id>" (a space: no run of text holds
 * one), into `out` (GD_PG_SHOP_GRAM bytes). */
#define GD_PG_SHOP_GRAM 32
void gd_pg__shop_gram(char *out, int64_t shop_id);
/* For a query: per term, the tokens it needs (its unigram when it is one character, else its
 * bigrams) joined by chr(31), and the folded terms themselves, both as text[] literals in term
 * order; false when q has no term. */
bool gd_pg__query(const char *q, struct gd_strbuf *grams, struct gd_strbuf *terms);
/* Folds ASCII letters to lower case, as the tokens are. */
void gd_pg__fold(struct gd_strbuf *out, const char *text);

#define pg_prep gd_pg__prep
#define pg_fail gd_pg__fail
#define pg_step gd_pg__step
#define pg_done gd_pg__done
#define pg_changes gd_pg__changes
#define bind_i64 gd_pg__bind_i64
#define bind_i64_nz gd_pg__bind_i64_nz
#define bind_text gd_pg__bind_text
#define col_str gd_pg__col_str
#define col_text gd_pg__col_text
#define col_i64 gd_pg__col_i64
#define pg_exec gd_pg__exec_stmt

/* Query text with numbered parameters, for the statements whose conditions vary (filter.c). */
struct gd_pg_qb {
    struct gd_strbuf sql;
    struct gd_strbuf grams, terms; /* the search's tokens and terms (text[] literals) */
    int n;
    struct {
        bool is_text;
        int64_t i;
        const char *t;
    } p[PG_MAXP];
    char shop_gram[GD_PG_SHOP_GRAM]; /* the search's shop token (gd_pg__shop_gram) */
};
#define GD_PG_QB_INIT                                                   \
    {                                                                   \
        GD_STRBUF_INIT, GD_STRBUF_INIT, GD_STRBUF_INIT, 0, {{0}}, { 0 } \
    }
int gd_pg__qb_i64(struct gd_pg_qb *b, int64_t v);
int gd_pg__qb_text(struct gd_pg_qb *b, const char *v);
void gd_pg__qb_where(struct gd_pg_qb *b, int64_t shop_id, const struct gd_wo_filter *f);
void gd_pg__qb_bind(struct gd_pg_stmt *st, const struct gd_pg_qb *b);
void gd_pg__qb_release(struct gd_pg_qb *b);

/* The connection (conn.c). connect: opens one for a libpq URL (PQstatus tells whether it
 * worked). session_setup: the settings every connection gets. connected: true when the
 * connection is up, else tries once to open it again. unreachable: logs and returns
 * GD_EUNAVAIL. commit_outcome: after a COMMIT whose connection broke, whether it happened (GD_OK),
 * did not (GD_ERETRY) or is unknown (GD_EUNAVAIL). */
PGconn *gd_pg__connect(const char *url);
int gd_pg__session_setup(struct gd_pg *p, struct gd_err *err);
bool gd_pg__connected(struct gd_pg *p);
int gd_pg__unreachable(struct gd_pg *p, struct gd_err *err);
int gd_pg__commit_outcome(struct gd_pg *p, struct gd_err *err);
/* notify.c: the committing transaction's id ("SELECT pg_current_xact_id_if_assigned()", one row),
 * with its change notifications sent in the same round trip; the caller PQclears the result. */
PGresult *gd_pg__xid_and_notices(struct gd_pg *p);

/* The generation fence (fence.c): *out gets the value of a `read` that started after this call
 * began, made by the fence's reader (on a handle of its own, opened by gd_pg__fence_open) for
 * every thread waiting, or the one given to this thread's request (gd_pg_generation_given);
 * returns that read's status. The fence of a URL keeps the `read` it was made with.
 * read_snapshot (db.c): the snapshot's read, the one the store uses. */
typedef int (*gd_pg_gen_fn)(struct gd_pg *p, int64_t *out);
int gd_pg__fenced_read(struct gd_pg *p, gd_pg_gen_fn read, int64_t *out);
int gd_pg__read_snapshot(struct gd_pg *p, int64_t *out);
extern int (*gd_pg__fence_open)(const char *url, struct gd_store **out, struct gd_err *err);

/* commit statistics for ops_gauges (db.c) */
void gd_pg__tx_stats(struct gd_ops_gauges *out);

extern const struct gd_store_ops gd_pg__ops;

#endif
