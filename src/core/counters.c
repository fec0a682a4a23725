/* Counter keys and their deltas. */
#include "core/counters.h"
#include <string.h>

/* A user's key suffix ":uid", written once per user however many of the change's keys carry it
 * (a mark computes a dozen keys per timer, three of them of the handler). */
struct uid_suffix {
    char s[24];
    size_t len;
};

static struct uid_suffix suffix_of(int64_t uid)
{
    struct uid_suffix x = {{0}, 0};
    char digits[22];
    uint64_t v = uid < 0 ? -(uint64_t)uid : (uint64_t)uid;
    int d = 0;

    if (!uid) {
        return x;
    }
    do {
        digits[d++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (uid < 0) {
        digits[d++] = '-';
    }
    x.s[x.len++] = ':';
    while (d) {
        x.s[x.len++] = digits[--d];
    }
    return x;
}

/* Adds the key "prefix" or, with a user's suffix, "prefix:uid" (cut at GD_COUNTER_KEY - 1
 * bytes). Written by hand: snprintf made the keys 5% of the deadline engine's instructions. */
static void put(struct gd_counter_delta *out, int *n, int64_t shop, const char *prefix,
                const struct uid_suffix *user)
{
    char *k = out[*n].key;
    size_t len = strnlen(prefix, GD_COUNTER_KEY - 1), more = user ? user->len : 0;

    out[*n].shop_id = shop;
    out[*n].delta = 1;
    memcpy(k, prefix, len);
    if (more > GD_COUNTER_KEY - 1 - len) {
        more = GD_COUNTER_KEY - 1 - len;
    }
    if (more) {
        memcpy(k + len, user->s, more);
    }
    k[len + more] = '\0';
    (*n)++;
}

/* The overdue keys of a work order counted as overdue (active and past its deadline). */
static void put_overdue(struct gd_counter_delta *out, int *n, const struct gd_workorder *wo,
                        const struct uid_suffix *handler)
{
    put(out, n, wo->shop_id, "overdue", NULL);
    if (wo->handler_id) {
        put(out, n, wo->shop_id, "overdue", handler);
    }
}

/* Does `wo` count as overdue? */
static bool counted_overdue(const struct gd_workorder *wo)
{
    return gd_state_is_active(wo->state) && wo->overdue;
}

/* Reads the shop, type, state, creator, handler and overdue flag: gd_counter_diff's shortcut
 * compares the first five, so a key made of another field must be added there too. */
int gd_counter_keys(const struct gd_workorder *wo, struct gd_counter_delta *out)
{
    int n = 0;
    bool active = gd_state_is_active(wo->state);
    int64_t s = wo->shop_id;
    struct uid_suffix creator = suffix_of(wo->creator_id);
    struct uid_suffix handler =
        wo->handler_id == wo->creator_id ? creator : suffix_of(wo->handler_id);

    put(out, &n, s, "shop", NULL);
    put(out, &n, s, "created", &creator);
    if (wo->handler_id) {
        put(out, &n, s, "assigned", &handler);
        if (active) {
            put(out, &n, s, "todo", &handler);
        }
    }
    if (counted_overdue(wo)) {
        put_overdue(out, &n, wo, &handler);
    }
    if (wo->type == GD_TYPE_COLLAB) {
        if (wo->state == GD_STATE_AWAITING_SELLER) {
            put(out, &n, s, "collab_awaiting", NULL);
        }
        if (wo->state == GD_STATE_PLATFORM_VERIFY || wo->state == GD_STATE_INTERVENTION ||
            wo->state == GD_STATE_APPEAL_REVIEW) {
            char key[GD_COUNTER_KEY];
            snprintf(key, sizeof(key), "pq:%s", gd_state_name(wo->state));
            put(out, &n, 0, key, NULL);
            if (wo->handler_id) {
                /* the platform agent's open cases, across shops: least-loaded assignment */
                put(out, &n, 0, "pa", &handler);
            }
        }
    }
    return n;
}

static bool has(const struct gd_counter_delta *set, int n, const struct gd_counter_delta *k)
{
    for (int i = 0; i < n; i++) {
        if (set[i].shop_id == k->shop_id && strcmp(set[i].key, k->key) == 0) {
            return true;
        }
    }
    return false;
}

int gd_counter_diff(const struct gd_workorder *before, const struct gd_workorder *after,
                    struct gd_counter_delta *out)
{
    /* Everything the keys are made of but the overdue flag as it was (an overdue mark, or a
     * change no counter sees): only the overdue keys can move. The firing engine's marks come
     * here thousands at a time; writing both sets of keys and comparing them cost 3,000
     * instructions a mark. */
    if (before && after && before->shop_id == after->shop_id && before->type == after->type &&
        before->state == after->state && before->creator_id == after->creator_id &&
        before->handler_id == after->handler_id) {
        int n = 0;
        if (counted_overdue(before) != counted_overdue(after)) {
            struct uid_suffix handler = suffix_of(after->handler_id);
            put_overdue(out, &n, after, &handler);
            for (int i = 0; i < n; i++) {
                out[i].delta = counted_overdue(after) ? 1 : -1;
            }
        }
        return n;
    }
    struct gd_counter_delta b[GD_COUNTER_MAX], a[GD_COUNTER_MAX];
    int nb = before ? gd_counter_keys(before, b) : 0;
    int na = after ? gd_counter_keys(after, a) : 0;
    int n = 0;

    for (int i = 0; i < nb; i++) {
        if (!has(a, na, &b[i])) {
            out[n] = b[i];
            out[n++].delta = -1;
        }
    }
    for (int i = 0; i < na; i++) {
        if (!has(b, nb, &a[i])) {
            out[n++] = a[i];
        }
    }
    return n;
}
