/* Store contract: the bounded count of a list filter. workorders_count counts what the list would
 * show, at most `cap`, and nothing of another shop (the saved filters page shows each filter with
 * it). */
#include "harness.h"

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
    bounded_count();
    return contract_finish("store contract: bounded list count");
}
