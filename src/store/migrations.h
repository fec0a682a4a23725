/* Embedded schema migrations, generated from schema/<dialect>/NNNN_name.sql at build time. */
#ifndef GD_STORE_MIGRATIONS_H
#define GD_STORE_MIGRATIONS_H
#include <stdint.h>
#include "base/err.h"

struct gd_migration {
    int version;
    const char *name;
    const char *sql;
};

/* Terminated by an entry with version 0. */
extern const struct gd_migration gd_migrations_sqlite[];
extern const struct gd_migration gd_migrations_pg[];

/* GD_EDB naming both versions when the database records migration `db_newest` (`name`), newer
 * than every one in `list`: the database was migrated by a newer build, whose schema this one
 * does not know and must not write (a node left on the old build beside upgraded ones, or a
 * binary rolled back). GD_OK otherwise. */
static inline int gd_migrations_refuse_newer(const struct gd_migration *list, int64_t db_newest,
                                             const char *name, struct gd_err *err)
{
    int newest = 0;
    for (; list->version; list++) {
        newest = list->version;
    }
    if (db_newest <= newest) {
        return GD_OK;
    }
    return gd_err_set(err, GD_EDB,
                      "the database has migration %lld (%s), newer than this build knows (its "
                      "newest is %d): run the gongdan that migrated it, or a newer one",
                      (long long)db_newest, name ? name : "?", newest);
}

#endif
