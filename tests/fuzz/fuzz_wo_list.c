/* The work order list's query string (GET /api/v1/workorders, routes_center.c) down to the
 * store's filter (the SQL the SQLite backend builds from it), for a shop lead, a shop agent and a
 * platform agent over a small database. Whatever the query, the answer is 200 with a list, a 422
 * naming the parameter or a 403 for another role's view: never a 500 (a filter the store cannot
 * run) nor a crash.
 *
 * Input: the first byte picks the actor, the rest is a query string a=b&c=d, %XX decoded as MHD
 * decodes it ('+' is a space). */
#include <unistd.h>
#include "base/secret.h"
#include "core/workorder.h"
#include "fuzz.h"
#include "store/store.h"

static struct gd_svc_shared shared;
static struct gd_svc svc = {.shared = &shared};
static struct gd_actor actors[3];
static const struct gd_route *list_route;
static char db_path[64];

static void remove_db(void)
{
    const char *sides[] = {"", "-wal", "-shm", "-search", "-search-wal", "-search-shm"};
    for (size_t i = 0; i < sizeof(sides) / sizeof(*sides); i++) {
        char p[80];
        snprintf(p, sizeof(p), "%s%s", db_path, sides[i]);
        unlink(p);
    }
}

static void must(int rc, const struct gd_err *err, const char *what)
{
    if (rc) {
        fprintf(stderr, "fuzz_wo_list setup: %s: %s\n", what, err->msg);
        exit(1);
    }
}

static struct gd_actor user(const char *name, int role, int64_t shop)
{
    struct gd_err err = {0};
    int64_t id;
    must(gd_svc_user_add(&svc, shop, name, name, role, "password-123", &id, &err), &err, name);
    return (struct gd_actor){
        .user_id = id, .shop_id = shop, .role = role, .username = name, .display_name = name};
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct gd_err err = {0};
    char url[96];
    int64_t shop;
    (void)argc, (void)argv;

    setenv("GONGDAN_VIEW_CACHE", "0", 1); /* every input reaches the store */
    snprintf(db_path, sizeof(db_path), "/tmp/gd-fuzz-list-%d.db", (int)getpid());
    snprintf(url, sizeof(url), "sqlite:%s", db_path);
    remove_db();
    atexit(remove_db);
    gd_secret_init();
    gd_svc_shared_init(&shared);
    must(gd_store_open(url, true, &svc.store, &err), &err, "open");
    must(gd_svc_shop_add(&svc, "测试店", &shop, &err), &err, "shop");
    actors[0] = user("lead", GD_ROLE_SHOP_LEAD, shop);
    actors[1] = user("agent", GD_ROLE_SHOP_AGENT, shop);
    actors[2] = user("platform", GD_ROLE_PLATFORM_AGENT, 0);
    /* a few work orders of several types, deadlines and handlers for the filters to select */
    const char *types[] = {"task_memo", "customer_memo", "after_sales", "task_memo"};
    for (int i = 0; i < 12; i++) {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_workorder wo;
        const char *replay;
        struct gd_wo_input in = {.type = gd_type_parse(types[i % 4]),
                                 .title = i % 2 ? "退款 refund" : "发货 ship",
                                 .content = "内容",
                                 .handler_id = i % 3 ? actors[1].user_id : 0,
                                 .priority = -1,
                                 .buyer_nick = i % 2 ? "小林" : NULL};
        must(gd_svc_workorder_create(&svc, &actors[0], &in, NULL, NULL, &a, &wo, &replay, &err),
             &err, "work order");
        gd_arena_release(&a);
    }
    for (const struct gd_route *rt = gd_routes_center; rt->method; rt++) {
        if (strcmp(rt->method, "GET") == 0 && strcmp(rt->pattern, "/api/v1/workorders") == 0) {
            list_route = rt;
        }
    }
    if (!list_route) {
        fprintf(stderr, "fuzz_wo_list: no GET /api/v1/workorders route\n");
        exit(1);
    }
    return 0;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes s[0..n) in place the way MHD does for query arguments; returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            s[o++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            s[o++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = 0;
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_req f;
    if (size < 1 || size > 4096) {
        return -1;
    }
    fuzz_req_init(&f, (const uint8_t *)"", 0);
    struct gd_req *r = &f.r;
    r->svc = &svc;
    r->route = list_route;
    r->actor = actors[data[0] % 3];
    /* a=b&c=d: one arena copy, split and decoded in place; a name stops at its first NUL */
    char *q = gd_arena_strndup(&r->a, (const char *)data + 1, size - 1);
    size_t qn = size - 1;
    for (size_t start = 0; start <= qn;) {
        size_t end = start;
        while (end < qn && q[end] != '&') {
            end++;
        }
        q[end] = 0;
        char *eq = memchr(q + start, '=', end - start);
        if (eq) {
            *eq = 0;
            unescape(q + start, (size_t)(eq - (q + start)));
            unescape(eq + 1, (size_t)(q + end - (eq + 1)));
            fuzz_value(&f, MHD_GET_ARGUMENT_KIND, q + start, eq + 1);
        }
        start = end + 1;
    }
    list_route->handler(r);
    FUZZ_CHECK(r->status == 200 || r->status == 422 || r->status == 403, "status %d: %.*s",
               r->status, (int)r->out.len, r->out.buf);
    fuzz_check_answer(r);
    fuzz_req_release(&f);
    return 0;
}
