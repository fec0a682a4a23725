/* Firing timers. Each firing is one transaction that re-checks the work order, so a timer whose
 * reason has gone (the work order was completed, the deadline moved, the seller replied) is
 * taken (its row deleted) and does nothing else. Collaborative timers are handled by the collab service. */
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
    /* the version stays: only the mark changes the flag without a user's write, only from false
     * to true, and only once the deadline has passed, so a rendered row is known by its version
     * and the clock (http/rowcache.h) and wo_todo's entry, which holds the version, stays put */
    wo->overdue = true;
    wo->updated_at = gd_clock_now_ms();
    bool queued = gd_svc__batch_mark_overdue(svc, wo);
    if ((!queued && (ret = GD_STORE(svc->store, workorder_mark_overdue, wo, err))) ||
        (ret = gd_svc__event(svc, wo, 0, "overdue", "{}", wo->updated_at, err)) ||
        (ret = gd_svc__counters(svc, &before, wo, err))) {
        return ret;
    }
    *changed = true;
    return GD_OK;
}

/* Takes the timer (unless the batch's claim did) and acts on its work order, inside the caller's
 * transaction; `read` is the work order as the batch read it in this transaction (NULL, or id 0:
 * read it now). */
static int fire_in_tx(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                      const struct gd_workorder *read, struct gd_workorder *wo, bool taken,
                      bool *changed, struct gd_err *err)
{
    int ret = taken ? GD_OK : GD_STORE(svc->store, deadline_take, d, err);
    if (ret == GD_ESTALE) {
        gd_err_clear(err);
        return GD_OK; /* fired or cancelled meanwhile */
    }
    if (!ret && read && read->id) {
        *wo = *read;
    } else if (!ret) {
        ret = GD_STORE(svc->store, workorder_get, d->shop_id, d->workorder_id, a, wo, err);
    }
    if (ret) {
        return ret;
    }
    if (strcmp(d->kind, "overdue") == 0) {
        return fire_overdue(svc, d, wo, changed, err);
    }
    if (gd_svc__is_target_timer(d->kind)) {
        return gd_svc__targets_fire(svc, d, wo, changed, err);
    }
    if (gd_svc__collab_fire) {
        return gd_svc__collab_fire(svc, d, wo, a, changed, err);
    }
    return GD_OK;
}

struct fire_one {
    const struct gd_deadline *d;
    struct gd_arena *a;
};

static int fire_one_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct fire_one *x = ctx;
    struct gd_workorder wo;
    bool changed = false;
    int ret = fire_in_tx(svc, x->d, x->a, NULL, &wo, false, &changed, err);
    if (!ret && changed) {
        gd_svc__changed(svc, &wo);
    }
    return ret;
}

int gd_svc_deadline_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                         struct gd_err *err)
{
    struct fire_one x = {d, a};
    return gd_svc__uow_run(svc, d->shop_id, fire_one_unit, &x, err);
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

/* Work order id, then position: the timers of one work order together, in firing order. */
static int by_workorder(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    if (a[0] != b[0]) {
        return a[0] < b[0] ? -1 : 1;
    }
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Reads the work orders of the timers at `at[0..n)` of the batch into out[at[i]]: `brief`, the
 * columns an overdue firing reads (store.h), or all of them. */
static int read_some(struct gd_svc *svc, const struct gd_deadline *due, const int *at, int n,
                     bool brief, struct gd_arena *a, struct gd_workorder *out, struct gd_err *err)
{
    int64_t *shops = gd_arena_alloc(a, sizeof(*shops) * (size_t)(n + 1));
    int64_t *ids = gd_arena_alloc(a, sizeof(*ids) * (size_t)(n + 1));
    struct gd_workorder *got = gd_arena_alloc(a, sizeof(*got) * (size_t)(n + 1));
    int ret;

    for (int i = 0; i < n; i++) {
        shops[i] = due[at[i]].shop_id;
        ids[i] = due[at[i]].workorder_id;
    }
    ret = brief ? GD_STORE(svc->store, workorders_get_brief, shops, ids, n, a, got, err)
                : GD_STORE(svc->store, workorders_get_many, shops, ids, n, a, got, err);
    /* an overdue mark moves the statistics without the work order's stored contribution
     * (stats.c): only the other timers' work orders need theirs */
    if (!ret && !brief) {
        ret = gd_svc__batch_contribs_load(svc, shops, ids, n, err);
    }
    for (int i = 0; !ret && i < n; i++) {
        out[at[i]] = got[i];
    }
    return ret;
}

/* The work orders of the batch's timers, read in one statement per kind of read (one round trip
 * on PostgreSQL, not one per timer): brief for the overdue timers, whole for the others, whose
 * statistics contributions go into the batch (batch.c). A work order with several timers in the
 * batch is given only to its first: the later ones read it again, after the first changed it. */
static int read_batch(struct gd_svc *svc, const struct gd_deadline *due, int n, struct gd_arena *a,
                      struct gd_workorder **out, struct gd_err *err)
{
    int *overdue = gd_arena_alloc(a, sizeof(*overdue) * (size_t)n);
    int *other = gd_arena_alloc(a, sizeof(*other) * (size_t)n);
    int64_t *order = gd_arena_alloc(a, 2 * sizeof(*order) * (size_t)n);
    int nover = 0, nother = 0;

    *out = gd_arena_alloc(a, sizeof(**out) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (strcmp(due[i].kind, "overdue") == 0) {
            overdue[nover++] = i;
        } else {
            other[nother++] = i;
        }
        order[2 * i] = due[i].workorder_id;
        order[2 * i + 1] = i;
    }
    int ret = read_some(svc, due, overdue, nover, true, a, *out, err);
    if (!ret) {
        ret = read_some(svc, due, other, nother, false, a, *out, err);
    }
    qsort(order, (size_t)n, 2 * sizeof(*order), by_workorder);
    for (int i = 1; !ret && i < n; i++) {
        if (order[2 * i] == order[2 * (i - 1)]) {
            (*out)[order[2 * i + 1]].id = 0;
        }
    }
    return ret;
}

struct fire_batch {
    int64_t now;
    int max;
    struct gd_arena *a;
    struct gd_deadline *due; /* what the last attempt took */
    int n;
};

static int fire_batch_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct fire_batch *x = ctx;
    struct gd_workorder wo, *read = NULL;
    int ret;

    /* taken = claimed and deleted in this transaction: exactly once, and a rollback puts them
     * back (the per-timer path then takes each itself) */
    x->n = 0;
    if ((ret = GD_STORE(svc->store, deadlines_take, x->now, x->max, x->a, &x->due, &x->n, err))) {
        return ret;
    }
    if (x->n > 1) {
        qsort(x->due, (size_t)x->n, sizeof(*x->due), by_due);
    }
    gd_svc__batch_start(svc); /* the runner writes the summed counter moves before the commit */
    if (x->n > 0 && (ret = read_batch(svc, x->due, x->n, x->a, &read, err))) {
        return ret;
    }
    for (int i = 0; !ret && i < x->n; i++) {
        bool changed = false;
        /* An overdue mark on a work order as the batch read it writes rows nothing later in the
         * batch reads back (a later timer of the same work order reads it again, after the
         * flush below; a notification's check of who may open it reads the timeline for what
         * people did, not for a system's overdue event): its mark, event and notification are
         * queued and written a statement per kind for the batch (batch.c). Any other firing reads
         * and writes the store as it is: what is queued is written first. */
        bool defer = read[i].id && strcmp(x->due[i].kind, "overdue") == 0;
        if (!defer) {
            ret = gd_svc__batch_rows_flush(svc, err);
        }
        gd_svc__batch_defer(svc, defer);
        if (!ret) {
            ret = fire_in_tx(svc, &x->due[i], x->a, &read[i], &wo, true, &changed, err);
        }
        if (!ret && changed) {
            gd_svc__changed(svc, &wo);
        }
    }
    return ret;
}

int gd_svc_deadlines_run(struct gd_svc *svc, int64_t now, int max, int *fired, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct fire_batch x = {now, max, &a, NULL, 0};
    /* timers of every shop in one transaction: a platform-wide unit */
    int ret = gd_svc__uow_run(svc, 0, fire_batch_unit, &x, err);

    *fired = ret ? 0 : x.n;
    if (ret && x.n > 1) {
        /* one bad timer must not hold back the rest: fire them one by one */
        ret = GD_OK;
        for (int i = 0; i < x.n; i++) {
            struct gd_err e1 = {0};
            if (gd_svc_deadline_fire(svc, &x.due[i], &a, &e1) == GD_OK) {
                (*fired)++;
            }
        }
    }
    gd_arena_release(&a);
    return ret;
}
