// /m/p/:token/nearby — 周边警务: the offices of the plate's branch, nearest first. The distance is from the
// phone's position when the resident allows it, else from the plate's address (the server computes both).
import { useCallback, useEffect, useState } from 'react';
import { Tag } from 'antd-mobile';
import { get, type NearbyOffice } from '../api';
import { PlateCard, usePlate } from '../components/plate';
import { CallLink, Card, EmptyState, ErrorState, Loading, Screen } from '../components/ui';
import { fmtDistance } from '../lib/util';
import { S } from '../strings';

const N = S.nearby;
type Pos = { lng: number; lat: number };

export default function Nearby() {
  const plate = usePlate();
  const [offices, setOffices] = useState<NearbyOffice[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pos, setPos] = useState<Pos | null>(null);
  const [locating, setLocating] = useState(false);

  const load = useCallback(
    (p: Pos | null) => {
      setError(null);
      get<NearbyOffice[]>(`/portal/plates/${encodeURIComponent(plate.token)}/offices`, p ? { lng: p.lng, lat: p.lat } : undefined, { quiet401: true }).then(
        setOffices,
        setError,
      );
    },
    [plate.token],
  );

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (r) => {
        setLocating(false);
        const p = { lng: Math.round(r.coords.longitude * 1e6) / 1e6, lat: Math.round(r.coords.latitude * 1e6) / 1e6 };
        setPos(p);
        load(p);
      },
      () => setLocating(false),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
    );
  }, [load]);

  useEffect(() => {
    load(null);
    locate();
  }, [load, locate]);

  let body;
  if (error && !offices) body = <ErrorState error={error} onRetry={() => load(pos)} />;
  else if (!offices) body = <Loading />;
  else if (!offices.length) body = <EmptyState title={N.empty} hint={N.emptyHint} testId="offices-empty" />;
  else
    body = (
      <>
        <p className="fq-small fq-muted fq-pad-x" data-testid="distance-basis">
          {locating ? N.locating : pos ? N.fromHere : N.fromAddress}
        </p>
        {offices.map((o) => (
          <Card
            key={o.id}
            testId={`office-${o.id}`}
            title={o.name}
            extra={
              <Tag color={o.openNow ? 'success' : 'default'} fill="outline">
                {o.openNow ? N.openNow : N.closed}
              </Tag>
            }
          >
            <div className="fq-office-meta">
              <Tag color="primary" fill="outline">
                {o.kindName}
              </Tag>
              {fmtDistance(o.distanceM) ? <span className="fq-distance">{fmtDistance(o.distanceM)}</span> : null}
            </div>
            <p className="fq-small">
              {o.address ?? N.noAddress}
              {o.address ? <span className="fq-muted">（{N.noMap}）</span> : null}
            </p>
            {o.hoursText.length ? (
              <ul className="fq-hours">
                {o.hoursText.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            ) : null}
            {o.hoursNote ? <p className="fq-small fq-muted">{o.hoursNote}</p> : null}
            {o.phone ? <CallLink phone={o.phone} /> : null}
          </Card>
        ))}
      </>
    );

  return (
    <Screen title={N.title} back={`/p/${plate.token}`} testId="nearby-page">
      <PlateCard />
      {body}
    </Screen>
  );
}
