/* Declarations of the operations, one group per file (db.c builds the vtable from them). */
#ifndef GD_STORE_PG_OPS_DECL_H
#define GD_STORE_PG_OPS_DECL_H
#include "store/store.h"

int gd_pg__shop_insert(struct gd_store *, const struct gd_shop *, struct gd_err *);
int gd_pg__shop_get(struct gd_store *, int64_t, struct gd_arena *, struct gd_shop *,
                    struct gd_err *);
int gd_pg__shop_get_by_name(struct gd_store *, const char *, struct gd_arena *, struct gd_shop *,
                            struct gd_err *);
int gd_pg__shops_list(struct gd_store *, struct gd_arena *, struct gd_shop **, int *,
                      struct gd_err *);
int gd_pg__shop_set_aftersales(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__user_insert(struct gd_store *, const struct gd_user *, struct gd_err *);
int gd_pg__user_get(struct gd_store *, int64_t, struct gd_arena *, struct gd_user *,
                    struct gd_err *);
int gd_pg__user_get_by_username(struct gd_store *, const char *, struct gd_arena *,
                                struct gd_user *, struct gd_err *);
int gd_pg__users_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_user **, int *,
                      struct gd_err *);
int gd_pg__shop_update(struct gd_store *, const struct gd_shop *, struct gd_err *);
int gd_pg__user_update(struct gd_store *, const struct gd_user *, struct gd_err *);
int gd_pg__user_credentials_revoke(struct gd_store *, int64_t, const char *, int *,
                                   struct gd_err *);
int gd_pg__audit_insert(struct gd_store *, const struct gd_audit_event *, struct gd_err *);
int gd_pg__audit_list(struct gd_store *, int64_t, int64_t, int, struct gd_arena *,
                      struct gd_audit_event **, int *, struct gd_err *);
int gd_pg__session_insert(struct gd_store *, const char *, int64_t, const char *, int64_t, int64_t,
                          struct gd_err *);
int gd_pg__session_get(struct gd_store *, const char *, int64_t, struct gd_arena *,
                       struct gd_user *, const char **, int64_t *, struct gd_err *);
int gd_pg__session_delete(struct gd_store *, const char *, struct gd_err *);
int gd_pg__token_insert(struct gd_store *, const char *, int64_t, int64_t, const char *, int64_t,
                        struct gd_err *);
int gd_pg__token_get(struct gd_store *, const char *, struct gd_arena *, struct gd_user *,
                     struct gd_err *);
int gd_pg__login_attempt_reserve(struct gd_store *, const char *, int64_t, int64_t, int, int64_t,
                                 bool *, int64_t *, struct gd_err *);
int gd_pg__login_attempt_release(struct gd_store *, const char *, int, struct gd_err *);
int gd_pg__login_attempt_forget(struct gd_store *, const char *, struct gd_err *);
int gd_pg__login_attempts_prune(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__orders_upsert(struct gd_store *, int64_t, const struct gd_order *, int,
                         struct gd_arena *, const char **, struct gd_err *);
int gd_pg__order_get(struct gd_store *, int64_t, const char *, struct gd_arena *, struct gd_order *,
                     struct gd_err *);
int gd_pg__orders_search(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                         struct gd_order **, int *, struct gd_err *);
int gd_pg__orders_of_buyer(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                           struct gd_order **, int *, struct gd_err *);
int gd_pg__workorder_next_number(struct gd_store *, int64_t, int64_t *, struct gd_err *);
int gd_pg__workorder_insert(struct gd_store *, const struct gd_workorder *, struct gd_err *);
int gd_pg__workorders_get_many(struct gd_store *, const int64_t *, const int64_t *, int,
                               struct gd_arena *, struct gd_workorder *, struct gd_err *);
int gd_pg__workorders_get_brief(struct gd_store *, const int64_t *, const int64_t *, int,
                                struct gd_arena *, struct gd_workorder *, struct gd_err *);
int gd_pg__workorder_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                         struct gd_workorder *, struct gd_err *);
int gd_pg__workorder_update(struct gd_store *, const struct gd_workorder *, int64_t,
                            struct gd_err *);
int gd_pg__workorders_list(struct gd_store *, int64_t, const struct gd_wo_filter *,
                           struct gd_arena *, struct gd_workorder **, int *, struct gd_err *);
int gd_pg__workorders_list_keys(struct gd_store *, int64_t, const struct gd_wo_filter *,
                                struct gd_arena *, struct gd_workorder **, int *, struct gd_err *);
int gd_pg__users_names(struct gd_store *, const int64_t *, int, struct gd_arena *, const char **,
                       struct gd_err *);
int gd_pg__workorders_by_order(struct gd_store *, int64_t, const char *, int, struct gd_arena *,
                               struct gd_workorder **, int *, struct gd_err *);
int gd_pg__search_set(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_pg__search_append(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_pg__event_append(struct gd_store *, const struct gd_event *, struct gd_err *);
int gd_pg__events_append_many(struct gd_store *, const struct gd_event *, int, struct gd_err *);
int gd_pg__events_list(struct gd_store *, int64_t, int64_t, struct gd_arena *, struct gd_event **,
                       int *, struct gd_err *);
int gd_pg__counter_add(struct gd_store *, int64_t, const char *, int, struct gd_err *);
int gd_pg__counter_get(struct gd_store *, int64_t, const char *, int64_t *, struct gd_err *);
int gd_pg__idem_get(struct gd_store *, int64_t, const char *, struct gd_arena *, int *,
                    const char **, const char **, struct gd_err *);
int gd_pg__idem_put(struct gd_store *, int64_t, const char *, const char *, int, const char *,
                    int64_t, struct gd_err *);
int gd_pg__deadline_insert(struct gd_store *, const struct gd_deadline *, struct gd_err *);
int gd_pg__deadline_cancel(struct gd_store *, int64_t, int64_t, const char *, struct gd_err *);
int gd_pg__deadline_take(struct gd_store *, const struct gd_deadline *, struct gd_err *);
int gd_pg__deadline_next_due(struct gd_store *, int64_t *, struct gd_err *);
int gd_pg__deadlines_take(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_deadline **,
                          int *, struct gd_err *);
int gd_pg__workorder_mark_overdue(struct gd_store *, const struct gd_workorder *, struct gd_err *);
int gd_pg__workorders_mark_overdue_many(struct gd_store *, const struct gd_workorder *, int,
                                        struct gd_err *);
int gd_pg__generation(struct gd_store *, int64_t *);
int gd_pg__shop_generation(struct gd_store *, int64_t, int64_t *);
int gd_pg__rules_insert(struct gd_store *, const char *, int64_t, int64_t, int64_t *,
                        struct gd_err *);
int gd_pg__rules_get(struct gd_store *, int64_t, struct gd_arena *, int64_t *, const char **,
                     int64_t *, struct gd_err *);
int gd_pg__collab_insert(struct gd_store *, const struct gd_collab *, struct gd_err *);
int gd_pg__collab_get(struct gd_store *, int64_t, int64_t, struct gd_arena *, struct gd_collab *,
                      struct gd_err *);
int gd_pg__collab_update(struct gd_store *, const struct gd_collab *, struct gd_err *);
int gd_pg__attachment_insert(struct gd_store *, const struct gd_attachment *, struct gd_err *);
int gd_pg__attachment_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                          struct gd_attachment *, struct gd_err *);
int gd_pg__attachment_link(struct gd_store *, int64_t, int64_t, int64_t, int64_t, const char *,
                           struct gd_err *);
int gd_pg__attachments_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                            struct gd_attachment **, int *, struct gd_err *);
int gd_pg__stats_contribs_get(struct gd_store *, const int64_t *, const int64_t *, int,
                              struct gd_stats_contrib *, bool *, struct gd_err *);
int gd_pg__stats_contribs_put(struct gd_store *, const int64_t *, const int64_t *,
                              const struct gd_stats_contrib *, int, struct gd_err *);
int gd_pg__stats_contrib_get(struct gd_store *, int64_t, int64_t, struct gd_stats_contrib *,
                             struct gd_err *);
int gd_pg__stats_contrib_put(struct gd_store *, int64_t, int64_t, const struct gd_stats_contrib *,
                             struct gd_err *);
int gd_pg__stats_rollup_get(struct gd_store *, int64_t, const struct gd_stats_key *,
                            struct gd_arena *, struct gd_stats_row *, struct gd_err *);
int gd_pg__stats_rollup_put(struct gd_store *, const struct gd_stats_row *, struct gd_err *);
int gd_pg__stats_rollup_add(struct gd_store *, int64_t, const struct gd_stats_key *,
                            const struct gd_stats_counts *, int, int, int, struct gd_err *);
int gd_pg__stats_rollup_list(struct gd_store *, int64_t, int64_t, int64_t, int, int64_t,
                             struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_pg__stats_months_list(struct gd_store *, int64_t, int64_t, int64_t, int, int64_t,
                             struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_pg__stats_type_days_list(struct gd_store *, int64_t, int64_t, int64_t, int,
                                struct gd_arena *, struct gd_stats_row **, int *, struct gd_err *);
int gd_pg__stats_summaries_refresh(struct gd_store *, int64_t, struct gd_err *);
int gd_pg__stats_orders_add(struct gd_store *, int64_t, int64_t, int64_t, struct gd_err *);
int gd_pg__stats_orders_sum(struct gd_store *, int64_t, int64_t, int64_t, int64_t *,
                            struct gd_err *);
int gd_pg__stats_reset(struct gd_store *, int64_t, int, struct gd_err *);
int gd_pg__export_rows(struct gd_store *, int64_t, const struct gd_wo_filter *, int64_t, int64_t,
                       int, struct gd_arena *, struct gd_export_row **, int *, struct gd_err *);
int gd_pg__export_count(struct gd_store *, int64_t, const struct gd_wo_filter *, int64_t *,
                        int64_t *, struct gd_err *);
int gd_pg__export_insert(struct gd_store *, const struct gd_export_job *, struct gd_err *);
int gd_pg__export_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                      struct gd_export_job *, struct gd_err *);
int gd_pg__export_update(struct gd_store *, const struct gd_export_job *, struct gd_err *);
int gd_pg__ops_gauges(struct gd_store *, int64_t, struct gd_ops_gauges *, struct gd_err *);
int gd_pg__export_claim(struct gd_store *, int, int64_t, struct gd_arena *, struct gd_export_job *,
                        struct gd_err *);
int gd_pg__export_lease(struct gd_store *, int64_t, int, int64_t, struct gd_err *);
int gd_pg__exports_requeue(struct gd_store *, struct gd_err *);
int gd_pg__webhook_insert(struct gd_store *, const struct gd_webhook *, struct gd_err *);
int gd_pg__webhooks_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_webhook **, int *,
                         struct gd_err *);
int gd_pg__webhook_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__webhooks_due(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_webhook **,
                        int *, struct gd_err *);
int gd_pg__webhook_attempted(struct gd_store *, int64_t, int64_t, const struct gd_webhook_attempt *,
                             struct gd_err *);
int gd_pg__webhook_skip(struct gd_store *, int64_t, int64_t, int, int64_t, struct gd_err *);
int gd_pg__outbox_add(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__outbox_add_many(struct gd_store *, int64_t, const int64_t *, int, struct gd_err *);
int gd_pg__outbox_list(struct gd_store *, int64_t, int64_t, int, struct gd_arena *,
                       struct gd_outbox_event **, int *, struct gd_err *);
int gd_pg__outbox_trim(struct gd_store *, struct gd_err *);
int gd_pg__quickreplies_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                             struct gd_quickreply **, int *, struct gd_err *);
int gd_pg__quickreplies_count(struct gd_store *, int64_t, int64_t, int *, struct gd_err *);
int gd_pg__quickreply_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                          struct gd_quickreply *, struct gd_err *);
int gd_pg__quickreply_insert(struct gd_store *, const struct gd_quickreply *, struct gd_err *);
int gd_pg__quickreply_update(struct gd_store *, const struct gd_quickreply *, struct gd_err *);
int gd_pg__quickreply_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__notification_insert(struct gd_store *, const struct gd_notification *, struct gd_err *);
int gd_pg__notifications_insert_many(struct gd_store *, const struct gd_notification *, int,
                                     struct gd_err *);
int gd_pg__notifications_list(struct gd_store *, int64_t, int64_t, int, bool, struct gd_arena *,
                              struct gd_notification **, int *, struct gd_err *);
int gd_pg__notifications_unread(struct gd_store *, int64_t, int64_t *, struct gd_err *);
int gd_pg__notifications_mark_read(struct gd_store *, int64_t, int64_t, int64_t, int *,
                                   struct gd_err *);
int gd_pg__notify_prefs_get(struct gd_store *, int64_t, struct gd_arena *, const char **,
                            struct gd_err *);
int gd_pg__notify_prefs_set(struct gd_store *, int64_t, const char *, int64_t, struct gd_err *);
int gd_pg__savedfilters_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                             struct gd_saved_filter **, int *, struct gd_err *);
int gd_pg__savedfilters_count(struct gd_store *, int64_t, int64_t, int *, struct gd_err *);
int gd_pg__savedfilter_get(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                           struct gd_saved_filter *, struct gd_err *);
int gd_pg__savedfilter_insert(struct gd_store *, const struct gd_saved_filter *, struct gd_err *);
int gd_pg__savedfilter_update(struct gd_store *, const struct gd_saved_filter *, struct gd_err *);
int gd_pg__savedfilter_delete(struct gd_store *, int64_t, int64_t, struct gd_err *);
int gd_pg__workorders_count(struct gd_store *, int64_t, const struct gd_wo_filter *, int, int64_t *,
                            struct gd_err *);
int gd_pg__panel_get(struct gd_store *, int64_t, struct gd_arena *, const char **, const char **,
                     struct gd_err *);
int gd_pg__panel_put(struct gd_store *, int64_t, const char *, const char *, int64_t,
                     struct gd_err *);
int gd_pg__panel_link_use(struct gd_store *, int64_t, const char *, int64_t, int64_t,
                          struct gd_err *);
int gd_pg__targets_get(struct gd_store *, int64_t, struct gd_target_settings *, struct gd_err *);
int gd_pg__targets_put(struct gd_store *, int64_t, const struct gd_target_settings *, int64_t,
                       struct gd_err *);
int gd_pg__wo_target_get(struct gd_store *, int64_t, int64_t, struct gd_wo_target *,
                         struct gd_err *);
int gd_pg__wo_target_put(struct gd_store *, const struct gd_wo_target *, struct gd_err *);
int gd_pg__target_stats(struct gd_store *, int64_t, int64_t, int64_t, struct gd_arena *,
                        struct gd_target_count **, int *, struct gd_err *);
int gd_pg__wo_types_list(struct gd_store *, int64_t, struct gd_arena *, struct gd_shop_type **,
                         int *, struct gd_err *);
int gd_pg__wo_type_get(struct gd_store *, int64_t, int, struct gd_arena *, struct gd_shop_type *,
                       struct gd_err *);
int gd_pg__wo_type_insert(struct gd_store *, struct gd_shop_type *, struct gd_err *);
int gd_pg__wo_type_update(struct gd_store *, const struct gd_shop_type *, struct gd_err *);
int gd_pg__wo_fields_list(struct gd_store *, int64_t, int, struct gd_arena *,
                          struct gd_shop_field **, int *, struct gd_err *);
int gd_pg__wo_field_insert(struct gd_store *, const struct gd_shop_field *, struct gd_err *);
int gd_pg__wo_field_update(struct gd_store *, const struct gd_shop_field *, struct gd_err *);
int gd_pg__wo_field_values_set(struct gd_store *, int64_t, int64_t, const struct gd_field_value *,
                               int, struct gd_err *);
int gd_pg__assign_rules_list(struct gd_store *, int64_t, struct gd_arena *,
                             struct gd_assign_rule **, int *, struct gd_err *);
int gd_pg__assign_rule_get(struct gd_store *, int64_t, const char *, struct gd_arena *,
                           struct gd_assign_rule *, struct gd_err *);
int gd_pg__assign_rule_put(struct gd_store *, const struct gd_assign_rule *, struct gd_err *);
int gd_pg__assign_rule_delete(struct gd_store *, int64_t, const char *, struct gd_err *);
int gd_pg__assign_rule_cursor(struct gd_store *, int64_t, const char *, int64_t, struct gd_err *);
int gd_pg__agent_statuses_list(struct gd_store *, int64_t, int64_t, struct gd_arena *,
                               struct gd_agent_status **, int *, struct gd_err *);
int gd_pg__agent_status_put(struct gd_store *, const struct gd_agent_status *, struct gd_err *);
int gd_pg__agent_presence_touch(struct gd_store *, int64_t, int, int64_t, struct gd_err *);
int gd_pg__agent_presence_drop(struct gd_store *, int64_t, int, struct gd_err *);
int gd_pg__sessions_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_pg__idem_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_pg__timers_expire(struct gd_store *, int64_t, int, int *, struct gd_err *);
int gd_pg__attachments_unlinked(struct gd_store *, int64_t, int, struct gd_arena *,
                                struct gd_attachment **, int *, struct gd_err *);
int gd_pg__attachment_delete_unlinked(struct gd_store *, int64_t, int64_t, const char *, bool *,
                                      struct gd_err *);
int gd_pg__exports_finished(struct gd_store *, int64_t, int, struct gd_arena *,
                            struct gd_export_job **, int *, struct gd_err *);

/* bulk.c: bulk copy (gongdan migrate) */
int gd_pg__snapshot_begin(struct gd_store *, struct gd_err *);
void gd_pg__snapshot_end(struct gd_store *);
int gd_pg__bulk_count(struct gd_store *, const struct gd_bulk_table *, int64_t *, struct gd_err *);
int gd_pg__bulk_dump(struct gd_store *, const struct gd_bulk_table *, gd_bulk_row_fn, void *,
                     struct gd_err *);
int gd_pg__bulk_load(struct gd_store *, const struct gd_bulk_table *, const struct gd_bulk_cell *,
                     int, struct gd_err *);
int gd_pg__bulk_start(struct gd_store *, const struct gd_bulk_table *, struct gd_err *);
int gd_pg__bulk_finish(struct gd_store *, struct gd_err *);
int gd_pg__bulk_uncovered(struct gd_store *, const struct gd_bulk_table *, struct gd_arena *,
                          const char **, struct gd_err *);
/* notify.c */
int gd_pg__node_slot_claim(struct gd_store *, int, int *, struct gd_err *);
int gd_pg__change_notify(struct gd_store *, int64_t, int64_t, int, struct gd_err *);
int gd_pg__revoked_notify(struct gd_store *, int, struct gd_err *);
int gd_pg__import_lock(struct gd_store *, int64_t, bool *, struct gd_err *);
void gd_pg__import_unlock(struct gd_store *, int64_t);
int gd_pg__webhook_lease(struct gd_store *, int64_t, int64_t, int, int64_t, bool *,
                         struct gd_err *);
int gd_pg__webhook_leases_release(struct gd_store *, int, struct gd_err *);
int gd_pg__changes_wait(struct gd_store *, int, struct gd_change *, int, int *, bool *,
                        struct gd_err *);

/* blobs.c */
int gd_pg__blob_put(struct gd_store *, const char *, const char *, const char *, const void *,
                    size_t, struct gd_err *);
int gd_pg__blob_put_file(struct gd_store *, const char *, const char *, const char *, const char *,
                         struct gd_err *);
int gd_pg__blob_size(struct gd_store *, const char *, const char *, const char *, int64_t *,
                     struct gd_err *);
int gd_pg__blob_read(struct gd_store *, const char *, const char *, const char *, int64_t, void *,
                     size_t, size_t *, struct gd_err *);
int gd_pg__blob_delete(struct gd_store *, const char *, const char *, const char *,
                       struct gd_err *);
#endif
