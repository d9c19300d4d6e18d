// The plate a page belongs to: loaded once per token by the layout route, shown as a compact header on every
// page under /m/p/:token.
import { createContext, useCallback, useContext, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Outlet, useParams } from 'react-router';
import { fetchPlate, isApiError, type PlateContext } from '../api';
import { S } from '../strings';
import { Card, ErrorState, Icon, ICONS, Loading, Screen } from './ui';

const Ctx = createContext<PlateContext | null>(null);

export function usePlate(): PlateContext {
  const p = useContext(Ctx);
  if (!p) throw new Error('usePlate outside PlateLayout');
  return p;
}

export function PlateLayout() {
  const { token = '' } = useParams();
  const [plate, setPlate] = useState<PlateContext | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    fetchPlate(token).then(setPlate, setError);
  }, [token]);
  useEffect(load, [load]);

  if (error) {
    if (isApiError(error) && (error.status === 404 || error.status === 400)) {
      return (
        <Screen title={S.appName} back={null} testId="plate-unknown">
          <ErrorState error={error} title={S.plate.unknownTitle} description={S.plate.unknownBody} />
        </Screen>
      );
    }
    return (
      <Screen title={S.appName} back={null}>
        <ErrorState error={error} onRetry={load} />
      </Screen>
    );
  }
  if (!plate || plate.token !== token) {
    return (
      <Screen title={S.appName} back={null}>
        <Loading />
      </Screen>
    );
  }
  if (plate.state === 'revoked') {
    return (
      <Screen title={S.appName} back={null} testId="plate-revoked">
        <PlateCardView plate={plate} />
        <Card>
          <h2 className="fq-h2">{S.plate.revokedTitle}</h2>
          <p className="fq-muted">{plate.replaced ? S.plate.replacedBody : S.plate.revokedBody}</p>
        </Card>
      </Screen>
    );
  }
  return (
    <Ctx.Provider value={plate}>
      <Outlet />
    </Ctx.Provider>
  );
}

function PlateCardView({ plate }: { plate: PlateContext }) {
  return (
    <div className="fq-plate" data-testid="plate-header">
      <Icon d={ICONS.pin} size={20} />
      <div className="fq-plate-text">
        <div className="fq-plate-name">{plate.address.name}</div>
        <div className="fq-plate-full">{plate.address.fullText}</div>
      </div>
    </div>
  );
}

/** The compact header of the plate (address name and full text). */
export function PlateCard() {
  return <PlateCardView plate={usePlate()} />;
}

/** The header of a page not under a plate (editing a submission): the address text it was made for. */
export function AddressCard({ address }: { address: string }) {
  return (
    <div className="fq-plate" data-testid="plate-header">
      <Icon d={ICONS.pin} size={20} />
      <div className="fq-plate-text">
        <div className="fq-plate-name">{address}</div>
      </div>
    </div>
  );
}

/** A submission form's page under a plate: the title bar back to the plate, the plate's address, the form. */
export function PlateFormPage(props: { title: string; testId: string; Editor: ComponentType<{ token: string }>; before?: ReactNode }) {
  const plate = usePlate();
  return (
    <Screen title={props.title} back={`/p/${plate.token}`} testId={props.testId}>
      {props.before}
      <PlateCard />
      <props.Editor token={plate.token} />
    </Screen>
  );
}
