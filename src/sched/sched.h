/* The deadline thread: sleeps until the earliest pending timer (or a nudge when an earlier one
 * is written, or the test clock moves), then fires everything due in batches. On start,
 * everything already due fires at once. Every GD_JANITOR_EVERY_MS (and on start) it also runs
 * the janitor pass: what has outlived its retention rule is removed (service/retention.c).
 * Thread safety: gd_sched_nudge may be called from any thread. */
#ifndef GD_SCHED_H
#define GD_SCHED_H
#include <stdbool.h>
#include "base/worker.h"
#include "service/svc.h"

/* Timers fired per transaction at most (the default of --deadline-batch): larger batches fire a
 * burst faster, smaller ones keep each transaction (and the writers waiting on it) short. */
#define GD_SCHED_BATCH 2000
#define GD_JANITOR_EVERY_MS (10 * 60 * 1000LL)

struct gd_sched {
    struct gd_worker worker;
    struct gd_svc svc;
    int64_t fired_total;
    const char *data_dir; /* where uploads and exports live (NULL: the janitor removes rows only) */
    int64_t janitor_at;   /* the next janitor pass is due at this clock time */
    int batch;            /* timers per transaction, 1..GD_SCHED_BATCH */
    _Atomic int64_t sleeps_until; /* clock time the thread wakes at by itself; 0 in a round */
};

/* Opens its own store on `db_url` and starts the thread, firing `batch` timers per transaction
 * (0 = GD_SCHED_BATCH). */
int gd_sched_start(struct gd_sched *s, const char *db_url, const char *data_dir, int batch,
                   struct gd_svc_shared *shared, struct gd_err *err);
void gd_sched_nudge(struct gd_sched *s);
/* A timer due at `due_at` was written: a nudge when it is earlier than the thread's own wake-up
 * (or a round is running, or due_at is 0: unknown). Every create writes a timer hours ahead;
 * waking for each kept the thread running a round (a writer transaction) per create. */
void gd_sched_nudge_at(struct gd_sched *s, int64_t due_at);
void gd_sched_stop(struct gd_sched *s);
/* One pass without the thread: fires everything due at `now` in transactions of `batch`
 * timers; returns how many fired. */
int gd_sched_run_once(struct gd_svc *svc, int64_t now, int batch, struct gd_err *err);

#endif
