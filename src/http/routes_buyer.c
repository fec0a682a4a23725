/* The buyer's history beside a work order (GET /workorders/{id}/buyer_history), and the same
 * by an order or a buyer's nick for the chat-side panel (GET /buyer_history): see
 * service/buyer_history.c for what it holds and whom it shows what. */
#include "http/req.h"

static void render_history(struct gd_req *r, const struct gd_buyer_history *h)
{
    gd_strbuf_adds(&r->out, "{\"buyer_nick\":");
    if (h->buyer_nick) {
        gd_strbuf_add_json_str(&r->out, h->buyer_nick);
    } else {
        gd_strbuf_adds(&r->out, "null");
    }
    gd_strbuf_adds(&r->out, ",\"orders\":");
    gd_render_array(&r->out, h->orders, h->norders, sizeof(*h->orders), gd_render_order_item, NULL);
    gd_strbuf_adds(&r->out, ",\"workorders\":");
    gd_render_array(&r->out, h->workorders, h->nworkorders, sizeof(*h->workorders),
                    gd_render_workorder_item, NULL);
    gd_strbuf_addf(&r->out,
                   ",\"more\":%s,\"disputes\":{\"total\":%d,\"open\":%d,"
                   "\"settled\":%d,\"for_buyer\":%d,\"for_seller\":%d}}",
                   h->more ? "true" : "false", h->disputes, h->disputes_open, h->disputes_settled,
                   h->disputes_for_buyer, h->disputes_for_seller);
    gd_http_json(r, 200);
}

static void buyer_history(struct gd_req *r)
{
    struct gd_buyer_history h;
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_buyer_history(r->svc, &r->actor, id, &r->a, &h, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_history(r, &h);
}

static void buyer_history_of(struct gd_req *r)
{
    struct gd_buyer_history h;
    struct gd_err err = {0};

    if (gd_svc_buyer_history_of(r->svc, &r->actor, gd_http_query(r, "order_no"),
                                gd_http_query(r, "buyer"), &r->a, &h, &err)) {
        gd_http_error(r, &err);
        return;
    }
    render_history(r, &h);
}

const struct gd_route gd_routes_buyer[] = {
    {"GET", "/api/v1/workorders/{}/buyer_history", buyer_history, 0},
    {"GET", "/api/v1/buyer_history", buyer_history_of, 0},
    {0},
};
