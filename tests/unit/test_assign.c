/* Unit tests of the assignment rules' pick (core/assign.c): round robin's order and fairness,
 * least open work, the fixed handler, who is available, and why nobody was placed. */
#include "check.h"
#include "core/assign.h"

static void test_round_robin(void)
{
    struct gd_assign_member m[] = {{11, true, true, 0}, {12, true, true, 0}, {13, true, true, 0}};
    int miss, counts[3] = {0}, pick;
    int64_t cursor = 0;

    /* 30 in a row: each member gets every third, in member order from the first */
    for (int i = 0; i < 30; i++) {
        pick = gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 3, cursor, 0, &miss);
        CHECK_EQ_INT(pick, i % 3);
        counts[pick]++;
        cursor = m[pick].user_id;
    }
    CHECK_EQ_INT(counts[0], 10);
    CHECK_EQ_INT(counts[1], 10);
    CHECK_EQ_INT(counts[2], 10);
    /* an unavailable member is skipped, the round goes on after them */
    m[1].available = false;
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 3, 11, 0, &miss), 2);
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 3, 13, 0, &miss), 0);
    /* a cursor no longer in the group starts at the first member */
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 3, 99, 0, &miss), 0);
    /* the handler the work moves away from is never chosen */
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 3, 13, 11, &miss), 2);
    CHECK_EQ_INT(miss, GD_ASSIGN_PLACED);
}

static void test_least_open(void)
{
    struct gd_assign_member m[] = {{1, true, true, 5},
                                   {2, true, true, 2},
                                   {3, true, true, 2},
                                   {4, true, false, 0},
                                   {5, false, true, 0}};
    int miss;
    /* the fewest open among those available and active; a tie goes to the earlier member */
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_LEAST_OPEN, m, 5, 0, 0, &miss), 1);
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_LEAST_OPEN, m, 5, 0, 2, &miss), 2);
    m[2].open = 1;
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_LEAST_OPEN, m, 5, 0, 0, &miss), 2);
}

static void test_fixed_and_misses(void)
{
    struct gd_assign_member m[] = {{7, true, true, 0}, {8, true, true, 0}};
    int miss;
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_FIXED, m, 1, 0, 0, &miss), 0);
    m[0].available = false; /* the fixed handler is offline: nobody, and why */
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_FIXED, m, 1, 0, 0, &miss), -1);
    CHECK_EQ_INT(miss, GD_ASSIGN_NONE_AVAILABLE);
    m[1].available = false;
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 2, 0, 0, &miss), -1);
    CHECK_EQ_INT(miss, GD_ASSIGN_NONE_AVAILABLE);
    m[0].active = m[1].active = false; /* every member deactivated: the group is empty */
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_LEAST_OPEN, m, 2, 0, 0, &miss), -1);
    CHECK_EQ_INT(miss, GD_ASSIGN_GROUP_EMPTY);
    CHECK_EQ_INT(gd_assign_pick(GD_ASSIGN_ROUND_ROBIN, m, 0, 0, 0, &miss), -1);
    CHECK_EQ_INT(miss, GD_ASSIGN_GROUP_EMPTY);
    CHECK_EQ_STR(gd_assign_miss_name(GD_ASSIGN_NONE_AVAILABLE), "none_available");
}

static void test_availability(void)
{
    CHECK(gd_agent_available(GD_AGENT_ONLINE, false, false));
    CHECK(gd_agent_available(GD_AGENT_ONLINE, true, true));
    CHECK(!gd_agent_available(GD_AGENT_ONLINE, true, false));
    CHECK(!gd_agent_available(GD_AGENT_BUSY, false, true));
    CHECK(!gd_agent_available(GD_AGENT_OFFLINE, false, true));
    for (int k = 0; k < GD_ASSIGN_KIND_COUNT; k++) {
        CHECK_EQ_INT(gd_assign_kind_parse(gd_assign_kind_name(k)), k);
    }
    for (int s = 0; s < GD_AGENT_STATE_COUNT; s++) {
        CHECK_EQ_INT(gd_agent_state_parse(gd_agent_state_name(s)), s);
    }
    CHECK_EQ_INT(gd_agent_state_parse("away"), -1);
}

int main(void)
{
    test_round_robin();
    test_least_open();
    test_fixed_and_misses();
    test_availability();
    return check_report("test_assign");
}
