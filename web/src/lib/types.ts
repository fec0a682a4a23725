// The API's objects as the workbench reads them. The unions are the enums of docs/openapi.json:
// a label key built from one (`state.${State}`) is checked against the dictionary by the compiler.
import type { EventKind } from './webhooks';

export type Role = 'shop_owner' | 'shop_lead' | 'shop_agent' | 'platform_agent' | 'platform_supervisor' | 'platform_admin';
export type State =
  | 'open'
  | 'in_progress'
  | 'done'
  | 'cancelled'
  | 'awaiting_seller'
  | 'platform_verify'
  | 'intervention'
  | 'judged'
  | 'appeal_review'
  | 'resolved'
  | 'final'
  | 'waiting_buyer';
export type WorkorderType = 'order_review' | 'shipping' | 'waybill' | 'out_of_stock' | 'after_sales' | 'customer_memo' | 'task_memo' | 'collab';
/** The built-in types of a shop's own work orders (not the platform's collaborative cases). */
export const SHOP_WORKORDER_TYPES: WorkorderType[] = ['order_review', 'shipping', 'waybill', 'out_of_stock', 'after_sales', 'customer_memo', 'task_memo'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type OrderStatus = 'paid' | 'shipped' | 'signed' | 'refunding' | 'closed';
export type Remedy = 'refund' | 'return_refund' | 'reship' | 'exchange' | 'repair' | 'payout' | 'reject_claim';
export type Outcome = 'support_buyer' | 'support_seller';
export const LIABLE_PARTIES = ['seller', 'buyer', 'platform', 'logistics'] as const;
export type LiableParty = (typeof LIABLE_PARTIES)[number];
export type VerifyResult = 'verified' | 'rejected';
export type AppealDecision = 'upheld' | 'overturned';
export type ReplyRequirement = 'description' | 'evidence' | 'contact_at';
export type ExportState = 'queued' | 'running' | 'done' | 'failed' | 'expired';
export type WorkorderAction =
  | 'assign'
  | 'transfer'
  | 'note'
  | 'chase'
  | 'start'
  | 'complete'
  | 'reopen'
  | 'cancel'
  | 'edit'
  | 'wait_buyer'
  | 'reply'
  | 'evidence'
  | 'verify'
  | 'judge'
  | 'appeal'
  | 'decide_appeal';

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  shop_id: string | null;
  shop_name: string | null;
  /** a password someone else set (new user, reset): only a new password may be set until then */
  must_change_password?: boolean;
}

export interface Person {
  id: string;
  display_name: string;
}

export interface OrderItem {
  title: string;
  sku: string;
  quantity: number;
  price: number;
}

export interface Order {
  order_no: string;
  buyer_nick: string;
  status: OrderStatus;
  paid_amount: number;
  items: OrderItem[];
  created_at: string;
  updated_at: string;
}

export interface Attachment {
  id: string;
  url?: string;
  /** a WebP made by the server; null for a PDF or a video (the page shows an icon) */
  thumbnail_url?: string | null;
  sha256?: string;
  mime?: string;
  size?: number;
  filename?: string;
  /** how it was linked: create, note, attach; or a case's reply, evidence, appeal */
  purpose?: string | null;
  created_at?: string;
}

export interface Collab {
  category?: string;
  complaint?: string;
  remedy?: Remedy;
  state?: State;
  reply_due?: string | null;
  due_at?: string | null;
  reply?: { option: string; description?: string | null; contact_at?: string | null; replied_at?: string; evidence?: Attachment[] } | null;
  evidence?: Attachment[];
  verification?: { result: VerifyResult; remark?: string | null; at?: string } | null;
  intervention?: { reason?: string | null; at?: string } | null;
  final_at?: string | null;
  judgement?: {
    outcome: Outcome;
    remedy?: Remedy | null;
    liable_party?: LiableParty | null;
    reasoning?: string;
    rule_article?: string;
    judge?: Person;
    judged_at?: string;
    counts_against_seller?: boolean;
  } | null;
  appeal?: { reason: string; evidence?: Attachment[]; decision?: AppealDecision | null; remark?: string | null; appealed_at?: string } | null;
}

export interface WorkOrder {
  id: string;
  /** numbers are per shop: the platform names the shop with the number */
  shop_id?: string;
  number: string;
  type: WorkorderType;
  state: State;
  title: string;
  content: string;
  priority: Priority;
  handler: Person | null;
  creator: Person;
  order_no: string | null;
  buyer_nick: string | null;
  deadline: string | null;
  overdue: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  collab?: Collab | null;
}

/** GET /workorders/{id}/buyer_history */
export interface BuyerHistory {
  buyer_nick: string | null;
  orders: Order[];
  workorders: WorkOrder[];
  more: boolean;
  disputes: { total: number; open: number; settled: number; for_buyer: number; for_seller: number };
}

export interface WoEvent {
  id: string;
  kind: EventKind;
  actor: Person | null;
  at: string;
  data: Record<string, unknown>;
}

export interface Shop {
  id: string;
  name: string;
}

export interface WoDetail {
  workorder: WorkOrder;
  order: Order | null;
  shop?: { id: string; name: string } | null;
  /** every file of the work order, oldest first */
  attachments?: Attachment[];
  events: WoEvent[];
  allowed_actions: WorkorderAction[];
}

export interface Counts {
  todo: number;
  created: number;
  assigned: number;
  overdue: number;
  due_soon: number;
  shop: number | null;
  collab_awaiting: number;
  [k: string]: number | null;
}

export interface StatsRow {
  key: string;
  label: string;
  created: number;
  done: number;
  open: number;
  overdue: number;
  transferred: number;
  first_action_p50_s: number | null;
  first_action_p90_s: number | null;
  done_p50_s: number | null;
  done_p90_s: number | null;
  within_deadline_rate: number | null;
  collab?: {
    reply_within_window_rate: number | null;
    intervention_rate: number | null;
    judged_against_rate: number | null;
    appeal_success_rate: number | null;
  } | null;
}

export interface Stats {
  groups: StatsRow[];
  totals: StatsRow;
  dispute_rate: number | null;
}

export interface ReplyOption {
  code: string;
  label_zh: string;
  label_en: string;
  requires: string[];
}

export interface Rules {
  version: number | string;
  reply_window_hours: number;
  reply_options: ReplyOption[];
  outcomes?: unknown;
  [k: string]: unknown;
}

export interface ExportJob {
  id: string;
  state: ExportState;
  rows_done: number;
  rows_total: number | null;
  error?: string;
}

/** An outgoing webhook endpoint of the shop (GET /api/v1/webhooks); `secret` only in the 201 of its creation. */
export interface Webhook {
  id: string;
  url: string;
  description: string;
  /** the event kinds it takes; empty: every kind */
  events: EventKind[];
  created_at: string;
  /** events acknowledged by the endpoint */
  delivered: number;
  /** events owed, not yet acknowledged */
  pending: number;
  /** consecutive failed attempts (0: healthy) */
  failures: number;
  /** HTTP status of the last attempt (null: never attempted, or no answer) */
  last_status: number | null;
  last_attempt_at: string | null;
  /** set only while failing */
  next_attempt_at: string | null;
  last_error: string | null;
  secret?: string;
}

/** Time targets (docs/targets.md): a shop's policy for one type, in working minutes (0: none). */
export interface TargetPolicy {
  type: WorkorderType;
  first_response_minutes?: number;
  resolution_minutes?: number;
  remind_before_minutes?: number;
  escalate_to_queue?: boolean;
}
export interface TargetSettings {
  hours: { start: string; end: string };
  types: TargetPolicy[];
}
export type TargetOutcome = 'pending' | 'met' | 'missed' | 'cancelled';
/** GET /workorders/{id}/targets: every member null when the type has no targets. */
export interface WoTargets {
  rule: WorkorderType | null;
  hours: { start: string; end: string } | null;
  first_response: { minutes: number; due_at: string | null; outcome: TargetOutcome; left_seconds: number; at: string | null; by: string | null } | null;
  resolution: { minutes: number; due_at: string | null; outcome: TargetOutcome; left_seconds: number; paused: boolean; paused_seconds: number } | null;
}
export interface TargetHalf {
  met: number;
  missed: number;
  met_rate: number | null;
}
export interface TargetStats {
  from: string;
  to: string;
  by_type: { type: WorkorderType; first_response: TargetHalf; resolution: TargetHalf }[];
  by_handler: { handler: string | null; first_response: TargetHalf; resolution: TargetHalf }[];
}
