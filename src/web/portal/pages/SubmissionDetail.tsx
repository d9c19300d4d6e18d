// /m/me/submissions/:id — one submission: status timeline, return reason, the officer's reply, what was
// submitted (identity numbers masked), photos; while submitted or returned it can be edited or withdrawn.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button, Steps } from 'antd-mobile';
import { confirmDialog, toast } from '../lib/notify';
import { useNavigate, useParams } from 'react-router';
import { get, isApiError, post, type Submission } from '../api';
import { StatusTag } from '../components/status';
import { Card, ErrorState, Loading, Screen } from '../components/ui';
import { fmtDateTime } from '../lib/util';
import { HELP_CATEGORY_NAMES, MEDIATION_CATEGORY_NAMES, REASON_NAMES, RELATION_NAMES, S } from '../strings';

const LABELS: Record<string, string> = {
  ownerName: '车主姓名',
  name: '姓名',
  idNumber: '公民身份号码',
  phone: '联系电话',
  hukouAddress: '户籍地址',
  reason: '来本地事由',
  reasonNote: '事由说明',
  arrivalDate: '到达日期',
  expectedStayUntil: '拟居住至',
  relation: '居住关系',
  landlordName: '房东姓名',
  landlordPhone: '房东电话',
  owner: '房东',
  leaseFrom: '租赁开始',
  leaseTo: '租赁结束',
  rooms: '出租间数',
  areaM2: '出租面积（㎡）',
  groupRental: '群租',
  tenants: '承租人',
  category: '类别',
  description: '情况描述',
  location: '位置',
  contactName: '联系人',
  parties: '当事人',
  role: '身份',
  desiredOutcome: '期望结果',
  brand: '品牌',
  model: '型号',
  color: '颜色',
  frameNo: '车架号',
  motorNo: '电机号',
  purchaseDate: '购买日期',
  certificateNo: '合格证编号',
  registrationNo: '登记编号',
};

const HIDDEN = new Set(['attachmentIds']);

function valueText(kind: string, key: string, v: unknown): string {
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'reason') return REASON_NAMES[String(v)] ?? String(v);
  if (key === 'relation') return RELATION_NAMES[String(v)] ?? String(v);
  if (key === 'category') return (kind === 'help' ? HELP_CATEGORY_NAMES : MEDIATION_CATEGORY_NAMES)[String(v)] ?? String(v);
  if (key === 'role') return v === 'applicant' ? '申请人' : v === 'respondent' ? '被申请人' : String(v);
  if (key === 'location' && v && typeof v === 'object') {
    const l = v as { lng: number; lat: number; accuracyM?: number };
    return `经度 ${l.lng}，纬度 ${l.lat}${l.accuracyM != null ? `（精度约 ${l.accuracyM} 米）` : ''}`;
  }
  return String(v);
}

function DataView({ kind, data }: { kind: string; data: Record<string, unknown> }): ReactNode {
  const rows: ReactNode[] = [];
  // in the order the forms ask for them (the stored object's key order is not the form's)
  const order = Object.keys(LABELS);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const entries = Object.entries(data).sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [k, v] of entries) {
    if (HIDDEN.has(k) || v === null || v === undefined || v === '') continue;
    const label = LABELS[k] ?? k;
    if (Array.isArray(v)) {
      v.forEach((item, i) =>
        rows.push(
          <div key={`${k}.${i}`} className="fq-subcard">
            <div className="fq-strong">
              {label} {i + 1}
            </div>
            {item && typeof item === 'object' ? <DataView kind={kind} data={item as Record<string, unknown>} /> : String(item)}
          </div>,
        ),
      );
    } else if (typeof v === 'object' && k !== 'location') {
      rows.push(
        <div key={k} className="fq-subcard">
          <div className="fq-strong">{label}</div>
          <DataView kind={kind} data={v as Record<string, unknown>} />
        </div>,
      );
    } else {
      rows.push(
        <div key={k} className="fq-kv">
          <span>{label}</span>
          <strong>{valueText(kind, k, v)}</strong>
        </div>,
      );
    }
  }
  return <>{rows}</>;
}

export default function SubmissionDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [sub, setSub] = useState<Submission | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    setError(null);
    get<Submission>(`/portal/submissions/${encodeURIComponent(id)}`).then(setSub, setError);
  }, [id]);
  useEffect(load, [load]);

  async function withdraw() {
    if (!sub) return;
    const ok = await confirmDialog({ content: S.me.withdrawConfirm, confirmText: S.me.withdraw, cancelText: S.cancel });
    if (!ok) return;
    setBusy(true);
    try {
      await post(`/portal/submissions/${encodeURIComponent(sub.id)}/withdraw`);
      toast(S.me.withdrawn, 'success');
      load();
    } catch (err) {
      toast(isApiError(err) ? err.message : S.serverError);
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (error) {
    body = isApiError(error) && error.status === 404 ? <ErrorState error={error} title="没有找到这条记录" /> : <ErrorState error={error} onRetry={load} />;
  } else if (!sub) body = <Loading />;
  else {
    const events = sub.timeline;
    const last = events.length - 1;
    const editable = sub.status === 'submitted' || sub.status === 'returned';
    body = (
      <>
        <Card testId="submission-head">
          <div className="fq-row">
            <h2 className="fq-h2">{sub.kindName}</h2>
            <StatusTag status={sub.status} name={sub.statusName} />
          </div>
          <div className="fq-kv">
            <span>{S.result.trackingNo}</span>
            <strong data-testid="tracking-no">{sub.trackingNo}</strong>
          </div>
          <div className="fq-kv">
            <span>{S.me.address}</span>
            <strong>{sub.address}</strong>
          </div>
          <div className="fq-kv">
            <span>{S.me.submittedAt}</span>
            <strong>{fmtDateTime(sub.submittedAt)}</strong>
          </div>
        </Card>
        {sub.returnReason && sub.status === 'returned' ? (
          <div className="fq-notice is-warn fq-block-notice" data-testid="return-reason">
            <div>
              <strong>{S.me.returnReason}</strong>
              <div>{sub.returnReason}</div>
            </div>
          </div>
        ) : null}
        {sub.reply ? (
          <div className="fq-notice is-info fq-block-notice" data-testid="reply">
            <div>
              <strong>{S.me.reply}</strong>
              <div>{sub.reply}</div>
            </div>
          </div>
        ) : null}
        <Card title={S.me.timeline} testId="timeline">
          <Steps direction="vertical" current={last}>
            {events.map((e, i) => (
              <Steps.Step
                key={`${e.at}-${i}`}
                title={e.statusName}
                status={i < last ? 'finish' : e.status === 'returned' ? 'error' : e.status === 'withdrawn' ? 'wait' : i === last && (e.status === 'done' || e.status === 'approved') ? 'finish' : 'process'}
                description={
                  <>
                    <div>{fmtDateTime(e.at)}</div>
                    {e.by ? <div>{e.by}</div> : null}
                    {e.note ? <div className="fq-step-note">{e.note}</div> : null}
                  </>
                }
              />
            ))}
          </Steps>
        </Card>
        <Card title={S.me.data} testId="submission-data">
          <DataView kind={sub.kind} data={sub.data} />
        </Card>
        {sub.attachments.length ? (
          <Card title={S.me.attachments}>
            <div className="fq-thumbs">
              {sub.attachments.map((a) => (
                <a key={a.id} href={a.url} target="_blank" rel="noreferrer">
                  <img src={a.url} alt="" loading="lazy" width={96} height={96} />
                </a>
              ))}
            </div>
          </Card>
        ) : null}
        {editable ? (
          <div className="fq-actions">
            <Button block color="primary" size="large" onClick={() => navigate(`/me/submissions/${sub.id}/edit`)} data-testid="edit">
              {S.me.edit}
            </Button>
            <Button block color="danger" fill="outline" size="large" loading={busy} onClick={() => void withdraw()} data-testid="withdraw">
              {S.me.withdraw}
            </Button>
          </div>
        ) : null}
      </>
    );
  }
  return (
    <Screen title={S.me.detail} back="/me" testId="submission-page">
      {body}
    </Screen>
  );
}
