import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../platform/errors/index.js';
import type { FileFormat } from './reader.js';

/** Largest accepted import file (a million people as CSV is about 150 MB). */
export const IMPORT_MAX_BYTES = 512 * 1024 * 1024;

export const importDir = (deps: Deps) => join(deps.config.dataDir, 'imports');
export const jobFile = (deps: Deps, jobId: string) => join(importDir(deps), jobId);

/** XLSX is a ZIP (PK\3\4); the old binary .xls is an OLE compound file; anything else is read as CSV text. */
function sniff(head: Buffer): FileFormat | 'xls' | 'empty' {
  if (head.length === 0) return 'empty';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return 'xls';
  return 'csv';
}

/**
 * Stores an uploaded file under DATA_DIR/imports/<job id> (written to a temporary name, synced, then renamed),
 * with its size, SHA-256 and format. A file over the limit is refused while it streams.
 */
export async function storeUpload(deps: Deps, jobId: string, body: Readable, maxBytes = IMPORT_MAX_BYTES) {
  await mkdir(importDir(deps), { recursive: true });
  const final = jobFile(deps, jobId);
  const part = `${final}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new DomainError('payload_too_large', 413, `导入文件不能超过 ${Math.round(maxBytes / 1024 / 1024)} MB，请拆分后分批导入`));
        return;
      }
      if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(part));
    const fh = await open(part, 'r+');
    await fh.sync();
    await fh.close();
    const format = sniff(head);
    if (format === 'empty') throw new DomainError('validation', 400, '上传的文件是空的', [{ field: 'file', message: '文件为空' }]);
    if (format === 'xls') throw new DomainError('unsupported_media_type', 415, '不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传', [{ field: 'file', message: '请另存为 .xlsx 或 .csv' }]);
    await rename(part, final);
    return { path: final, bytes, sha256: hash.digest('hex'), format };
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
}

export async function removeJobFile(deps: Deps, jobId: string) {
  await rm(jobFile(deps, jobId), { force: true });
}
