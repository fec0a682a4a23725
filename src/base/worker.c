/* A background thread's life cycle (worker.h). */
#include "base/worker.h"

static void *worker_main(void *arg)
{
    struct gd_worker *w = arg;
    bool woken;

    while (gd_waker_begin(&w->waker, &woken)) {
        int64_t ms = w->round(w->ctx, woken);
        gd_waker_sleep(&w->waker, ms > w->period_ms ? w->period_ms : ms, true);
    }
    return NULL;
}

int gd_worker_start(struct gd_worker *w, const char *name, gd_worker_round_fn *round, void *ctx,
                    int64_t period_ms, struct gd_err *err)
{
    w->round = round;
    w->ctx = ctx;
    w->period_ms = period_ms;
    gd_waker_init(&w->waker);
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
        return gd_err_set(err, GD_EIO, "cannot start the %s thread", name);
    }
    atomic_store(&w->running, true);
    return GD_OK;
}

void gd_worker_set_interrupt(struct gd_worker *w, void (*interrupt)(void *ctx), void *ctx)
{
    /* after the start, since starting initialises the waker; under its lock, since a wake from
     * another thread may be calling the interrupt already */
    pthread_mutex_lock(&w->waker.lock);
    w->waker.interrupt = interrupt;
    w->waker.interrupt_ctx = ctx;
    pthread_mutex_unlock(&w->waker.lock);
}

void gd_worker_wake(struct gd_worker *w)
{
    if (!atomic_load(&w->running)) {
        return;
    }
    gd_waker_nudge(&w->waker);
}

bool gd_worker_stop(struct gd_worker *w)
{
    if (!atomic_load(&w->running)) {
        return false;
    }
    gd_waker_stop(&w->waker);
    pthread_join(w->thread, NULL);
    atomic_store(&w->running, false);
    /* the waker is not destroyed: a late wake from another thread may still take its lock (it
     * holds no resources) */
    return true;
}

bool gd_worker_is_stopping(const struct gd_worker *w) { return w->waker.stop; }

const volatile bool *gd_worker_stop_flag(const struct gd_worker *w) { return &w->waker.stop; }

void gd_worker_pause(struct gd_worker *w, int64_t ms) { gd_waker_sleep(&w->waker, ms, false); }
