import type { ProblemCode } from './domain-errors.js';

/** Problem titles in both languages; the detail text stays with the thrower. */
export const PROBLEM_TITLES: Record<ProblemCode, { zh: string; en: string }> = {
  validation: { zh: '请求参数有误', en: 'Invalid request' },
  unauthenticated: { zh: '未登录或登录已失效', en: 'Not signed in' },
  invalid_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  totp_required: { zh: '需要动态口令', en: 'One-time password required' },
  invalid_totp: { zh: '动态口令错误', en: 'Wrong one-time password' },
  account_locked: { zh: '账号已锁定', en: 'Account locked' },
  account_disabled: { zh: '账号已停用', en: 'Account disabled' },
  forbidden: { zh: '无权访问', en: 'Forbidden' },
  purpose_required: { zh: '需要说明查询用途', en: 'A purpose is required' },
  not_found: { zh: '记录不存在', en: 'Not found' },
  gone: { zh: '已失效', en: 'Gone' },
  conflict: { zh: '数据冲突', en: 'Conflict' },
  rate_limited: { zh: '请求过于频繁', en: 'Too many requests' },
  otp_invalid: { zh: '验证码错误', en: 'Wrong verification code' },
  otp_expired: { zh: '验证码已失效', en: 'Verification code expired' },
  payload_too_large: { zh: '请求体过大', en: 'Payload too large' },
  unsupported_media_type: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  malformed_json: { zh: 'JSON 格式错误', en: 'Malformed JSON' },
  internal: { zh: '服务器内部错误', en: 'Internal server error' },
};

export function wantsEnglish(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en');
}
