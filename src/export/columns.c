/* The columns of a work order export, in the order the writers emit them. */
#include "export/columns.h"

const struct gd_export_column gd_export_columns[GD_EXPORT_NCOLS] = {
    {"number", "工单编号", "Number", GD_CELL_TEXT, 12},
    {"type", "类型", "Type", GD_CELL_TEXT, 12},
    {"state", "状态", "State", GD_CELL_TEXT, 10},
    {"title", "标题", "Title", GD_CELL_TEXT, 30},
    {"content", "内容", "Content", GD_CELL_TEXT, 50},
    {"priority", "优先级", "Priority", GD_CELL_TEXT, 8},
    {"handler", "处理人", "Handler", GD_CELL_TEXT, 12},
    {"creator", "创建人", "Creator", GD_CELL_TEXT, 12},
    {"created_at", "创建时间", "Created", GD_CELL_TIME, 20},
    {"deadline", "截止时间", "Deadline", GD_CELL_TIME, 20},
    {"overdue", "已超期", "Overdue", GD_CELL_BOOL, 8},
    {"done_at", "完结时间", "Done at", GD_CELL_TIME, 20},
    {"order_no", "订单号", "Order number", GD_CELL_TEXT, 18},
    {"buyer", "买家", "Buyer", GD_CELL_TEXT, 14},
    {"paid_amount", "实付金额", "Paid amount", GD_CELL_MONEY, 12},
    {"latest_note", "最新备注", "Latest note", GD_CELL_TEXT, 40},
    {"id", "工单ID", "Work order ID", GD_CELL_TEXT, 20},
    {"attachments", "附件", "Attachments", GD_CELL_TEXT, 30},
};

int gd_export_ncols(const struct gd_row_source *src) { return GD_EXPORT_NCOLS + src->nextra; }

const struct gd_export_column *gd_export_column(const struct gd_row_source *src, int col)
{
    return col < GD_EXPORT_NCOLS ? &gd_export_columns[col] : &src->extra[col - GD_EXPORT_NCOLS];
}

const char *gd_export_header(const struct gd_row_source *src, int col)
{
    const struct gd_export_column *c = gd_export_column(src, col);
    return src->lang == GD_LANG_EN ? c->en : c->zh;
}

const char *gd_export_flag_word(bool flag, int lang)
{
    if (lang == GD_LANG_EN) {
        return flag ? "yes" : "no";
    }
    return flag ? "是" : "否";
}
