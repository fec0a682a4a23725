/* Admin commands: init, shop add, user add, token create, orders import. */
#include <sys/stat.h>
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "cli/cli.h"

int gd_cmd_init(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user u;
    int64_t id;
    const char *pw = gd_cli_opt(argc, argv, "--admin-password");
    const char *db = gd_cli_db(argc, argv);

    if (strncmp(db, "sqlite:", 7) == 0) {
        /* create the folder of the database file */
        char dir[1024];
        snprintf(dir, sizeof(dir), "%s", db + 7);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = 0;
            mkdir(dir, 0755);
        }
    }
    if (gd_cli_open(argc, argv, true, &svc, &sh)) {
        return 1;
    }
    int ret = 0;
    if (GD_STORE(svc.store, user_get_by_username, "admin", &a, &u, NULL) == GD_OK) {
        printf("database ready; platform admin 'admin' exists\n");
    } else if (gd_svc_user_add(&svc, 0, "admin", "平台管理员", GD_ROLE_PLATFORM_ADMIN,
                               pw ? pw : "admin-password", &id, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("database ready; platform admin created\n");
        printf("login: platform_admin - admin %s\n", pw ? pw : "admin-password");
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_shop_add(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    int64_t id;

    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: gongdan shop add NAME [--db URL]\n");
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    int ret = gd_svc_shop_add(&svc, argv[0], &id, &err) ? gd_cli_fail(&err) : 0;
    if (!ret) {
        printf("shop %lld %s\n", (long long)id, argv[0]);
    }
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_user_add(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop = {0};
    int64_t id;
    const char *role = gd_cli_opt(argc, argv, "--role");
    const char *shop_name = gd_cli_opt(argc, argv, "--shop");
    const char *name = gd_cli_opt(argc, argv, "--name");
    const char *pw = gd_cli_opt(argc, argv, "--password");

    if (argc < 1 || argv[0][0] == '-' || !role || !pw) {
        fprintf(stderr, "usage: gongdan user add USERNAME --role ROLE [--shop NAME] "
                        "[--name DISPLAY] --password PW [--db URL]\n");
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    int ret = 0;
    if (shop_name && GD_STORE(svc.store, shop_get_by_name, shop_name, &a, &shop, &err)) {
        ret = gd_cli_fail(&err);
    } else if (gd_svc_user_add(&svc, shop.id, argv[0], name ? name : argv[0], gd_role_parse(role),
                               pw, &id, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("user %lld %s\n", (long long)id, argv[0]);
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_token_create(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user u;
    char token[64];
    const char *label = gd_cli_opt(argc, argv, "--name");

    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: gongdan token create USERNAME [--name LABEL] [--db URL]\n");
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    int ret = 0;
    if (GD_STORE(svc.store, user_get_by_username, argv[0], &a, &u, &err) ||
        gd_svc_token_create(&svc, u.id, label ? label : "cli", token, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("%s\n", token);
        fprintf(stderr, "the token is shown once; it is stored only as a hash\n");
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

static void import_progress(int done, int total) { gd_cli_progress("importing rows", done, total); }

int gd_cmd_orders_import(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop;
    struct gd_import_report *rep = xcalloc(1, sizeof(*rep));
    const char *shop_name = gd_cli_opt(argc, argv, "--shop");
    char *text = NULL;
    size_t len = 0;
    int ret = 0;

    if (argc < 1 || argv[0][0] == '-' || !shop_name) {
        fprintf(stderr, "usage: gongdan orders import FILE --shop NAME [--db URL]\n");
        free(rep);
        return 2;
    }
    FILE *f = fopen(argv[0], "rb");
    if (!f) {
        fprintf(stderr, "error: cannot open '%s'\n", argv[0]);
        free(rep);
        return 1;
    }
    struct gd_strbuf sb = GD_STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        gd_strbuf_add(&sb, buf, n);
    }
    fclose(f);
    text = gd_strbuf_detach(&sb, &len);
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        free(text);
        free(rep);
        return 1;
    }
    if (GD_STORE(svc.store, shop_get_by_name, shop_name, &a, &shop, &err) ||
        gd_svc_orders_import_csv(&svc, shop.id, text, len, rep, import_progress, &err)) {
        if (rep->stopped_at_line) {
            /* the chunks before it are stored: say which lines to import again */
            fprintf(stderr,
                    "the import stopped at line %d: the %d rows before it are stored, "
                    "nothing from line %d on\n",
                    rep->stopped_at_line, rep->stored, rep->stopped_at_line);
        }
        ret = gd_cli_fail(&err);
    } else {
        printf("rows %d, stored %d, rejected %d\n", rep->rows, rep->stored, rep->rejected);
        int shown = rep->rejected < 100 ? rep->rejected : 100;
        for (int i = 0; i < shown; i++) {
            printf("line %d: %s\n", rep->errors[i].line, rep->errors[i].reason);
        }
        ret = rep->rejected ? 3 : 0;
    }
    free(text);
    free(rep);
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}
