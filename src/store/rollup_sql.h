/* The rollup tables' SQL both backends run unchanged (stats_daily, stats_monthly,
 * stats_type_daily: the same columns under a different key), and the columns `gongdan migrate`
 * copies (store/bulk.c). For src/store/ only. */
#ifndef GD_STORE_ROLLUP_SQL_H
#define GD_STORE_ROLLUP_SQL_H

/* The three levels of rollups, the same columns under a different key: stats_daily has a row
 * per day, type and handler; stats_monthly per month (named by its first day: the days of the
 * month summed); stats_type_daily per day and type (every handler summed, handler_id -1). */
#define GD_ROLLUP_COUNTS                                                                        \
    "created, done, open, overdue, transferred, within, collab, settled, replied, intervened, " \
    "judged, against, appeals, overturned, disputes"
#define GD_ROLLUP_COLS(key) \
    "shop_id, " key ", type, handler_id, " GD_ROLLUP_COUNTS ", fa_hist, done_hist"
#define GD_ROLLUP_KEY(key) "shop_id = $1 AND " key " = $2 AND type = $3 AND handler_id = $4"
#define GD_ROLLUP_PUT(table, key)                                                               \
    "INSERT INTO " table " (" GD_ROLLUP_COLS(                                                   \
        key) ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "                                   \
             "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) ON CONFLICT "         \
             "(shop_id, " key ", type, handler_id) DO UPDATE SET created = excluded.created, "  \
             "done = excluded.done, "                                                           \
             "open = excluded.open, overdue = excluded.overdue, transferred = "                 \
             "excluded.transferred, "                                                           \
             "within = excluded.within, collab = excluded.collab, settled = excluded.settled, " \
             "replied = excluded.replied, intervened = excluded.intervened, judged = "          \
             "excluded.judged, "                                                                \
             "against = excluded.against, appeals = excluded.appeals, overturned = "            \
             "excluded.overturned, "                                                            \
             "disputes = excluded.disputes, fa_hist = excluded.fa_hist, done_hist = "           \
             "excluded.done_hist"

/* Counts added to a row, made if missing ($5..$19 the deltas, in GD_ROLLUP_COUNTS' order): a
 * contribution that only adds (store/rollup.h, gd_stats_is_plain_addition) needs no read. */
#define GD_ROLLUP_ADD(table, key)                                                                 \
    "INSERT INTO " table " (shop_id, " key ", type, handler_id, " GD_ROLLUP_COUNTS                \
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, " \
    "$19) ON CONFLICT (shop_id, " key ", type, handler_id) DO UPDATE SET created = " table        \
    ".created + excluded.created, done = " table ".done + excluded.done, open = " table           \
    ".open + excluded.open, overdue = " table ".overdue + excluded.overdue, transferred = " table \
    ".transferred + excluded.transferred, within = " table                                        \
    ".within + excluded.within, collab = " table ".collab + excluded.collab, settled = " table    \
    ".settled + excluded.settled, replied = " table                                               \
    ".replied + excluded.replied, intervened = " table                                            \
    ".intervened + excluded.intervened, judged = " table                                          \
    ".judged + excluded.judged, against = " table ".against + excluded.against, appeals = " table \
    ".appeals + excluded.appeals, "                                                               \
    "overturned = " table ".overturned + excluded.overturned, disputes = " table                  \
    ".disputes + excluded.disputes"

#endif
