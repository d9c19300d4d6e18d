// 扫码: the camera reads a plate's QR (BarcodeDetector where the browser has it, else jsQR on canvas frames, loaded
// only then); a plate URL or code can also be typed or pasted; and any address of the offline pack can be chosen
// by searching. Every way ends on the address record.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Input } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { packIndex, searchPack, useApp } from '../data/app';
import { Card, Icon, ICONS, RowLink, Screen } from '../components/ui';
import { parsePlateInput } from '../lib/plate';
import { shortAddress } from '../lib/util';
import { S } from '../strings';

const C = S.scan;

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector;

type Decode = (video: HTMLVideoElement) => Promise<string | null>;

/** The decoder this browser can run: its own BarcodeDetector, else jsQR (lazily imported). */
async function makeDecoder(): Promise<Decode> {
  const BD = (window as unknown as { BarcodeDetector?: DetectorCtor & { getSupportedFormats?: () => Promise<string[]> } }).BarcodeDetector;
  if (BD) {
    try {
      const formats = (await BD.getSupportedFormats?.()) ?? ['qr_code'];
      if (formats.includes('qr_code')) {
        const detector = new BD({ formats: ['qr_code'] });
        return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
      }
    } catch {
      // fall through to jsQR
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!ctx || !video.videoWidth) return null;
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
  };
}

function Camera(props: { onCode: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setOn(false);
  };

  const start = async () => {
    setError(null);
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
      const s = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      stream.current = s;
      setOn(true);
    } catch {
      setError(C.noCamera);
      stop();
    }
  };

  // attach the stream and read frames while the camera is on
  useEffect(() => {
    if (!on || !video.current || !stream.current) return;
    const v = video.current;
    v.srcObject = stream.current;
    void v.play().catch(() => undefined);
    let alive = true;
    let timer: ReturnType<typeof setTimeout>;
    void makeDecoder().then((decode) => {
      const tick = async () => {
        if (!alive) return;
        try {
          const text = v.readyState >= 2 ? await decode(v) : null;
          if (text && alive) {
            alive = false;
            navigator.vibrate?.(60);
            stop();
            onCode.current(text);
            return;
          }
        } catch {
          // a frame that could not be read: the next one
        }
        timer = setTimeout(() => void tick(), 250);
      };
      void tick();
    });
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [on]);

  // camera already allowed: start at once; always stop when leaving
  useEffect(() => {
    const perms = navigator.permissions as Permissions | undefined;
    perms
      ?.query({ name: 'camera' as PermissionName })
      .then((p) => {
        if (p.state === 'granted') void start();
      })
      .catch(() => undefined);
    return () => stream.current?.getTracks().forEach((t) => t.stop());
  }, []);

  return (
    <>
      <div className="fq-scan-box" data-testid="scan-box">
        {on ? (
          <>
            <video ref={video} playsInline muted />
            <div className="fq-scan-frame" />
            <div className="fq-scan-tip">{C.hint}</div>
          </>
        ) : (
          <div className="fq-scan-idle">
            <Icon d={ICONS.camera} size={48} />
            {error ? <div role="alert">{error}</div> : <div>{C.hint}</div>}
            <Button color="primary" onClick={() => void start()} data-testid="scan-start">
              {C.start}
            </Button>
          </div>
        )}
      </div>
      {on ? (
        <Button block onClick={stop} style={{ marginBottom: 12 }}>
          {C.stop}
        </Button>
      ) : null}
    </>
  );
}

export default function Scan() {
  const navigate = useNavigate();
  const pack = useApp((s) => s.pack);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const found = useMemo(() => (pack && q.trim() ? searchPack(pack, q, 30) : null), [pack, q]);

  const open = (raw: string) => {
    const input = parsePlateInput(raw);
    if (!input) {
      setTextError(C.badCode);
      return;
    }
    if (input.kind === 'token') {
      navigate(`/p/${encodeURIComponent(input.token)}`);
      return;
    }
    // a code typed by hand: an address code of the pack, else a plate token
    const byCode = pack?.addresses.find((a) => a.code === input.code);
    if (byCode) navigate(`/a/${byCode.id}`);
    else navigate(`/p/${encodeURIComponent(input.code)}`);
  };

  return (
    <Screen title={C.title} tabs testId="scan-page">
      <Camera onCode={open} />
      <Card title={C.manual}>
        <form
          className="fq-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            open(text);
          }}
        >
          <Input
            value={text}
            onChange={(v) => {
              setText(v);
              setTextError(null);
            }}
            placeholder={C.manualPlaceholder}
            clearable
            data-testid="scan-input"
          />
          <Button color="primary" type="submit" data-testid="scan-open">
            {C.open}
          </Button>
        </form>
        {textError ? (
          <div className="fq-error" role="alert">
            {textError}
          </div>
        ) : null}
      </Card>
      <Card title={C.search} extra={pack ? <span className="fq-small fq-muted">{C.searchHint(pack.addresses.length)}</span> : null}>
        <div className="fq-inline-form">
          <Input value={q} onChange={setQ} placeholder={C.searchPlaceholder} clearable data-testid="address-search" />
        </div>
        {!pack ? <p className="fq-help">{S.sync.noPack}</p> : null}
        {found ? (
          found.items.length === 0 ? (
            <p className="fq-help">{C.searchEmpty}</p>
          ) : (
            <div style={{ marginTop: 6 }}>
              {found.items.map((a) => (
                <RowLink
                  key={a.id}
                  onClick={() => navigate(`/a/${a.id}`)}
                  title={shortAddress(a.fullText)}
                  sub={a.fullText}
                  extra={pack && packIndex(pack).children.get(a.id)?.length ? <span className="fq-small fq-muted">{packIndex(pack).children.get(a.id)!.length}</span> : null}
                  testId="address-result"
                />
              ))}
              {found.total > found.items.length ? <p className="fq-help">{C.more(found.total - found.items.length)}</p> : null}
            </div>
          )
        ) : null}
      </Card>
      <Button block fill="outline" color="primary" onClick={() => navigate('/item')} data-testid="item-without-address">
        {C.newItem}
      </Button>
    </Screen>
  );
}
