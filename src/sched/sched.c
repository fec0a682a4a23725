/* The deadline thread. Its decisions live in gd_sched_run_once so tests drive them with a
 * chosen time; the thread only decides how long to sleep. */
#include <errno.h>
#include "base/clock.h"
#include "base/log.h"
#include "sched/sched.h"

#define IDLE_MS 60000 /* re-check at least this often, even with nothing pending */

int gd_sched_run_once(struct gd_svc *svc, int64_t now, struct gd_err *err)
{
    int total = 0, fired, ret;
    do {
        ret = gd_svc_deadlines_run(svc, now, GD_SCHED_BATCH, &fired, err);
        total += fired;
    } while (!ret && fired == GD_SCHED_BATCH);
    return ret ? ret : total;
}

static void *run(void *arg)
{
    struct gd_sched *s = arg;
    struct gd_err err = {0};

    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        s->nudged = false;
        pthread_mutex_unlock(&s->lock);

        int n = gd_sched_run_once(&s->svc, gd_clock_now_ms(), &err);
        if (n < 0) {
            gd_log(GD_LOG_ERROR, "deadline pass failed: %s", err.msg);
        } else if (n > 0) {
            s->fired_total += n;
            gd_log(GD_LOG_DEBUG, "deadlines fired n=%d", n);
        }
        int64_t next = 0, wait_ms = IDLE_MS;
        if (GD_STORE(s->svc.store, deadline_next_due, &next, &err) == GD_OK && next) {
            wait_ms = next - gd_clock_now_ms();
        }
        if (n < 0) {
            wait_ms = 1000; /* back off after a failure */
        }
        if (wait_ms > IDLE_MS) {
            wait_ms = IDLE_MS;
        }

        pthread_mutex_lock(&s->lock);
        if (wait_ms > 0 && !s->stop && !s->nudged) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += wait_ms / 1000;
            ts.tv_nsec += (wait_ms % 1000) * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            while (!s->stop && !s->nudged) {
                if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT) {
                    break;
                }
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int gd_sched_start(struct gd_sched *s, const char *db_url, struct gd_svc_shared *shared,
                   struct gd_err *err)
{
    pthread_condattr_t ca;

    memset(s, 0, sizeof(*s));
    if (gd_store_open(db_url, false, &s->svc.store, err)) {
        return GD_EIO;
    }
    s->svc.shared = shared;
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&s->thread, NULL, run, s)) {
        gd_store_close(s->svc.store);
        return gd_err_set(err, GD_EIO, "cannot start the deadline thread");
    }
    s->running = true;
    return GD_OK;
}

void gd_sched_nudge(struct gd_sched *s)
{
    pthread_mutex_lock(&s->lock);
    s->nudged = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void gd_sched_stop(struct gd_sched *s)
{
    if (!s->running) {
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    gd_store_close(s->svc.store);
    s->running = false;
}
