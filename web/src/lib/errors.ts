// The one place that turns an error (mostly an ApiError from lib/api.ts) into what the user reads.
//
// The server answers {"error": {code, message, field, request_id}} with English `message` text.
// 简体中文: a Chinese sentence per code (with the Chinese label of the field for validation errors),
// the server's own words kept as secondary text (limits, allowed values, …), plus the request id.
// English: the server's message as it is, plus the request id.
import type { Lang } from './i18n';

/** What an error display shows. */
export interface ErrorDescription {
  /** The main sentence, in the interface language. */
  message: string;
  /** The server's original words, shown smaller under the main sentence (absent when they would repeat it). */
  detail?: string;
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
  outcomes: '判责结果与处理方式',
  calendar: '工作日历',
  'calendar.timezone': '工作日历时区',
  'calendar.weekdays': '工作日',
  'calendar.years': '节假日安排',
  attachments: '附件设置',
  'attachments.max_file_bytes': '单个文件大小上限',
  'attachments.max_files': '文件数量上限',
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
    if (Object.prototype.hasOwnProperty.call(FIELD_LABELS_ZH, parent) || parent.includes('.'))
      return `${fieldLabel(parent)}（${field.slice(dot + 1)}）`;
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
  [/\bhas no order\b/, '该店铺没有这个订单号，请核对后重新填写'],
  [/\bis in the future\b/, '「{field}」不能晚于当前时间'],
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
  // A code this version of the workbench does not know: say what kind of failure it was.
  const base = e.status >= 500 ? '服务器出错' : e.status === 0 ? '操作失败' : '操作未能完成';
  return `${base}（错误代码 ${code}）${field ? `，涉及「${fieldLabel(field)}」` : ''}`;
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
    const message = zhMessage(err);
    return { message, detail: server && server !== message ? server : undefined, requestId, code: err.code, field: err.field };
  }
  if (err instanceof Error) {
    if (lang !== 'zh') return { message: err.message || err.name || 'Error' };
    return { message: '操作失败', detail: err.message || undefined };
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
