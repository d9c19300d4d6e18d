// Dialogs of the review page: purpose for full IDs, return / reply texts, and approval with merge choices.
import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../../shared/i18n';
import { isApiError } from '../../../shared/api';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PersonPicker } from '../../components/PersonPicker';
import { problemFieldPath } from '../../components/formErrors';
import type { RegistryMatch } from '../../data/portal';
import { MatchTags } from './RegistryPanel';
import { keyLabel } from './submission';
import type { SubmissionPerson } from './submission';

/** Asks why the full identity numbers are needed (at least 4 characters; the reason is audited). */
export function PurposeModal(props: { loading?: boolean; error?: unknown; onOk: (purpose: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ purpose: string }>();
  return (
    <Modal
      open
      title={t('portalReview.ids.title')}
      okText={t('portalReview.ids.button')}
      confirmLoading={props.loading}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'purpose-ok' }}
    >
      <Typography.Paragraph type="secondary">{t('portalReview.ids.hint')}</Typography.Paragraph>
      {props.error ? <ProblemAlert error={props.error} style={{ marginBottom: 16 }} fieldLabels={{ purpose: t('registry.person.purpose') }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => props.onOk(v.purpose.trim())}>
        <Form.Item
          name="purpose"
          label={t('registry.person.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('registry.person.purposeRequired') },
            { min: 4, message: t('registry.person.purposeRequired') },
          ]}
        >
          <Input maxLength={100} autoFocus placeholder={t('portalReview.ids.placeholder')} data-testid="purpose-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One required text: the reason for a return (4–500) or the reply that closes a request (2–1000). */
export function TextModal(props: {
  kind: 'return' | 'complete';
  loading?: boolean;
  error?: unknown;
  onOk: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  const isReturn = props.kind === 'return';
  const min = isReturn ? 4 : 2;
  const max = isReturn ? 500 : 1000;
  const field = isReturn ? 'reason' : 'reply';
  const label = isReturn ? t('portalReview.return.reason') : t('portalReview.complete.reply');
  const serverErrors = isApiError(props.error) ? props.error.errors.filter((e) => problemFieldPath(e.field) === field).map((e) => e.message) : [];
  return (
    <Modal
      open
      title={isReturn ? t('portalReview.return.title') : t('portalReview.complete.title')}
      okText={isReturn ? t('portalReview.action.return') : t('portalReview.action.complete')}
      okButtonProps={{ danger: isReturn, 'data-testid': `${props.kind}-ok` }}
      confirmLoading={props.loading}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <Typography.Paragraph type="secondary">{isReturn ? t('portalReview.return.hint') : t('portalReview.complete.hint')}</Typography.Paragraph>
      {props.error ? <ProblemAlert error={props.error} style={{ marginBottom: 16 }} fieldLabels={{ [field]: label }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => props.onOk(v.text.trim())}>
        <Form.Item
          name="text"
          label={label}
          validateStatus={serverErrors.length ? 'error' : undefined}
          help={serverErrors.length ? serverErrors.join('；') : undefined}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { min, message: t('validation.minLength', { min }) },
            { max, message: t('validation.maxLength', { max }) },
          ]}
        >
          <Input.TextArea
            rows={isReturn ? 4 : 6}
            maxLength={max}
            showCount
            autoFocus
            placeholder={isReturn ? t('portalReview.return.placeholder') : t('portalReview.complete.placeholder')}
            data-testid={`${props.kind}-text`}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Choice = { mode: 'new' } | { mode: 'match'; personId: string } | { mode: 'other'; personId: string | null };

function initialChoice(matches: RegistryMatch[]): Choice {
  const m = matches.find((x) => x.inScope && x.personId);
  return m?.personId ? { mode: 'match', personId: m.personId } : { mode: 'new' };
}

const choiceValue = (c: Choice) => (c.mode === 'match' ? `match:${c.personId}` : c.mode);

/**
 * 通过: for every person the submission names, merge into the matching registry person (the default when one is
 * found in the jurisdiction), create a new one, or pick another existing person. Ebike registrations name nobody.
 */
export function ApproveModal(props: {
  persons: SubmissionPerson[];
  matches: RegistryMatch[];
  mergeable: boolean;
  loading?: boolean;
  error?: unknown;
  onOk: (body: { merge?: Record<string, string>; note?: string }) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const people = props.mergeable ? props.persons : [];
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(people.map((p) => [p.key, initialChoice(props.matches.filter((m) => m.key === p.key))])),
  );
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string[]>([]);

  const submit = () => {
    const merge: Record<string, string> = {};
    const gaps: string[] = [];
    for (const p of people) {
      const c = choices[p.key] ?? { mode: 'new' };
      if (c.mode === 'match') merge[p.key] = c.personId;
      else if (c.mode === 'other') {
        if (c.personId) merge[p.key] = c.personId;
        else gaps.push(p.key);
      }
    }
    setMissing(gaps);
    if (gaps.length) return;
    props.onOk({ merge: Object.keys(merge).length ? merge : undefined, note: note.trim() || undefined });
  };

  /** The server names a person's problem by `merge.<key>`, the key itself or a field under it (`tenants.0.idNumber`). */
  const keyErrors = (key: string) =>
    isApiError(props.error)
      ? props.error.errors
          .filter((e) => {
            const f = problemFieldPath(e.field);
            return f === `merge.${key}` || f === key || f.startsWith(`${key}.`);
          })
          .map((e) => e.message)
      : [];

  return (
    <Modal
      open
      title={t('portalReview.approve.title')}
      okText={t('portalReview.action.approve')}
      okButtonProps={{ 'data-testid': 'approve-ok' }}
      confirmLoading={props.loading}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={760}
    >
      <Typography.Paragraph type="secondary">{props.mergeable ? t('portalReview.approve.hint') : t('portalReview.approve.hintEbike')}</Typography.Paragraph>
      {props.error ? <ProblemAlert error={props.error} style={{ marginBottom: 16 }} /> : null}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {people.map((p) => {
          const matches = props.matches.filter((m) => m.key === p.key);
          const c = choices[p.key] ?? { mode: 'new' };
          const set = (next: Choice) => setChoices((prev) => ({ ...prev, [p.key]: next }));
          const errs = [...keyErrors(p.key), ...(missing.includes(p.key) ? [t('portalReview.approve.pickPerson')] : [])];
          return (
            <div key={p.key} style={{ border: '1px solid rgba(5, 5, 5, 0.08)', borderRadius: 8, padding: 12 }} data-testid={`approve-${p.key}`}>
              <Space size={6} wrap style={{ marginBottom: 8 }}>
                <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
                  {keyLabel(t, p.key)}
                </Tag>
                <Typography.Text strong>{p.name}</Typography.Text>
                {p.idNumber ? <Typography.Text type="secondary" className="fq-mono">{p.idNumber}</Typography.Text> : null}
              </Space>
              <Radio.Group
                value={choiceValue(c)}
                onChange={(e) => {
                  const v = String(e.target.value);
                  if (v.startsWith('match:')) set({ mode: 'match', personId: v.slice(6) });
                  else if (v === 'other') set({ mode: 'other', personId: null });
                  else set({ mode: 'new' });
                }}
                style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
              >
                {matches.map((m, i) => (
                  <Radio key={m.personId ?? `outside-${i}`} value={m.personId ? `match:${m.personId}` : `outside:${i}`} disabled={!m.inScope || !m.personId}>
                    <Space size={6} wrap>
                      {m.inScope ? t('portalReview.approve.merge', { name: m.name ?? '' }) : t('portalReview.approve.outside')}
                      {m.maskedId ? <Typography.Text code>{m.maskedId}</Typography.Text> : null}
                      <MatchTags match={m} />
                    </Space>
                  </Radio>
                ))}
                <Radio value="new">{matches.length ? t('portalReview.approve.createAnyway') : t('portalReview.approve.create')}</Radio>
                <Radio value="other">{t('portalReview.approve.other')}</Radio>
              </Radio.Group>
              {c.mode === 'other' ? (
                <div style={{ marginTop: 8, paddingInlineStart: 24 }}>
                  <PersonPicker value={c.personId} onChange={(id) => set({ mode: 'other', personId: id })} data-testid={`approve-pick-${p.key}`} />
                </div>
              ) : null}
              {c.mode === 'new' && matches.length ? (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
                  {t('portalReview.approve.createNote')}
                </Typography.Text>
              ) : null}
              {errs.length ? <Alert type="error" showIcon style={{ marginTop: 8 }} title={errs.join('；')} /> : null}
            </div>
          );
        })}
        <div>
          <Typography.Text>{t('portalReview.approve.note')}</Typography.Text>
          <Input.TextArea
            rows={2}
            maxLength={500}
            showCount
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('portalReview.approve.notePlaceholder')}
            style={{ marginTop: 4 }}
            data-testid="approve-note"
          />
        </div>
      </Space>
    </Modal>
  );
}
