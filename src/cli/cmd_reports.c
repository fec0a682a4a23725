/* gongdan stats and gongdan export: the team statistics and the work order export from the
 * shell, through the same services as the API (docs/reports.md). */
#include <strings.h>
#include "base/clock.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "export/columns.h"

static int parse_day(const char *s, int64_t *out)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        m < 1 || m > 12 || d < 1 || d > 31) {
        return -1;
    }
    *out = gd_days_from_civil(y, m, d);
    return 0;
}

static void json_rate(const char *key, int64_t num, int64_t den)
{
    if (den > 0) {
        printf(",\"%s\":%.6g", key, (double)num / (double)den);
    } else {
        printf(",\"%s\":null", key);
    }
}

static void json_secs(const char *key, int64_t s)
{
    if (s >= 0) {
        printf(",\"%s\":%lld", key, (long long)s);
    } else {
        printf(",\"%s\":null", key);
    }
}

static void json_figures(const struct gd_stats_figures *f)
{
    const struct gd_stats_counts *n = &f->n;
    printf("\"created\":%lld,\"done\":%lld,\"open\":%lld,\"overdue\":%lld,\"transferred\":%lld",
           (long long)n->created, (long long)n->done, (long long)n->open, (long long)n->overdue,
           (long long)n->transferred);
    json_secs("first_action_p50_s", f->fa_p50);
    json_secs("first_action_p90_s", f->fa_p90);
    json_secs("done_p50_s", f->done_p50);
    json_secs("done_p90_s", f->done_p90);
    json_rate("within_deadline_rate", n->within, n->done);
    printf(",\"collab\":{\"count\":%lld", (long long)n->collab);
    json_rate("reply_within_window_rate", n->replied, n->settled);
    json_rate("intervention_rate", n->intervened, n->collab);
    json_rate("judged_against_rate", n->against, n->judged);
    json_rate("appeal_success_rate", n->overturned, n->appeals);
    printf("}");
}

static void print_json_str(const char *s)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    gd_strbuf_add_json_str(&sb, s);
    fputs(sb.buf, stdout);
    gd_strbuf_release(&sb);
}

/* A duration as hours with one decimal, or "-". */
static const char *hours(int64_t s, char *buf, size_t n)
{
    if (s < 0) {
        return "-";
    }
    snprintf(buf, n, "%.1fh", (double)s / 3600.0);
    return buf;
}

static const char *pct(int64_t num, int64_t den, char *buf, size_t n)
{
    if (den <= 0) {
        return "-";
    }
    snprintf(buf, n, "%.1f%%", 100.0 * (double)num / (double)den);
    return buf;
}

/* The first column, padded by the columns it takes on a terminal (a 汉字 takes two), not by its
 * bytes, so Chinese names line up with the figures after them. */
#define LABEL_COLS 20

static void print_label(const char *label)
{
    size_t w = gd_utf8_width(label);
    fputs(label, stdout);
    for (size_t i = w; i < LABEL_COLS; i++) {
        putchar(' ');
    }
}

static void table_row(const char *label, const struct gd_stats_figures *f)
{
    char b[6][32];
    const struct gd_stats_counts *n = &f->n;
    print_label(label);
    printf(" %8lld %8lld %8lld %8lld %8lld %9s %9s %9s %9s %8s\n", (long long)n->created,
           (long long)n->done, (long long)n->open, (long long)n->overdue, (long long)n->transferred,
           hours(f->fa_p50, b[0], 32), hours(f->fa_p90, b[1], 32), hours(f->done_p50, b[2], 32),
           hours(f->done_p90, b[3], 32), pct(n->within, n->done, b[4], 32));
}

static void rebuild_progress(long done, long total) { gd_cli_progress("rebuilding", done, total); }

static int stats_rebuild(int argc, char **argv, struct gd_svc *svc, struct gd_arena *a)
{
    struct gd_err err = {0};
    struct gd_shop shop;
    const char *name = gd_cli_opt(argc, argv, "--shop");
    int64_t n;

    if (!name) {
        fprintf(stderr, "usage: gongdan stats rebuild --shop NAME [--db URL]\n");
        return 2;
    }
    if (GD_STORE(svc->store, shop_get_by_name, name, a, &shop, &err) ||
        gd_svc_stats_rebuild(svc, shop.id, rebuild_progress, &n, &err)) {
        return gd_cli_fail(&err);
    }
    printf("rebuilt the statistics of %s from %lld work orders\n", shop.name, (long long)n);
    return 0;
}

int gd_cmd_stats(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop = {.tz_offset_min = GD_TZ_DEFAULT_MIN};
    struct gd_stats_query q = {.type = -1, .handler_id = -1};
    struct gd_stats_result res;
    struct gd_actor admin = {.role = GD_ROLE_PLATFORM_ADMIN, .username = "cli"};
    const char *name = gd_cli_opt(argc, argv, "--shop"), *group = gd_cli_opt(argc, argv, "--group");
    const char *type = gd_cli_opt(argc, argv, "--type");
    int ret = 0;

    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (argc >= 1 && strcmp(argv[0], "rebuild") == 0) {
        ret = stats_rebuild(argc, argv, &svc, &a);
        goto out;
    }
    if (name && GD_STORE(svc.store, shop_get_by_name, name, &a, &shop, &err)) {
        ret = gd_cli_fail(&err);
        goto out;
    }
    q.shop_id = name ? shop.id : 0;
    q.day_to = gd_stats_day(gd_clock_now_ms(), shop.tz_offset_min);
    if ((gd_cli_opt(argc, argv, "--to") && parse_day(gd_cli_opt(argc, argv, "--to"), &q.day_to))) {
        fprintf(stderr, "error: --to must be a date such as 2026-01-02\n");
        ret = 2;
        goto out;
    }
    q.day_from = q.day_to - 29;
    if (gd_cli_opt(argc, argv, "--from") &&
        parse_day(gd_cli_opt(argc, argv, "--from"), &q.day_from)) {
        fprintf(stderr, "error: --from must be a date such as 2026-01-02\n");
        ret = 2;
        goto out;
    }
    q.group = !group || strcmp(group, "type") == 0 ? GD_STATS_BY_TYPE
              : strcmp(group, "handler") == 0      ? GD_STATS_BY_HANDLER
              : strcmp(group, "day") == 0          ? GD_STATS_BY_DAY
                                                   : -1;
    if (q.group < 0 || (type && (q.type = gd_type_parse(type)) < 0)) {
        fprintf(stderr, "usage: gongdan stats [--shop NAME] [--from DATE] [--to DATE] "
                        "[--group type|handler|day] [--type TYPE] [--json] [--db URL]\n");
        ret = 2;
        goto out;
    }
    if (gd_svc_stats(&svc, &admin, &q, &a, &res, &err)) {
        ret = gd_cli_fail(&err);
        goto out;
    }
    if (gd_cli_flag(argc, argv, "--json")) {
        printf("{\"groups\":[");
        for (int i = 0; i < res.ngroups; i++) {
            printf("%s{\"key\":", i ? "," : "");
            print_json_str(res.groups[i].key);
            printf(",\"label\":");
            print_json_str(res.groups[i].label);
            printf(",");
            json_figures(&res.groups[i].f);
            printf("}");
        }
        printf("],\"totals\":{");
        json_figures(&res.totals);
        printf("},\"orders\":%lld", (long long)res.orders);
        json_rate("dispute_rate", res.totals.n.disputes, res.orders);
        printf("}\n");
        goto out;
    }
    print_label("group");
    printf(" %8s %8s %8s %8s %8s %9s %9s %9s %9s %8s\n", "created", "done", "open", "overdue",
           "transfer", "first p50", "first p90", "done p50", "done p90", "on time");
    for (int i = 0; i < res.ngroups; i++) {
        table_row(res.groups[i].label, &res.groups[i].f); /* 咨询, 张三, 2026-01-02 */
    }
    table_row("total", &res.totals);
    {
        char b[5][32];
        const struct gd_stats_counts *n = &res.totals.n;
        printf("collaborative: %lld, reply within window %s, intervention %s, judged against %s, "
               "appeal success %s; dispute rate %s (%lld orders)\n",
               (long long)n->collab, pct(n->replied, n->settled, b[0], 32),
               pct(n->intervened, n->collab, b[1], 32), pct(n->against, n->judged, b[2], 32),
               pct(n->overturned, n->appeals, b[3], 32), pct(n->disputes, res.orders, b[4], 32),
               (long long)res.orders);
    }
out:
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}

static void export_progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    gd_cli_progress("exporting", (long)done, (long)total);
}

static int time_opt(int argc, char **argv, const char *name, int64_t *out)
{
    const char *s = gd_cli_opt(argc, argv, name);
    *out = 0;
    if (s && !gd_time_parse(s, GD_TZ_DEFAULT_MIN, out)) {
        fprintf(stderr, "error: %s must be a date or an RFC 3339 time\n", name);
        return -1;
    }
    return 0;
}

/* The format an --out name asks for by its extension: "csv", "xlsx", or NULL for any other. */
static const char *format_of_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) {
        return NULL;
    }
    return strcasecmp(dot, ".csv") == 0 ? "csv" : strcasecmp(dot, ".xlsx") == 0 ? "xlsx" : NULL;
}

int gd_cmd_export(int argc, char **argv)
{
    struct gd_svc svc;
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop;
    struct gd_user u;
    struct gd_actor actor;
    struct gd_export_params p = {.filter = {.view = -1, .type = -1, .state = -1}};
    const char *name = gd_cli_opt(argc, argv, "--shop"), *user = gd_cli_opt(argc, argv, "--user");
    const char *format = gd_cli_opt(argc, argv, "--format"), *out = gd_cli_opt(argc, argv, "--out");
    const char *headers = gd_cli_opt(argc, argv, "--headers"), *s;
    int64_t rows = 0;
    int ret = 0;

    if (!name || !user || !out || (format && strcmp(format, "csv") && strcmp(format, "xlsx")) ||
        (headers && strcmp(headers, "zh") && strcmp(headers, "en"))) {
        fprintf(stderr, "usage: gongdan export --shop NAME --user USERNAME --out FILE [--format "
                        "csv|xlsx] [--headers zh|en] [--view VIEW] [--type T] [--state S] "
                        "[--order-no N] [--buyer B] [--q TEXT] [--created-from T] [--created-to "
                        "T] [--deadline-from T] [--deadline-to T] [--db URL]\n");
        return 2;
    }
    /* The file's name and its contents agree: without --format the extension decides (CSV for any
     * other name), and a --format that contradicts a .csv/.xlsx name is refused, since a spreadsheet
     * program would open such a file wrongly or not at all. */
    if (!format) {
        format = format_of_name(out) ? format_of_name(out) : "csv";
    } else if (format_of_name(out) && strcmp(format_of_name(out), format) != 0) {
        fprintf(stderr,
                "error: --format %s does not match the file name %s (a .%s file); "
                "change one of them\n",
                format, out, format_of_name(out));
        return 2;
    }
    p.format = strcmp(format, "xlsx") == 0;
    p.lang = headers && strcmp(headers, "en") == 0 ? GD_LANG_EN : GD_LANG_ZH;
    if (((s = gd_cli_opt(argc, argv, "--view")) && (p.filter.view = gd_view_parse(s)) < 0) ||
        ((s = gd_cli_opt(argc, argv, "--type")) && (p.filter.type = gd_type_parse(s)) < 0) ||
        ((s = gd_cli_opt(argc, argv, "--state")) && (p.filter.state = gd_state_parse(s)) < 0)) {
        fprintf(stderr, "error: unknown view, type or state '%s'\n", s);
        return 2;
    }
    p.filter.order_no = gd_cli_opt(argc, argv, "--order-no");
    p.filter.buyer = gd_cli_opt(argc, argv, "--buyer");
    p.filter.q = gd_cli_opt(argc, argv, "--q");
    if (time_opt(argc, argv, "--created-from", &p.filter.created_from) ||
        time_opt(argc, argv, "--created-to", &p.filter.created_to) ||
        time_opt(argc, argv, "--deadline-from", &p.filter.deadline_from) ||
        time_opt(argc, argv, "--deadline-to", &p.filter.deadline_to)) {
        return 2;
    }
    if (gd_cli_open(argc, argv, false, &svc, &sh)) {
        return 1;
    }
    if (GD_STORE(svc.store, shop_get_by_name, name, &a, &shop, &err) ||
        GD_STORE(svc.store, user_get_by_username, user, &a, &u, &err)) {
        ret = gd_cli_fail(&err);
        goto out;
    }
    if (u.shop_id != shop.id) {
        fprintf(stderr, "error: %s is not a user of %s\n", user, name);
        ret = 1;
        goto out;
    }
    actor = (struct gd_actor){.user_id = u.id,
                              .shop_id = u.shop_id,
                              .role = u.role,
                              .username = u.username,
                              .display_name = u.display_name};
    if (gd_svc_export_write(&svc, &actor, &p, out, export_progress, NULL, &rows, &err)) {
        ret = gd_cli_fail(&err);
        goto out;
    }
    fprintf(stderr, "exported %lld work orders to %s\n", (long long)rows, out);
out:
    gd_arena_release(&a);
    gd_cli_close(&svc);
    return ret;
}
