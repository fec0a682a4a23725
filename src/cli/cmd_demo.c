/* gongdan demo: a believable platform to try at once. Two shops with staff, a few hundred
 * orders with items and buyers, and work orders of every type and state, some overdue, created
 * through the same services the API uses (the clock is moved back so history has real times).
 * Prints one line per login: "login: ROLE SHOP USERNAME PASSWORD". */
#include "base/clock.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "sched/sched.h"

#define DAY (86400 * 1000LL)
#define HOUR (3600 * 1000LL)
#define PASSWORD "gongdan-demo"

struct demo_shop {
    const char *name, *slug;
    const char *staff[5][3]; /* username suffix, display name, role */
};

static const struct demo_shop shops[] = {
    {"江南茶舍旗舰店",
     "tea",
     {{"lead", "王主管", "shop_lead"},
      {"agent1", "李小梅", "shop_agent"},
      {"agent2", "张伟", "shop_agent"},
      {"warehouse", "陈仓管", "shop_agent"},
      {"owner", "江南茶舍", "shop_owner"}}},
    {"小米粒母婴专营店",
     "baby",
     {{"lead", "刘主管", "shop_lead"},
      {"agent1", "赵敏", "shop_agent"},
      {"agent2", "孙丽", "shop_agent"},
      {"warehouse", "周仓管", "shop_agent"},
      {"owner", "小米粒母婴", "shop_owner"}}},
};

static const char *const buyers[] = {"tb_小林",  "快乐的鱼",   "lucky猫",  "阿杰2020",
                                     "晴天娃娃", "ZhangSan88", "月光宝盒", "清风徐来",
                                     "吃货小王", "糖糖妈妈",   "北京老李", "深圳阿芳"};
static const char *const products[2][6] = {
    {"西湖龙井 明前特级 250g", "安溪铁观音 浓香型 500g", "云南普洱 熟茶饼 357g",
     "武夷岩茶 大红袍 礼盒", "福鼎白茶 白牡丹 200g", "青瓷茶具套装 6件"},
    {"婴儿纸尿裤 L码 52片", "宝宝辅食 米粉 400g", "儿童保温杯 316不锈钢", "婴儿湿巾 80抽×6包",
     "学饮杯 防呛 240ml", "有机奶粉 3段 800g"},
};
static const char *const statuses[] = {"paid",   "paid",      "paid",  "shipped",
                                       "signed", "refunding", "closed"};

struct wo_tpl {
    int type;
    const char *title, *content;
};
static const struct wo_tpl tpls[] = {
    {GD_TYPE_ORDER_REVIEW, "大额订单审单", "订单金额较大，核对收货地址与买家身份后放行。"},
    {GD_TYPE_SHIPPING, "加急发货", "买家要求今天发出，请仓库优先处理。"},
    {GD_TYPE_WAYBILL, "补打快递面单", "面单打印模糊，快递拒收，请重新打单。"},
    {GD_TYPE_OUT_OF_STOCK, "缺货通知买家", "该商品库存不足，联系买家协商换货或退款。"},
    {GD_TYPE_AFTER_SALES, "买家申请退款", "买家反映商品破损，申请退款，请核实照片后处理。"},
    {GD_TYPE_AFTER_SALES, "退货退款跟进", "买家已寄回商品，收到后检查并办理退款。"},
    {GD_TYPE_CUSTOMER_MEMO, "买家偏好备忘", "老客户，偏好顺丰，包装需加固。"},
    {GD_TYPE_TASK_MEMO, "核对本周缺货清单", "整理缺货商品，和采购确认补货时间。"},
};

static void add_order(struct gd_svc *svc, const struct gd_actor *actor, int shop_i, int i,
                      struct gd_arena *a, char *no, size_t no_len)
{
    struct gd_order o = {0};
    struct gd_err err = {0};
    bool created;
    int p = i % 6, qty = 1 + i % 3;
    int64_t price = 3900 + (int64_t)((i * 7919) % 60000);

    snprintf(no, no_len, "%s%d%07d", shop_i ? "MB" : "TB", 2026, 1000 + i);
    o.order_no = no;
    o.buyer_nick = buyers[(i * 5 + shop_i) % 12];
    o.status = statuses[i % 7];
    o.paid_amount = price * qty;
    o.items = gd_arena_printf(a,
                              "[{\"title\":\"%s\",\"sku\":\"SKU-%d%02d\",\"quantity\":%d,"
                              "\"price\":%lld}]",
                              products[shop_i][p], shop_i + 1, p, qty, (long long)price);
    if (gd_svc_order_upsert(svc, actor, &o, a, &created, &err)) {
        fprintf(stderr, "demo order: %s\n", err.msg);
    }
}

static int64_t user_id(struct gd_svc *svc, const char *username, struct gd_arena *a)
{
    struct gd_user u;
    return GD_STORE(svc->store, user_get_by_username, username, a, &u, NULL) ? 0 : u.id;
}

/* Plays a work order forward to a state through the real actions. */
/* Moves the demo clock forward by `ms` (never past the real now), so the history has
 * believable times to first action and to done. */
static void later(int64_t ms)
{
    int64_t off = gd_clock_offset_ms() + ms;
    gd_clock_set_offset_ms(off < -60000 ? off : -60000);
}

static void play(struct gd_svc *svc, const struct gd_actor *lead, const struct gd_actor *agent,
                 const struct gd_workorder *wo, int target, int64_t other, struct gd_arena *a)
{
    struct gd_workorder cur = *wo;
    struct gd_err err = {0};
    struct gd_act_input in = {.priority = -1};
    int64_t spread = (int64_t)(wo->number * 7919 % 97); /* varies the timings per work order */

    if (!wo->handler_id) {
        agent = lead; /* memos have no handler: the lead works them */
    }
    later((10 + spread) * 60 * 1000); /* the first action, minutes to an hour or two later */
    if (target == 1 || target == 2 || target == 5) {
        in.action = GD_ACT_NOTE;
        in.text = "已联系买家，等待回复。";
        gd_svc_workorder_act(svc, agent, cur.id, &in, a, &cur, &err);
    }
    if (target == 5) {
        in = (struct gd_act_input){.action = GD_ACT_TRANSFER,
                                   .to = other,
                                   .priority = -1,
                                   .reason = "需要仓库协助核实库存"};
        gd_svc_workorder_act(svc, lead, cur.id, &in, a, &cur, &err);
        return;
    }
    if (target >= 1 && target <= 3) {
        in = (struct gd_act_input){.action = GD_ACT_START, .priority = -1};
        gd_svc_workorder_act(svc, agent, cur.id, &in, a, &cur, &err);
    }
    if (target == 2 || target == 3) {
        later(spread * spread * 3000); /* done within minutes to about eight hours */
        in = (struct gd_act_input){
            .action = GD_ACT_COMPLETE, .priority = -1, .text = "已处理完毕，买家确认。"};
        gd_svc_workorder_act(svc, agent, cur.id, &in, a, &cur, &err);
    }
    if (target == 3) {
        in = (struct gd_act_input){
            .action = GD_ACT_REOPEN, .priority = -1, .reason = "买家再次反馈问题"};
        gd_svc_workorder_act(svc, lead, cur.id, &in, a, &cur, &err);
    }
    if (target == 4) {
        in = (struct gd_act_input){
            .action = GD_ACT_CANCEL, .priority = -1, .reason = "买家已撤销申请"};
        gd_svc_workorder_act(svc, lead, cur.id, &in, a, &cur, &err);
    }
    if (target == 6) {
        in = (struct gd_act_input){
            .action = GD_ACT_CHASE, .priority = -1, .text = "请尽快处理，买家在催。"};
        gd_svc_workorder_act(svc, lead, cur.id, &in, a, &cur, &err);
    }
    if (err.code) {
        fprintf(stderr, "demo action: %s\n", err.msg);
    }
}

int gd_cmd_demo(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    int64_t shop_ids[2];
    int ret = 0;

    if (gd_cli_open(argc, argv, true, &svc, &sh)) {
        return 1;
    }
    struct gd_shop existing;
    if (GD_STORE(svc.store, shop_get_by_name, shops[0].name, &a, &existing, NULL) == GD_OK) {
        fprintf(stderr, "error: the demo is already in this database\n");
        gd_cli_close(&svc);
        return 1;
    }
    int64_t id;
    static const char *const platform[][3] = {{"xiaoer1", "小二阿福", "platform_agent"},
                                              {"xiaoer2", "小二青青", "platform_agent"},
                                              {"supervisor", "平台主管老周", "platform_supervisor"},
                                              {"operator", "平台运营", "platform_admin"}};
    for (int i = 0; i < 4; i++) {
        if (gd_svc_user_add(&svc, 0, platform[i][0], platform[i][1], gd_role_parse(platform[i][2]),
                            PASSWORD, &id, &err)) {
            ret = gd_cli_fail(&err);
            goto out;
        }
        printf("login: %s - %s %s\n", platform[i][2], platform[i][0], PASSWORD);
    }
    int64_t real_now = gd_clock_now_ms();
    for (int s = 0; s < 2; s++) {
        char uname[64], no[32];
        struct gd_actor lead = {0}, agents[3];
        if (gd_svc_shop_add(&svc, shops[s].name, &shop_ids[s], &err)) {
            ret = gd_cli_fail(&err);
            goto out;
        }
        for (int u = 0; u < 5; u++) {
            snprintf(uname, sizeof(uname), "%s_%s", shops[s].slug, shops[s].staff[u][0]);
            int role = gd_role_parse(shops[s].staff[u][2]);
            if (gd_svc_user_add(&svc, shop_ids[s], uname, shops[s].staff[u][1], role, PASSWORD, &id,
                                &err)) {
                ret = gd_cli_fail(&err);
                goto out;
            }
            printf("login: %s %s %s %s\n", shops[s].staff[u][2], shops[s].name, uname, PASSWORD);
            struct gd_actor act = {.user_id = id,
                                   .shop_id = shop_ids[s],
                                   .role = role,
                                   .username = gd_arena_strdup(&a, uname),
                                   .display_name = shops[s].staff[u][1]};
            if (u == 0) {
                lead = act;
            } else if (u <= 3) {
                agents[u - 1] = act;
            }
        }
        GD_STORE(svc.store, shop_set_aftersales, shop_ids[s], agents[1].user_id, NULL);
        /* history: orders and work orders over the last 10 days */
        for (int i = 0; i < 150; i++) {
            gd_clock_set_offset_ms(-(10 * DAY) + (int64_t)i * (10 * DAY / 150));
            add_order(&svc, &lead, s, i, &a, no, sizeof(no));
            gd_cli_progress("demo orders", s * 150 + i + 1, 300);
            if (i % 2) {
                continue;
            }
            const struct wo_tpl *t = &tpls[(i / 2) % 8];
            const struct gd_actor *agent = &agents[(i / 2) % 3];
            const struct gd_actor *creator = i % 6 == 0 ? &lead : &agents[(i / 2 + 1) % 3];
            struct gd_wo_input in = {.type = t->type,
                                     .title = t->title,
                                     .content = t->content,
                                     .priority = (i / 2) % 4,
                                     .handler_id =
                                         t->type == GD_TYPE_CUSTOMER_MEMO ? 0 : agent->user_id,
                                     .order_no = t->type == GD_TYPE_TASK_MEMO ? NULL : no};
            struct gd_workorder wo;
            const char *replay;
            if (gd_svc_workorder_create(&svc, creator, &in, NULL, NULL, &a, &wo, &replay, &err)) {
                fprintf(stderr, "demo work order: %s\n", err.msg);
                continue;
            }
            /* older ones are mostly finished; recent ones open; a few stay open past deadline */
            int target = i < 60 ? (i % 5 == 0 ? 4 : 2) : (i % 7);
            play(&svc, &lead, agent, &wo, target, agents[2].user_id, &a);
        }
        /* the newest work orders: open, due soon */
        gd_clock_set_offset_ms(0);
        for (int i = 0; i < 6; i++) {
            const struct wo_tpl *t = &tpls[i % 8];
            struct gd_wo_input in = {.type = t->type,
                                     .title = t->title,
                                     .content = t->content,
                                     .priority = GD_PRIO_HIGH,
                                     .handler_id = agents[i % 2].user_id,
                                     .has_deadline = true,
                                     .deadline_at = real_now + (i + 1) * HOUR};
            struct gd_workorder wo;
            const char *replay;
            gd_svc_workorder_create(&svc, &lead, &in, NULL, NULL, &a, &wo, &replay, &err);
        }
    }
    gd_clock_set_offset_ms(0);
    gd_demo_collab(&svc, &a, shop_ids); /* cli/demo_collab.c */
    /* mark what is already past its deadline, as the server would on start */
    int fired = gd_sched_run_once(&svc, gd_clock_now_ms(), GD_SCHED_BATCH, &err);
    printf("demo ready: 2 shops, 300 orders, work orders in every state (%d overdue timers "
           "fired)\n",
           fired < 0 ? 0 : fired);
out:
    gd_clock_set_offset_ms(0);
    gd_arena_release(&a);
    gd_cli_close(&svc);
    (void)user_id;
    return ret;
}
