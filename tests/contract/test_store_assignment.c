/* Store contract: assignment rules (one per shop and type, replaced whole but keeping round
 * robin's cursor, never another shop's) and availability (each person's status, and the
 * workbench presence a node renews and drops). */
#include "harness.h"

static void rules(void)
{
    int64_t s1 = shop("assign-1"), s2 = shop("assign-2");
    struct gd_assign_rule r = {s1, "after_sales", "round_robin", "[1,2]", true, 0, 10}, got, *list;
    int n;

    CHECK_EQ_INT(GD_STORE(st, assign_rule_get, s1, "after_sales", &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_put, &r, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_cursor, s1, "after_sales", 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_get, s1, "after_sales", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.kind, "round_robin");
    CHECK_EQ_STR(got.members, "[1,2]");
    CHECK(got.reassign);
    CHECK_EQ_INT(got.cursor_user_id, 2);
    /* replaced whole; the cursor stays */
    r.kind = "least_open";
    r.members = "[3]";
    r.reassign = false;
    CHECK_EQ_INT(GD_STORE(st, assign_rule_put, &r, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_get, s1, "after_sales", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.kind, "least_open");
    CHECK_EQ_STR(got.members, "[3]");
    CHECK(!got.reassign);
    CHECK_EQ_INT(got.cursor_user_id, 2);
    r.type_key = "shipping";
    CHECK_EQ_INT(GD_STORE(st, assign_rule_put, &r, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, assign_rules_list, s1, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(list[0].type_key, "after_sales");
    CHECK_EQ_STR(list[1].type_key, "shipping");
    /* another shop has none of them, and cannot touch them */
    CHECK_EQ_INT(GD_STORE(st, assign_rules_list, s2, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_cursor, s2, "shipping", 1, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_delete, s2, "shipping", NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_delete, s1, "shipping", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, assign_rule_delete, s1, "shipping", NULL), GD_ENOTFOUND);
}

static void availability(void)
{
    int64_t s1 = shop("avail-1"), s2 = shop("avail-2");
    int64_t u1 = user(s1, "avail-u1", GD_ROLE_SHOP_AGENT),
            u2 = user(s1, "avail-u2", GD_ROLE_SHOP_AGENT);
    struct gd_agent_status x = {u1, s1, "busy", false, false, 5}, *list;
    int n;

    CHECK_EQ_INT(GD_STORE(st, agent_statuses_list, s1, 0, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0); /* nobody set one */
    CHECK_EQ_INT(GD_STORE(st, agent_status_put, &x, NULL), GD_OK);
    x = (struct gd_agent_status){u2, s1, "online", true, false, 6};
    CHECK_EQ_INT(GD_STORE(st, agent_status_put, &x, NULL), GD_OK);
    x.status = "offline"; /* replaced */
    CHECK_EQ_INT(GD_STORE(st, agent_status_put, &x, NULL), GD_OK);
    /* u2's workbench is open on nodes 0 and 3, seen at 1000 and 2000 */
    CHECK_EQ_INT(GD_STORE(st, agent_presence_touch, u2, 0, 1000, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, agent_presence_touch, u2, 3, 2000, NULL), GD_OK);
    /* u1 counts as online without a workbench: their streams record nothing */
    CHECK_EQ_INT(GD_STORE(st, agent_presence_touch, u1, 0, 2000, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, agent_statuses_list, s1, 1500, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(list[0].user_id < list[1].user_id, 1);
    struct gd_agent_status *x1 = list[0].user_id == u1 ? &list[0] : &list[1];
    struct gd_agent_status *x2 = list[0].user_id == u2 ? &list[0] : &list[1];
    CHECK_EQ_STR(x1->status, "busy");
    CHECK(!x1->workbench_only && !x1->present);
    CHECK_EQ_STR(x2->status, "offline");
    CHECK(x2->workbench_only && x2->present);
    /* node 3 closed its last stream of u2: node 0's was seen too long ago */
    CHECK_EQ_INT(GD_STORE(st, agent_presence_drop, u2, 3, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, agent_statuses_list, s1, 1500, &a, &list, &n, NULL), GD_OK);
    CHECK(!list[0].present && !list[1].present);
    CHECK_EQ_INT(GD_STORE(st, agent_statuses_list, s1, 900, &a, &list, &n, NULL), GD_OK);
    CHECK(list[0].user_id == u2 ? list[0].present : list[1].present);
    /* another shop sees none of them */
    CHECK_EQ_INT(GD_STORE(st, agent_statuses_list, s2, 0, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    rules();
    availability();
    return contract_finish("store contract: assignment");
}
