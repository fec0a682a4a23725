/* Store contract: time targets (docs/targets.md). A shop's hours and policies (defaults for a
 * shop that never set them, replaced whole, never another shop's); a work order's targets
 * (absent until written, written again in place, never found through another shop); and the
 * met/missed counts per type and handler over the work orders created in a period. */
#include "harness.h"

static void settings(void)
{
    int64_t s1 = shop("targets-1"), s2 = shop("targets-2");
    struct gd_target_settings in = {.start_min = 8 * 60, .end_min = 20 * 60, .n = 2}, out;

    CHECK_EQ_INT(GD_STORE(st, targets_get, s1, &out, NULL), GD_OK);
    CHECK_EQ_INT(out.start_min, 9 * 60);
    CHECK_EQ_INT(out.end_min, 18 * 60);
    CHECK_EQ_INT(out.n, 0);
    in.policies[0] = (struct gd_target_policy){GD_TYPE_SHIPPING, 30, 240, 15, false};
    in.policies[1] = (struct gd_target_policy){GD_TYPE_AFTER_SALES, 60, 480, 0, true};
    CHECK_EQ_INT(GD_STORE(st, targets_put, s1, &in, 10, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, targets_get, s1, &out, NULL), GD_OK);
    CHECK_EQ_INT(out.start_min, 8 * 60);
    CHECK_EQ_INT(out.end_min, 20 * 60);
    CHECK_EQ_INT(out.n, 2);
    for (int i = 0; i < out.n; i++) {
        const struct gd_target_policy *p = &out.policies[i];
        if (p->type == GD_TYPE_AFTER_SALES) {
            CHECK_EQ_INT(p->first_response_min, 60);
            CHECK_EQ_INT(p->resolution_min, 480);
            CHECK_EQ_INT(p->remind_before_min, 0);
            CHECK(p->escalate_to_queue);
        } else {
            CHECK_EQ_INT(p->type, GD_TYPE_SHIPPING);
            CHECK_EQ_INT(p->remind_before_min, 15);
            CHECK(!p->escalate_to_queue);
        }
    }
    /* replaced whole: one policy left */
    in.n = 1;
    CHECK_EQ_INT(GD_STORE(st, targets_put, s1, &in, 11, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, targets_get, s1, &out, NULL), GD_OK);
    CHECK_EQ_INT(out.n, 1);
    CHECK_EQ_INT(out.policies[0].type, GD_TYPE_SHIPPING);
    /* another shop keeps its defaults */
    CHECK_EQ_INT(GD_STORE(st, targets_get, s2, &out, NULL), GD_OK);
    CHECK_EQ_INT(out.n, 0);
    CHECK_EQ_INT(out.start_min, 9 * 60);
}

static struct gd_wo_target target_of(const struct gd_workorder *w)
{
    return (struct gd_wo_target){.workorder_id = w->id,
                                 .shop_id = w->shop_id,
                                 .start_min = 540,
                                 .end_min = 1080,
                                 .tz_offset_min = 480,
                                 .policy = {w->type, 60, 480, 15, true},
                                 .fr_due = 1000,
                                 .fr_outcome = GD_TARGET_PENDING,
                                 .res_due = 5000,
                                 .res_outcome = GD_TARGET_PENDING};
}

static void workorder_targets(void)
{
    int64_t s1 = shop("targets-wo-1"), s2 = shop("targets-wo-2");
    int64_t u = user(s1, "targets-agent", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "退款", 0);
    struct gd_wo_target t = target_of(&w), got;

    CHECK_EQ_INT(GD_STORE(st, wo_target_get, s1, w.id, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, wo_target_put, &t, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, wo_target_get, s1, w.id, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.fr_due, 1000);
    CHECK_EQ_INT(got.res_due, 5000);
    CHECK_EQ_INT(got.policy.resolution_min, 480);
    CHECK_EQ_INT(got.policy.remind_before_min, 15);
    CHECK(got.policy.escalate_to_queue);
    CHECK_EQ_INT(got.tz_offset_min, 480);
    CHECK_EQ_INT(got.fr_outcome, GD_TARGET_PENDING);
    /* a first response, then a pause: written again in place */
    t.fr_at = 900;
    t.fr_by = u;
    t.fr_outcome = GD_TARGET_MET;
    t.res_due = 0;
    t.res_left_ms = 3600000;
    t.paused_since = 950;
    t.paused_ms = 20;
    t.handler_id = u;
    CHECK_EQ_INT(GD_STORE(st, wo_target_put, &t, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, wo_target_get, s1, w.id, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.fr_at, 900);
    CHECK_EQ_INT(got.fr_by, u);
    CHECK_EQ_INT(got.fr_outcome, GD_TARGET_MET);
    CHECK_EQ_INT(got.res_due, 0);
    CHECK_EQ_INT(got.res_left_ms, 3600000);
    CHECK_EQ_INT(got.paused_since, 950);
    CHECK_EQ_INT(got.paused_ms, 20);
    CHECK_EQ_INT(got.handler_id, u);
    /* another shop does not find it */
    CHECK_EQ_INT(GD_STORE(st, wo_target_get, s2, w.id, &got, NULL), GD_ENOTFOUND);
}

static void counts(void)
{
    int64_t s1 = shop("targets-stats"), s2 = shop("targets-stats-2");
    int64_t u1 = user(s1, "targets-a1", GD_ROLE_SHOP_AGENT);
    int64_t u2 = user(s1, "targets-a2", GD_ROLE_SHOP_AGENT);
    struct gd_target_count *rows;
    int n;
    /* u1: one met first response, one missed; u2: a missed resolution, and one decided while
     * u2 handled it (it is u1's now); unassigned: pending */
    int64_t handlers[5] = {u1, u1, u2, 0, u1}, decided_under[5] = {0, 0, 0, 0, u2};
    int fr[5] = {GD_TARGET_MET, GD_TARGET_MISSED, GD_TARGET_MET, GD_TARGET_PENDING,
                 GD_TARGET_PENDING};
    int res[5] = {GD_TARGET_MET, GD_TARGET_PENDING, GD_TARGET_MISSED, GD_TARGET_PENDING,
                  GD_TARGET_MISSED};
    for (int i = 0; i < 5; i++) {
        struct gd_workorder w = wo_new(s1, u1, handlers[i], "发货", 0);
        struct gd_wo_target t = target_of(&w);
        t.fr_outcome = fr[i];
        t.res_outcome = res[i];
        t.handler_id = decided_under[i];
        CHECK_EQ_INT(GD_STORE(st, wo_target_put, &t, NULL), GD_OK);
    }
    CHECK_EQ_INT(GD_STORE(st, target_stats, s1, 0, 100, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    int64_t sum[4] = {0};
    for (int i = 0; i < n; i++) {
        CHECK_EQ_INT(rows[i].type, GD_TYPE_AFTER_SALES);
        if (rows[i].handler_id == u1) {
            CHECK_EQ_INT(rows[i].fr_met, 1);
            CHECK_EQ_INT(rows[i].fr_missed, 1);
            CHECK_EQ_INT(rows[i].res_met, 1);
            CHECK_EQ_INT(rows[i].res_missed, 0);
        } else if (rows[i].handler_id == u2) {
            CHECK_EQ_INT(rows[i].res_missed, 2);
        } else {
            CHECK_EQ_INT(rows[i].handler_id, 0);
            CHECK_EQ_INT(rows[i].fr_met + rows[i].fr_missed + rows[i].res_met, 0);
        }
        sum[0] += rows[i].fr_met;
        sum[1] += rows[i].fr_missed;
        sum[2] += rows[i].res_met;
        sum[3] += rows[i].res_missed;
    }
    CHECK_EQ_INT(sum[0], 2);
    CHECK_EQ_INT(sum[1], 1);
    CHECK_EQ_INT(sum[2], 1);
    CHECK_EQ_INT(sum[3], 2);
    /* the period is of creation: work orders made at 1 are outside [2, 100) */
    CHECK_EQ_INT(GD_STORE(st, target_stats, s1, 2, 100, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, target_stats, s2, 0, 100, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    settings();
    workorder_targets();
    counts();
    return contract_finish("store contract: targets");
}
