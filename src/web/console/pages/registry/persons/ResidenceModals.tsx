import { useState } from 'react';
import { Alert, App, Checkbox, Col, DatePicker, Form, Modal, Row, Select, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { AddressPicker } from '../../../components/AddressPicker';
import { applyProblemFields, dateString } from '../../../components/formErrors';
import { EndPeriodModal, notAfterToday } from '../../../components/EndPeriodModal';
import { DWELLING_LEVELS } from '../../../data/registry';
import { RELATIONS, personKeys } from '../../../data/population';
import type { Relation, Residence } from '../../../data/population';


/** After a move the person's page, lists and the residents of both addresses change. */
function useRefreshAfterMove() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: personKeys.all });
    void qc.invalidateQueries({ queryKey: ['registry', 'residents'] });
  };
}

interface MoveInValues {
  addressId?: string | null;
  relation?: Relation;
  fromDate?: Dayjs | null;
  past?: boolean;
  toDate?: Dayjs | null;
  closePrevious?: boolean;
}

/** 迁入: records a new residence; the current one (if any) is closed on the move-in day when confirmed. */
export function MoveInModal({ personId, personName, current, onClose }: { personId: string; personName: string; current: Residence | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const refresh = useRefreshAfterMove();
  const [form] = Form.useForm<MoveInValues>();
  const [error, setError] = useState<unknown>(null);
  const past = Form.useWatch('past', form);
  const fromDate = Form.useWatch('fromDate', form);

  const save = useMutation({
    mutationFn: (v: MoveInValues) =>
      api.post<Residence>(`/persons/${personId}/residences`, {
        addressId: v.addressId,
        relation: v.relation,
        fromDate: dateString(v.fromDate),
        ...(v.past ? { toDate: dateString(v.toDate) } : current ? { closePrevious: !!v.closePrevious } : {}),
      }),
    onSuccess: (r) => {
      message.success(r.current ? t('registry.move.inDone', { name: personName }) : t('registry.move.pastDone'));
      refresh();
      onClose();
    },
    onError: (err) => {
      setError(err);
      applyProblemFields(form, err, { addressId: 'addressId', relation: 'relation', fromDate: 'fromDate', toDate: 'toDate', closePrevious: 'closePrevious' });
    },
  });

  return (
    <Modal
      open
      title={t('registry.move.inTitle', { name: personName })}
      okText={t('registry.move.in')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={620}
      data-testid="move-in-modal"
    >
      {error ? (
        <ProblemAlert
          error={error}
          style={{ marginBottom: 16 }}
          fieldLabels={{
            addressId: t('registry.personForm.residenceAddress'),
            relation: t('registry.residents.relation'),
            fromDate: t('registry.personForm.fromDate'),
            toDate: t('registry.move.toDate'),
            closePrevious: t('registry.move.closePreviousLabel'),
          }}
        />
      ) : null}
      <Form<MoveInValues>
        form={form}
        layout="vertical"
        initialValues={{ fromDate: dayjs(), past: false, closePrevious: true }}
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="addressId"
          label={t('registry.personForm.residenceAddress')}
          rules={[{ required: true, message: t('registry.personForm.addressRequired') }]}
        >
          <AddressPicker hint={t('registry.personForm.residenceHint')} levels={DWELLING_LEVELS} data-testid="move-in-address" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="relation" label={t('registry.residents.relation')} rules={[{ required: true, message: t('registry.personForm.relationRequired') }]}>
              <Select
                placeholder={t('registry.personForm.relationPlaceholder')}
                options={RELATIONS.map((r) => ({ value: r, label: tx(`registry.relation.${r}`, r) }))}
                data-testid="move-in-relation"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="fromDate" label={t('registry.personForm.fromDate')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="past" valuePropName="checked" style={{ marginBottom: 12 }}>
          <Checkbox>{t('registry.move.pastLabel')}</Checkbox>
        </Form.Item>
        {past ? (
          <Form.Item
            name="toDate"
            label={t('registry.move.toDate')}
            dependencies={['fromDate']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: async (_r, value: Dayjs | null | undefined) => {
                  const from = getFieldValue('fromDate') as Dayjs | null | undefined;
                  if (value && from && value.isBefore(from, 'day')) throw new Error(t('registry.move.toBeforeFrom'));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => notAfterToday(d) || (!!fromDate && d.isBefore(fromDate, 'day'))} />
          </Form.Item>
        ) : current ? (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('registry.move.currentIs', { address: current.address.fullText, from: current.fromDate })}
            />
            <Form.Item name="closePrevious" valuePropName="checked">
              <Checkbox data-testid="close-previous">{t('registry.move.closePrevious')}</Checkbox>
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}

/** 迁出: closes the current residence on the move-out day; the record stays in the history. */
export function MoveOutModal({ residence, personName, onClose }: { residence: Residence; personName: string; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefreshAfterMove();
  return (
    <EndPeriodModal
      title={t('registry.move.outTitle', { name: personName })}
      okText={t('registry.move.out')}
      fromDate={residence.fromDate}
      dateLabel={t('registry.move.toDate')}
      dateExtra={t('registry.move.toDateHint')}
      intro={
        <>
          <Typography.Paragraph>
            <Typography.Text strong>{residence.address.fullText}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('registry.locate.since', { date: residence.fromDate })}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('registry.move.outHint')}</Typography.Paragraph>
        </>
      }
      submit={(toDate) => api.post<Residence>(`/residences/${residence.id}/end`, { toDate })}
      doneMessage={t('registry.move.outDone', { name: personName })}
      onDone={refresh}
      onClose={onClose}
      testId="move-out-modal"
    />
  );
}
