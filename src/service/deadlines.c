/* Firing timers. Each firing is one transaction that re-checks the work order, so a timer whose
 * reason has gone (the work order was completed, the deadline moved, the seller replied) is
 * marked fired and does nothing else. Collaborative timers are handled by the collab service. */
#include "base/clock.h"
#include "service/svc_int.h"

/* gd_svc__collab_fire is defined (and initialised) in service/collab.c, so referring to it
 * here links the collaborative timer handler into every program that runs the engine. */

static int fire_overdue(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                        bool *changed, struct gd_err *err)
{
    struct gd_workorder before = *wo;
    int ret;

    if (!gd_state_is_active(wo->state) || wo->overdue || wo->deadline_at != d->due_at) {
        return GD_OK; /* finished, already marked, or the deadline moved: nothing to do */
    }
    wo->overdue = true;
    wo->version++;
    wo->updated_at = gd_clock_now_ms();
    if ((ret = GD_STORE(svc->store, workorder_mark_overdue, wo, before.version, err)) ||
        (ret = gd_svc__event(svc, wo, 0, "overdue", "{}", wo->updated_at, err)) ||
        (ret = gd_svc__counters(svc, &before, wo, err))) {
        return ret;
    }
    *changed = true;
    return GD_OK;
}

/* Marks the timer fired (unless taking it did) and acts on its work order, inside the caller's
 * transaction. */
static int fire_in_tx(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                      struct gd_workorder *wo, bool taken, bool *changed, struct gd_err *err)
{
    int ret = taken ? GD_OK : GD_STORE(svc->store, deadline_mark_fired, d->id, err);
    if (ret == GD_ECONFLICT) {
        return GD_OK; /* fired or cancelled meanwhile */
    }
    if (!ret) {
        ret = GD_STORE(svc->store, workorder_get, d->shop_id, d->workorder_id, a, wo, err);
    }
    if (ret) {
        return ret;
    }
    if (strcmp(d->kind, "overdue") == 0) {
        return fire_overdue(svc, d, wo, changed, err);
    }
    if (gd_svc__collab_fire) {
        return gd_svc__collab_fire(svc, d, wo, a, changed, err);
    }
    return GD_OK;
}

int gd_svc_deadline_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                         struct gd_err *err)
{
    struct gd_workorder wo;
    bool changed = false;
    int ret;

    if (GD_STORE(svc->store, begin, err)) {
        return GD_EDB;
    }
    ret = fire_in_tx(svc, d, a, &wo, false, &changed, err);
    if (ret || (ret = GD_STORE(svc->store, commit, err))) {
        GD_STORE0(svc->store, rollback);
        return ret;
    }
    if (changed) {
        gd_svc__changed(svc, &wo);
    }
    return GD_OK;
}

/* Due order (then id), so a reminder fires before the deadline it announces even when both
 * are claimed in one batch: the claim's RETURNING order is unspecified. */
static int by_due(const void *x, const void *y)
{
    const struct gd_deadline *a = x, *b = y;
    if (a->due_at != b->due_at) {
        return a->due_at < b->due_at ? -1 : 1;
    }
    return (a->id > b->id) - (a->id < b->id);
}

int gd_svc_deadlines_run(struct gd_svc *svc, int64_t now, int max, int *fired,
                         struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_deadline *due;
    struct gd_workorder *wos;
    bool *changed;
    int n = 0, ret;

    *fired = 0;
    if (GD_STORE(svc->store, begin, err)) {
        return GD_EDB;
    }
    /* taken = claimed and marked fired in this transaction: exactly once, and a rollback puts
     * them back (the per-timer path below then marks each itself) */
    ret = GD_STORE(svc->store, deadlines_take, now, max, &a, &due, &n, err);
    if (!ret && n > 1) {
        qsort(due, (size_t)n, sizeof(*due), by_due);
    }
    wos = gd_arena_zalloc(&a, sizeof(*wos) * (size_t)(n ? n : 1));
    changed = gd_arena_zalloc(&a, sizeof(*changed) * (size_t)(n ? n : 1));
    gd_svc__batch_start(svc);
    for (int i = 0; !ret && i < n; i++) {
        ret = fire_in_tx(svc, &due[i], &a, &wos[i], true, &changed[i], err);
    }
    if (!ret) {
        ret = gd_svc__batch_flush(svc, err);
    }
    if (ret || (ret = GD_STORE(svc->store, commit, err))) {
        gd_svc__batch_discard(svc);
        GD_STORE0(svc->store, rollback);
        /* one bad timer must not hold back the rest: fire them one by one */
        if (n > 1) {
            ret = GD_OK;
            for (int i = 0; i < n; i++) {
                struct gd_err e1 = {0};
                if (gd_svc_deadline_fire(svc, &due[i], &a, &e1) == GD_OK) {
                    (*fired)++;
                }
            }
        }
        gd_arena_release(&a);
        return ret;
    }
    for (int i = 0; i < n; i++) {
        if (changed[i]) {
            gd_svc__changed(svc, &wos[i]);
        }
    }
    *fired = n;
    gd_arena_release(&a);
    return GD_OK;
}
