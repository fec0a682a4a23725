// The one place that turns an error (mostly an ApiError from lib/api.ts) into what the user reads.
//
// The server answers {"error": {code, message, field, request_id}} with English `message` text.
// 简体中文: a Chinese sentence — for the server's known messages one that says the same (limits,
// who may do what), else one per code (with the Chinese label of the field for validation errors) —
// plus the request id. The server's English words and codes are never shown in Chinese: they are
// kept in the description (`server`, `code`) for support, not rendered.
// English: the server's message as it is, plus the request id.
import type { Lang } from './i18n';

/** What an error display shows. */
export interface ErrorDescription {
  /** The main sentence, in the interface language. */
  message: string;
  /** More words in the interface language, shown smaller under the main sentence (English only: the server's own words). */
  detail?: string;
  /** The server's original (English) words, kept for support and never rendered in Chinese. */
  server?: string;
  /** The server's request id, for support. */
  requestId?: string;
  /** The server's code (`validation_failed`, …; `network` when the server was not reached). */
  code?: string;
  /** The field the server named, if any. */
  field?: string;
}

/** The shape of an ApiError (kept structural so this module doesn't import api.ts). */
interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  field?: string;
  requestId?: string;
}

function isApiErrorLike(e: unknown): e is ApiErrorLike {
  if (!e || typeof e !== 'object') return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.status === 'number' && typeof o.message === 'string';
}

/** Chinese labels of the fields (request body fields, query parameters, headers) the API names in errors. */
export const FIELD_LABELS_ZH: Record<string, string> = {
  // work orders
  title: '标题',
  content: '内容',
  type: '工单类型',
  priority: '优先级',
  handler_id: '处理人',
  handler: '处理人',
  creator: '创建人',
  deadline: '截止时间',
  order_no: '订单号',
  buyer_nick: '买家',
  buyer: '买家',
  custom: '自定义字段',
  reason: '原因',
  text: '内容',
  to: '转交给',
  state: '状态',
  // saved filters and the chat panel's settings
  query: '筛选条件',
  origins: '允许嵌入的来源',
  version: '版本号',
  // collaborative work orders
  shop_id: '店铺',
  shop: '店铺',
  category: '问题类型',
  complaint: '投诉内容',
  collab: '协同工单信息',
  option: '处理结果',
  description: '说明',
  contact_at: '联系时间',
  attachment_ids: '凭证',
  outcome: '判责结果',
  remedy: '处理方式',
  liable_party: '责任方',
  reasoning: '判责理由',
  rule_article: '规则条款',
  remark: '备注',
  result: '核实结果',
  decision: '申诉审核结果',
  file: '文件',
  // sign-in, accounts
  username: '用户名',
  password: '密码',
  role: '角色',
  name: '名称',
  display_name: '显示名称',
  current_password: '当前密码',
  new_password: '新密码',
  active: '启用状态',
  id: '人员',
  // lists, statistics, exports
  q: '关键词',
  limit: '条数',
  cursor: '分页',
  view: '视图',
  sort: '排序',
  from: '开始时间',
  created_from: '创建时间（起）',
  created_to: '创建时间（止）',
  deadline_from: '截止时间（起）',
  deadline_to: '截止时间（止）',
  group: '分组方式',
  format: '文件格式',
  headers: '表头语言',
  // orders
  status: '订单状态',
  items: '商品明细',
  paid_amount: '实付金额',
  // platform rules
  reply_options: '回复选项',
  reply_window_hours: '商家回复时限',
  reminder_offsets_hours: '提醒时间',
  appeal_window_days: '申诉期',
  verify_working_days: '平台核实时限',
  judge_working_days: '判责时限',
  appeal_review_working_days: '申诉审核时限',
  outcomes: '判责结果与处理方式',
  calendar: '工作日历',
  'calendar.timezone': '工作日历时区',
  'calendar.weekdays': '工作日',
  'calendar.years': '节假日安排',
  attachments: '附件设置',
  'attachments.max_file_bytes': '单个文件大小上限',
  'attachments.max_files': '文件数量上限',
  // assignment rules
  members: '成员',
  kind: '分派方式',
  reassign: '离线转派',
  workbench_only: '仅工作台打开时在线',
  // webhooks
  url: '接收地址',
  // test clock
  advance_ms: '时间推进',
  now: '当前时间',
  // headers
  'If-Match': '版本校验（If-Match）',
  'Idempotency-Key': '防重复提交标识（Idempotency-Key）',
  'X-CSRF-Token': '安全令牌（X-CSRF-Token）',
  'Content-Type': '内容类型（Content-Type）',
  Origin: '来源网站（Origin）',
};

/** The Chinese label of a field the server named; unknown fields keep their own name. */
export function fieldLabel(field: string): string {
  if (Object.prototype.hasOwnProperty.call(FIELD_LABELS_ZH, field)) return FIELD_LABELS_ZH[field];
  // "calendar.years.2026" → 节假日安排（2026）; "reply_options.agreed" → 回复选项（agreed）
  const dot = field.lastIndexOf('.');
  if (dot > 0) {
    const parent = field.slice(0, dot);
    if (Object.prototype.hasOwnProperty.call(FIELD_LABELS_ZH, parent) || parent.includes('.')) return `${fieldLabel(parent)}（${field.slice(dot + 1)}）`;
  }
  return field;
}

/** One Chinese sentence per error code ({field} is the field's Chinese label). */
export const CODE_MESSAGES_ZH: Record<string, string> = {
  validation_failed: '提交的内容有误，请检查后重试',
  unknown_field: '提交的内容中有系统不认识的字段，请刷新页面后重试',
  malformed_json: '提交的数据格式有误，服务器无法识别，请刷新页面后重试',
  not_found: '要找的内容不存在，可能已被删除或没有查看权限',
  conflict: '操作与现有数据冲突（可能已有人处理过），请刷新后查看最新情况',
  forbidden: '没有权限执行此操作',
  too_large: '提交的内容超出大小限制',
  invalid_transition: '工单当前的状态不允许此操作，请刷新后查看最新状态',
  unauthenticated: '尚未登录或登录已过期，请重新登录',
  stale_version: '工单已被其他人修改，请刷新后重试',
  rate_limited: '操作过于频繁，请稍后再试',
  idempotency_key_reused: '同一个防重复提交标识已用于另一份不同的内容，请刷新页面后重新提交',
  cross_origin: '登录请求来自其他网站，已被拒绝；请直接打开本系统的网址登录',
  unsupported_media_type: '不支持此文件或内容类型',
  csrf: '页面安全校验失败，请刷新页面后重试',
  bad_header: '请求信息有误，请刷新页面后重试',
  bad_multipart: '文件上传的格式有误，请重新选择文件上传',
  internal: '服务器内部出错，请稍后重试；如一再出现，请把请求编号告诉技术支持',
  unavailable: '服务暂时不可用，请稍后重试',
  method_not_allowed: '不支持此操作',
  not_ready: '文件还在生成中，请稍候再试',
  gone: '文件已不存在（可能已过期或被清理），请重新生成',
  type_mismatch: '文件内容与文件类型不符，请检查文件',
  network: '无法连接服务器，请检查网络后重试',
  password_change_required: '你的密码由他人设置，请先设置新密码',
};

/** Sentences for a code when the server names a field. */
const FIELD_CODE_MESSAGES_ZH: Record<string, string> = {
  validation_failed: '「{field}」填写有误，请检查后重试',
  unknown_field: '提交的内容中有系统不认识的字段「{field}」，请刷新页面后重试',
  too_large: '「{field}」超出大小或数量限制',
  bad_header: '请求信息「{field}」有误，请刷新页面后重试',
  unsupported_media_type: '不支持此文件或内容类型',
  type_mismatch: '「{field}」的内容与文件类型不符，请检查文件',
};

/** Closer sentences for the server's common validation messages ("title is required", …); {field} as above. */
const VALIDATION_PATTERNS_ZH: [RegExp, string][] = [
  [/ is required\b/, '请填写「{field}」'],
  [/ must not be empty\b/, '「{field}」不能为空'],
  [/ is longer than (\d+) characters\b/, '「{field}」不能超过 $1 个字符'],
  [/ must be 1 to (\d+) characters\b/, '「{field}」须为 1 到 $1 个字符'],
  [/ must be 1 to (\d+)\b/, '「{field}」须为 1 到 $1'],
  [/ must be an integer from (-?\d+) to (-?\d+)/, '「{field}」须为 $1 到 $2 之间的整数'],
  [/ must be an RFC 3339 time\b/, '「{field}」不是有效的时间'],
  [/ must be an id\b| must be a user id\b/, '「{field}」不是有效的选择，请重新选择'],
  [/ must be one of\b/, '「{field}」的取值不在允许的范围内'],
  [/ must be a string\b| must be an object\b| must be an array\b| must be UTF-8\b| must not contain NUL\b/, '「{field}」的格式不正确'],
  [/\bhas no order (\S+)/, '该店铺没有订单号 $1，请核对后重新填写'],
  [/\bno order '([^']+)' in this shop/, '该店铺没有订单号 $1，请核对后重新填写'],
  [/\bis in the future\b/, '「{field}」不能晚于当前时间'],
  [/ must be a positive number of at least one second and at most 400 days/, '「{field}」须大于 0（至少 1 秒）且不超过 400 天'],
  [/ must be a whole number of working days from (\d+) to (\d+)/, '「{field}」须为 $1 到 $2 个工作日（整数）'],
  [/^unknown field /, '规则中有系统不认识的项「{field}」'],
  [/\bmust be in the future\b/, '「{field}」须晚于当前时间'],
  // webhooks (src/service/webhooks.c)
  [/ must start with http:\/\/ or https:\/\//, '「{field}」须以 http:// 或 https:// 开头'],
  [/ has no host\b/, '「{field}」缺少主机名（域名或 IP 地址）'],
  [/ may hold only printable ASCII\b/, '「{field}」只能包含可打印的 ASCII 字符且不能有空格，其他字符请用百分号编码'],
  [/\bhas at most (\d+) webhooks\b/, '每个店铺最多添加 $1 个 Webhook，请先删除一个'],
];

const UNAUTH_PATTERNS_ZH: [RegExp, string][] = [
  [/wrong username or password/i, '用户名或密码不正确'],
  [/session has expired|signed out/i, '登录已过期或已退出，请重新登录'],
];

/**
 * The server's particular messages (src/service, src/core), whatever their code: who may do what, the
 * collaborative steps' rules, the platform rules' limits. Checked before the per-code sentences.
 */
const MESSAGE_PATTERNS_ZH: [RegExp, string][] = [
  [/statistics are for shop leads and owners/, '团队统计只对客服主管和店主开放'],
  [/exports are of a shop's work orders/, '导出只对店铺的成员开放'],
  [/only a platform_admin may change the platform rules/, '只有平台管理员可以修改平台规则'],
  [/webhooks are managed by the shop's owner or lead/, 'Webhook 由店主或客服主管管理'],
  [/collaborative work orders are opened by platform staff/, '协同工单由平台人员发起'],
  [/orders belong to shops; platform users cannot write them/, '订单属于店铺，平台人员不能修改'],
  [/an appeal is decided by someone other than the judge/, '申诉须由判责人以外的平台主管审核'],
  [/^the \S+ view is for /, '你的角色不能查看这个列表'],
  [/your role cannot create/, '你的角色不能创建这类工单'],
  [/may not \S+ this work order/, '你不能对这个工单执行此操作'],
  [/the reply window has closed/, '回复时限已过，工单已转平台介入，不能再回复'],
  [/the appeal window has closed/, '申诉期已过，判责已生效，不能再申诉'],
  [/the seller has already replied/, '商家已经回复过：回复提交后不能修改，只能补充凭证'],
  [/each reminder offset must be positive and shorter than the reply window/, '每个提醒时间须大于 0 小时，且小于商家回复时限'],
  [/reminder_offsets_hours must be an array of at most (\d+)/, '提醒时间最多设置 $1 个'],
  [/contact_at must be after the case was opened/, '联系时间须晚于工单创建时间：须在本工单创建之后联系消费者'],
  [/option is not one the rules offer/, '所选处理结果不在当前规则中，请刷新页面后重新选择'],
  [/remedy \S+ is not allowed for/, '所选处理方式不适用于这个判责结论'],
  [/too many failed sign-ins/, '登录失败次数过多，请过几分钟再试'],
  [/password must be (\d+) to (\d+) bytes/, '密码须为 $1 到 $2 个字节'],
  [/the work order is already with /, '工单已经由这个人处理，无需转交'],
  [/to must not be before from/, '结束日期不能早于开始日期'],
  [/the range is at most (\d+) days/, '日期范围最多 $1 天'],
  [/at most (\d+) files per submission/, '每次最多提交 $1 个文件'],
  [/is larger than the limit of/, '文件超过大小上限'],
  [/is not a JPEG, PNG, WebP, PDF or/, '文件类型不支持：只接受 JPEG、PNG、WebP、PDF 或 MP4'],
  [/the calendar has no working day/, '工作日历中没有任何工作日'],
  [/nothing to change/, '没有要修改的内容'],
  // people and shops (src/service/people.c, docs/people.md)
  [
    /you cannot change your own role, deactivate yourself or reset your own password/,
    '不能停用自己、修改自己的角色或在这里重置自己的密码；自己的名称和密码请在「我的账户」中修改',
  ],
  [/this is the shop's last active owner/, '这是店铺唯一在用的主账号，不能停用或降级：请先把另一位成员设为主账号'],
  [/only the owner and platform admins manage an owner/, '只有主账号和平台管理员可以管理主账号'],
  [/a lead gives no role above lead/, '客服主管不能授予高于客服主管的角色'],
  [/a lead adds agents and leads only/, '客服主管只能添加客服和客服主管'],
  [/only a shop's owner and leads, and platform admins, add users/, '只有主账号、客服主管和平台管理员可以添加人员'],
  [/you may not manage this user/, '你不能管理这位人员'],
  [/a shop's users have shop roles/, '店铺人员只能是主账号、客服主管或客服'],
  [/platform staff have platform roles/, '平台人员只能是平台客服、平台主管或平台管理员'],
  [/username '([^']+)' is taken/, '用户名「$1」已被使用，请换一个'],
  [/username may use letters, digits and/, '用户名只能包含字母、数字和 _ . - @'],
  [/a shop named '([^']+)' exists/, '已有名为「$1」的店铺'],
  [/only platform admins create and change shops/, '只有平台管理员可以创建和修改店铺'],
  [/the audit log is for the shop's owner and platform admins/, '操作记录只对主账号和平台管理员开放'],
  [/current_password is wrong/, '当前密码不正确'],
  [/new_password must differ from the current one/, '新密码不能与当前密码相同'],
  [/this account is deactivated/, '该账号已停用，请联系店铺的主账号或客服主管重新启用'],
  [/this shop is deactivated/, '该店铺已停用，请联系平台重新启用'],
  [/(\S+) is deactivated: choose someone who can act/, '这位人员已停用，请选择其他人'],
  [/no such user/, '没有这位人员，或不在你的店铺'],
];

/** Sentence for an HTTP status when the answer had no error code (e.g. a proxy's HTML error page). */
function statusMessageZh(status: number): string {
  if (status === 401) return CODE_MESSAGES_ZH.unauthenticated;
  if (status === 403) return CODE_MESSAGES_ZH.forbidden;
  if (status === 404) return CODE_MESSAGES_ZH.not_found;
  if (status === 413) return CODE_MESSAGES_ZH.too_large;
  if (status === 429) return CODE_MESSAGES_ZH.rate_limited;
  if (status === 502 || status === 503 || status === 504) return CODE_MESSAGES_ZH.unavailable;
  if (status >= 500) return `服务器出错（HTTP ${status}），请稍后重试`;
  if (status > 0) return `请求失败（HTTP ${status}）`;
  return '操作失败';
}

function fill(s: string, field?: string): string {
  return s.replace('{field}', field ? fieldLabel(field) : '');
}

function zhMessage(e: ApiErrorLike): string {
  const { code, field, message } = e;
  for (const [re, s] of MESSAGE_PATTERNS_ZH) {
    const m = message.match(re);
    if (m) return s.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  if (code === 'validation_failed' && field) {
    for (const [re, s] of VALIDATION_PATTERNS_ZH) {
      const m = message.match(re);
      if (m) return fill(s, field).replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
    }
  }
  if (code === 'unauthenticated') {
    for (const [re, s] of UNAUTH_PATTERNS_ZH) if (re.test(message)) return s;
  }
  if (field && FIELD_CODE_MESSAGES_ZH[code]) return fill(FIELD_CODE_MESSAGES_ZH[code], field);
  if (CODE_MESSAGES_ZH[code]) return CODE_MESSAGES_ZH[code];
  const http = /^http_(\d+)$/.exec(code);
  if (http) return statusMessageZh(Number(http[1]));
  // A code this version of the workbench does not know: say what kind of failure it was (the code
  // itself stays in the description, for support, with the request id).
  const base = e.status >= 500 ? '服务器出错，请稍后重试' : e.status === 0 ? '操作失败' : '操作未能完成';
  return `${base}${field ? `（涉及「${fieldLabel(field)}」）` : ''}`;
}

/**
 * Describe an error for the interface language.
 * Anything can be passed: an ApiError, a plain Error, a string.
 */
export function describeError(err: unknown, lang: Lang): ErrorDescription {
  if (isApiErrorLike(err)) {
    const requestId = err.requestId || undefined;
    const server = err.message?.trim() || undefined;
    if (lang !== 'zh') return { message: server ?? err.code, requestId, code: err.code, field: err.field };
    return { message: zhMessage(err), server, requestId, code: err.code, field: err.field };
  }
  if (err instanceof Error) {
    if (lang !== 'zh') return { message: err.message || err.name || 'Error' };
    return { message: '操作失败', server: err.message || undefined };
  }
  if (err === null || err === undefined || err === '') return { message: lang === 'zh' ? '操作失败' : 'Something went wrong' };
  // A string is already meant for display (e.g. a sentence this app wrote itself).
  return { message: String(err) };
}

/** The words for "request id" in each language. */
export function requestIdLabel(lang: Lang): string {
  return lang === 'zh' ? '请求编号' : 'Request ID';
}

/** The secondary line: the server's words and the request id ('' when there is neither). */
export function errorDetailText(d: ErrorDescription, lang: Lang): string {
  const parts: string[] = [];
  if (d.detail) parts.push(d.detail);
  if (d.requestId) parts.push(`${requestIdLabel(lang)} ${d.requestId}`);
  return parts.join(lang === 'zh' ? '；' : '; ');
}

/** The whole description on one line, for places that only take text (lists of failures, tooltips). */
export function errorText(err: unknown, lang: Lang): string {
  const d = describeError(err, lang);
  const more = errorDetailText(d, lang);
  if (!more) return d.message;
  return lang === 'zh' ? `${d.message}（${more}）` : `${d.message} (${more})`;
}
