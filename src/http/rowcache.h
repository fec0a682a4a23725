/* Rendered work order rows of the list views, kept by what their rendering depends on: the row's
 * id, shop and version (every write of a work order moves its version, except the deadline
 * engine's overdue mark), the overdue flag as the clock tells it (a row kept not overdue is not
 * served once its deadline is near: the mark may have come) and the people it names (handler,
 * creator and their display names, which change without the row's version). A view
 * after a write reads only its page's keys and renders the rows it has not kept (usually the one
 * that was written); the answer is the bytes a fresh render would write.
 * Process-wide and bounded in bytes (GONGDAN_ROW_CACHE_MB, default 64; 0 turns it off), least
 * recently used rows leaving first. Thread safe: the rows are spread over locked shards, and
 * what a caller gets is a copy. */
#ifndef GD_HTTP_ROWCACHE_H
#define GD_HTTP_ROWCACHE_H
#include <stdbool.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/strbuf.h"
#include "core/workorder.h"

bool gd_rowcache_enabled(void);
/* Whether rows a and b render the same: the same id, shop, version, people and names. */
bool gd_rowcache_is_same(const struct gd_workorder *a, const struct gd_workorder *b);
/* The kept rendering of the row `key` names (its id, shop, version, state, deadline, people and
 * names, as the list's keys hold them), copied into `a`: false when none is kept for it. `now`:
 * the clock (base/clock.h) read after the keys were. */
bool gd_rowcache_get(const struct gd_workorder *key, int64_t now, struct gd_arena *a,
                     const char **json, size_t *len);
/* Keeps `json`, the rendering of `row` (replacing an older one of the same work order). */
void gd_rowcache_put(const struct gd_workorder *row, const char *json, size_t len);
/* Hits, misses, rows and bytes kept and the bound, as Prometheus text. */
void gd_rowcache_metrics(struct gd_strbuf *sb);

#endif
