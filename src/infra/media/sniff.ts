import { open } from 'node:fs/promises';
import { rejectedMedia } from './rejected-media.js';

/**
 * What a file really is, from its first bytes. The client's content type and file name are
 * never trusted: uploads are classified here before any decoder sees them,
 * and only the types below reach sharp or ffmpeg.
 */

export type ImageType = 'jpeg' | 'png' | 'webp' | 'heic' | 'avif';
export type VideoType = 'mp4' | 'mov' | 'webm' | 'mkv';
/** Recognised but refused: active content (svg, html, xml, script), other formats, junk. */
export type RejectedType =
  | 'svg'
  | 'html'
  | 'xml'
  | 'script'
  | 'text'
  | 'gif'
  | 'pdf'
  | 'zip'
  | 'bmp'
  | 'tiff'
  | 'executable'
  | 'audio'
  | 'riff'
  | 'unknown';

export type SniffResult =
  | { kind: 'image'; type: ImageType }
  | { kind: 'video'; type: VideoType }
  | { kind: 'audio'; type: 'm4a' }
  | { kind: 'rejected'; type: RejectedType };

/** How many leading bytes `sniff` wants: enough for an ftyp box's brand list or an EBML header. */
export const SNIFF_BYTES = 4096;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

// ISO-BMFF brands (ftyp). AVIF is checked before HEIC: AVIF files also list `mif1`.
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso7',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'hvc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'MSNV',
  'NDAS',
  'dash',
  'f4v ',
  'mmp4',
  'XAVC',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3gg6',
  '3g2a',
  '3g2b',
  '3g2c',
]);

/** Classifies the first bytes of a file (pass at least `SNIFF_BYTES` when there are that many). */
export function sniff(head: Uint8Array): SniffResult {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', type: 'jpeg' };
  if (startsWith(head, PNG_SIGNATURE)) return { kind: 'image', type: 'png' };
  if (ascii(head, 0, 4) === 'RIFF') {
    return ascii(head, 8, 4) === 'WEBP'
      ? { kind: 'image', type: 'webp' }
      : { kind: 'rejected', type: 'riff' }; // AVI, WAV…
  }
  if (ascii(head, 4, 4) === 'ftyp') return sniffFtyp(head);
  if (startsWith(head, EBML_MAGIC)) return sniffEbml(head);
  return { kind: 'rejected', type: sniffRejected(head) };
}

/** Reads the first `SNIFF_BYTES` of a file and classifies them. */
export async function sniffFile(path: string): Promise<SniffResult> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniff(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The type when it is of the expected kind; otherwise AppError `unsupported_media` (415), or
 * `video_no_video_stream` (422) for an audio-only MP4 offered as a video, which is the clearer
 * message for that common mistake.
 */
export function assertKind(result: SniffResult, expected: 'image'): ImageType;
export function assertKind(result: SniffResult, expected: 'video'): VideoType;
export function assertKind(
  result: SniffResult,
  expected: 'image' | 'video',
): ImageType | VideoType {
  if (result.kind === expected) return result.type;
  if (expected === 'video' && result.kind === 'audio') {
    throw rejectedMedia('video_no_video_stream', 422, 'The file has sound but no video', {
      detected: result.type,
    });
  }
  const allowed = expected === 'image' ? 'JPEG, PNG, WebP, HEIC or AVIF' : 'MP4, MOV or WebM';
  throw rejectedMedia('unsupported_media', 415, `Unsupported file type: expected ${allowed}`, {
    detected: result.type,
  });
}

function sniffFtyp(head: Uint8Array): SniffResult {
  const boxSize = readUint32(head, 0);
  // The brand list ends at the box end (bounded by what we have); brands are 4 bytes each.
  const end = Math.min(boxSize >= 16 ? boxSize : 16, head.length);
  const brands = [ascii(head, 8, 4)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(head, offset, 4));
  const major = brands[0] ?? '';
  const has = (set: Set<string>): boolean => brands.some((brand) => set.has(brand));
  if (has(AVIF_BRANDS)) return { kind: 'image', type: 'avif' };
  // HEIF images list `mif1`/`heic`; a video that merely lists `heic` is unheard of.
  if (HEIC_BRANDS.has(major) || (has(HEIC_BRANDS) && !MP4_BRANDS.has(major))) {
    return { kind: 'image', type: 'heic' };
  }
  if (major === 'qt  ') return { kind: 'video', type: 'mov' };
  if (AUDIO_BRANDS.has(major)) return { kind: 'audio', type: 'm4a' };
  if (MP4_BRANDS.has(major) || has(MP4_BRANDS)) return { kind: 'video', type: 'mp4' };
  if (brands.includes('qt  ')) return { kind: 'video', type: 'mov' };
  return { kind: 'rejected', type: 'unknown' };
}

/** Matroska and WebM share the EBML header; the DocType element tells them apart. */
function sniffEbml(head: Uint8Array): SniffResult {
  const header = readVint(head, 4);
  if (!header) return { kind: 'rejected', type: 'unknown' };
  const end = Math.min(4 + header.length + header.value, head.length);
  let offset = 4 + header.length;
  while (offset < end) {
    const id = readElementId(head, offset);
    if (!id) break;
    const size = readVint(head, offset + id.length);
    if (!size) break;
    const dataStart = offset + id.length + size.length;
    if (id.value === 0x4282) {
      const docType = ascii(head, dataStart, Math.min(size.value, 16)).replace(/\0+$/, '');
      if (docType === 'webm') return { kind: 'video', type: 'webm' };
      if (docType === 'matroska') return { kind: 'video', type: 'mkv' };
      return { kind: 'rejected', type: 'unknown' };
    }
    offset = dataStart + size.value;
  }
  return { kind: 'rejected', type: 'unknown' };
}

/** Names what we refuse, so the error can say what was uploaded. */
function sniffRejected(head: Uint8Array): RejectedType {
  if (ascii(head, 0, 4) === 'GIF8') return 'gif';
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (ascii(head, 0, 2) === 'PK' && [3, 5, 7].includes(head[2] ?? 0)) return 'zip';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(head, 0, 4) === '\x7fELF' || ascii(head, 0, 2) === 'MZ') return 'executable';
  return sniffText(head) ?? 'unknown';
}

/** Markup and scripts are the dangerous case (stored XSS when served as an image). */
function sniffText(head: Uint8Array): RejectedType | undefined {
  const text = decodeText(head);
  if (text === undefined) return undefined;
  const start = text.trimStart().slice(0, 512).toLowerCase();
  if (start.startsWith('#!')) return 'script';
  const lower = text.toLowerCase();
  if (start.startsWith('<')) {
    if (lower.includes('<svg')) return 'svg';
    if (/<(!doctype html|html|head|body|script|iframe|meta|div|p|a|img)[\s>/]/.test(lower)) {
      return 'html';
    }
    return 'xml';
  }
  if (/<(svg|script|html)[\s>/]/.test(lower)) return 'html';
  return 'text';
}

/** The head as text when it looks like UTF-8/UTF-16 text (no NULs or control bytes). */
function decodeText(head: Uint8Array): string | undefined {
  if (head.length === 0) return undefined;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    const littleEndian = head[0] === 0xff;
    const units: number[] = [];
    for (let index = 2; index + 1 < head.length; index += 2) {
      const low = head[index] ?? 0;
      const high = head[index + 1] ?? 0;
      units.push(littleEndian ? low | (high << 8) : (low << 8) | high);
    }
    return String.fromCharCode(...units);
  }
  const body = startsWith(head, [0xef, 0xbb, 0xbf]) ? head.subarray(3) : head;
  for (const byte of body) {
    const isControl = byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
    if (isControl || byte === 0x7f) return undefined;
  }
  // Must be valid UTF-8, except that the head may end in the middle of a character.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= Math.min(3, body.length - 1); cut++) {
    try {
      return decoder.decode(body.subarray(0, body.length - cut));
    } catch {
      // try again without the last byte
    }
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let result = '';
  for (let index = offset; index < offset + length && index < bytes.length; index++) {
    result += String.fromCharCode(bytes[index] ?? 0);
  }
  return result;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) return 0;
  return (
    ((bytes[offset] ?? 0) * 0x1000000 +
      ((bytes[offset + 1] ?? 0) << 16) +
      ((bytes[offset + 2] ?? 0) << 8) +
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

interface Vint {
  value: number;
  length: number;
}

/** EBML variable-length integer: the leading 1 bit gives the length (1–8 bytes). */
function readVintRaw(bytes: Uint8Array, offset: number, keepMarker: boolean): Vint | undefined {
  const first = bytes[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1 for 0b1xxxxxxx … 8 for 0b00000001
  if (offset + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let index = 1; index < length; index++) value = value * 256 + (bytes[offset + index] ?? 0);
  return { value, length };
}

const readVint = (bytes: Uint8Array, offset: number): Vint | undefined =>
  readVintRaw(bytes, offset, false);
const readElementId = (bytes: Uint8Array, offset: number): Vint | undefined =>
  readVintRaw(bytes, offset, true);
