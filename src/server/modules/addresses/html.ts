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

export interface ScanView {
  state: 'active' | 'revoked' | 'unknown';
  kindName?: string;
  name?: string;
  fullText?: string;
  code?: string;
  replaced?: boolean;
  community?: { name: string; contactPhone: string | null } | null;
  officers?: Array<{ name: string; phone: string | null }>;
}

const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#eef2f7;color:#1f2933;line-height:1.5}
header{background:#0b4aa2;color:#fff;padding:14px 16px;font-size:15px;letter-spacing:.05em}
main{max-width:560px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:14px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.plate{background:#0b4aa2;color:#fff}
.kind{display:inline-block;font-size:13px;border:1px solid rgba(255,255,255,.6);border-radius:10px;padding:0 8px;margin-bottom:6px}
.short{font-size:34px;font-weight:700;margin:4px 0}
.full{font-size:16px;word-break:break-all}
.code{font-size:12px;opacity:.8;margin-top:6px;font-family:monospace}
h2{font-size:16px;margin:0 0 10px}
.officer{display:flex;justify-content:space-between;align-items:center;padding:8px 0;border-top:1px solid #e4e7eb}
.officer:first-of-type{border-top:0}
.name{font-size:18px;font-weight:600}
a.tel{display:inline-block;background:#0b4aa2;color:#fff;text-decoration:none;border-radius:20px;padding:8px 16px;font-size:16px}
.notice{background:#fff4e5;border:1px solid #f0b429;color:#8d2b0b}
.muted{color:#616e7c;font-size:13px}
footer{text-align:center;color:#7b8794;font-size:12px;padding:8px 16px 24px}
`;

function officersBlock(v: ScanView): string {
  const officers = v.officers ?? [];
  const rows = officers
    .map(
      (o) =>
        `<div class="officer"><div><div class="name">${esc(o.name)}</div><div class="muted">社区民警</div></div>${
          o.phone ? `<a class="tel" href="${esc(telHref(o.phone))}">拨打 ${esc(o.phone)}</a>` : ''
        }</div>`,
    )
    .join('');
  const unit = v.community
    ? `<div class="officer"><div><div class="name">${esc(v.community.name)}</div><div class="muted">社区警务室</div></div>${
        v.community.contactPhone ? `<a class="tel" href="${esc(telHref(v.community.contactPhone))}">拨打 ${esc(v.community.contactPhone)}</a>` : ''
      }</div>`
    : '';
  if (!rows && !unit) return '';
  return `<section class="card"><h2>社区民警</h2>${rows}${unit}</section>`;
}

/** The phone page behind a plate's QR code (`GET /q/{token}`). */
export function scanPage(v: ScanView): string {
  let body: string;
  if (v.state === 'unknown') {
    body = `<section class="card notice"><h2>未找到该门牌</h2><p>二维码无效或已损坏。如需核实地址，请联系当地社区民警或拨打派出所电话。</p></section>`;
  } else if (v.state === 'revoked') {
    body = `<section class="card notice"><h2>该门牌已${v.replaced ? '更换' : '注销'}</h2><p>此二维码对应的门牌${
      v.replaced ? '已被新门牌替换' : '已注销'
    }，不再有效。请以现场新门牌为准，或联系社区民警核实。</p></section>${officersBlock(v)}`;
  } else {
    body = `<section class="card plate"><span class="kind">${esc(v.kindName)}</span><div class="short">${esc(v.name)}</div><div class="full">${esc(
      v.fullText,
    )}</div><div class="code">地址编码 ${esc(v.code)}</div></section>${officersBlock(v)}`;
  }
  const title = v.state === 'active' ? `${v.name} · 标准地址` : '门牌信息';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style>${PAGE_CSS}</style></head>
<body><header>枫桥 · 标准地址门牌</header><main>${body}</main><footer>本页面仅显示标准地址和社区民警的工作联系方式，不收集任何个人信息。</footer></body></html>`;
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
