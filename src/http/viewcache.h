/* A per-thread cache of rendered list views. An entry is served only while the generation of
 * its user's shop (gd_svc_view_generation: moves on any commit of that shop, of the platform, or
 * by another process or node) is the one it was rendered at, so a cached view is never older
 * than the data.
 * Thread safety: each server thread has its own cache (thread-local). */
#ifndef GD_HTTP_VIEWCACHE_H
#define GD_HTTP_VIEWCACHE_H
#include "http/req.h"

/* The cache key of this request's view: user, shop and every query argument. */
void gd_viewcache_key(struct gd_req *r, struct gd_strbuf *key);
/* Answers r with the fresh body for `key`, in the coding the client takes (gzip or as it is,
 * r->content_encoding), as r->shared (sent without a copy); false when there is none. */
bool gd_viewcache_get(struct gd_req *r, const char *key, int64_t generation);
/* Keeps r->out (and its gzip, compressed here once) for `key`, then answers r with it in the
 * coding the client takes, as a hit would. */
void gd_viewcache_put(struct gd_req *r, const char *key, int64_t generation);
bool gd_viewcache_enabled(void);
/* Hits and misses, as Prometheus text. */
void gd_viewcache_metrics(struct gd_strbuf *sb);

#endif
