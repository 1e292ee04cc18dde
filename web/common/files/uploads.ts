import { reactive } from 'vue';
import { operations } from '../../../client/operations';
import { formatFileSize } from '../../../domain/files';
import type { ChatMessage } from '../../../domain/messages';
import { FILE_TEXTS } from '../labels';
import { uuid } from '../uuid';
import { readCookie } from '../cookies';
import { CSRF_COOKIE, CSRF_HEADER } from '../../../domain/contracts/session';
import type { FileAccess } from './access';

export interface Upload {
  /** Also the upload's clientId: every retry sends the same one, so the desk stores the file once. */
  clientId: string;
  conversationId: string;
  file: File;
  state: 'sending' | 'waiting' | 'failed';
  /** 0–100 while sending. */
  percent: number;
  /** Seconds until the next attempt (state `waiting`). */
  retryIn: number;
  error: string | null;
  /** A failure worth trying again (the connection or the desk), not a refusal of the file itself. */
  retriable: boolean;
}

/** Attempts per upload before it is shown as failed (with a "Try again" that keeps its clientId). */
const MAX_ATTEMPTS = 5;
const RETRIABLE = new Set([0, 408, 429, 500, 502, 503, 504]);

/** Uploads in flight or failed, across the app (a conversation's survive switching away and back). */
export const uploads = reactive<Upload[]>([]);

interface Answer { status: number; body: { message?: ChatMessage; error?: { message?: string } } | null; retryAfterSec: number | null }

function post(access: FileAccess, u: Upload, onProgress: (percent: number) => void): Promise<Answer> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', operations.uploadFile.path({ id: u.conversationId, clientId: u.clientId, name: u.file.name }));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = access.token();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    else {
      const csrf = readCookie(CSRF_COOKIE);
      if (csrf) xhr.setRequestHeader(CSRF_HEADER, csrf);
    }
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100))); };
    xhr.onload = () => {
      let body: Answer['body'] = null;
      try { body = JSON.parse(xhr.responseText) as Answer['body']; } catch { /* not JSON */ }
      const after = Number(xhr.getResponseHeader('Retry-After'));
      resolve({ status: xhr.status, body, retryAfterSec: Number.isFinite(after) && after > 0 ? after : null });
    };
    xhr.onerror = () => resolve({ status: 0, body: null, retryAfterSec: null });
    xhr.ontimeout = xhr.onerror;
    xhr.send(u.file);
  });
}

/** The catalogue's words for a refusal (the desk's own message decides between the 415 cases). */
function reason(answer: Answer, maxBytes: number | null): string {
  const said = answer.body?.error?.message ?? '';
  switch (answer.status) {
    case 0: return FILE_TEXTS.network;
    case 413: return /pixels/.test(said) ? FILE_TEXTS.tooManyPixels : FILE_TEXTS.tooLarge(maxBytes ? formatFileSize(maxBytes) : '');
    case 415: return /HTML|SVG/.test(said) ? FILE_TEXTS.markupRefused : FILE_TEXTS.typeRefused;
    case 400: return FILE_TEXTS.unreadable;
    case 409: return /clientId/.test(said) ? FILE_TEXTS.server : FILE_TEXTS.closed;
    case 403: case 404: return FILE_TEXTS.notAllowed;
    default: return FILE_TEXTS.server;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends (or resends) one upload: retried with growing pauses on network errors and 5xx/429, same clientId each time. */
async function run(access: FileAccess, u: Upload): Promise<void> {
  const limits = await access.limits().catch(() => null);
  if (limits && u.file.size > limits.maxBytes) {
    Object.assign(u, { state: 'failed', error: FILE_TEXTS.tooLarge(formatFileSize(limits.maxBytes)), retriable: false });
    return;
  }
  for (let attempt = 1; ; attempt++) {
    Object.assign(u, { state: 'sending', percent: 0, error: null });
    const answer = await post(access, u, (p) => { u.percent = p; });
    if (answer.status >= 200 && answer.status < 300) {
      uploads.splice(uploads.indexOf(u), 1);
      return;
    }
    if (!RETRIABLE.has(answer.status) || attempt >= MAX_ATTEMPTS) {
      Object.assign(u, { state: 'failed', error: reason(answer, limits?.maxBytes ?? null), retriable: RETRIABLE.has(answer.status) });
      return;
    }
    const wait = answer.retryAfterSec ?? 2 ** (attempt - 1);
    u.state = 'waiting';
    for (let left = wait; left > 0; left--) {
      u.retryIn = left;
      await sleep(1000);
    }
  }
}

export function startUploads(access: FileAccess, conversationId: string, files: Iterable<File>): void {
  for (const file of files) {
    uploads.push({ clientId: uuid(), conversationId, file, state: 'sending', percent: 0, retryIn: 0, error: null, retriable: false });
    void run(access, uploads[uploads.length - 1]);
  }
}

export function retryUpload(access: FileAccess, u: Upload): void {
  if (u.state === 'failed') void run(access, u);
}

export function dismissUpload(u: Upload): void {
  const i = uploads.indexOf(u);
  if (i >= 0 && u.state === 'failed') uploads.splice(i, 1);
}
