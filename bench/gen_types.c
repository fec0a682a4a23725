/* Benchmark data for custom field filters (docs/types.md): on a database bench_gen_center made,
 * shop 1 (压测店铺001) gets a type of its own with a single choice field "grade" of 10 options,
 * and every work order of the shop becomes one of that type holding a grade (the grades turn in
 * order, so each is held by a tenth of the shop's work orders), written through the store:
 * the row, its fields and the index of their values, as a create or an edit writes them.
 * usage: bench_gen_types DB
 * Prints "type KEY", "field grade", "value G0" and "rows N" (the shop's work orders). */
#include <stdlib.h>
#include "base/clock.h"
#include "base/id.h"
#include "store/store.h"

#define GRADES 10
#define PAGE 200

int main(int argc, char **argv)
{
    struct gd_store *st;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop;
    char url[600];
    int64_t now = gd_clock_now_ms(), rows = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_gen_types DB\n");
        return 2;
    }
    snprintf(url, sizeof(url), strstr(argv[1], "://") ? "%s" : "sqlite:%s", argv[1]);
    if (gd_store_open(url, true, &st, &err) ||
        GD_STORE(st, shop_get_by_name, "压测店铺001", &a, &shop, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    struct gd_shop_type t = {.shop_id = shop.id,
                             .name_zh = "质检",
                             .name_en = "Quality check",
                             .color = "#1677ff",
                             .created_at = now,
                             .updated_at = now};
    struct gd_shop_field f = {.id = gd_id_new(),
                              .shop_id = shop.id,
                              .key = "grade",
                              .label_zh = "等级",
                              .label_en = "Grade",
                              .kind = GD_FIELD_CHOICE,
                              .options = "[\"G0\",\"G1\",\"G2\",\"G3\",\"G4\",\"G5\",\"G6\",\"G7\","
                                         "\"G8\",\"G9\"]",
                              .created_at = now,
                              .updated_at = now};
    if (GD_STORE(st, begin, shop.id, &err) || GD_STORE(st, wo_type_insert, &t, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    f.type_code = t.code;
    if (GD_STORE(st, wo_field_insert, &f, &err) || GD_STORE(st, commit, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    /* the shop's work orders in id order, a page per transaction */
    struct gd_wo_filter q = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = PAGE};
    for (;;) {
        struct gd_workorder *wos;
        int n;
        gd_arena_release(&a);
        if (GD_STORE(st, workorders_list, shop.id, &q, &a, &wos, &n, &err) ||
            GD_STORE(st, begin, shop.id, &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct gd_workorder w = wos[i];
            char grade[4];
            snprintf(grade, sizeof(grade), "G%d", (int)(rows++ % GRADES));
            struct gd_field_value v = {f.id, grade};
            w.type = t.code;
            w.fields = gd_arena_printf(&a, "{\"grade\":\"%s\"}", grade);
            w.version = wos[i].version + 1;
            if (GD_STORE(st, workorder_update, &w, wos[i].version, &err) ||
                GD_STORE(st, wo_field_values_set, shop.id, w.id, &v, 1, &err)) {
                fprintf(stderr, "error: %s\n", err.msg);
                return 1;
            }
        }
        if (GD_STORE(st, commit, &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            return 1;
        }
        if (n < PAGE) {
            break;
        }
        q.has_cursor = true;
        q.cursor_key = q.cursor_id = wos[n - 1].id;
    }
    printf("type %s\nfield grade\nvalue G0\nrows %lld\n", gd_type_name(t.code), (long long)rows);
    gd_arena_release(&a);
    gd_store_close(st);
    return 0;
}
