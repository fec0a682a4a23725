/* The injectable clock: every time the application stores comes from here, never from the
 * database. In test-clock mode an offset is added to the real time, so the deadline engine can be
 * driven forward without waiting.
 * Thread safety: safe (atomic offset). */
#ifndef GD_CLOCK_H
#define GD_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

/* UTC milliseconds since the epoch, plus the test offset when one is set. */
int64_t gd_clock_now_ms(void);
/* Real monotonic milliseconds, for measuring durations. */
int64_t gd_clock_mono_ms(void);
/* Test mode: fixes the clock at `ms` when frozen, otherwise moves by the offset. */
void gd_clock_set_offset_ms(int64_t offset);
int64_t gd_clock_offset_ms(void);
void gd_clock_freeze(int64_t ms);

#endif
