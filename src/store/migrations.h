/* Embedded schema migrations, generated from schema/<dialect>/NNNN_name.sql at build time. */
#ifndef GD_STORE_MIGRATIONS_H
#define GD_STORE_MIGRATIONS_H

struct gd_migration {
    int version;
    const char *name;
    const char *sql;
};

/* Terminated by an entry with version 0. */
extern const struct gd_migration gd_migrations_sqlite[];
extern const struct gd_migration gd_migrations_pg[];

#endif
