// 上报事项: choose a category and an item type (or come with one: a task, an action of the record), fill the form
// rendered from the type's FormSchema (checked with validateFormData as the worker types, the same check the
// server runs), photos, location and a note; saved to the outbox and sent when the phone is online. A rejected
// item reopens here with the server's messages on its fields and is resent under its own clientId.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from 'antd-mobile';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { validateFormData } from '../../../shared/forms';
import type { ItemType } from '../api';
import { enqueue, getOp, getPhoto, packIndex, resend, useApp } from '../data/app';
import { cachedRecord } from '../data/record';
import { AreaInput, FieldBox, SchemaField } from '../components/fields';
import { Card, EmptyState, Loading, RowLink, Screen, Tag } from '../components/ui';
import { downscale, newClientId, shortAddress, todayCst, toast } from '../lib/util';
import { idProblem } from '../lib/validate';
import type { FieldErr, ItemOp, OutboxEntry, PhotoEntry } from '../sync/engine';
import { S } from '../strings';

const I = S.item;
const MAX_PHOTOS = 9;

interface Photo {
  id: string;
  type: string;
  bytes: ArrayBuffer;
  url: string;
  stored: boolean;
}

interface Pos {
  lng: number;
  lat: number;
  accuracyM: number;
}

function TypePicker(props: { types: ItemType[]; categories: Array<{ code: string; name: string }>; onPick: (t: ItemType) => void }) {
  const [cat, setCat] = useState(props.categories[0]?.code ?? '');
  const list = props.types.filter((t) => t.categoryCode === cat);
  return (
    <>
      <h3 className="fq-group-title">{I.chooseCategory}</h3>
      <div className="fq-segment" role="tablist">
        {props.categories.map((c) => (
          <button key={c.code} type="button" role="tab" aria-selected={c.code === cat} className={c.code === cat ? 'is-active' : ''} onClick={() => setCat(c.code)} data-testid={`cat-${c.code}`}>
            {c.name}
          </button>
        ))}
      </div>
      <Card title={I.chooseType}>
        {list.map((t) => (
          <RowLink key={t.code} onClick={() => props.onPick(t)} title={t.name} sub={t.description ?? undefined} testId={`type-${t.code}`} />
        ))}
      </Card>
    </>
  );
}

function usePhotos() {
  const [photos, setPhotos] = useState<Photo[]>([]);
  const urls = useRef<string[]>([]);
  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);
  const add = async (files: FileList | null, onError: (m: string) => void) => {
    for (const file of Array.from(files ?? [])) {
      try {
        const blob = await downscale(file);
        const bytes = await blob.arrayBuffer();
        const type = ['image/jpeg', 'image/png', 'image/webp'].includes(blob.type) ? blob.type : 'image/jpeg';
        const url = URL.createObjectURL(new Blob([bytes], { type }));
        urls.current.push(url);
        setPhotos((p) => (p.length >= MAX_PHOTOS ? p : [...p, { id: newClientId(), type, bytes, url, stored: false }]));
      } catch {
        onError(I.photoFailed);
      }
    }
  };
  const load = (list: PhotoEntry[]) => {
    const out = list.map((p) => {
      const url = URL.createObjectURL(new Blob([p.bytes], { type: p.type }));
      urls.current.push(url);
      return { id: p.id, type: p.type, bytes: p.bytes, url, stored: true };
    });
    setPhotos(out);
  };
  return { photos, setPhotos, add, load };
}

export default function ItemForm() {
  const params = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const pack = useApp((s) => s.pack);
  const tasks = useApp((s) => s.tasks);

  // edit of a rejected op
  const editId = params.clientId;
  const [entry, setEntry] = useState<OutboxEntry | null | undefined>(editId ? undefined : null);
  const editOp = entry?.op.op === 'item' ? (entry.op as ItemOp) : null;

  const addressId = editOp ? (editOp.addressId ?? null) : (params.id ?? null);
  const taskId = editOp ? (editOp.taskId ?? null) : search.get('task');
  const correctionOf = editOp ? (editOp.correctionOf ?? null) : search.get('correctionOf');
  const [typeCode, setTypeCode] = useState<string | null>(editOp?.typeCode ?? search.get('type'));

  const [values, setValues] = useState<Record<string, unknown>>({});
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState<Record<string, true>>({});
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<FieldErr[]>([]);
  const [pos, setPos] = useState<Pos | null>(null);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { photos, setPhotos, add, load } = usePhotos();
  const [photoError, setPhotoError] = useState<string | null>(null);

  useEffect(() => {
    if (!editId) return;
    void getOp(editId).then(async (e) => {
      setEntry(e ?? null);
      if (!e || e.op.op !== 'item') return;
      setTypeCode(e.op.typeCode);
      setValues(e.op.data ?? {});
      setNote(e.op.note ?? '');
      setServer(e.errors);
      setShowAll(true);
      if (e.op.lng !== undefined && e.op.lat !== undefined) setPos({ lng: e.op.lng, lat: e.op.lat, accuracyM: e.op.accuracyM ?? 0 });
      const list = await Promise.all((e.op.photoIds ?? []).map((id) => getPhoto(id)));
      load(list.filter((p): p is PhotoEntry => !!p && !p.error));
    });
  }, [editId]);

  const type = pack?.itemTypes.find((t) => t.code === typeCode) ?? null;
  const address = useMemo(() => {
    if (!addressId) return null;
    const fromPack = pack ? packIndex(pack).byId.get(addressId) : undefined;
    return { id: addressId, fullText: fromPack?.fullText ?? cachedRecord(addressId)?.address.fullText ?? '' };
  }, [addressId, pack]);
  const task = taskId ? tasks.find((t) => t.id === taskId) : undefined;

  const locate = () => {
    if (!navigator.geolocation) {
      setLocError(I.locationFailed);
      return;
    }
    setLocating(true);
    setLocError(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPos({ lng: Math.round(p.coords.longitude * 1e6) / 1e6, lat: Math.round(p.coords.latitude * 1e6) / 1e6, accuracyM: Math.round(p.coords.accuracy) });
        setLocating(false);
      },
      () => {
        setLocError(I.locationFailed);
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  const wantsLocation = !!type?.needsLocation;
  useEffect(() => {
    if (wantsLocation && !pos) locate();
  }, [wantsLocation]);

  // 核查无误: the form opens with the first ("与登记一致", "完好") answer of each choice, to confirm or correct
  const quick = search.get('quick') === '1' && !editId;
  const [prefilled, setPrefilled] = useState(false);
  useEffect(() => {
    if (!quick || prefilled || !type) return;
    const v: Record<string, unknown> = {};
    for (const f of type.formSchema?.fields ?? []) if (f.type === 'select' && f.options?.length) v[f.key] = f.options[0];
    setValues(v);
    setPrefilled(true);
  }, [quick, prefilled, type]);

  if (editId && entry === undefined) return <Loading />;
  if (editId && entry === null) {
    return (
      <Screen title={I.title} back="/outbox">
        <EmptyState title={S.outbox.empty} />
      </Screen>
    );
  }

  const types = (pack?.itemTypes ?? []).filter((t) => t.status === 'active' && (address || !t.needsAddress));
  if (!type) {
    const cats = (pack?.categories ?? []).filter((c) => types.some((t) => t.categoryCode === c.code)).sort((a, b) => a.sort - b.sort);
    return (
      <Screen title={I.title} back={addressId ? `/a/${addressId}` : '/scan'} testId="type-picker">
        {address ? <p className="fq-intro">{shortAddress(address.fullText)}</p> : <p className="fq-intro">{I.noAddress}</p>}
        {typeCode && pack ? <div className="fq-notice is-warn">{I.noTypes}</div> : null}
        {types.length === 0 ? <EmptyState title={I.noTypes} /> : <TypePicker types={types} categories={cats} onPick={(t) => setTypeCode(t.code)} />}
      </Screen>
    );
  }

  const schema = type.formSchema ?? { fields: [] };
  const { errors, clean } = validateFormData(schema, values, { checkIdNumber: idProblem, today: todayCst() });
  const serverOf = (field: string) => server.find((e) => e.field === field)?.message;
  const errorOf = (field: string) => ((showAll || touched[field]) && errors.find((e) => e.field === field)?.message) || serverOf(field) || null;
  const photoProblem = type.needsPhoto && photos.length === 0 ? I.photosRequired : null;
  const locationProblem = type.needsLocation && !pos ? I.locationRequired : null;
  const addressProblem = type.needsAddress && !address ? I.needsAddress : null;
  const photoServer = server.filter((e) => e.field.startsWith('photoIds')).map((e) => e.message)[0];
  const formServer = server.filter((e) => !e.field.startsWith('data.') && !e.field.startsWith('photoIds') && e.field !== 'note');

  const change = (key: string, v: unknown) => {
    setValues((prev) => ({ ...prev, [key]: v }));
    setServer((prev) => prev.filter((e) => e.field !== `data.${key}`));
  };

  async function save() {
    setShowAll(true);
    if (errors.length || photoProblem || locationProblem || addressProblem || note.length > 2000) {
      toast(I.fixErrors);
      requestAnimationFrame(() => document.querySelector('.fq-field.has-error, .fq-notice.is-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      return;
    }
    setSaving(true);
    try {
      const clientId = entry?.clientId ?? newClientId();
      const redate = server.some((e) => e.field === 'occurredAt');
      const op: ItemOp = {
        op: 'item',
        clientId,
        typeCode: type!.code,
        ...(address ? { addressId: address.id } : {}),
        ...(taskId ? { taskId } : {}),
        ...(correctionOf ? { correctionOf } : {}),
        data: clean,
        ...(note.trim() ? { note: note.trim() } : {}),
        photoIds: photos.map((p) => p.id),
        ...(pos ? { lng: pos.lng, lat: pos.lat, accuracyM: pos.accuracyM } : {}),
        occurredAt: editOp && !redate ? editOp.occurredAt : new Date().toISOString(),
      };
      const at = new Date().toISOString();
      const fresh: PhotoEntry[] = photos.filter((p) => !p.stored).map((p) => ({ id: p.id, clientId, type: p.type, bytes: p.bytes, uploaded: false, createdAt: at }));
      const title = `${type!.name}${address?.fullText ? ` · ${shortAddress(address.fullText)}` : ''}`;
      if (entry) await resend(clientId, op, title, fresh);
      else await enqueue(op, title, fresh);
      toast(navigator.onLine ? I.savedOnline : I.saved, 'success');
      if (entry) navigate('/outbox', { replace: true });
      else if (address) navigate(`/a/${address.id}`, { replace: true });
      else navigate(-1);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Screen title={type.name} back={entry ? '/outbox' : address ? `/a/${address.id}` : '/scan'} testId="item-form">
      <form
        className="fq-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!saving) void save();
        }}
      >
        {entry && server.length ? (
          <div className="fq-notice is-error fq-block-notice" role="alert" data-testid="server-errors">
            <strong>{I.serverErrors}</strong>
            {formServer.map((e) => (
              <div key={`${e.field}:${e.message}`}>{e.message}</div>
            ))}
          </div>
        ) : null}
        <section className="fq-section">
          <div className="fq-field">
            <div className="fq-label">{I.address}</div>
            <div data-testid="item-address">{address ? address.fullText || address.id : I.noAddress}</div>
            {addressProblem ? <div className="fq-error">{addressProblem}</div> : null}
            <div>
              <Tag tone="grey">{type.categoryName}</Tag>
              {task ? <Tag tone="blue">{`${I.task}：${task.title}`}</Tag> : taskId ? <Tag tone="blue">{I.task}</Tag> : null}
              {correctionOf ? <Tag tone="orange">{I.correctionOf}</Tag> : null}
            </div>
            {type.description ? <div className="fq-help">{type.description}</div> : null}
          </div>
        </section>

        {schema.fields.length ? (
          <section className="fq-section" data-testid="item-fields">
            {schema.fields.map((f) => (
              <SchemaField
                key={f.key}
                field={f}
                value={values[f.key]}
                onChange={(v) => change(f.key, v)}
                onBlur={() => setTouched((t) => ({ ...t, [`data.${f.key}`]: true }))}
                error={errorOf(`data.${f.key}`)}
              />
            ))}
          </section>
        ) : null}

        <section className="fq-section">
          <FieldBox path="photos" label={I.photos} required={type.needsPhoto} error={(showAll && photoProblem) || photoServer || photoError} help={I.photoMax}>
            <div className="fq-photos">
              {photos.map((p) => (
                <div key={p.id} className="fq-photo">
                  <img src={p.url} alt="" />
                  <button type="button" aria-label={S.outbox.remove} onClick={() => setPhotos((list) => list.filter((x) => x.id !== p.id))}>
                    ×
                  </button>
                </div>
              ))}
              {photos.length < MAX_PHOTOS ? (
                <label className="fq-photo-add" data-testid="photo-add">
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    multiple
                    onChange={(e) => {
                      setPhotoError(null);
                      setServer((prev) => prev.filter((x) => !x.field.startsWith('photoIds')));
                      void add(e.target.files, setPhotoError);
                      e.target.value = '';
                    }}
                  />
                  <span style={{ fontSize: 22 }}>＋</span>
                  <span>{I.addPhoto}</span>
                </label>
              ) : null}
            </div>
          </FieldBox>
          <FieldBox path="location" label={I.location} required={type.needsLocation} error={(showAll && locationProblem) || locError}>
            <div className="fq-locate">
              {pos ? <span className="fq-ok">{I.located(pos.accuracyM)}</span> : null}
              <Button size="small" fill="outline" color="primary" loading={locating} loadingText={I.locating} onClick={locate} data-testid="locate">
                {I.locate}
              </Button>
            </div>
          </FieldBox>
          <AreaInput path="note" label={I.note} value={note} onChange={(v) => setNote(String(v))} maxLength={2000} placeholder={I.notePlaceholder} error={serverOf('note')} rows={2} />
        </section>

        <div className="fq-submit-bar">
          <Button block color="primary" size="large" type="submit" loading={saving} data-testid="item-save">
            {entry ? I.resend : I.save}
          </Button>
        </div>
      </form>
    </Screen>
  );
}
