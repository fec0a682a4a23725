/* Store contract: several processes ("nodes") on one database. Node slots are exclusive while
 * held and free once their handle closes; a change notification reaches a listener on another
 * handle only when its transaction commits, once, with its shop, work order and origin, and a
 * revocation notice with its origin. A webhook endpoint's delivery lease has one holder at a
 * time, moves when it runs out or is handed back, and only its holder records an outcome. A
 * shop's import lock has one holder across handles and is freed when that handle closes. SQLite
 * (one process owns the file) has no slots and no notifications, and its import lock is always
 * free; its leases work the same. */
#include "harness.h"

static bool is_pg(void) { return strncmp(url, "sqlite:", 7) != 0; }

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
    CHECK(!all[0].revoked);

    /* a revocation notice outside a transaction is heard at once, with its origin */
    CHECK_EQ_INT(GD_STORE(st, revoked_notify, 5, NULL), GD_OK);
    got = 0;
    for (int i = 0; i < 20 && !got; i++) {
        CHECK_EQ_INT(GD_STORE(listener, changes_wait, 200, ch, 8, &n, &gap, NULL), GD_OK);
        got = n;
    }
    CHECK_EQ_INT(got, 1);
    CHECK(ch[0].revoked);
    CHECK_EQ_INT(ch[0].origin, 5);
    CHECK_EQ_INT(ch[0].shop_id, 0);
    CHECK_EQ_INT(ch[0].workorder_id, 0);
    gd_store_close(listener);
}

static void webhook_leases(void)
{
    int64_t s1 = shop("租约店"), s2 = shop("租约别店");
    int64_t u1 = user(s1, "lease-u1", GD_ROLE_SHOP_LEAD);
    struct gd_webhook h = {.id = gd_id_new(),
                           .shop_id = s1,
                           .url = "https://a.example/lease",
                           .secret = "whsec_l",
                           .created_by = u1,
                           .created_at = 1};
    struct gd_webhook *hooks;
    struct gd_err err = {0};
    bool held = false;
    int n;

    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].lease_node, -1); /* never held */

    /* node 1 takes it; node 2 cannot while it runs; node 1 renews it */
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 1, 60000, &held, NULL), GD_OK);
    CHECK(held);
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 2, 60000, &held, NULL), GD_OK);
    CHECK(!held);
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 1, 60000, &held, NULL), GD_OK);
    CHECK(held);
    /* another shop's endpoint id is not there */
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s2, h.id, 3, 60000, &held, NULL), GD_OK);
    CHECK(!held);

    /* only the holder records an outcome */
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].lease_node, 1);
    struct gd_webhook_attempt att = {
        .ok = true, .upto_seq = 7, .at = 1, .status = 200, .lease_node = 2};
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, h.id, &att, &err), GD_ESTALE);
    CHECK_EQ_INT(GD_STORE(st, webhook_skip, s1, h.id, 2, 7, NULL), GD_ESTALE);
    att.lease_node = 1;
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, h.id, &att, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhook_skip, s1, h.id, 1, 7, NULL), GD_OK);

    /* handed back (a node stopping): node 2 takes it at once, and node 1 no longer records */
    CHECK_EQ_INT(GD_STORE(st, webhook_leases_release, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 2, 60000, &held, NULL), GD_OK);
    CHECK(held);
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, h.id, &att, NULL), GD_ESTALE);
    /* handing back another node's leases leaves this one held */
    CHECK_EQ_INT(GD_STORE(st, webhook_leases_release, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 3, 60000, &held, NULL), GD_OK);
    CHECK(!held);

    /* one that runs out (a node that died) moves to the next node that asks */
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 2, 1, &held, NULL), GD_OK);
    CHECK(held);
    usleep(20000);
    CHECK_EQ_INT(GD_STORE(st, webhook_lease, s1, h.id, 3, 60000, &held, NULL), GD_OK);
    CHECK(held);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].lease_node, 3);
    CHECK_EQ_INT(hooks[0].cursor, 7); /* what the holder recorded stays */
}

static void import_locks(void)
{
    struct gd_store *other = open_handle();
    bool held = false;
    int64_t s1 = 424242, s2 = 434343;

    CHECK_EQ_INT(GD_STORE(st, import_lock, s1, &held, NULL), GD_OK);
    CHECK(held);
    CHECK_EQ_INT(GD_STORE(other, import_lock, s2, &held, NULL), GD_OK);
    CHECK(held); /* another shop imports beside it */
    CHECK_EQ_INT(GD_STORE(other, import_lock, s1, &held, NULL), GD_OK);
    CHECK_EQ_INT(held, !is_pg()); /* PostgreSQL: held by the first handle */
    GD_STORE(st, import_unlock, s1);
    CHECK_EQ_INT(GD_STORE(other, import_lock, s1, &held, NULL), GD_OK);
    CHECK(held);
    /* a handle that closes (a node that dies mid-import) frees its locks */
    gd_store_close(other);
    int tries = 0;
    do {
        CHECK_EQ_INT(GD_STORE(st, import_lock, s2, &held, NULL), GD_OK);
        if (!held) {
            usleep(50000);
        }
    } while (!held && ++tries < 100);
    CHECK(held);
    CHECK_EQ_INT(GD_STORE(st, import_lock, s1, &held, NULL), GD_OK);
    CHECK(held);
    GD_STORE(st, import_unlock, s1);
    GD_STORE(st, import_unlock, s2);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    slots();
    notifications();
    webhook_leases();
    import_locks();
    return contract_finish("store contract: several nodes on one database");
}
