/* The subcommand table and shared option handling. */
#include "cli/cli.h"
#include <unistd.h>
#include "base/id.h"
#include "base/log.h"
#include "base/secret.h"
#include "service/cluster.h"

static const struct gd_cli_cmd cmds[] = {
    {"init", gd_cmd_init,
     "init [--db URL] [--admin-password PW]   create/migrate the database "
     "and the first platform admin"},
    {"serve", gd_cmd_serve,
     "serve [--db URL] [--listen HOST:PORT] [--web-root DIR] "
     "[--data-dir DIR] [--test-clock] [--webhook-allow-private] "
     "[--webhook-ca-file PEM] "
     "[--trusted-proxy ADDR[,ADDR]] [--public-url URL] [--threads N] "
     "[--max-conns-per-addr N] [--reuse-port] [--node-id NAME] "
     "[--deadline-batch N]"},
    {"demo", gd_cmd_demo, "demo [--db URL]   fill the database with a believable demo"},
    {"shop add", gd_cmd_shop_add, "shop add NAME [--db URL]"},
    {"user add", gd_cmd_user_add,
     "user add USERNAME --role ROLE [--shop NAME] [--name "
     "DISPLAY] --password PW [--db URL]"},
    {"user deactivate", gd_cmd_user_deactivate,
     "user deactivate USERNAME --by MANAGER [--db URL]"
     "   sign them out everywhere; their open work "
     "orders go to 待重新分配"},
    {"user reactivate", gd_cmd_user_reactivate,
     "user reactivate USERNAME --by MANAGER "
     "[--db URL]"},
    {"user reset-password", gd_cmd_user_reset_password,
     "user reset-password USERNAME --by "
     "MANAGER [--password PW] [--db URL]   "
     "they must change it at next sign-in"},
    {"token create", gd_cmd_token_create, "token create USERNAME [--name LABEL] [--db URL]"},
    {"orders import", gd_cmd_orders_import, "orders import FILE --shop NAME [--db URL]"},
    {"rules show", gd_cmd_rules_show,
     "rules show [--version N] [--db URL]   print the platform "
     "rules (JSON)"},
    {"rules set", gd_cmd_rules_set,
     "rules set FILE [--db URL]   store FILE (JSON) as the next "
     "rules version"},
    {"webhook add", gd_cmd_webhook_add,
     "webhook add URL --user USERNAME [--description TEXT] "
     "[--events KIND,...] [--db URL]   post the user's shop's "
     "events to URL"},
    {"webhook list", gd_cmd_webhook_list,
     "webhook list --user USERNAME [--db URL]   the shop's "
     "endpoints and their delivery state"},
    {"types list", gd_cmd_types_list,
     "types list --user USERNAME [--db URL]   the shop's own work order types (key, state, "
     "names, default deadline, handler, colour) and their fields"},
    {"types add", gd_cmd_types_add,
     "types add --user USERNAME --name-zh TEXT --name-en TEXT [--deadline-hours H] "
     "[--handler USERNAME] [--color #rrggbb] [--db URL]   prints the new type's key"},
    {"types retire", gd_cmd_types_retire,
     "types retire KEY --user USERNAME [--field FIELD] [--db URL]   a type (or one of its "
     "fields) takes nothing new; what was made with it stays"},
    {"types restore", gd_cmd_types_restore,
     "types restore KEY --user USERNAME [--field FIELD] [--db URL]"},
    {"types field-add", gd_cmd_types_field_add,
     "types field-add KEY --user USERNAME --key FIELD --kind KIND --label-zh TEXT "
     "--label-en TEXT [--required] [--options A,B,...] [--db URL]"},
    /* reports */
    {"stats", gd_cmd_stats,
     "stats [--shop NAME] [--from DATE] [--to DATE] [--group "
     "type|handler|day] [--type T] [--json]   team statistics; "
     "stats rebuild --shop NAME recounts them"},
    {"export", gd_cmd_export,
     "export --shop NAME --user USERNAME --out FILE [--format csv|xlsx] "
     "[--headers zh|en] [--view V] [filters]   export work orders"},
    {"migrate", gd_cmd_migrate,
     "migrate --from sqlite:PATH --to postgresql://... "
     "[--verify-only] [--data-dir DIR]   copy a whole installation "
     "into an empty database and verify it"},
};

static void usage(void)
{
    fprintf(stderr, "usage: gongdan COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
        fprintf(stderr, "  %s\n", cmds[i].usage);
    }
}

int gd_cli_main(int argc, char **argv)
{
    if (gd_secret_init()) {
        fprintf(stderr, "error: cannot initialise libsodium\n");
        return 1;
    }
    const char *lvl = getenv("GONGDAN_LOG");
    if (lvl && strcmp(lvl, "debug") == 0) {
        gd_log_level = GD_LOG_DEBUG;
    } else if (lvl && strcmp(lvl, "warn") == 0) {
        gd_log_level = GD_LOG_WARN;
    }
    for (size_t i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(*cmds); i++) {
        const char *space = strchr(cmds[i].name, ' ');
        if (!space && strcmp(argv[1], cmds[i].name) == 0) {
            return cmds[i].run(argc - 2, argv + 2);
        }
        if (space && argc >= 3 &&
            strncmp(argv[1], cmds[i].name, (size_t)(space - cmds[i].name)) == 0 &&
            strlen(argv[1]) == (size_t)(space - cmds[i].name) && strcmp(argv[2], space + 1) == 0) {
            return cmds[i].run(argc - 3, argv + 3);
        }
    }
    usage();
    return 2;
}

const char *gd_cli_opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    return NULL;
}

bool gd_cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return true;
        }
    }
    return false;
}

const char *gd_cli_db(int argc, char **argv)
{
    const char *db = gd_cli_opt(argc, argv, "--db");
    if (!db) {
        db = getenv("GONGDAN_DB");
    }
    return db ? db : "sqlite:data/gongdan.db";
}

int gd_cli_open(int argc, char **argv, bool migrate, struct gd_svc *svc,
                struct gd_svc_shared *shared)
{
    struct gd_err err = {0};
    memset(svc, 0, sizeof(*svc));
    gd_svc_shared_init(shared);
    svc->shared = shared;
    if (gd_store_open(gd_cli_db(argc, argv), migrate, &svc->store, &err)) {
        return gd_cli_fail(&err);
    }
    /* a command may run beside serve nodes on one database: its ids need a node slot too */
    int slot = -1;
    if (GD_STORE(svc->store, node_slot_claim, GD_NODE_SLOTS, &slot, &err) == GD_OK && slot >= 0) {
        gd_id_set_node((unsigned)slot);
    }
    return 0;
}

void gd_cli_close(struct gd_svc *svc) { gd_store_close(svc->store); }

int gd_cli_actor(struct gd_svc *svc, const char *username, const char *opt, struct gd_arena *a,
                 struct gd_actor *actor, struct gd_err *err)
{
    struct gd_user u;
    struct gd_shop shop = {.active = true};
    int ret;

    if (!username) {
        return gd_err_field(err, GD_EINVAL, opt, "%s USERNAME (the acting user) is required", opt);
    }
    if ((ret = GD_STORE(svc->store, user_get_by_username, username, a, &u, err))) {
        return ret == GD_ENOTFOUND ? gd_err_field(err, ret, opt, "no user '%s'", username) : ret;
    }
    if (u.shop_id && (ret = GD_STORE(svc->store, shop_get, u.shop_id, a, &shop, err))) {
        return ret;
    }
    if (!u.active || !shop.active) {
        return gd_err_field(err, GD_EPERM, opt, "'%s' is deactivated%s", username,
                            u.active ? " (their shop is)" : "");
    }
    *actor = (struct gd_actor){.user_id = u.id,
                               .shop_id = u.shop_id,
                               .role = u.role,
                               .username = u.username,
                               .display_name = u.display_name};
    return GD_OK;
}

int gd_cli_fail(const struct gd_err *err)
{
    if (err->field[0]) {
        fprintf(stderr, "error: %s: %s\n", err->field, err->msg);
    } else {
        fprintf(stderr, "error: %s\n", err->msg);
    }
    return 1;
}

void gd_cli_progress(const char *label, long done, long total)
{
    static int tty = -1;
    if (tty < 0) {
        tty = isatty(2);
    }
    if (!tty) {
        return;
    }
    if (total > 0) {
        fprintf(stderr, "\r%s %ld/%ld (%ld%%)%s", label, done, total, done * 100 / total,
                done >= total ? "\n" : "");
    } else {
        fprintf(stderr, "\r%s %ld", label, done);
    }
}
