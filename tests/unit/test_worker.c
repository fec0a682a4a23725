/* Unit tests of base/worker: a round that waits somewhere else (here poll() on a pipe, as the
 * webhook deliverer waits in curl_multi_poll) is cut short by a wake and by the stop through the
 * interrupt it names. (The interrupt was once set before the start, which wiped it: a wake then
 * left the deliverer polling out its whole second.) */
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include "base/worker.h"
#include "check.h"

/* far longer than the test waits for anything: a poll that ends by its timeout is a failure */
#define WAIT_MS 20000

struct waiter {
    struct gd_worker worker;
    int pipe[2];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int polling;   /* rounds that have begun their poll */
    int cut;       /* polls ended by the pipe (the interrupt) */
    int timed_out; /* polls ended by their timeout */
};

static void interrupt(void *ctx)
{
    struct waiter *w = ctx;
    ssize_t n = write(w->pipe[1], "x", 1);
    (void)n;
}

static int64_t round_wait(void *ctx, bool woken)
{
    struct waiter *w = ctx;
    (void)woken;
    pthread_mutex_lock(&w->lock);
    w->polling++;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);

    struct pollfd p = {.fd = w->pipe[0], .events = POLLIN};
    int n = poll(&p, 1, WAIT_MS);
    char buf[16];
    bool by_pipe = n > 0 && read(w->pipe[0], buf, sizeof(buf)) > 0;
    pthread_mutex_lock(&w->lock);
    if (by_pipe) {
        w->cut++;
    } else {
        w->timed_out++;
    }
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    return GD_WORKER_IDLE;
}

/* Waits (bounded far below WAIT_MS) until *counter reaches want. */
static void wait_for(struct waiter *w, const int *counter, int want)
{
    pthread_mutex_lock(&w->lock);
    while (*counter < want && w->timed_out == 0) {
        pthread_cond_wait(&w->cond, &w->lock);
    }
    pthread_mutex_unlock(&w->lock);
}

static void test_wake_and_stop_cut_the_wait(void)
{
    struct waiter w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
    struct gd_err err = {0};
    CHECK(pipe(w.pipe) == 0);
    CHECK(gd_worker_start(&w.worker, "test", round_wait, &w, WAIT_MS, &err) == GD_OK);
    gd_worker_set_interrupt(&w.worker, interrupt, &w);

    /* the first round is polling (or about to: the byte waits in the pipe either way) */
    wait_for(&w, &w.polling, 1);
    gd_worker_wake(&w.worker);
    wait_for(&w, &w.cut, 1);
    CHECK_EQ_INT(w.cut, 1);

    /* the wake also ended the sleep between rounds: a second round polls; the stop cuts it */
    wait_for(&w, &w.polling, 2);
    CHECK(gd_worker_stop(&w.worker));
    CHECK_EQ_INT(w.cut, 2);
    CHECK_EQ_INT(w.timed_out, 0);
    close(w.pipe[0]);
    close(w.pipe[1]);
}

int main(void)
{
    test_wake_and_stop_cut_the_wait();
    return check_report("test_worker");
}
