/* What every file of the store contract suite shares: the store under test, opened from the
 * command line (`sqlite`: a temporary file; `pg URL`: a fresh, empty PostgreSQL database that
 * ctest makes on its throwaway cluster, scripts/pg-test-cluster), the rows most cases start
 * from, and the few operations called through wrappers (below). Each test_*.c file is its own
 * program and database; tests/contract/ops_covered.sh checks that the files together call every
 * operation of store.h. */
#ifndef GD_TEST_CONTRACT_HARNESS_H
#define GD_TEST_CONTRACT_HARNESS_H
#include <stdlib.h>
#include <unistd.h>
#include "../unit/check.h"
#include "base/id.h"
#include "core/stats.h"
#include "store/store.h"

static struct gd_store *st;
static struct gd_arena a;
static char url[512]; /* the database under test: open more handles on it with gd_store_open */

/* Opens the store named by the command line; nonzero (the exit status) when it cannot. */
static inline int contract_open(int argc, char **argv)
{
    struct gd_err err = {0};
    const char *backend = argc > 1 ? argv[1] : "sqlite";

    if (strcmp(backend, "sqlite") == 0) {
        snprintf(url, sizeof(url), "sqlite:/tmp/gd-contract-%d.db", (int)getpid());
    } else if (strcmp(backend, "pg") == 0 && argc > 2) {
        snprintf(url, sizeof(url), "%s", argv[2]);
    } else {
        fprintf(stderr, "usage: %s sqlite | pg POSTGRES_URL\n", argv[0]);
        return 2;
    }
    if (gd_store_open(url, true, &st, &err)) {
        fprintf(stderr, "cannot open %s: %s\n", url, err.msg);
        return 1;
    }
    return 0;
}

/* Closes the store, removes a SQLite file, its journals and its search index's file (with its
 * own), and reports the checks. */
static inline int contract_finish(const char *suite)
{
    static const char *const files[] = {"",        "-wal",        "-shm",
                                        "-search", "-search-wal", "-search-shm"};
    bool sqlite = strncmp(url, "sqlite:", 7) == 0;
    char name[600];

    gd_store_close(st);
    gd_arena_release(&a);
    for (size_t i = 0; sqlite && i < sizeof(files) / sizeof(*files); i++) {
        snprintf(name, sizeof(name), "%s%s", url + 7, files[i]);
        unlink(name);
    }
    snprintf(name, sizeof(name), "%s (%s)", suite, sqlite ? "sqlite" : "pg");
    return check_report(name);
}

static inline int64_t shop(const char *name)
{
    struct gd_shop s = {.id = gd_id_new(), .name = name, .created_at = 1};
    CHECK_EQ_INT(GD_STORE(st, shop_insert, &s, NULL), GD_OK);
    return s.id;
}

static inline int64_t user(int64_t shop_id, const char *username, int role)
{
    struct gd_user u = {.id = gd_id_new(),
                        .shop_id = shop_id,
                        .username = username,
                        .display_name = username,
                        .role = role,
                        .pwhash = "x",
                        .created_at = 1};
    CHECK_EQ_INT(GD_STORE(st, user_insert, &u, NULL), GD_OK);
    return u.id;
}

static inline struct gd_workorder wo_new(int64_t shop_id, int64_t creator, int64_t handler,
                                         const char *title, int64_t deadline)
{
    struct gd_workorder w = {.id = gd_id_new(),
                             .shop_id = shop_id,
                             .type = GD_TYPE_AFTER_SALES,
                             .state = GD_STATE_OPEN,
                             .priority = GD_PRIO_NORMAL,
                             .title = title,
                             .content = "",
                             .creator_id = creator,
                             .handler_id = handler,
                             .deadline_at = deadline,
                             .created_at = 1,
                             .updated_at = 1,
                             .version = 1};
    CHECK_EQ_INT(GD_STORE(st, workorder_next_number, shop_id, &w.number, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_insert, &w, NULL), GD_OK);
    return w;
}

/* Work order `w` about order `order_no` (buyer 小林), of `type` in `state`: written as an edit
 * (the next version), which is returned. */
static inline struct gd_workorder wo_about(struct gd_workorder w, const char *order_no, int type,
                                           int state)
{
    struct gd_workorder upd = w;
    upd.order_no = order_no;
    upd.buyer_nick = "小林";
    upd.type = type;
    upd.state = state;
    upd.version = w.version + 1;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &upd, w.version, NULL), GD_OK);
    return upd;
}

/* ---- Shorthands for the operations whose shop argument and error codes the contract fixed
 * last (store.h: every operation on shop data takes shop_id; one meaning per error code).
 * SHOP_SCOPED keeps the assertions that another shop's id finds or changes nothing. */
#define SHOP_SCOPED 1
#define TIMER_NOT_PENDING GD_ESTALE /* deadline_take of a fired or cancelled timer */
#define LINK_REFUSED GD_ENOTFOUND   /* attachment_link of something not an unused upload */

/* A write transaction of the shop (0: platform-wide) on handle `h`. */
static inline int ct_begin(struct gd_store *h, int64_t shop_id)
{
    return GD_STORE(h, begin, shop_id, NULL);
}

static inline int ct_search_set(int64_t shop_id, int64_t workorder_id, const char *text)
{
    return GD_STORE(st, search_set, shop_id, workorder_id, text, NULL);
}

static inline int ct_search_append(int64_t shop_id, int64_t workorder_id, const char *text)
{
    return GD_STORE(st, search_append, shop_id, workorder_id, text, NULL);
}

static inline int ct_deadline_cancel(int64_t shop_id, int64_t workorder_id, const char *kind)
{
    return GD_STORE(st, deadline_cancel, shop_id, workorder_id, kind, NULL);
}

/* Takes timer d as shop shop_id sees it. */
static inline int ct_deadline_take(int64_t shop_id, struct gd_deadline d)
{
    d.shop_id = shop_id;
    return GD_STORE(st, deadline_take, &d, NULL);
}

static inline int ct_attachment_get(int64_t shop_id, int64_t id, struct gd_attachment *out)
{
    return GD_STORE(st, attachment_get, shop_id, id, &a, out, NULL);
}

static inline int ct_attachment_delete_unlinked(int64_t shop_id, int64_t id, const char *sha256,
                                                bool *content_used)
{
    return GD_STORE(st, attachment_delete_unlinked, shop_id, id, sha256, content_used, NULL);
}

static inline int ct_stats_contrib_get(int64_t shop_id, int64_t workorder_id,
                                       struct gd_stats_contrib *out)
{
    return GD_STORE(st, stats_contrib_get, shop_id, workorder_id, out, NULL);
}

/* Adds `sign` times a contribution (counts, one duration per histogram, bucket -1 = none) to
 * rollup row `k` of the shop: the store applies the delta itself. */
static inline int ct_rollup_add(int64_t shop_id, const struct gd_stats_key *k,
                                const struct gd_stats_counts *n, int fa_bucket, int done_bucket,
                                int sign)
{
    return GD_STORE(st, stats_rollup_add, shop_id, k, n, fa_bucket, done_bucket, sign, NULL);
}

#endif
