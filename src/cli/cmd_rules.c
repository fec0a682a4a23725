/* gongdan rules show|set: the platform rules from the shell. `set` stores a new version as the
 * platform admin would through PUT /api/v1/rules (same validation; fields the file leaves out
 * keep their current values). */
#include "base/id.h"
#include "cli/cli.h"

int gd_cmd_rules_show(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_rules_doc doc;
    struct gd_err err = {0};
    const char *v = gd_cli_opt(argc, argv, "--version");
    int64_t version = 0;
    int ret = 0;

    if (v && !(version = gd_id_parse(v))) {
        fprintf(stderr, "error: --version must be a positive number\n");
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (gd_svc_rules_get(&svc, version, &a, &doc, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("%s\n", doc.json);
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_rules_set(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_rules_doc doc;
    struct gd_err err = {0};
    struct gd_user admin;
    struct gd_actor actor = {.role = GD_ROLE_PLATFORM_ADMIN, .username = "cli"};
    FILE *f = NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int ret = 0;

    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: gongdan rules set FILE [--db URL]\n");
        return 2;
    }
    f = fopen(argv[0], "rb");
    if (!f) {
        fprintf(stderr, "error: cannot open '%s'\n", argv[0]);
        return 1;
    }
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > 16u * 1024 * 1024) {
                fprintf(stderr, "error: '%s' is larger than 16 MiB\n", argv[0]);
                ret = 1;
                goto out;
            }
            char *grown = realloc(text, cap);
            if (!grown) {
                ret = 1;
                goto out;
            }
            text = grown;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    if (gd_cli_open(argc - 1, argv + 1, false, &svc, &sh)) {
        ret = 1;
        goto out;
    }
    if (GD_STORE(svc.store, user_get_by_username, "admin", &a, &admin, NULL) == GD_OK) {
        actor.user_id = admin.id; /* recorded as the rules' author */
    }
    if (gd_svc_rules_put(&svc, &actor, text, len, &a, &doc, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("stored platform rules version %lld\n", (long long)doc.version);
    }
    gd_cli_close(&svc);
out:
    if (f) {
        fclose(f);
    }
    free(text);
    gd_arena_release(&a);
    return ret;
}
