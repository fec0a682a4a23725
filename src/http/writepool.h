/* The threads on which a request that waits for its write's commit is handled, its connection
 * suspended meanwhile (server.c, GD_R_WRITE_WAITS).
 *
 * Why: a create waits on its thread for the group commit that makes it durable (store/sqlite/
 * writer.c), and a connection stays on the libmicrohttpd thread that took it (http/acceptor.h).
 * Handled there, every other connection of that thread waited behind the commit: at 16
 * connections over 8 threads each create waited for its neighbour's (docs/PERFORMANCE.md, "Create
 * latency: the commit waited for off the connection's thread"). Here the connection's thread
 * hands the request over and serves its other connections; a pool thread runs the handler, waits
 * for the commit and resumes the connection, whose thread sends the answer. Imports and uploads,
 * which run for up to seconds, have a pool of their own (GD_R_LONG_WRITE), so they do not hold
 * the creates'.
 *
 * Jobs run in the order they were given, each on one thread. Thread safety: submit from any
 * thread; start and stop from the one that owns the pool. */
#ifndef GD_HTTP_WRITEPOOL_H
#define GD_HTTP_WRITEPOOL_H
#include <stdbool.h>
#include "base/err.h"

struct gd_writepool;

/* Starts `threads` threads (at least 1). */
int gd_writepool_start(struct gd_writepool **out, int threads, struct gd_err *err);
/* Queues fn(ctx) for a pool thread; false (nothing queued) once the pool stops. */
bool gd_writepool_submit(struct gd_writepool *p, void (*fn)(void *ctx), void *ctx);
/* Runs what is queued, then stops and joins the threads and frees the pool (NULL: nothing). */
void gd_writepool_stop(struct gd_writepool *p);

#endif
