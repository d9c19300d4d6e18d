import type { FormRule } from 'antd';
import { Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import type { I18n } from '../../shared/i18n';
import { useI18n } from '../../shared/i18n';
import { checkCreditCode, checkIdNumber, foldCode } from './idChecks';

/** The unit type a valid credit code implies (positions 1–2), as the server defaults it. */
export function unitTypeOfCreditCode(code: string): string {
  const [authority, category] = foldCode(code);
  if (authority === '9') return category === '1' ? 'enterprise' : category === '2' ? 'individual' : 'cooperative';
  if (authority === '1') return category === '1' ? 'government' : category === '2' ? 'institution' : 'other';
  if (authority === '5') return 'social_org';
  return 'other';
}

/**
 * Rules of a 公民身份号码 field: a wrong character, province, birth date or check character shows while
 * typing; a number that is still too short only once the field is left (and on submit, when every rule runs).
 * Use with `validateTrigger={['onChange', 'onBlur']}` on the Form.Item. (A validation replaces the errors of
 * the rules it runs, so the format rule runs on both triggers and a blur does not clear its error.)
 */
export function idNumberRules(t: I18n['t'], required: boolean): FormRule[] {
  return [
    ...(required ? [{ required: true, whitespace: true, message: t('registry.personForm.idRequired') }] : []),
    {
      validateTrigger: ['onChange', 'onBlur'],
      validator: async (_rule, value: string | undefined) => {
        const r = checkIdNumber(value ?? '');
        if (r.ok || r.reason === 'empty' || r.reason === 'incomplete') return;
        if (r.reason === 'checksum') throw new Error(t('registry.idCheck.checksum', { expected: r.expected ?? '' }));
        if (r.reason === 'length') throw new Error(t('registry.idCheck.length', { length: r.length }));
        throw new Error(t(`registry.idCheck.${r.reason}`));
      },
    },
    {
      validateTrigger: 'onBlur',
      validator: async (_rule, value: string | undefined) => {
        const r = checkIdNumber(value ?? '');
        if (!r.ok && r.reason === 'incomplete') throw new Error(t('registry.idCheck.length', { length: r.length }));
      },
    },
  ];
}

/** The hint under an identity number while it is typed: how many digits so far, or sex and birth date once it checks out. */
export function IdNumberHint({ value }: { value?: string }) {
  const { t, tx } = useI18n();
  const r = checkIdNumber(value ?? '');
  if (r.ok) {
    return (
      <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="id-check-ok">
        <CheckCircleFilled /> {t('registry.idCheck.ok', { sex: tx(`registry.sex.${r.sex}`, r.sex), birth: r.birthDate })}
      </Typography.Text>
    );
  }
  if (r.reason === 'incomplete') return <span style={{ fontSize: 12 }}>{t('registry.idCheck.progress', { length: r.length })}</span>;
  if (r.reason === 'empty') return <span style={{ fontSize: 12 }}>{t('registry.idCheck.help')}</span>;
  return null;
}

/** Rules of a 统一社会信用代码 field (GB 32100), as for identity numbers. */
export function creditCodeRules(t: I18n['t']): FormRule[] {
  return [
    {
      validateTrigger: ['onChange', 'onBlur'],
      validator: async (_rule, value: string | undefined) => {
        const r = checkCreditCode(value ?? '');
        if (r.ok || r.reason === 'empty' || r.reason === 'incomplete') return;
        if (r.reason === 'checksum' || r.reason === 'orgCode') throw new Error(t(`registry.creditCheck.${r.reason}`, { expected: r.expected ?? '' }));
        if (r.reason === 'length') throw new Error(t('registry.creditCheck.length', { length: r.length }));
        throw new Error(t('registry.creditCheck.charset'));
      },
    },
    {
      validateTrigger: 'onBlur',
      validator: async (_rule, value: string | undefined) => {
        const r = checkCreditCode(value ?? '');
        if (!r.ok && r.reason === 'incomplete') throw new Error(t('registry.creditCheck.length', { length: r.length }));
      },
    },
  ];
}

export function CreditCodeHint({ value }: { value?: string }) {
  const { t, tx } = useI18n();
  const r = checkCreditCode(value ?? '');
  if (r.ok) {
    return (
      <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="credit-check-ok">
        <CheckCircleFilled /> {t('registry.creditCheck.ok', { type: tx(`registry.unitType.${unitTypeOfCreditCode(r.normalized)}`, '') })}
      </Typography.Text>
    );
  }
  if (r.reason === 'incomplete') return <span style={{ fontSize: 12 }}>{t('registry.idCheck.progress', { length: r.length })}</span>;
  if (r.reason === 'empty') return <span style={{ fontSize: 12 }}>{t('registry.creditCheck.help')}</span>;
  return null;
}
