/* The open functions of the storage backends, for src/store/store.c alone: everything else
 * opens a store by URL with gd_store_open (store.h) and never names a backend. */
#ifndef GD_STORE_BACKENDS_H
#define GD_STORE_BACKENDS_H
#include <stdbool.h>
#include "store/store.h"

/* SQLite: `path` is a file name (created when `migrate`). */
int gd_sqlite_store_open(const char *path, bool migrate, struct gd_store **out, struct gd_err *err);
/* PostgreSQL: `url` is a libpq connection URI (postgres:// or postgresql://). */
int gd_pg_store_open(const char *url, bool migrate, struct gd_store **out, struct gd_err *err);
/* Statements each backend's caches finalised to stay bounded, process-wide. */
long gd_sqlite_statements_evicted(void);
long gd_pg_statements_evicted(void);
/* Memory SQLite holds in this process (page caches, statements, schemas), now and at its peak. */
void gd_sqlite_memory(int64_t *used, int64_t *peak);
/* PostgreSQL connections found broken, and opened again, process-wide (conn.c). */
long gd_pg_connections_lost(void);
long gd_pg_reconnects(void);
/* Generation reads PostgreSQL answered (round trips; fence.c), process-wide, and the callers
 * they answered; the fence's read asked for without waiting, and given to this thread's reads. */
long gd_pg_generation_reads(void);
long gd_pg_generation_answers(void);
bool gd_pg_generation_ask(const char *url, gd_store_gen_cb done, void *ctx);
void gd_pg_generation_given(const int64_t *value);

#endif
