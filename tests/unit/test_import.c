/* The order import over a store whose commit fails at a chosen chunk: the chunks committed
 * before stay, the report says from which line nothing was stored, and nothing after it is. */
#include <stdlib.h>
#include <unistd.h>
#include "base/secret.h"
#include "base/strbuf.h"
#include "check.h"
#include "scratch_db.h"
#include "service/svc.h"

static struct gd_store_ops failing;
static int (*real_commit)(struct gd_store *, struct gd_err *);
static int commits, fail_at;

static int commit_or_fail(struct gd_store *s, struct gd_err *err)
{
    if (++commits == fail_at) {
        s->ops->rollback(s);
        return gd_err_set(err, GD_EDB, "database error");
    }
    return real_commit(s, err);
}

int main(void)
{
    char path[] = "/tmp/gd-import-XXXXXX", url[64];
    struct gd_svc_shared shared;
    struct gd_svc svc = {0};
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_import_report *rep = calloc(1, sizeof(*rep));
    int64_t shop_id;

    CHECK(scratch_db_make(path, url, sizeof(url)) == 0);
    gd_secret_init();
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    CHECK_EQ_INT(gd_store_open(url, true, &svc.store, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "导入店", &shop_id, &err), GD_OK);

    /* 1200 rows: chunks of 500 are lines 2-501, 502-1001, 1002-1201; the second fails */
    struct gd_strbuf csv = GD_STRBUF_INIT;
    gd_strbuf_adds(&csv, "order_no,buyer_nick,status,paid_amount\n");
    for (int i = 1; i <= 1200; i++) {
        gd_strbuf_addf(&csv, "IMP-%d,买家,paid,%d\n", i, i);
    }
    failing = *svc.store->ops;
    real_commit = failing.commit;
    failing.commit = commit_or_fail;
    const struct gd_store_ops *real = svc.store->ops;
    svc.store->ops = &failing;
    fail_at = 2;
    int ret = gd_svc_orders_import_csv(&svc, shop_id, csv.buf, csv.len, rep, NULL, &err);
    svc.store->ops = real;
    CHECK_EQ_INT(ret, GD_EDB);
    CHECK_EQ_INT(rep->stored, 500);
    CHECK_EQ_INT(rep->stopped_at_line, 502);
    CHECK_EQ_INT(rep->rows, 1000); /* it read no further than the failed chunk */
    struct gd_order o;
    CHECK_EQ_INT(GD_STORE(svc.store, order_get, shop_id, "IMP-500", &a, &o, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(svc.store, order_get, shop_id, "IMP-501", &a, &o, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(svc.store, order_get, shop_id, "IMP-1200", &a, &o, NULL), GD_ENOTFOUND);

    /* the shop is free again, and the same file then stores everything */
    ret = gd_svc_orders_import_csv(&svc, shop_id, csv.buf, csv.len, rep, NULL, &err);
    CHECK_EQ_INT(ret, GD_OK);
    CHECK_EQ_INT(rep->stored, 1200);
    CHECK_EQ_INT(rep->stopped_at_line, 0);
    CHECK_EQ_INT(GD_STORE(svc.store, order_get, shop_id, "IMP-1200", &a, &o, NULL), GD_OK);

    gd_strbuf_release(&csv);
    gd_store_close(svc.store);
    gd_arena_release(&a);
    free(rep);
    scratch_db_remove(path);
    return check_report("import");
}
