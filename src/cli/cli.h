/* The command-line interface: a table of subcommands, one file each, and the option helpers
 * they share. This is the composition root: it wires stores, services and the server. */
#ifndef GD_CLI_H
#define GD_CLI_H
#include <stdbool.h>
#include "service/svc.h"

struct gd_cli_cmd {
    const char *name; /* "shop add" */
    int (*run)(int argc, char **argv);
    const char *usage;
};

int gd_cli_main(int argc, char **argv);

/* --name VALUE; NULL when absent. */
const char *gd_cli_opt(int argc, char **argv, const char *name);
bool gd_cli_flag(int argc, char **argv, const char *name);
const char *gd_cli_db(int argc, char **argv);
/* Opens the store and a service on it; prints the error and returns non-zero on failure. */
int gd_cli_open(int argc, char **argv, bool migrate, struct gd_svc *svc,
                struct gd_svc_shared *shared);
void gd_cli_close(struct gd_svc *svc);
/* The user `username` (given by option `opt`, named in the errors) as the acting user, the way
 * a signed-in request acts: a deactivated user, or one of a deactivated shop, acts no more. */
int gd_cli_actor(struct gd_svc *svc, const char *username, const char *opt, struct gd_arena *a,
                 struct gd_actor *actor, struct gd_err *err);
int gd_cli_fail(const struct gd_err *err);
/* Progress on a terminal: "label done/total" redrawn in place; silent when not a tty. */
void gd_cli_progress(const char *label, long done, long total);

int gd_cmd_init(int argc, char **argv);
int gd_cmd_serve(int argc, char **argv);
int gd_cmd_demo(int argc, char **argv);
int gd_cmd_shop_add(int argc, char **argv);
int gd_cmd_user_add(int argc, char **argv);
int gd_cmd_token_create(int argc, char **argv);
int gd_cmd_user_deactivate(int argc, char **argv);
int gd_cmd_user_reactivate(int argc, char **argv);
int gd_cmd_user_reset_password(int argc, char **argv);
int gd_cmd_orders_import(int argc, char **argv);
int gd_cmd_rules_show(int argc, char **argv);
int gd_cmd_rules_set(int argc, char **argv);
int gd_cmd_webhook_add(int argc, char **argv);
int gd_cmd_webhook_list(int argc, char **argv);
int gd_cmd_types_list(int argc, char **argv);
int gd_cmd_types_add(int argc, char **argv);
int gd_cmd_types_retire(int argc, char **argv);
int gd_cmd_types_restore(int argc, char **argv);
int gd_cmd_types_field_add(int argc, char **argv);
/* The collaborative part of `gongdan demo` (cli/demo_collab.c). */
void gd_demo_collab(struct gd_svc *svc, struct gd_arena *a, int64_t shop_ids[2]);
/* reports */
int gd_cmd_stats(int argc, char **argv);
int gd_cmd_export(int argc, char **argv);
int gd_cmd_migrate(int argc, char **argv);

#endif
