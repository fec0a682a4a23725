/* Real time plus an adjustable offset, or a frozen instant (tests only). */
#include "base/clock.h"
#include <stdatomic.h>

static _Atomic int64_t offset_ms;
static _Atomic int64_t frozen_ms; /* 0 = not frozen */

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t gd_clock_now_ms(void)
{
    int64_t f = atomic_load(&frozen_ms);
    if (f) {
        return f;
    }
    return real_ms() + atomic_load(&offset_ms);
}

int64_t gd_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void gd_clock_set_offset_ms(int64_t offset)
{
    atomic_store(&frozen_ms, 0);
    atomic_store(&offset_ms, offset);
}

int64_t gd_clock_offset_ms(void) { return atomic_load(&offset_ms); }

void gd_clock_freeze(int64_t ms) { atomic_store(&frozen_ms, ms); }
