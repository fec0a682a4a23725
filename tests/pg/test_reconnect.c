/* The PostgreSQL backend when its connection is ended under it (pg_terminate_backend, as a
 * restart of the database does): an idle connection is opened again before the next statement,
 * which succeeds; a connection lost inside a transaction is GD_ERETRY and writes nothing; a COMMIT
 * whose connection was lost learns the outcome (here: rolled back, GD_ERETRY) instead of
 * guessing. Run as `pg_test_reconnect URL` on a fresh database (ctest makes one). */
#include <stdlib.h>
#include "../unit/check.h"
#include "base/id.h"
#include "store/store.h"

static struct gd_store *st;
static struct gd_arena a;
static const char *url;

/* Ends this database's gongdan connections from outside (psql), waiting until they are gone. */
static void terminate_backends(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "psql -qAtX '%s' -c \"SELECT count(pg_terminate_backend(pid, 10000)) FROM "
             "pg_stat_activity WHERE datname = current_database() AND application_name = "
             "'gongdan'\" >/dev/null",
             url);
    CHECK_EQ_INT(system(cmd), 0);
}

static int insert_shop(const char *name, struct gd_err *err)
{
    struct gd_shop s = {.id = gd_id_new(), .name = name, .created_at = 1};
    return GD_STORE(st, shop_insert, &s, err);
}

static bool shop_exists(const char *name)
{
    struct gd_shop s;
    return GD_STORE(st, shop_get_by_name, name, &a, &s, NULL) == GD_OK;
}

int main(int argc, char **argv)
{
    struct gd_err err = {0};
    int64_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: %s POSTGRES_URL\n", argv[0]);
        return 2;
    }
    url = argv[1];
    CHECK_EQ_INT(gd_store_open(url, true, &st, &err), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_get, 0, "x", &n, NULL), GD_OK); /* prepared on connection 1 */

    /* an idle connection the server ended: noticed and opened again, the statement prepared
     * again, and the read succeeds */
    long reconnects = gd_store_reconnects();
    terminate_backends();
    CHECK_EQ_INT(GD_STORE(st, counter_get, 0, "x", &n, NULL), GD_OK);
    CHECK_EQ_INT(gd_store_reconnects(), reconnects + 1);
    CHECK(gd_store_connections_lost() >= 1);

    /* lost inside a transaction: GD_ERETRY, nothing written, and the next one works */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(insert_shop("一号店", NULL), GD_OK);
    terminate_backends();
    CHECK_EQ_INT(insert_shop("二号店", &err), GD_ERETRY);
    GD_STORE0(st, rollback);
    CHECK(!shop_exists("一号店"));
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(insert_shop("一号店", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK(shop_exists("一号店"));

    /* lost before its COMMIT: the COMMIT fails, the backend asks the database about the
     * transaction on a new connection and learns it rolled back: GD_ERETRY, not "unknown" */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(insert_shop("三号店", NULL), GD_OK);
    terminate_backends();
    gd_err_clear(&err);
    CHECK_EQ_INT(GD_STORE(st, commit, &err), GD_ERETRY);
    CHECK(!shop_exists("三号店"));
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(insert_shop("三号店", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK(shop_exists("三号店"));

    gd_store_close(st);
    gd_arena_release(&a);
    return check_report("pg reconnect");
}
