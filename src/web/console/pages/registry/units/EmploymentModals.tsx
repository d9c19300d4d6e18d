import { useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PersonPicker } from '../../../components/PersonPicker';
import { applyProblemFields, dateString } from '../../../components/formErrors';
import { EndPeriodModal, notAfterToday } from '../../../components/EndPeriodModal';
import { unitKeys } from '../../../data/units';
import type { UnitEmployee } from '../../../data/units';


/** Employment changes show on the unit and on the person's page. */
function useRefreshEmployment(unitId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: unitKeys.detail(unitId) });
    void qc.invalidateQueries({ queryKey: ['registry', 'persons', 'page'] });
  };
}

interface AddValues {
  personId?: string | null;
  role?: string;
  fromDate?: Dayjs | null;
}

/** 添加从业人员: a registered person of the jurisdiction starts working at the unit. */
export function AddEmployeeModal({ unitId, unitName, onClose }: { unitId: string; unitName: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const refresh = useRefreshEmployment(unitId);
  const [form] = Form.useForm<AddValues>();
  const [error, setError] = useState<unknown>(null);

  const save = useMutation({
    mutationFn: (v: AddValues) =>
      api.post<UnitEmployee>(`/units/${unitId}/employees`, {
        personId: v.personId,
        ...(v.role?.trim() ? { role: v.role.trim() } : {}),
        fromDate: dateString(v.fromDate),
      }),
    onSuccess: (e) => {
      message.success(t('registry.employment.added', { name: e.person.name }));
      refresh();
      onClose();
    },
    onError: (err) => {
      setError(err);
      applyProblemFields(form, err, { personId: 'personId', role: 'role', fromDate: 'fromDate' });
    },
  });

  return (
    <Modal
      open
      title={t('registry.employment.addTitle', { name: unitName })}
      okText={t('registry.employment.add')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="add-employee-modal"
    >
      {error ? (
        <ProblemAlert
          error={error}
          style={{ marginBottom: 16 }}
          fieldLabels={{ personId: t('registry.employment.person'), role: t('registry.units.role'), fromDate: t('registry.employment.fromDate'), unitId: t('registry.units.name') }}
        />
      ) : null}
      <Form<AddValues>
        form={form}
        layout="vertical"
        initialValues={{ fromDate: dayjs() }}
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="personId"
          label={t('registry.employment.person')}
          extra={t('registry.employment.personHint')}
          rules={[{ required: true, message: t('registry.employment.personRequired') }]}
        >
          <PersonPicker data-testid="employee-person" />
        </Form.Item>
        <Form.Item name="role" label={t('registry.units.role')} rules={[{ max: 64, message: t('validation.maxLength', { max: 64 }) }]}>
          <Input maxLength={64} placeholder={t('registry.employment.rolePlaceholder')} />
        </Form.Item>
        <Form.Item name="fromDate" label={t('registry.employment.fromDate')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 离职: closes the employment on the leaving day; the record is kept. */
export function EndEmploymentModal({ unitId, employment, onClose }: { unitId: string; employment: UnitEmployee; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefreshEmployment(unitId);
  return (
    <EndPeriodModal
      title={t('registry.employment.endTitle', { name: employment.person.name })}
      okText={t('registry.employment.end')}
      fromDate={employment.fromDate}
      dateLabel={t('registry.employment.toDate')}
      intro={<Typography.Paragraph type="secondary">{t('registry.employment.endHint', { from: employment.fromDate })}</Typography.Paragraph>}
      submit={(toDate) => api.post(`/employments/${employment.id}/end`, { toDate })}
      doneMessage={t('registry.employment.ended', { name: employment.person.name })}
      onDone={refresh}
      onClose={onClose}
      testId="end-employment-modal"
    />
  );
}
