/* Counter keys and their deltas. */
#include "core/counters.h"
#include <string.h>

/* Adds the key "prefix" or, with a user, "prefix:uid" (cut at GD_COUNTER_KEY - 1 bytes). Written
 * by hand: a change computes a dozen keys, and snprintf made them 5% of the deadline engine's
 * instructions per timer (half of that is gone). */
static void put(struct gd_counter_delta *out, int *n, int64_t shop, const char *prefix, int64_t uid)
{
    char *k = out[*n].key, digits[24];
    size_t len = strnlen(prefix, GD_COUNTER_KEY - 1);
    int d = 0;

    out[*n].shop_id = shop;
    out[*n].delta = 1;
    memcpy(k, prefix, len);
    if (uid) {
        uint64_t v = uid < 0 ? -(uint64_t)uid : (uint64_t)uid;
        do {
            digits[d++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (uid < 0) {
            digits[d++] = '-';
        }
        digits[d++] = ':';
    }
    while (d && len < GD_COUNTER_KEY - 1) {
        k[len++] = digits[--d];
    }
    k[len] = '\0';
    (*n)++;
}

int gd_counter_keys(const struct gd_workorder *wo, struct gd_counter_delta *out)
{
    int n = 0;
    bool active = gd_state_is_active(wo->state);
    int64_t s = wo->shop_id;

    put(out, &n, s, "shop", 0);
    put(out, &n, s, "created", wo->creator_id);
    if (wo->handler_id) {
        put(out, &n, s, "assigned", wo->handler_id);
        if (active) {
            put(out, &n, s, "todo", wo->handler_id);
        }
    }
    if (active && wo->overdue) {
        put(out, &n, s, "overdue", 0);
        if (wo->handler_id) {
            put(out, &n, s, "overdue", wo->handler_id);
        }
    }
    if (wo->type == GD_TYPE_COLLAB) {
        if (wo->state == GD_STATE_AWAITING_SELLER) {
            put(out, &n, s, "collab_awaiting", 0);
        }
        if (wo->state == GD_STATE_PLATFORM_VERIFY || wo->state == GD_STATE_INTERVENTION ||
            wo->state == GD_STATE_APPEAL_REVIEW) {
            char key[GD_COUNTER_KEY];
            snprintf(key, sizeof(key), "pq:%s", gd_state_name(wo->state));
            put(out, &n, 0, key, 0);
            if (wo->handler_id) {
                /* the platform agent's open cases, across shops: least-loaded assignment */
                put(out, &n, 0, "pa", wo->handler_id);
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
