/* The generation fence: one snapshot read serves every request of the process that asked for
 * the generation while it was being read.
 *
 * A cached view is never older than the data when its generation was read after the request
 * arrived: any commit acknowledged before then (by any connection or node) is in that read's
 * snapshot. A read already in flight when a request arrives may have started before a commit
 * the client saw acknowledged, so it is not good enough for that request; the next read is.
 * So a caller waits for the first read that *starts* after it asked: when none is in flight,
 * it reads itself (on its own connection); when one is, it waits for it to end and then for
 * the next, which one of the waiting threads starts for all of them. Under load one round trip
 * then answers every thread that asked during the previous one, instead of one each
 * (docs/PERFORMANCE.md, "Where PostgreSQL's time goes").
 *
 * One fence per database URL, for the life of the process (a handful of URLs at most). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/xalloc.h"
#include "store/backends.h"
#include "store/pg/pg_int.h"

struct gd_pg_fence {
    struct gd_pg_fence *next;
    char *url;
    pthread_mutex_t mu;
    pthread_cond_t done;
    uint64_t started;  /* reads started, numbered from 1 */
    uint64_t finished; /* the number of the last read that ended */
    bool reading;
    int ret; /* the last read's status and value */
    int64_t value;
};

static pthread_mutex_t fences_mu = PTHREAD_MUTEX_INITIALIZER;
static struct gd_pg_fence *fences;
static _Atomic long reads;

long gd_pg_generation_reads(void) { return atomic_load(&reads); }

static struct gd_pg_fence *fence_for(const char *url)
{
    pthread_mutex_lock(&fences_mu);
    struct gd_pg_fence *f = fences;
    while (f && strcmp(f->url, url) != 0) {
        f = f->next;
    }
    if (!f) {
        f = xcalloc(1, sizeof(*f));
        f->url = xstrdup(url);
        pthread_mutex_init(&f->mu, NULL);
        pthread_cond_init(&f->done, NULL);
        f->next = fences;
        fences = f;
    }
    pthread_mutex_unlock(&fences_mu);
    return f;
}

int gd_pg__fenced_read(struct gd_pg *p, gd_pg_gen_fn read, int64_t *out)
{
    struct gd_pg_fence *f = p->fence ? p->fence : (p->fence = fence_for(p->url));

    pthread_mutex_lock(&f->mu);
    uint64_t need = f->started + 1; /* the first read to start from now on */
    while (f->finished < need) {
        if (f->reading) {
            pthread_cond_wait(&f->done, &f->mu);
            continue;
        }
        uint64_t mine = ++f->started; /* >= need: it starts now */
        f->reading = true;
        pthread_mutex_unlock(&f->mu);
        int64_t v = 0;
        int ret = read(p, &v);
        atomic_fetch_add(&reads, 1);
        pthread_mutex_lock(&f->mu);
        f->reading = false;
        f->finished = mine;
        f->ret = ret;
        f->value = v;
        pthread_cond_broadcast(&f->done);
    }
    /* the last read that ended started after this call began (finished >= need) */
    int ret = f->ret;
    if (!ret) {
        *out = f->value;
    }
    pthread_mutex_unlock(&f->mu);
    return ret;
}
