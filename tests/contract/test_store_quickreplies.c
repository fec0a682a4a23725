/* Store contract: quick replies (快捷短语). A user's list holds the shop-wide replies and their
 * own, shop-wide first, never another user's or another shop's; the counts are per shop-wide
 * group and per person; update and delete reach only a reply of the shop named. */
#include "harness.h"

static struct gd_quickreply reply(int64_t shop_id, int64_t owner, const char *title)
{
    struct gd_quickreply q = {.id = gd_id_new(),
                              .shop_id = shop_id,
                              .owner_user_id = owner,
                              .title = title,
                              .body = "您好 {买家}，订单 {订单号} 已处理",
                              .created_at = 10,
                              .updated_at = 10};
    CHECK_EQ_INT(GD_STORE(st, quickreply_insert, &q, NULL), GD_OK);
    return q;
}

static void quickreplies(void)
{
    int64_t s1 = shop("qr-1"), s2 = shop("qr-2");
    int64_t lead = user(s1, "qr-lead", GD_ROLE_SHOP_LEAD),
            agent = user(s1, "qr-agent", GD_ROLE_SHOP_AGENT);
    int64_t other = user(s2, "qr-other", GD_ROLE_SHOP_AGENT);
    struct gd_quickreply *list, got;
    int n = -1;

    CHECK_EQ_INT(GD_STORE(st, quickreplies_count, s1, 0, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    struct gd_quickreply w2 = reply(s1, 0, "物流"), w1 = reply(s1, 0, "催单");
    struct gd_quickreply mine = reply(s1, agent, "道歉"), leads = reply(s1, lead, "退款");
    reply(s2, other, "别家");
    reply(s2, 0, "别家全店");

    /* the agent: the two shop-wide ones (by title), then their own; not the lead's own */
    CHECK_EQ_INT(GD_STORE(st, quickreplies_list, s1, agent, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(list[0].owner_user_id, 0);
    CHECK_EQ_INT(list[1].owner_user_id, 0);
    CHECK(strcmp(list[0].title, list[1].title) < 0);
    CHECK(list[0].id == w1.id || list[0].id == w2.id);
    CHECK_EQ_INT(list[2].id, mine.id);
    CHECK_EQ_INT(list[2].owner_user_id, agent);
    CHECK_EQ_STR(list[2].body, "您好 {买家}，订单 {订单号} 已处理");
    CHECK_EQ_INT(list[2].created_at, 10);
    CHECK_EQ_INT(GD_STORE(st, quickreplies_list, s1, lead, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(list[2].id, leads.id);
    /* another shop's user of the same shop id sees nothing of it */
    CHECK_EQ_INT(GD_STORE(st, quickreplies_list, s2, agent, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(list[0].title, "别家全店");

    CHECK_EQ_INT(GD_STORE(st, quickreplies_count, s1, 0, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(GD_STORE(st, quickreplies_count, s1, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, quickreplies_count, s2, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* get and update are by shop: another shop's id is not found and changes nothing */
    CHECK_EQ_INT(GD_STORE(st, quickreply_get, s2, mine.id, &a, &got, NULL), GD_ENOTFOUND);
    struct gd_quickreply ch = mine;
    ch.title = "致歉";
    ch.body = "抱歉，{截止时间} 前处理";
    ch.updated_at = 20;
    ch.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, quickreply_update, &ch, NULL), GD_ENOTFOUND);
    ch.shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, quickreply_update, &ch, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, quickreply_get, s1, mine.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.title, "致歉");
    CHECK_EQ_STR(got.body, "抱歉，{截止时间} 前处理");
    CHECK_EQ_INT(got.owner_user_id, agent);
    CHECK_EQ_INT(got.created_at, 10);
    CHECK_EQ_INT(got.updated_at, 20);

    CHECK_EQ_INT(GD_STORE(st, quickreply_delete, s2, mine.id, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, quickreply_delete, s1, mine.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, quickreply_delete, s1, mine.id, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, quickreply_get, s1, mine.id, &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, quickreplies_count, s1, agent, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    quickreplies();
    return contract_finish("store contract: quick replies");
}
