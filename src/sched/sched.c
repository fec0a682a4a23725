/* The deadline thread. Its decisions live in gd_sched_run_once so tests drive them with a
 * chosen time; the thread only decides how long to sleep. */
#include "sched/sched.h"
#include "base/clock.h"
#include "base/log.h"

#define IDLE_MS 60000 /* re-check at least this often, even with nothing pending */

int gd_sched_run_once(struct gd_svc *svc, int64_t now, int batch, struct gd_err *err)
{
    int total = 0, fired, ret;
    do {
        ret = gd_svc_deadlines_run(svc, now, batch, &fired, err);
        total += fired;
    } while (!ret && fired == batch);
    return ret ? ret : total;
}

/* The janitor pass when it is due; returns the milliseconds until the next one. */
static int64_t janitor(struct gd_sched *s)
{
    struct gd_err err = {0};
    int64_t now = gd_clock_now_ms();
    int removed = 0;

    if (now >= s->janitor_at) {
        if (gd_svc_retention_run(&s->svc, s->data_dir, now, &removed, &err)) {
            gd_log(GD_LOG_ERROR, "janitor pass failed: %s", err.msg);
        } else if (removed > 0) {
            gd_log(GD_LOG_INFO, "janitor pass removed=%d", removed);
        }
        s->janitor_at = now + GD_JANITOR_EVERY_MS;
    }
    return s->janitor_at - now;
}

/* One round of the thread: everything due fires; sleeps until the next timer is due. */
static int64_t round_fire(void *arg, bool woken)
{
    struct gd_sched *s = arg;
    struct gd_err err = {0};

    (void)woken;
    atomic_store(&s->sleeps_until, 0); /* until the next due time is read: every timer nudges */
    int64_t janitor_ms = janitor(s);
    int n = gd_sched_run_once(&s->svc, gd_clock_now_ms(), s->batch, &err);
    if (n < 0) {
        gd_log(GD_LOG_ERROR, "deadline pass failed: %s", err.msg);
    } else if (n > 0) {
        s->fired_total += n;
        gd_log(GD_LOG_DEBUG, "deadlines fired n=%d", n);
    }
    int64_t next = 0, wait_ms = GD_WORKER_IDLE;
    if (GD_STORE(s->svc.store, deadline_next_due, &next, &err) == GD_OK && next) {
        wait_ms = next - gd_clock_now_ms();
    }
    if (n < 0) {
        wait_ms = 1000; /* back off after a failure */
    }
    wait_ms = wait_ms > janitor_ms ? janitor_ms : wait_ms;
    int64_t until = gd_clock_now_ms() + (wait_ms < IDLE_MS ? wait_ms : IDLE_MS);
    atomic_store(&s->sleeps_until, wait_ms > 0 ? until : 0);
    return wait_ms;
}

int gd_sched_start(struct gd_sched *s, const char *db_url, const char *data_dir, int batch,
                   struct gd_svc_shared *shared, struct gd_err *err)
{
    int ret;

    memset(s, 0, sizeof(*s));
    s->data_dir = data_dir;
    s->batch = batch > 0 ? batch : GD_SCHED_BATCH;
    if (gd_store_open(db_url, false, &s->svc.store, err)) {
        return GD_EIO;
    }
    s->svc.shared = shared;
    if ((ret = gd_worker_start(&s->worker, "deadline", round_fire, s, IDLE_MS, err))) {
        gd_store_close(s->svc.store);
        return ret;
    }
    return GD_OK;
}

void gd_sched_nudge(struct gd_sched *s) { gd_worker_wake(&s->worker); }

void gd_sched_nudge_at(struct gd_sched *s, int64_t due_at)
{
    int64_t until = atomic_load(&s->sleeps_until);
    if (due_at <= 0 || until == 0 || due_at < until) {
        gd_worker_wake(&s->worker);
    }
}

void gd_sched_stop(struct gd_sched *s)
{
    if (gd_worker_stop(&s->worker)) {
        gd_store_close(s->svc.store);
    }
}
