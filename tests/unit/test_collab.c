/* The collaborative work order: the core decisions (next states, reply and judgement checks,
 * permissions) and the service with the deadline engine on a real SQLite database driven by a
 * frozen clock: reminders, the seller timeout, the reply that commits first, the appeal window,
 * the judge who may not decide the appeal, exactly-once firing, and rules that change later. */
#include <unistd.h>
#include "base/clock.h"
#include "base/secret.h"
#include "check.h"
#include "sched/sched.h"
#include "scratch_db.h"

#define HOUR (3600 * 1000LL)
#define DAY (24 * HOUR)

static struct gd_collab_rules rules;
static struct gd_arena arena = GD_ARENA_INIT;

static void core(void)
{
    struct gd_err err = {0};
    int64_t t0 = 1760000000000LL;

    CHECK_EQ_INT(gd_collab_reply_next(GD_REPLY_AGREED), GD_STATE_RESOLVED);
    CHECK_EQ_INT(gd_collab_reply_next(GD_REPLY_UNREACHABLE), GD_STATE_PLATFORM_VERIFY);
    CHECK_EQ_INT(gd_collab_reply_next(GD_REPLY_OTHER), GD_STATE_PLATFORM_VERIFY);
    CHECK_EQ_INT(gd_collab_reply_next(GD_REPLY_NOT_AGREED), GD_STATE_INTERVENTION);
    CHECK_EQ_INT(gd_collab_verify_next(true), GD_STATE_RESOLVED);
    CHECK_EQ_INT(gd_collab_verify_next(false), GD_STATE_INTERVENTION);
    CHECK(gd_collab_is_against_seller(GD_OUTCOME_SUPPORT_BUYER));
    CHECK(!gd_collab_is_against_seller(GD_OUTCOME_SUPPORT_SELLER));

    struct gd_collab_reply r = {GD_REPLY_AGREED, NULL, 0, 0};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_OK);
    r = (struct gd_collab_reply){GD_REPLY_UNREACHABLE, NULL, t0 + 60000, 0};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_EINVAL);
    CHECK_EQ_STR(err.field, "attachment_ids");
    r = (struct gd_collab_reply){GD_REPLY_UNREACHABLE, NULL, 0, 1};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_EINVAL);
    CHECK_EQ_STR(err.field, "contact_at");
    r = (struct gd_collab_reply){GD_REPLY_UNREACHABLE, NULL, t0 - 1000, 1};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_EINVAL);
    CHECK_EQ_STR(err.field, "contact_at");
    r = (struct gd_collab_reply){GD_REPLY_UNREACHABLE, NULL, t0 + 2 * HOUR, 1};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_EINVAL); /* future */
    r = (struct gd_collab_reply){GD_REPLY_NOT_AGREED, "  ", 0, 0};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_EINVAL);
    CHECK_EQ_STR(err.field, "description");
    r = (struct gd_collab_reply){GD_REPLY_OTHER, "买家留的电话是空号", 0, 0};
    CHECK_EQ_INT(gd_collab_check_reply(&rules, &r, t0, t0 + HOUR, &err), GD_OK);

    CHECK_EQ_INT(
        gd_collab_check_judgement(&rules, GD_OUTCOME_SUPPORT_BUYER, GD_REMEDY_REFUND, &err), GD_OK);
    CHECK_EQ_INT(
        gd_collab_check_judgement(&rules, GD_OUTCOME_SUPPORT_SELLER, GD_REMEDY_REFUND, &err),
        GD_EINVAL);
    CHECK_EQ_STR(err.field, "remedy");
    CHECK_EQ_INT(
        gd_collab_check_judgement(&rules, GD_OUTCOME_SUPPORT_SELLER, GD_REMEDY_REJECT_CLAIM, &err),
        GD_OK);

    CHECK_EQ_INT(gd_collab_step_due(&rules, GD_STATE_AWAITING_SELLER, t0), t0 + DAY);
    CHECK_EQ_INT(gd_collab_step_due(&rules, GD_STATE_JUDGED, t0), t0 + 7 * DAY);
    CHECK_EQ_INT(gd_collab_step_due(&rules, GD_STATE_FINAL, t0), 0);

    /* transitions: each step only in its state */
    int c = GD_TYPE_COLLAB;
    CHECK(gd_transition(c, GD_STATE_AWAITING_SELLER, GD_ACT_REPLY) >= 0);
    CHECK(gd_transition(c, GD_STATE_INTERVENTION, GD_ACT_REPLY) < 0);
    CHECK(gd_transition(c, GD_STATE_AWAITING_SELLER, GD_ACT_JUDGE) < 0);
    CHECK_EQ_INT(gd_transition(c, GD_STATE_INTERVENTION, GD_ACT_JUDGE), GD_STATE_JUDGED);
    CHECK_EQ_INT(gd_transition(c, GD_STATE_JUDGED, GD_ACT_APPEAL), GD_STATE_APPEAL_REVIEW);
    CHECK(gd_transition(c, GD_STATE_FINAL, GD_ACT_APPEAL) < 0);
    CHECK(gd_transition(c, GD_STATE_JUDGED, GD_ACT_EVIDENCE) < 0); /* evidence until judgement */
    CHECK(gd_transition(c, GD_STATE_PLATFORM_VERIFY, GD_ACT_VERIFY) >= 0);
    CHECK(gd_transition(c, GD_STATE_INTERVENTION, GD_ACT_VERIFY) < 0);

    /* permissions */
    struct gd_workorder wo = {.type = GD_TYPE_COLLAB, .shop_id = 7, .state = GD_STATE_INTERVENTION};
    struct gd_actor shop = {.user_id = 1, .shop_id = 7, .role = GD_ROLE_SHOP_LEAD};
    struct gd_actor other = {.user_id = 2, .shop_id = 8, .role = GD_ROLE_SHOP_LEAD};
    struct gd_actor agent = {.user_id = 3, .role = GD_ROLE_PLATFORM_AGENT};
    struct gd_actor sup = {.user_id = 4, .role = GD_ROLE_PLATFORM_SUPERVISOR};
    CHECK(!gd_perm_can_act(&shop, &wo, GD_ACT_JUDGE));
    CHECK(gd_perm_can_act(&agent, &wo, GD_ACT_JUDGE));
    CHECK(!gd_perm_can_act(&agent, &wo, GD_ACT_REPLY));
    CHECK(gd_perm_can_act(&shop, &wo, GD_ACT_REPLY));
    CHECK(!gd_perm_can_act(&other, &wo, GD_ACT_REPLY));
    CHECK(!gd_perm_can_view(&other, &wo, true));
    /* the shop's side of a case is its lead's or its handler's, not every agent's */
    struct gd_actor clerk = {.user_id = 9, .shop_id = 7, .role = GD_ROLE_SHOP_AGENT};
    CHECK(!gd_perm_can_view(&clerk, &wo, false));
    CHECK(!gd_perm_can_act(&clerk, &wo, GD_ACT_NOTE));
    wo.handler_id = clerk.user_id;
    CHECK(gd_perm_can_view(&clerk, &wo, false));
    CHECK(gd_perm_can_act(&clerk, &wo, GD_ACT_REPLY));
    wo.handler_id = 0;
    CHECK(!gd_perm_can_act(&agent, &wo, GD_ACT_DECIDE_APPEAL));
    CHECK(gd_perm_can_act(&sup, &wo, GD_ACT_DECIDE_APPEAL));
    CHECK(gd_state_is_active(GD_STATE_INTERVENTION));
    CHECK(!gd_state_is_active(GD_STATE_JUDGED));
}

/* ---- the service and the engine on SQLite ---- */

static struct gd_svc svc;
static struct gd_svc_shared shared;
static struct gd_actor lead, agent, agent2, sup, sup2, admin;
static int64_t shop_id;
static const char *order_no = "TB-1";

static void user(const char *name, int role, int64_t shop, struct gd_actor *out)
{
    int64_t id = 0;
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_svc_user_add(&svc, shop, name, name, role, "password-123", &id, &err), GD_OK);
    *out = (struct gd_actor){
        .user_id = id, .shop_id = shop, .role = role, .username = name, .display_name = name};
}

static int count_events(const struct gd_workorder *wo, const char *kind)
{
    struct gd_event *evs;
    int n = 0, hits = 0;
    CHECK_EQ_INT(gd_svc_workorder_events(&svc, wo, &arena, &evs, &n, NULL), GD_OK);
    for (int i = 0; i < n; i++) {
        hits += strcmp(evs[i].kind, kind) == 0;
    }
    return hits;
}

static struct gd_workorder open_case(void)
{
    struct gd_collab_input in = {.shop_id = shop_id,
                                 .order_no = order_no,
                                 .category = "描述不符",
                                 .complaint = "颜色与图片不一致",
                                 .remedy = "return_refund"};
    struct gd_workorder wo = {0};
    struct gd_err err = {0};
    const char *replay;
    CHECK_EQ_INT(gd_svc_collab_create(&svc, &agent, &in, NULL, NULL, &arena, &wo, &replay, &err),
                 GD_OK);
    return wo;
}

static struct gd_workorder reload(const struct gd_workorder *wo)
{
    struct gd_workorder out = {0};
    CHECK_EQ_INT(gd_svc_workorder_get(&svc, &agent, wo->id, &arena, &out, NULL), GD_OK);
    return out;
}

static int fire(int64_t at)
{
    struct gd_err err = {0};
    gd_clock_freeze(at);
    return gd_sched_run_once(&svc, at, GD_SCHED_BATCH, &err);
}

static int act(const struct gd_actor *who, const struct gd_workorder *wo, struct gd_collab_act *in)
{
    struct gd_workorder out;
    struct gd_err err = {0};
    return gd_svc_collab_act(&svc, who, wo->id, in, &arena, &out, &err);
}

static void engine(void)
{
    int64_t t0 = gd_clock_now_ms();
    struct gd_err err = {0};
    gd_clock_freeze(t0);

    /* a silent seller: reminders at T-4h and T-1h, then the timeout, each once */
    struct gd_workorder a = open_case();
    CHECK_EQ_INT(a.deadline_at, t0 + DAY);
    CHECK_EQ_INT(fire(t0 + 20 * HOUR + 1000), 1);
    CHECK_EQ_INT(count_events(&a, "reminded"), 1);
    CHECK_EQ_INT(fire(t0 + 23 * HOUR + 1000), 1);
    CHECK_EQ_INT(count_events(&a, "reminded"), 2);
    /* a second case answered just before its deadline */
    gd_clock_freeze(t0 + 1000);
    struct gd_workorder b = open_case();
    gd_clock_freeze(t0 + DAY + 500);
    struct gd_collab_act reply = {.action = GD_ACT_REPLY,
                                  .option = GD_REPLY_NOT_AGREED,
                                  .description = "买家要求全额退款，商家只同意部分退款"};
    CHECK_EQ_INT(act(&lead, &b, &reply), GD_OK); /* the reply commits first ... */
    CHECK_EQ_INT(fire(t0 + DAY + 2000), 1);      /* ... and cancels its timers: only a's fires */
    a = reload(&a);
    b = reload(&b);
    CHECK_EQ_INT(a.state, GD_STATE_INTERVENTION);
    CHECK_EQ_INT(count_events(&a, "seller_timeout"), 1);
    CHECK(a.handler_id == agent.user_id || a.handler_id == agent2.user_id);
    CHECK_EQ_INT(b.state, GD_STATE_INTERVENTION);
    CHECK_EQ_INT(count_events(&b, "seller_timeout"), 0);
    CHECK(b.handler_id && b.handler_id != a.handler_id); /* least loaded: the other agent */
    CHECK_EQ_INT(fire(t0 + DAY + 3000), 0);              /* exactly once */
    CHECK_EQ_INT(count_events(&a, "seller_timeout"), 1);
    /* the seller is too late now */
    CHECK_EQ_INT(act(&lead, &a, &reply), GD_ESTATE);

    /* judgement, appeal window passes -> final */
    struct gd_collab_act judge = {.action = GD_ACT_JUDGE,
                                  .outcome = GD_OUTCOME_SUPPORT_BUYER,
                                  .remedy = GD_REMEDY_REFUND,
                                  .liable = GD_LIABLE_SELLER,
                                  .reasoning = "商家未举证",
                                  .rule_article = "第十八条"};
    CHECK_EQ_INT(act(&lead, &a, &judge), GD_EPERM);
    CHECK_EQ_INT(act(&agent, &a, &judge), GD_OK);
    a = reload(&a);
    CHECK_EQ_INT(a.state, GD_STATE_JUDGED);
    CHECK_EQ_INT(a.deadline_at, t0 + DAY + 3000 + 7 * DAY);
    fire(a.deadline_at - 1); /* (b's judgement due passes meanwhile: an internal overdue) */
    CHECK_EQ_INT(reload(&a).state, GD_STATE_JUDGED);
    CHECK_EQ_INT(count_events(&b, "overdue"), 1);
    CHECK_EQ_INT(fire(a.deadline_at), 1);
    a = reload(&a);
    CHECK_EQ_INT(a.state, GD_STATE_FINAL);
    CHECK_EQ_INT(count_events(&a, "finalized"), 1);

    /* appeal: the judge may not decide it; another supervisor overturns */
    CHECK_EQ_INT(act(&sup, &b, &judge), GD_OK);
    struct gd_collab_act appeal = {.action = GD_ACT_APPEAL, .reason = "已补充发货凭证"};
    CHECK_EQ_INT(act(&agent, &b, &appeal), GD_EPERM);
    CHECK_EQ_INT(act(&lead, &b, &appeal), GD_OK);
    b = reload(&b);
    CHECK_EQ_INT(b.state, GD_STATE_APPEAL_REVIEW);
    CHECK_EQ_INT(b.handler_id, sup2.user_id); /* a supervisor other than the judge */
    struct gd_collab_act decide = {.action = GD_ACT_DECIDE_APPEAL, .overturned = true};
    CHECK_EQ_INT(act(&sup, &b, &decide), GD_EPERM);
    CHECK_EQ_INT(act(&sup2, &b, &decide), GD_OK);
    struct gd_collab c;
    struct gd_attachment *atts;
    int n;
    b = reload(&b);
    CHECK_EQ_INT(gd_svc_collab_get(&svc, &b, &arena, &c, &atts, &n, &err), GD_OK);
    CHECK_EQ_INT(b.state, GD_STATE_FINAL);
    CHECK(c.overturned && !c.judged_against);

    /* a rule change after creation does not move an existing deadline */
    gd_clock_freeze(t0 + 10 * DAY);
    struct gd_workorder d = open_case();
    struct gd_rules_doc doc;
    const char *patch = "{\"reply_window_hours\":2,\"reminder_offsets_hours\":[1]}";
    CHECK_EQ_INT(gd_svc_rules_put(&svc, &lead, patch, strlen(patch), &arena, &doc, &err), GD_EPERM);
    CHECK_EQ_INT(gd_svc_rules_put(&svc, &admin, patch, strlen(patch), &arena, &doc, &err), GD_OK);
    CHECK_EQ_INT(doc.version, 2);
    struct gd_workorder e = open_case();
    CHECK_EQ_INT(e.deadline_at, t0 + 10 * DAY + 2 * HOUR);
    CHECK_EQ_INT(fire(t0 + 10 * DAY + 2 * HOUR), 2); /* e's reminder and timeout, not d's */
    CHECK_EQ_INT(reload(&d).state, GD_STATE_AWAITING_SELLER);
    CHECK_EQ_INT(reload(&d).deadline_at, t0 + 11 * DAY);
    CHECK_EQ_INT(reload(&e).state, GD_STATE_INTERVENTION);
    CHECK_EQ_INT(fire(t0 + 11 * DAY), 3); /* d: two reminders (late ones record nothing) + due */
    CHECK_EQ_INT(reload(&d).state, GD_STATE_INTERVENTION);

    /* late steps are refused by the clock even before their timers fire (a scheduler that is
     * behind, as right after a restart) */
    gd_clock_freeze(t0 + 20 * DAY);
    struct gd_workorder f = open_case();
    gd_clock_freeze(f.deadline_at);
    CHECK_EQ_INT(act(&lead, &f, &reply), GD_ESTATE);
    CHECK_EQ_INT(reload(&f).state, GD_STATE_AWAITING_SELLER);
    gd_clock_freeze(t0 + 21 * DAY);
    struct gd_workorder g = open_case();
    CHECK_EQ_INT(act(&lead, &g, &reply), GD_OK);
    CHECK_EQ_INT(act(&agent, &g, &judge), GD_OK);
    g = reload(&g);
    gd_clock_freeze(g.deadline_at + 1);
    CHECK_EQ_INT(act(&lead, &g, &appeal), GD_ESTATE);
    CHECK_EQ_INT(reload(&g).state, GD_STATE_JUDGED);
    gd_clock_set_offset_ms(0);
}

int main(void)
{
    char path[] = "/tmp/gd-test-collab-XXXXXX";
    char url[128];
    struct gd_err err = {0};
    char *def = gd_svc_rules_default_json();

    CHECK_EQ_INT(gd_svc_rules_parse(def, strlen(def), &arena, &rules, &err), GD_OK);
    free(def);
    core();

    CHECK(scratch_db_make(path, url, sizeof(url)) == 0);
    gd_secret_init();
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    CHECK_EQ_INT(gd_store_open(url, true, &svc.store, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "测试店", &shop_id, &err), GD_OK);
    user("lead", GD_ROLE_SHOP_LEAD, shop_id, &lead);
    user("agent1", GD_ROLE_PLATFORM_AGENT, 0, &agent);
    user("agent2", GD_ROLE_PLATFORM_AGENT, 0, &agent2);
    user("sup1", GD_ROLE_PLATFORM_SUPERVISOR, 0, &sup);
    user("sup2", GD_ROLE_PLATFORM_SUPERVISOR, 0, &sup2);
    user("admin", GD_ROLE_PLATFORM_ADMIN, 0, &admin);
    struct gd_order o = {.order_no = order_no,
                         .buyer_nick = "小林",
                         .status = "signed",
                         .paid_amount = 9900,
                         .items = "[]"};
    bool created;
    CHECK_EQ_INT(gd_svc_order_upsert(&svc, &lead, &o, &arena, &created, &err), GD_OK);
    engine();
    gd_store_close(svc.store);
    scratch_db_remove(path);
    gd_arena_release(&arena);
    return check_report("collab");
}
