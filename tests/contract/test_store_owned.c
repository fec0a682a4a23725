/* Store contract: the items a shop shares or a person keeps (quick replies 快捷短语, saved
 * filters), one table-driven test over both kinds. A user's list holds the shop's shared items
 * and their own, shared first (by name), never another user's or another shop's; the counts are
 * per shared group and per person; get, update and delete reach only an item of the shop named. */
#include "harness.h"

/* One item as the checks read it: the kind's own fields as one text (a reply's body; a filter's
 * view and query). */
struct item {
    int64_t id, owner_user_id, created_at, updated_at;
    const char *name, *text;
};

/* One kind of owned item: its store calls through the item view, and the texts its rows carry
 * as inserted and as changed (`update` writes `it`'s name and times with the changed text). */
struct kind {
    const char *prefix; /* of its shops' and users' names */
    const char *text, *changed_text;
    size_t row_size;                      /* the kind's struct */
    struct item (*item)(const void *row); /* one of them as the checks read it */
    int (*insert)(int64_t shop_id, const struct item *it);
    int (*list)(int64_t shop_id, int64_t user_id, void **rows, int *n);
    int (*count)(int64_t shop_id, int64_t owner, int *n);
    int (*get)(int64_t shop_id, int64_t id, void *row);
    int (*update)(int64_t shop_id, const struct item *it);
    int (*remove)(int64_t shop_id, int64_t id);
};

/* ---- quick replies: the text is the body */
#define QR_BODY "您好 {买家}，订单 {订单号} 已处理"
#define QR_BODY_CHANGED "抱歉，{截止时间} 前处理"

static struct item qr_item(const void *row)
{
    const struct gd_quickreply *q = row;
    return (struct item){q->id, q->owner_user_id, q->created_at, q->updated_at, q->title, q->body};
}

static struct gd_quickreply qr_row(int64_t shop_id, const struct item *it, bool changed)
{
    return (struct gd_quickreply){.id = it->id,
                                  .shop_id = shop_id,
                                  .owner_user_id = it->owner_user_id,
                                  .title = it->name,
                                  .body = changed ? QR_BODY_CHANGED : QR_BODY,
                                  .created_at = it->created_at,
                                  .updated_at = it->updated_at};
}

static int qr_insert(int64_t shop_id, const struct item *it)
{
    struct gd_quickreply q = qr_row(shop_id, it, false);
    return GD_STORE(st, quickreply_insert, &q, NULL);
}

static int qr_list(int64_t shop_id, int64_t user_id, void **rows, int *n)
{
    struct gd_quickreply *q = NULL;
    int ret = GD_STORE(st, quickreplies_list, shop_id, user_id, &a, &q, n, NULL);
    *rows = q;
    return ret;
}

static int qr_count(int64_t shop_id, int64_t owner, int *n)
{
    return GD_STORE(st, quickreplies_count, shop_id, owner, n, NULL);
}

static int qr_get(int64_t shop_id, int64_t id, void *row)
{
    return GD_STORE(st, quickreply_get, shop_id, id, &a, row, NULL);
}

static int qr_update(int64_t shop_id, const struct item *it)
{
    struct gd_quickreply q = qr_row(shop_id, it, true);
    return GD_STORE(st, quickreply_update, &q, NULL);
}

static int qr_remove(int64_t shop_id, int64_t id)
{
    return GD_STORE(st, quickreply_delete, shop_id, id, NULL);
}

/* ---- saved filters: the text is the view and the query */
#define SF_VIEW "shop"
#define SF_QUERY "state=open&q=%E9%80%80%E6%AC%BE"
#define SF_VIEW_CHANGED "todo"
#define SF_QUERY_CHANGED "type=after_sales"

static struct item sf_item(const void *row)
{
    const struct gd_saved_filter *f = row;
    const char *text = gd_arena_printf(&a, "%s %s", f->view, f->query);
    return (struct item){f->id, f->owner_user_id, f->created_at, f->updated_at, f->name, text};
}

static struct gd_saved_filter sf_row(int64_t shop_id, const struct item *it, bool changed)
{
    return (struct gd_saved_filter){.id = it->id,
                                    .shop_id = shop_id,
                                    .owner_user_id = it->owner_user_id,
                                    .name = it->name,
                                    .view = changed ? SF_VIEW_CHANGED : SF_VIEW,
                                    .query = changed ? SF_QUERY_CHANGED : SF_QUERY,
                                    .created_at = it->created_at,
                                    .updated_at = it->updated_at};
}

static int sf_insert(int64_t shop_id, const struct item *it)
{
    struct gd_saved_filter f = sf_row(shop_id, it, false);
    return GD_STORE(st, savedfilter_insert, &f, NULL);
}

static int sf_list(int64_t shop_id, int64_t user_id, void **rows, int *n)
{
    struct gd_saved_filter *f = NULL;
    int ret = GD_STORE(st, savedfilters_list, shop_id, user_id, &a, &f, n, NULL);
    *rows = f;
    return ret;
}

static int sf_count(int64_t shop_id, int64_t owner, int *n)
{
    return GD_STORE(st, savedfilters_count, shop_id, owner, n, NULL);
}

static int sf_get(int64_t shop_id, int64_t id, void *row)
{
    return GD_STORE(st, savedfilter_get, shop_id, id, &a, row, NULL);
}

static int sf_update(int64_t shop_id, const struct item *it)
{
    struct gd_saved_filter f = sf_row(shop_id, it, true);
    return GD_STORE(st, savedfilter_update, &f, NULL);
}

static int sf_remove(int64_t shop_id, int64_t id)
{
    return GD_STORE(st, savedfilter_delete, shop_id, id, NULL);
}

static const struct kind kinds[] = {
    {"qr", QR_BODY, QR_BODY_CHANGED, sizeof(struct gd_quickreply), qr_item, qr_insert, qr_list,
     qr_count, qr_get, qr_update, qr_remove},
    {"sf", SF_VIEW " " SF_QUERY, SF_VIEW_CHANGED " " SF_QUERY_CHANGED,
     sizeof(struct gd_saved_filter), sf_item, sf_insert, sf_list, sf_count, sf_get, sf_update,
     sf_remove},
};

/* A new item of shop `shop_id` (owner 0: shared), created at 10. */
static struct item insert(const struct kind *k, int64_t shop_id, int64_t owner, const char *name)
{
    struct item it = {gd_id_new(), owner, 10, 10, name, k->text};
    CHECK_EQ_INT(k->insert(shop_id, &it), GD_OK);
    return it;
}

/* The list `user_id` reads in shop `shop_id`, as items (in the test's arena). */
static int list(const struct kind *k, int64_t shop_id, int64_t user_id, struct item **out, int *n)
{
    void *rows = NULL;
    int ret = k->list(shop_id, user_id, &rows, n);
    *out = gd_arena_zalloc(&a, sizeof(**out) * (size_t)(ret || *n <= 0 ? 1 : *n));
    for (int i = 0; !ret && i < *n; i++) {
        (*out)[i] = k->item((const char *)rows + k->row_size * (size_t)i);
    }
    return ret;
}

/* The item `id` of shop `shop_id` in *out (zeroed when the store has none). */
static int get(const struct kind *k, int64_t shop_id, int64_t id, struct item *out)
{
    void *row = gd_arena_zalloc(&a, k->row_size);
    int ret = k->get(shop_id, id, row);
    *out = ret ? (struct item){0} : k->item(row);
    return ret;
}

static void owned(const struct kind *k)
{
    int64_t s1 = shop(gd_arena_printf(&a, "%s-1", k->prefix)),
            s2 = shop(gd_arena_printf(&a, "%s-2", k->prefix));
    int64_t lead = user(s1, gd_arena_printf(&a, "%s-lead", k->prefix), GD_ROLE_SHOP_LEAD),
            agent = user(s1, gd_arena_printf(&a, "%s-agent", k->prefix), GD_ROLE_SHOP_AGENT);
    int64_t other = user(s2, gd_arena_printf(&a, "%s-other", k->prefix), GD_ROLE_SHOP_AGENT);
    struct item *items, got;
    int n = -1;

    CHECK_EQ_INT(k->count(s1, 0, &n), GD_OK);
    CHECK_EQ_INT(n, 0);
    struct item w2 = insert(k, s1, 0, "物流"), w1 = insert(k, s1, 0, "催单");
    struct item mine = insert(k, s1, agent, "道歉"), leads = insert(k, s1, lead, "退款");
    insert(k, s2, other, "别家");
    insert(k, s2, 0, "别家共享");

    /* the agent: the two shared ones (by name), then their own; not the lead's own */
    CHECK_EQ_INT(list(k, s1, agent, &items, &n), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(items[0].owner_user_id, 0);
    CHECK_EQ_INT(items[1].owner_user_id, 0);
    CHECK(strcmp(items[0].name, items[1].name) < 0);
    CHECK(items[0].id == w1.id || items[0].id == w2.id);
    CHECK_EQ_INT(items[2].id, mine.id);
    CHECK_EQ_INT(items[2].owner_user_id, agent);
    CHECK_EQ_STR(items[2].text, k->text);
    CHECK_EQ_INT(items[2].created_at, 10);
    CHECK_EQ_INT(list(k, s1, lead, &items, &n), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(items[2].id, leads.id);
    /* a user asking with another shop's id sees that shop's shared ones only */
    CHECK_EQ_INT(list(k, s2, agent, &items, &n), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(items[0].name, "别家共享");

    CHECK_EQ_INT(k->count(s1, 0, &n), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(k->count(s1, agent, &n), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(k->count(s2, agent, &n), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* get and update are by shop: another shop's id is not found and changes nothing */
    CHECK_EQ_INT(get(k, s2, mine.id, &got), GD_ENOTFOUND);
    struct item ch = mine;
    ch.name = "致歉";
    ch.updated_at = 20;
    CHECK_EQ_INT(k->update(s2, &ch), GD_ENOTFOUND);
    CHECK_EQ_INT(get(k, s1, mine.id, &got), GD_OK);
    CHECK_EQ_STR(got.name, "道歉");
    CHECK_EQ_INT(k->update(s1, &ch), GD_OK);
    CHECK_EQ_INT(get(k, s1, mine.id, &got), GD_OK);
    CHECK_EQ_STR(got.name, "致歉");
    CHECK_EQ_STR(got.text, k->changed_text);
    CHECK_EQ_INT(got.owner_user_id, agent);
    CHECK_EQ_INT(got.created_at, 10);
    CHECK_EQ_INT(got.updated_at, 20);

    CHECK_EQ_INT(k->remove(s2, mine.id), GD_ENOTFOUND);
    CHECK_EQ_INT(k->remove(s1, mine.id), GD_OK);
    CHECK_EQ_INT(k->remove(s1, mine.id), GD_ENOTFOUND);
    CHECK_EQ_INT(get(k, s1, mine.id, &got), GD_ENOTFOUND);
    CHECK_EQ_INT(k->count(s1, agent, &n), GD_OK);
    CHECK_EQ_INT(n, 0);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
        owned(&kinds[i]);
    }
    return contract_finish("store contract: quick replies and saved filters");
}
