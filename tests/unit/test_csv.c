/* CSV cells: quoting and formula neutralising (OWASP's rule, with the full-width and small
 * forms CJK spreadsheets also run). */
#include "check.h"
#include "export/csv.h"

static const char *cell(const char *s)
{
    static struct gd_strbuf sb = GD_STRBUF_INIT;
    gd_strbuf_reset(&sb);
    gd_csv_cell(&sb, s, true);
    return sb.buf ? sb.buf : "";
}

int main(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* plain text and numbers-as-text pass through */
        {"普通中文标题", "普通中文标题"},
        {"a=b", "a=b"},
        {"退款 -5 件", "退款 -5 件"},
        {"", ""},
        /* quoting */
        {"退款, \"加急\"", "\"退款, \"\"加急\"\"\""},
        {"两行\n文本", "\"两行\n文本\""},
        /* the first character */
        {"=1+2", "\"'=1+2\""},
        {"+86 138", "\"'+86 138\""},
        {"-5", "\"'-5\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"\rx", "\"'\rx\""},
        /* after leading white space */
        {" =1+2", "\"' =1+2\""},
        {"  +1", "\"'  +1\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r=1\""},
        {"\n=1", "\"'\n=1\""},
        {"\r\n@x", "\"'\r\n@x\""},
        {"\xC2\xA0=1", "\"'\xC2\xA0=1\""},         /* no-break space */
        {"\xE3\x80\x80-1", "\"'\xE3\x80\x80-1\""}, /* ideographic space */
        /* full-width and small forms */
        {"＝1+2", "\"'＝1+2\""},
        {"＋86", "\"'＋86\""},
        {"－5", "\"'－5\""},
        {"＠SUM(A1)", "\"'＠SUM(A1)\""},
        {" ＝1", "\"' ＝1\""},
        {"﹦1", "\"'﹦1\""},
        {"﹢1", "\"'﹢1\""},
        {"﹣1", "\"'﹣1\""},
        {"﹫x", "\"'﹫x\""},
        /* white space alone, or before harmless text */
        {"  ", "  "},
        {" 退款", " 退款"},
        {"\n退款", "\"\n退款\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        CHECK_EQ_STR(cell(cases[i].in), cases[i].out);
    }
    CHECK(!gd_csv_is_formula("５"));
    CHECK(gd_csv_is_formula("＝"));
    return check_report("csv");
}
