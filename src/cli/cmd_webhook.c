/* gongdan webhook add|list: a shop's webhook endpoints from the shell, acting as one of its
 * owners or leads (the same rules as POST/GET /api/v1/webhooks). */
#include "base/timefmt.h"
#include "cli/cli.h"

int gd_cmd_webhook_add(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    struct gd_webhook w;
    const char *list = gd_cli_opt(argc, argv, "--events"), *kinds[32];
    char *copy = NULL;
    int ret = 0, nkinds = 0;

    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: gongdan webhook add URL --user USERNAME [--description TEXT] "
                        "[--events KIND,KIND...] [--db URL]\n");
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (list) { /* "noted,transferred" */
        copy = gd_arena_strdup(&a, list);
        for (char *save = NULL, *k = strtok_r(copy, ",", &save); k && nkinds < 32;
             k = strtok_r(NULL, ",", &save)) {
            kinds[nkinds++] = k;
        }
    }
    if (gd_cli_actor(&svc, gd_cli_opt(argc, argv, "--user"), "--user", &a, &actor, &err) ||
        gd_svc_webhook_create(&svc, &actor, argv[0], gd_cli_opt(argc, argv, "--description"), kinds,
                              nkinds, NULL, NULL, NULL, &a, &w, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        printf("id %lld\nsecret %s\n", (long long)w.id, w.secret);
        fprintf(stderr, "the secret is shown once; deliveries are signed with it "
                        "(docs/webhooks.md)\n");
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

int gd_cmd_webhook_list(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    struct gd_webhook *hooks;
    int n, ret = 0;

    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (gd_cli_actor(&svc, gd_cli_opt(argc, argv, "--user"), "--user", &a, &actor, &err) ||
        gd_svc_webhooks_list(&svc, &actor, &a, &hooks, &n, &err)) {
        ret = gd_cli_fail(&err);
    } else {
        for (int i = 0; i < n; i++) {
            char at[40] = "-";
            if (hooks[i].last_attempt_at) {
                gd_time_format(hooks[i].last_attempt_at, GD_TZ_DEFAULT_MIN, at, sizeof(at));
            }
            printf("%lld %s events=%s delivered=%lld pending=%lld failures=%d last=%s status=%d"
                   "%s%s\n",
                   (long long)hooks[i].id, hooks[i].url, *hooks[i].events ? hooks[i].events : "all",
                   (long long)hooks[i].delivered, (long long)hooks[i].pending, hooks[i].failures,
                   at, hooks[i].last_status, *hooks[i].last_error ? " error=" : "",
                   hooks[i].last_error);
        }
    }
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}
