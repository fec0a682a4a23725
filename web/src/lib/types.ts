// The API's objects as the workbench reads them: names for the schemas of docs/openapi.json, whose
// types web/scripts/api-types.mjs generates (lib/api.generated.ts). Nothing here is typed by hand,
// so an endpoint has one type, and a field or an enum value added to the contract reaches every
// page: a label key built from an enum (`state.${State}`) must then be in the dictionary.
import type { components } from './api.generated';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Notification = Schemas['Notification'];
export type NotificationKind = Notification['kind'];
export type NotificationPreferences = Schemas['NotificationPreferences'];
export type Role = User['role'];
export type Shop = Schemas['Shop'];
export type Order = Schemas['Order'];
export type OrderItem = Schemas['Item'];
export type OrderStatus = Order['status'];
export type Attachment = Schemas['Attachment'];
export type Collab = Schemas['Collab'];
export type WorkOrder = Schemas['WorkOrder'];
export type State = WorkOrder['state'];
/** a type's key: a built-in type, or one a shop defined (x-1000 …, docs/types.md) */
export type WorkorderType = WorkOrder['type'];
export type BuiltinType = Schemas['BuiltinType'];
/** GET /workorder_types: a type with its names and custom fields */
export type WorkorderTypeDef = Schemas['WorkOrderType'];
export type ShopTypeField = Schemas['ShopTypeField'];
export type FieldKind = ShopTypeField['kind'];
export type FieldValues = Schemas['FieldValues'];
export type Priority = WorkOrder['priority'];
/** someone a work order names (handler, creator, actor) */
export type Person = NonNullable<WorkOrder['creator']>;
export type Remedy = NonNullable<Collab['remedy']>;
/** POST /workorders' bodies: a shop's work order, a collaborative case */
export type WorkOrderInput = Schemas['WorkOrderInput'];
export type CollabInput = Schemas['CollabInput'];
type Judgement = NonNullable<Collab['judgement']>;
export type Outcome = Judgement['outcome'];
export type LiableParty = NonNullable<Judgement['liable_party']>;
export type VerifyResult = NonNullable<Collab['verification']>['result'];
export type AppealDecision = NonNullable<NonNullable<Collab['appeal']>['decision']>;
/** GET /workorders/{id} */
export type WoDetail = Schemas['WorkOrderDetail'];
export type WorkorderAction = WoDetail['allowed_actions'][number];
export type WoEvent = Schemas['Event'];
export type EventKind = WoEvent['kind'];
/** GET /workorders/{id}/buyer_history and GET /buyer_history */
export type BuyerHistory = Schemas['BuyerHistory'];
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
/** the badge counts: a shop's people get theirs, the platform its queues; a page reads the ones it shows */
export type Counts = { [K in KeysOfUnion<Schemas['Counts']>]?: number | null };
export type Stats = Schemas['Stats'];
export type StatsRow = Stats['groups'][number];
export type Rules = Schemas['Rules'];
export type ReplyOption = Rules['reply_options'][number];
export type ReplyRequirement = NonNullable<ReplyOption['requires']>[number];
export type ExportJob = Schemas['ExportJob'];
export type ExportState = ExportJob['state'];
/** An outgoing webhook endpoint of the shop; `secret` only in the 201 of its creation. */
export type Webhook = Schemas['Webhook'];
export type QuickReply = Schemas['QuickReply'];
/** docs/assignment.md: a type's rule, and a person's availability */
export type AssignRule = Schemas['AssignRule'];
export type Availability = Schemas['Availability'];
/** GET /workorder_types: the built-in types, then the shop's own (docs/types.md) */
export type WorkOrderType = Schemas['WorkOrderType'];
export type AuditEvent = Schemas['AuditEvent'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];
export const LIABLE_PARTIES = ['seller', 'buyer', 'platform', 'logistics'] as const satisfies readonly LiableParty[];
/** Time targets (docs/targets.md): a shop's hours and per-type targets; one work order's; the statistics. */
export type TargetSettings = Schemas['TargetSettings'];
export type TargetPolicy = TargetSettings['types'][number];
export type WoTargets = Schemas['WorkOrderTargets'];
export type TargetOutcome = NonNullable<WoTargets['resolution']>['outcome'];
export type TargetStats = Schemas['TargetStats'];
export type TargetHalf = TargetStats['by_type'][number]['first_response'];
