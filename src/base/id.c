/* Time-ordered ids. The state word packs (ms << 12 | seq) so a single CAS advances both; when
 * the sequence overflows within a millisecond the id borrows the next millisecond. */
#include "base/id.h"
#include <errno.h>
#include <stdatomic.h>
#include "base/clock.h"

#define EPOCH_MS 1704067200000LL /* 2024-01-01T00:00:00Z */

/* The node part of every id: 0 for a single node; each node of several on one database sets its
 * own slot (gd_id_set_node) before it makes any id. */
static _Atomic unsigned node_bits;

void gd_id_set_node(unsigned node) { atomic_store(&node_bits, node & 1023u); }
static _Atomic int64_t last; /* (ms << 12) | seq */

int64_t gd_id_new(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - EPOCH_MS;
    int64_t cur = atomic_load(&last), next;
    do {
        int64_t want = ms << 12;
        next = want > cur ? want : cur + 1;
    } while (!atomic_compare_exchange_weak(&last, &cur, next));
    int64_t t = next >> 12, seq = next & 4095;
    return (t << 22) | ((int64_t)atomic_load(&node_bits) << 12) | seq;
}

int64_t gd_id_parse(const char *s)
{
    char *end;
    long long v;

    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') {
        return 0;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0) {
        return 0;
    }
    return (int64_t)v;
}
