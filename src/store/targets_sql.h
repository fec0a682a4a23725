/* SQL both backends run unchanged for time targets (docs/targets.md), so the statistics of
 * targets mean the same on SQLite and PostgreSQL. For src/store/ only. */
#ifndef GD_STORE_TARGETS_SQL_H
#define GD_STORE_TARGETS_SQL_H

/* The statistics of targets, one statement both backends run as it is (CAST: PostgreSQL's sum of integers is numeric): per type and handler
 * of the shop's work orders created in [$2, $3), the targets met and missed. A decided
 * outcome counts for the handler it was decided under, a pending one for the current handler. */
#define GD_TARGET_STATS_SQL                                                                        \
    "SELECT w.type, CASE WHEN t.handler_id <> 0 THEN t.handler_id ELSE coalesce(w.handler_id, 0) " \
    "END, "                                                                                        \
    "CAST(sum(CASE WHEN t.fr_outcome = 'met' THEN 1 ELSE 0 END) AS BIGINT), "                      \
    "CAST(sum(CASE WHEN t.fr_outcome = 'missed' THEN 1 ELSE 0 END) AS BIGINT), "                   \
    "CAST(sum(CASE WHEN t.res_outcome = 'met' THEN 1 ELSE 0 END) AS BIGINT), "                     \
    "CAST(sum(CASE WHEN t.res_outcome = 'missed' THEN 1 ELSE 0 END) AS BIGINT) "                   \
    "FROM wo_targets t JOIN workorders w ON w.id = t.workorder_id "                                \
    "WHERE t.shop_id = $1 AND w.shop_id = $1 AND w.created_at >= $2 AND w.created_at < $3 "        \
    "GROUP BY 1, 2 ORDER BY 1, 2"

#endif
