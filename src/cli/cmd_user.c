/* gongdan user deactivate|reactivate|reset-password: a manager's changes to a user from the
 * shell, acting as the manager named by --by through the service functions of PATCH
 * /api/v1/users/{id} and POST /api/v1/users/{id}/password, so the same rules (docs/people.md,
 * permissions.md) and audit events apply. */
#include "base/secret.h"
#include "cli/cli.h"

#define ONE_TIME_PW_LEN 12

enum user_op { OP_DEACTIVATE, OP_REACTIVATE, OP_RESET };

static const char *const usage_of[] = {
    [OP_DEACTIVATE] = "user deactivate USERNAME --by MANAGER [--db URL]",
    [OP_REACTIVATE] = "user reactivate USERNAME --by MANAGER [--db URL]",
    [OP_RESET] = "user reset-password USERNAME --by MANAGER [--password PW] [--db URL]",
};

static int user_op(int argc, char **argv, enum user_op op)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor by;
    struct gd_user target, out;
    const char *by_name = gd_cli_opt(argc, argv, "--by");
    const char *pw = gd_cli_opt(argc, argv, "--password");
    char token[GD_TOKEN_LEN];
    int ret = 0;

    if (argc < 1 || argv[0][0] == '-' || !by_name) {
        fprintf(stderr, "usage: gongdan %s\n", usage_of[op]);
        return 2;
    }
    if (op == OP_RESET && !pw) { /* a fresh one, shown once below */
        gd_secret_token(token);
        token[ONE_TIME_PW_LEN] = 0;
        pw = token;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (gd_cli_actor(&svc, by_name, "--by", &a, &by, &err)) {
        ret = gd_cli_fail(&err);
    } else if (GD_STORE(svc.store, user_get_by_username, argv[0], &a, &target, &err)) {
        gd_err_field(&err, err.code, "USERNAME", "no user '%s'", argv[0]);
        ret = gd_cli_fail(&err);
    } else if (op == OP_RESET) {
        if (gd_svc_user_reset_password(&svc, &by, target.id, pw, &err)) {
            ret = gd_cli_fail(&err);
        } else {
            printf("password %s\n", pw);
            fprintf(stderr,
                    "%s signs in with it once and must then set their own; every "
                    "session and token of theirs has ended\n",
                    argv[0]);
        }
    } else {
        const struct gd_user_change c = {.role = -1, .active = op == OP_REACTIVATE};
        if (gd_svc_user_change(&svc, &by, target.id, &c, &a, &out, &err)) {
            ret = gd_cli_fail(&err);
        } else if (op == OP_DEACTIVATE) {
            printf("user %s deactivated\n", argv[0]);
            fprintf(stderr, "their sessions and tokens have ended; their open work orders are "
                            "in 待重新分配 (view=reassign)\n");
        } else {
            printf("user %s reactivated\n", argv[0]);
        }
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_user_deactivate(int argc, char **argv) { return user_op(argc, argv, OP_DEACTIVATE); }

int gd_cmd_user_reactivate(int argc, char **argv) { return user_op(argc, argv, OP_REACTIVATE); }

int gd_cmd_user_reset_password(int argc, char **argv) { return user_op(argc, argv, OP_RESET); }
