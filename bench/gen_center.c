/* Benchmark data: N work orders across S shops (default 1,000,000 across 100), each shop with a
 * lead and 10 agents, written straight through the store (SQLite: in transactions of 50,000
 * rows; PostgreSQL: from four connections at once) with the view counters and the search index
 * kept exact, so the server answers views, badges and keyword
 * searches over a realistic table. Not written: the timeline (no benchmark reads it).
 * DB is a SQLite path or a postgres:// URL (the same rows through the same store operations).
 * usage: bench_gen_center DB [WORKORDERS] [SHOPS]
 * Prints "agent USERNAME TODO" for the agent with the most to do in shop 1. */
#include <pthread.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "service/svc_int.h"
#include "store/store.h"

#define AGENTS 10
#define DAY (86400 * 1000LL)
#define GEN_PG_THREADS 4

struct shop_counts {
    int64_t shop_id;
    int64_t users[AGENTS + 1]; /* [0] lead */
    int64_t todo[AGENTS + 1], assigned[AGENTS + 1], created[AGENTS + 1], overdue_h[AGENTS + 1];
    int64_t all, overdue;
};

static const char *const titles[] = {"买家申请退款",     "加急发货",     "补打快递面单",
                                     "缺货通知买家",     "退货退款跟进", "大额订单审单",
                                     "核对本周缺货清单", "买家偏好备忘"};

static unsigned next_rand(unsigned long long *rng)
{
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    return (unsigned)(*rng >> 11);
}

static void add(struct gd_store *st, int64_t shop, const char *key, int64_t uid, int64_t n)
{
    char k[GD_COUNTER_KEY];
    if (!n) {
        return;
    }
    if (uid) {
        snprintf(k, sizeof(k), "%s:%lld", key, (long long)uid);
    } else {
        snprintf(k, sizeof(k), "%s", key);
    }
    GD_STORE(st, counter_add, shop, k, (int)n, NULL);
}

/* One generating connection's share: rows first, first + step, ... */
struct gen_part {
    const char *url;
    bool pg;
    long first, step, total;
    int nshops;
    int64_t now;
    unsigned long long rng;
    struct shop_counts *shops; /* this part's counts */
    int failed;
};

static void *gen_rows(void *arg)
{
    struct gen_part *g = arg;
    struct gd_store *st;
    struct gd_err err = {0};
    struct gd_strbuf search = GD_STRBUF_INIT;
    long done = 0;

    if (gd_store_open(g->url, false, &st, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        g->failed = 1;
        return NULL;
    }
    if (g->pg) {
        GD_STORE0(st, relax_durability);
    }
    for (long i = g->first; i < g->total; i += g->step, done++) {
        if (!g->pg && done % 50000 == 0) {
            if (done) {
                GD_STORE(st, commit, &err);
            }
            GD_STORE(st, begin, 0, &err);
        }
        if (g->first == 0 && done % 10000 == 0) {
            fprintf(stderr, "\rgenerated %ld/%ld", i, g->total);
        }
        struct shop_counts *sc = &g->shops[i % g->nshops];
        unsigned r = next_rand(&g->rng);
        int h = 1 + (int)(r % AGENTS), c = (int)((r >> 4) % (AGENTS + 1));
        int type = (int)((r >> 8) % 7);
        unsigned sr = (r >> 12) % 100;
        int state = sr < 40   ? GD_STATE_OPEN
                    : sr < 55 ? GD_STATE_IN_PROGRESS
                    : sr < 90 ? GD_STATE_DONE
                              : GD_STATE_CANCELLED;
        int64_t created = g->now - (int64_t)(next_rand(&g->rng) % (90 * 24)) * 3600000 -
                          (int64_t)(next_rand(&g->rng) % 3600000);
        int64_t dl = gd_type_default_deadline_ms(type);
        struct gd_workorder w = {
            .id = gd_id_new(),
            .shop_id = sc->shop_id,
            .number = i / g->nshops + 1,
            .type = type,
            .state = state,
            .priority = (int)(r % 4),
            .title = titles[r % 8],
            .content = "买家反馈商品问题，请核实后处理并回复买家。",
            .creator_id = sc->users[c],
            .handler_id = sc->users[h],
            .deadline_at = dl ? created + dl : 0,
            .created_at = created,
            .updated_at = created,
            .version = 1,
            .custom = "{}",
        };
        bool active = gd_state_is_active(state);
        w.overdue = active && w.deadline_at && w.deadline_at < g->now;
        if (state == GD_STATE_DONE) {
            w.done_at = created + 3600000;
            w.first_action_at = created + 600000;
        }
        gd_strbuf_reset(&search);
        gd_svc__search_text(&w, &search);
        if (GD_STORE(st, workorder_insert, &w, &err) ||
            GD_STORE(st, search_set, w.shop_id, w.id, search.buf, &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            g->failed = 1;
            break;
        }
        sc->all++;
        sc->created[c]++;
        sc->assigned[h]++;
        sc->todo[h] += active;
        sc->overdue += w.overdue;
        sc->overdue_h[h] += w.overdue;
    }
    if (!g->pg) {
        GD_STORE(st, commit, &err);
    }
    gd_strbuf_release(&search);
    gd_store_close(st);
    return NULL;
}

int main(int argc, char **argv)
{
    struct gd_store *st;
    struct gd_err err = {0};
    char url[600], hash[GD_PWHASH_LEN];
    long total = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    int nshops = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 100;

    if (argc < 2 || total <= 0 || nshops <= 0) {
        fprintf(stderr, "usage: bench_gen_center DB [WORKORDERS] [SHOPS]\n");
        return 2;
    }
    gd_secret_init();
    if (strstr(argv[1], "://")) {
        snprintf(url, sizeof(url), "%s", argv[1]);
    } else {
        snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
    }
    if (gd_store_open(url, true, &st, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    gd_secret_hash_password("bench-password", hash); /* one hash shared by every bench user */
    int64_t now = gd_clock_now_ms();
    struct shop_counts *shops = xcalloc((size_t)nshops, sizeof(*shops));

    GD_STORE(st, begin, 0, &err);
    for (int s = 0; s < nshops; s++) {
        char name[64];
        snprintf(name, sizeof(name), "压测店铺%03d", s + 1);
        struct gd_shop shop = {.id = gd_id_new(), .name = name, .created_at = now};
        GD_STORE(st, shop_insert, &shop, &err);
        shops[s].shop_id = shop.id;
        for (int u = 0; u <= AGENTS; u++) {
            char uname[64], dname[64];
            snprintf(uname, sizeof(uname), "b%03d_%s%d", s + 1, u ? "agent" : "lead", u);
            snprintf(dname, sizeof(dname), "%s%d", u ? "客服" : "主管", u);
            struct gd_user user = {.id = gd_id_new(),
                                   .shop_id = shop.id,
                                   .username = uname,
                                   .display_name = dname,
                                   .role = u ? GD_ROLE_SHOP_AGENT : GD_ROLE_SHOP_LEAD,
                                   .pwhash = hash,
                                   .created_at = now};
            GD_STORE(st, user_insert, &user, &err);
            shops[s].users[u] = user.id;
        }
    }
    GD_STORE(st, commit, &err);

    int64_t t0 = gd_clock_mono_ms();
    /* PostgreSQL: several connections at once, each statement committing on its own without
     * waiting for its sync (relax_durability; the data is regenerated on a crash): a row costs
     * a round trip, so rows per second scale with connections. SQLite: one connection, one
     * transaction per 50,000 rows. */
    bool pg = strstr(url, "://") != NULL;
    int nthreads = pg ? GEN_PG_THREADS : 1;
    struct gen_part parts[GEN_PG_THREADS];
    pthread_t threads[GEN_PG_THREADS];
    for (int t = 0; t < nthreads; t++) {
        parts[t] = (struct gen_part){.url = url,
                                     .pg = pg,
                                     .first = t,
                                     .step = nthreads,
                                     .total = total,
                                     .nshops = nshops,
                                     .now = now,
                                     .rng = 88172645463325252ULL + 7919ULL * (unsigned)t,
                                     .shops = xcalloc((size_t)nshops, sizeof(struct shop_counts))};
        for (int s = 0; s < nshops; s++) {
            parts[t].shops[s].shop_id = shops[s].shop_id;
            memcpy(parts[t].shops[s].users, shops[s].users, sizeof(shops[s].users));
        }
        if (pthread_create(&threads[t], NULL, gen_rows, &parts[t])) {
            fprintf(stderr, "error: cannot start a thread\n");
            return 1;
        }
    }
    int failed = 0;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(threads[t], NULL);
        failed |= parts[t].failed;
        for (int s = 0; s < nshops; s++) {
            struct shop_counts *sc = &shops[s], *pc = &parts[t].shops[s];
            sc->all += pc->all;
            sc->overdue += pc->overdue;
            for (int u = 0; u <= AGENTS; u++) {
                sc->todo[u] += pc->todo[u];
                sc->assigned[u] += pc->assigned[u];
                sc->created[u] += pc->created[u];
                sc->overdue_h[u] += pc->overdue_h[u];
            }
        }
        free(parts[t].shops);
    }
    if (failed) {
        return 1;
    }
    GD_STORE(st, begin, 0, &err);
    for (int s = 0; s < nshops; s++) {
        struct shop_counts *sc = &shops[s];
        int64_t sid = sc->shop_id;
        add(st, sid, "shop", 0, sc->all);
        add(st, sid, "overdue", 0, sc->overdue);
        add(st, sid, "seq", 0, total / nshops + 1);
        for (int u = 0; u <= AGENTS; u++) {
            add(st, sid, "created", sc->users[u], sc->created[u]);
            add(st, sid, "assigned", sc->users[u], sc->assigned[u]);
            add(st, sid, "todo", sc->users[u], sc->todo[u]);
            add(st, sid, "overdue", sc->users[u], sc->overdue_h[u]);
        }
    }
    GD_STORE(st, commit, &err);
    fprintf(stderr, "\rgenerated %ld work orders across %d shops in %.1f s\n", total, nshops,
            (double)(gd_clock_mono_ms() - t0) / 1000);
    int best = 1;
    for (int u = 2; u <= AGENTS; u++) {
        best = shops[0].todo[u] > shops[0].todo[best] ? u : best;
    }
    printf("agent b001_agent%d %lld\nlead b001_lead0\n", best, (long long)shops[0].todo[best]);
    gd_store_close(st);
    free(shops);
    return 0;
}
