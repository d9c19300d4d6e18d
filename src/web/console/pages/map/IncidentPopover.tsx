import { Link } from 'react-router';
import { Descriptions, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { categoryColor, useIncidentBrief, type IncidentLayer } from '../../data/map';

const STATUS_COLORS: Record<string, string> = { received: 'red', handling: 'orange', diverted: 'purple', closed: 'green' };

/**
 * The popover of one incident point: with `incident.read` its number, time, category, status and place from
 * GET /api/v1/incidents/:id (which records the read) and a link to the detail; otherwise what the layer itself
 * carries (top-level category, time, status).
 */
export function IncidentPopover({ layer, index, canRead }: { layer: IncidentLayer; index: number; canRead: boolean }) {
  const { t, tx } = useI18n();
  const id = layer.ids[index];
  const brief = useIncidentBrief(id, canRead);
  const top = layer.categories[layer.cat[index]];
  const status = layer.statuses[layer.status[index]] ?? '';
  const colour = top ? categoryColor(top.code, layer.cat[index]) : '#595959';
  const b = brief.data;
  const categoryName = b?.categoryName ?? b?.category?.name ?? top?.name ?? '—';
  const statusName = b?.statusName ?? tx(`map.status.${b?.status ?? status}`, b?.status ?? status);
  const time = b?.occurredAt ? formatTime(b.occurredAt, DATE_TIME_SHORT) : dayjs(layer.t[index] * 1000).format(DATE_TIME_SHORT);
  return (
    <div data-testid="incident-popover" style={{ maxWidth: 290 }}>
      {canRead && brief.isLoading ? (
        <div style={{ textAlign: 'center', padding: 8 }}>
          <Spin size="small" />
        </div>
      ) : null}
      <Descriptions
        size="small"
        column={1}
        colon={false}
        styles={{ label: { width: 72, whiteSpace: 'nowrap', color: 'rgba(0,0,0,0.5)' } }}
        items={[
          ...(b?.code ? [{ key: 'code', label: t('map.incident.code'), children: <Typography.Text strong>{b.code}</Typography.Text> }] : []),
          { key: 'time', label: t('map.incident.time'), children: time },
          {
            key: 'cat',
            label: t('map.incident.category'),
            children: (
              <span>
                <span className="fq-map-dot" style={{ background: colour, marginInlineEnd: 6, verticalAlign: -1 }} />
                {categoryName}
              </span>
            ),
          },
          { key: 'status', label: t('map.incident.status'), children: <Tag color={STATUS_COLORS[b?.status ?? status] ?? 'default'}>{statusName}</Tag> },
          ...(b?.place ? [{ key: 'place', label: t('map.incident.place'), children: b.place }] : []),
        ]}
      />
      {!canRead ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('map.incident.noAccess')}
        </Typography.Text>
      ) : brief.isError ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('map.incident.unavailable')}
        </Typography.Text>
      ) : null}
      {canRead ? (
        <div style={{ marginTop: 6 }}>
          <Link to={`/command/incidents/${id}`} data-testid="incident-detail-link">
            {t('map.incident.detail')}
          </Link>
        </div>
      ) : null}
    </div>
  );
}
