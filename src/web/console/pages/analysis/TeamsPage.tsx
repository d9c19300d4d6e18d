import { useState } from 'react';
import { App, Button, Card, Checkbox, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import {
  TEAM_KINDS,
  useAdjustPoints,
  useAttendance,
  useCreateShift,
  useLedger,
  useRanking,
  useSaveMember,
  useSaveTeam,
  useTeam,
  useTeams,
  type Member,
  type RankingRow,
  type Shift,
  type Team,
  type TeamBody,
  type TeamDetail,
  type TeamKind,
} from '../../data/analysis';
import { bjTime, bjToday } from './common';

const KIND_COLOR: Record<TeamKind, string> = { yiwu: 'blue', hongxiubiao: 'red', other: 'default' };

function TeamForm({ team, onClose }: { team?: Team; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const [form] = Form.useForm<TeamBody>();
  const save = useSaveTeam();
  const submit = (v: TeamBody) =>
    save.mutate(
      { id: team?.id, body: { ...v, leaderName: v.leaderName || null, leaderPhone: v.leaderPhone || null, note: v.note || null } },
      { onSuccess: onClose, onError: (e) => applyProblemFields(form, e, { orgUnitId: 'orgUnitId', name: 'name', kind: 'kind', leaderName: 'leaderName', leaderPhone: 'leaderPhone', note: 'note' }) },
    );
  return (
    <FormDrawer title={team ? t('teams.edit') : t('teams.create')} onSubmit={form.submit} onClose={onClose} saving={save.isPending} width={560}>
      {save.error ? <ProblemAlert error={save.error} style={{ marginBottom: 16 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          team
            ? { orgUnitId: team.unit.id, name: team.name, kind: team.kind, leaderName: team.leaderName ?? undefined, note: team.note ?? undefined, status: team.status }
            : { orgUnitId: me?.orgUnit?.id, kind: 'yiwu' }
        }
      >
        <Form.Item name="orgUnitId" label={t('teams.unit')} rules={[{ required: true, message: t('patrol.required') }]}>
          <OrgUnitSelect allowClear={false} />
        </Form.Item>
        <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, whitespace: true, message: t('patrol.required') }]}>
          <Input maxLength={60} placeholder={t('teams.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="kind" label={t('teams.kind')} rules={[{ required: true, message: t('patrol.required') }]}>
          <Select options={TEAM_KINDS.map((k) => ({ value: k, label: t(`teams.kind.${k}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="leaderName" label={t('teams.leaderName')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="leaderPhone" label={t('teams.leaderPhone')} extra={team?.leaderPhone ? t('teams.phoneKeep', { phone: team.leaderPhone }) : undefined}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="note" label={t('teams.note')}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
        {team ? (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={[{ value: 'active', label: t('teams.active') }, { value: 'inactive', label: t('teams.inactive') }]} />
          </Form.Item>
        ) : null}
      </Form>
    </FormDrawer>
  );
}

function MemberModal({ teamId, member, onClose }: { teamId: string; member?: Member; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string; phone?: string; joinedOn?: Dayjs; status?: 'active' | 'left' }>();
  const save = useSaveMember();
  const submit = (v: { name: string; phone?: string; joinedOn?: Dayjs; status?: 'active' | 'left' }) =>
    save.mutate(
      { teamId, id: member?.id, body: { name: v.name, phone: v.phone || undefined, joinedOn: v.joinedOn?.format('YYYY-MM-DD'), status: v.status } },
      { onSuccess: onClose, onError: (e) => applyProblemFields(form, e, { name: 'name', phone: 'phone', joinedOn: 'joinedOn', status: 'status' }) },
    );
  return (
    <Modal open title={member ? t('teams.editMember') : t('teams.addMember')} onCancel={onClose} onOk={form.submit} confirmLoading={save.isPending} destroyOnHidden okText={t('common.save')}>
      {save.error ? <ProblemAlert error={save.error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={member ? { name: member.name, joinedOn: dayjs(member.joinedOn), status: member.status } : { joinedOn: dayjs() }}>
        <Form.Item name="name" label={t('teams.memberName')} rules={[{ required: true, whitespace: true, message: t('patrol.required') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('teams.phone')}
          rules={member ? [] : [{ required: true, message: t('patrol.required') }]}
          extra={member?.phone ? t('teams.phoneKeep', { phone: member.phone }) : undefined}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="joinedOn" label={t('teams.joinedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {member ? (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={[{ value: 'active', label: t('teams.memberActive') }, { value: 'left', label: t('teams.memberLeft') }]} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function PointsModal({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const ledger = useLedger(member.id, page);
  const adjust = useAdjustPoints();
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const submit = (v: { points: number; reason: string }) =>
    adjust.mutate({ memberId: member.id, ...v }, { onSuccess: () => form.resetFields(), onError: (e) => applyProblemFields(form, e, { points: 'points', reason: 'reason' }) });
  return (
    <Modal open title={t('teams.ledgerOf', { name: member.name })} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <Typography.Paragraph>
        {t('teams.totalPoints')}
        {t('common.colon')}
        <Typography.Text strong>{ledger.data?.member.points ?? member.points}</Typography.Text>
      </Typography.Paragraph>
      {can('patrol.manage') ? (
        <Form form={form} layout="inline" onFinish={submit} style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item name="points" rules={[{ required: true, message: t('patrol.required') }]}>
            <InputNumber min={-1000} max={1000} precision={0} placeholder={t('teams.adjustPoints')} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, whitespace: true, message: t('patrol.required') }]}>
            <Input maxLength={200} placeholder={t('teams.reason')} style={{ width: 260 }} />
          </Form.Item>
          <Button htmlType="submit" loading={adjust.isPending}>
            {t('teams.adjust')}
          </Button>
        </Form>
      ) : null}
      {adjust.error ? <ProblemAlert error={adjust.error} style={{ marginBottom: 12 }} /> : null}
      <Table
        scroll={{ x: 'max-content' }}
        size="small"
        rowKey="id"
        loading={ledger.isFetching}
        dataSource={ledger.data?.items ?? []}
        pagination={{ current: page, pageSize: 10, total: ledger.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noLedger')} /> }}
        columns={[
          { key: 'at', title: t('teams.col.when'), width: 150, render: (_, r) => bjTime(r.createdAt) },
          { key: 'points', title: t('teams.col.points'), width: 80, align: 'right', render: (_, r) => <Typography.Text type={r.points < 0 ? 'danger' : 'success'}>{r.points > 0 ? `+${r.points}` : r.points}</Typography.Text> },
          { key: 'reason', title: t('teams.reason'), render: (_, r) => r.reason },
          { key: 'by', title: t('teams.col.by'), width: 100, render: (_, r) => r.createdBy ?? t('teams.system') },
        ]}
      />
    </Modal>
  );
}

function ShiftForm({ team, onClose }: { team: TeamDetail; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ range: [Dayjs, Dayjs]; area: string; memberIds: string[] }>();
  const create = useCreateShift();
  const active = team.members.filter((m) => m.status === 'active');
  const submit = (v: { range: [Dayjs, Dayjs]; area: string; memberIds: string[] }) =>
    create.mutate(
      { teamId: team.id, body: { startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString(), area: v.area, memberIds: v.memberIds } },
      { onSuccess: onClose, onError: (e) => applyProblemFields(form, e, { startsAt: 'range', endsAt: 'range', area: 'area', memberIds: 'memberIds' }) },
    );
  return (
    <Modal open title={t('teams.addShift')} onCancel={onClose} onOk={form.submit} confirmLoading={create.isPending} destroyOnHidden width={600} okText={t('common.save')}>
      {create.error ? <ProblemAlert error={create.error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ memberIds: active.map((m) => m.id) }}>
        <Form.Item name="range" label={t('teams.shiftTime')} rules={[{ required: true, message: t('patrol.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="area" label={t('teams.area')} rules={[{ required: true, whitespace: true, message: t('patrol.required') }]}>
          <Input maxLength={200} placeholder={t('teams.areaPlaceholder')} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('teams.shiftMembers')} rules={[{ required: true, message: t('teams.pickMembers') }]}>
          <Checkbox.Group options={active.map((m) => ({ value: m.id, label: m.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AttendanceModal({ shift, onClose }: { shift: Shift; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const record = useAttendance();
  const [attended, setAttended] = useState<Record<string, boolean>>(() => Object.fromEntries(shift.members.map((m) => [m.memberId, m.attended ?? true])));
  const submit = () =>
    record.mutate(
      { shiftId: shift.id, members: shift.members.map((m) => ({ memberId: m.memberId, attended: attended[m.memberId] })) },
      {
        onSuccess: () => {
          void message.success(t('teams.attendanceSaved'));
          onClose();
        },
      },
    );
  return (
    <Modal open title={t('teams.attendance')} onCancel={onClose} onOk={submit} confirmLoading={record.isPending} destroyOnHidden okText={t('common.save')}>
      <Typography.Paragraph type="secondary">
        {bjTime(shift.startsAt)} ~ {bjTime(shift.endsAt).slice(11)} · {shift.area}
      </Typography.Paragraph>
      {record.error ? <ProblemAlert error={record.error} style={{ marginBottom: 12 }} /> : null}
      <Flex vertical gap={8}>
        {shift.members.map((m) => (
          <Flex key={m.memberId} justify="space-between" align="center">
            <Typography.Text>{m.name}</Typography.Text>
            <Switch checked={attended[m.memberId]} onChange={(v) => setAttended((a) => ({ ...a, [m.memberId]: v }))} checkedChildren={t('teams.present')} unCheckedChildren={t('teams.absent')} />
          </Flex>
        ))}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('teams.pointsRule')}
      </Typography.Paragraph>
    </Modal>
  );
}

function TeamDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const q = useTeam(id);
  const team = q.data;
  const manage = can('patrol.manage');
  const [editing, setEditing] = useState(false);
  const [member, setMember] = useState<Member | 'new'>();
  const [points, setPoints] = useState<Member>();
  const [shiftForm, setShiftForm] = useState(false);
  const [attendance, setAttendance] = useState<Shift>();
  return (
    <Drawer open size={920} title={team?.name ?? t('teams.detail')} onClose={onClose} destroyOnHidden extra={manage && team ? <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button> : null}>
      {q.error ? <ProblemAlert error={q.error} /> : null}
      {team ? (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            bordered
            column={3}
            items={[
              { key: 'kind', label: t('teams.kind'), children: <Tag color={KIND_COLOR[team.kind]}>{team.kindName}</Tag> },
              { key: 'unit', label: t('teams.unit'), children: team.unit.name },
              { key: 'status', label: t('common.status'), children: team.status === 'active' ? t('teams.active') : t('teams.inactive') },
              { key: 'leader', label: t('teams.leaderName'), children: team.leaderName ? `${team.leaderName} ${team.leaderPhone ?? ''}` : t('common.none') },
              { key: 'members', label: t('teams.col.members'), children: team.memberCount },
              { key: 'points', label: t('teams.col.points'), children: team.points },
              { key: 'note', label: t('teams.note'), span: 3, children: team.note ?? t('common.none') },
            ]}
          />
          <Tabs
            items={[
              {
                key: 'members',
                label: t('teams.tab.members', { n: team.members.length }),
                children: (
                  <Table<Member>
                    scroll={{ x: 'max-content' }}
                    size="small"
                    rowKey="id"
                    dataSource={team.members}
                    pagination={{ pageSize: 10, showSizeChanger: false }}
                    title={manage ? () => <Button icon={<PlusOutlined />} onClick={() => setMember('new')} data-testid="add-member">{t('teams.addMember')}</Button> : undefined}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noMembers')} /> }}
                    columns={[
                      { key: 'name', title: t('teams.memberName'), render: (_, m) => m.name },
                      { key: 'phone', title: t('teams.phone'), width: 130, render: (_, m) => m.phone },
                      { key: 'joined', title: t('teams.joinedOn'), width: 110, render: (_, m) => m.joinedOn },
                      { key: 'points', title: t('teams.col.points'), width: 80, align: 'right', render: (_, m) => <a onClick={() => setPoints(m)}>{m.points}</a> },
                      { key: 'status', title: t('common.status'), width: 80, render: (_, m) => (m.status === 'active' ? <Tag color="green">{t('teams.memberActive')}</Tag> : <Tag>{t('teams.memberLeft')}</Tag>) },
                      {
                        key: 'actions',
                        title: t('common.actions'),
                        width: 150,
                        render: (_, m) => (
                          <Space size={4}>
                            <Button size="small" type="link" onClick={() => setPoints(m)}>
                              {t('teams.ledger')}
                            </Button>
                            {manage ? (
                              <Button size="small" type="link" onClick={() => setMember(m)}>
                                {t('common.edit')}
                              </Button>
                            ) : null}
                          </Space>
                        ),
                      },
                    ]}
                  />
                ),
              },
              {
                key: 'shifts',
                label: t('teams.tab.shifts', { n: team.shifts.length }),
                children: (
                  <Table<Shift>
                    scroll={{ x: 'max-content' }}
                    size="small"
                    rowKey="id"
                    dataSource={team.shifts}
                    pagination={{ pageSize: 10, showSizeChanger: false }}
                    title={manage ? () => <Button icon={<PlusOutlined />} onClick={() => setShiftForm(true)} disabled={!team.members.some((m) => m.status === 'active')}>{t('teams.addShift')}</Button> : undefined}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noShifts')} /> }}
                    columns={[
                      { key: 'time', title: t('teams.shiftTime'), width: 190, render: (_, s) => `${bjTime(s.startsAt)}～${bjTime(s.endsAt).slice(11)}` },
                      { key: 'area', title: t('teams.area'), render: (_, s) => s.area },
                      {
                        key: 'members',
                        title: t('teams.shiftMembers'),
                        render: (_, s) => (
                          <Space size={[4, 4]} wrap>
                            {s.members.map((m) => (
                              <Tag key={m.memberId} color={m.attended === true ? 'green' : m.attended === false ? 'red' : 'default'}>
                                {m.name}
                                {m.attended != null ? ` ${m.points > 0 ? '+' : ''}${m.points}` : ''}
                              </Tag>
                            ))}
                          </Space>
                        ),
                      },
                      { key: 'status', title: t('common.status'), width: 90, render: (_, s) => <Tag color={s.status === 'done' ? 'green' : 'blue'}>{t(`teams.shift.${s.status}` as MessageKey)}</Tag> },
                      {
                        key: 'actions',
                        title: t('common.actions'),
                        width: 110,
                        render: (_, s) =>
                          manage && s.status !== 'cancelled' && new Date(s.startsAt).getTime() <= Date.now() ? (
                            <Button size="small" type="link" onClick={() => setAttendance(s)}>
                              {s.status === 'done' ? t('teams.reRecord') : t('teams.recordAttendance')}
                            </Button>
                          ) : null,
                      },
                    ]}
                  />
                ),
              },
            ]}
          />
        </Flex>
      ) : null}
      {editing && team ? <TeamForm team={team} onClose={() => setEditing(false)} /> : null}
      {member && team ? <MemberModal teamId={team.id} member={member === 'new' ? undefined : member} onClose={() => setMember(undefined)} /> : null}
      {points ? <PointsModal member={points} onClose={() => setPoints(undefined)} /> : null}
      {shiftForm && team ? <ShiftForm team={team} onClose={() => setShiftForm(false)} /> : null}
      {attendance ? <AttendanceModal shift={attendance} onClose={() => setAttendance(undefined)} /> : null}
    </Drawer>
  );
}

function Ranking({ unitId }: { unitId?: string }) {
  const { t } = useI18n();
  const [month, setMonth] = useState(bjToday().slice(0, 7));
  const q = useRanking(unitId, month);
  return (
    <Flex vertical gap={12}>
      <Space>
        <Typography.Text>{t('teams.month')}</Typography.Text>
        <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
      </Space>
      {q.error ? <ProblemAlert error={q.error} /> : null}
      <Table<RankingRow>
        scroll={{ x: 'max-content' }}
        size="small"
        rowKey="memberId"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noRanking')} /> }}
        data-testid="ranking-table"
        columns={[
          { key: 'rank', title: t('teams.col.rank'), width: 70, render: (_, r) => (r.rank <= 3 && r.monthPoints > 0 ? <Tag color="gold">{r.rank}</Tag> : r.rank) },
          { key: 'name', title: t('teams.memberName'), render: (_, r) => r.name },
          { key: 'team', title: t('teams.name'), render: (_, r) => r.team.name },
          { key: 'unit', title: t('teams.unit'), render: (_, r) => r.unitName },
          { key: 'mp', title: t('teams.col.monthPoints'), width: 100, align: 'right', render: (_, r) => <Typography.Text strong>{r.monthPoints}</Typography.Text> },
          { key: 'ms', title: t('teams.col.monthShifts'), width: 100, align: 'right', render: (_, r) => r.monthShifts },
          { key: 'tp', title: t('teams.col.totalPoints'), width: 90, align: 'right', render: (_, r) => r.totalPoints },
        ]}
      />
    </Flex>
  );
}

/** 义务巡逻队: teams with members, shifts and points, and the month's ranking. */
export default function TeamsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [unitId, setUnitId] = useState<string>();
  const [open, setOpen] = useState<string>();
  const [creating, setCreating] = useState(false);
  const teams = useTeams(unitId);
  return (
    <PageContainer
      subtitle={t('teams.subtitle')}
      extra={
        can('patrol.manage') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-team">
            {t('teams.create')}
          </Button>
        ) : null
      }
    >
      <Flex vertical gap={16}>
        {can('org.read') ? (
          <Card size="small">
            <Space>
              <Typography.Text>{t('teams.unit')}</Typography.Text>
              <div style={{ width: 260 }}>
                <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={t('analysis.allUnits')} />
              </div>
            </Space>
          </Card>
        ) : null}
        {teams.error ? <ProblemAlert error={teams.error} /> : null}
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'teams',
                label: t('teams.tab.teams'),
                children: (
                  <Table<Team>
                    scroll={{ x: 'max-content' }}
                    size="middle"
                    rowKey="id"
                    loading={teams.isFetching}
                    dataSource={teams.data?.items ?? []}
                    onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
                    pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }) }}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noTeams')} /> }}
                    data-testid="team-table"
                    columns={[
                      { key: 'name', title: t('teams.name'), render: (_, r) => <a>{r.name}</a> },
                      { key: 'kind', title: t('teams.kind'), width: 120, render: (_, r) => <Tag color={KIND_COLOR[r.kind]}>{r.kindName}</Tag> },
                      { key: 'unit', title: t('teams.unit'), width: 170, render: (_, r) => r.unit.name },
                      { key: 'leader', title: t('teams.leaderName'), width: 190, render: (_, r) => (r.leaderName ? `${r.leaderName} ${r.leaderPhone ?? ''}` : '') },
                      { key: 'members', title: t('teams.col.members'), width: 80, align: 'right', render: (_, r) => r.memberCount },
                      { key: 'points', title: t('teams.col.points'), width: 80, align: 'right', render: (_, r) => r.points },
                      { key: 'shifts', title: t('teams.col.shiftsThisMonth'), width: 100, align: 'right', render: (_, r) => r.shiftsThisMonth },
                      { key: 'status', title: t('common.status'), width: 80, render: (_, r) => (r.status === 'active' ? <Tag color="green">{t('teams.active')}</Tag> : <Tag>{t('teams.inactive')}</Tag>) },
                    ]}
                  />
                ),
              },
              { key: 'ranking', label: t('teams.tab.ranking'), children: <Ranking unitId={unitId} /> },
            ]}
          />
        </Card>
      </Flex>
      {open ? <TeamDrawer id={open} onClose={() => setOpen(undefined)} /> : null}
      {creating ? <TeamForm onClose={() => setCreating(false)} /> : null}
    </PageContainer>
  );
}
