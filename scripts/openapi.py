#!/usr/bin/env python3
"""Writes docs/openapi.json, the OpenAPI 3.1 description of every route of `gongdan serve`.

The document is data kept next to the code: edit this file when a route changes and run it
(`scripts/openapi.py`). tests/api/openapi.test.mjs checks that every route in the server's route
tables is described here and that the document passes a real validator.
"""
import json
import os

ID = {"type": "string", "pattern": "^[0-9]+$", "description": "64-bit id as a decimal string"}
TIME = {"type": ["string", "null"], "format": "date-time"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props, required=(), extra=False):
    o = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        o["required"] = list(required)
    return o


def s(maxlen=None, enum=None, **kw):
    o = {"type": "string"}
    if maxlen:
        o["maxLength"] = maxlen
    if enum:
        o["enum"] = enum
    o.update(kw)
    return o


EVENT_KINDS = ["created", "assigned", "transferred", "noted", "chased", "state_changed", "edited",
               "deadline_changed", "overdue", "reminded", "replied", "evidence_added", "verified", "judged", "appealed",
               "appeal_decided", "seller_timeout", "finalized"]
TYPES = ["order_review", "shipping", "waybill", "out_of_stock", "after_sales", "customer_memo",
         "task_memo", "collab"]
STATES = ["open", "in_progress", "done", "cancelled", "awaiting_seller", "platform_verify",
          "intervention", "judged", "appeal_review", "resolved", "final"]
VIEWS = ["todo", "created", "assigned", "shop", "overdue", "platform_verify", "intervention",
         "appeal_review"]
PERSON = {"type": ["object", "null"], "properties": {"id": ID, "display_name": s()}}

schemas = {
    "Error": obj({"error": obj({"code": s(), "message": s(), "field": s(), "request_id": s()},
                               ["code", "message", "request_id"])}, ["error"]),
    "User": obj({"id": ID, "username": s(), "display_name": s(),
                 "role": s(enum=["shop_owner", "shop_lead", "shop_agent", "platform_agent",
                                 "platform_supervisor", "platform_admin"]),
                 "shop_id": {"type": ["string", "null"]}, "shop_name": {"type": ["string", "null"]}}),
    "Session": obj({"user": ref("User"), "csrf_token": {"type": ["string", "null"]}}),
    "Item": obj({"title": s(400), "sku": s(100), "quantity": {"type": "integer", "minimum": 1},
                 "price": {"type": "integer", "minimum": 0, "description": "minor units (fen)"}},
                ["title", "sku", "quantity", "price"]),
    "Order": obj({"order_no": s(64), "buyer_nick": s(64),
                  "status": s(enum=["paid", "shipped", "signed", "refunding", "closed"]),
                  "paid_amount": {"type": "integer", "description": "minor units (fen)"},
                  "items": {"type": "array", "items": ref("Item")},
                  "created_at": TIME, "updated_at": TIME}),
    "OrderInput": obj({"buyer_nick": s(64), "status": s(enum=["paid", "shipped", "signed",
                                                              "refunding", "closed"]),
                       "paid_amount": {"type": "integer", "minimum": 0},
                       "items": {"type": "array", "items": ref("Item"), "maxItems": 200},
                       "created_at": {"type": "string", "format": "date-time"}},
                      ["buyer_nick", "status", "paid_amount"]),
    "WorkOrder": obj({"id": ID, "number": s(pattern="^GD-[0-9]{6,}$"), "type": s(enum=TYPES),
                      "state": s(enum=STATES), "priority": s(enum=["low", "normal", "high", "urgent"]),
                      "title": s(), "content": s(), "handler": PERSON, "creator": PERSON,
                      "order_no": {"type": ["string", "null"]}, "buyer_nick": {"type": ["string", "null"]},
                      "deadline": TIME, "overdue": {"type": "boolean"}, "created_at": TIME,
                      "updated_at": TIME, "first_action_at": TIME, "done_at": TIME,
                      "transfers": {"type": "integer"}, "version": {"type": "integer"},
                      "custom": {"type": "object"},
                      "collab": {"type": "object", "description": "collaborative part (type collab)"}},
                     extra=True),
    "WorkOrderInput": obj({"type": s(enum=TYPES[:-1]), "title": s(200), "content": s(5000),
                           "handler_id": ID, "priority": s(enum=["low", "normal", "high", "urgent"]),
                           "deadline": {"type": "string", "format": "date-time"},
                           "order_no": s(64), "buyer_nick": s(64),
                           "custom": {"type": "object", "maxProperties": 50}}, ["type", "title"]),
    "Event": obj({"id": ID, "kind": s(), "actor": PERSON, "at": TIME, "data": {"type": "object"}}),
    "WorkOrderDetail": obj({"workorder": ref("WorkOrder"),
                            "order": {"oneOf": [ref("Order"), {"type": "null"}]},
                            "events": {"type": "array", "items": ref("Event")},
                            "allowed_actions": {"type": "array", "items": s()}}, extra=True),
    "WorkOrderList": obj({"items": {"type": "array", "items": ref("WorkOrder")},
                          "next_cursor": {"type": ["string", "null"]}}),
    "Counts": {"type": "object", "properties": {
        k: {"type": ["integer", "null"]} for k in
        ["todo", "created", "assigned", "overdue", "due_soon", "collab_awaiting", "shop",
         "platform_verify", "intervention", "appeal_review"]}},
    "ImportReport": obj({"rows": {"type": "integer"}, "stored": {"type": "integer"},
                         "rejected": {"type": "integer"},
                         "errors": {"type": "array", "items": obj({"line": {"type": "integer"},
                                                                   "reason": s()})}}),
    "Attachment": {"type": "object", "properties": {"id": ID, "sha256": s(), "mime": s(),
                                                    "size": {"type": "integer"}, "filename": s()}},
    "Rules": {"type": "object", "description": "versioned platform rules (docs/collab.md)"},
    "Stats": {"type": "object", "properties": {"groups": {"type": "array", "items": {"type": "object"}},
                                               "totals": {"type": "object"},
                                               "dispute_rate": {"type": ["number", "null"]}}},
    "ExportJob": {"type": "object", "properties": {
        "id": ID, "state": s(enum=["queued", "running", "done", "failed"]),
        "rows_done": {"type": "integer"}, "rows_total": {"type": "integer"},
        "format": s(enum=["csv", "xlsx"]), "file_name": {"type": ["string", "null"]}}},
    "Webhook": {"type": "object", "properties": {
        "id": ID, "url": s(2000), "description": s(200),
        "events": {"type": "array", "items": s(enum=EVENT_KINDS),
                   "description": "the event kinds it takes; empty = every kind"},
        "secret": s(description="only in the answer to the create: signs every delivery "
                                "(X-Gongdan-Signature: t=UNIX,v1=hex HMAC-SHA256 of \"t.body\")"),
        "created_at": TIME, "delivered": {"type": "integer"},
        "pending": {"type": "integer", "description": "events owed, not yet acknowledged"},
        "failures": {"type": "integer", "description": "consecutive failed attempts"},
        "last_status": {"type": ["integer", "null"]}, "last_attempt_at": TIME,
        "next_attempt_at": TIME, "last_error": {"type": ["string", "null"]}}},
}

ERR = {"description": "error", "content": {"application/json": {"schema": ref("Error")}}}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"},
                               "description": "seconds after which the same request may be sent "
                                              "again"}}


def resp(code, schema=None, desc="OK", ctype="application/json", headers=None):
    r = {"description": desc}
    if schema is not None:
        r["content"] = {ctype: {"schema": schema}}
    if headers:
        r["headers"] = headers
    return {str(code): r}


def op(summary, op_id, responses, body=None, params=None, errors=(400, 401, 403, 404, 422),
       tags=("work orders",), security=True, body_type="application/json"):
    o = {"summary": summary, "operationId": op_id, "tags": list(tags), "responses": {}}
    for r in responses:
        o["responses"].update(r)
    for e in errors:
        o["responses"][str(e)] = ERR
    if body is not None:
        o["requestBody"] = {"required": True, "content": {body_type: {"schema": body}}}
    if params:
        o["parameters"] = params
    if not security:
        o["security"] = []
    return o


def q(name, schema, desc=None):
    p = {"name": name, "in": "query", "required": False, "schema": schema}
    if desc:
        p["description"] = desc
    return p


PID = [{"name": "id", "in": "path", "required": True, "schema": ID}]
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": s(),
            "description": "the version from the ETag, or * (any current version); 412 when stale"}
ETAG = {"ETag": {"schema": s(), "description": "the work order's version"}}
LIST_FILTERS = [q("type", s(enum=TYPES)), q("state", s(enum=STATES)), q("handler", ID),
                q("creator", ID), q("order_no", s(64)), q("buyer", s(64)),
                q("q", s(100), "keyword: Chinese substrings of any length in title, content, "
                                "notes, buyer and order number"),
                q("created_from", s()), q("created_to", s()), q("deadline_from", s()),
                q("deadline_to", s())]

paths = {}


def add(path, method, operation):
    paths.setdefault(path, {})[method] = operation


add("/api/v1/session", "post", op("Sign in (Content-Type: application/json; a browser's Origin "
    "must be this server's; 5 failures in 15 minutes lock an account for 5 minutes, 30 lock a "
    "client address for 15: 429 with Retry-After)", "signIn", [resp(200, ref("Session"), headers={
    "Set-Cookie": {"schema": s(), "description": "gd_session (over https __Host-gd_session, "
                                                  "Secure), Path=/, HttpOnly, SameSite=Strict"}})],
    obj({"username": s(64), "password": s(256)}, ["username", "password"]),
    errors=(400, 401, 403, 415, 422, 429), tags=("session",), security=False))
add("/api/v1/session", "delete", op("Sign out", "signOut", [resp(204, desc="signed out")],
                                    errors=(401, 403), tags=("session",)))
add("/api/v1/me", "get", op("The signed-in user", "me", [resp(200, ref("Session"))],
                            errors=(401,), tags=("session",)))
add("/api/v1/users", "get", op("Users of my shop", "listUsers", [resp(200, obj(
    {"items": {"type": "array", "items": ref("User")}}))], errors=(401,), tags=("session",)))
add("/api/v1/shops", "get", op("Shops: every shop for platform staff, one's own for shop staff",
    "listShops", [resp(200, obj({"items": {"type": "array", "items": obj(
        {"id": ID, "name": s(), "tz": s()})}}))], errors=(401,), tags=("session",)))
add("/api/v1/orders", "get", op("Search orders by number or buyer prefix", "searchOrders",
    [resp(200, obj({"items": {"type": "array", "items": ref("Order")}}))],
    params=[q("q", s(64)), q("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
    errors=(401, 422), tags=("orders",)))
add("/api/v1/orders/{order_no}", "put", op("Insert or update an order (owner, leads and their "
    "tokens; the answer is the stored row)", "upsertOrder",
    [resp(200, ref("Order")), resp(201, ref("Order"), "created")], ref("OrderInput"),
    params=[{"name": "order_no", "in": "path", "required": True, "schema": s(64)}],
    tags=("orders",)))
add("/api/v1/orders/{order_no}", "get", op("One order", "getOrder", [resp(200, ref("Order"))],
    params=[{"name": "order_no", "in": "path", "required": True, "schema": s(64)}],
    errors=(401, 404), tags=("orders",)))
add("/api/v1/orders/import", "post", op("Import orders from CSV (owner, leads and their tokens)",
    "importOrders",
    [resp(200, ref("ImportReport"))], s(description="CSV with a header line: order_no, "
    "buyer_nick, status, paid_amount, created_at, items"), errors=(401, 403, 413, 415, 422),
    tags=("orders",), body_type="text/csv"))
add("/api/v1/workorders", "get", op("A view of work orders", "listWorkOrders",
    [resp(200, ref("WorkOrderList"))],
    params=[q("view", s(enum=VIEWS)), q("sort", s(enum=["deadline", "-deadline", "created",
                                                         "-created"])),
            q("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
            q("cursor", s(), "next_cursor of the previous page")] + LIST_FILTERS,
    errors=(401, 403, 422)))
add("/api/v1/workorders", "post", op("Create a work order", "createWorkOrder",
    [resp(201, ref("WorkOrder"), "created", headers=ETAG)], ref("WorkOrderInput"),
    params=[{"name": "Idempotency-Key", "in": "header", "required": False, "schema": s(128),
             "description": "a retry with the same key returns the first response; the same "
                            "key with another body is 422 idempotency_key_reused"}],
    errors=(400, 401, 403, 413, 422)))
add("/api/v1/workorders/counts", "get", op("Badge counts of every view", "countWorkOrders",
    [resp(200, ref("Counts"))], errors=(401,)))
add("/api/v1/workorders/{id}", "get", op("One work order with its timeline", "getWorkOrder",
    [resp(200, ref("WorkOrderDetail"), headers=ETAG)], params=PID, errors=(401, 404)))
add("/api/v1/workorders/{id}", "patch", op("Edit fields", "editWorkOrder",
    [resp(200, ref("WorkOrder"), headers=ETAG)],
    obj({"title": s(200), "content": s(5000), "priority": s(enum=["low", "normal", "high", "urgent"]),
         "deadline": {"type": ["string", "null"], "format": "date-time"}}),
    params=PID + [IF_MATCH], errors=(400, 401, 403, 404, 409, 412, 422)))
ACTIONS = {
    "assign": ("Assign a handler", obj({"to": ID, "reason": s(2000)}, ["to"])),
    "transfer": ("Transfer 转交 to a user of the shop, with a reason", obj({"to": ID, "reason": s(2000)}, ["to", "reason"])),
    "notes": ("Add a note 备注", obj({"text": s(2000)}, ["text"])),
    "chase": ("Chase 催办", obj({"text": s(2000)})),
    "start": ("Start", None),
    "complete": ("Complete", obj({"text": s(2000)})),
    "reopen": ("Reopen a done work order", obj({"reason": s(2000)})),
    "cancel": ("Cancel (creator or lead)", obj({"reason": s(2000)})),
    "reply": ("Seller's reply to a collaborative work order (once; fields required by the "
              "option come from the rules)", obj({
                  "option": s(enum=["agreed", "unreachable", "not_agreed", "other"]),
                  "description": s(2000), "contact_at": {"type": "string", "format": "date-time"},
                  "attachment_ids": {"type": "array", "items": ID, "maxItems": 9}}, ["option"])),
    "evidence": ("Add evidence until judgement", obj({"description": s(2000),
                 "attachment_ids": {"type": "array", "items": ID, "maxItems": 9}})),
    "verify": ("Platform verification", obj({"result": s(enum=["verified", "rejected"]),
                                             "remark": s(2000)}, ["result"])),
    "judge": ("Platform judgement 判责", obj({
        "outcome": s(enum=["support_buyer", "support_seller"]),
        "remedy": s(enum=["refund", "return_refund", "reship", "exchange", "repair", "payout",
                          "reject_claim"]),
        "liable_party": s(enum=["seller", "buyer", "platform", "logistics"]),
        "reasoning": s(5000), "rule_article": s(200)},
        ["outcome", "remedy", "liable_party", "reasoning", "rule_article"])),
    "appeal": ("Seller's appeal 申诉 within the window", obj({
        "reason": s(2000), "attachment_ids": {"type": "array", "items": ID, "maxItems": 9}},
        ["reason"])),
    "decide_appeal": ("Decide an appeal (a supervisor other than the judge)", obj({
        "decision": s(enum=["upheld", "overturned"]), "remark": s(2000)}, ["decision"])),
}
for name, (summary, body) in ACTIONS.items():
    o = op(summary, "workOrder_" + name, [resp(200, ref("WorkOrder"), headers=ETAG)], body,
           params=PID + [IF_MATCH], errors=(400, 401, 403, 404, 409, 412, 422),
           tags=("collaborative",) if name in ("reply", "evidence", "verify", "judge", "appeal",
                                               "decide_appeal") else ("work orders",))
    if body is None:
        o.pop("requestBody", None)
    add("/api/v1/workorders/{id}/" + name, "post", o)
add("/api/v1/collab", "post", op("Create a collaborative work order (platform)", "createCollab",
    [resp(201, ref("WorkOrder"), "created")], obj({"shop_id": ID, "order_no": s(64),
    "category": s(64), "complaint": s(5000), "remedy": s(64), "title": s(200),
    "content": s(5000), "type": s(enum=["collab"]), "collab": {"type": "object"}},
    ["shop_id", "order_no"]),
    tags=("collaborative",)))
add("/api/v1/rules", "get", op("Platform rules in force", "getRules", [resp(200, ref("Rules"))],
                               errors=(401,), tags=("collaborative",)))
add("/api/v1/rules", "put", op("New rules version (platform_admin)", "putRules",
                               [resp(200, ref("Rules"))], ref("Rules"), tags=("collaborative",)))
add("/api/v1/attachments", "post", op("Upload evidence (multipart/form-data, field file)",
    "uploadAttachments", [resp(201, {"type": "object", "properties": {
        "items": {"type": "array", "items": ref("Attachment")}}}, "stored")],
    {"type": "object", "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}},
    errors=(400, 401, 403, 413, 415, 422), tags=("collaborative",), body_type="multipart/form-data"))
add("/api/v1/attachments/{id}", "get", op("Download evidence", "getAttachment",
    [resp(200, {"type": "string", "contentMediaType": "application/octet-stream"}, ctype="application/octet-stream")],
    params=PID, errors=(401, 404), tags=("collaborative",)))
add("/api/v1/stats", "get", op("Statistics by type, handler or day", "getStats",
    [resp(200, ref("Stats"))], params=[q("from", s()), q("to", s()),
    q("group", s(enum=["type", "handler", "day"])), q("type", s(enum=TYPES)), q("handler", ID),
    q("shop_id", ID)], errors=(401, 403, 422), tags=("reports",)))
add("/api/v1/exports", "post", op("Start an export job", "createExport",
    [resp(202, ref("ExportJob"), "accepted")], {"type": "object", "properties": {
        "format": s(enum=["csv", "xlsx"]), "headers": s(enum=["zh", "en"]), "view": s(enum=VIEWS)}},
    tags=("reports",)))
add("/api/v1/exports/{id}", "get", op("Export job progress", "getExport",
    [resp(200, ref("ExportJob"))], params=PID, errors=(401, 404), tags=("reports",)))
add("/api/v1/exports/{id}/file", "get", op("The exported file", "getExportFile",
    [resp(200, {"type": "string"}, ctype="text/csv")], params=PID, errors=(401, 404, 409),
    tags=("reports",)))
add("/api/v1/webhooks", "get", op("The shop's webhook endpoints and their delivery state (owner, lead)",
    "listWebhooks", [resp(200, obj({"items": {"type": "array", "items": ref("Webhook")}}))],
    errors=(401, 403), tags=("webhooks",)))
add("/api/v1/webhooks", "post", op("Add an endpoint: the shop's timeline events are POSTed to it, "
    "in order, signed, retried with backoff (docs/webhooks.md)", "createWebhook",
    [resp(201, ref("Webhook"), "created; the secret is shown this once")],
    obj({"url": s(2000, description="http:// or https://"), "description": s(200),
         "events": {"type": "array", "maxItems": 32, "items": s(enum=EVENT_KINDS),
                    "description": "only these kinds of event (absent or empty: every kind)"}},
        ["url"]),
    tags=("webhooks",)))
add("/api/v1/webhooks/{id}", "delete", op("Remove an endpoint", "deleteWebhook",
    [resp(204, desc="removed")], params=PID, errors=(401, 403, 404), tags=("webhooks",)))
add("/api/v1/stream", "get", op("Live updates (Server-Sent Events: counts, workorder) of the work "
    "orders the caller may open; at most 8 per user (429) and 1000 per server (503)", "stream",
    [resp(200, {"type": "string"}, ctype="text/event-stream")], errors=(401, 429, 503),
    tags=("session",)))
add("/api/v1/openapi.json", "get", op("This document", "openapi", [resp(200, {"type": "object"})],
                                      errors=(405,), tags=("operations",), security=False))
add("/api/v1/_test/clock", "post", op("Move the clock (only with serve --test-clock; 404 otherwise)",
    "testClock", [resp(200, {"type": "object"})], obj({"advance_ms": {"type": "integer"},
    "now": {"type": "string", "format": "date-time"}}), errors=(400, 404, 422),
    tags=("operations",), security=False))
add("/healthz", "get", op("Health: 200 while the database answers, 503 (with Retry-After) while it "
    "cannot be reached", "health", [resp(200, obj({"status": s(enum=["ok"]),
    "backend": s(enum=["sqlite", "postgresql"], description="the storage backend (--db)"),
    "node": s(description="the node that answered (serve --node-id)")})),
    resp(503, ref("Error"), "the database cannot be reached", headers=RETRY_AFTER)],
    errors=(405,), tags=("operations",), security=False))
add("/metrics", "get", op("Prometheus metrics", "metrics", [resp(200, {"type": "string"},
                          ctype="text/plain")], errors=(405,), tags=("operations",), security=False))

doc = {
    "openapi": "3.1.0",
    "info": {"title": "gongdan 工单 API", "version": "1.0.0",
             "description": "Work order center and collaborative work orders. Ids are strings; "
                            "times are RFC 3339. Errors: {error: {code, message, field, request_id}}. "
                            "Any route answers 503 with Retry-After while the database cannot be "
                            "reached (code unavailable) or asks for the work to be run again "
                            "(code retry); the same request may then be sent again (a create with "
                            "its Idempotency-Key).",
             "license": {"name": "Proprietary", "identifier": "LicenseRef-gongdan"}},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": [{"bearer": []}, {"session": []}],
    "tags": [{"name": t, "description": t} for t in
             ["session", "orders", "work orders", "collaborative", "reports", "webhooks", "operations"]],
    "paths": paths,
    "components": {
        "schemas": schemas,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "API token (gongdan token create)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "gd_session",
                        "description": "over https the cookie is __Host-gd_session; mutations "
                                       "also need the X-CSRF-Token header"},
        },
    },
}

out = os.path.join(os.path.dirname(__file__), "..", "docs", "openapi.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
