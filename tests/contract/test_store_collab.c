/* Store contract: the versioned platform rules, the collaborative part of a work order (协同工单)
 * and its evidence attachments, with their retention. */
#include "harness.h"

/* Versions are numbered by the store, one after another; a rolled-back version leaves no gap. */
static void rules(void)
{
    int64_t p = user(0, "rules-admin", GD_ROLE_PLATFORM_ADMIN);
    int64_t v = 0, got_v = 0, at = 0;
    const char *body;

    CHECK_EQ_INT(GD_STORE(st, rules_get, 0, &a, &got_v, &body, &at, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, rules_insert, "{\"v\":1}", p, 100, &v, NULL), GD_OK);
    CHECK_EQ_INT(v, 1);
    CHECK_EQ_INT(GD_STORE(st, rules_insert, "{\"v\":2}", 0, 200, &v, NULL), GD_OK);
    CHECK_EQ_INT(v, 2);
    CHECK_EQ_INT(GD_STORE(st, rules_get, 0, &a, &got_v, &body, &at, NULL), GD_OK);
    CHECK_EQ_INT(got_v, 2);
    CHECK_EQ_STR(body, "{\"v\":2}");
    CHECK_EQ_INT(at, 200);
    CHECK_EQ_INT(GD_STORE(st, rules_get, 1, &a, &got_v, &body, &at, NULL), GD_OK);
    CHECK_EQ_INT(got_v, 1);
    CHECK_EQ_STR(body, "{\"v\":1}");
    CHECK_EQ_INT(at, 100);
    CHECK_EQ_INT(GD_STORE(st, rules_get, 3, &a, &got_v, &body, &at, NULL), GD_ENOTFOUND);

    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, rules_insert, "{\"v\":\"gone\"}", p, 300, &v, NULL), GD_OK);
    CHECK_EQ_INT(v, 3);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(GD_STORE(st, rules_get, 0, &a, &got_v, &body, &at, NULL), GD_OK);
    CHECK_EQ_INT(got_v, 2);
    CHECK_EQ_INT(GD_STORE(st, rules_insert, "{\"v\":3}", p, 400, &v, NULL), GD_OK);
    CHECK_EQ_INT(v, 3);
}

static void collab(void)
{
    int64_t s1 = shop("协同一店"), s2 = shop("协同二店");
    int64_t u = user(s1, "co-seller", GD_ROLE_SHOP_LEAD);
    int64_t judge = user(0, "co-judge", GD_ROLE_PLATFORM_SUPERVISOR);
    struct gd_workorder w = wo_new(s1, u, u, "协同", 0);
    struct gd_collab c = {.workorder_id = w.id,
                          .shop_id = s1,
                          .rule_version = 1,
                          .category = "quality",
                          .complaint = "破损",
                          .remedy = "refund",
                          .reply_due_at = 5000};
    struct gd_collab got;
    struct gd_err err = {0};

    CHECK_EQ_INT(GD_STORE(st, collab_insert, &c, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, collab_insert, &c, &err), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, collab_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.workorder_id, w.id);
    CHECK_EQ_INT(got.shop_id, s1);
    CHECK_EQ_INT(got.rule_version, 1);
    CHECK_EQ_STR(got.category, "quality");
    CHECK_EQ_STR(got.complaint, "破损");
    CHECK_EQ_STR(got.remedy, "refund");
    CHECK_EQ_INT(got.reply_due_at, 5000);
    CHECK(got.reply_option == NULL && got.outcome == NULL && got.judge_name == NULL);
    CHECK_EQ_INT(got.replied_at, 0);
    CHECK_EQ_INT(got.judge_id, 0);
    CHECK(!got.judged_against && !got.overturned);
    /* never through another shop */
    CHECK_EQ_INT(GD_STORE(st, collab_get, s2, w.id, &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, collab_get, s1, gd_id_new(), &a, &got, NULL), GD_ENOTFOUND);

    /* every step's fields are written, and the judge's name is read with them */
    struct gd_collab upd = c;
    upd.reply_option = "agree";
    upd.reply_description = "同意退款";
    upd.contact_at = 1100;
    upd.replied_at = 1200;
    upd.replier_id = u;
    upd.verify_result = "rejected";
    upd.verify_remark = "证据不足";
    upd.verifier_id = judge;
    upd.verified_at = 1300;
    upd.intervened_at = 1400;
    upd.intervention_reason = "verify_rejected";
    upd.outcome = "refund";
    upd.judged_remedy = "full";
    upd.liable_party = "seller";
    upd.reasoning = "理由";
    upd.rule_article = "3.1";
    upd.judge_id = judge;
    upd.judged_at = 1500;
    upd.judged_against = true;
    upd.appeal_reason = "申诉";
    upd.appealed_at = 1600;
    upd.decision = "overturned";
    upd.decision_remark = "改判";
    upd.decider_id = judge;
    upd.decided_at = 1700;
    upd.overturned = true;
    upd.finalized_at = 1800;
    CHECK_EQ_INT(GD_STORE(st, collab_update, &upd, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, collab_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.reply_option, "agree");
    CHECK_EQ_STR(got.reply_description, "同意退款");
    CHECK_EQ_INT(got.contact_at, 1100);
    CHECK_EQ_INT(got.replied_at, 1200);
    CHECK_EQ_INT(got.replier_id, u);
    CHECK_EQ_STR(got.verify_result, "rejected");
    CHECK_EQ_STR(got.verify_remark, "证据不足");
    CHECK_EQ_INT(got.verifier_id, judge);
    CHECK_EQ_INT(got.verified_at, 1300);
    CHECK_EQ_INT(got.intervened_at, 1400);
    CHECK_EQ_STR(got.intervention_reason, "verify_rejected");
    CHECK_EQ_STR(got.outcome, "refund");
    CHECK_EQ_STR(got.judged_remedy, "full");
    CHECK_EQ_STR(got.liable_party, "seller");
    CHECK_EQ_STR(got.reasoning, "理由");
    CHECK_EQ_STR(got.rule_article, "3.1");
    CHECK_EQ_INT(got.judge_id, judge);
    CHECK_EQ_INT(got.judged_at, 1500);
    CHECK_EQ_STR(got.judge_name, "co-judge");
    CHECK(got.judged_against);
    CHECK_EQ_STR(got.appeal_reason, "申诉");
    CHECK_EQ_INT(got.appealed_at, 1600);
    CHECK_EQ_STR(got.decision, "overturned");
    CHECK_EQ_STR(got.decision_remark, "改判");
    CHECK_EQ_INT(got.decider_id, judge);
    CHECK_EQ_INT(got.decided_at, 1700);
    CHECK(got.overturned);
    CHECK_EQ_INT(got.finalized_at, 1800);

    /* an update through another shop, or of no collaborative work order, changes nothing */
    struct gd_collab other = upd;
    other.shop_id = s2;
    other.outcome = "none";
    CHECK_EQ_INT(GD_STORE(st, collab_update, &other, NULL), GD_ENOTFOUND);
    other.shop_id = s1;
    other.workorder_id = gd_id_new();
    CHECK_EQ_INT(GD_STORE(st, collab_update, &other, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, collab_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.outcome, "refund");
}

static struct gd_attachment upload(int64_t shop_id, int64_t uploader, const char *party,
                                   const char *sha256, int64_t created_at)
{
    struct gd_attachment x = {.id = gd_id_new(),
                              .shop_id = shop_id,
                              .sha256 = sha256,
                              .mime = "image/png",
                              .size = 1234,
                              .filename = "照片.png",
                              .uploader_id = uploader,
                              .party = party,
                              .created_at = created_at};
    CHECK_EQ_INT(GD_STORE(st, attachment_insert, &x, NULL), GD_OK);
    return x;
}

/* An upload is linked once, by its uploader, to a work order of its shop (a platform upload,
 * shop 0, to any shop's); a work order's evidence is listed in id order, within its shop. */
static void attachments(void)
{
    int64_t s1 = shop("证据一店"), s2 = shop("证据二店");
    int64_t u = user(s1, "att-u", GD_ROLE_SHOP_AGENT), u2 = user(s1, "att-u2", GD_ROLE_SHOP_AGENT);
    int64_t x = user(s2, "att-x", GD_ROLE_SHOP_AGENT);
    int64_t p = user(0, "att-platform", GD_ROLE_PLATFORM_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "证据", 0), wx = wo_new(s2, x, x, "别店", 0);
    struct gd_attachment mine = upload(s1, u, "shop", "aa11", 10);
    struct gd_attachment plat = upload(0, p, "platform", "bb22", 20);
    struct gd_attachment theirs = upload(s2, x, "shop", "cc33", 30);
    struct gd_attachment got, *rows;
    struct gd_err err = {0};
    int n;

    CHECK_EQ_INT(GD_STORE(st, attachment_insert, &mine, &err), GD_ECONFLICT);
    CHECK_EQ_INT(ct_attachment_get(s1, mine.id, &got), GD_OK);
    CHECK_EQ_INT(got.shop_id, s1);
    CHECK_EQ_STR(got.sha256, "aa11");
    CHECK_EQ_STR(got.mime, "image/png");
    CHECK_EQ_INT(got.size, 1234);
    CHECK_EQ_STR(got.filename, "照片.png");
    CHECK_EQ_INT(got.uploader_id, u);
    CHECK_EQ_STR(got.party, "shop");
    CHECK_EQ_INT(got.created_at, 10);
    CHECK_EQ_INT(got.workorder_id, 0);
    CHECK(got.purpose == NULL);
    CHECK_EQ_INT(ct_attachment_get(s1, gd_id_new(), &got), GD_ENOTFOUND);
    if (SHOP_SCOPED) {
        CHECK_EQ_INT(ct_attachment_get(s2, mine.id, &got), GD_ENOTFOUND);
    }

    /* refused: someone else's upload; a work order of another shop */
    CHECK_EQ_INT(GD_STORE(st, attachment_link, mine.id, u2, s1, w.id, "evidence", NULL),
                 LINK_REFUSED);
    CHECK_EQ_INT(GD_STORE(st, attachment_link, theirs.id, x, s1, w.id, "evidence", NULL),
                 LINK_REFUSED);
    CHECK_EQ_INT(GD_STORE(st, attachments_list, s1, w.id, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, attachment_link, mine.id, u, s1, w.id, "reply", NULL), GD_OK);
    /* once only */
    CHECK_EQ_INT(GD_STORE(st, attachment_link, mine.id, u, s1, w.id, "evidence", NULL),
                 LINK_REFUSED);
    /* a platform upload joins the shop of the work order it is linked to */
    CHECK_EQ_INT(GD_STORE(st, attachment_link, plat.id, p, s1, w.id, "evidence", NULL), GD_OK);
    CHECK_EQ_INT(ct_attachment_get(s1, plat.id, &got), GD_OK);
    CHECK_EQ_INT(got.shop_id, s1);
    CHECK_EQ_INT(got.workorder_id, w.id);
    CHECK_EQ_STR(got.purpose, "evidence");

    CHECK_EQ_INT(GD_STORE(st, attachments_list, s1, w.id, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK(rows[0].id < rows[1].id);
        CHECK_EQ_INT(rows[0].id, mine.id < plat.id ? mine.id : plat.id);
        CHECK_EQ_INT(rows[mine.id < plat.id ? 0 : 1].workorder_id, w.id);
        CHECK_EQ_STR(rows[mine.id < plat.id ? 0 : 1].purpose, "reply");
    }
    CHECK_EQ_INT(GD_STORE(st, attachments_list, s2, w.id, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, attachments_list, s2, wx.id, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

/* Uploads never linked go after a while, oldest first, a batch at a time; a content file stays
 * while another attachment has the same content; a linked upload is never removed. */
static void attachments_retention(void)
{
    int64_t s = shop("retention"), u = user(s, "ret-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s, u, u, "t", 0);
    struct gd_attachment linked = upload(s, u, "shop", "same", 1000);
    struct gd_attachment late = upload(s, u, "shop", "late", 3000);
    struct gd_attachment first = upload(s, u, "shop", "same", 1001);
    struct gd_attachment second = upload(s, u, "shop", "alone", 1002);
    struct gd_attachment got, *rows;
    bool used = false;
    int n;

    CHECK_EQ_INT(GD_STORE(st, attachment_link, linked.id, u, s, w.id, "reply", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, attachments_unlinked, 3000, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2); /* not the linked one, not the one made at the cut */
    if (n == 2) {
        CHECK_EQ_INT(rows[0].id, first.id);
        CHECK_EQ_STR(rows[0].sha256, "same");
        CHECK_EQ_INT(rows[1].id, second.id);
    }
    CHECK_EQ_INT(GD_STORE(st, attachments_unlinked, 3000, 1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);

    CHECK_EQ_INT(ct_attachment_delete_unlinked(s, first.id, "same", &used), GD_OK);
    CHECK(used); /* the linked attachment has the same content */
    CHECK_EQ_INT(ct_attachment_get(s, first.id, &got), GD_ENOTFOUND);
    CHECK_EQ_INT(ct_attachment_delete_unlinked(s, second.id, "alone", &used), GD_OK);
    CHECK(!used);
    CHECK_EQ_INT(ct_attachment_delete_unlinked(s, second.id, "alone", &used), GD_ENOTFOUND);
    CHECK_EQ_INT(ct_attachment_delete_unlinked(s, linked.id, "same", &used), GD_ENOTFOUND);
    CHECK_EQ_INT(ct_attachment_get(s, linked.id, &got), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, attachments_unlinked, 3001, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, late.id);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    rules();
    collab();
    attachments_retention(); /* first: it sees every shop's unlinked uploads */
    attachments();
    return contract_finish("store contract: collaborative work orders");
}
