/* The unit-of-work runner: every write of the service runs through gd_svc__uow_run, which owns
 * begin, commit and rollback, runs the unit again when the store answers GD_ERETRY (store.h:
 * nothing of the attempt was written), and fires the after-commit callbacks (live updates and
 * webhooks through on_change, the scheduler's wake-up) once, only after the commit
 * that made them true. A unit's callbacks are queued while it runs and dropped with a rollback,
 * so a retried unit tells its listeners once, and a failed one never. */
#include <sodium.h>
#include <stdatomic.h>
#include <time.h>
#include "base/log.h"
#include "base/xalloc.h"
#include "service/svc_int.h"

#define UOW_ATTEMPTS 5   /* a unit runs at most this often; then GD_ERETRY (503) */
#define UOW_BACKOFF_MS 4 /* before the 2nd attempt; doubled for each one after */

enum after_kind { AFTER_CHANGED, AFTER_TIMER };

struct after {
    int kind;
    struct gd_workorder wo; /* AFTER_CHANGED (strings borrowed, see below) */
    int64_t at;             /* AFTER_TIMER: due time */
};

struct gd_svc_uow {
    struct after *after;
    int nafter, cap;
};

static _Atomic long retries, gave_up;
static atomic_int inject_retry;

void gd_svc_uow_inject_retry(int attempts) { atomic_store(&inject_retry, attempts); }

static void queue(struct gd_svc *svc, int kind, const struct gd_workorder *wo, int64_t at)
{
    struct gd_svc_uow *u = svc->uow;
    if (u->nafter == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 8;
        u->after = xrealloc(u->after, sizeof(*u->after) * (size_t)u->cap);
    }
    /* the work order is copied; its strings live in the caller's arena, which outlives the
     * runner's call (the callbacks fire before gd_svc__uow_run returns) */
    u->after[u->nafter++] = (struct after){kind, wo ? *wo : (struct gd_workorder){0}, at};
}

static void fire(struct gd_svc *svc, const struct after *x)
{
    struct gd_svc_shared *sh = svc->shared;
    switch (x->kind) {
    case AFTER_CHANGED:
        if (sh && sh->on_change) {
            sh->on_change(sh->on_change_ctx, &x->wo);
        }
        break;
    case AFTER_TIMER:
        if (sh && sh->on_deadline) {
            sh->on_deadline(sh->on_deadline_ctx, x->at);
        }
        break;
    }
}

/* Outside a unit (a read path) a callback fires at once: there is nothing to wait for. */
static void after(struct gd_svc *svc, int kind, const struct gd_workorder *wo, int64_t at)
{
    if (svc->uow) {
        queue(svc, kind, wo, at);
    } else {
        struct after x = {kind, wo ? *wo : (struct gd_workorder){0}, at};
        fire(svc, &x);
    }
}

void gd_svc__changed(struct gd_svc *svc, const struct gd_workorder *wo)
{
    after(svc, AFTER_CHANGED, wo, 0);
}

void gd_svc__timer_set(struct gd_svc *svc, int64_t due_at)
{
    after(svc, AFTER_TIMER, NULL, due_at);
}

/* Sleeps before attempt `attempt` (1 = the second): UOW_BACKOFF_MS doubled per attempt, a
 * random half to all of it, so units that collided do not collide again in step. */
static void backoff(int attempt)
{
    uint32_t ms = UOW_BACKOFF_MS << (attempt - 1);
    uint32_t wait_us = ms * 500 + randombytes_uniform(ms * 500 + 1);
    struct timespec ts = {wait_us / 1000000, (long)(wait_us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static int attempt(struct gd_svc *svc, int64_t shop_id, gd_uow_fn fn, void *ctx, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, begin, shop_id, err);
    if (ret) {
        return ret;
    }
    ret = fn(svc, ctx, err);
    if (!ret && svc->batch) {
        ret = gd_svc__batch_flush(svc, err);
    }
    if (!ret && atomic_load(&inject_retry) > 0) {
        atomic_fetch_sub(&inject_retry, 1); /* the test hook: as if the commit had failed so */
        ret = gd_err_set(err, GD_ERETRY, "injected: the database asks to run the work again");
    }
    if (!ret && (ret = GD_STORE(svc->store, commit, err)) == GD_OK) {
        return GD_OK;
    }
    gd_svc__batch_discard(svc);
    GD_STORE0(svc->store, rollback);
    return ret;
}

int gd_svc__uow_run(struct gd_svc *svc, int64_t shop_id, gd_uow_fn fn, void *ctx,
                    struct gd_err *err)
{
    if (svc->uow) {
        return fn(svc, ctx, err); /* part of the unit already running */
    }
    struct gd_svc_uow u = {0};
    int ret = GD_ERETRY;

    for (int i = 0; i < UOW_ATTEMPTS && ret == GD_ERETRY; i++) {
        if (i) {
            atomic_fetch_add(&retries, 1);
            backoff(i);
            gd_err_clear(err);
        }
        u.nafter = 0; /* what a failed attempt queued is dropped with its writes */
        svc->uow = &u;
        ret = attempt(svc, shop_id, fn, ctx, err);
        svc->uow = NULL;
    }
    if (ret == GD_ERETRY) {
        atomic_fetch_add(&gave_up, 1);
        gd_log(GD_LOG_WARN, "unit of work gave up after %d attempts: %s", UOW_ATTEMPTS,
               err ? err->msg : "");
        gd_err_set(err, GD_ERETRY,
                   "the database could not run this now: %d attempts (the most "
                   "a request makes) met conflicting writes or a lost connection; try again",
                   UOW_ATTEMPTS);
    }
    for (int i = 0; !ret && i < u.nafter; i++) {
        fire(svc, &u.after[i]);
    }
    free(u.after);
    return ret;
}

void gd_svc_uow_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(
        sb,
        "# HELP gongdan_uow_retries_total Units of work run again after the database answered "
        "retry (serialization failure, deadlock, lost connection before commit).\n"
        "# TYPE gongdan_uow_retries_total counter\ngongdan_uow_retries_total %ld\n"
        "# HELP gongdan_uow_gave_up_total Units of work still answered retry after %d attempts "
        "(the request got 503 retry).\n"
        "# TYPE gongdan_uow_gave_up_total counter\ngongdan_uow_gave_up_total %ld\n",
        atomic_load(&retries), UOW_ATTEMPTS, atomic_load(&gave_up));
}
