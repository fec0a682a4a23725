export type Role = 'shop_owner' | 'shop_lead' | 'shop_agent' | 'platform_agent' | 'platform_supervisor' | 'platform_admin';

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
  status: string;
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
  remedy?: string;
  state?: string;
  reply_due?: string | null;
  due_at?: string | null;
  reply?: { option: string; description?: string | null; contact_at?: string | null; replied_at?: string; evidence?: Attachment[] } | null;
  evidence?: Attachment[];
  verification?: { result: string; remark?: string | null; at?: string } | null;
  intervention?: { reason?: string | null; at?: string } | null;
  final_at?: string | null;
  judgement?: {
    outcome: string;
    remedy?: string;
    liable_party?: string;
    reasoning?: string;
    rule_article?: string;
    judge?: Person;
    judged_at?: string;
    counts_against_seller?: boolean;
  } | null;
  appeal?: { reason: string; evidence?: Attachment[]; decision?: string | null; remark?: string | null; appealed_at?: string } | null;
}

export interface WorkOrder {
  id: string;
  /** numbers are per shop: the platform names the shop with the number */
  shop_id?: string;
  number: string;
  type: string;
  state: string;
  title: string;
  content: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
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
  kind: string;
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
  allowed_actions: string[];
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
  state: string;
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
  events: string[];
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
