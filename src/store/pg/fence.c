/* The generation fence: one snapshot read serves every request of the process that asked for
 * the generation while it was being read.
 *
 * A cached view is never older than the data when its generation was read after the request
 * arrived: any commit acknowledged before then (by any connection or node) is in that read's
 * snapshot. A read already in flight when a request arrives may have started before a commit
 * the client saw acknowledged, so it is not good enough for that request; the next read is.
 * So a caller waits for the first read that *starts* after it asked. The reads are made by one
 * reader thread per fence on a connection of its own, back to back while anyone waits: each
 * read answers everyone who asked before it started. Under load one round trip then answers
 * every request that asked during the previous one (docs/PERFORMANCE.md, "Where PostgreSQL's
 * time goes").
 *
 * A caller either waits on its thread (gd_pg__fenced_read) or is called back on the reader's
 * (gd_pg_generation_ask): the server suspends a request's connection meanwhile, so the thread
 * serves other requests instead of waiting (docs/decisions.md, "The generation is waited for
 * with the connection suspended"). The value it is called back with is then given to the
 * request's own reads (gd_pg_generation_given).
 *
 * One fence per database URL, for the life of the process (a handful of URLs at most); its
 * reader starts with the first read asked for. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/xalloc.h"
#include "store/backends.h"
#include "store/pg/pg_int.h"

struct waiter { /* a caller to be called back */
    struct waiter *next;
    gd_store_gen_cb done;
    void *ctx;
};

struct gd_pg_fence {
    struct gd_pg_fence *next;
    char *url;
    gd_pg_gen_fn read; /* the read itself (the snapshot's; a test's simulation) */
    pthread_mutex_t mu;
    pthread_cond_t wake; /* the reader: someone waits */
    pthread_cond_t done; /* the threads waiting: a read ended */
    bool reader_started;
    struct gd_store *conn; /* the reader's own handle (NULL until opened, or while it fails) */
    uint64_t started;      /* reads started, numbered from 1 */
    uint64_t finished;     /* the number of the last read that ended */
    uint64_t wanted;       /* the highest read number a waiting thread needs */
    struct waiter *callbacks;
    int ret; /* the last read's status and value */
    int64_t value;
};

static pthread_mutex_t fences_mu = PTHREAD_MUTEX_INITIALIZER;
static struct gd_pg_fence *fences;
static _Thread_local struct gd_pg_fence *last; /* the fence this thread asked last */
static _Atomic long reads, answered;
/* this thread's generation, read for its request through gd_pg_generation_ask */
static _Thread_local struct {
    bool set;
    int64_t value;
} given;

long gd_pg_generation_reads(void) { return atomic_load(&reads); }

long gd_pg_generation_answers(void) { return atomic_load(&answered); }

static void *reader(void *arg);

static int open_reader(const char *url, struct gd_store **out, struct gd_err *err)
{
    return gd_pg_store_open(url, false, out, err);
}

/* The fence of url, with its reader running. */
static struct gd_pg_fence *fence_for(const char *url, gd_pg_gen_fn read)
{
    if (last && strcmp(last->url, url) == 0) {
        return last;
    }
    pthread_mutex_lock(&fences_mu);
    struct gd_pg_fence *f = fences;
    while (f && strcmp(f->url, url) != 0) {
        f = f->next;
    }
    if (!f) {
        f = xcalloc(1, sizeof(*f));
        f->url = xstrdup(url);
        f->read = read;
        pthread_mutex_init(&f->mu, NULL);
        pthread_cond_init(&f->wake, NULL);
        pthread_cond_init(&f->done, NULL);
        pthread_t t;
        if (pthread_create(&t, NULL, reader, f) == 0) {
            pthread_detach(t);
            f->reader_started = true;
        }
        f->next = fences;
        fences = f;
    }
    pthread_mutex_unlock(&fences_mu);
    last = f;
    return f;
}

int (*gd_pg__fence_open)(const char *url, struct gd_store **out, struct gd_err *err) = open_reader;

/* One read on the reader's connection, opened (again) when it is not. */
static int read_once(struct gd_pg_fence *f, int64_t *v)
{
    struct gd_err err = {0};
    if (!f->conn && gd_pg__fence_open(f->url, &f->conn, &err)) {
        static _Atomic long logged;
        if (atomic_fetch_add(&logged, 1) % 1000 == 0) {
            gd_log(GD_LOG_WARN, "generation reader cannot connect: %s", err.msg);
        }
        f->conn = NULL;
        return GD_EUNAVAIL;
    }
    return f->read(PG(f->conn), v);
}

static void *reader(void *arg)
{
    struct gd_pg_fence *f = arg;
    /* named so that per-thread CPU (bench/pgview.sh, top -H, perf) tells it from the server's */
    pthread_setname_np(pthread_self(), "gd-fence");
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->wanted <= f->finished && !f->callbacks) {
            pthread_cond_wait(&f->wake, &f->mu);
        }
        /* everyone waiting now asked before this read starts: it answers them all */
        uint64_t mine = ++f->started;
        struct waiter *batch = f->callbacks;
        f->callbacks = NULL;
        pthread_mutex_unlock(&f->mu);
        int64_t v = 0;
        int ret = read_once(f, &v);
        atomic_fetch_add(&reads, 1);
        pthread_mutex_lock(&f->mu);
        f->finished = mine;
        f->ret = ret;
        f->value = v;
        pthread_cond_broadcast(&f->done);
        pthread_mutex_unlock(&f->mu);
        while (batch) {
            struct waiter *w = batch;
            batch = w->next;
            atomic_fetch_add_explicit(&answered, 1, memory_order_relaxed);
            w->done(w->ctx, ret, v);
            free(w);
        }
        pthread_mutex_lock(&f->mu);
    }
    return NULL;
}

int gd_pg__fenced_read(struct gd_pg *p, gd_pg_gen_fn read, int64_t *out)
{
    if (given.set) { /* read for this thread's request after it began */
        *out = given.value;
        return GD_OK;
    }
    struct gd_pg_fence *f = p->fence ? p->fence : (p->fence = fence_for(p->url, read));
    if (!f->reader_started) { /* no thread to be had: read on this one */
        int ret = read(p, out);
        atomic_fetch_add(&reads, 1);
        return ret;
    }
    pthread_mutex_lock(&f->mu);
    uint64_t need = f->started + 1; /* the first read to start from now on */
    if (f->wanted < need) {
        f->wanted = need;
        pthread_cond_signal(&f->wake);
    }
    while (f->finished < need) {
        pthread_cond_wait(&f->done, &f->mu);
    }
    atomic_fetch_add_explicit(&answered, 1, memory_order_relaxed);
    /* the last read that ended started after this call began (finished >= need) */
    int ret = f->ret;
    if (!ret) {
        *out = f->value;
    }
    pthread_mutex_unlock(&f->mu);
    return ret;
}

bool gd_pg_generation_ask(const char *url, gd_store_gen_cb done, void *ctx)
{
    struct gd_pg_fence *f = fence_for(url, gd_pg__read_snapshot);
    if (!f->reader_started) {
        return false;
    }
    struct waiter *w = xmalloc(sizeof(*w));
    w->done = done;
    w->ctx = ctx;
    pthread_mutex_lock(&f->mu);
    w->next = f->callbacks;
    f->callbacks = w;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->mu);
    return true;
}

void gd_pg_generation_given(const int64_t *value)
{
    given.set = value != NULL;
    given.value = value ? *value : 0;
}
