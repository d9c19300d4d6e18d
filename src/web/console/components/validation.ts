import type { FormRule as Rule } from 'antd';
import type { I18n } from '../../shared/i18n';

/** Phone numbers of units and departments: digits, spaces, "+" and "-". */
export const PHONE_PATTERN = /^[0-9+\- ]{5,32}$/;
/** Staff phones: a mainland mobile number or a landline with area code. */
export const PERSON_PHONE_PATTERN = /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;
/** Sign-in names: lower-case, starting with a letter. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,31}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The server's password policy: at least 8 characters with both letters and digits, and not
 * containing the username (when known).
 */
export function passwordRules(t: I18n['t'], username?: () => string | undefined): Rule[] {
  return [
    { required: true, message: t('validation.required') },
    { min: 8, message: t('validation.password.min') },
    { max: 256, message: t('validation.maxLength', { max: 256 }) },
    {
      validator: async (_rule, value: string | undefined) => {
        if (value && !(/[A-Za-z]/.test(value) && /\d/.test(value))) throw new Error(t('validation.password.mix'));
        const name = username?.()?.trim().toLowerCase();
        if (value && name && value.toLowerCase().includes(name)) throw new Error(t('validation.password.username'));
      },
    },
  ];
}

/** A "repeat the password" rule against another field. */
export function confirmRule(t: I18n['t'], field: string): Rule {
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      if (value && value !== getFieldValue(field)) throw new Error(t('validation.password.mismatch'));
    },
  });
}

/** A required display name of `min`–`max` characters (units, departments, roads…). */
export function nameRules(t: I18n['t'], min = 2, max = 64): Rule[] {
  return [
    { required: true, whitespace: true, message: t('validation.required') },
    { min, message: t('validation.minLength', { min }) },
    { max, message: t('validation.maxLength', { max }) },
  ];
}

/** An optional phone number of a unit or department. */
export const phoneRules = (t: I18n['t']): Rule[] => [{ pattern: PHONE_PATTERN, message: t('validation.phone') }];
