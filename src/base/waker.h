/* The sleep of a background thread that other threads can cut short: the loop of base/worker.c
 * is "work, then sleep until a timeout, a nudge (new work) or a stop".
 *
 *     while (gd_waker_begin(&w, NULL)) { work(); gd_waker_sleep(&w, ms, true); }
 *
 * A nudge that arrives while the thread works is kept, so the next sleep returns at once.
 * Thread safety: every function may be called from any thread. */
#ifndef GD_BASE_WAKER_H
#define GD_BASE_WAKER_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct gd_waker {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* timed on CLOCK_MONOTONIC: a wall-clock step does not stretch a sleep */
    volatile bool stop;  /* also read without the lock by work that checks it to give up early */
    bool nudged;
    /* a thread that waits elsewhere (curl_multi_poll) is woken by this too; called under the
     * lock by nudge and stop, never once stopped (NULL: none) */
    void (*interrupt)(void *ctx);
    void *interrupt_ctx;
};

void gd_waker_init(struct gd_waker *w);
void gd_waker_destroy(struct gd_waker *w);
/* Starts a round of work: takes the pending nudge (into *nudged when not NULL); false once
 * stopped. */
bool gd_waker_begin(struct gd_waker *w, bool *nudged);
/* Sleeps up to `ms` (none when <= 0) or until stopped, or nudged when `on_nudge`; returns whether
 * a nudge is pending. */
bool gd_waker_sleep(struct gd_waker *w, int64_t ms, bool on_nudge);
/* Both do nothing once stopped. */
void gd_waker_nudge(struct gd_waker *w);
void gd_waker_stop(struct gd_waker *w);

#endif
