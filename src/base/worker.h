/* A background thread's life cycle: the deadline thread, the export worker, the webhook
 * deliverer and the cluster's change listener are each one. The thread runs `round` again and
 * again; between two rounds it sleeps as long as the round asked (at most `period_ms`), cut short
 * by gd_worker_wake (new work) or gd_worker_stop.
 *
 * A thread that waits somewhere else (curl_multi_poll, a database's LISTEN) names how to cut
 * that wait short with gd_worker_set_interrupt, or returns to the loop often enough to see the
 * stop (gd_worker_is_stopping). Built on base/waker.c: a wake that arrives while a round runs is
 * kept, so the next sleep returns at once.
 * Thread safety: wake, is_stopping and pause may be called from any thread; start and stop from
 * the thread that owns the struct. */
#ifndef GD_BASE_WORKER_H
#define GD_BASE_WORKER_H
#include <stdatomic.h>
#include <stdint.h>
#include "base/err.h"
#include "base/waker.h"

/* What a round answers when it knows of no work: sleep the whole period. */
#define GD_WORKER_IDLE INT64_MAX

/* One round of the thread's work; `woken` says a wake came since the last round. Returns the
 * milliseconds to sleep before the next one (<= 0: none; GD_WORKER_IDLE: the period). */
typedef int64_t gd_worker_round_fn(void *ctx, bool woken);

struct gd_worker {
    pthread_t thread;
    struct gd_waker waker;
    atomic_bool running;
    int64_t period_ms;
    gd_worker_round_fn *round;
    void *ctx;
};

/* Starts the thread (`name` is for the error: "cannot start the <name> thread"). */
int gd_worker_start(struct gd_worker *w, const char *name, gd_worker_round_fn *round, void *ctx,
                    int64_t period_ms, struct gd_err *err);
/* For a round that waits elsewhere: `interrupt(ctx)` is called (under the waker's lock) by every
 * wake and by the stop, never after the stop. Call after gd_worker_start (which initialises the
 * waker: an interrupt set before it was lost); a wake before it only ends the sleep. */
void gd_worker_set_interrupt(struct gd_worker *w, void (*interrupt)(void *ctx), void *ctx);
/* Cuts the sleep between rounds short (new work); nothing before the start or once stopped. */
void gd_worker_wake(struct gd_worker *w);
/* Stops the thread after its round and joins it; false (nothing done) when it was not
 * running. */
bool gd_worker_stop(struct gd_worker *w);
/* For long rounds that give up early on a stop. */
bool gd_worker_is_stopping(const struct gd_worker *w);
/* The stop flag itself, for code below the round that polls it (an export's row loop). */
const volatile bool *gd_worker_stop_flag(const struct gd_worker *w);
/* Sleeps up to `ms` within a round (a back-off), cut short only by the stop. */
void gd_worker_pause(struct gd_worker *w, int64_t ms);

#endif
