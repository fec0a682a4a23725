/* Store contract: shops and users as the platform and the sign-in path read them, and the
 * retention of sessions, idempotency records and sign-in throttles (test_store.c covers
 * inserting them). */
#include "harness.h"

static void shops(void)
{
    struct gd_shop berlin = {.id = gd_id_new(),
                             .name = "b-shop",
                             .tz = "Europe/Berlin",
                             .tz_offset_min = 60,
                             .created_at = 7};
    struct gd_shop got, *rows;
    int n;

    CHECK_EQ_INT(GD_STORE(st, shop_insert, &berlin, NULL), GD_OK);
    int64_t s_c = shop("c-shop"), s_a = shop("a-shop");
    CHECK_EQ_INT(GD_STORE(st, shop_get, berlin.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.name, "b-shop");
    CHECK_EQ_STR(got.tz, "Europe/Berlin");
    CHECK_EQ_INT(got.tz_offset_min, 60);
    CHECK_EQ_INT(got.aftersales_handler_id, 0);
    CHECK_EQ_INT(got.created_at, 7);
    /* a shop made without a zone is in Shanghai's */
    CHECK_EQ_INT(GD_STORE(st, shop_get, s_a, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.tz, "Asia/Shanghai");
    CHECK_EQ_INT(got.tz_offset_min, 480);
    CHECK_EQ_INT(GD_STORE(st, shop_get, gd_id_new(), &a, &got, NULL), GD_ENOTFOUND);

    CHECK_EQ_INT(GD_STORE(st, shop_get_by_name, "c-shop", &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.id, s_c);
    CHECK_EQ_INT(GD_STORE(st, shop_get_by_name, "C-SHOP", &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, shop_get_by_name, "nowhere", &a, &got, NULL), GD_ENOTFOUND);

    /* every shop, by name */
    CHECK_EQ_INT(GD_STORE(st, shops_list, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_INT(rows[0].id, s_a);
        CHECK_EQ_INT(rows[1].id, berlin.id);
        CHECK_EQ_STR(rows[1].tz, "Europe/Berlin");
        CHECK_EQ_INT(rows[2].id, s_c);
    }

    /* the after-sales handler is set and cleared for one shop alone */
    int64_t u = user(s_a, "aftersales", GD_ROLE_SHOP_AGENT);
    CHECK_EQ_INT(GD_STORE(st, shop_set_aftersales, s_a, u, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, shop_get, s_a, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.aftersales_handler_id, u);
    CHECK_EQ_INT(GD_STORE(st, shop_get, s_c, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.aftersales_handler_id, 0);
    CHECK_EQ_INT(GD_STORE(st, shop_set_aftersales, s_a, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, shop_get, s_a, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.aftersales_handler_id, 0);
}

static void users(void)
{
    int64_t s1 = shop("users-1"), s2 = shop("users-2");
    int64_t u1 = user(s1, "u-one", GD_ROLE_SHOP_OWNER);
    int64_t x = user(s2, "u-other", GD_ROLE_SHOP_AGENT);
    int64_t u2 = user(s1, "u-two", GD_ROLE_SHOP_AGENT);
    int64_t p = user(0, "u-platform", GD_ROLE_PLATFORM_ADMIN);
    struct gd_user got, *rows;
    int n;

    CHECK_EQ_INT(GD_STORE(st, user_get, u2, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.username, "u-two");
    CHECK_EQ_STR(got.display_name, "u-two");
    CHECK_EQ_INT(got.shop_id, s1);
    CHECK_EQ_INT(got.role, GD_ROLE_SHOP_AGENT);
    CHECK_EQ_STR(got.pwhash, "x");
    CHECK_EQ_INT(GD_STORE(st, user_get, p, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.shop_id, 0);
    CHECK_EQ_INT(got.role, GD_ROLE_PLATFORM_ADMIN);
    CHECK_EQ_INT(GD_STORE(st, user_get, gd_id_new(), &a, &got, NULL), GD_ENOTFOUND);

    /* a shop's users in id order, never another shop's; shop 0 lists the platform's */
    CHECK_EQ_INT(GD_STORE(st, users_list, s1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(rows[0].id, u1 < u2 ? u1 : u2);
        CHECK_EQ_INT(rows[1].id, u1 < u2 ? u2 : u1);
    }
    CHECK_EQ_INT(GD_STORE(st, users_list, s2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, x);
    CHECK_EQ_INT(GD_STORE(st, users_list, 0, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, p);
    CHECK_EQ_INT(GD_STORE(st, users_list, gd_id_new(), &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    struct gd_user tok;
    CHECK_EQ_INT(GD_STORE(st, token_get, "no-such-token", &a, &tok, NULL), GD_ENOTFOUND);
}

/* Expired sessions go a batch at a time (expires_at <= now); live ones stay. */
static void sessions_retention(void)
{
    int64_t s = shop("sessions"), u = user(s, "sess-u", GD_ROLE_SHOP_AGENT);
    struct gd_user got;
    const char *csrf;
    int removed = 0;

    CHECK_EQ_INT(GD_STORE(st, session_insert, "exp-100", u, "c", 1, 100, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_insert, "exp-200", u, "c", 1, 200, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_insert, "exp-300", u, "c", 1, 300, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, sessions_expire, 200, 1, &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 1);
    CHECK_EQ_INT(GD_STORE(st, sessions_expire, 200, 10, &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 1);
    CHECK_EQ_INT(GD_STORE(st, sessions_expire, 200, 10, &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 0);
    /* gone even for a clock that says they were live */
    CHECK_EQ_INT(GD_STORE(st, session_get, "exp-100", 50, &a, &got, &csrf, NULL, NULL),
                 GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, session_get, "exp-200", 50, &a, &got, &csrf, NULL, NULL),
                 GD_ENOTFOUND);
    int64_t expires = 0;
    CHECK_EQ_INT(GD_STORE(st, session_get, "exp-300", 250, &a, &got, &csrf, &expires, NULL), GD_OK);
    CHECK_EQ_INT(got.id, u);
    CHECK_EQ_INT(expires, 300); /* what a cache of sessions checks against the clock */
    /* at its expiry instant a session is over for both */
    CHECK_EQ_INT(GD_STORE(st, session_get, "exp-300", 300, &a, &got, &csrf, NULL, NULL),
                 GD_ENOTFOUND);
}

/* People after creation (0008_people.sql): a shop and a user are changed and deactivated; a
 * deactivated user's (or shop's) sessions and tokens stop resolving at once and come back with
 * reactivation unless revoked; the audit log reads per shop, newest first, in pages. */
static void people(void)
{
    int64_t s = shop("people"), s2 = shop("people-2"), u = user(s, "pp-u", GD_ROLE_SHOP_AGENT);
    int64_t boss = user(s, "pp-boss", GD_ROLE_SHOP_OWNER);
    struct gd_shop sh;
    struct gd_user got;
    const char *csrf;
    int removed = -1, n;

    CHECK_EQ_INT(GD_STORE(st, shop_get, s, &a, &sh, NULL), GD_OK);
    CHECK(sh.active);
    CHECK_EQ_INT(GD_STORE(st, user_get, u, &a, &got, NULL), GD_OK);
    CHECK(got.active);
    CHECK(!got.must_change_password);
    CHECK_EQ_INT(GD_STORE(st, session_insert, "pp-s1", u, "c", 1, 1000, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_insert, "pp-s2", u, "c", 1, 1000, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, token_insert, "pp-t1", gd_id_new(), u, "t", 1, NULL), GD_OK);

    /* the user's fields change; a deactivated user resolves from no session or token */
    got.display_name = "新名字";
    got.role = GD_ROLE_SHOP_LEAD;
    got.must_change_password = true;
    got.pwhash = "y";
    got.active = false;
    CHECK_EQ_INT(GD_STORE(st, user_update, &got, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, user_get, u, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.display_name, "新名字");
    CHECK_EQ_INT(got.role, GD_ROLE_SHOP_LEAD);
    CHECK_EQ_STR(got.pwhash, "y");
    CHECK(got.must_change_password);
    CHECK(!got.active);
    CHECK_EQ_STR(got.username, "pp-u");
    CHECK_EQ_INT(GD_STORE(st, session_get, "pp-s1", 10, &a, &got, &csrf, NULL, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, token_get, "pp-t1", &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, user_get, u, &a, &got, NULL), GD_OK);
    got.active = true;
    CHECK_EQ_INT(GD_STORE(st, user_update, &got, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_get, "pp-s1", 10, &a, &got, &csrf, NULL, NULL), GD_OK);
    CHECK_EQ_INT(got.must_change_password, 1);
    struct gd_user ghost = got;
    ghost.id = gd_id_new();
    CHECK_EQ_INT(GD_STORE(st, user_update, &ghost, NULL), GD_ENOTFOUND);

    /* a deactivated shop's users resolve from nothing either */
    sh.active = false;
    sh.name = "people-renamed";
    CHECK_EQ_INT(GD_STORE(st, shop_update, &sh, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, shop_get, s, &a, &sh, NULL), GD_OK);
    CHECK_EQ_STR(sh.name, "people-renamed");
    CHECK(!sh.active);
    CHECK_EQ_INT(GD_STORE(st, session_get, "pp-s2", 10, &a, &got, &csrf, NULL, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, token_get, "pp-t1", &a, &got, NULL), GD_ENOTFOUND);
    sh.active = true;
    CHECK_EQ_INT(GD_STORE(st, shop_update, &sh, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, token_get, "pp-t1", &a, &got, NULL), GD_OK);
    sh.id = gd_id_new();
    CHECK_EQ_INT(GD_STORE(st, shop_update, &sh, NULL), GD_ENOTFOUND);

    /* revoking keeps the one session named, ends the rest and every token */
    CHECK_EQ_INT(GD_STORE(st, user_credentials_revoke, u, "pp-s2", &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 2);
    CHECK_EQ_INT(GD_STORE(st, session_get, "pp-s1", 10, &a, &got, &csrf, NULL, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, session_get, "pp-s2", 10, &a, &got, &csrf, NULL, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, token_get, "pp-t1", &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, user_credentials_revoke, u, NULL, &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 1);

    /* the audit log: per shop (0 = all), newest first, paged by id */
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        struct gd_audit_event ev = {.id = gd_id_new(),
                                    .shop_id = i < 2 ? s : s2,
                                    .actor_id = boss,
                                    .action = "user.renamed",
                                    .target_user_id = u,
                                    .data = "{\"k\":1}",
                                    .at = 100 + i};
        ids[i] = ev.id;
        CHECK_EQ_INT(GD_STORE(st, audit_insert, &ev, NULL), GD_OK);
    }
    struct gd_audit_event *evs;
    CHECK_EQ_INT(GD_STORE(st, audit_list, s, 0, 10, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(evs[0].id, ids[1]);
        CHECK_EQ_INT(evs[1].id, ids[0]);
        CHECK_EQ_STR(evs[0].actor_name, "pp-boss");
        CHECK_EQ_STR(evs[0].data, "{\"k\":1}");
        CHECK_EQ_INT(evs[0].target_user_id, u);
        CHECK_EQ_INT(evs[0].target_shop_id, 0);
        CHECK_EQ_INT(evs[0].at, 101);
    }
    CHECK_EQ_INT(GD_STORE(st, audit_list, s, ids[1], 10, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, audit_list, 0, 0, 2, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n ? evs[0].id : 0, ids[2]);
}

/* Idempotency records made before the cut go (created_at < before), a batch at a time. */
static void idem_retention(void)
{
    int64_t s = shop("idem"), u = user(s, "idem-u", GD_ROLE_SHOP_AGENT);
    int status, removed = 0, total = 0;
    const char *body, *digest;

    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "old-1", "d", 201, "{}", 10, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "old-2", "d", 201, "{}", 20, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "new", "d", 201, "{}", 30, NULL), GD_OK);
    do {
        CHECK_EQ_INT(GD_STORE(st, idem_expire, 30, 1, &removed, NULL), GD_OK);
        CHECK(removed <= 1);
        total += removed;
    } while (removed && total < 10);
    CHECK_EQ_INT(total, 2);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "old-1", &a, &status, &body, &digest, NULL),
                 GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "old-2", &a, &status, &body, &digest, NULL),
                 GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "new", &a, &status, &body, &digest, NULL), GD_OK);
    CHECK_EQ_INT(status, 201);
}

/* Pruning forgets only keys whose lock and window have both passed: a key still counting, or
 * still locked, keeps its state. */
static void login_prune(void)
{
    const int64_t w = 1000, lock = 5000;
    bool admitted;
    int64_t until;

    /* "user:locked" locks at t=0; "user:counting" has one attempt of two at t=0 */
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:locked", 0, w, 2, lock, &admitted,
                              &until, NULL),
                     GD_OK);
    }
    CHECK_EQ_INT(until, lock);
    CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:counting", 0, w, 2, lock, &admitted,
                          &until, NULL),
                 GD_OK);
    CHECK_EQ_INT(GD_STORE(st, login_attempts_prune, 500, w, NULL), GD_OK);
    /* within the window the earlier attempt still counts: the second one locks */
    CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:counting", 600, w, 2, lock, &admitted,
                          &until, NULL),
                 GD_OK);
    CHECK(admitted);
    CHECK_EQ_INT(until, 600 + lock);
    /* the window of "user:locked" has passed, its lock has not */
    CHECK_EQ_INT(GD_STORE(st, login_attempts_prune, 2000, w, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:locked", 2000, w, 2, lock, &admitted,
                          &until, NULL),
                 GD_OK);
    CHECK(!admitted);
    CHECK_EQ_INT(until, lock);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    shops();
    users();
    sessions_retention();
    people();
    idem_retention();
    login_prune();
    return contract_finish("store contract: accounts");
}
