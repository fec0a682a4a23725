import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './api';
import { CODE_MESSAGES_ZH, describeError, errorDetailText, errorText, fieldLabel, FIELD_LABELS_ZH } from './errors';

const err = (status: number, code: string, message: string, field?: string, requestId = 'r-123') => new ApiError(status, code, message, field, requestId);

// Every code the server answers with (src/http/io.c and the routes), plus the client's own `network`.
const SERVER_CODES = [
  'validation_failed',
  'unknown_field',
  'malformed_json',
  'not_found',
  'conflict',
  'forbidden',
  'too_large',
  'invalid_transition',
  'unauthenticated',
  'stale_version',
  'rate_limited',
  'unsupported_media_type',
  'csrf',
  'bad_header',
  'bad_multipart',
  'internal',
  'unavailable',
  'method_not_allowed',
  'not_ready',
  'gone',
  'type_mismatch',
  'idempotency_key_reused',
  'cross_origin',
  'password_change_required',
];

const hasHan = (s: string) => /[\u4e00-\u9fff]/.test(s);

describe('describeError, 简体中文', () => {
  it('has a Chinese sentence for every server code, with the server message and request id kept', () => {
    for (const code of SERVER_CODES) {
      const d = describeError(err(400, code, `english text for ${code}`), 'zh');
      expect(d.message, code).toBe(CODE_MESSAGES_ZH[code]);
      expect(hasHan(d.message), code).toBe(true);
      expect(d.message, code).not.toMatch(/english text/);
      expect(d.detail, code).toBeUndefined(); // the server's English is not shown in Chinese
      expect(d.server, code).toBe(`english text for ${code}`); // but kept for support
      expect(d.requestId, code).toBe('r-123');
      expect(d.code, code).toBe(code);
    }
    expect(describeError(err(0, 'network', 'Failed to fetch'), 'zh').message).toBe('无法连接服务器，请检查网络后重试');
  });

  it('explains specific codes in words a CS agent understands', () => {
    expect(describeError(err(403, 'forbidden', 'not allowed'), 'zh').message).toBe('没有权限执行此操作');
    expect(describeError(err(409, 'invalid_transition', 'cannot complete a cancelled work order; allowed: reopen'), 'zh')).toMatchObject({
      message: '工单当前的状态不允许此操作，请刷新后查看最新状态',
      server: 'cannot complete a cancelled work order; allowed: reopen',
    });
    expect(describeError(err(412, 'stale_version', 'the work order has changed'), 'zh').message).toMatch(/其他人修改/);
    expect(describeError(err(401, 'unauthenticated', 'wrong username or password'), 'zh').message).toBe('用户名或密码不正确');
    expect(describeError(err(401, 'unauthenticated', 'the session has expired or was signed out'), 'zh').message).toMatch(/登录已过期/);
    expect(describeError(err(401, 'unauthenticated', 'sign in first'), 'zh').message).toBe(CODE_MESSAGES_ZH.unauthenticated);
  });

  it('names the field in Chinese for validation errors', () => {
    const cases: [string, string, string][] = [
      ['title', 'title is required', '请填写「标题」'],
      ['content', 'content must not be empty', '「内容」不能为空'],
      ['reason', 'reason is longer than 2000 characters', '「原因」不能超过 2000 个字符'],
      ['limit', 'limit must be an integer from 1 to 200', '「条数」须为 1 到 200 之间的整数'],
      ['limit', 'limit must be 1 to 200', '「条数」须为 1 到 200'],
      ['q', 'q must be 1 to 200 characters', '「关键词」须为 1 到 200 个字符'],
      ['deadline', 'deadline must be an RFC 3339 time such as 2026-01-02T15:04:05+08:00', '「截止时间」不是有效的时间'],
      ['handler_id', 'handler_id must be an id (a string of digits)', '「处理人」不是有效的选择，请重新选择'],
      ['option', 'option must be one of: agreed, unreachable', '「处理结果」的取值不在允许的范围内'],
      ['contact_at', 'contact_at is in the future', '「联系时间」不能晚于当前时间'],
      ['deadline', 'deadline must be in the future', '「截止时间」须晚于当前时间'],
      ['order_no', 'the shop has no order TB0000000000', '该店铺没有订单号 TB0000000000，请核对后重新填写'],
      ['remedy', 'remedy refund is not allowed for support_seller by the rules', '所选处理方式不适用于这个判责结论'],
      ['liable_party', 'liable_party something odd', '「责任方」填写有误，请检查后重试'],
    ];
    for (const [field, msg, zh] of cases) {
      const d = describeError(err(422, 'validation_failed', msg, field), 'zh');
      expect(d.message, msg).toBe(zh);
      expect(d.detail, msg).toBeUndefined();
      expect(d.server, msg).toBe(msg);
      expect(d.field).toBe(field);
    }
    // no field: the general sentence
    expect(describeError(err(422, 'validation_failed', 'the rules must be a JSON object'), 'zh').message).toBe(CODE_MESSAGES_ZH.validation_failed);
  });

  it('explains the webhook checks (src/service/webhooks.c)', () => {
    const cases: [string, string, string][] = [
      ['url', 'url is required', '请填写「接收地址」'],
      ['url', 'url must start with http:// or https://', '「接收地址」须以 http:// 或 https:// 开头'],
      ['url', 'url has no host', '「接收地址」缺少主机名（域名或 IP 地址）'],
      ['url', 'url is longer than 2000 characters', '「接收地址」不能超过 2000 个字符'],
      [
        'url',
        'url may hold only printable ASCII without spaces (percent-encode the rest)',
        '「接收地址」只能包含可打印的 ASCII 字符且不能有空格，其他字符请用百分号编码',
      ],
      ['url', 'a shop has at most 10 webhooks; delete one first', '每个店铺最多添加 10 个 Webhook，请先删除一个'],
      ['description', 'description is longer than 200 characters', '「说明」不能超过 200 个字符'],
    ];
    for (const [field, msg, zh] of cases) {
      const d = describeError(err(422, 'validation_failed', msg, field), 'zh');
      expect(d.message, msg).toBe(zh);
      expect(d.server, msg).toBe(msg);
    }
  });

  it('names the field for other field-carrying codes', () => {
    expect(describeError(err(422, 'unknown_field', "unknown field 'foo'", 'foo'), 'zh').message).toBe(
      '提交的内容中有系统不认识的字段「foo」，请刷新页面后重试',
    );
    expect(describeError(err(413, 'too_large', "'a.mp4' is larger than the limit", 'file'), 'zh').message).toBe('「文件」超出大小或数量限制');
    expect(describeError(err(400, 'bad_header', 'If-Match must be the version from the ETag', 'If-Match'), 'zh').message).toMatch(/If-Match/);
    expect(describeError(err(422, 'type_mismatch', "'x.jpg': the name says image/jpeg but the content is text", 'file'), 'zh').message).toMatch(/「文件」/);
  });

  it('falls back sensibly for unknown fields and codes', () => {
    // unknown field: its own name
    expect(describeError(err(422, 'validation_failed', 'frobnicate is required', 'frobnicate'), 'zh').message).toBe('请填写「frobnicate」');
    // unknown code: says what kind of failure, in Chinese only; code and server words kept for support
    const d = describeError(err(418, 'teapot', "I'm a teapot", 'title'), 'zh');
    expect(d.message).toBe('操作未能完成（涉及「标题」）');
    expect(d.detail).toBeUndefined();
    expect(d).toMatchObject({ server: "I'm a teapot", code: 'teapot', requestId: 'r-123' });
    expect(describeError(err(500, 'db_on_fire', 'boom'), 'zh').message).toBe('服务器出错，请稍后重试');
    // no JSON body (e.g. a proxy's page): by HTTP status
    expect(describeError(new ApiError(502, 'http_502', '502 Bad Gateway'), 'zh').message).toBe(CODE_MESSAGES_ZH.unavailable);
    expect(describeError(new ApiError(500, 'http_500', '500 Internal Server Error'), 'zh').message).toBe('服务器出错（HTTP 500），请稍后重试');
    expect(describeError(new ApiError(400, 'http_400', '400 Bad Request'), 'zh').message).toBe('请求失败（HTTP 400）');
    expect(describeError(new ApiError(404, 'http_404', '404 Not Found'), 'zh').message).toBe(CODE_MESSAGES_ZH.not_found);
    // not an ApiError
    expect(describeError(new Error('x is undefined'), 'zh')).toEqual({ message: '操作失败', server: 'x is undefined' });
    expect(describeError('请先选择订单', 'zh')).toEqual({ message: '请先选择订单' });
    expect(describeError(undefined, 'zh').message).toBe('操作失败');
  });

  it('does not repeat the server message when it is empty, and leaves out a missing request id', () => {
    const d = describeError(new ApiError(409, 'conflict', ''), 'zh');
    expect(d.detail).toBeUndefined();
    expect(d.requestId).toBeUndefined();
    expect(errorText(new ApiError(409, 'conflict', ''), 'zh')).toBe(CODE_MESSAGES_ZH.conflict);
  });
});

describe('no English and no code reaches a Chinese user', () => {
  // the server's messages a new user met (issue: "English and raw codes in the Chinese workbench")
  const cases: [number, string, string, string | undefined, string][] = [
    [401, 'unauthenticated', 'wrong username or password', undefined, '用户名或密码不正确'],
    [403, 'forbidden', 'statistics are for shop leads and owners', undefined, '团队统计只对客服主管和店主开放'],
    [
      422,
      'validation_failed',
      'each reminder offset must be positive and shorter than the reply window',
      'reminder_offsets_hours',
      '每个提醒时间须大于 0 小时，且小于商家回复时限',
    ],
    [
      422,
      'validation_failed',
      'contact_at must be after the case was opened: the buyer has to be contacted about this case',
      'contact_at',
      '联系时间须晚于工单创建时间：须在本工单创建之后联系消费者',
    ],
    [409, 'conflict', 'the seller has already replied; a reply is never edited, only added to', undefined, '商家已经回复过：回复提交后不能修改，只能补充凭证'],
    [403, 'forbidden', 'the shop view is for shop leads and owners', 'view', '你的角色不能查看这个列表'],
    [429, 'rate_limited', "too many failed sign-ins for 'tea_lead'; try again in a few minutes", undefined, '登录失败次数过多，请过几分钟再试'],
  ];
  it('says each in Chinese, and the line shown holds no Latin words but the request id', () => {
    for (const [status, code, msg, field, zh] of cases) {
      const e = err(status, code, msg, field, 'r-9');
      expect(describeError(e, 'zh').message, msg).toBe(zh);
      expect(errorText(e, 'zh'), msg).toBe(`${zh}（请求编号 r-9）`);
    }
  });
});

describe('describeError, English', () => {
  it('keeps the server message as it is, and the request id', () => {
    const d = describeError(err(422, 'validation_failed', 'title is required', 'title'), 'en');
    expect(d).toMatchObject({ message: 'title is required', requestId: 'r-123', code: 'validation_failed', field: 'title' });
    expect(d.detail).toBeUndefined();
    expect(describeError(err(418, 'teapot', "I'm a teapot"), 'en').message).toBe("I'm a teapot");
    expect(describeError(new Error('boom'), 'en').message).toBe('boom');
    expect(describeError(new ApiError(500, 'internal', ''), 'en').message).toBe('internal');
  });
});

describe('field labels', () => {
  it('covers the fields the API names', () => {
    const expected: Record<string, string> = {
      title: '标题',
      content: '内容',
      handler_id: '处理人',
      deadline: '截止时间',
      order_no: '订单号',
      buyer_nick: '买家',
      reason: '原因',
      text: '内容',
      to: '转交给',
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
      username: '用户名',
      password: '密码',
      file: '文件',
      q: '关键词',
      limit: '条数',
      cursor: '分页',
    };
    for (const [f, zh] of Object.entries(expected)) expect(fieldLabel(f), f).toBe(zh);
    // and the rest the routes validate (gd_in_* / gd_http_fail / gd_err_field in src/)
    for (const f of [
      'shop_id',
      'category',
      'complaint',
      'priority',
      'type',
      'view',
      'state',
      'status',
      'handler',
      'creator',
      'buyer',
      'result',
      'decision',
      'format',
      'headers',
      'group',
      'custom',
      'collab',
      'items',
      'paid_amount',
      'version',
      'created_from',
      'created_to',
      'deadline_from',
      'deadline_to',
      'from',
      'sort',
      'calendar',
      'attachments',
      'reply_options',
      'outcomes',
      'X-CSRF-Token',
      'If-Match',
      'Idempotency-Key',
      'Content-Type',
      'Origin',
    ])
      expect(hasHan(fieldLabel(f)), f).toBe(true);
    for (const [f, zh] of Object.entries(FIELD_LABELS_ZH)) expect(zh, f).not.toBe('');
  });
  it('falls back for nested and unknown fields', () => {
    expect(fieldLabel('calendar.weekdays')).toBe('工作日');
    expect(fieldLabel('calendar.years.2026')).toBe('节假日安排（2026）');
    expect(fieldLabel('reply_options.agreed')).toBe('回复选项（agreed）');
    expect(fieldLabel('no_such_field')).toBe('no_such_field');
    expect(fieldLabel('toString')).toBe('toString');
  });
});

describe('one-line text', () => {
  it('puts the server message and request id after the sentence', () => {
    const e = err(409, 'invalid_transition', 'cannot start a done work order', undefined, 'abc');
    expect(errorText(e, 'zh')).toBe('工单当前的状态不允许此操作，请刷新后查看最新状态（请求编号 abc）');
    expect(errorText(e, 'en')).toBe('cannot start a done work order (Request ID abc)');
    expect(errorMessage(e, 'zh')).toBe(errorText(e, 'zh'));
    expect(errorDetailText(describeError(e, 'zh'), 'zh')).toBe('请求编号 abc');
    expect(errorDetailText(describeError(e, 'en'), 'en')).toBe('Request ID abc');
  });
});
