/* gongdan migrate: copies a whole installation from one store to another (SQLite to
 * PostgreSQL, typically) and verifies the copy. The tables are store.h's gd_bulk_tables; the
 * copy is one write transaction on the target, so a failed copy leaves it empty.
 *
 * Verification: per table, the row count and a checksum of the content that does not depend
 * on row order (the sum of each row's 128-bit BLAKE2b over its typed cells), computed from the
 * source while copying and from the target read back after the commit; the pending timers (how
 * many, the earliest due instant, and each backend's own answer for the next due instant); and,
 * with a data directory (where SQLite keeps its files), every attachment's content and every
 * done export's file is carried into the target's storage (store.h, "stored bytes": PostgreSQL's
 * blobs) and read back: an attachment's bytes must hash to its SHA-256. */
#ifndef GD_SERVICE_MIGRATE_H
#define GD_SERVICE_MIGRATE_H
#include "store/store.h"

#define GD_MIGRATE_TABLES 64             /* the tables gd_bulk_tables lists, with room for more */
#define GD_MIGRATE_BATCH_ROWS 5000       /* rows per bulk_load */
#define GD_MIGRATE_BATCH_BYTES (4 << 20) /* or fewer, when their text is large */

struct gd_migrate_sum {
    int64_t rows;
    uint64_t sum[2];
};

struct gd_migrate_table {
    const char *name;
    struct gd_migrate_sum source, target;
};

struct gd_migrate_report {
    struct gd_migrate_table tables[GD_MIGRATE_TABLES];
    int ntables;
    int64_t rows;                /* rows read from the source */
    int64_t copy_ms, verify_ms;  /* how long the copy and the read-back took */
    int64_t pending[2];          /* pending timers: source, target */
    int64_t earliest_due[2];     /* their earliest due instant (0 = none): source, target */
    int64_t attachments_checked; /* contents carried and hashed again (with a data directory) */
    int64_t exports_checked;     /* done exports' files carried and read back */
};

struct gd_migrate_opts {
    bool verify_only;     /* compare source and target, copy nothing */
    const char *data_dir; /* where SQLite's files are; NULL = contents not carried from SQLite
                           * (from PostgreSQL they always are) */
    /* during each table's copy ("copy"), or its read-back ("verify"): done of total rows */
    void (*progress)(void *ctx, const char *phase, const char *table, int64_t done, int64_t total);
    void *ctx;
};

/* Copies `from` into `to` (unless verify_only) and verifies. Errors: GD_EINVAL when a table of
 * either database is not covered by the copy (it names it); GD_ECONFLICT when the target is not
 * empty (naming the first table with rows) or when verification finds a difference (naming the
 * table); GD_ENOTFOUND for a missing attachment file; store errors name the table. */
int gd_svc_migrate(struct gd_store *from, struct gd_store *to, const struct gd_migrate_opts *o,
                   struct gd_migrate_report *out, struct gd_err *err);

#endif
