/* The generation fence (src/store/pg/fence.c): the view cache is never older than the data only
 * if every generation a caller gets was read by a statement that started after the caller
 * asked. Here the database is a number that a writer moves (its commits) and a read takes it at
 * some moment between the read's start and its end, each half a random pause, as a round trip
 * does. READERS threads, each with its own handle on one URL (one fence, as a server's
 * threads), ask without pause while the writer commits: what each gets must be no older than
 * the state when it asked. A fence that handed out a read already under way fails this at
 * once. The reads must also be shared: fewer round trips than calls. A failed read is the
 * failure of every caller it answers, never a value.
 *
 * The same holds for callers that do not wait (gd_pg_generation_ask: the server's suspended
 * requests): ASKERS threads ask and are called back on the fence's reader thread, each value no
 * older than the state when it asked; and a value given to a thread (gd_pg_generation_given)
 * answers that thread's reads without a round trip. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "../unit/check.h"
#include "store/backends.h"
#include "store/pg/pg_int.h"

#define READERS 4
#define ASKERS 4
#define COMMITS 2000

static char url[] = "postgresql:///fence-test";
static _Atomic int64_t db;   /* the commits so far */
static _Atomic bool db_down; /* reads fail */
static _Atomic bool writing = true;
static _Atomic long calls, stale, errors, round_trips, answers;
static struct gd_pg reader_handle; /* the fence reader's, opened by fake_open */

static int fake_open(const char *u, struct gd_store **out, struct gd_err *err)
{
    (void)err;
    reader_handle.url = (char *)u;
    *out = &reader_handle.base;
    return GD_OK;
}

static void pause_us(unsigned *seed, int max)
{
    struct timespec ts = {0, (long)(rand_r(seed) % max) * 1000};
    nanosleep(&ts, NULL);
}

static int slow_read(struct gd_pg *p, int64_t *out)
{
    static _Thread_local unsigned seed;
    seed += (unsigned)(uintptr_t)p;
    atomic_fetch_add(&round_trips, 1);
    pause_us(&seed, 60); /* the statement travels to the server */
    if (atomic_load(&db_down)) {
        return GD_EDB;
    }
    *out = atomic_load(&db); /* the snapshot */
    pause_us(&seed, 60);     /* the answer travels back */
    return GD_OK;
}

static void *reader(void *arg)
{
    struct gd_pg *p = arg;
    while (atomic_load(&writing)) {
        int64_t before = atomic_load(&db), g = -1;
        if (gd_pg__fenced_read(p, slow_read, &g)) {
            atomic_fetch_add(&errors, 1);
            continue;
        }
        atomic_fetch_add(&calls, 1);
        if (g < before) {
            atomic_fetch_add(&stale, 1);
        }
    }
    return NULL;
}

/* An asker's wait for its call back. */
struct ask {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    int status;
    int64_t value;
};

static void answered(void *ctx, int status, int64_t value)
{
    struct ask *a = ctx;
    pthread_mutex_lock(&a->mu);
    a->done = true;
    a->status = status;
    a->value = value;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

static void *asker(void *arg)
{
    (void)arg;
    struct ask a = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    while (atomic_load(&writing)) {
        int64_t before = atomic_load(&db);
        a.done = false;
        if (!gd_pg_generation_ask(url, answered, &a)) {
            atomic_fetch_add(&errors, 1);
            return NULL;
        }
        pthread_mutex_lock(&a.mu);
        while (!a.done) {
            pthread_cond_wait(&a.cv, &a.mu);
        }
        pthread_mutex_unlock(&a.mu);
        atomic_fetch_add(&answers, 1);
        if (a.status) {
            atomic_fetch_add(&errors, 1);
        } else if (a.value < before) {
            atomic_fetch_add(&stale, 1);
        }
    }
    return NULL;
}

int main(void)
{
    static struct gd_pg handles[READERS];
    pthread_t th[READERS + ASKERS];
    unsigned seed = 1;

    gd_pg__fence_open = fake_open;
    for (int i = 0; i < READERS; i++) {
        handles[i].url = url;
        pthread_create(&th[i], NULL, reader, &handles[i]);
    }
    for (int i = READERS; i < READERS + ASKERS; i++) {
        pthread_create(&th[i], NULL, asker, NULL);
    }
    /* commits go on until both kinds of caller have asked COMMITS times while they were made
     * (a loaded machine may run the threads late: no fixed count of calls is promised) */
    int64_t commits = 0;
    while (commits < COMMITS || atomic_load(&calls) < COMMITS || atomic_load(&answers) < COMMITS) {
        pause_us(&seed, 100);
        commits = atomic_fetch_add(&db, 1) + 1;
    }
    atomic_store(&writing, false);
    for (int i = 0; i < READERS + ASKERS; i++) {
        pthread_join(th[i], NULL);
    }
    printf("%ld calls by %d threads, %ld call backs to %d, %ld round trips, %lld commits\n",
           atomic_load(&calls), READERS, atomic_load(&answers), ASKERS, atomic_load(&round_trips),
           (long long)commits);
    CHECK_EQ_INT(atomic_load(&stale), 0);
    CHECK_EQ_INT(atomic_load(&errors), 0);
    CHECK(atomic_load(&round_trips) < atomic_load(&calls) + atomic_load(&answers));
    CHECK_EQ_INT(gd_pg_generation_answers(), atomic_load(&calls) + atomic_load(&answers));

    /* a value given to this thread answers its reads, without a round trip, until taken back */
    long trips = atomic_load(&round_trips);
    int64_t given = 12345, g0 = -1;
    gd_pg_generation_given(&given);
    CHECK_EQ_INT(gd_pg__fenced_read(&handles[0], slow_read, &g0), GD_OK);
    CHECK_EQ_INT(g0, 12345);
    CHECK_EQ_INT(atomic_load(&round_trips), trips);
    gd_pg_generation_given(NULL);
    CHECK_EQ_INT(gd_pg__fenced_read(&handles[0], slow_read, &g0), GD_OK);
    CHECK_EQ_INT(g0, commits);
    CHECK_EQ_INT(atomic_load(&round_trips), trips + 1);

    /* the database fails: the caller gets the failure, not the last value */
    struct gd_pg other = {.url = url};
    int64_t g = -1;
    atomic_store(&db_down, true);
    CHECK_EQ_INT(gd_pg__fenced_read(&other, slow_read, &g), GD_EDB);
    atomic_store(&db_down, false);
    CHECK_EQ_INT(gd_pg__fenced_read(&other, slow_read, &g), GD_OK);
    CHECK_EQ_INT(g, commits);
    return check_report("pg_test_fence");
}
