/* The deadline engine's overdue firing on a real SQLite database with a frozen clock: a burst
 * fired in batches (the engine queues a batch's marks, events, outbox places and notifications
 * and writes each kind in one statement) leaves exactly what firing each timer on its own left:
 * every due work order overdue once, with one "overdue" event, its handler told unless they
 * muted it, the shop's webhook outbox owed the events in the order they happened (nothing for a
 * shop without an endpoint), the overdue counters moved once per work order; a second timer of
 * the same work order in the batch finds it already marked; a batch rolled back and run again
 * writes its rows once; a second pass fires nothing. The statistics count the marks as overdue
 * although the mark leaves each work order's stored contribution as it was, and a later change
 * (completing, cancelling) takes the overdue share back from the work order as it was. */
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "check.h"
#include "sched/sched.h"
#include "scratch_db.h"

#define HOUR (3600 * 1000LL)
#define PER_SHOP 7 /* work orders due per shop */

static struct gd_svc svc;
static struct gd_svc_shared shared;
static struct gd_arena arena = GD_ARENA_INIT;

struct shop {
    int64_t id;
    struct gd_actor lead, agent, muted; /* `muted` turned target_missed off */
    struct gd_workorder wo[PER_SHOP];
};

static struct gd_actor user(const char *name, int role, int64_t shop)
{
    int64_t id = 0;
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_svc_user_add(&svc, shop, name, name, role, "password-123", &id, &err), GD_OK);
    return (struct gd_actor){
        .user_id = id, .shop_id = shop, .role = role, .username = name, .display_name = name};
}

/* A shop with its people and PER_SHOP work orders due at `due`, alternately handled by its agent
 * and by the one who muted the kind; with `hooked`, a webhook endpoint first. */
static void shop_make(struct shop *s, const char *name, const char *tag, bool hooked, int64_t due)
{
    struct gd_err err = {0};
    char who[64];
    const char *muted[] = {"target_missed"}, *kept;

    CHECK_EQ_INT(gd_svc_shop_add(&svc, name, &s->id, &err), GD_OK);
    snprintf(who, sizeof(who), "%s-lead", tag);
    s->lead = user(who, GD_ROLE_SHOP_LEAD, s->id);
    snprintf(who, sizeof(who), "%s-agent", tag);
    s->agent = user(who, GD_ROLE_SHOP_AGENT, s->id);
    snprintf(who, sizeof(who), "%s-muted", tag);
    s->muted = user(who, GD_ROLE_SHOP_AGENT, s->id);
    CHECK_EQ_INT(gd_svc_notify_prefs_set(&svc, &s->muted, muted, 1, &arena, &kept, &err), GD_OK);
    if (hooked) {
        struct gd_webhook h = {.id = gd_id_new(),
                               .shop_id = s->id,
                               .url = "https://hooks.example/gongdan",
                               .secret = "secret",
                               .description = "",
                               .events = "",
                               .created_by = s->lead.user_id,
                               .created_at = gd_clock_now_ms(),
                               .format = "gongdan"};
        CHECK_EQ_INT(GD_STORE(svc.store, webhook_insert, &h, &err), GD_OK);
    }
    for (int i = 0; i < PER_SHOP; i++) {
        struct gd_wo_input in = {.type = GD_TYPE_AFTER_SALES,
                                 .title = "买家说 \"没收到\" 'x'",
                                 .content = "",
                                 .handler_id = i % 2 ? s->muted.user_id : s->agent.user_id,
                                 .priority = -1,
                                 .deadline_at = due,
                                 .has_deadline = true};
        const char *replay;
        CHECK_EQ_INT(gd_svc_workorder_create(&svc, &s->lead, &in, NULL, NULL, &arena, &s->wo[i],
                                             &replay, &err),
                     GD_OK);
    }
}

static int count_kind(const struct gd_workorder *wo, const char *kind)
{
    struct gd_event *evs;
    int n = 0, hits = 0;
    CHECK_EQ_INT(gd_svc_workorder_events(&svc, wo, &arena, &evs, &n, NULL), GD_OK);
    for (int i = 0; i < n; i++) {
        hits += strcmp(evs[i].kind, kind) == 0;
    }
    return hits;
}

/* The user's target_missed notifications of work order `wo_id`. */
static int told(const struct gd_actor *u, int64_t wo_id)
{
    struct gd_notification *list;
    int n = 0, hits = 0;
    CHECK_EQ_INT(
        GD_STORE(svc.store, notifications_list, u->user_id, 0, 200, false, &arena, &list, &n, NULL),
        GD_OK);
    for (int i = 0; i < n; i++) {
        hits += list[i].workorder_id == wo_id && strcmp(list[i].kind, "target_missed") == 0;
    }
    return hits;
}

static void check_fired(const struct shop *s, bool hooked)
{
    int64_t counted = -1;
    struct gd_outbox_event *owed;
    int n = 0, overdue_owed = 0;
    int64_t last_event = 0;

    for (int i = 0; i < PER_SHOP; i++) {
        struct gd_workorder now = {0};
        CHECK_EQ_INT(gd_svc_workorder_get(&svc, &s->lead, s->wo[i].id, &arena, &now, NULL), GD_OK);
        CHECK(now.overdue);
        CHECK_EQ_INT(now.version, s->wo[i].version); /* the mark keeps the version */
        CHECK_EQ_INT(count_kind(&now, "overdue"), 1);
        CHECK_EQ_INT(told(&s->agent, now.id), i % 2 ? 0 : 1);
        CHECK_EQ_INT(told(&s->muted, now.id), 0);
    }
    CHECK_EQ_INT(GD_STORE(svc.store, counter_get, s->id, "overdue", &counted, NULL), GD_OK);
    CHECK_EQ_INT(counted, PER_SHOP);
    /* the outbox: every overdue event once, in the order they happened */
    CHECK_EQ_INT(GD_STORE(svc.store, outbox_list, s->id, 0, 1000, &arena, &owed, &n, NULL), GD_OK);
    for (int i = 0; i < n; i++) {
        if (strcmp(owed[i].ev.kind, "overdue") == 0) {
            overdue_owed++;
            CHECK(owed[i].ev.id > last_event);
            last_event = owed[i].ev.id;
        }
    }
    CHECK_EQ_INT(overdue_owed, hooked ? PER_SHOP : 0);
}

/* The shop's statistics totals: its work orders were all created around `at`. */
static struct gd_stats_counts totals(const struct shop *s, int64_t at)
{
    int64_t day = gd_stats_day(at, GD_SHOP_DEFAULT_TZ_OFFSET_MIN);
    struct gd_stats_query q = {.shop_id = s->id,
                               .day_from = day - 1,
                               .day_to = day + 1,
                               .group = GD_STATS_BY_TYPE,
                               .type = -1,
                               .handler_id = -1};
    struct gd_stats_result r = {0};
    CHECK_EQ_INT(gd_svc_stats(&svc, &s->lead, &q, &arena, &r, NULL), GD_OK);
    return r.totals.n;
}

/* Two of the overdue work orders finished (one done, one cancelled): each gives its overdue
 * share back once, and the rollups equal a rebuild from the work orders. */
static void finish_two(const struct shop *s, int64_t at)
{
    struct gd_workorder out;
    struct gd_act_input done = {.action = GD_ACT_COMPLETE, .text = "已处理", .priority = -1};
    struct gd_act_input cancel = {.action = GD_ACT_CANCEL, .reason = "重复", .priority = -1};
    struct gd_stats_counts n = totals(s, at);
    CHECK_EQ_INT(n.overdue, PER_SHOP);
    CHECK_EQ_INT(n.open, PER_SHOP);
    CHECK_EQ_INT(gd_svc_workorder_act(&svc, &s->agent, s->wo[0].id, &done, &arena, &out, NULL),
                 GD_OK);
    CHECK_EQ_INT(gd_svc_workorder_act(&svc, &s->lead, s->wo[1].id, &cancel, &arena, &out, NULL),
                 GD_OK);
    n = totals(s, at);
    CHECK_EQ_INT(n.overdue, PER_SHOP - 2);
    CHECK_EQ_INT(n.open, PER_SHOP - 2);
    CHECK_EQ_INT(n.done, 1);
    int64_t rebuilt = 0;
    CHECK_EQ_INT(gd_svc_stats_rebuild(&svc, s->id, NULL, &rebuilt, NULL), GD_OK);
    CHECK_EQ_INT(rebuilt, PER_SHOP);
    struct gd_stats_counts again = totals(s, at);
    CHECK(memcmp(&again, &n, sizeof(n)) == 0);
}

static void burst(void)
{
    struct gd_err err = {0};
    int64_t t0 = 1760000000000LL, due = t0 + HOUR;
    struct shop hooked, plain;

    gd_clock_freeze(t0);
    shop_make(&hooked, "有钩子的店", "hooked", true, due);
    shop_make(&plain, "普通店", "plain", false, due);
    /* a second overdue timer of one work order, due with the first: it finds it marked */
    struct gd_deadline again = {.id = gd_id_new(),
                                .shop_id = plain.id,
                                .workorder_id = plain.wo[6].id,
                                .kind = "overdue",
                                .due_at = due,
                                .version = 1};
    CHECK_EQ_INT(GD_STORE(svc.store, deadline_insert, &again, &err), GD_OK);

    gd_clock_freeze(due);
    /* the first attempt of the first batch is rolled back at its commit and run again */
    gd_svc_uow_inject_retry(1);
    /* batches of 4: the second holds timers of both shops, the last (3) both of plain.wo[6] */
    CHECK_EQ_INT(gd_sched_run_once(&svc, due, 4, &err), 2 * PER_SHOP + 1);
    check_fired(&hooked, true);
    check_fired(&plain, false);
    CHECK_EQ_INT(gd_sched_run_once(&svc, due, 4, &err), 0);
    finish_two(&plain, t0);

    /* the same burst in one batch of all */
    int64_t due2 = due + HOUR;
    struct shop hooked2, plain2;
    gd_clock_freeze(due - HOUR / 2);
    shop_make(&hooked2, "有钩子的店2", "hooked2", true, due2);
    shop_make(&plain2, "普通店2", "plain2", false, due2);
    gd_clock_freeze(due2);
    CHECK_EQ_INT(gd_sched_run_once(&svc, due2, GD_SCHED_BATCH, &err), 2 * PER_SHOP);
    check_fired(&hooked2, true);
    check_fired(&plain2, false);
}

int main(void)
{
    char path[] = "/tmp/gd-test-deadlines-XXXXXX";
    char url[128];
    struct gd_err err = {0};

    CHECK(scratch_db_make(path, url, sizeof(url)) == 0);
    gd_secret_init();
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    CHECK_EQ_INT(gd_store_open(url, true, &svc.store, &err), GD_OK);
    burst();
    gd_store_close(svc.store);
    scratch_db_remove(path);
    gd_arena_release(&arena);
    return check_report("deadlines");
}
