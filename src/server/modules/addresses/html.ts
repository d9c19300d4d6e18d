import QRCode from 'qrcode';

/**
 * Server-rendered pages of the plate module: the phone page behind a plate's QR and the print sheets.
 * No scripts and no external resources: inline CSS only, which the helmet CSP allows
 * (`style-src 'self' 'unsafe-inline'`). Every interpolated value goes through `esc`.
 */

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Inline SVG of a QR code (error correction M, no margin: the quiet zone is the white box around it). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
}

const telHref = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;

/** A staff card on the plate page (the public part of a community officer's or grid worker's account). */
export interface ScanStaff {
  id: string;
  name: string;
  policeNo: string | null;
  phone: string | null;
  photoUrl: string | null;
}

/** An office as the plate page shows it (hours already turned into lines). */
export interface ScanOffice {
  kindName: string;
  name: string;
  address: string | null;
  phone: string | null;
  hoursText: string[];
  hoursNote: string | null;
  openNow: boolean;
}

export interface ScanView {
  state: 'active' | 'revoked' | 'unknown';
  token?: string;
  replaced?: boolean;
  address?: { name: string; fullText: string; code: string; kindName: string };
  officers?: ScanStaff[];
  gridWorkers?: ScanStaff[];
  office?: ScanOffice | null;
  station?: ScanOffice | null;
  /** The community police district: its name and phone when no office is recorded for it. */
  community?: { name: string; contactPhone: string | null } | null;
}

const PAGE_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f0f3f8;color:#1f2933}
a{color:inherit;text-decoration:none}
header{background:linear-gradient(160deg,#0a3d8f,#1560c9);color:#fff;padding:14px 16px 40px}
header b{font-size:17px;letter-spacing:.08em}
header small{display:block;opacity:.8;font-size:12px}
main{max-width:560px;margin:-30px auto 0;padding:0 12px}
.sos{display:flex;align-items:center;gap:10px;background:#d93026;color:#fff;border-radius:12px;padding:10px 14px;min-height:56px;box-shadow:0 4px 12px rgba(217,48,38,.3);margin-bottom:12px}
.sos span{flex:1;font-size:15px;font-weight:600}
.sos strong{font-size:26px;letter-spacing:.04em}
.card{background:#fff;border-radius:12px;padding:14px 16px;margin-bottom:12px;box-shadow:0 1px 3px rgba(15,40,80,.08)}
.plate{background:#0b4aa2;color:#fff;border:3px solid #fff;outline:1px solid #0b4aa2}
.kind{display:inline-block;font-size:12px;border:1px solid rgba(255,255,255,.6);border-radius:10px;padding:0 8px}
.short{font-size:30px;font-weight:700;margin:2px 0}
.full{word-break:break-all}
.code{font:12px monospace;opacity:.8;margin-top:4px}
h2{font-size:16px;margin:0 0 10px;padding-left:8px;border-left:4px solid #0b4aa2;line-height:1.2}
.row{display:flex;align-items:center;gap:12px;padding:10px 0;border-top:1px solid #edf0f4}
h2+.row{border-top:0;padding-top:0}
.row img,.ph{width:60px;height:75px;border-radius:8px;object-fit:cover;background:#dfe8f5;flex:none}
.row .sm{width:44px;height:55px}
.who{flex:1;min-width:0}
.name{font-size:18px;font-weight:600}
.tag{display:inline-block;font-size:12px;color:#0b4aa2;background:#e8f0fc;border-radius:4px;padding:0 6px;margin:2px 4px 0 0}
.call{display:inline-flex;align-items:center;gap:4px;background:#0b4aa2;color:#fff;border-radius:22px;padding:0 16px;min-height:44px;font-size:15px;flex:none}
.call svg{width:18px;height:18px}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:6px}
.act{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:6px;min-height:88px;border-radius:10px;font-size:13px;text-align:center;padding:6px 2px}
.act:active{background:#f0f3f8}
.ic{width:44px;height:44px;border-radius:12px;display:flex;align-items:center;justify-content:center;color:#fff}
svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.st{float:right;font-size:12px;border-radius:10px;padding:1px 8px;background:#e6f4ea;color:#1e7b34}
.st.off{background:#eef0f3;color:#616e7c}
.hours{margin:6px 0;padding:0;list-style:none}
.hours li{padding:2px 0}
.hours em{font-style:normal;font-size:12px;color:#fff;background:#e8590c;border-radius:4px;padding:0 5px;margin-right:6px}
.muted{color:#616e7c;font-size:13px}
.notice{border-left:4px solid #f0b429}
.notice h2{border:0;padding:0;color:#8d2b0b}
footer{text-align:center;color:#7b8794;font-size:12px;padding:4px 16px 24px}
.staff{display:inline-block;margin-top:10px;color:#9aa5b1;font-size:12px;text-decoration:underline}`;

const ICON = {
  phone: '<path d="M6.6 3.5 9 3l1.5 4-2 1.3a11 11 0 0 0 6.2 6.2l1.3-2 4 1.5-.5 2.4c-.2 1-1.1 1.6-2.1 1.6C10.6 18 6 13.4 5 5.6c0-1 .6-1.9 1.6-2.1z"/>',
  rental: '<path d="M3 10.5 12 3l9 7.5M5 9v11h14V9M10 20v-6h4v6"/>',
  residence: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.8-4 3.4-6 6.5-6s5.7 2 6.5 6M18 8v6M15 11h6"/>',
  help: '<path d="M12 3 4.5 6v5.5c0 4.5 3.2 8.2 7.5 9.5 4.3-1.3 7.5-5 7.5-9.5V6zM12 8v5M12 16v.5"/>',
  appointments: '<rect x="3.5" y="5" width="17" height="15" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4M9 15l2 2 4-4"/>',
  mediation: '<path d="M4 5h10v7H8l-4 3zM10 15v1h6l4 3v-9h-4"/>',
  ebike: '<circle cx="6" cy="16" r="3.5"/><circle cx="18" cy="16" r="3.5"/><path d="M6 16l4-7h5l3 7M10 9l3 7H6M14 6h3"/>',
  progress: '<rect x="5" y="4" width="14" height="17" rx="2"/><path d="M9 4V3h6v1M8.5 10h7M8.5 14h7M8.5 18h4"/>',
  tips: '<path d="M12 3a6 6 0 0 0-3.5 10.9V16h7v-2.1A6 6 0 0 0 12 3zM9.5 19h5M10.5 21.5h3"/>',
  nearby: '<path d="M12 21s-6.5-6-6.5-11a6.5 6.5 0 0 1 13 0c0 5-6.5 11-6.5 11z"/><circle cx="12" cy="10" r="2.5"/>',
  person: '<circle cx="12" cy="9" r="4"/><path d="M4 21c1-5 4-7 8-7s7 2 8 7"/>',
} as const;
const svg = (name: keyof typeof ICON) => `<svg viewBox="0 0 24 24" aria-hidden="true">${ICON[name]}</svg>`;

/** The actions of a plate: [label, path under the resident portal (null: not tied to the plate), icon, colour]. */
const ACTIONS: Array<[string, string | null, keyof typeof ICON, string]> = [
  ['出租屋报备', 'rental', 'rental', '#1e6fd9'],
  ['流动人口报备', 'residence', 'residence', '#0f9d8a'],
  ['报警求助/咨询', 'help', 'help', '#d93026'],
  ['办事预约', 'appointments', 'appointments', '#f08c00'],
  ['矛盾纠纷调解', 'mediation', 'mediation', '#7048e8'],
  ['电动自行车登记', 'ebike', 'ebike', '#2f9e44'],
  ['我的办理进度', null, 'progress', '#3b5bdb'],
  ['安全防范提示', 'tips', 'tips', '#e8590c'],
  ['周边警务', 'nearby', 'nearby', '#1098ad'],
];

/** The phone icon is drawn once and reused by every call button. */
const SPRITE = `<svg style="display:none"><symbol id="i-tel" viewBox="0 0 24 24">${ICON.phone}</symbol></svg>`;
const TEL = '<svg aria-hidden="true"><use href="#i-tel"/></svg>';
const callButton = (phone: string | null, label = '拨打') => (phone ? `<a class="call" href="${esc(telHref(phone))}">${TEL}${esc(label)}</a>` : '');

const SOS = `<a class="sos" href="tel:110">${TEL}<span>紧急情况请直接拨打 110</span><strong>110</strong></a>`;

function staffRows(people: ScanStaff[], role: string, small: boolean): string {
  const [w, h, cls] = small ? [44, 55, ' class="sm"'] : [60, 75, ''];
  return people
    .map((p) => {
      const photo = p.photoUrl
        ? `<img${cls} src="${esc(p.photoUrl)}" width="${w}" height="${h}" loading="lazy" alt="${esc(`${role}${p.name}的照片`)}">`
        : `<div class="ph${small ? ' sm' : ''}" role="img" aria-label="${esc(`${role}${p.name}`)}"></div>`;
      return `<div class="row">${photo}<div class="who"><div class="name">${esc(p.name)}</div><span class="tag">${esc(role)}</span>${
        p.policeNo ? `<span class="tag">警号 ${esc(p.policeNo)}</span>` : ''
      }${p.phone ? `<div class="muted">${esc(p.phone)}</div>` : ''}</div>${callButton(p.phone)}</div>`;
    })
    .join('');
}

function peopleBlock(v: ScanView): string {
  const officers = staffRows(v.officers ?? [], '社区民警', false);
  const grid = staffRows(v.gridWorkers ?? [], '网格员', true);
  const community = !officers && !v.office && v.community?.contactPhone
    ? `<div class="row"><div class="who"><div class="name">${esc(v.community.name)}</div><span class="tag">社区警务室</span></div>${callButton(v.community.contactPhone)}</div>`
    : '';
  if (!officers && !grid && !community) return '';
  return `<section class="card"><h2>社区民警 · 网格员</h2>${officers}${community}${grid}</section>`;
}

function hoursLine(line: string): string {
  const badge = line.includes('晚间') ? '晚间' : /周六|周日/.test(line) ? '周末' : '';
  return `<li>${badge ? `<em>${badge}</em>` : ''}${esc(line)}</li>`;
}

function officeBlock(o: ScanOffice | null | undefined, title: string): string {
  if (!o) return '';
  return `<section class="card"><h2>${esc(title)}<span class="st${o.openNow ? '' : ' off'}">${o.openNow ? '正在办公' : '已下班'}</span></h2><div class="name">${esc(o.name)}</div>${
    o.hoursText.length ? `<ul class="hours">${o.hoursText.map(hoursLine).join('')}</ul>` : ''
  }${o.hoursNote ? `<div class="muted">${esc(o.hoursNote)}</div>` : ''}<div class="row"><div class="who muted">${esc(o.address ?? '')}${
    o.phone ? `<br>电话 ${esc(o.phone)}` : ''
  }</div>${callButton(o.phone)}</div></section>`;
}

function actionsBlock(token: string): string {
  const t = encodeURIComponent(token);
  const tiles = ACTIONS.map(
    ([label, path, icon, colour]) =>
      `<a class="act" href="${esc(path ? `/m/p/${t}/${path}` : '/m/me')}"><span class="ic" style="background:${colour}">${svg(icon)}</span>${esc(label)}</a>`,
  ).join('');
  return `<section class="card"><h2>扫码办事</h2><nav class="grid">${tiles}</nav></section>`;
}

/** The phone page behind a plate's QR code (`GET /q/{token}`): server-rendered, no script, inline CSS only. */
export function scanPage(v: ScanView): string {
  let body: string;
  if (v.state === 'unknown') {
    body = `<section class="card notice"><h2>未找到该门牌</h2><p>此二维码无效或已损坏，未能识别对应的标准地址。</p><p class="muted">请确认扫描的是公安机关制发的标准地址门牌；门牌损坏或无法识别的，请联系所在社区警务室或派出所。</p></section>`;
  } else if (v.state === 'revoked') {
    body = `<section class="card notice"><h2>该门牌已${v.replaced ? '更换' : '注销'}</h2><p>此二维码对应的门牌${
      v.replaced ? '已被新门牌替换' : '已注销'
    }，不再有效。请以现场新门牌为准，或联系社区民警核实。</p></section>${peopleBlock(v)}${officeBlock(v.office, '社区警务室')}`;
  } else {
    const a = v.address!;
    body = `<section class="card plate"><span class="kind">${esc(a.kindName)}</span><div class="short">${esc(a.name)}</div><div class="full">${esc(
      a.fullText,
    )}</div><div class="code">地址编码 ${esc(a.code)}</div></section>${peopleBlock(v)}${actionsBlock(v.token ?? '')}${officeBlock(v.office, '社区警务室')}${officeBlock(
      v.station,
      '派出所',
    )}`;
  }
  const title = v.state === 'active' ? `${v.address!.name} · 扫码服务` : '门牌信息';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="format-detection" content="telephone=no">
<title>${esc(title)}</title><style>${PAGE_CSS}</style></head>
<body>${SPRITE}<header><b>平安社区 · 扫码服务</b><small>标准地址 · 社区警务 · 便民办事</small></header><main>${SOS}${body}</main><footer>本页面显示标准地址和社区民警、网格员的工作联系方式，不收集任何个人信息。${
    v.state === 'active' && v.token ? `<br><a class="staff" href="/f/p/${esc(encodeURIComponent(v.token))}" rel="nofollow">工作人员采集入口</a>` : ''
  }</footer></body></html>`;
}

// ---------------------------------------------------------------------------------------------------
// Print sheets

export const PRINT_SIZES = ['large', 'medium', 'small', 'label'] as const;
export type PrintSize = (typeof PRINT_SIZES)[number];

/** Plate dimensions in mm (one city's specification: 大/中/小门牌) and the label sheet. */
export const PLATE_SPECS: Record<Exclude<PrintSize, 'label'>, { name: string; w: number; h: number; qr: number; shortMax: number; full: number; code: number }> = {
  large: { name: '大门牌', w: 570, h: 370, qr: 120, shortMax: 110, full: 15, code: 9 },
  medium: { name: '中门牌', w: 270, h: 170, qr: 75, shortMax: 50, full: 7, code: 4.2 },
  small: { name: '小门牌', w: 150, h: 90, qr: 40, shortMax: 24, full: 3.8, code: 2.4 },
};
export const LABEL_SPEC = { name: '标签纸', w: 70, h: 37, qr: 30, cols: 3, rows: 8 };

export interface PrintItem {
  name: string;
  fullText: string;
  code: string;
  kindName: string;
  url: string;
}

/** Width of a text in em: CJK characters are one em, ASCII digits and letters about 0.6. */
const emWidth = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) < 0x2e80 ? 0.6 : 1), 0);
const mm = (n: number) => `${Math.round(n * 100) / 100}mm`;

async function platesHtml(items: PrintItem[], size: Exclude<PrintSize, 'label'>) {
  const s = PLATE_SPECS[size];
  const pad = s.h * 0.06;
  const quiet = s.qr * 0.125; // ≈ 4 modules of a version-4 code
  const gap = s.h * 0.05;
  const textWidth = s.w - 2 * pad - (s.qr + 2 * quiet) - gap;
  const css = `
@page{size:${mm(s.w)} ${mm(s.h)};margin:0}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:"Source Han Sans SC","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif}
.plate{width:${mm(s.w)};height:${mm(s.h)};background:#0b4aa2;color:#fff;display:flex;align-items:center;gap:${mm(gap)};padding:${mm(pad)};overflow:hidden;break-after:page;page-break-after:always;border-radius:${mm(s.h * 0.04)};-webkit-print-color-adjust:exact;print-color-adjust:exact}
.plate:last-child{break-after:auto;page-break-after:auto}
.text{width:${mm(textWidth)};display:flex;flex-direction:column;justify-content:center}
.short{font-weight:700;line-height:1.1;white-space:nowrap}
.full{font-size:${mm(s.full)};line-height:1.3;margin-top:${mm(s.full * 0.8)};word-break:break-all}
.meta{font-size:${mm(s.code)};margin-top:${mm(s.code)};opacity:.85;font-family:monospace}
.qr{background:#fff;padding:${mm(quiet)};flex:none}
.qr svg{width:${mm(s.qr)};height:${mm(s.qr)};display:block}
@media screen{body{background:#9aa5b1;padding:10mm}.plate{margin:0 auto 10mm}}
`;
  const plates: string[] = [];
  for (const it of items) {
    const fontSize = Math.min(s.shortMax, textWidth / Math.max(emWidth(it.name), 1));
    plates.push(
      `<section class="plate" data-code="${esc(it.code)}"><div class="text"><div class="short" style="font-size:${mm(fontSize)}">${esc(it.name)}</div><div class="full">${esc(
        it.fullText,
      )}</div><div class="meta">${esc(it.kindName)} · ${esc(it.code)}</div></div><div class="qr">${await qrSvg(it.url)}</div></section>`,
    );
  }
  return { css, body: plates.join('\n') };
}

async function labelsHtml(items: PrintItem[]) {
  const l = LABEL_SPEC;
  // the white label is the QR's quiet zone: 3.5 mm above and below, 3.6 mm on the left (≈ 4 modules)
  const perSheet = l.cols * l.rows;
  const css = `
@page{size:210mm 297mm;margin:0}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:"Source Han Sans SC","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:#0b2f66}
.sheet{width:210mm;height:297mm;padding-top:0.5mm;display:grid;grid-template-columns:repeat(${l.cols},${mm(l.w)});grid-auto-rows:${mm(l.h)};break-after:page;page-break-after:always;overflow:hidden}
.sheet:last-child{break-after:auto;page-break-after:auto}
.label{width:${mm(l.w)};height:${mm(l.h)};display:flex;align-items:center;gap:2mm;padding:1.5mm 2mm 1.5mm 3.6mm;overflow:hidden}
.qr{flex:none;background:#fff}
.qr svg{width:${mm(l.qr)};height:${mm(l.qr)};display:block}
.text{flex:1;min-width:0}
.short{font-size:5mm;font-weight:700;line-height:1.15;color:#0b4aa2;word-break:break-all}
.full{font-size:2.3mm;line-height:1.3;margin-top:1mm;word-break:break-all}
.meta{font-size:1.9mm;margin-top:0.8mm;font-family:monospace;color:#52606d;word-break:break-all}
@media screen{body{background:#9aa5b1;padding:10mm}.sheet{background:#fff;margin:0 auto 10mm}.label{outline:0.2mm dashed #cbd2d9}}
`;
  const sheets: string[] = [];
  for (let i = 0; i < items.length; i += perSheet) {
    const labels: string[] = [];
    for (const it of items.slice(i, i + perSheet)) {
      labels.push(
        `<div class="label" data-code="${esc(it.code)}"><div class="qr">${await qrSvg(it.url)}</div><div class="text"><div class="short">${esc(it.name)}</div><div class="full">${esc(
          it.fullText,
        )}</div><div class="meta">${esc(it.code)}</div></div></div>`,
      );
    }
    sheets.push(`<section class="sheet">${labels.join('')}</section>`);
  }
  return { css, body: sheets.join('\n') };
}

/** A print-ready page: one plate per page at its real size, or A4 sheets of 3 × 8 labels. */
export async function printPage(items: PrintItem[], size: PrintSize): Promise<string> {
  const { css, body } = size === 'label' ? await labelsHtml(items) : await platesHtml(items, size);
  const title = `${size === 'label' ? LABEL_SPEC.name : PLATE_SPECS[size].name}打印（${items.length}）`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${css}</style></head>
<body>
${body}
</body></html>`;
}
