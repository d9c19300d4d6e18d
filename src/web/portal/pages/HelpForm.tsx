// /m/p/:token/help — 报警求助/咨询: not for emergencies (the red 110 banner says so), with photos and location.
import { useRef, useState } from 'react';
import { Button, ImageUploader, type ImageUploadItem } from 'antd-mobile';
import { toast } from '../lib/notify';
import { AreaField, ChoiceField, Field, TextField } from '../components/fields';
import { FormShell, Section } from '../components/formshell';
import { PlateFormPage } from '../components/plate';
import { Icon, ICONS } from '../components/ui';
import { isApiError, uploadAttachment } from '../api';
import { useForm, type Errors, type Form } from '../lib/form';
import { ACCEPTED_TYPES, downscale, MAX_BYTES } from '../lib/image';
import { clean, editorDraftKey, useSubmitter, type EditorProps } from '../lib/submit';
import { textError } from '../lib/validate';
import { S } from '../strings';

const H = S.help;
const MAX_PHOTOS = 6;

interface Photo {
  id: string;
  url: string;
}
interface Values {
  category: string;
  description: string;
  photos: Photo[];
  location: { lng: number; lat: number; accuracyM?: number } | null;
  contactName: string;
}

function validate(v: Values): Errors {
  return {
    category: v.category ? null : S.form.chooseMsg(H.category),
    description: textError(v.description, H.description, { required: true, min: 10, max: 1000 }),
    photos: v.photos.length > MAX_PHOTOS ? H.photosMax : null,
    contactName: textError(v.contactName, H.contactName, { max: 50 }),
  };
}

function build(v: Values) {
  return {
    ...clean({ category: v.category, description: v.description, contactName: v.contactName }),
    ...(v.photos.length ? { attachmentIds: v.photos.map((p) => p.id) } : {}),
    ...(v.location ? { location: v.location } : {}),
  };
}

/** The server names the photos `attachmentIds` and the position's parts `location.lat` etc. */
function helpField(field: string): string {
  const f = field.replace(/^data\./, '');
  if (f.startsWith('attachmentIds')) return 'photos';
  if (f.startsWith('location')) return 'location';
  return f;
}

// thumbnails of the photos uploaded in this visit, so that they are not downloaded back
const localThumbs = new Map<string, string>();

function Photos({ f, pending }: { f: Form<Values>; pending: (n: number) => void }) {
  const photos = f.values.photos;
  const items: ImageUploadItem[] = photos.map((p) => ({ key: p.id, url: localThumbs.get(p.id) ?? p.url, extra: p }));
  const error = f.errorOf('photos');
  return (
    <Field path="photos" label={H.photos} error={error} help={H.photosHint}>
      <ImageUploader
        value={items}
        maxCount={MAX_PHOTOS}
        multiple
        accept="image/*"
        onCountExceed={() => toast(H.photosMax)}
        onUploadQueueChange={(tasks) => pending(tasks.filter((t) => t.status === 'pending').length)}
        beforeUpload={(file) => {
          if (!file.type.startsWith('image/')) {
            toast(H.photoType);
            return null;
          }
          return file;
        }}
        upload={async (file) => {
          const blob = await downscale(file);
          if (!ACCEPTED_TYPES.includes(blob.type)) {
            toast(H.photoType);
            throw new Error('type');
          }
          if (blob.size > MAX_BYTES) {
            toast(H.photoTooBig);
            throw new Error('size');
          }
          try {
            const a = await uploadAttachment(blob);
            const photo: Photo = { id: a.id, url: `/api/v1/portal/attachments/${a.id}` };
            localThumbs.set(a.id, URL.createObjectURL(blob));
            return { key: a.id, url: localThumbs.get(a.id)!, extra: photo };
          } catch (err) {
            toast(isApiError(err) && !err.isNetwork ? err.message : H.photoFailed);
            throw err;
          }
        }}
        onChange={(list) => f.replace('photos', list.map((it) => it.extra as Photo).filter(Boolean))}
        data-testid="photos"
      />
    </Field>
  );
}

type LocState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'fail'; message: string };

function Location({ f }: { f: Form<Values> }) {
  const [state, setState] = useState<LocState>({ kind: 'idle' });
  const loc = f.values.location;
  function locate() {
    if (!('geolocation' in navigator)) {
      setState({ kind: 'fail', message: H.locationUnsupported });
      return;
    }
    setState({ kind: 'busy' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setState({ kind: 'idle' });
        const { longitude, latitude, accuracy } = pos.coords;
        f.set('location', {
          lng: Math.round(longitude * 1e6) / 1e6,
          lat: Math.round(latitude * 1e6) / 1e6,
          ...(Number.isFinite(accuracy) ? { accuracyM: Math.round(accuracy) } : {}),
        });
      },
      (err) => setState({ kind: 'fail', message: err.code === err.PERMISSION_DENIED ? H.locationDenied : H.locationFailed }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }
  return (
    <Field path="location" label={H.location} error={f.errorOf('location')}>
      <div className="fq-locate">
        {loc ? (
          <>
            <span className="fq-ok" data-testid="location-ok">
              <Icon d={ICONS.pin} size={18} /> {H.located(loc.accuracyM ?? null)}
            </span>
            <button type="button" className="fq-link-btn" onClick={() => f.set('location', null)}>
              {H.locationClear}
            </button>
          </>
        ) : (
          <Button size="small" fill="outline" color="primary" loading={state.kind === 'busy'} loadingText={H.locating} onClick={locate} data-testid="locate">
            {H.locate}
          </Button>
        )}
      </div>
      {state.kind === 'fail' ? (
        <div className="fq-help is-warn" role="status" data-testid="location-failed">
          {state.message}
        </div>
      ) : null}
    </Field>
  );
}

export function HelpEditor(props: EditorProps) {
  const data = props.edit?.data;
  const initial: Values = {
    category: typeof data?.category === 'string' ? data.category : '',
    description: typeof data?.description === 'string' ? data.description : '',
    photos: (props.edit?.attachments ?? []).map((a) => ({ id: a.id, url: a.url })),
    location: (data?.location as Values['location']) ?? null,
    contactName: typeof data?.contactName === 'string' ? data.contactName : '',
  };
  const f = useForm<Values>({ initial, validate, draftKey: editorDraftKey('help', props), mapField: helpField });
  const uploading = useRef(0);
  const send = useSubmitter('help', props, f, build);
  const submit = () => {
    if (uploading.current > 0) toast(H.photosUploading);
    else send();
  };
  return (
    <FormShell f={f} onSubmit={submit} submitLabel={props.edit ? S.save : S.submit} testId="help-form">
      <Section title="求助内容">
        <ChoiceField f={f} path="category" label={H.category} required options={S.helpCategories} />
        <AreaField f={f} path="description" label={H.description} required maxLength={1000} placeholder={H.descriptionPlaceholder} />
        <Photos
          f={f}
          pending={(n) => {
            uploading.current = n;
          }}
        />
        <Location f={f} />
        <TextField f={f} path="contactName" label={H.contactName} maxLength={50} placeholder={H.contactPlaceholder} />
      </Section>
    </FormShell>
  );
}

export function EmergencyBanner() {
  return (
    <a className="fq-emergency is-big" href="tel:110" data-testid="emergency-110">
      <Icon d={ICONS.phone} size={24} />
      <span>
        <strong>{H.emergency}</strong>
        <small>{H.emergencyNote}</small>
      </span>
    </a>
  );
}

export default function HelpForm() {
  return <PlateFormPage title={H.title} testId="help-page" Editor={HelpEditor} before={<EmergencyBanner />} />;
}
