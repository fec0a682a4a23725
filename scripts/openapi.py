#!/usr/bin/env python3
"""Writes docs/openapi.json, the OpenAPI 3.1 description of every route of `gongdan serve`.

This file is the one source of the document: edit it when a route changes and run it
(`scripts/openapi.py`; `--stdout` prints the document instead). tests/api/openapi.test.mjs checks
that the committed JSON is this script's output, that every route in the server's route tables is
described, and that the document passes a real validator; every API test checks its requests and
answers against the document (tests/api/contract.mjs), and tests/api/client.test.mjs runs a
client generated from it.
"""
import json
import os
import sys

ID = {"type": "string", "pattern": "^[0-9]+$", "description": "64-bit id as a decimal string"}
ID_OR_NULL = {"type": ["string", "null"], "pattern": "^[0-9]+$"}
TIME = {"type": ["string", "null"], "format": "date-time", "description": "RFC 3339"}
DATE = {"type": "string", "format": "date", "description": "a day, YYYY-MM-DD"}
INT = {"type": "integer"}
INT_OR_NULL = {"type": ["integer", "null"]}
RATE = {"type": ["number", "null"], "minimum": 0, "maximum": 1,
        "description": "a share from 0 to 1; null when there is nothing to divide by"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props, required=(), extra=False, nullable=False, **kw):
    """An object schema: `required` is "all" or the names that are required (none by default);
    the object is closed (additionalProperties: false) unless extra is True."""
    o = {"type": ["object", "null"] if nullable else "object", "properties": props}
    req = list(props) if required == "all" else list(required)
    if req:
        o["required"] = req
    if not extra:
        o["additionalProperties"] = False
    o.update(kw)
    return o


def s(maxlen=None, enum=None, nullable=False, **kw):
    o = {"type": ["string", "null"] if nullable else "string"}
    if maxlen:
        o["maxLength"] = maxlen
    if enum:
        o["enum"] = enum + [None] if nullable else enum
    o.update(kw)
    return o


def arr(items, **kw):
    return {"type": "array", "items": items, **kw}


EVENT_KINDS = ["created", "assigned", "transferred", "noted", "attached", "chased", "state_changed", "edited",
               "deadline_changed", "overdue", "reminded", "replied", "evidence_added", "verified", "judged", "appealed",
               "appeal_decided", "seller_timeout", "finalized", "target_reminded", "target_missed",
               "assignment_failed"]
NOTIFY_KINDS = ["assigned", "chased", "mentioned", "target_due_soon", "target_missed", "collab_arrived",
                "collab_platform", "collab_judged"]
TYPES = ["order_review", "shipping", "waybill", "out_of_stock", "after_sales", "customer_memo",
         "task_memo", "collab"]
SHOP_TYPE_KEY = s(pattern="^x-[1-9][0-9]{3}$", description="a type the shop defined "
                  "(GET /api/v1/workorder_types)")
TYPE = ref("TypeKey")
FIELD_KINDS = ["text", "long_text", "number", "money", "date", "choice", "multi_choice", "bool",
               "user"]
STATES = ["open", "in_progress", "done", "cancelled", "awaiting_seller", "platform_verify",
          "intervention", "judged", "appeal_review", "resolved", "final", "waiting_buyer"]
VIEWS = ["todo", "created", "assigned", "shop", "overdue", "reassign", "platform_verify", "intervention",
         "appeal_review"]
ACTION_NAMES = ["assign", "transfer", "note", "chase", "start", "complete", "reopen", "cancel",
                "edit", "wait_buyer", "reply", "evidence", "verify", "judge", "appeal", "decide_appeal"]
PRIORITIES = ["low", "normal", "high", "urgent"]
ROLES = ["shop_owner", "shop_lead", "shop_agent", "platform_agent", "platform_supervisor",
         "platform_admin"]
ORDER_STATUSES = ["paid", "shipped", "signed", "refunding", "closed"]
REPLY_OPTIONS = ["agreed", "unreachable", "not_agreed", "other"]
OUTCOMES = ["support_buyer", "support_seller"]
REMEDIES = ["refund", "return_refund", "reship", "exchange", "repair", "payout", "reject_claim"]
LIABLE = ["seller", "buyer", "platform", "logistics"]
ASSIGN_KINDS = ["fixed", "round_robin", "least_open"]
AGENT_STATES = ["online", "busy", "offline"]
PERSON = obj({"id": ID_OR_NULL, "display_name": s(nullable=True)}, "all", nullable=True)

# What a collaborative case is opened with, at the top level or nested in "collab".
CASE = {"category": s(64), "complaint": s(5000),
        "remedy": s(enum=REMEDIES, description="what the buyer asks for")}
# The work order filters: query parameters of GET /workorders, body fields of POST /exports.
FILTERS = {"type": TYPE, "state": s(enum=STATES), "handler": ID, "creator": ID,
           "order_no": s(64, minLength=1), "buyer": s(64, minLength=1),
           "q": s(100, minLength=1, description="keyword: Chinese substrings of any length in "
                  "title, content, notes, buyer and order number"),
           "created_from": s(description="a date (2026-01-02, midnight in the shop's time) or "
                             "an RFC 3339 time"),
           "created_to": s(description="a date or an RFC 3339 time"),
           "deadline_from": s(description="a date or an RFC 3339 time"),
           "deadline_to": s(description="a date or an RFC 3339 time")}


def figures(extra_props):
    """The figures of a statistics group or of the totals (docs/reports.md)."""
    collab = obj({k: INT for k in ["count", "settled", "replied_within_window", "intervened",
                                   "judged", "judged_against", "appeals_decided",
                                   "appeals_overturned", "disputes"]} |
                 {k: RATE for k in ["reply_within_window_rate", "intervention_rate",
                                    "judged_against_rate", "appeal_success_rate"]}, "all")
    props = dict(extra_props)
    props |= {k: INT for k in ["created", "done", "open", "overdue", "transferred",
                               "done_within_deadline"]}
    props |= {k: {"type": ["integer", "null"], "description": "seconds; null when there is none"}
              for k in ["first_action_p50_s", "first_action_p90_s", "done_p50_s", "done_p90_s"]}
    props |= {"within_deadline_rate": RATE, "collab": collab}
    return obj(props, "all")


ATTACHMENT_IDS = arr(ID, maxItems=16, uniqueItems=True, description=(
    "ids of the caller's unused uploads (POST /api/v1/attachments); at most the rules' "
    "attachments.max_files (9) are linked: 413"))
ATTACHMENT = {"id": ID, "filename": s(), "mime": s(description="the type found in the content"),
              "size": INT, "sha256": s(pattern="^[0-9a-f]{64}$"),
              "party": s(enum=["shop", "platform"]), "uploader_id": ID,
              "purpose": s(enum=["create", "note", "attach", "reply", "evidence", "appeal"],
                           nullable=True,
                           description="null until a step uses it"),
              "created_at": TIME, "url": s(description="where to download it"),
              "thumbnail_url": s(nullable=True, description="images only (GET .../thumbnail)")}
RULES_PROPS = {
    "version": {"type": "integer", "minimum": 1, "description": "set by the server"},
    "created_at": {"type": "string", "format": "date-time", "description": "set by the server"},
    "reply_window_hours": {"type": "number", "exclusiveMinimum": 0},
    "reminder_offsets_hours": arr({"type": "number", "exclusiveMinimum": 0}),
    "verify_working_days": {"type": "integer", "minimum": 1, "maximum": 60},
    "judge_working_days": {"type": "integer", "minimum": 1, "maximum": 60},
    "appeal_review_working_days": {"type": "integer", "minimum": 1, "maximum": 60},
    "appeal_window_days": {"type": "number", "exclusiveMinimum": 0},
    "reply_options": arr(obj({"code": s(enum=REPLY_OPTIONS), "label_zh": s(), "label_en": s(),
                              "requires": arr(s(enum=["description", "evidence", "contact_at"]))},
                             ["code"]), minItems=1),
    "outcomes": obj({o: arr(s(enum=REMEDIES), minItems=1) for o in OUTCOMES}),
    "attachments": obj({"max_file_bytes": {"type": "integer", "minimum": 1, "maximum": 20971520},
                        "max_files": {"type": "integer", "minimum": 1, "maximum": 9},
                        "types": arr(s())}),
    "calendar": obj({"name": s(), "about": s(), "timezone": s(enum=["Asia/Shanghai"]),
                     "weekdays": arr({"type": "integer", "minimum": 1, "maximum": 7}),
                     "years": {"type": "object", "propertyNames": {"pattern": "^[1-9][0-9]{3}$"},
                               "additionalProperties": obj({
                                   "holidays": {"oneOf": [arr(DATE), {
                                       "type": "object", "description": "holiday name -> days",
                                       "additionalProperties": arr(DATE)}]},
                                   "workdays": arr(DATE)})}}),
}

schemas = {
    "Error": obj({"error": obj({"code": s(), "message": s(), "field": s(), "request_id": s()},
                               ["code", "message", "request_id"])}, ["error"]),
    "User": obj({"id": ID, "username": s(), "display_name": s(), "role": s(enum=ROLES),
                 "shop_id": ID_OR_NULL, "shop_name": s(nullable=True),
                 "active": {"type": "boolean", "description": "false: deactivated, cannot sign in"},
                 "must_change_password": {"type": "boolean", "description": (
                     "the password was set by someone else: until the user changes it "
                     "(POST /api/v1/me/password) every other route answers 403 "
                     "password_change_required")}}, "all"),
    "Shop": obj({"id": ID, "name": s(), "tz": s(), "active": {"type": "boolean"}}, "all"),
    "AuditEvent": obj({"id": ID, "shop_id": ID_OR_NULL,
                       "actor": obj({"id": ID, "display_name": s()}, "all"),
                       "action": s(enum=["user.created", "user.renamed", "user.role_changed",
                                         "user.deactivated", "user.reactivated",
                                         "user.password_reset", "user.password_changed",
                                         "shop.created", "shop.renamed", "shop.deactivated",
                                         "shop.reactivated", "panel.origins_changed",
                                         "panel.secret_rotated"]),
                       "target_user_id": ID_OR_NULL, "target_shop_id": ID_OR_NULL, "at": TIME,
                       "data": {"type": "object", "description": (
                           "what changed: field -> {from, to}; on creation the new values")}},
                      "all"),
    "Session": obj({"user": ref("User"), "csrf_token": s(nullable=True, description=(
        "send it as X-CSRF-Token with every cookie-authenticated change; null for tokens"))},
        "all"),
    "Item": obj({"title": s(400), "sku": s(100), "quantity": {"type": "integer", "minimum": 1},
                 "price": {"type": "integer", "minimum": 0, "description": "minor units (fen)"}},
                "all"),
    "Order": obj({"order_no": s(64), "buyer_nick": s(64), "status": s(enum=ORDER_STATUSES),
                  "paid_amount": {"type": "integer", "description": "minor units (fen)"},
                  "items": arr(ref("Item")), "created_at": TIME, "updated_at": TIME}, "all"),
    "OrderInput": obj({"buyer_nick": s(64), "status": s(enum=ORDER_STATUSES),
                       "paid_amount": {"type": "integer", "minimum": 0},
                       "items": arr(ref("Item"), maxItems=200),
                       "created_at": {"type": "string", "format": "date-time"}},
                      ["buyer_nick", "status", "paid_amount"]),
    "WorkOrder": obj({"id": ID, "shop_id": ID,
                      "number": s(pattern="^GD-[0-9]{6,}$",
                                  description="per shop: the shop and the number name a work "
                                              "order"), "type": TYPE,
                      "state": s(enum=STATES), "priority": s(enum=PRIORITIES),
                      "title": s(), "content": s(), "handler": PERSON, "creator": PERSON,
                      "order_no": s(nullable=True), "buyer_nick": s(nullable=True),
                      "deadline": TIME, "overdue": {"type": "boolean"}, "created_at": TIME,
                      "updated_at": TIME, "first_action_at": TIME, "done_at": TIME,
                      "transfers": INT, "version": {"type": "integer", "description": (
                          "the version If-Match takes (also the ETag)")},
                      "custom": {"type": "object", "description": "the caller's own fields"},
                      "fields": ref("FieldValues"),
                      "collab": ref("Collab")},
                     [k for k in ["id", "shop_id", "number", "type", "state", "priority", "title", "content",
                                  "handler", "creator", "order_no", "buyer_nick", "deadline",
                                  "overdue", "created_at", "updated_at", "first_action_at",
                                  "done_at", "transfers", "version", "custom", "fields"]],
                     description="collab is there for a collaborative work order (type collab)"),
    "Collab": obj({
        **CASE, "rule_version": INT, "state": s(enum=STATES), "reply_due": TIME, "due_at": TIME,
        "reply": obj({"option": s(enum=REPLY_OPTIONS), "description": s(nullable=True),
                      "contact_at": TIME, "replied_at": TIME,
                      "evidence": arr(ref("Attachment"))}, "all", nullable=True),
        "evidence": arr(ref("Attachment")),
        "verification": obj({"result": s(enum=["verified", "rejected"]),
                             "remark": s(nullable=True), "at": TIME}, "all", nullable=True),
        "intervention": obj({"reason": s(nullable=True), "at": TIME}, "all", nullable=True),
        "judgement": obj({"outcome": s(enum=OUTCOMES), "remedy": s(enum=REMEDIES, nullable=True),
                          "liable_party": s(enum=LIABLE, nullable=True),
                          "reasoning": s(nullable=True), "rule_article": s(nullable=True),
                          "judge": PERSON, "judged_at": TIME,
                          "counts_against_seller": {"type": "boolean"}}, "all", nullable=True),
        "appeal": obj({"reason": s(nullable=True), "appealed_at": TIME,
                       "evidence": arr(ref("Attachment")),
                       "decision": s(enum=["upheld", "overturned"], nullable=True),
                       "remark": s(nullable=True), "decided_at": TIME}, "all", nullable=True),
        "final_at": TIME}, "all", description="the collaborative part of a work order"),
    "BuiltinType": s(enum=TYPES, description="a built-in work order type"),
    "TypeKey": {"anyOf": [ref("BuiltinType"), SHOP_TYPE_KEY],
                "description": "a built-in type, or one the shop defined (x-1000 ...)"},
    "FieldValues": {"type": "object", "maxProperties": 30, "additionalProperties": {
        "type": ["string", "number", "boolean", "array", "null"], "items": s()},
        "description": "custom field values of a shop type's work order by field key "
                       "(docs/types.md): text, long_text, date (YYYY-MM-DD), choice and user "
                       "(an id) are strings, number a number, money whole fen, bool true or "
                       "false, multi_choice a list of options. In a change, null clears a value"},
    "ShopTypeField": obj({"key": s(pattern="^[a-z][a-z0-9_]{0,31}$"), "type": TYPE,
                          "label_zh": s(), "label_en": s(), "kind": s(enum=FIELD_KINDS),
                          "required": {"type": "boolean"}, "options": arr(s()),
                          "position": INT, "retired": {"type": "boolean"}}, "all"),
    "WorkOrderType": obj({"key": TYPE, "builtin": {"type": "boolean"}, "name_zh": s(),
                          "name_en": s(), "default_deadline_hours": INT,
                          "default_handler_id": ID_OR_NULL,
                          "color": s(nullable=True, description="#rrggbb; null for built-in "
                                                                "types"),
                          "retired": {"type": "boolean", "description": (
                              "takes no new work orders; its work orders keep it")},
                          "fields": arr(ref("ShopTypeField"))}, "all"),
    "WorkOrderInput": obj({"type": {"anyOf": [s(enum=TYPES[:-1]), SHOP_TYPE_KEY]},
                           "title": s(200), "content": s(5000),
                           "handler_id": ID, "priority": s(enum=PRIORITIES),
                           "deadline": {"type": "string", "format": "date-time"},
                           "order_no": s(64), "buyer_nick": s(64),
                           "custom": {"type": "object", "maxProperties": 50},
                           "fields": ref("FieldValues"),
                           "attachment_ids": ATTACHMENT_IDS}, ["type", "title"]),
    "CollabInput": obj({"type": s(enum=["collab"]), "shop_id": ID, "order_no": s(64), **CASE,
                        "title": s(200), "content": s(5000),
                        "collab": obj(CASE, description="the case fields, nested (instead of "
                                                        "at the top level)")},
                       ["shop_id", "order_no"],
                       description="category, complaint and remedy are required: at the top "
                                   "level or inside collab"),
    "Event": obj({"id": ID, "kind": s(enum=EVENT_KINDS), "actor": PERSON, "at": TIME,
                  "data": ref("EventData")}, "all"),
    "EventData": obj({
        **{k: s(nullable=True) for k in [
            "from", "to", "from_name", "to_name", "reason", "text", "handler", "handler_name",
            "title_from", "title_to", "priority_from", "priority_to", "content_changed",
            "collab", "category", "remedy", "rule_version", "option", "description", "party",
            "result", "remark", "outcome", "liable_party", "rule_article", "decision", "step",
            "fields_changed", "target", "rule", "minutes", "moved_to", "rule_kind"]},
        "evidence": s(nullable=True, description="the number of files added (null: none), or "
                                                 "waived (视为放弃举证)"),
        **{k: TIME for k in ["deadline_from", "deadline_to", "reply_due", "due_at",
                             "contact_at"]},
        "before_hours": {"type": "number", "description": "a reminder: this many hours before "
                                                          "the reply is due"},
        "internal": {"type": "boolean", "description": "shown to platform staff only"},
        "attachments": arr(obj({"id": ID, "filename": s(), "mime": s()}, "all"),
                           description="the files the step added (created, noted, attached)")},
        description="what the event changed; which fields depend on its kind (docs/webhooks.md); "
                    "times are RFC 3339"),
    "WorkOrderDetail": obj({"workorder": ref("WorkOrder"),
                            "order": {"oneOf": [ref("Order"), {"type": "null"}]},
                            "shop": obj({"id": ID, "name": s()}, "all", nullable=True),
                            "attachments": arr(ref("Attachment"), description="every file "
                                               "linked to the work order, oldest first"),
                            "events": arr(ref("Event")),
                            "allowed_actions": arr(s(enum=ACTION_NAMES))}, "all"),
    "WorkOrderList": obj({"items": arr(ref("WorkOrder")),
                          "next_cursor": s(nullable=True, description="the cursor of the next "
                                                                      "page; null on the last")},
                         "all"),
    "BuyerHistory": obj({
        "buyer_nick": s(64, nullable=True, description="null: the work order names no buyer"),
        "orders": arr(ref("Order"), description=(
            "the buyer's newest orders in the shop (20; none for platform staff)")),
        "workorders": arr(ref("WorkOrder"), description=(
            "the buyer's newest work orders in the shop that the reader may open (of 50 read)")),
        "more": {"type": "boolean", "description": "the buyer has older work orders"},
        "disputes": obj({k: {"type": "integer", "minimum": 0} for k in
                         ("total", "open", "settled", "for_buyer", "for_seller")}, "all",
                        description=(
                            "the buyer's collaborative cases among those work orders: still open, "
                            "ended without a judgement, judged for the buyer, for the seller")),
    }, "all"),
    "Counts": {"oneOf": [
        obj({"todo": INT, "created": INT, "assigned": INT, "overdue": INT, "due_soon": INT,
             "collab_awaiting": INT, "shop": INT_OR_NULL}, "all",
            description="shop staff (shop is null for an agent)"),
        obj({"platform_verify": INT, "intervention": INT, "appeal_review": INT}, "all",
            description="platform staff")]},
    "ImportReport": obj({"rows": INT, "stored": INT, "rejected": INT,
                         "errors": arr(obj({"line": INT, "reason": s()}, "all"), maxItems=100)},
                        "all"),
    "Attachment": obj(ATTACHMENT, "all"),
    "UploadedAttachments": obj({**ATTACHMENT, "items": arr(ref("Attachment"))}, "all",
                               description="the first file's fields at the top (one file per "
                                           "request is the usual case), every file in items"),
    "Rules": obj(RULES_PROPS, [k for k in RULES_PROPS if k != "attachments"],
                 description="versioned platform rules (docs/collab.md)"),
    "RulesInput": obj(RULES_PROPS, description=(
        "a new version: the fields given replace those of the version in force, the others are "
        "kept; version and created_at are ignored")),
    "Stats": obj({"from": DATE, "to": DATE, "group": s(enum=["type", "handler", "day"]),
                  "groups": arr(figures({"key": s(), "label": s()})), "totals": figures({}),
                  "orders": INT, "dispute_rate": RATE}, "all"),
    "ExportJob": obj({
        "id": ID, "state": s(enum=["queued", "running", "done", "failed", "expired"]),
        "rows_done": INT, "rows_total": INT, "format": s(enum=["csv", "xlsx"]),
        "file_name": s(nullable=True), "error": s(nullable=True, description="why it failed"),
        "created_at": TIME, "finished_at": TIME,
        "file_url": s(nullable=True, description="the file, once done")}, "all"),
    "Webhook": obj({
        "id": ID, "url": s(2000), "description": s(200),
        "events": arr(s(enum=EVENT_KINDS), description="the event kinds it takes; empty = every kind"),
        "format": s(enum=["gongdan", "dingtalk", "wecom"],
                    description="gongdan: the webhook body (docs/webhooks.md); dingtalk, wecom: a "
                                "group robot (docs/notifications.md)"),
        "secret": s(description="only in the answer to the create of a gongdan webhook: signs "
                                "every delivery (X-Gongdan-Signature: t=UNIX,v1=hex HMAC-SHA256 "
                                "of \"t.body\"); a DingTalk robot's is never sent back"),
        "created_at": TIME, "delivered": INT,
        "pending": {"type": "integer", "description": "events owed, not yet acknowledged"},
        "failures": {"type": "integer", "description": "consecutive failed attempts"},
        "last_status": INT_OR_NULL, "last_attempt_at": TIME,
        "next_attempt_at": TIME, "last_error": s(nullable=True)},
        ["id", "url", "description", "events", "format", "created_at", "delivered", "pending",
         "failures", "last_status", "last_attempt_at", "next_attempt_at", "last_error"]),
    "Notification": obj({
        "id": ID, "kind": s(enum=NOTIFY_KINDS),
        "workorder": obj({"id": ID, "number": s(), "title": s()}, "all"),
        "actor": obj({"id": ID, "name": s()}, "all", nullable=True,
                     description="who did it; null for the system (the deadline engine)"),
        "text": s(description="the note, chase or reason it came with (at most 200 "
                              "characters and an ellipsis); empty when none"),
        "created_at": TIME, "read_at": TIME}, "all"),
    "NotificationPreferences": obj({
        "kinds": arr(s(enum=NOTIFY_KINDS), description="every kind a user may be told of"),
        "muted": arr(s(enum=NOTIFY_KINDS), description="the kinds this user turned off"),
    }, "all"),
    "AssignRule": obj({
        "type": s(64, description="the work order type the rule is for"),
        "kind": s(enum=ASSIGN_KINDS, description="fixed: one handler; round_robin: the next "
                  "available member in turn; least_open: the available member with the fewest "
                  "open work orders"),
        "members": arr(ID, minItems=1, maxItems=50, description="active people of the shop, in "
                       "the order the round goes (fixed: one)"),
        "reassign": {"type": "boolean", "description": "also place the open work of a handler "
                                                       "who is deactivated or goes offline"},
        "updated_at": TIME}, "all"),
    "Availability": obj({
        "user_id": ID, "display_name": s(),
        "status": s(enum=AGENT_STATES, description="在线 / 忙碌 / 离线, as the person set it "
                                                   "(never set: online)"),
        "workbench_only": {"type": "boolean", "description": "online only while a workbench "
                                                             "of theirs is open"},
        "workbench_open": {"type": "boolean", "description": "a workbench of theirs is open "
                                                             "(a live stream on any node)"},
        "available": {"type": "boolean", "description": "assignment rules may give them work"},
        "updated_at": TIME}, "all"),
    "QuickReply": obj({
        "id": ID, "title": s(30), "body": s(500, description="may hold the placeholders {买家} "
                                               "{订单号} {截止时间}, which the workbench fills "
                                               "from the work order"),
        "shared": {"type": "boolean", "description": "shop-wide (else the caller's own)"},
        "can_manage": {"type": "boolean", "description": "the caller may change and delete it"},
        "created_at": TIME, "updated_at": TIME}, "all"),
    "SavedFilter": obj({
        "id": ID, "name": s(30),
        "view": s(enum=["todo", "created", "assigned", "shop", "overdue", "reassign"],
                  description="the list the filter is of"),
        "query": s(1000, description="the list's filter as URL query text (the parameters of "
                                     "GET /api/v1/workorders: type, state, handler, creator, "
                                     "order_no, buyer, created_from, created_to, deadline_from, "
                                     "deadline_to, q, sort, and up to 3 custom-field filters "
                                     "field[<key>]=<value>), e.g. state=open&type=shipping or "
                                     "type=x-1001&field%5Bx1001_grade%5D=A"),
        "shared": {"type": "boolean", "description": "shared with the shop (else the caller's "
                                                     "own)"},
        "can_manage": {"type": "boolean", "description": "the caller may change and delete it"},
        "count": {"type": ["integer", "null"], "minimum": 0, "maximum": 1000,
                  "description": "work orders the filter matches now, counted up to 1000; null "
                                 "when the caller may not open its view (a lead's view shared "
                                 "with an agent)"},
        "count_capped": {"type": "boolean", "description": "count reached 1000: there may be "
                                                           "more"},
        "created_at": TIME, "updated_at": TIME}, "all"),
}
schemas["ImportStopped"] = obj(
    {"error": schemas["Error"]["properties"]["error"],
     "stopped_at_line": {"type": "integer", "description": "the first line not stored: send "
                                                           "the file again from it"},
     **schemas["ImportReport"]["properties"]}, "all",
    description="a database failure mid-way: the rows before stopped_at_line are stored")

RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"},
                               "description": "seconds after which the same request may be sent "
                                              "again"}}

def err_ref(desc="error", headers=None):
    r = {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
    if headers:
        r["headers"] = headers
    return r


def resp(code, schema=None, desc="OK", ctype="application/json", headers=None):
    r = {"description": desc}
    if schema is not None:
        r["content"] = ({c: {"schema": schema} for c in ctype} if isinstance(ctype, (list, tuple))
                        else {ctype: {"schema": schema}})
    if headers:
        r["headers"] = headers
    return {str(code): r}


ERROR_WORDS = {
    400: "malformed request (JSON, If-Match, Idempotency-Key, multipart)",
    401: "not signed in",
    403: "not allowed (role, shop, a cookie change without X-CSRF-Token, or "
         "password_change_required: a password set by someone else is changed first)",
    404: "not found (or not visible to the caller)",
    409: "conflict (the state does not allow it, or a request with this Idempotency-Key is in "
         "flight)",
    410: "gone: the file is no longer stored",
    412: "If-Match names an older version",
    413: "too large (the body, a file, or too many files)",
    415: "unsupported Content-Type",
    422: "invalid input: error.field names the field and error.message the rule",
    429: "too many (Retry-After says when to try again)",
    503: "unavailable (the database, or a limit of the server)",
}


def op(method, summary, op_id, responses, body=None, params=None, errors=(),
       tags=("work orders",), security=True, body_type="application/json", body_required=True):
    """An operation. Besides `errors`, every operation may answer 413 (a body over the route's
    limit, even on a GET) and 503 (no database); a secured one 401 and 403
    (password_change_required, and on a change X-CSRF-Token), and a secured change takes the
    X-CSRF-Token header."""
    o = {"summary": summary, "operationId": op_id, "tags": list(tags), "responses": {}}
    for r in responses:
        o["responses"].update(r)
    codes = set(errors) | {413, 503}
    if security:
        codes |= {401, 403}  # 403 password_change_required answers any route but a few
    for e in sorted(codes):
        o["responses"][str(e)] = err_ref(ERROR_WORDS[e], RETRY_AFTER if e == 503 else None)
    if body is not None:
        o["requestBody"] = {"required": body_required, "content": {body_type: {"schema": body}}}
    if method != "get" and security:
        params = (params or []) + [CSRF]
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
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": s(128), "description": (
                       "a retry with the same key returns the first response; the same key with "
                       "another body is 422 idempotency_key_reused, and 409 while the first is in "
                       "flight")}
CSRF = {"name": "X-CSRF-Token", "in": "header", "required": False, "schema": s(),
        "description": "the csrf_token of sign-in: required on every change made with the "
                       "session cookie (403 csrf without it), not with a bearer token"}
ETAG = {"ETag": {"schema": s(pattern='^"[0-9]+"$'), "required": True,
                 "description": "the version, quoted (If-Match takes it)"}}


REPLAYED = {"Idempotent-Replayed": {"schema": s(enum=["true"]), "description": (
    "true on the answer to a retry with a known Idempotency-Key: the first answer again")}}


def location(what):
    return {"Location": {"schema": s(), "required": True, "description": f"the {what}'s URL"}}


FIELD_FILTER = {"name": "field", "in": "query", "required": False, "style": "deepObject",
                "explode": True, "schema": {"type": "object", "maxProperties": 3,
                                            "additionalProperties": s(200)},
                "description": "custom fields: field[<key>]=<value> keeps work orders whose "
                               "field holds the value (a multiple choice: lists it); at most 3; "
                               "long text is not a filter (docs/types.md)"}
LIST_FILTERS = [q(k, v) for k, v in FILTERS.items()] + [FIELD_FILTER] + [
    q("shop_id", ID, "one shop's work orders (platform staff; a shop's own lists hold only its "
                     "own)")]

paths = {}


def add(path, method, *args, **kw):
    paths.setdefault(path, {})[method] = op(method, *args, **kw)


add("/api/v1/session", "post", 
    "Sign in (Content-Type: application/json; a browser's Origin must be this server's; 5 "
    "failures in 15 minutes lock an account for 5 minutes, 30 lock a client address for 15: 429 "
    "with Retry-After)", "signIn", [resp(200, ref("Session"), headers={
        "Set-Cookie": {"schema": s(), "required": True, "description": (
            "gd_session (over https __Host-gd_session, Secure), Path=/, HttpOnly, "
            "SameSite=Strict")}})],
    obj({"username": s(64), "password": s(256)}, ["username", "password"]),
    errors=(400, 401, 403, 415, 422, 429), tags=("session",), security=False)
add("/api/v1/session", "delete", "Sign out", "signOut", [resp(204, desc="signed out")],
                                            tags=("session",))
add("/api/v1/me", "get", "The signed-in user", "me", [resp(200, ref("Session"))],
                                    tags=("session",))
add("/api/v1/users", "get", "Users of my shop (platform staff: shop_id's, or platform staff)",
    "listUsers", [resp(200, obj({"items": arr(ref("User"))}, "all"))],
    params=[q("shop_id", ID, "platform staff: that shop's users (absent: platform staff)")],
    errors=(422,), tags=("people",))
add("/api/v1/users", "post", (
    "Add a user (owner or lead: to their shop, a lead adds agents and leads only; platform "
    "admin: to shop_id, or platform staff without it). The user must change the password at "
    "first sign-in"), "createUser",
    [resp(201, ref("User"), headers=location("user"))],
    obj({"username": s(64), "display_name": s(64), "role": s(enum=ROLES), "password": s(256),
         "shop_id": ID}, ["username", "display_name", "role", "password"]),
    errors=(404, 409, 422), tags=("people",))
add("/api/v1/users/{id}", "patch", (
    "Rename, set the role or (de)activate a user: deactivation ends every session, token and "
    "stream of theirs at once; their open work orders show in view=reassign. Oneself and the "
    "shop's last active owner: 409 naming the field"), "changeUser",
    [resp(200, ref("User"))],
    obj({"display_name": s(64), "role": s(enum=ROLES), "active": {"type": "boolean"}}),
    params=PID, errors=(404, 409, 422), tags=("people",))
add("/api/v1/users/{id}/password", "post", (
    "Reset a user's password: their sessions and tokens end; they must change it at next "
    "sign-in"), "resetPassword", [resp(204, desc="reset")], obj({"password": s(256)}, "all"),
    params=PID, errors=(404, 409, 422), tags=("people",))
add("/api/v1/me", "patch", "Change my display name", "renameMe", [resp(204, desc="renamed")],
    obj({"display_name": s(64)}, "all"), errors=(422,), tags=("people",))
add("/api/v1/me/password", "post", "Change my password (the current one is required)",
    "changeMyPassword", [resp(204, desc="changed")],
    obj({"current_password": s(256), "new_password": s(256)}, "all"), errors=(422,),
    tags=("people",))
add("/api/v1/shops", "get", 
    "Shops: every shop for platform staff, one's own for shop staff", "listShops",
    [resp(200, obj({"items": arr(ref("Shop"))}, "all"))], tags=("people",))
add("/api/v1/shops", "post", "Create a shop (platform admin)", "createShop",
    [resp(201, ref("Shop"), headers=location("shop"))], obj({"name": s(64)}, "all"),
    errors=(409, 422), tags=("people",))
add("/api/v1/shops/{id}", "patch", (
    "Rename or (de)activate a shop (platform admin): a deactivated shop's users cannot sign in "
    "and their sessions end"), "changeShop", [resp(200, ref("Shop"))],
    obj({"name": s(64), "active": {"type": "boolean"}}), params=PID, errors=(404, 409, 422),
    tags=("people",))
add("/api/v1/audit", "get", (
    "Audit log of changes to people and shops, newest first: an owner reads their shop's, a "
    "platform admin every shop's and the platform's (or shop_id's)"), "listAudit",
    [resp(200, obj({"items": arr(ref("AuditEvent")), "next_before": ID_OR_NULL}, "all"))],
    params=[q("shop_id", ID), q("before", ID, "the next_before of the previous page"),
            q("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
    errors=(422,), tags=("people",))
add("/api/v1/orders", "get", 
    "Search orders by number or buyer prefix (empty for a caller who may not read orders)",
    "searchOrders", [resp(200, obj({"items": arr(ref("Order"))}, "all"))],
    params=[q("q", s(64, minLength=1)),
            q("limit", {"type": "integer", "minimum": 1, "maximum": 200})],
    errors=(422,), tags=("orders",))
ORDER_NO = [{"name": "order_no", "in": "path", "required": True, "schema": s(64)}]
add("/api/v1/orders/{order_no}", "put", 
    "Insert or update an order (owner, leads and their tokens; the answer is the stored row)",
    "upsertOrder", [resp(200, ref("Order")), resp(201, ref("Order"), "created")],
    ref("OrderInput"), params=ORDER_NO, errors=(400, 403, 404, 422), tags=("orders",))
add("/api/v1/orders/{order_no}", "get", 
    "One order", "getOrder", [resp(200, ref("Order"))], params=ORDER_NO, errors=(404,),
    tags=("orders",))
add("/api/v1/orders/import", "post", 
    "Import orders from CSV (owner, leads and their tokens)", "importOrders",
    [resp(200, ref("ImportReport")),
     resp(500, ref("ImportStopped"), "stopped on a database error part-way")],
    s(description="CSV with a header line: order_no, buyer_nick, status, paid_amount, "
                  "created_at, items"), errors=(415, 422), tags=("orders",), body_type="text/csv")
add("/api/v1/workorders", "get", 
    "A view of work orders", "listWorkOrders", [resp(200, ref("WorkOrderList"))],
    params=[q("view", s(enum=VIEWS)), q("sort", s(enum=["deadline", "-deadline", "created",
                                                         "-created", "shop", "-shop"],
                                                 description="shop: grouped by shop id")),
            q("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
            q("cursor", s(), "next_cursor of the previous page")] + LIST_FILTERS,
    errors=(403, 422))
add("/api/v1/workorders", "post", 
    "Create a work order; with \"type\": \"collab\" a collaborative one (as POST "
    "/api/v1/collab)", "createWorkOrder",
    [resp(201, ref("WorkOrder"), "created", headers=ETAG | location("work order") | REPLAYED)],
    {"oneOf": [ref("WorkOrderInput"), ref("CollabInput")]}, params=[IDEMPOTENCY_KEY],
    errors=(400, 404, 409, 422))
add("/api/v1/workorders/counts", "get", 
    "Badge counts of every view", "countWorkOrders", [resp(200, ref("Counts"))])
add("/api/v1/workorders/{id}", "get", 
    "One work order with its timeline", "getWorkOrder",
    [resp(200, ref("WorkOrderDetail"), headers=ETAG)], params=PID, errors=(404,))
add("/api/v1/workorders/{id}/buyer_history", "get",
    "The buyer's history beside a work order: their orders, the work orders about them that the "
    "reader may open, how their disputes ended", "getBuyerHistory",
    [resp(200, ref("BuyerHistory"))], params=PID, errors=(404,))
add("/api/v1/buyer_history", "get",
    "A buyer's history by an order of the caller's shop (its buyer) or by the buyer's nick: "
    "exactly one of order_no and buyer (the chat-side panel, docs/panel.md); shop staff only",
    "getBuyerHistoryOf", [resp(200, ref("BuyerHistory"))],
    params=[q("order_no", s(64), "an order of the caller's shop (404 when there is none)"),
            q("buyer", s(64), "the buyer's nick (exact)")], errors=(404, 422))
add("/api/v1/workorders/{id}", "patch", 
    "Edit fields", "editWorkOrder", [resp(200, ref("WorkOrder"), headers=ETAG)],
    obj({"title": s(200), "content": s(5000), "priority": s(enum=PRIORITIES),
         "deadline": {"type": ["string", "null"], "format": "date-time"},
         "fields": ref("FieldValues")}),
    params=PID + [IF_MATCH], errors=(400, 403, 404, 409, 412, 422))
ACTIONS = {
    "assign": ("Assign a handler", obj({"to": ID, "reason": s(2000)}, ["to"])),
    "transfer": ("Transfer 转交 to a user of the shop, with a reason",
                 obj({"to": ID, "reason": s(2000)}, ["to", "reason"])),
    "notes": ("Add a note 备注, with files (text may then be left out)",
              obj({"text": s(2000), "attachment_ids": ATTACHMENT_IDS})),
    "attachments": ("Attach files on their own (who may note; event attached; a collaborative "
                    "work order takes files as evidence instead)",
                    obj({"attachment_ids": ATTACHMENT_IDS}, ["attachment_ids"])),
    "chase": ("Chase 催办 (the body is optional)", obj({"text": s(2000)})),
    "start": ("Start (no body, or {})", obj({})),
    "complete": ("Complete (the body is optional)", obj({"text": s(2000)})),
    "reopen": ("Reopen a done work order (the body is optional)", obj({"reason": s(2000)})),
    "cancel": ("Cancel (creator or lead; the body is optional)", obj({"reason": s(2000)})),
    "wait_buyer": ("Wait for the buyer 等待买家 (open or in progress; pauses the resolution "
                   "target until the work order moves again: start, complete or cancel; "
                   "docs/targets.md). The body is optional: what the buyer was asked",
                   obj({"text": s(2000)})),
    "reply": ("Seller's reply to a collaborative work order (once; fields required by the "
              "option come from the rules)", obj({
                  "option": s(enum=REPLY_OPTIONS), "description": s(2000),
                  "contact_at": {"type": ["string", "null"], "format": "date-time"},
                  "attachment_ids": ATTACHMENT_IDS}, ["option"])),
    "evidence": ("Add evidence until judgement", obj({"description": s(2000),
                                                      "attachment_ids": ATTACHMENT_IDS})),
    "verify": ("Platform verification", obj({"result": s(enum=["verified", "rejected"]),
                                             "remark": s(2000)}, ["result"])),
    "judge": ("Platform judgement 判责", obj({
        "outcome": s(enum=OUTCOMES), "remedy": s(enum=REMEDIES), "liable_party": s(enum=LIABLE),
        "reasoning": s(5000), "rule_article": s(200)}, "all")),
    "appeal": ("Seller's appeal 申诉 within the window", obj({
        "reason": s(2000), "attachment_ids": ATTACHMENT_IDS}, ["reason"])),
    "decide_appeal": ("Decide an appeal (a supervisor other than the judge)", obj({
        "decision": s(enum=["upheld", "overturned"]), "remark": s(2000)}, ["decision"])),
}
OPTIONAL_BODY = ("start", "chase", "complete", "reopen", "cancel", "wait_buyer")
for name, (summary, body) in ACTIONS.items():
    add("/api/v1/workorders/{id}/" + name, "post", 
        summary, "workOrder_" + name, [resp(200, ref("WorkOrder"), headers=ETAG)], body,
        params=PID + [IF_MATCH], errors=(400, 403, 404, 409, 412, 422),
        tags=("collaborative",) if name in ("reply", "evidence", "verify", "judge", "appeal",
                                            "decide_appeal") else ("work orders",),
        body_required=name not in OPTIONAL_BODY)
BULK_ERROR = obj({"code": s(description="the error kind the single action would answer with "
                                         "(not_found: another shop's or not there; too_large: "
                                         "beyond the first 500)"),
                   "message": s(), "field": s()}, ["code", "message"])
add("/api/v1/workorders/bulk", "post",
    "Bulk work (owner, lead): one action on up to 500 work orders, each in its own transaction; "
    "the answer says per item done or why not (ids beyond the first 500, another shop's or "
    "listed twice fail by name, the others are done; docs/bulk.md)", "bulkWorkOrders",
    [resp(200, obj({
        "items": arr(obj({"id": ID, "ok": {"type": "boolean"},
                          "version": {"type": "integer", "description": "done: the version after"},
                          "error": BULK_ERROR}, ["id", "ok"]),
                     description="one per id, in the order sent"),
        "done": INT, "failed": INT}, "all"))],
    obj({"action": s(enum=["assign", "transfer", "chase", "note", "complete", "cancel"]),
         "ids": arr(ID, maxItems=2000, minItems=1, uniqueItems=True,
                    description="the work orders; only the first 500 are acted on"),
         "to": ID, "reason": s(2000), "text": s(2000)}, ["action", "ids"]),
    errors=(400, 403, 422), tags=("work orders",))
add("/api/v1/collab", "post", 
    "Create a collaborative work order (platform)", "createCollab",
    [resp(201, ref("WorkOrder"), "created", headers=ETAG | location("work order") | REPLAYED)],
    ref("CollabInput"), params=[IDEMPOTENCY_KEY], errors=(400, 403, 404, 409, 422),
    tags=("collaborative",))
add("/api/v1/rules", "get", 
    "Platform rules: the version in force, or an earlier one", "getRules",
    [resp(200, ref("Rules"), headers=ETAG)],
    params=[q("version", {"type": "integer", "minimum": 1}, "an earlier version (404 when "
              "there is none)")], errors=(404, 422), tags=("collaborative",))
add("/api/v1/rules", "put", 
    "New rules version (platform_admin)", "putRules", [resp(200, ref("Rules"), headers=ETAG)],
    ref("RulesInput"), errors=(400, 403, 422), tags=("collaborative",))
add("/api/v1/attachments", "post", 
    "Upload files (multipart/form-data, one or more parts named file), then name them in "
    "attachment_ids of a create, note, attachments or evidence step", "uploadAttachments",
    [resp(201, ref("UploadedAttachments"), "stored", headers=location("first file"))],
    obj({"file": {"type": "string", "contentMediaType": "application/octet-stream"}}, extra=True),
    errors=(400, 403, 413, 415, 422), tags=("collaborative",), body_type="multipart/form-data")
add("/api/v1/attachments/{id}", "get", 
    "Download a file (who may open its work order): sent with the type found in its content",
    "getAttachment",
    [resp(200, {"type": "string", "contentMediaType": "application/octet-stream"},
          desc="the file (image/jpeg, image/png, image/webp, application/pdf, video/mp4, ...)",
          ctype="*/*")],
    params=PID + [q("inline", s(enum=["1"]), "1: Content-Disposition inline for an image or a "
                                            "PDF (in-page preview)")],
    errors=(404, 410), tags=("collaborative",))
add("/api/v1/attachments/{id}/thumbnail", "get",
    "Thumbnail of an image (WebP, at most 320 px a side; made once per content). 404 for a file "
    "that is not an image; 413 for an image over 50 megapixels; 422 unreadable_image for a "
    "damaged one; 429 while the thumbnail makers are busy", "getAttachmentThumbnail",
    [resp(200, {"type": "string", "contentMediaType": "image/webp"}, ctype="image/webp")],
    params=PID, errors=(404, 410, 413, 422, 429), tags=("collaborative",))
add("/api/v1/stats", "get", 
    "Statistics by type, handler or day", "getStats", [resp(200, ref("Stats"))], params=[
        q("from", DATE, "first day (default: 29 days before to)"),
        q("to", DATE, "last day (default: today in the shop's time)"),
        q("group", s(enum=["type", "handler", "day"])), q("type", TYPE),
        q("handler", s(pattern="^([0-9]+|none)$"), "a user id, or none: unassigned"),
        q("shop_id", ID, "platform staff: one shop (404 for shop staff naming another)")],
    errors=(403, 404, 422), tags=("reports",))
add("/api/v1/exports", "post", 
    "Start an export job of a view, with the filters of GET /api/v1/workorders", "createExport",
    [resp(202, ref("ExportJob"), "accepted", headers=location("job") | REPLAYED)],
    obj({"format": s(enum=["csv", "xlsx"]), "headers": s(enum=["zh", "en"]),
         "view": s(enum=VIEWS),
         **{k: (v if not k.endswith(("_from", "_to")) else {
             "type": ["string", "null"], "format": "date-time"}) for k, v in FILTERS.items()}}),
    params=[IDEMPOTENCY_KEY], errors=(400, 403, 409, 422), tags=("reports",))
add("/api/v1/exports/{id}", "get", 
    "Export job progress", "getExport", [resp(200, ref("ExportJob"))], params=PID,
    errors=(404,), tags=("reports",))
add("/api/v1/exports/{id}/file", "get", 
    "The exported file", "getExportFile",
    [resp(200, {"type": "string"}, ctype=[
        "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        desc="CSV (UTF-8) or XLSX, as the job's format")],
    params=PID, errors=(404, 409, 410), tags=("reports",))
add("/api/v1/webhooks", "get", 
    "The shop's webhook endpoints and their delivery state (owner, lead)", "listWebhooks",
    [resp(200, obj({"items": arr(ref("Webhook"))}, "all"))], errors=(403,), tags=("webhooks",))
add("/api/v1/webhooks", "post", 
    "Add an endpoint: the shop's timeline events are POSTed to it, in order, signed, retried "
    "with backoff (docs/webhooks.md)", "createWebhook",
    [resp(201, ref("Webhook"), "created; a gongdan webhook's secret is shown this once",
          headers=location("endpoint") | REPLAYED)],
    obj({"url": s(2000, description="http:// or https://; a group robot's: https:// whose host "
                                    "resolves to public addresses only"),
         "description": s(200),
         "events": arr(s(enum=EVENT_KINDS), maxItems=32,
                       description="only these kinds of event (absent or empty: every kind)"),
         "format": s(enum=["gongdan", "dingtalk", "wecom"],
                     description="absent: gongdan; dingtalk: a DingTalk custom robot (加签); "
                                 "wecom: a WeCom group robot (docs/notifications.md)"),
         "secret": s(200, description="a DingTalk robot's signing secret (SEC…), required for "
                                      "dingtalk and refused otherwise")},
        ["url"]),
    params=[IDEMPOTENCY_KEY], errors=(400, 403, 409, 422), tags=("webhooks",))
add("/api/v1/webhooks/{id}", "delete", 
    "Remove an endpoint", "deleteWebhook", [resp(204, desc="removed")], params=PID,
    errors=(403, 404), tags=("webhooks",))
add("/api/v1/notifications", "get",
    "The caller's notifications, newest first (docs/notifications.md), and their unread count",
    "listNotifications",
    [resp(200, obj({"items": arr(ref("Notification")), "unread": INT,
                    "next_before": {"type": ["string", "null"], "pattern": "^[0-9]+$",
                                    "description": "before= of the next page; null on the "
                                                   "last"}}, "all"))],
    params=[q("limit", {"type": "integer", "minimum": 1, "maximum": 100}, "default 30"),
            q("before", ID, "only notifications older than this id (the next page)"),
            q("unread", s(enum=["true", "false"]), "true: only the unread ones")],
    errors=(422,), tags=("notifications",))
add("/api/v1/notifications/read", "post",
    "Mark the caller's notifications read: ids (at most 100; another user's mark nothing) or "
    "all", "readNotifications", [resp(200, obj({"unread": INT}, "all"))],
    obj({"ids": arr(ID, maxItems=100, uniqueItems=True), "all": {"type": "boolean"}}),
    errors=(400, 422), tags=("notifications",))
add("/api/v1/notifications/preferences", "get",
    "The kinds of notification and those the caller turned off", "getNotificationPreferences",
    [resp(200, ref("NotificationPreferences"))], tags=("notifications",))
add("/api/v1/notifications/preferences", "put",
    "Turn off exactly these kinds (muted: [] turns every kind on); an unknown kind is 422",
    "putNotificationPreferences", [resp(200, ref("NotificationPreferences"))],
    obj({"muted": arr(s(enum=NOTIFY_KINDS), maxItems=32)}, ["muted"]),
    errors=(400, 422), tags=("notifications",))
QR_ERRORS = "422 names the field: title (30 characters), body (500), shared (200 shop-wide " \
            "per shop, 50 of one's own per person)"
add("/api/v1/quickreplies", "get",
    "Quick replies (快捷短语) the caller may use: the shop's shop-wide ones, then their own "
    "(platform staff: 403)", "listQuickReplies",
    [resp(200, obj({"items": arr(ref("QuickReply"))}, "all"))], errors=(403,),
    tags=("quick replies",))
add("/api/v1/quickreplies", "post",
    "Add a quick reply: shop-wide (shared, owner and leads) or one's own; " + QR_ERRORS,
    "createQuickReply", [resp(201, ref("QuickReply"), "created", headers=location("reply"))],
    obj({"title": s(30), "body": s(500),
         "shared": {"type": "boolean", "description": "shop-wide; absent or false: the "
                                                     "caller's own"}}, ["title", "body"]),
    errors=(400, 403, 422), tags=("quick replies",))
add("/api/v1/quickreplies/{id}", "patch",
    "Change a quick reply's title or body (its owner; a shop-wide one: owner and leads, 403 for "
    "an agent); another person's own or another shop's is 404; " + QR_ERRORS,
    "changeQuickReply", [resp(200, ref("QuickReply"))],
    obj({"title": s(30), "body": s(500)}), params=PID, errors=(400, 403, 404, 422),
    tags=("quick replies",))
add("/api/v1/quickreplies/{id}", "delete",
    "Delete a quick reply (as for a change)", "deleteQuickReply", [resp(204, desc="deleted")],
    params=PID, errors=(403, 404), tags=("quick replies",))
TYPE_INPUT = {"name_zh": s(30, minLength=1), "name_en": s(30, minLength=1),
              "default_deadline_hours": {"type": "integer", "minimum": 0, "maximum": 8760,
                                         "description": "0: no deadline"},
              "default_handler_id": ID_OR_NULL, "color": s(pattern="^#[0-9A-Fa-f]{6}$"),
              "retired": {"type": "boolean"}}
SHOP_TYPE_PATH = [{"name": "key", "in": "path", "required": True, "schema": SHOP_TYPE_KEY}]
FIELD_INPUT = {"label_zh": s(30, minLength=1), "label_en": s(30, minLength=1),
               "required": {"type": "boolean"},
               "options": arr(s(40, minLength=1), minItems=1, maxItems=50, uniqueItems=True,
                              description="choice and multi_choice only (and required there)"),
               "position": {"type": "integer", "minimum": 0, "maximum": 1000},
               "retired": {"type": "boolean"}}
add("/api/v1/workorder_types", "get",
    "Work order types: the built-in ones, then the shop's own with their custom fields, retired "
    "ones too (every user of a shop; platform staff: 403)", "listWorkOrderTypes",
    [resp(200, obj({"items": arr(ref("WorkOrderType"))}, "all"))], errors=(403,),
    tags=("types",))
add("/api/v1/workorder_types", "post",
    "Add a work order type of the shop (owner and leads); at most 200", "createWorkOrderType",
    [resp(201, ref("WorkOrderType"), "created", headers=location("type"))],
    obj(TYPE_INPUT, ["name_zh", "name_en"]), errors=(400, 403, 422), tags=("types",))
add("/api/v1/workorder_types/{key}", "patch",
    "Change a type of the shop, or retire it (retired: true): it takes no new work orders, and "
    "everything made with it stays (a type is never deleted); a built-in key is 404",
    "changeWorkOrderType", [resp(200, ref("WorkOrderType"))], obj(TYPE_INPUT),
    params=SHOP_TYPE_PATH, errors=(400, 403, 404, 422), tags=("types",))
add("/api/v1/workorder_types/{key}/fields", "post",
    "Add a custom field to a type of the shop (owner and leads); the key is unique in the shop "
    "(409); at most 30 per type", "createWorkOrderTypeField",
    [resp(201, ref("ShopTypeField"), "created", headers=location("field"))],
    obj({"key": s(32, pattern="^[a-z][a-z0-9_]{0,31}$"), "kind": s(enum=FIELD_KINDS),
         **FIELD_INPUT}, ["key", "kind", "label_zh", "label_en"]),
    params=SHOP_TYPE_PATH, errors=(400, 403, 404, 409, 422), tags=("types",))
add("/api/v1/workorder_types/{key}/fields/{field}", "patch",
    "Change a field's labels, options, order or requiredness, or retire it (not offered or "
    "accepted on new work orders; values stay); its key and kind are fixed",
    "changeWorkOrderTypeField", [resp(200, ref("ShopTypeField"))], obj(FIELD_INPUT),
    params=SHOP_TYPE_PATH + [{"name": "field", "in": "path", "required": True,
                              "schema": s(32)}],
    errors=(400, 403, 404, 422), tags=("types",))
PTYPE = [{"name": "type", "in": "path", "required": True,
          "schema": s(64, description="a work order type's key (a built-in type's name)")}]
add("/api/v1/assignment/rules", "get",
    "The shop's assignment rules, one per work order type (owner, lead; docs/assignment.md)",
    "listAssignRules", [resp(200, obj({"items": arr(ref("AssignRule"))}, "all"))],
    errors=(403,), tags=("assignment",))
add("/api/v1/assignment/rules/{type}", "put",
    "Set the rule of a work order type (owner, lead): a new work order of the type without a "
    "handler goes to the member the rule picks among those available; 422 names the field: "
    "type (no such type), kind, members (1 to 50 active people of the shop; fixed: one)",
    "setAssignRule", [resp(200, ref("AssignRule"))],
    obj({"kind": s(enum=ASSIGN_KINDS),
         "members": arr(ID, maxItems=50, uniqueItems=True),
         "reassign": {"type": "boolean", "description": "absent: false"}}, ["kind", "members"]),
    params=PTYPE, errors=(400, 403, 422), tags=("assignment",))
add("/api/v1/assignment/rules/{type}", "delete",
    "Remove the rule of a work order type (owner, lead)", "deleteAssignRule",
    [resp(204, desc="removed")], params=PTYPE, errors=(403, 404), tags=("assignment",))
add("/api/v1/me/status", "get",
    "One's own availability (a shop's people; platform staff 403)", "getMyStatus",
    [resp(200, ref("Availability"))], errors=(403,), tags=("assignment",))
add("/api/v1/me/status", "put",
    "Set one's status: online, busy (keeps one's work, gets no new) or offline (the rules that "
    "opt in hand one's open work on now); workbench_only: online only while a workbench is open",
    "setMyStatus", [resp(200, ref("Availability"))],
    obj({"status": s(enum=AGENT_STATES),
         "workbench_only": {"type": "boolean", "description": "absent: kept"}}, ["status"]),
    errors=(400, 403, 422), tags=("assignment",))
add("/api/v1/agents/status", "get",
    "The availability of the shop's active people (owner, lead)", "listAvailability",
    [resp(200, obj({"items": arr(ref("Availability"))}, "all"))], errors=(403,),
    tags=("assignment",))
SF_ERRORS = "422 names the field: name (30 characters), view, query (a parameter the list " \
            "refuses, a field filter on a key the shop lacks or with a value not of the field's " \
            "kind among them; one that is not a filter, or one given twice), shared (50 shared per " \
            "shop, 20 of one's own per person); 403 naming view for a list the caller may not open"
SF_VIEW = s(enum=["todo", "created", "assigned", "shop", "overdue", "reassign"])
add("/api/v1/savedfilters", "get",
    "Saved filters the caller may use: those shared with the shop, then their own, each with "
    "its count of matching work orders (up to 1000; docs/savedfilters.md; platform staff: 403)",
    "listSavedFilters", [resp(200, obj({"items": arr(ref("SavedFilter"))}, "all"))],
    errors=(403,), tags=("saved filters",))
add("/api/v1/savedfilters", "post",
    "Save a list filter under a name: shared with the shop (owner and leads) or one's own; " +
    SF_ERRORS, "createSavedFilter",
    [resp(201, ref("SavedFilter"), "created", headers=location("saved filter"))],
    obj({"name": s(30), "view": SF_VIEW, "query": s(1000),
         "shared": {"type": "boolean", "description": "shared with the shop; absent or false: "
                                                     "the caller's own"}}, ["name", "view"]),
    errors=(400, 403, 422), tags=("saved filters",))
add("/api/v1/savedfilters/{id}", "patch",
    "Rename a saved filter or change its filter (view and query together; its owner; a shared "
    "one: owner and leads, 403 for an agent); another person's own or another shop's is 404; " +
    SF_ERRORS, "changeSavedFilter", [resp(200, ref("SavedFilter"))],
    obj({"name": s(30), "view": SF_VIEW, "query": s(1000)}), params=PID,
    errors=(400, 403, 404, 422), tags=("saved filters",))
add("/api/v1/savedfilters/{id}", "delete",
    "Delete a saved filter (as for a change)", "deleteSavedFilter", [resp(204, desc="deleted")],
    params=PID, errors=(403, 404), tags=("saved filters",))
PANEL_SETTINGS = obj({
    "origins": arr(s(200, pattern="^(https://[A-Za-z0-9.-]+|http://(127\\.0\\.0\\.1|localhost))"
                          "(:[0-9]{1,5})?$"),
                   maxItems=10, description=(
                       "origins allowed to frame /panel (Content-Security-Policy: "
                       "frame-ancestors); empty: no site may")),
    "has_secret": {"type": "boolean", "description": "a link-signing secret has been made"},
}, "all")
add("/panel", "get",
    "The chat-side panel page (HTML; docs/panel.md), framed only by the origins its shop lists. "
    "With a signed link (shop, user, order_no or buyer, exp, sig) it signs the user in once and "
    "answers 303 to /panel?order_no=… (or buyer=…) with the session cookie; a refused link "
    "answers 303 to /panel?link_error=expired|signature|used|invalid", "panelPage",
    [resp(200, {"type": "string"}, ctype="text/html", desc="the page"),
     resp(303, desc="signed link exchanged, or refused (link_error)", headers={
         "Location": {"schema": s(), "required": True, "description": "the page to go to"}})],
    params=[q("shop", ID, "the shop (signed link; without a session, whose origins may frame "
                          "the page)"),
            q("user", s(64), "the user's login (signed link)"),
            q("order_no", s(64), "the order the page opens on"),
            q("buyer", s(64), "the buyer the page opens on (no order_no)"),
            q("exp", s(pattern="^[0-9]{1,12}$"), "expiry, Unix seconds, at most 300 s ahead"),
            q("sig", s(pattern="^[0-9a-fA-F]{64}$"), "hex HMAC-SHA256 of the link (docs/panel.md)"),
            q("link_error", s(enum=["expired", "signature", "used", "invalid"]),
              "set by the server when a link was refused")],
    errors=(404,), tags=("panel",), security=False)
HHMM = s(pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", description="a time of day, HH:MM")
TARGET_HOURS = obj({"start": HHMM, "end": HHMM}, "all",
                   description="the shop's daily working hours (start before end)")
# a built-in type but collab, or one of the shop's own active types (docs/targets.md)
TARGET_TYPE = {"anyOf": [s(enum=TYPES[:-1]), SHOP_TYPE_KEY]}
TARGET_POLICY = obj({
    "type": TARGET_TYPE,
    "first_response_minutes": {"type": "integer", "minimum": 0, "maximum": 86400,
                               "description": "working minutes; 0: no first-response target"},
    "resolution_minutes": {"type": "integer", "minimum": 0, "maximum": 86400,
                           "description": "working minutes; 0: no resolution target"},
    "remind_before_minutes": {"type": "integer", "minimum": 0, "maximum": 86400,
                              "description": "a reminder to the handler this many working "
                                             "minutes before each target (less than it); 0: none"},
    "escalate_to_queue": {"type": "boolean", "description": "a missed target also clears the "
                                                           "handler: the work order waits in the "
                                                           "lead's queue"}},
    ["type"])
schemas["TargetSettings"] = obj({"hours": TARGET_HOURS, "types": arr(TARGET_POLICY, maxItems=7 + 200)},
                                "all")
TARGET_SETTINGS = ref("TargetSettings")
TARGET_OUTCOME = s(enum=["pending", "met", "missed", "cancelled"])
add("/api/v1/targets", "get",
    "The shop's time targets per type and its daily working hours (its users; docs/targets.md)",
    "getTargets", [resp(200, TARGET_SETTINGS)], errors=(403,), tags=("targets",))
add("/api/v1/targets", "put",
    "Replace the shop's time targets and hours (owner, lead); work orders made from now on get "
    "them, existing ones keep theirs", "setTargets", [resp(200, TARGET_SETTINGS)],
    TARGET_SETTINGS, errors=(400, 403, 422), tags=("targets",))
add("/api/v1/workorders/{id}/targets", "get",
    "A work order's time targets as they stand: due time, outcome, working time left, time "
    "paused while waiting for the buyer (all null: its type has none)", "getWorkOrderTargets",
    [resp(200, ref("WorkOrderTargets"))],
    params=PID, errors=(404,), tags=("targets",))
schemas["WorkOrderTargets"] = obj({
        "rule": {"anyOf": [s(enum=TYPES[:-1]), SHOP_TYPE_KEY, {"type": "null"}],
                 "description": "the type whose policy set the targets"},
        "hours": {"oneOf": [TARGET_HOURS, {"type": "null"}]},
        "first_response": obj({"minutes": INT, "due_at": TIME, "outcome": TARGET_OUTCOME,
                               "left_seconds": INT, "at": TIME, "by": ID_OR_NULL}, "all",
                              nullable=True),
        "resolution": obj({"minutes": INT, "due_at": {**TIME, "description": "null while paused"},
                           "outcome": TARGET_OUTCOME, "left_seconds": INT,
                           "paused": {"type": "boolean"}, "paused_seconds": INT}, "all",
                          nullable=True)}, "all")
TARGET_HALF = obj({"met": INT, "missed": INT, "met_rate": RATE}, "all")
schemas["TargetStats"] = obj({"from": DATE, "to": DATE,
                              "by_type": arr(obj({"type": TARGET_TYPE,
                                                  "first_response": TARGET_HALF,
                                                  "resolution": TARGET_HALF}, "all")),
                              "by_handler": arr(obj({"handler": ID_OR_NULL,
                                                     "first_response": TARGET_HALF,
                                                     "resolution": TARGET_HALF}, "all"))}, "all")
add("/api/v1/stats/targets", "get",
    "Time targets met and missed of the work orders created in the period, by type and by "
    "handler (owner, lead)", "getTargetStats",
    [resp(200, ref("TargetStats"))],
    params=[q("from", DATE, "first day (default: 29 days before to)"),
            q("to", DATE, "last day (default: today in the shop's time)")],
    errors=(403, 422), tags=("reports",))
add("/api/v1/panel/settings", "get",
    "The chat panel's settings of the shop (owner, lead)", "getPanelSettings",
    [resp(200, PANEL_SETTINGS)], errors=(403,), tags=("panel",))
add("/api/v1/panel/settings", "put",
    "Set the origins allowed to frame the shop's chat panel (owner, lead)", "setPanelSettings",
    [resp(200, PANEL_SETTINGS)],
    obj({"origins": arr(s(200), maxItems=10, description=(
        "https://host[:port] (http:// only for 127.0.0.1 and localhost), no path"))}, ["origins"]),
    errors=(400, 403, 422), tags=("panel",))
add("/api/v1/panel/secret", "post",
    "Make a new secret for signing panel links (owner, lead): shown this once; links signed "
    "with the previous one stop working", "rotatePanelSecret",
    [resp(200, obj({"secret": s()}, "all"))], errors=(403,), tags=("panel",))
add("/api/v1/stream", "get", 
    "Live updates (Server-Sent Events: counts, workorder) of the work orders the caller may "
    "open, and notifications ({\"unread\": N}, the bell: at once and whenever it moves); at "
    "most 8 per user (429) and 1000 per server (503)", "stream",
    [resp(200, {"type": "string"}, ctype="text/event-stream")], errors=(429,),
    tags=("session",))
add("/api/v1/openapi.json", "get", 
    "This document", "openapi", [resp(200, {"type": "object"})], tags=("operations",),
    security=False)
add("/api/v1/_test/clock", "post", 
    "Move the clock (only with serve --test-clock; 404 otherwise)", "testClock",
    [resp(200, obj({"now": {"type": "string", "format": "date-time"}}, "all"))],
    obj({"advance_ms": {"type": "integer", "minimum": 0, "maximum": 34560000000,
                        "description": "milliseconds to move forward"},
         "now": {"type": "string", "format": "date-time"}}), errors=(400, 404, 422),
    tags=("operations",), security=False)
add("/healthz", "get",
    "Health: 200 while the database answers, 503 (with Retry-After) while it cannot be reached",
    "health", [resp(200, obj({"status": s(enum=["ok"]),
                              "backend": s(enum=["sqlite", "postgresql"],
                                           description="the storage backend (--db)"),
                              "node": s(description="the node that answered (serve --node-id)")},
                             "all"))],
    tags=("operations",), security=False)
add("/metrics", "get", 
    "Prometheus metrics", "metrics", [resp(200, {"type": "string"}, ctype="text/plain")],
    tags=("operations",), security=False)

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
             ["session", "people", "orders", "work orders", "collaborative", "reports", "webhooks", "quick replies", "types", "saved filters",
              "panel", "targets", "assignment", "notifications", "operations"]],
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

text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
if "--stdout" in sys.argv[1:]:
    sys.stdout.buffer.write(text.encode("utf-8"))
else:
    out = os.path.join(os.path.dirname(__file__), "..", "docs", "openapi.json")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
