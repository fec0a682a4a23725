/* Several nodes on one database: one process owns a SQLite file, so there is no other node to
 * tell of a change or a revocation, no node slot to claim (ids keep node 0), and no other process
 * to import beside (the service's own set keeps one import per shop). */
#include <unistd.h>
#include "store/sqlite/sqlite_int.h"

int gd_sq__node_slot_claim(struct gd_store *s, int nslots, int *slot, struct gd_err *err)
{
    (void)s, (void)nslots, (void)err;
    *slot = -1;
    return GD_OK;
}

int gd_sq__change_notify(struct gd_store *s, int64_t shop_id, int64_t workorder_id, int origin,
                         struct gd_err *err)
{
    (void)s, (void)shop_id, (void)workorder_id, (void)origin, (void)err;
    return GD_OK;
}

int gd_sq__revoked_notify(struct gd_store *s, int origin, struct gd_err *err)
{
    (void)s, (void)origin, (void)err;
    return GD_OK;
}

int gd_sq__import_lock(struct gd_store *s, int64_t shop_id, bool *held, struct gd_err *err)
{
    (void)s, (void)shop_id, (void)err;
    *held = true;
    return GD_OK;
}

void gd_sq__import_unlock(struct gd_store *s, int64_t shop_id) { (void)s, (void)shop_id; }

int gd_sq__changes_wait(struct gd_store *s, int timeout_ms, struct gd_change *out, int max,
                        int *count, bool *gap, struct gd_err *err)
{
    (void)s, (void)out, (void)max, (void)err;
    *count = 0;
    *gap = false;
    usleep((useconds_t)timeout_ms * 1000);
    return GD_OK;
}
