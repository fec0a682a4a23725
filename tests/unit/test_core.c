/* Unit tests of core: the transition table, permissions, counter keys; and of base: time
 * formatting/parsing, UTF-8, ids, the string buffer. */
#include "base/id.h"
#include "base/strbuf.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "check.h"
#include "core/counters.h"
#include "core/fields.h"
#include "core/perm.h"
#include "core/workorder.h"

static void test_transitions(void)
{
    int t = GD_TYPE_AFTER_SALES;
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_START), GD_STATE_IN_PROGRESS);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_COMPLETE), GD_STATE_DONE);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_IN_PROGRESS, GD_ACT_COMPLETE), GD_STATE_DONE);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_IN_PROGRESS, GD_ACT_START), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_DONE, GD_ACT_REOPEN), GD_STATE_OPEN);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_REOPEN), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_DONE, GD_ACT_CANCEL), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_CANCELLED, GD_ACT_REOPEN), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_CANCELLED, GD_ACT_NOTE), GD_STATE_CANCELLED);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_TRANSFER), GD_STATE_OPEN);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_DONE, GD_ACT_TRANSFER), -1);
    /* waiting for the buyer (等待买家): from open or in progress; left by start, complete or
     * cancel; the work order stays active (its handler's 待办) */
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_WAIT_BUYER), GD_STATE_WAITING_BUYER);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_IN_PROGRESS, GD_ACT_WAIT_BUYER), GD_STATE_WAITING_BUYER);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_WAIT_BUYER), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_START), GD_STATE_IN_PROGRESS);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_COMPLETE), GD_STATE_DONE);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_CANCEL), GD_STATE_CANCELLED);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_NOTE), GD_STATE_WAITING_BUYER);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_WAITING_BUYER, GD_ACT_REOPEN), -1);
    CHECK_EQ_INT(gd_transition(t, GD_STATE_DONE, GD_ACT_WAIT_BUYER), -1);
    CHECK_EQ_INT(gd_transition(GD_TYPE_COLLAB, GD_STATE_AWAITING_SELLER, GD_ACT_WAIT_BUYER), -1);
    CHECK(gd_state_is_active(GD_STATE_WAITING_BUYER));
    CHECK(!gd_state_is_finished(GD_STATE_WAITING_BUYER));
    /* collaborative actions never apply to ordinary work orders */
    CHECK_EQ_INT(gd_transition(t, GD_STATE_OPEN, GD_ACT_REPLY), -1);
    CHECK_EQ_INT(gd_transition(GD_TYPE_COLLAB, GD_STATE_OPEN, GD_ACT_START), -1);
}

static void test_past_due(void)
{
    struct gd_workorder w = {
        .type = GD_TYPE_AFTER_SALES, .state = GD_STATE_OPEN, .deadline_at = 1000};
    CHECK(!gd_workorder_is_past_due(&w, 999));
    CHECK(gd_workorder_is_past_due(&w, 1000));
    w.state = GD_STATE_WAITING_BUYER;
    CHECK(gd_workorder_is_past_due(&w, 2000));
    w.state = GD_STATE_DONE;
    CHECK(!gd_workorder_is_past_due(&w, 2000));
    w.state = GD_STATE_OPEN;
    w.deadline_at = 0;
    CHECK(!gd_workorder_is_past_due(&w, 2000));
    /* a collaborative case's late step is never flagged overdue (docs/collab.md) */
    struct gd_workorder c = {.type = GD_TYPE_COLLAB, .deadline_at = 1000};
    for (int s = GD_STATE_AWAITING_SELLER; s <= GD_STATE_FINAL; s++) {
        c.state = s;
        CHECK(!gd_workorder_is_past_due(&c, 2000));
    }
}

static void test_names(void)
{
    for (int t = 0; t < GD_TYPE_COUNT; t++) {
        CHECK_EQ_INT(gd_type_parse(gd_type_name(t)), t);
    }
    for (int s = 0; s < GD_STATE_COUNT; s++) {
        CHECK_EQ_INT(gd_state_parse(gd_state_name(s)), s);
    }
    for (int a = 0; a < GD_ACT_COUNT; a++) {
        CHECK_EQ_INT(gd_action_parse(gd_action_name(a)), a);
    }
    CHECK_EQ_INT(gd_type_parse("nope"), -1);
    CHECK_EQ_INT(gd_type_parse(NULL), -1);
    CHECK_EQ_STR(gd_type_label_zh(GD_TYPE_SHIPPING), "发货");
    CHECK_EQ_INT(gd_type_default_deadline_ms(GD_TYPE_ORDER_REVIEW), 2 * 3600 * 1000);
    CHECK_EQ_INT(gd_type_default_deadline_ms(GD_TYPE_CUSTOMER_MEMO), 0);
    /* the lists the API's messages quote come from the same tables */
    char buf[256], tiny[16];
    CHECK_EQ_STR(gd_type_list(buf, sizeof(buf), GD_TYPE_COLLAB),
                 "order_review, shipping, waybill, out_of_stock, after_sales, customer_memo, "
                 "task_memo");
    CHECK_EQ_STR(gd_type_list(buf, sizeof(buf), GD_TYPE_COUNT + 5),
                 "order_review, shipping, waybill, out_of_stock, after_sales, customer_memo, "
                 "task_memo, collab");
    CHECK_EQ_STR(gd_state_list(buf, sizeof(buf)),
                 "open, in_progress, done, cancelled, awaiting_seller, platform_verify, "
                 "intervention, judged, appeal_review, resolved, final, waiting_buyer");
    CHECK_EQ_STR(gd_state_list(tiny, sizeof(tiny)), "open, in_progre"); /* cut, still a string */
}

/* A shop's type keys round-trip and can never be a built-in key; field kinds and dates. */
static void test_shop_types_and_fields(void)
{
    CHECK_EQ_STR(gd_type_name(GD_TYPE_SHOP_FIRST), "x-1000");
    CHECK_EQ_STR(gd_type_name(GD_TYPE_SHOP_FIRST + GD_TYPE_SHOP_MAX - 1), "x-1199");
    CHECK_EQ_STR(gd_type_name(GD_TYPE_SHOP_FIRST + GD_TYPE_SHOP_MAX), "?");
    CHECK_EQ_INT(gd_type_parse("x-1000"), GD_TYPE_SHOP_FIRST);
    CHECK_EQ_INT(gd_type_parse("x-1199"), GD_TYPE_SHOP_FIRST + GD_TYPE_SHOP_MAX - 1);
    CHECK_EQ_INT(gd_type_parse("x-1200"), -1);
    CHECK_EQ_INT(gd_type_parse("x-999"), -1);
    CHECK_EQ_INT(gd_type_parse("x-01000"), -1);
    CHECK_EQ_INT(gd_type_parse("x-1000a"), -1);
    CHECK_EQ_INT(gd_type_parse("x-"), -1);
    for (int t = 0; t < GD_TYPE_COUNT; t++) {
        /* built-in keys are [a-z_]: a shop's key, with its '-', is never one */
        CHECK(strspn(gd_type_name(t), "abcdefghijklmnopqrstuvwxyz_") == strlen(gd_type_name(t)));
        CHECK(!gd_type_is_shop(t));
        CHECK(strcmp(gd_type_label_en(t), "?") != 0);
    }
    /* a shop's type follows the ordinary table */
    CHECK_EQ_INT(gd_transition(GD_TYPE_SHOP_FIRST, GD_STATE_OPEN, GD_ACT_COMPLETE), GD_STATE_DONE);
    for (int k = 0; k < GD_FIELD_KIND_COUNT; k++) {
        CHECK_EQ_INT(gd_field_kind_parse(gd_field_kind_name(k)), k);
    }
    CHECK_EQ_INT(gd_field_kind_parse("colour"), -1);
    CHECK(!gd_field_kind_is_filterable(GD_FIELD_LONG_TEXT));
    CHECK(gd_field_kind_is_filterable(GD_FIELD_MULTI));
    CHECK(gd_field_date_valid("2024-02-29"));
    CHECK(!gd_field_date_valid("2026-02-29"));
    CHECK(!gd_field_date_valid("2026-13-01"));
    CHECK(!gd_field_date_valid("2026-1-01"));
    CHECK(!gd_field_date_valid("2026-04-31"));
    CHECK(gd_field_date_valid("2026-12-31"));
}

static void test_perm(void)
{
    struct gd_workorder wo = {
        .shop_id = 7, .type = GD_TYPE_SHIPPING, .creator_id = 1, .handler_id = 2};
    struct gd_actor creator = {.user_id = 1, .shop_id = 7, .role = GD_ROLE_SHOP_AGENT};
    struct gd_actor handler = {.user_id = 2, .shop_id = 7, .role = GD_ROLE_SHOP_AGENT};
    struct gd_actor other = {.user_id = 3, .shop_id = 7, .role = GD_ROLE_SHOP_AGENT};
    struct gd_actor lead = {.user_id = 4, .shop_id = 7, .role = GD_ROLE_SHOP_LEAD};
    struct gd_actor foreign = {.user_id = 5, .shop_id = 8, .role = GD_ROLE_SHOP_OWNER};
    struct gd_actor xiaoer = {.user_id = 6, .shop_id = 0, .role = GD_ROLE_PLATFORM_AGENT};

    /* an agent opens what is theirs: created, handled, or handled before (the timeline says) */
    CHECK(gd_perm_can_view(&creator, &wo, false));
    CHECK(gd_perm_can_view(&handler, &wo, false));
    CHECK(!gd_perm_can_view(&other, &wo, false));
    CHECK_EQ_INT(gd_perm_open(&other, &wo), GD_OPEN_IF_HANDLED_BEFORE);
    CHECK(gd_perm_can_view(&other, &wo, true));
    CHECK(gd_perm_can_view(&lead, &wo, false));
    CHECK(!gd_perm_can_view(&foreign, &wo, true));
    CHECK(!gd_perm_can_view(&xiaoer, &wo, true));
    CHECK(gd_perm_sees_whole_shop(&lead) && !gd_perm_sees_whole_shop(&other));
    /* orders: written by owner and lead (and their tokens), read by the shop */
    CHECK(gd_perm_can_write_orders(&lead));
    CHECK(!gd_perm_can_write_orders(&other));
    CHECK(!gd_perm_can_write_orders(&xiaoer));
    CHECK(gd_perm_can_read_orders(&other));
    CHECK(!gd_perm_can_read_orders(&xiaoer));
    CHECK(gd_perm_can_act(&handler, &wo, GD_ACT_COMPLETE));
    CHECK(!gd_perm_can_act(&handler, &wo, GD_ACT_CANCEL));
    CHECK(gd_perm_can_act(&creator, &wo, GD_ACT_CANCEL));
    CHECK(!gd_perm_can_act(&other, &wo, GD_ACT_NOTE));
    CHECK(gd_perm_can_act(&lead, &wo, GD_ACT_TRANSFER));
    CHECK(!gd_perm_can_act(&foreign, &wo, GD_ACT_NOTE));
    CHECK(gd_perm_can_use_view(&lead, GD_VIEW_SHOP));
    CHECK(!gd_perm_can_use_view(&other, GD_VIEW_SHOP));
    CHECK(!gd_perm_can_use_view(&other, GD_VIEW_INTERVENTION));
    CHECK(gd_perm_can_use_view(&xiaoer, GD_VIEW_INTERVENTION));
    CHECK(!gd_perm_can_create(&xiaoer, GD_TYPE_SHIPPING));
    CHECK(gd_perm_can_create(&xiaoer, GD_TYPE_COLLAB));
    CHECK(!gd_perm_can_create(&lead, GD_TYPE_COLLAB));
}

static int find(const struct gd_counter_delta *d, int n, const char *key, int64_t shop)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(d[i].key, key) == 0 && d[i].shop_id == shop) {
            return d[i].delta;
        }
    }
    return 0;
}

static void test_counters(void)
{
    struct gd_workorder a = {.shop_id = 7,
                             .type = GD_TYPE_SHIPPING,
                             .state = GD_STATE_OPEN,
                             .creator_id = 1,
                             .handler_id = 2};
    struct gd_counter_delta d[2 * GD_COUNTER_MAX];
    int n = gd_counter_diff(NULL, &a, d);
    CHECK_EQ_INT(find(d, n, "shop", 7), 1);
    CHECK_EQ_INT(find(d, n, "todo:2", 7), 1);
    CHECK_EQ_INT(find(d, n, "assigned:2", 7), 1);
    CHECK_EQ_INT(find(d, n, "created:1", 7), 1);
    CHECK_EQ_INT(find(d, n, "overdue", 7), 0);
    /* ids of every size, in decimal */
    struct gd_workorder big = a;
    big.creator_id = INT64_MAX;
    big.handler_id = 1000000007;
    n = gd_counter_diff(NULL, &big, d);
    CHECK_EQ_INT(find(d, n, "created:9223372036854775807", 7), 1);
    CHECK_EQ_INT(find(d, n, "todo:1000000007", 7), 1);

    /* an overdue mark moves the overdue keys alone, and taking it back moves them back; a
     * change no key is made of moves none */
    struct gd_workorder marked = a;
    marked.overdue = true;
    n = gd_counter_diff(&a, &marked, d);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(find(d, n, "overdue", 7), 1);
    CHECK_EQ_INT(find(d, n, "overdue:2", 7), 1);
    n = gd_counter_diff(&marked, &a, d);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(find(d, n, "overdue", 7), -1);
    CHECK_EQ_INT(find(d, n, "overdue:2", 7), -1);
    struct gd_workorder retitled = marked;
    retitled.title = "another title";
    CHECK_EQ_INT(gd_counter_diff(&marked, &retitled, d), 0);
    struct gd_workorder done = a, done_marked = a;
    done.state = done_marked.state = GD_STATE_DONE;
    done_marked.overdue = true;
    CHECK_EQ_INT(gd_counter_diff(&done, &done_marked, d), 0); /* finished: not counted overdue */

    /* transfer to 3 while overdue */
    struct gd_workorder b = a;
    b.handler_id = 3;
    b.overdue = true;
    n = gd_counter_diff(&a, &b, d);
    CHECK_EQ_INT(find(d, n, "todo:2", 7), -1);
    CHECK_EQ_INT(find(d, n, "todo:3", 7), 1);
    CHECK_EQ_INT(find(d, n, "overdue", 7), 1);
    CHECK_EQ_INT(find(d, n, "overdue:3", 7), 1);
    CHECK_EQ_INT(find(d, n, "shop", 7), 0);

    /* completing takes it out of todo and overdue, not out of assigned */
    struct gd_workorder c = b;
    c.state = GD_STATE_DONE;
    n = gd_counter_diff(&b, &c, d);
    CHECK_EQ_INT(find(d, n, "todo:3", 7), -1);
    CHECK_EQ_INT(find(d, n, "overdue", 7), -1);
    CHECK_EQ_INT(find(d, n, "assigned:3", 7), 0);

    /* collaborative work orders in platform queues count under shop 0 */
    struct gd_workorder e = {
        .shop_id = 7, .type = GD_TYPE_COLLAB, .state = GD_STATE_INTERVENTION, .creator_id = 9};
    n = gd_counter_diff(NULL, &e, d);
    CHECK_EQ_INT(find(d, n, "pq:intervention", 0), 1);
}

static void test_time(void)
{
    int64_t ms;
    char buf[40];
    CHECK(gd_time_parse("2026-10-01T00:00:00+08:00", 0, &ms));
    CHECK_EQ_INT(ms, 1790784000000LL);
    gd_time_format(ms, 480, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2026-10-01T00:00:00.000+08:00");
    gd_time_format(ms, 0, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2026-09-30T16:00:00.000Z");
    CHECK(gd_time_parse("2026-09-30T16:00:00.123Z", 0, &ms));
    CHECK_EQ_INT(ms, 1790784000123LL);
    CHECK(gd_time_parse("2026-10-01", 480, &ms)); /* a date: midnight in the given zone */
    CHECK_EQ_INT(ms, 1790784000000LL);
    CHECK(!gd_time_parse("2026-02-30", 0, &ms));
    CHECK(!gd_time_parse("2026-10-01T25:00:00Z", 0, &ms));
    CHECK(!gd_time_parse("2026-10-01T10:00:00", 0, &ms)); /* no zone */
    CHECK(!gd_time_parse("tomorrow", 0, &ms));
    CHECK(gd_time_parse("2024-02-29T00:00:00Z", 0, &ms));
    /* an accepted time renders (in the zone given) as text that parses again: the year 10000 or
     * 1969 in that zone is refused (found by tests/fuzz/fuzz_timefmt) */
    CHECK(!gd_time_parse("9999-12-31T23:59:59Z", 480, &ms));
    CHECK(!gd_time_parse("1970-01-01T00:00:00+09:00", 480, &ms));
    CHECK(gd_time_parse("9999-12-31T15:59:59.999Z", 480, &ms));
    gd_time_format(ms, 480, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "9999-12-31T23:59:59.999+08:00");
    CHECK(gd_time_parse("1970-01-01T00:00:00+08:00", 480, &ms));
    gd_time_format(ms, 480, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "1970-01-01T00:00:00.000+08:00");
}

static void test_utf8_ids_strbuf(void)
{
    CHECK(gd_utf8_valid("退款 ok", strlen("退款 ok")));
    CHECK(!gd_utf8_valid("\xC0\xAF", 2));     /* overlong */
    CHECK(!gd_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
    CHECK(!gd_utf8_valid("\xE9\x80", 2));     /* truncated */
    CHECK_EQ_INT(gd_utf8_len("退款ab"), 4);

    int64_t a = gd_id_new(), b = gd_id_new();
    CHECK(b > a);
    CHECK_EQ_INT(gd_id_parse("123"), 123);
    CHECK_EQ_INT(gd_id_parse("-1"), 0);
    CHECK_EQ_INT(gd_id_parse("12x"), 0);
    CHECK_EQ_INT(gd_id_parse(""), 0);

    struct gd_strbuf sb;
    gd_strbuf_init(&sb, 8);
    gd_strbuf_adds(&sb, "12345");
    gd_strbuf_adds(&sb, "6789");
    CHECK(sb.overflow);
    CHECK_EQ_STR(sb.buf, "12345");
    gd_strbuf_release(&sb);
    gd_strbuf_init(&sb, 0);
    gd_strbuf_add_json_str(&sb, "a\"b\\c\n\x01退");
    CHECK_EQ_STR(sb.buf, "\"a\\\"b\\\\c\\n\\u0001退\"");
    gd_strbuf_release(&sb);
}

int main(void)
{
    test_transitions();
    test_past_due();
    test_names();
    test_shop_types_and_fields();
    test_perm();
    test_counters();
    test_time();
    test_utf8_ids_strbuf();
    return check_report("test_core");
}
