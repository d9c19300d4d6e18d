import { useState } from 'react';
import { Alert, App, Button, Col, Form, Input, InputNumber, Radio, Row, Space, Typography } from 'antd';
import { ClearOutlined, UndoOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../components/FormDrawer';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { applyProblemFields } from '../../components/formErrors';
import { CAMERA_KINDS, ROUTE_MODES, useSaveCamera, useSaveRoute, type AssetStatus, type Camera, type CameraBody, type CameraKind, type PatrolRoute, type RouteBody, type RouteMode } from '../../data/map';
import { PickMap } from './PickMap';

interface CameraValues {
  orgUnitId?: string;
  code: string;
  name: string;
  kind: CameraKind;
  lat?: number | null;
  lng?: number | null;
  note?: string;
  status: AssetStatus;
}

const CAMERA_FIELDS = { orgUnitId: 'orgUnitId', code: 'code', name: 'name', kind: 'kind', lat: 'lat', lng: 'lng', note: 'note', status: 'status' } as const;

/** Add or edit a camera position: a code, a name and a place (picked on the small map or typed). Nothing else. */
export function CameraDrawer({ camera, defaultUnitId, onClose }: { camera?: Camera; defaultUnitId?: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CameraValues>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveCamera();
  const lat = Form.useWatch('lat', form);
  const lng = Form.useWatch('lng', form);
  const point = typeof lat === 'number' && typeof lng === 'number' ? { lat, lng } : null;

  const labels: Record<string, string> = {
    orgUnitId: t('mapAssets.camera.unit'),
    code: t('mapAssets.camera.code'),
    name: t('mapAssets.camera.name'),
    kind: t('mapAssets.camera.kind'),
    lat: t('mapAssets.camera.lat'),
    lng: t('mapAssets.camera.lng'),
    note: t('mapAssets.camera.note'),
    status: t('common.status'),
  };

  const submit = (v: CameraValues) => {
    setError(null);
    const body: CameraBody = { orgUnitId: v.orgUnitId, code: v.code.trim(), name: v.name.trim(), kind: v.kind, lat: v.lat ?? undefined, lng: v.lng ?? undefined, note: v.note?.trim() || null, status: v.status };
    if (!camera && body.note === null) delete body.note;
    save.mutate(
      { id: camera?.id, body },
      {
        onSuccess: (saved) => {
          message.success(camera ? t('common.saved') : t('mapAssets.camera.created', { name: saved.name }));
          onClose();
        },
        onError: (err) => {
          setError(err);
          applyProblemFields(form, err, CAMERA_FIELDS);
        },
      },
    );
  };

  return (
    <FormDrawer title={camera ? t('mapAssets.camera.editTitle', { name: camera.name }) : t('mapAssets.camera.createTitle')} onSubmit={() => form.submit()} onClose={onClose} saving={save.isPending} width={720} data-testid="camera-form">
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('map.camera.assetOnly')} />
      {error ? <ProblemAlert error={error} fieldLabels={labels} style={{ marginBottom: 16 }} /> : null}
      <Form<CameraValues>
        form={form}
        layout="vertical"
        scrollToFirstError
        onFinish={submit}
        initialValues={
          camera
            ? { orgUnitId: camera.orgUnit.id, code: camera.code, name: camera.name, kind: camera.kind, lat: camera.lat, lng: camera.lng, note: camera.note ?? undefined, status: camera.status }
            : { orgUnitId: defaultUnitId, kind: 'public', status: 'active' }
        }
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="code" label={labels.code} extra={t('mapAssets.camera.codeHelp')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 40 }]}>
              <Input maxLength={40} autoComplete="off" data-testid="camera-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="orgUnitId" label={labels.orgUnitId} rules={[{ required: true, message: t('validation.required') }]}>
              <OrgUnitSelect disableInactive allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="name" label={labels.name} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}>
              <Input maxLength={100} data-testid="camera-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={labels.kind}>
              <Radio.Group optionType="button" options={CAMERA_KINDS.map((k) => ({ value: k, label: tx(`map.camera.kind.${k}`, k) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="status" label={labels.status}>
              <Radio.Group optionType="button" options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: tx(`status.${s}`, s) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 13 }}>
              {t('mapAssets.camera.pickHint')}
            </Typography.Text>
            <PickMap mode="point" point={point} onPick={(la, ln) => form.setFieldsValue({ lat: la, lng: ln })} data-testid="camera-pick" />
          </Col>
          <Col xs={12}>
            <Form.Item name="lng" label={labels.lng} style={{ marginTop: 12 }} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber style={{ width: '100%' }} min={-180} max={180} step={0.0001} precision={6} data-testid="camera-lng" />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="lat" label={labels.lat} style={{ marginTop: 12 }} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber style={{ width: '100%' }} min={-90} max={90} step={0.0001} precision={6} data-testid="camera-lat" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="note" label={labels.note} rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormDrawer>
  );
}

interface RouteValues {
  orgUnitId?: string;
  name: string;
  mode: RouteMode;
  note?: string;
  status: AssetStatus;
}

/** Length of [lng, lat] points in kilometres (haversine). */
export function lineKm(points: Array<[number, number]>): number {
  const R = 6371.0088;
  const rad = Math.PI / 180;
  let km = 0;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i - 1];
    const [x2, y2] = points[i];
    const s = Math.sin(((y2 - y1) * rad) / 2) ** 2 + Math.cos(y1 * rad) * Math.cos(y2 * rad) * Math.sin(((x2 - x1) * rad) / 2) ** 2;
    km += 2 * R * Math.asin(Math.sqrt(s));
  }
  return km;
}

/** Add or edit a patrol route: draw it by clicking points on the small map (undo, clear). */
export function RouteDrawer({ route, defaultUnitId, onClose }: { route?: PatrolRoute; defaultUnitId?: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<RouteValues>();
  const [error, setError] = useState<unknown>(null);
  const [points, setPoints] = useState<Array<[number, number]>>(route?.geometry.coordinates ?? []);
  const [pointsError, setPointsError] = useState<string | null>(null);
  const save = useSaveRoute();
  const mode = (Form.useWatch('mode', form) ?? route?.mode ?? 'patrol') as RouteMode;

  const labels: Record<string, string> = {
    orgUnitId: t('mapAssets.route.unit'),
    name: t('mapAssets.route.name'),
    mode: t('mapAssets.route.mode'),
    geometry: t('mapAssets.route.geometry'),
    'geometry.coordinates': t('mapAssets.route.geometry'),
    note: t('mapAssets.route.note'),
    status: t('common.status'),
  };

  const submit = (v: RouteValues) => {
    setError(null);
    if (points.length < 2) {
      setPointsError(t('mapAssets.route.needPoints'));
      return;
    }
    const body: RouteBody = { orgUnitId: v.orgUnitId, name: v.name.trim(), mode: v.mode, geometry: { type: 'LineString', coordinates: points }, note: v.note?.trim() || null, status: v.status };
    if (!route && body.note === null) delete body.note;
    save.mutate(
      { id: route?.id, body },
      {
        onSuccess: (saved) => {
          message.success(route ? t('common.saved') : t('mapAssets.route.created', { name: saved.name }));
          onClose();
        },
        onError: (err) => {
          setError(err);
          const rest = applyProblemFields(form, err, { orgUnitId: 'orgUnitId', name: 'name', mode: 'mode', note: 'note', status: 'status' });
          const geo = rest.find((e) => e.field.startsWith('geometry'));
          if (geo) setPointsError(geo.message);
        },
      },
    );
  };

  const add = (lng: number, lat: number) => {
    if (points.length >= 500) {
      setPointsError(t('mapAssets.route.tooMany'));
      return;
    }
    setPointsError(null);
    setPoints([...points, [lng, lat]]);
  };

  return (
    <FormDrawer title={route ? t('mapAssets.route.editTitle', { name: route.name }) : t('mapAssets.route.createTitle')} onSubmit={() => form.submit()} onClose={onClose} saving={save.isPending} width={760} data-testid="route-form">
      {error ? <ProblemAlert error={error} fieldLabels={labels} style={{ marginBottom: 16 }} /> : null}
      <Form<RouteValues>
        form={form}
        layout="vertical"
        scrollToFirstError
        onFinish={submit}
        initialValues={route ? { orgUnitId: route.orgUnit.id, name: route.name, mode: route.mode, note: route.note ?? undefined, status: route.status } : { orgUnitId: defaultUnitId, mode: 'patrol', status: 'active' }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item name="name" label={labels.name} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}>
              <Input maxLength={100} data-testid="route-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="orgUnitId" label={labels.orgUnitId} rules={[{ required: true, message: t('validation.required') }]}>
              <OrgUnitSelect disableInactive allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="mode" label={labels.mode}>
              <Radio.Group optionType="button" options={ROUTE_MODES.map((m) => ({ value: m, label: tx(`map.route.mode.${m}`, m) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="status" label={labels.status}>
              <Radio.Group optionType="button" options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: tx(`status.${s}`, s) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={labels.geometry} required validateStatus={pointsError ? 'error' : undefined} help={pointsError ?? t('mapAssets.route.drawHint')}>
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Text data-testid="route-points">
              {t('mapAssets.route.points', { count: points.length })} · {t('mapAssets.route.lengthValue', { km: lineKm(points).toFixed(2) })}
            </Typography.Text>
            <Button size="small" icon={<UndoOutlined />} disabled={!points.length} onClick={() => setPoints((p) => p.slice(0, -1))} data-testid="route-undo">
              {t('mapAssets.route.undo')}
            </Button>
            <Button size="small" icon={<ClearOutlined />} disabled={!points.length} onClick={() => setPoints([])}>
              {t('mapAssets.route.clear')}
            </Button>
          </Space>
          <PickMap mode="line" points={points} routeMode={mode} onAdd={add} data-testid="route-pick" />
        </Form.Item>
        <Form.Item name="note" label={labels.note} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
