/** Audit action codes and subject types the server writes (labels live in the i18n files). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.password_change',
  'auth.session_revoke',
  'auth.totp_setup',
  'auth.totp_enable',
  'auth.totp_disable',
  'auth.otp_request',
  'auth.otp_verify',
  'auth.resident_login',
  'org.unit_create',
  'org.unit_update',
  'org.department_create',
  'org.department_update',
  'user.create',
  'user.update',
  'user.view',
  'user.reset_password',
  'user.unlock',
  'audit.verify',
  'audit.export',
] as const;

export const AUDIT_SUBJECT_TYPES = ['user', 'org_unit', 'department', 'session', 'audit_log', 'resident', 'phone'] as const;
