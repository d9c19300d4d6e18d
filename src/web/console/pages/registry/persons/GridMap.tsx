import { useI18n } from '../../../../shared/i18n';
import type { GeoPolygon } from '../../../data/population';

interface Props {
  boundary: GeoPolygon | null | undefined;
  point: { lng: number; lat: number } | null;
  label: string;
  gridName?: string;
}

const W = 480;
const H = 320;
const PAD = 24;

function rings(b: GeoPolygon | null | undefined): number[][][] {
  if (!b) return [];
  if (b.type === 'Polygon') return b.coordinates as number[][][];
  return (b.coordinates as number[][][][]).flat();
}

/** The grid's boundary and the residence as a point, drawn locally (no tiles, no network). */
export function GridMap({ boundary, point, label, gridName }: Props) {
  const { t } = useI18n();
  const polys = rings(boundary);
  const pts = [...polys.flat(), ...(point ? [[point.lng, point.lat]] : [])];
  if (pts.length === 0) return null;
  let minX = Math.min(...pts.map((p) => p[0]));
  let maxX = Math.max(...pts.map((p) => p[0]));
  let minY = Math.min(...pts.map((p) => p[1]));
  let maxY = Math.max(...pts.map((p) => p[1]));
  if (maxX - minX < 1e-6) {
    minX -= 0.005;
    maxX += 0.005;
  }
  if (maxY - minY < 1e-6) {
    minY -= 0.005;
    maxY += 0.005;
  }
  // Longitude degrees are shorter than latitude degrees away from the equator.
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const scale = Math.min((W - 2 * PAD) / ((maxX - minX) * kx), (H - 2 * PAD) / (maxY - minY));
  const offX = (W - (maxX - minX) * kx * scale) / 2;
  const offY = (H - (maxY - minY) * scale) / 2;
  const px = (lng: number) => offX + (lng - minX) * kx * scale;
  const py = (lat: number) => H - offY - (lat - minY) * scale;
  const x = point ? px(point.lng) : 0;
  const y = point ? py(point.lat) : 0;
  // Place the label where it fits: right of the point, left of it, or centred below it (CJK ≈ 1 em a character).
  const FONT = 15;
  const tw = label.length * FONT;
  const place =
    x + 12 + tw <= W
      ? { x: x + 12, y: y - 10, anchor: 'start' as const }
      : x - 12 - tw >= 0
        ? { x: x - 12, y: y - 10, anchor: 'end' as const }
        : { x: Math.min(Math.max(x, tw / 2 + 4), W - tw / 2 - 4), y: y + 30, anchor: 'middle' as const };

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={t('registry.locate.mapLabel', { address: label })}
      style={{ width: '100%', height: 'auto', background: '#f4f7fb', borderRadius: 8, border: '1px solid #e5e9f0' }}
      data-testid="grid-map"
    >
      <defs>
        <pattern id="fq-map-grid" width="32" height="32" patternUnits="userSpaceOnUse">
          <path d="M 32 0 L 0 0 0 32" fill="none" stroke="#e3e8f0" strokeWidth="1" />
        </pattern>
      </defs>
      <rect width={W} height={H} fill="url(#fq-map-grid)" />
      {polys.map((ring, i) => (
        <polygon
          key={i}
          points={ring.map(([lng, lat]) => `${px(lng).toFixed(1)},${py(lat).toFixed(1)}`).join(' ')}
          fill="rgba(11, 74, 162, 0.08)"
          stroke="#0b4aa2"
          strokeWidth={2}
          strokeDasharray="6 4"
        />
      ))}
      {gridName ? (
        <text x={12} y={22} fontSize={14} fill="#0b4aa2">
          {gridName}
        </text>
      ) : null}
      {point ? (
        <g>
          <circle cx={x} cy={y} r={16} fill="rgba(207, 19, 34, 0.15)" />
          <circle cx={x} cy={y} r={6} fill="#cf1322" stroke="#fff" strokeWidth={2} />
          <text
            x={place.x}
            y={place.y}
            fontSize={FONT}
            textAnchor={place.anchor}
            fill="#1f2937"
            stroke="#fff"
            strokeWidth={4}
            paintOrder="stroke"
          >
            {label}
          </text>
        </g>
      ) : null}
    </svg>
  );
}
