/* The create of a work order, one flow for every kind (a work order of the shop, a
 * collaborative one opened by the platform): the Idempotency-Key, the number, the row, the
 * "created" event, the counter moves, the search text, the deadline's timer, the kept answer and
 * the after-commit callbacks, in one unit of work. What differs by kind comes from the
 * struct gd_svc__create's build and write. */
#include "service/svc_int.h"

static int create_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct gd_svc__create *c = ctx;
    struct gd_workorder wo = {0};
    struct gd_strbuf data = GD_STRBUF_INIT, text = GD_STRBUF_INIT;
    const char *search_piece = NULL;
    int ret;

    if ((ret = gd_svc__idem_check(svc, c->actor->user_id, &c->idem, c->a, err)) || c->idem.replay) {
        return ret; /* the key was reused, or answered before: nothing to write */
    }
    if ((ret = c->build(svc, c, &wo, &data, &search_piece, err)) ||
        (ret = GD_STORE(svc->store, workorder_next_number, wo.shop_id, &wo.number, err)) ||
        (ret = GD_STORE(svc->store, workorder_insert, &wo, err)) ||
        (c->write && (ret = c->write(svc, c, &wo, &data, err)))) {
        goto out;
    }
    gd_svc__kv_close(&data);
    /* after the number is drawn: the text holds it (GD-000123 finds the work order) */
    gd_svc__search_text(&wo, &text);
    if ((ret = gd_svc__event(svc, &wo, c->actor->user_id, "created", data.buf, c->now, err)) ||
        (c->after && (ret = c->after(svc, c, &wo, err))) ||
        (ret = gd_svc__counters(svc, NULL, &wo, err)) ||
        (ret = gd_svc__targets_start(svc, &wo, c->now, err)) ||
        (ret = GD_STORE(svc->store, search_set, wo.shop_id, wo.id, text.buf, err)) ||
        (search_piece &&
         (ret = GD_STORE(svc->store, search_append, wo.shop_id, wo.id, search_piece, err))) ||
        (wo.deadline_at && (ret = gd_svc__timer(svc, &wo, c->timer, wo.deadline_at, err))) ||
        (ret = gd_svc__idem_keep(svc, c->actor->user_id, &c->idem, &wo, err))) {
        goto out;
    }
    c->wo = wo;
    gd_svc__changed(svc, &wo);
    if (wo.deadline_at) {
        gd_svc__timer_set(svc, wo.deadline_at);
    }
out:
    gd_strbuf_release(&data);
    gd_strbuf_release(&text);
    return ret;
}

int gd_svc__create(struct gd_svc *svc, int64_t shop_id, struct gd_svc__create *c,
                   struct gd_workorder *out, const char **replay, struct gd_err *err)
{
    int ret;

    *replay = NULL;
    if ((ret = gd_svc__uow_run(svc, shop_id, create_unit, c, err))) {
        return ret;
    }
    *replay = c->idem.replay;
    *out = c->wo;
    return GD_OK;
}
