import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { describeError } from './errors';
import { assignableRoles, oneTimePassword, USERNAME_RE } from './people';

const zh = (status: number, code: string, message: string, field?: string) => describeError(new ApiError(status, code, message, field), 'zh').message;

describe('people', () => {
  it('offers the roles the server lets each manager give (docs/permissions.md)', () => {
    expect(assignableRoles('shop_lead', true)).toEqual(['shop_lead', 'shop_agent']);
    expect(assignableRoles('shop_owner', true)).toEqual(['shop_owner', 'shop_lead', 'shop_agent']);
    expect(assignableRoles('platform_admin', false)).toEqual(['platform_admin', 'platform_supervisor', 'platform_agent']);
    expect(assignableRoles('platform_admin', true)).toEqual(['shop_owner', 'shop_lead', 'shop_agent']);
    expect(assignableRoles('shop_agent', true)).toEqual([]);
  });
  it('makes one-time passwords the server takes, without look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = oneTimePassword();
      expect(pw).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{12}$/);
      seen.add(pw);
    }
    expect(seen.size).toBe(50);
  });
  it('checks logins as the server does', () => {
    expect(USERNAME_RE.test('zhou.xm@shop-1')).toBe(true);
    expect(USERNAME_RE.test('周小满')).toBe(false);
    expect(USERNAME_RE.test('a'.repeat(65))).toBe(false);
  });
  it("says the server's refusals in Chinese", () => {
    expect(zh(409, 'conflict', 'you cannot change your own role, deactivate yourself or reset your own password here (use /api/v1/me)', 'active')).toMatch(
      /^不能停用自己/,
    );
    expect(zh(409, 'conflict', "this is the shop's last active owner: make someone else owner first", 'active')).toMatch(/唯一在用的主账号/);
    expect(zh(403, 'forbidden', 'only the owner and platform admins manage an owner', 'id')).toBe('只有主账号和平台管理员可以管理主账号');
    expect(zh(409, 'conflict', "username 'e2e_zhou' is taken", 'username')).toBe('用户名「e2e_zhou」已被使用，请换一个');
    expect(zh(422, 'validation_failed', 'current_password is wrong', 'current_password')).toBe('当前密码不正确');
    expect(zh(401, 'unauthenticated', "this account is deactivated: ask your shop's owner or lead to reactivate it")).toMatch(/^该账号已停用/);
    expect(zh(403, 'password_change_required', 'your password was set by someone else: change it first (POST /api/v1/me/password)', 'password')).toBe(
      '你的密码由他人设置，请先设置新密码',
    );
  });
});
