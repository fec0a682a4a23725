/* The sleep of a background thread (waker.h). */
#include "base/waker.h"
#include <errno.h>
#include <time.h>

void gd_waker_init(struct gd_waker *w)
{
    pthread_condattr_t ca;

    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    w->stop = false;
    w->nudged = false;
    w->interrupt = NULL;
    w->interrupt_ctx = NULL;
}

void gd_waker_destroy(struct gd_waker *w)
{
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
}

bool gd_waker_begin(struct gd_waker *w, bool *nudged)
{
    pthread_mutex_lock(&w->lock);
    bool go = !w->stop;
    if (nudged) {
        *nudged = w->nudged;
    }
    w->nudged = false;
    pthread_mutex_unlock(&w->lock);
    return go;
}

bool gd_waker_sleep(struct gd_waker *w, int64_t ms, bool on_nudge)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (ms > 0) {
        ts.tv_sec += (time_t)(ms / 1000);
        ts.tv_nsec += (long)(ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
    }
    pthread_mutex_lock(&w->lock);
    while (ms > 0 && !w->stop && !(on_nudge && w->nudged)) {
        if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == ETIMEDOUT) {
            break;
        }
    }
    bool nudged = w->nudged;
    pthread_mutex_unlock(&w->lock);
    return nudged;
}

/* Under the lock: wakes the sleeper, and a wait elsewhere while not stopped. */
static void signal_locked(struct gd_waker *w)
{
    pthread_cond_signal(&w->cond);
    if (w->interrupt) {
        w->interrupt(w->interrupt_ctx);
    }
}

void gd_waker_nudge(struct gd_waker *w)
{
    pthread_mutex_lock(&w->lock);
    if (!w->stop) {
        w->nudged = true;
        signal_locked(w);
    }
    pthread_mutex_unlock(&w->lock);
}

void gd_waker_stop(struct gd_waker *w)
{
    pthread_mutex_lock(&w->lock);
    if (!w->stop) {
        w->stop = true;
        signal_locked(w);
    }
    pthread_mutex_unlock(&w->lock);
}
