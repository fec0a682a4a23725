/* Store contract: saved filters, and the bounded count of a list filter. A user's list holds the
 * filters shared with the shop and their own, shared first, never another user's or another
 * shop's; update and delete reach only a filter of the shop named; workorders_count counts what
 * the list would show, at most `cap`, and nothing of another shop. */
#include "harness.h"

static struct gd_saved_filter saved(int64_t shop_id, int64_t owner, const char *name)
{
    struct gd_saved_filter f = {.id = gd_id_new(),
                                .shop_id = shop_id,
                                .owner_user_id = owner,
                                .name = name,
                                .view = "shop",
                                .query = "state=open&q=%E9%80%80%E6%AC%BE",
                                .created_at = 10,
                                .updated_at = 10};
    CHECK_EQ_INT(GD_STORE(st, savedfilter_insert, &f, NULL), GD_OK);
    return f;
}

static void savedfilters(void)
{
    int64_t s1 = shop("sf-1"), s2 = shop("sf-2");
    int64_t lead = user(s1, "sf-lead", GD_ROLE_SHOP_LEAD),
            agent = user(s1, "sf-agent", GD_ROLE_SHOP_AGENT);
    int64_t other = user(s2, "sf-other", GD_ROLE_SHOP_AGENT);
    struct gd_saved_filter *list, got;
    int n = -1;

    CHECK_EQ_INT(GD_STORE(st, savedfilters_count, s1, 0, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    struct gd_saved_filter w2 = saved(s1, 0, "超期"), w1 = saved(s1, 0, "待发货");
    struct gd_saved_filter mine = saved(s1, agent, "我的退款"), leads = saved(s1, lead, "主管");
    saved(s2, other, "别家");
    saved(s2, 0, "别家共享");

    CHECK_EQ_INT(GD_STORE(st, savedfilters_list, s1, agent, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(list[0].owner_user_id, 0);
    CHECK_EQ_INT(list[1].owner_user_id, 0);
    CHECK(strcmp(list[0].name, list[1].name) < 0);
    CHECK(list[0].id == w1.id || list[0].id == w2.id);
    CHECK_EQ_INT(list[2].id, mine.id);
    CHECK_EQ_INT(list[2].owner_user_id, agent);
    CHECK_EQ_STR(list[2].view, "shop");
    CHECK_EQ_STR(list[2].query, "state=open&q=%E9%80%80%E6%AC%BE");
    CHECK_EQ_INT(list[2].created_at, 10);
    CHECK_EQ_INT(GD_STORE(st, savedfilters_list, s1, lead, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(list[2].id, leads.id);
    CHECK_EQ_INT(GD_STORE(st, savedfilters_list, s2, agent, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(list[0].name, "别家共享");

    CHECK_EQ_INT(GD_STORE(st, savedfilters_count, s1, 0, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(GD_STORE(st, savedfilters_count, s1, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, savedfilters_count, s2, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    CHECK_EQ_INT(GD_STORE(st, savedfilter_get, s2, mine.id, &a, &got, NULL), GD_ENOTFOUND);
    struct gd_saved_filter ch = mine;
    ch.name = "退款中";
    ch.view = "todo";
    ch.query = "type=after_sales";
    ch.updated_at = 20;
    ch.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, savedfilter_update, &ch, NULL), GD_ENOTFOUND);
    ch.shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, savedfilter_update, &ch, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, savedfilter_get, s1, mine.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.name, "退款中");
    CHECK_EQ_STR(got.view, "todo");
    CHECK_EQ_STR(got.query, "type=after_sales");
    CHECK_EQ_INT(got.owner_user_id, agent);
    CHECK_EQ_INT(got.created_at, 10);
    CHECK_EQ_INT(got.updated_at, 20);

    CHECK_EQ_INT(GD_STORE(st, savedfilter_delete, s2, mine.id, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, savedfilter_delete, s1, mine.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, savedfilter_delete, s1, mine.id, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, savedfilter_get, s1, mine.id, &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, savedfilters_count, s1, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

static void bounded_count(void)
{
    int64_t s1 = shop("cnt-1"), s2 = shop("cnt-2");
    int64_t lead = user(s1, "cnt-lead", GD_ROLE_SHOP_LEAD),
            agent = user(s1, "cnt-agent", GD_ROLE_SHOP_AGENT);
    int64_t other = user(s2, "cnt-other", GD_ROLE_SHOP_AGENT);
    int64_t n = -1;

    for (int i = 0; i < 5; i++) {
        wo_new(s1, lead, agent, "给客服", 1000);
    }
    struct gd_workorder w = wo_new(s1, agent, lead, "给主管", 1000);
    wo_about(w, "CNT-1", GD_TYPE_SHIPPING, GD_STATE_IN_PROGRESS);
    wo_new(s2, other, other, "别家", 1000);

    struct gd_wo_filter shop_all = {.view = GD_VIEW_SHOP, .type = -1, .state = -1};
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s1, &shop_all, 100, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 6);
    /* at most cap rows are counted */
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s1, &shop_all, 4, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 4);
    struct gd_wo_filter todo = {.view = GD_VIEW_TODO, .user_id = agent, .type = -1, .state = -1};
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s1, &todo, 100, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 5);
    struct gd_wo_filter shipping = {.view = GD_VIEW_SHOP, .type = GD_TYPE_SHIPPING, .state = -1};
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s1, &shipping, 100, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s2, &shipping, 100, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, workorders_count, s2, &shop_all, 100, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    savedfilters();
    bounded_count();
    return contract_finish("store contract: saved filters");
}
