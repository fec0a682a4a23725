/* bench_create_ceiling: the ceiling of durable creates (make bench (b)): what storage alone
 * allows. THREADS threads (default 8, the server's threads on 2 cores), each with its own
 * service handle as a server thread has, create work orders for SECONDS: per create the token
 * look-up and gd_svc_workorder_create with the body of bench/create.lua, so the same SQL in the
 * same unit of work, grouped by the same writer, with no HTTP and no JSON.
 *
 * usage: bench_create_ceiling DB TOKEN HANDLER_ID [SECONDS] [THREADS]
 * Prints "creates N seconds S per_second R p50_ms A p99_ms B commits C per_commit G
 * commit_ms M" (commits: group commits in the run, per_commit: creates per commit). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "service/svc.h"

#define MAX_THREADS 64
#define MAX_SAMPLES (1 << 20)

struct worker {
    const char *db, *token;
    int64_t handler_id;
    int64_t *lat_us; /* this thread's latencies */
    int n;
    int failed;
};

static atomic_bool stop;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};

    gd_svc_shared_init(&shared);
    if (gd_svc_open(&svc, w->db, false, &err)) {
        fprintf(stderr, "bench_create_ceiling: %s\n", err.msg);
        w->failed = 1;
        return NULL;
    }
    svc.shared = &shared;
    /* bench/create.lua's body, as wo_create (src/http/routes_center.c) reads it */
    struct gd_wo_input in = {.priority = -1,
                             .type = GD_TYPE_AFTER_SALES,
                             .title = "压测创建工单",
                             .content = "买家反馈商品破损，申请退款。",
                             .handler_id = w->handler_id};
    while (!atomic_load(&stop) && w->n < MAX_SAMPLES) {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_actor actor;
        struct gd_workorder wo;
        const char *replay;
        int64_t t0 = mono_us();
        if (gd_svc_auth_token(&svc, w->token, &a, &actor, NULL, &err) ||
            gd_svc_workorder_create(&svc, &actor, &in, NULL, NULL, &a, &wo, &replay, &err)) {
            fprintf(stderr, "bench_create_ceiling: %s\n", err.msg);
            w->failed = 1;
            gd_arena_release(&a);
            break;
        }
        w->lat_us[w->n++] = mono_us() - t0;
        gd_arena_release(&a);
    }
    gd_svc_close(&svc);
    return NULL;
}

static int cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_create_ceiling DB TOKEN HANDLER_ID [SECONDS] [THREADS]\n");
        return 2;
    }
    double seconds = argc > 4 ? strtod(argv[4], NULL) : 10;
    int nthreads = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 8;
    if (nthreads < 1 || nthreads > MAX_THREADS || seconds <= 0) {
        fprintf(stderr, "bench_create_ceiling: THREADS 1..%d, SECONDS > 0\n", MAX_THREADS);
        return 2;
    }
    struct worker w[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    struct gd_svc svc = {0};
    struct gd_ops_gauges g0, g1;
    struct gd_err err = {0};

    if (gd_svc_open(&svc, argv[1], false, &err) || GD_STORE(svc.store, ops_gauges, 0, &g0, &err)) {
        fprintf(stderr, "bench_create_ceiling: %s\n", err.msg);
        return 1;
    }
    int64_t t0 = mono_us();
    for (int i = 0; i < nthreads; i++) {
        w[i] = (struct worker){
            argv[1], argv[2], strtoll(argv[3], NULL, 10), malloc(sizeof(int64_t) * MAX_SAMPLES),
            0,       0};
        pthread_create(&th[i], NULL, run, &w[i]);
    }
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&stop, true);
    int64_t total = 0;
    int failed = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        total += w[i].n;
        failed |= w[i].failed;
    }
    double elapsed = (double)(mono_us() - t0) / 1e6;
    int64_t *all = malloc(sizeof(int64_t) * (size_t)(total ? total : 1));
    int64_t k = 0;
    for (int i = 0; i < nthreads; i++) {
        memcpy(all + k, w[i].lat_us, sizeof(int64_t) * (size_t)w[i].n);
        k += w[i].n;
        free(w[i].lat_us);
    }
    qsort(all, (size_t)total, sizeof(int64_t), cmp);
    /* the writer's counters are per process: this process's commits are the run's */
    if (GD_STORE(svc.store, ops_gauges, 0, &g1, &err)) {
        fprintf(stderr, "bench_create_ceiling: %s\n", err.msg);
        return 1;
    }
    int64_t commits = g1.commits - g0.commits;
    printf("creates %lld seconds %.1f per_second %.0f p50_ms %.2f p99_ms %.2f commits %lld "
           "per_commit %.2f commit_ms %.3f threads %d\n",
           (long long)total, elapsed, (double)total / elapsed,
           total ? (double)all[total / 2] / 1e3 : 0.0,
           total ? (double)all[total * 99 / 100] / 1e3 : 0.0, (long long)commits,
           commits ? (double)total / (double)commits : 0.0,
           commits ? 1e3 * (g1.commit_seconds - g0.commit_seconds) / (double)commits : 0.0,
           nthreads);
    free(all);
    gd_svc_close(&svc);
    return failed;
}
