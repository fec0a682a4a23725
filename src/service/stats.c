/* Team statistics (分类型任务统计): keeping the daily rollups current in the transaction of
 * every work order change, answering queries from them, and rebuilding them from the work
 * orders. The arithmetic is in core/stats; the meaning of each figure is in docs/reports.md. */
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "service/svc_int.h"

/* The collaborative facts of a work order from its collab row (absent: none yet). */
static int collab_facts(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                        struct gd_collab_facts *out, struct gd_err *err)
{
    struct gd_collab c;
    int ret;

    memset(out, 0, sizeof(*out));
    ret = GD_STORE(svc->store, collab_get, wo->shop_id, wo->id, a, &c, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    if (ret) {
        return ret;
    }
    out->replied = c.replied_at && (!c.reply_due_at || c.replied_at <= c.reply_due_at);
    out->intervened = c.intervened_at != 0;
    out->judged = c.judged_at != 0;
    /* judged_against is cleared when an appeal overturns the judgement: it was against then */
    out->against_seller = c.judged_against || c.overturned;
    out->appeal_decided = c.decided_at != 0;
    out->overturned = c.overturned;
    return GD_OK;
}

static int contrib_of(struct gd_svc *svc, const struct gd_workorder *wo, int tz_offset_min,
                      struct gd_arena *a, struct gd_stats_contrib *out, struct gd_err *err)
{
    struct gd_collab_facts facts = {0};
    int ret = GD_OK;

    if (wo->type == GD_TYPE_COLLAB) {
        ret = collab_facts(svc, wo, a, &facts, err);
    }
    gd_stats_contrib_of(wo, tz_offset_min, &facts, out);
    return ret;
}

static int rollup_add(struct gd_svc *svc, int64_t shop_id, const struct gd_stats_contrib *c,
                      int sign, struct gd_err *err)
{
    return GD_STORE(svc->store, stats_rollup_add, shop_id, &c->key, &c->n, c->fa_bucket,
                    c->done_bucket, sign, err);
}

/* Moves a work order's contribution from `old` (NULL when new) to `now` in the rollups, by
 * deltas the store applies to each row (shops' writers share no read of a row). */
static int apply(struct gd_svc *svc, int64_t shop_id, const struct gd_stats_contrib *old,
                 const struct gd_stats_contrib *now, struct gd_err *err)
{
    bool same = old && old->key.day == now->key.day && old->key.type == now->key.type &&
                old->key.handler_id == now->key.handler_id;

    if (same && old->fa_bucket == now->fa_bucket && old->done_bucket == now->done_bucket) {
        /* only counts move (a flag, a state): one delta, in a batch summed and written once */
        struct gd_stats_counts delta = now->n;
        gd_stats_counts_add(&delta, &old->n, -1);
        if (gd_svc__batch_rollup(svc, shop_id, &now->key, &delta, 1)) {
            return GD_OK;
        }
        return GD_STORE(svc->store, stats_rollup_add, shop_id, &now->key, &delta, -1, -1, 1, err);
    }
    if (!old && now->fa_bucket < 0 && now->done_bucket < 0 &&
        gd_svc__batch_rollup(svc, shop_id, &now->key, &now->n, 1)) {
        return GD_OK; /* a first contribution with no times to file: counts only, as above */
    }
    int ret = old ? rollup_add(svc, shop_id, old, -1, err) : GD_OK;
    return ret ? ret : rollup_add(svc, shop_id, now, 1, err);
}

/* The shop's offset from UTC in minutes, remembered for the last shop asked. */
static int shop_tz(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a, int *out,
                   struct gd_err *err)
{
    struct gd_shop shop;
    if (svc->tz_shop_id != shop_id) {
        int ret = GD_STORE(svc->store, shop_get, shop_id, a, &shop, err);
        if (ret) {
            return ret;
        }
        svc->tz_shop_id = shop_id;
        svc->tz_offset_min = shop.tz_offset_min;
    }
    *out = svc->tz_offset_min;
    return GD_OK;
}

/* A work order's overdue share of the rollups: its stored contribution's is not read (below). */
static int64_t overdue_share(const struct gd_workorder *wo)
{
    return wo->overdue && !gd_state_is_finished(wo->state);
}

/* Did only the overdue flag move between before and wo (an overdue mark, the deadline
 * engine's)? Everything else a contribution is made of stayed: its key, counts and times. */
static bool only_overdue_moved(const struct gd_workorder *before, const struct gd_workorder *wo)
{
    return before->overdue != wo->overdue && before->state == wo->state &&
           before->type == wo->type && before->handler_id == wo->handler_id &&
           before->created_at == wo->created_at && before->deadline_at == wo->deadline_at &&
           before->first_action_at == wo->first_action_at && before->done_at == wo->done_at &&
           before->transfers == wo->transfers;
}

/* An overdue mark moves the overdue share alone, at the key the work order counts under: its
 * creation day in the shop's zone, its type and handler, none of which moved (the contribution
 * was filed under them by the last change, and a shop's zone is set once, at its creation). So
 * neither the stored contribution nor a collaborative case's facts are read: a firing reads
 * one row fewer (docs/PERFORMANCE.md, "One read fewer per firing"). */
static int overdue_move(struct gd_svc *svc, const struct gd_workorder *before,
                        const struct gd_workorder *wo, int tz, struct gd_err *err)
{
    struct gd_stats_key key = {gd_stats_day(wo->created_at, tz), wo->type, wo->handler_id};
    struct gd_stats_counts delta = {.overdue = overdue_share(wo) - overdue_share(before)};

    if (!delta.overdue || gd_svc__batch_rollup(svc, wo->shop_id, &key, &delta, 1)) {
        return GD_OK;
    }
    return GD_STORE(svc->store, stats_rollup_add, wo->shop_id, &key, &delta, -1, -1, 1, err);
}

int gd_svc__stats_record(struct gd_svc *svc, const struct gd_workorder *before,
                         const struct gd_workorder *wo, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_stats_contrib old, stored, now;
    int tz = 0;
    bool had;
    int ret;

    if ((ret = shop_tz(svc, wo->shop_id, &a, &tz, err))) {
        goto out;
    }
    if (before && only_overdue_moved(before, wo)) {
        ret = overdue_move(svc, before, wo, tz, err);
        goto out;
    }
    /* in a batch (the deadline engine's), its copy of the contributions, read at once */
    int known = gd_svc__batch_contrib_get(svc, wo->shop_id, wo->id, &old);
    ret = known < 0   ? GD_STORE(svc->store, stats_contrib_get, wo->shop_id, wo->id, &old, err)
          : known > 0 ? GD_OK
                      : GD_ENOTFOUND;
    if (ret && ret != GD_ENOTFOUND) {
        goto out;
    }
    had = ret == GD_OK;
    /* The overdue share counted so far is the work order's as it was stored (every change of
     * its overdue flag or state comes through here with it), so an overdue mark alone, the
     * deadline engine's, moves the rollups without rewriting the contribution row: the stored
     * row's overdue count may be stale and is never read. */
    stored = old;
    if (had && before) {
        old.n.overdue = overdue_share(before);
    }
    if ((ret = contrib_of(svc, wo, tz, &a, &now, err))) {
        goto out;
    }
    if (had && gd_stats_contrib_equal(&old, &now)) {
        goto out; /* a note or a chase: the figures do not move */
    }
    if ((ret = apply(svc, wo->shop_id, had ? &old : NULL, &now, err))) {
        goto out;
    }
    stored.n.overdue = now.n.overdue;
    if (had && before && gd_stats_contrib_equal(&stored, &now)) {
        goto out; /* only the overdue share moved: the row stays as it is */
    }
    if (!gd_svc__batch_contrib_put(svc, wo->shop_id, wo->id, &now)) {
        ret = GD_STORE(svc->store, stats_contrib_put, wo->shop_id, wo->id, &now, err);
    }
out:
    gd_arena_release(&a);
    return ret;
}

int gd_svc__stats_orders(struct gd_svc *svc, int64_t shop_id, const int64_t *created_at, int n,
                         struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop;
    int ret = n ? GD_STORE(svc->store, shop_get, shop_id, &a, &shop, err) : GD_OK;
    int64_t *days = n ? gd_arena_alloc(&a, (size_t)n * sizeof(*days)) : NULL;
    int64_t *counts = n ? gd_arena_zalloc(&a, (size_t)n * sizeof(*counts)) : NULL;
    int ndays = 0;

    /* an import's chunk is mostly of a few days: summed per day, one write each */
    for (int i = 0; !ret && i < n; i++) {
        int64_t day = gd_stats_day(created_at[i], shop.tz_offset_min);
        int d = 0;
        while (d < ndays && days[d] != day) {
            d++;
        }
        days[d] = day;
        counts[d]++;
        ndays += d == ndays;
    }
    for (int d = 0; !ret && d < ndays; d++) {
        ret = GD_STORE(svc->store, stats_orders_add, shop_id, days[d], counts[d], err);
    }
    gd_arena_release(&a);
    return ret;
}

/* ---- queries ---- */

struct group_acc {
    int64_t id; /* type, handler id or day */
    struct gd_stats_figures f;
};

/* The percentiles of the durations summed in fa and done. */
static void percentiles(const struct gd_stats_hist *fa, const struct gd_stats_hist *done,
                        struct gd_stats_figures *f)
{
    gd_stats_hist_p50_p90(fa, &f->fa_p50, &f->fa_p90);
    gd_stats_hist_p50_p90(done, &f->done_p50, &f->done_p90);
}

/* Each group's percentiles and the totals' (the counts are summed already). A group's histograms
 * are summed from its rows' blobs in one pair of dense arrays, then added into the totals' and
 * emptied for the next group, each step over the buckets filled only: a year by day is 365
 * groups, and 2 x 2,048 buckets zeroed, summed and scanned per group were the query's cost.
 * `group[i]` is row i's group (-1: none). */
static void group_percentiles(const struct gd_stats_row *rows, int nrows, const int *group,
                              struct group_acc *acc, int nacc, struct gd_stats_figures *totals,
                              struct gd_arena *a)
{
    struct gd_stats_hist fa, done, tfa, tdone;
    /* the rows ordered by group (a counting sort): group g's are order[start[g] .. start[g+1]) */
    int *start = gd_arena_zalloc(a, sizeof(*start) * (size_t)(nacc + 1));
    int *fill = gd_arena_alloc(a, sizeof(*fill) * (size_t)(nacc + 1));
    int *order = gd_arena_alloc(a, sizeof(*order) * (size_t)(nrows ? nrows : 1));

    for (int i = 0; i < nrows; i++) {
        start[group[i] + 1] += group[i] >= 0;
    }
    for (int g = 0; g < nacc; g++) {
        start[g + 1] += start[g];
    }
    memcpy(fill, start, sizeof(*fill) * (size_t)(nacc + 1));
    for (int i = 0; i < nrows; i++) {
        if (group[i] >= 0) {
            order[fill[group[i]]++] = i;
        }
    }
    gd_stats_hist_init(&fa, gd_arena_zalloc(a, sizeof(uint32_t) * GD_STATS_BUCKETS));
    gd_stats_hist_init(&done, gd_arena_zalloc(a, sizeof(uint32_t) * GD_STATS_BUCKETS));
    gd_stats_hist_init(&tfa, gd_arena_zalloc(a, sizeof(uint32_t) * GD_STATS_BUCKETS));
    gd_stats_hist_init(&tdone, gd_arena_zalloc(a, sizeof(uint32_t) * GD_STATS_BUCKETS));
    for (int g = 0; g < nacc; g++) {
        for (int i = start[g]; i < start[g + 1]; i++) {
            const struct gd_stats_row *r = &rows[order[i]];
            gd_stats_hist_add_blob(&fa, r->fa_hist, r->fa_len);
            gd_stats_hist_add_blob(&done, r->done_hist, r->done_len);
        }
        percentiles(&fa, &done, &acc[g].f);
        gd_stats_hist_add(&tfa, &fa);
        gd_stats_hist_add(&tdone, &done);
        gd_stats_hist_clear(&fa);
        gd_stats_hist_clear(&done);
    }
    percentiles(&tfa, &tdone, totals);
}

static int check_scope(struct gd_svc *svc, const struct gd_actor *actor, int64_t *shop_id,
                       struct gd_arena *a, struct gd_err *err)
{
    struct gd_shop shop;

    if (gd_role_is_platform(actor->role)) {
        if (*shop_id && GD_STORE(svc->store, shop_get, *shop_id, a, &shop, NULL)) {
            return gd_err_field(err, GD_ENOTFOUND, "shop_id", "no shop %lld", (long long)*shop_id);
        }
        return GD_OK;
    }
    if (!gd_perm_sees_whole_shop(actor)) {
        return gd_err_set(err, GD_EPERM, "statistics are for shop leads and owners");
    }
    if (*shop_id && *shop_id != actor->shop_id) {
        return gd_err_field(err, GD_ENOTFOUND, "shop_id", "no shop %lld", (long long)*shop_id);
    }
    *shop_id = actor->shop_id;
    return GD_OK;
}

/* Platform staff (a 小二 or a supervisor handling a collaborative work order) are not the shop's
 * team: grouped by handler, they share one row under this id instead of one row each. */
#define PLATFORM_GROUP (-1)

/* The group a handler's rows go to: the handler, or PLATFORM_GROUP for platform staff. The answer
 * is remembered in seen/as (n of them, room for every row) so each handler is looked up once. */
static int64_t handler_group(struct gd_svc *svc, int64_t id, int64_t *seen, int64_t *as, int *n,
                             struct gd_arena *a)
{
    struct gd_user u;
    for (int i = 0; i < *n; i++) {
        if (seen[i] == id) {
            return as[i];
        }
    }
    seen[*n] = id;
    as[*n] = id && GD_STORE(svc->store, user_get, id, a, &u, NULL) == GD_OK &&
                     gd_role_is_platform(u.role)
                 ? PLATFORM_GROUP
                 : id;
    return as[(*n)++];
}

static const char *handler_label(struct gd_svc *svc, int64_t id, struct gd_arena *a)
{
    struct gd_user u;
    if (!id) {
        return "未指派";
    }
    if (id == PLATFORM_GROUP) {
        return "平台人员（协同工单）";
    }
    if (GD_STORE(svc->store, user_get, id, a, &u, NULL) == GD_OK) {
        return u.display_name;
    }
    return "?";
}

/* Rows of days [from, to]: those per day and type (every handler summed) when `type_days`, else
 * the daily rows per type and handler. */
static int days_rows(struct gd_svc *svc, int64_t shop_id, bool type_days, int64_t from, int64_t to,
                     const struct gd_stats_query *q, struct gd_arena *a, struct gd_stats_row **rows,
                     int *n, struct gd_err *err)
{
    if (type_days) {
        return GD_STORE(svc->store, stats_type_days_list, shop_id, from, to, q->type, a, rows, n,
                        err);
    }
    return GD_STORE(svc->store, stats_rollup_list, shop_id, from, to, q->type, q->handler_id, a,
                    rows, n, err);
}

/* The rollup rows a query reads: by day, every day of the range; otherwise its whole months
 * from the monthly rollups and the days at its two ends by day (core/stats.h,
 * gd_stats_span_split). Days come from the rows per day and type when the query is neither
 * grouped nor filtered by handler. The parts are read one after the other into one array. */
static int rollup_rows(struct gd_svc *svc, int64_t shop_id, const struct gd_stats_query *q,
                       struct gd_arena *a, struct gd_stats_row **rows, int *nrows,
                       struct gd_err *err)
{
    struct gd_stats_span sp = {q->day_from, q->day_to, 1, 0, 1, 0};
    struct gd_stats_row *part[3] = {NULL, NULL, NULL};
    int n[3] = {0, 0, 0}, ret = GD_OK;
    bool type_days = q->group != GD_STATS_BY_HANDLER && q->handler_id < 0;

    if (q->group != GD_STATS_BY_DAY) {
        gd_stats_span_split(q->day_from, q->day_to, &sp);
    }
    if (sp.head_from <= sp.head_to) {
        ret = days_rows(svc, shop_id, type_days, sp.head_from, sp.head_to, q, a, &part[0], &n[0],
                        err);
    }
    if (!ret && sp.month_from <= sp.month_to) {
        ret = GD_STORE(svc->store, stats_months_list, shop_id, sp.month_from, sp.month_to, q->type,
                       q->handler_id, a, &part[1], &n[1], err);
    }
    if (!ret && sp.tail_from <= sp.tail_to) {
        ret = days_rows(svc, shop_id, type_days, sp.tail_from, sp.tail_to, q, a, &part[2], &n[2],
                        err);
    }
    if (ret) {
        return ret;
    }
    *nrows = n[0] + n[1] + n[2];
    for (int i = 0; i < 3; i++) {
        if (n[i] == *nrows) { /* one part only (or none): no copy */
            *rows = part[i];
            return GD_OK;
        }
    }
    *rows = gd_arena_alloc(a, sizeof(**rows) * (size_t)*nrows);
    for (int i = 0, at = 0; i < 3; at += n[i], i++) {
        if (n[i]) {
            memcpy(*rows + at, part[i], sizeof(**rows) * (size_t)n[i]);
        }
    }
    return GD_OK;
}

/* Grouped by type: the built-in types, then a shop's own (docs/types.md), each its group. */
#define TYPE_GROUPS (GD_TYPE_COUNT + GD_TYPE_SHOP_MAX)

static int type_group(int type)
{
    if (gd_type_is_shop(type)) {
        return GD_TYPE_COUNT + type - GD_TYPE_SHOP_FIRST;
    }
    return type >= 0 && type < GD_TYPE_COUNT ? type : -1;
}

/* A type's name: a built-in one's, or the shop's own (its key across every shop, where the
 * same key names a type of each shop). */
static const char *type_label(int type, const struct gd_shop_type *own, int nown)
{
    for (int i = 0; gd_type_is_shop(type) && i < nown; i++) {
        if (own[i].code == type) {
            return own[i].name_zh;
        }
    }
    return gd_type_is_shop(type) ? gd_type_name(type) : gd_type_label_zh(type);
}

int gd_svc_stats(struct gd_svc *svc, const struct gd_actor *actor, const struct gd_stats_query *q,
                 struct gd_arena *a, struct gd_stats_result *out, struct gd_err *err)
{
    struct gd_stats_row *rows;
    struct group_acc *acc = NULL;
    int64_t shop_id = q->shop_id, span = q->day_to - q->day_from + 1;
    int64_t *seen = NULL, *as = NULL;
    struct gd_shop_type *own = NULL;
    int *group;
    int nrows, nacc = 0, nseen = 0, nown = 0, cap, ret;

    memset(out, 0, sizeof(*out));
    if ((ret = check_scope(svc, actor, &shop_id, a, err))) {
        return ret;
    }
    if (span < 1) {
        return gd_err_field(err, GD_EINVAL, "to", "to must not be before from");
    }
    if (span > (q->group == GD_STATS_BY_DAY ? 366 : 3660)) {
        return gd_err_field(err, GD_EINVAL, "to", "the range is at most %d days%s",
                            q->group == GD_STATS_BY_DAY ? 366 : 3660,
                            q->group == GD_STATS_BY_DAY ? " when grouped by day" : "");
    }
    if ((ret = rollup_rows(svc, shop_id, q, a, &rows, &nrows, err)) ||
        (ret = GD_STORE(svc->store, stats_orders_sum, shop_id, q->day_from, q->day_to, &out->orders,
                        err))) {
        return ret;
    }
    cap = q->group == GD_STATS_BY_TYPE  ? TYPE_GROUPS
          : q->group == GD_STATS_BY_DAY ? (int)span
                                        : (nrows ? nrows : 1);
    acc = gd_arena_zalloc(a, sizeof(*acc) * (size_t)cap);
    group = gd_arena_alloc(a, sizeof(*group) * (size_t)(nrows ? nrows : 1));
    if (q->group != GD_STATS_BY_HANDLER) {
        nacc = cap; /* by day: every day of the range, for a continuous chart */
        for (int i = 0; i < cap && q->group == GD_STATS_BY_DAY; i++) {
            acc[i].id = q->day_from + i;
        }
    } else {
        seen = gd_arena_zalloc(a, sizeof(*seen) * (size_t)cap);
        as = gd_arena_zalloc(a, sizeof(*as) * (size_t)cap);
    }
    /* each row's group, and the counts summed per group */
    for (int i = 0; i < nrows; i++) {
        const struct gd_stats_row *r = &rows[i];
        int g = -1;
        if (q->group == GD_STATS_BY_TYPE) {
            g = type_group(r->key.type);
        } else if (q->group == GD_STATS_BY_DAY) {
            g = r->key.day >= q->day_from && r->key.day <= q->day_to
                    ? (int)(r->key.day - q->day_from)
                    : -1;
        } else {
            int64_t gid = handler_group(svc, r->key.handler_id, seen, as, &nseen, a);
            for (int j = 0; j < nacc && g < 0; j++) {
                g = acc[j].id == gid ? j : -1;
            }
            if (g < 0) {
                g = nacc++;
                acc[g].id = gid;
            }
        }
        group[i] = g;
        if (g >= 0) {
            gd_stats_counts_add(&acc[g].f.n, &r->n, 1);
        }
    }
    /* the totals are the groups' sums: each row's pairs are decoded once, not twice */
    for (int i = 0; i < nacc; i++) {
        gd_stats_counts_add(&out->totals.n, &acc[i].f.n, 1);
    }
    group_percentiles(rows, nrows, group, acc, nacc, &out->totals, a);
    out->groups = gd_arena_zalloc(a, sizeof(*out->groups) * (size_t)cap);
    if (q->group == GD_STATS_BY_TYPE && shop_id &&
        (ret = GD_STORE(svc->store, wo_types_list, shop_id, a, &own, &nown, err))) {
        return ret;
    }
    for (int i = 0; i < nacc; i++) {
        struct group_acc *g = &acc[i];
        struct gd_stats_group_row *o = &out->groups[out->ngroups];
        if (q->group == GD_STATS_BY_TYPE) {
            if (!g->f.n.created) {
                continue;
            }
            int type = i < GD_TYPE_COUNT ? i : GD_TYPE_SHOP_FIRST + i - GD_TYPE_COUNT;
            o->key = gd_type_name(type);
            o->label = type_label(type, own, nown);
        } else if (q->group == GD_STATS_BY_DAY) {
            int y, m, d;
            gd_civil_from_days(g->id, &y, &m, &d);
            o->key = o->label = gd_arena_printf(a, "%04d-%02d-%02d", y, m, d);
        } else {
            o->key = g->id == PLATFORM_GROUP ? "platform"
                     : g->id                 ? gd_arena_printf(a, "%lld", (long long)g->id)
                                             : "none";
            o->label = handler_label(svc, g->id, a);
        }
        o->f = g->f;
        out->ngroups++;
    }
    return GD_OK;
}

/* ---- rebuild ---- */

/* One rollup row being rebuilt: counts and the buckets of every duration seen (sorted and
 * counted when written). */
struct rb_entry {
    bool used;
    struct gd_stats_key key;
    struct gd_stats_counts n;
    uint16_t *fa, *done;
    int nfa, cfa, ndone, cdone;
};

struct rb_map {
    struct rb_entry *e;
    size_t cap, used;
};

static uint64_t key_hash(const struct gd_stats_key *k)
{
    uint64_t h = (uint64_t)k->day * 0x9e3779b97f4a7c15ULL;
    h ^=
        (uint64_t)k->type * 0xc2b2ae3d27d4eb4fULL + (uint64_t)k->handler_id * 0x165667b19e3779f9ULL;
    return h ^ (h >> 29);
}

static struct rb_entry *rb_find(struct rb_map *m, const struct gd_stats_key *k);

static void rb_grow(struct rb_map *m)
{
    struct rb_map n = {xcalloc(m->cap ? m->cap * 2 : 1024, sizeof(struct rb_entry)),
                       m->cap ? m->cap * 2 : 1024, 0};
    for (size_t i = 0; i < m->cap; i++) {
        if (m->e[i].used) {
            *rb_find(&n, &m->e[i].key) = m->e[i];
        }
    }
    free(m->e);
    *m = n;
}

static struct rb_entry *rb_find(struct rb_map *m, const struct gd_stats_key *k)
{
    if ((m->used + 1) * 2 > m->cap) {
        rb_grow(m);
    }
    for (size_t i = key_hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        struct rb_entry *e = &m->e[i];
        if (!e->used) {
            e->used = true;
            e->key = *k;
            m->used++;
            return e;
        }
        if (e->key.day == k->day && e->key.type == k->type && e->key.handler_id == k->handler_id) {
            return e;
        }
    }
}

static void push_bucket(uint16_t **arr, int *n, int *cap, int bucket)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *arr = xrealloc(*arr, sizeof(**arr) * (size_t)*cap);
    }
    (*arr)[(*n)++] = (uint16_t)bucket;
}

static void encode_buckets(const uint16_t *arr, int n, uint32_t *dense, struct gd_strbuf *out)
{
    for (int i = 0; i < n; i++) {
        dense[arr[i]]++;
    }
    gd_stats_hist_encode(dense, out);
    for (int i = 0; i < n; i++) {
        dense[arr[i]] = 0;
    }
}

struct rebuild {
    int64_t shop_id;
    void (*progress)(long done, long total);
    int64_t count;
};

static int rebuild_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct rebuild *x = ctx;
    int64_t shop_id = x->shop_id;
    struct gd_arena a = GD_ARENA_INIT;
    struct rb_map map = {0};
    struct gd_shop shop;
    struct gd_strbuf fa = GD_STRBUF_INIT, done = GD_STRBUF_INIT;
    uint32_t *dense = xcalloc(GD_STATS_BUCKETS, sizeof(uint32_t));
    struct gd_wo_filter f = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 2000};
    int64_t total = 0, max_id = 0;
    int ret;

    x->count = 0;
    if ((ret = GD_STORE(svc->store, shop_get, shop_id, &a, &shop, err)) ||
        (ret = GD_STORE(svc->store, stats_reset, shop_id, shop.tz_offset_min, err)) ||
        (ret = GD_STORE(svc->store, export_count, shop_id, &f, &total, &max_id, err))) {
        goto out;
    }
    for (;;) {
        struct gd_arena page = GD_ARENA_INIT;
        struct gd_workorder *rows;
        int n;
        ret = GD_STORE(svc->store, workorders_list, shop_id, &f, &page, &rows, &n, err);
        for (int i = 0; !ret && i < n; i++) {
            struct gd_stats_contrib c;
            ret = contrib_of(svc, &rows[i], shop.tz_offset_min, &page, &c, err);
            if (!ret) {
                ret = GD_STORE(svc->store, stats_contrib_put, shop_id, rows[i].id, &c, err);
            }
            if (!ret) {
                struct rb_entry *e = rb_find(&map, &c.key);
                gd_stats_counts_add(&e->n, &c.n, 1);
                if (c.fa_bucket >= 0) {
                    push_bucket(&e->fa, &e->nfa, &e->cfa, c.fa_bucket);
                }
                if (c.done_bucket >= 0) {
                    push_bucket(&e->done, &e->ndone, &e->cdone, c.done_bucket);
                }
            }
        }
        if (!ret && n) {
            f.has_cursor = true;
            f.cursor_key = f.cursor_id = rows[n - 1].id;
            x->count += n;
            if (x->progress) {
                x->progress((long)x->count, (long)total);
            }
        }
        gd_arena_release(&page);
        if (ret || n < f.limit) {
            break;
        }
    }
    for (size_t i = 0; !ret && i < map.cap; i++) {
        struct rb_entry *e = &map.e[i];
        if (!e->used) {
            continue;
        }
        encode_buckets(e->fa, e->nfa, dense, &fa);
        encode_buckets(e->done, e->ndone, dense, &done);
        /* the rebuild writes whole computed rows, in a unit of its shop: no delta to apply */
        struct gd_stats_row row = {.shop_id = shop_id,
                                   .key = e->key,
                                   .n = e->n,
                                   .fa_hist = (const unsigned char *)fa.buf,
                                   .fa_len = fa.len,
                                   .done_hist = (const unsigned char *)done.buf,
                                   .done_len = done.len};
        ret = GD_STORE(svc->store, stats_rollup_put, &row, err);
    }
    if (!ret) {
        ret = GD_STORE(svc->store, stats_summaries_refresh, shop_id, err);
    }
out:
    for (size_t i = 0; i < map.cap; i++) {
        free(map.e[i].fa);
        free(map.e[i].done);
    }
    free(map.e);
    free(dense);
    gd_strbuf_release(&fa);
    gd_strbuf_release(&done);
    gd_arena_release(&a);
    return ret;
}

int gd_svc_stats_rebuild(struct gd_svc *svc, int64_t shop_id,
                         void (*progress)(long done, long total), int64_t *count,
                         struct gd_err *err)
{
    struct rebuild x = {shop_id, progress, 0};
    int ret = gd_svc__uow_run(svc, shop_id, rebuild_unit, &x, err);
    *count = ret ? 0 : x.count;
    return ret;
}
