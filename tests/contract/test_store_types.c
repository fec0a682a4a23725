/* Store contract: work order types and custom fields a shop defines (docs/types.md). A shop's
 * types are numbered from GD_TYPE_SHOP_FIRST in its own sequence; lists, reads and changes
 * reach only the shop named; a field key is unique in the shop; a work order's field values are
 * replaced whole and a list's field filter finds exactly the work orders holding the value. */
#include "harness.h"

static struct gd_shop_type new_type(int64_t shop_id, const char *name)
{
    struct gd_shop_type t = {.shop_id = shop_id,
                             .name_zh = name,
                             .name_en = "Type",
                             .deadline_ms = 3600000,
                             .color = "#1677ff",
                             .created_at = 5,
                             .updated_at = 5};
    CHECK_EQ_INT(GD_STORE(st, wo_type_insert, &t, NULL), GD_OK);
    return t;
}

static struct gd_shop_field new_field(int64_t shop_id, int code, const char *key, int kind,
                                      int position)
{
    struct gd_shop_field f = {.id = gd_id_new(),
                              .shop_id = shop_id,
                              .type_code = code,
                              .key = key,
                              .label_zh = "标签",
                              .label_en = "Label",
                              .kind = kind,
                              .options = kind == GD_FIELD_MULTI ? "[\"甲\",\"乙\"]" : "[]",
                              .position = position,
                              .created_at = 7,
                              .updated_at = 7};
    CHECK_EQ_INT(GD_STORE(st, wo_field_insert, &f, NULL), GD_OK);
    return f;
}

static void types(void)
{
    int64_t s1 = shop("ty-1"), s2 = shop("ty-2");
    int64_t lead = user(s1, "ty-lead", GD_ROLE_SHOP_LEAD);
    struct gd_shop_type *list, got;
    int n = -1;

    CHECK_EQ_INT(GD_STORE(st, wo_types_list, s1, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    struct gd_shop_type t1 = new_type(s1, "质检"), t2 = new_type(s1, "返修");
    struct gd_shop_type other = new_type(s2, "别店");
    CHECK_EQ_INT(t1.code, GD_TYPE_SHOP_FIRST);
    CHECK_EQ_INT(t2.code, GD_TYPE_SHOP_FIRST + 1);
    CHECK_EQ_INT(other.code, GD_TYPE_SHOP_FIRST); /* each shop numbers its own */

    CHECK_EQ_INT(GD_STORE(st, wo_types_list, s1, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(list[0].name_zh, "质检");
    CHECK_EQ_INT(list[0].deadline_ms, 3600000);
    CHECK_EQ_INT(list[0].handler_id, 0);
    CHECK_EQ_STR(list[1].name_zh, "返修");

    t1.name_en = "Quality";
    t1.handler_id = lead;
    t1.retired = true;
    t1.updated_at = 9;
    CHECK_EQ_INT(GD_STORE(st, wo_type_update, &t1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, wo_type_get, s1, t1.code, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.name_en, "Quality");
    CHECK_EQ_INT(got.handler_id, lead);
    CHECK(got.retired);
    CHECK_EQ_INT(got.created_at, 5);
    CHECK_EQ_INT(got.updated_at, 9);
    /* another shop's type of the same code is another row */
    CHECK_EQ_INT(GD_STORE(st, wo_type_get, s2, t1.code, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.name_zh, "别店");
    CHECK_EQ_INT(GD_STORE(st, wo_type_get, s2, t2.code, &a, &got, NULL), GD_ENOTFOUND);
    struct gd_shop_type stray = t2;
    stray.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, wo_type_update, &stray, NULL), GD_ENOTFOUND);

    /* fields: by type, position, id; a key is the shop's once */
    struct gd_shop_field grade = new_field(s1, t1.code, "grade", GD_FIELD_MULTI, 1);
    struct gd_shop_field batch = new_field(s1, t1.code, "batch", GD_FIELD_TEXT, 0);
    new_field(s1, t2.code, "part", GD_FIELD_TEXT, 0);
    new_field(s2, other.code, "grade", GD_FIELD_TEXT, 0); /* another shop may use the key */
    struct gd_shop_field dup = batch;
    dup.id = gd_id_new();
    CHECK_EQ_INT(GD_STORE(st, wo_field_insert, &dup, NULL), GD_ECONFLICT);
    struct gd_shop_field *fields;
    CHECK_EQ_INT(GD_STORE(st, wo_fields_list, s1, t1.code, &a, &fields, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(fields[0].key, "batch");
    CHECK_EQ_STR(fields[1].key, "grade");
    CHECK_EQ_INT(fields[1].kind, GD_FIELD_MULTI);
    CHECK_EQ_STR(fields[1].options, "[\"甲\",\"乙\"]");
    CHECK_EQ_INT(GD_STORE(st, wo_fields_list, s1, -1, &a, &fields, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_STR(fields[2].key, "part");

    grade.label_en = "Grade";
    grade.required = true;
    grade.retired = true;
    grade.options = "[\"甲\",\"乙\",\"丙\"]";
    grade.position = 0;
    grade.updated_at = 8;
    CHECK_EQ_INT(GD_STORE(st, wo_field_update, &grade, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, wo_fields_list, s1, t1.code, &a, &fields, &n, NULL), GD_OK);
    CHECK_EQ_STR(fields[0].key, "grade"); /* position 0 too: the older id first */
    CHECK(fields[0].required && fields[0].retired);
    CHECK_EQ_STR(fields[0].label_en, "Grade");
    CHECK_EQ_STR(fields[0].options, "[\"甲\",\"乙\",\"丙\"]");
    struct gd_shop_field wrong = grade;
    wrong.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, wo_field_update, &wrong, NULL), GD_ENOTFOUND);

    /* values: replaced whole; a filter is the (shop, field, value) key */
    struct gd_workorder w1 = wo_new(s1, lead, 0, "一", 0), w2 = wo_new(s1, lead, 0, "二", 0);
    struct gd_field_value v1[] = {{grade.id, "甲"}, {grade.id, "乙"}, {batch.id, "B-1"}};
    struct gd_field_value v2[] = {{grade.id, "乙"}};
    CHECK_EQ_INT(GD_STORE(st, wo_field_values_set, s1, w1.id, v1, 3, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, wo_field_values_set, s1, w2.id, v2, 1, NULL), GD_OK);
    struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                             .type = -1,
                             .state = -1,
                             .limit = 50,
                             .nfields = 1,
                             .fields = {{grade.id, "乙"}}};
    struct gd_workorder *rows;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    f.fields[0].value = "甲";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(rows[0].id, w1.id);
    f.nfields = 2;
    f.fields[1] = (struct gd_field_filter){batch.id, "B-1"};
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s2, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    /* w1 now holds 丙 only: its old values are gone */
    struct gd_field_value v3[] = {{grade.id, "丙"}};
    CHECK_EQ_INT(GD_STORE(st, wo_field_values_set, s1, w1.id, v3, 1, NULL), GD_OK);
    f.nfields = 1;
    f.fields[0].value = "甲";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    f.fields[0].value = "丙";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    /* a work order's values as its answers show them round-trip with the row */
    struct gd_workorder upd = w2;
    upd.fields = "{\"grade\":[\"乙\"]}";
    upd.version = 2;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &upd, 1, NULL), GD_OK);
    struct gd_workorder back;
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w2.id, &a, &back, NULL), GD_OK);
    CHECK_EQ_STR(back.fields, "{\"grade\":[\"乙\"]}");
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w1.id, &a, &back, NULL), GD_OK);
    CHECK_EQ_STR(back.fields, "{}");
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    types();
    return contract_finish("store contract: shop types and fields");
}
