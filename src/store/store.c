/* Opening a store: the URL's scheme chooses the backend. Backend-neutral; no backend's client
 * library is visible here (private_headers.h). */
#include "store/store.h"
#include <string.h>
#include "store/backends.h"

/* Checks the parts of a postgres:// URL that libpq would otherwise report vaguely (or take
 * from the environment): a database name must be given. libpq parses the rest. */
static int check_pg_url(const char *url, struct gd_err *err)
{
    const char *rest = strstr(url, "://") + 3;
    const char *slash = strchr(rest, '/');
    const char *q = strchr(rest, '?');
    if (q && slash && slash > q) {
        slash = NULL;
    }
    if (!slash || slash[1] == '\0' || slash[1] == '?') {
        return gd_err_field(err, GD_EINVAL, "db",
                            "database url '%s' names no database: the path after the host "
                            "(postgresql://HOST/DBNAME or postgresql:///DBNAME?host=/socket/dir)",
                            url);
    }
    return GD_OK;
}

int gd_store_open(const char *url, bool migrate, struct gd_store **out, struct gd_err *err)
{
    if (!url || !*url) {
        return gd_err_field(err, GD_EINVAL, "db", "empty database url");
    }
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        if (check_pg_url(url, err)) {
            return GD_EINVAL;
        }
        return gd_pg_store_open(url, migrate, out, err);
    }
    if (strncmp(url, "sqlite:", 7) == 0) {
        if (!url[7]) {
            return gd_err_field(err, GD_EINVAL, "db", "database url 'sqlite:' names no file");
        }
        return gd_sqlite_store_open(url + 7, migrate, out, err);
    }
    const char *colon = strstr(url, "://");
    if (colon) {
        return gd_err_field(err, GD_EINVAL, "db",
                            "unsupported database url scheme '%.*s' in '%s' (use sqlite:PATH or "
                            "postgresql://...)",
                            (int)(colon - url), url, url);
    }
    return gd_sqlite_store_open(url, migrate, out, err); /* a bare path */
}

long gd_store_statements_evicted(void)
{
    return gd_sqlite_statements_evicted() + gd_pg_statements_evicted();
}

void gd_store_sqlite_memory(int64_t *used, int64_t *peak) { gd_sqlite_memory(used, peak); }

long gd_store_connections_lost(void) { return gd_pg_connections_lost(); }

long gd_store_reconnects(void) { return gd_pg_reconnects(); }

void gd_store_close(struct gd_store *s)
{
    if (s) {
        s->ops->close(s);
    }
}

long gd_store_generation_reads(void) { return gd_pg_generation_reads(); }

long gd_store_generation_answers(void) { return gd_pg_generation_answers(); }

bool gd_store_generation_ask(const char *url, gd_store_gen_cb done, void *ctx)
{
    bool pg = strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
    return pg && gd_pg_generation_ask(url, done, ctx);
}

void gd_store_generation_given(const int64_t *value) { gd_pg_generation_given(value); }
