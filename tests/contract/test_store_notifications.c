/* Store contract: notifications and each user's choice of them. A user's list is theirs alone,
 * newest first, paged by id, optionally only the unread; the unread count is the bell's; marking
 * read reaches only the user's own rows (one, or all); the muted kinds are kept per user. */
#include "harness.h"

static struct gd_notification note(int64_t user_id, int64_t shop_id, const char *kind, int64_t at)
{
    struct gd_notification n = {.id = gd_id_new(),
                                .user_id = user_id,
                                .shop_id = shop_id,
                                .kind = kind,
                                .workorder_id = gd_id_new(),
                                .wo_number = 42,
                                .title = "买家申请退款",
                                .actor_id = 0,
                                .actor_name = "",
                                .text = "请尽快处理",
                                .created_at = at};
    CHECK_EQ_INT(GD_STORE(st, notification_insert, &n, NULL), GD_OK);
    return n;
}

static void notifications(void)
{
    int64_t s1 = shop("nt-1"), s2 = shop("nt-2");
    int64_t u1 = user(s1, "nt-agent", GD_ROLE_SHOP_AGENT),
            u2 = user(s1, "nt-lead", GD_ROLE_SHOP_LEAD);
    int64_t other = user(s2, "nt-other", GD_ROLE_SHOP_AGENT);
    struct gd_notification *list;
    int64_t unread = -1;
    int n = -1, changed = -1;

    struct gd_notification first = note(u1, s1, "assigned", 10),
                           second = note(u1, s1, "chased", 20);
    struct gd_notification third = note(u1, s1, "mentioned", 30);
    note(u2, s1, "collab_judged", 40);
    note(other, s2, "assigned", 50);

    CHECK_EQ_INT(GD_STORE(st, notifications_list, u1, 0, 10, false, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(list[0].id, third.id);
    CHECK_EQ_INT(list[2].id, first.id);
    CHECK_EQ_STR(list[1].kind, "chased");
    CHECK_EQ_STR(list[1].title, "买家申请退款");
    CHECK_EQ_STR(list[1].text, "请尽快处理");
    CHECK_EQ_INT(list[1].wo_number, 42);
    CHECK_EQ_INT(list[1].workorder_id, second.workorder_id);
    CHECK_EQ_INT(list[1].created_at, 20);
    CHECK_EQ_INT(list[1].read_at, 0);
    /* a page: below an id, at most limit */
    CHECK_EQ_INT(GD_STORE(st, notifications_list, u1, third.id, 1, false, &a, &list, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(list[0].id, second.id);
    CHECK_EQ_INT(GD_STORE(st, notifications_unread, u1, &unread, NULL), GD_OK);
    CHECK_EQ_INT(unread, 3);

    /* another user's id marks nothing; the user's own one, then all */
    CHECK_EQ_INT(GD_STORE(st, notifications_mark_read, u2, second.id, 60, &changed, NULL), GD_OK);
    CHECK_EQ_INT(changed, 0);
    CHECK_EQ_INT(GD_STORE(st, notifications_mark_read, u1, second.id, 60, &changed, NULL), GD_OK);
    CHECK_EQ_INT(changed, 1);
    CHECK_EQ_INT(GD_STORE(st, notifications_mark_read, u1, second.id, 70, &changed, NULL), GD_OK);
    CHECK_EQ_INT(changed, 0);
    CHECK_EQ_INT(GD_STORE(st, notifications_list, u1, 0, 10, true, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK(list[0].id == third.id && list[1].id == first.id);
    CHECK_EQ_INT(GD_STORE(st, notifications_list, u1, third.id, 10, false, &a, &list, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(list[0].read_at, 60);
    CHECK_EQ_INT(GD_STORE(st, notifications_mark_read, u1, 0, 80, &changed, NULL), GD_OK);
    CHECK_EQ_INT(changed, 2);
    CHECK_EQ_INT(GD_STORE(st, notifications_unread, u1, &unread, NULL), GD_OK);
    CHECK_EQ_INT(unread, 0);
    CHECK_EQ_INT(GD_STORE(st, notifications_unread, u2, &unread, NULL), GD_OK);
    CHECK_EQ_INT(unread, 1);
    CHECK_EQ_INT(GD_STORE(st, notifications_unread, other, &unread, NULL), GD_OK);
    CHECK_EQ_INT(unread, 1);

    /* preferences: none set reads ""; set, changed, per user */
    const char *muted = NULL;
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_get, u1, &a, &muted, NULL), GD_OK);
    CHECK_EQ_STR(muted, "");
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_set, u1, "chased,mentioned", 90, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_get, u1, &a, &muted, NULL), GD_OK);
    CHECK_EQ_STR(muted, "chased,mentioned");
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_set, u1, "assigned", 95, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_get, u1, &a, &muted, NULL), GD_OK);
    CHECK_EQ_STR(muted, "assigned");
    CHECK_EQ_INT(GD_STORE(st, notify_prefs_get, u2, &a, &muted, NULL), GD_OK);
    CHECK_EQ_STR(muted, "");
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    notifications();
    return contract_finish("store contract: notifications");
}
