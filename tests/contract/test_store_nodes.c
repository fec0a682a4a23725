/* Store contract: several processes ("nodes") on one database. Node slots are exclusive while
 * held and free once their handle closes; a change notification reaches a listener on another
 * handle only when its transaction commits, once, with its shop, work order and origin. SQLite
 * (one process owns the file) has no slots and no notifications. */
#include "harness.h"

static bool is_pg(void)
{
    return strncmp(url, "sqlite:", 7) != 0;
}

static struct gd_store *open_handle(void)
{
    struct gd_store *h = NULL;
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_store_open(url, false, &h, &err), GD_OK);
    return h;
}

static void slots(void)
{
    struct gd_store *a1 = open_handle(), *a2 = open_handle(), *a3;
    int s1 = -2, s2 = -2, s3 = -2, again = -2;
    struct gd_err err = {0};

    CHECK_EQ_INT(GD_STORE(a1, node_slot_claim, 4, &s1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(a2, node_slot_claim, 4, &s2, NULL), GD_OK);
    if (!is_pg()) {
        CHECK_EQ_INT(s1, -1);
        CHECK_EQ_INT(s2, -1);
        gd_store_close(a1);
        gd_store_close(a2);
        return;
    }
    /* the lowest free slot (advisory locks are per database: this test's own) */
    CHECK_EQ_INT(s1, 0);
    CHECK_EQ_INT(s2, 1);
    CHECK_EQ_INT(GD_STORE(a1, node_slot_claim, 4, &again, NULL), GD_OK);
    CHECK_EQ_INT(again, 0); /* a handle keeps its slot */
    a3 = open_handle();
    CHECK_EQ_INT(GD_STORE(a3, node_slot_claim, 2, &s3, &err), GD_ELIMIT);
    /* a closed handle (a node that stopped or died) frees its slot */
    gd_store_close(a1);
    /* (the server ends the closed connection's backend a moment later) */
    int rc = GD_ELIMIT;
    for (int i = 0; i < 100 && rc == GD_ELIMIT; i++) {
        if ((rc = GD_STORE(a3, node_slot_claim, 2, &s3, NULL)) == GD_ELIMIT) {
            usleep(50000);
        }
    }
    CHECK_EQ_INT(rc, GD_OK);
    CHECK_EQ_INT(s3, 0);
    gd_store_close(a2);
    gd_store_close(a3);
}

static void notifications(void)
{
    struct gd_store *listener = open_handle();
    struct gd_change ch[8];
    int n = -1;
    bool gap = true;

    /* the first call listens: only changes committed after it are heard */
    CHECK_EQ_INT(GD_STORE(listener, changes_wait, 0, ch, 8, &n, &gap, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK(!gap);

    /* a rolled-back transaction tells no one */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, change_notify, 11, 22, 3, NULL), GD_OK);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(GD_STORE(listener, changes_wait, 200, ch, 8, &n, &gap, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* a committed one tells once, even when it names the same work order twice */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, change_notify, 11, 22, 3, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, change_notify, 11, 22, 3, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, change_notify, 11, 23, -1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    int got = 0;
    struct gd_change all[8];
    for (int i = 0; i < 20 && got < 2 && is_pg(); i++) {
        CHECK_EQ_INT(GD_STORE(listener, changes_wait, 200, ch, 8, &n, &gap, NULL), GD_OK);
        for (int k = 0; k < n && got < 8; k++) {
            all[got++] = ch[k];
        }
    }
    if (!is_pg()) {
        CHECK_EQ_INT(GD_STORE(listener, changes_wait, 10, ch, 8, &n, &gap, NULL), GD_OK);
        CHECK_EQ_INT(n, 0);
        gd_store_close(listener);
        return;
    }
    CHECK_EQ_INT(got, 2);
    CHECK_EQ_INT(all[0].shop_id, 11);
    CHECK_EQ_INT(all[0].workorder_id, 22);
    CHECK_EQ_INT(all[0].origin, 3);
    CHECK_EQ_INT(all[1].workorder_id, 23);
    CHECK_EQ_INT(all[1].origin, -1);
    CHECK_EQ_INT(GD_STORE(listener, changes_wait, 200, ch, 8, &n, &gap, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    gd_store_close(listener);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    slots();
    notifications();
    return contract_finish("store contract: several nodes on one database");
}
