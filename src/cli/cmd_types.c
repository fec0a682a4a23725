/* gongdan types list|add|retire|restore|field-add: a shop's own work order types and their
 * custom fields from the shell, acting as one of its users (docs/types.md; the same rules as
 * GET/POST/PATCH /api/v1/workorder_types: any user of the shop lists, owners and leads change). */
#include <jansson.h>
#include "base/id.h"
#include "cli/cli.h"

/* The shop user --user names, on an open service; prints the error when there is none. */
static int open_as(int argc, char **argv, struct gd_svc *svc, struct gd_svc_shared *sh,
                   struct gd_arena *a, struct gd_actor *actor)
{
    struct gd_err err = {0};
    if (gd_cli_open(argc, argv, false, svc, sh)) {
        return 1;
    }
    if (gd_cli_actor(svc, gd_cli_opt(argc, argv, "--user"), "--user", a, actor, &err)) {
        gd_cli_close(svc);
        return gd_cli_fail(&err);
    }
    return 0;
}

/* A type's key as given on the command line (x-1000): a shop type's code, else 0. */
static int shop_type_code(const char *key)
{
    int code = key ? gd_type_parse(key) : -1;
    return code >= 0 && gd_type_is_shop(code) ? code : 0;
}

/* A username given for a user of the actor's shop, as its id (`opt` names it in the error). */
static int user_id_of(struct gd_svc *svc, const char *username, const char *opt, struct gd_arena *a,
                      int64_t *id, struct gd_err *err)
{
    struct gd_user u;
    int ret = GD_STORE(svc->store, user_get_by_username, username, a, &u, err);
    if (ret == GD_ENOTFOUND) {
        return gd_err_field(err, ret, opt, "no user '%s'", username);
    }
    *id = u.id;
    return ret;
}

int gd_cmd_types_list(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    struct gd_shop_type *types;
    struct gd_shop_field *fields;
    int ntypes, nfields, ret = 0;

    if (open_as(argc, argv, &svc, &sh, &a, &actor)) {
        return 1;
    }
    if (gd_svc_wo_types_list(&svc, &actor, &a, &types, &ntypes, &fields, &nfields, &err)) {
        ret = gd_cli_fail(&err);
        goto out;
    }
    /* one tab-separated line per type, then one per field of it (indented by a tab), in the
     * order the workbench shows them: fields by position (the store lists them so) */
    for (int i = 0; i < ntypes; i++) {
        const struct gd_shop_type *t = &types[i];
        struct gd_user h = {0};
        if (t->handler_id && GD_STORE(svc.store, user_get, t->handler_id, &a, &h, &err) != GD_OK) {
            h.username = "?";
        }
        printf("%s\t%s\t%s\t%s\tdeadline=%lldh\thandler=%s\tcolor=%s\n", gd_type_name(t->code),
               t->retired ? "retired" : "active", t->name_zh, t->name_en,
               (long long)(t->deadline_ms / 3600000), t->handler_id ? h.username : "-", t->color);
        for (int j = 0; j < nfields; j++) {
            const struct gd_shop_field *f = &fields[j];
            if (f->type_code != t->code) {
                continue;
            }
            printf("\t%s\t%s\t%s\t%s\t%s\t%s%s%s\n", f->key, gd_field_kind_name(f->kind),
                   f->label_zh, f->label_en, f->retired ? "retired" : "active",
                   f->required ? "required" : "optional",
                   gd_field_kind_has_options(f->kind) ? "\toptions=" : "",
                   gd_field_kind_has_options(f->kind) ? f->options : "");
        }
    }
out:
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_types_add(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    struct gd_shop_type t;
    const char *hours = gd_cli_opt(argc, argv, "--deadline-hours");
    const char *handler = gd_cli_opt(argc, argv, "--handler");
    struct gd_shop_type_input in = {.name_zh = gd_cli_opt(argc, argv, "--name-zh"),
                                    .name_en = gd_cli_opt(argc, argv, "--name-en"),
                                    .color = gd_cli_opt(argc, argv, "--color"),
                                    .retired = -1};
    int ret = 0;

    if (hours) {
        char *end;
        in.has_deadline = true;
        in.deadline_hours = strtoll(hours, &end, 10);
        if (end == hours || *end) {
            fprintf(stderr, "error: --deadline-hours must be a whole number of hours\n");
            return 2;
        }
    }
    if (open_as(argc, argv, &svc, &sh, &a, &actor)) {
        return 1;
    }
    in.has_handler = handler != NULL;
    if ((handler && user_id_of(&svc, handler, "--handler", &a, &in.handler_id, &err)) ||
        gd_svc_wo_type_create(&svc, &actor, &in, &a, &t, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("%s\n", gd_type_name(t.code));
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

/* types retire|restore KEY [--field FIELD]: a type, or one of its fields, retired or back. */
static int set_retired(int argc, char **argv, bool retired)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    const char *field = gd_cli_opt(argc, argv, "--field");
    int code = argc >= 1 ? shop_type_code(argv[0]) : 0, ret = 0;

    if (!code) {
        fprintf(stderr,
                "usage: gongdan types %s KEY --user USERNAME [--field FIELD] [--db URL]"
                "   (KEY: a shop type's, x-1000 ...)\n",
                retired ? "retire" : "restore");
        return 2;
    }
    if (open_as(argc, argv, &svc, &sh, &a, &actor)) {
        return 1;
    }
    if (field) {
        struct gd_shop_field_input in = {.kind = -1, .required = -1, .retired = retired ? 1 : 0};
        struct gd_shop_field f;
        ret = gd_svc_wo_field_update(&svc, &actor, code, field, &in, &a, &f, &err);
    } else {
        struct gd_shop_type_input in = {.retired = retired ? 1 : 0};
        struct gd_shop_type t;
        ret = gd_svc_wo_type_update(&svc, &actor, code, &in, &a, &t, &err);
    }
    if (ret) {
        ret = gd_cli_fail(&err);
    } else {
        printf("%s%s%s %s\n", argv[0], field ? " field " : "", field ? field : "",
               retired ? "retired" : "restored");
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_types_retire(int argc, char **argv) { return set_retired(argc, argv, true); }
int gd_cmd_types_restore(int argc, char **argv) { return set_retired(argc, argv, false); }

/* --options: a JSON array as it is, or texts separated by commas made into one. */
static const char *options_json(const char *opt, struct gd_arena *a)
{
    if (!opt || opt[0] == '[') {
        return opt;
    }
    json_t *arr = json_array();
    char *copy = gd_arena_strdup(a, opt);
    for (char *save = NULL, *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
        json_array_append_new(arr, json_string(o));
    }
    char *s = json_dumps(arr, JSON_COMPACT);
    const char *out = gd_arena_strdup(a, s ? s : "[]");
    free(s);
    json_decref(arr);
    return out;
}

int gd_cmd_types_field_add(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    struct gd_shop_field f;
    const char *kind = gd_cli_opt(argc, argv, "--kind");
    int code = argc >= 1 ? shop_type_code(argv[0]) : 0, ret = 0;
    char kinds[200];

    if (!code) {
        fprintf(stderr, "usage: gongdan types field-add KEY --user USERNAME --key FIELD --kind "
                        "KIND --label-zh TEXT --label-en TEXT [--required] [--options A,B,...] "
                        "[--db URL]   (KEY: a shop type's, x-1000 ...)\n");
        return 2;
    }
    struct gd_shop_field_input in = {.key = gd_cli_opt(argc, argv, "--key"),
                                     .label_zh = gd_cli_opt(argc, argv, "--label-zh"),
                                     .label_en = gd_cli_opt(argc, argv, "--label-en"),
                                     .kind = kind ? gd_field_kind_parse(kind) : -1,
                                     .required = gd_cli_flag(argc, argv, "--required"),
                                     .retired = -1};
    if (in.kind < 0) {
        fprintf(stderr, "error: --kind must be one of %s\n",
                gd_field_kind_list(kinds, sizeof(kinds)));
        return 2;
    }
    if (open_as(argc, argv, &svc, &sh, &a, &actor)) {
        return 1;
    }
    in.options = options_json(gd_cli_opt(argc, argv, "--options"), &a);
    if (gd_svc_wo_field_create(&svc, &actor, code, &in, &a, &f, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("%s field %s\n", argv[0], f.key);
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}
