/* The write pool (writepool.h): a queue of jobs and the threads that take them in turn. */
#include "http/writepool.h"
#include <pthread.h>
#include <stdlib.h>
#include "base/xalloc.h"

struct job {
    struct job *next;
    void (*fn)(void *ctx);
    void *ctx;
};

struct gd_writepool {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a job was queued, or the pool stops */
    struct job *head, *tail;
    bool stopping;
    int nthreads;
    pthread_t *threads;
};

static void *run(void *arg)
{
    struct gd_writepool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stopping) {
            pthread_cond_wait(&p->work, &p->mu);
        }
        struct job *j = p->head;
        if (!j) {
            break; /* stopping, and nothing left to run */
        }
        p->head = j->next;
        if (!p->head) {
            p->tail = NULL;
        }
        pthread_mutex_unlock(&p->mu);
        j->fn(j->ctx);
        free(j);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int gd_writepool_start(struct gd_writepool **out, int threads, struct gd_err *err)
{
    struct gd_writepool *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    p->threads = xcalloc((size_t)(threads > 0 ? threads : 1), sizeof(*p->threads));
    for (int i = 0; i < (threads > 0 ? threads : 1); i++) {
        if (pthread_create(&p->threads[i], NULL, run, p)) {
            gd_writepool_stop(p);
            *out = NULL;
            return gd_err_set(err, GD_EIO, "cannot start the write pool's threads");
        }
        p->nthreads++;
    }
    *out = p;
    return GD_OK;
}

bool gd_writepool_submit(struct gd_writepool *p, void (*fn)(void *ctx), void *ctx)
{
    struct job *j = xmalloc(sizeof(*j));
    *j = (struct job){NULL, fn, ctx};
    pthread_mutex_lock(&p->mu);
    bool queued = !p->stopping;
    if (queued) {
        if (p->tail) {
            p->tail->next = j;
        } else {
            p->head = j;
        }
        p->tail = j;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
    if (!queued) {
        free(j);
    }
    return queued;
}

void gd_writepool_stop(struct gd_writepool *p)
{
    if (!p) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++) {
        pthread_join(p->threads[i], NULL);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    free(p->threads);
    free(p);
}
