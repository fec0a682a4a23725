/* The generation fence (src/store/pg/fence.c): the view cache is never older than the data only
 * if every generation a caller gets was read by a statement that started after the caller
 * asked. Here the database is a number that a writer moves (its commits) and a read takes it at
 * some moment between the read's start and its end, each half a random pause, as a round trip
 * does. READERS threads, each with its own handle on one URL (one fence, as a server's
 * threads), ask without pause while the writer commits: what each gets must be no older than
 * the state when it asked. A fence that handed out a read already under way fails this at
 * once. The reads must also be shared: fewer round trips than calls. A failed read is the
 * failure of every caller it answers, never a value. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "../unit/check.h"
#include "store/pg/pg_int.h"

#define READERS 8
#define COMMITS 2000

static char url[] = "postgresql:///fence-test";
static _Atomic int64_t db;   /* the commits so far */
static _Atomic bool db_down; /* reads fail */
static _Atomic bool writing = true;
static _Atomic long calls, stale, errors, round_trips;

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

int main(void)
{
    static struct gd_pg handles[READERS];
    pthread_t th[READERS];
    unsigned seed = 1;

    for (int i = 0; i < READERS; i++) {
        handles[i].url = url;
        pthread_create(&th[i], NULL, reader, &handles[i]);
    }
    for (int k = 0; k < COMMITS; k++) {
        pause_us(&seed, 100);
        atomic_fetch_add(&db, 1);
    }
    atomic_store(&writing, false);
    for (int i = 0; i < READERS; i++) {
        pthread_join(th[i], NULL);
    }
    printf("%ld calls by %d threads, %ld round trips, %d commits\n", atomic_load(&calls), READERS,
           atomic_load(&round_trips), COMMITS);
    CHECK_EQ_INT(atomic_load(&stale), 0);
    CHECK_EQ_INT(atomic_load(&errors), 0);
    CHECK(atomic_load(&calls) > COMMITS);
    CHECK(atomic_load(&round_trips) < atomic_load(&calls));

    /* the database fails: the caller gets the failure, not the last value */
    struct gd_pg other = {.url = url};
    int64_t g = -1;
    atomic_store(&db_down, true);
    CHECK_EQ_INT(gd_pg__fenced_read(&other, slow_read, &g), GD_EDB);
    atomic_store(&db_down, false);
    CHECK_EQ_INT(gd_pg__fenced_read(&other, slow_read, &g), GD_OK);
    CHECK_EQ_INT(g, COMMITS);
    return check_report("pg_test_fence");
}
