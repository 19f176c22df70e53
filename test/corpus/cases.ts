import { randomUUID } from 'node:crypto';
import { multipartBody, type FilePart } from '../support/multipart.js';
import { corpusFiles, type CorpusFile } from './files.js';

/**
 * The bad-input corpus: each case is one request built at test time and the answer it must
 * get. Refused cases are checked for leftovers (rows, stored files, temp uploads) by
 * test/api/bad-input-corpus.int.test.ts; accepted ones (valid but dangerous input) name the
 * check that proves the danger did not get through.
 */

export type CorpusCaller = 'anonymous' | 'operator' | 'admin';

export interface CorpusRequest {
  method: 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  payload: Buffer | string;
}

/** Ids of what the test created before the corpus runs. */
export interface CorpusTargets {
  portraitId: string;
  clientId: string;
  slug: string;
}

interface BaseCase {
  name: string;
  as: CorpusCaller;
  request(targets: CorpusTargets): Promise<CorpusRequest>;
}

export interface RefusedCase extends BaseCase {
  outcome: 'refused';
  status: number;
  /** The error code; a list where the server may answer either (named in the case). */
  code: string | readonly string[];
}

/**
 * Valid input with a danger inside: accepted with `status`, then `check` proves the danger did
 * not reach a public copy (`textClean`: the stored text has no NUL/control/bidi characters;
 * such a case may also be refused with 400 `validation_failed`, as the issue allows either).
 */
export interface AcceptedCase extends BaseCase {
  outcome: 'accepted';
  status: readonly number[];
  check: 'photoClean' | 'videoClean' | 'logoClean' | 'textClean';
}

export type CorpusCase = RefusedCase | AcceptedCase;

const CLIENT = { clientName: 'Corpus Client', clientPhone: '+7 999 555-00-00' };

const filePart = async (file: CorpusFile, filename: string, contentType: string) => ({
  content: await corpusFiles[file](),
  filename,
  contentType,
});
const photoPart = (file: CorpusFile = 'photo', filename = 'portrait.jpg') =>
  filePart(file, filename, 'image/jpeg');
const videoPart = (file: CorpusFile = 'validVideo', filename = 'clip.mp4') =>
  filePart(file, filename, 'video/mp4');

function multipart(
  method: CorpusRequest['method'],
  url: string,
  fields: Record<string, string>,
  files: Record<string, FilePart>,
): CorpusRequest {
  const body = multipartBody(fields, files);
  return { method, url, headers: body.headers, payload: body.payload };
}

/** `POST /api/orders` with the given portrait and video (defaults: valid ones). */
const order =
  (
    parts: { portrait?: () => Promise<FilePart>; video?: () => Promise<FilePart> } = {},
    fields: Record<string, string> = CLIENT,
  ) =>
  async (): Promise<CorpusRequest> =>
    multipart('POST', '/api/orders', fields, {
      portrait: await (parts.portrait ?? photoPart)(),
      video: await (parts.video ?? videoPart)(),
    });

/** `POST /api/portraits/{id}/videos` with one video file. */
const addVideo =
  (video: () => Promise<FilePart>, portraitId?: string) =>
  async (targets: CorpusTargets): Promise<CorpusRequest> =>
    multipart(
      'POST',
      `/api/portraits/${portraitId ?? targets.portraitId}/videos`,
      {},
      {
        video: await video(),
      },
    );

const logo = (filename: string) => async (): Promise<CorpusRequest> =>
  multipart(
    'PUT',
    '/api/studio/logo',
    {},
    { logo: await filePart('photo', filename, 'image/jpeg') },
  );

/** A raw multipart body, for structures `multipartBody` would never produce. */
const rawOrder =
  (contentType: string, body: (parts: { photo: Buffer; video: Buffer }) => Buffer) =>
  async (): Promise<CorpusRequest> => ({
    method: 'POST',
    url: '/api/orders',
    headers: { 'content-type': contentType },
    payload: body({ photo: await corpusFiles.photo(), video: await corpusFiles.validVideo() }),
  });

const part = (boundary: string, name: string, content: Buffer | string, filename?: string) =>
  Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
        (filename === undefined
          ? ''
          : `; filename="${filename}"\r\nContent-Type: application/octet-stream`) +
        '\r\n\r\n',
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from('\r\n'),
  ]);

const json =
  (
    method: CorpusRequest['method'],
    url: (targets: CorpusTargets) => string,
    payload: Buffer | string,
    contentType = 'application/json',
  ) =>
  (targets: CorpusTargets): Promise<CorpusRequest> =>
    Promise.resolve({
      method,
      url: url(targets),
      headers: { 'content-type': contentType },
      payload,
    });

const login = () => '/api/auth/login';
const users = () => '/api/users';
const client = (targets: CorpusTargets) => `/api/clients/${targets.clientId}`;
const events = (targets: CorpusTargets) => `/p/${targets.slug}/events`;

const deep = (depth: number, inner = '0') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const invalidUtf8Name = Buffer.concat([
  Buffer.from('{"name":"bad '),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
  Buffer.from('"}'),
]);

const refused = (
  name: string,
  as: CorpusCaller,
  request: BaseCase['request'],
  status: number,
  code: RefusedCase['code'],
): RefusedCase => ({ name, as, request, outcome: 'refused', status, code });

const MEDIA_415 = 'unsupported_media';
// A video that cannot be decoded whole (item 6 of issue 9): which code is the media slice's.
const BROKEN_VIDEO = [
  'video_truncated',
  'video_corrupt',
  'video_duration_mismatch',
  'video_invalid_duration',
];
const BAD_FIELD = 'validation_failed';

export const CORPUS: readonly CorpusCase[] = [
  // ---- the portrait of an order -----------------------------------------------------------
  refused(
    'HTML page followed by a JPEG',
    'operator',
    order({ portrait: () => photoPart('htmlThenJpeg') }),
    415,
    MEDIA_415,
  ),
  refused(
    'SVG with a script named .jpg',
    'operator',
    order({ portrait: () => photoPart('svgScript', 'x.jpg') }),
    415,
    MEDIA_415,
  ),
  refused(
    'PNG decompression bomb (30000×30000)',
    'operator',
    order({ portrait: () => filePart('pngBomb', 'bomb.png', 'image/png') }),
    413,
    'image_too_large',
  ),
  refused(
    'JPEG whose header claims 60000×60000',
    'operator',
    order({ portrait: () => photoPart('hugeDimensionsJpeg') }),
    413,
    'image_too_large',
  ),
  // An empty file has no type to sniff: 415 like any unrecognised content.
  refused(
    '0-byte portrait',
    'operator',
    order({ portrait: () => photoPart('empty') }),
    415,
    MEDIA_415,
  ),
  refused(
    'truncated JPEG',
    'operator',
    order({ portrait: () => photoPart('truncatedJpeg') }),
    422,
    'image_corrupt',
  ),
  refused(
    'truncated PNG',
    'operator',
    order({ portrait: () => filePart('truncatedPng', 'p.png', 'image/png') }),
    422,
    'image_corrupt',
  ),
  refused(
    'JPEG magic bytes then noise',
    'operator',
    order({ portrait: () => photoPart('jpegMagicOnly') }),
    422,
    'image_corrupt',
  ),
  refused(
    'text file named .jpg',
    'operator',
    order({ portrait: () => photoPart('textAsJpeg') }),
    415,
    MEDIA_415,
  ),
  refused(
    'GIF as the portrait',
    'operator',
    order({ portrait: () => photoPart('gif', 'a.gif') }),
    415,
    MEDIA_415,
  ),
  refused(
    '200×200 photo (too small)',
    'operator',
    order({ portrait: () => photoPart('tiny') }),
    422,
    'image_too_small',
  ),
  refused(
    '30000×16 strip',
    'operator',
    order({ portrait: () => filePart('stripPng', 's.png', 'image/png') }),
    422,
    'image_too_small',
  ),
  refused(
    'PDF named .jpg',
    'operator',
    order({ portrait: () => photoPart('pdf') }),
    415,
    MEDIA_415,
  ),
  refused(
    'ZIP named .jpg',
    'operator',
    order({ portrait: () => photoPart('zip') }),
    415,
    MEDIA_415,
  ),
  refused(
    'Windows executable named .jpg',
    'operator',
    order({ portrait: () => photoPart('exe') }),
    415,
    MEDIA_415,
  ),
  refused(
    'video in the portrait field',
    'operator',
    order({ portrait: () => videoPart() }),
    415,
    MEDIA_415,
  ),

  // ---- the video of an order --------------------------------------------------------------
  refused('0-byte video', 'operator', order({ video: () => videoPart('empty') }), 415, MEDIA_415),
  refused(
    'audio only (.m4a as .mp4)',
    'operator',
    order({ video: () => videoPart('audioOnly') }),
    422,
    'video_no_video_stream',
  ),
  refused(
    'HTML page named .mp4',
    'operator',
    order({ video: () => videoPart('htmlAsMp4') }),
    415,
    MEDIA_415,
  ),
  refused(
    'AVI',
    'operator',
    order({ video: () => filePart('avi', 'clip.avi', 'video/x-msvideo') }),
    415,
    MEDIA_415,
  ),
  refused(
    'JPEG in the video field',
    'operator',
    order({ video: () => photoPart() }),
    415,
    MEDIA_415,
  ),
  refused(
    'MP4 ftyp header then noise',
    'operator',
    order({ video: () => videoPart('mp4HeaderOnly') }),
    415,
    MEDIA_415,
  ),
  refused(
    'truncated MP4 (first 30 %)',
    'operator',
    order({ video: () => videoPart('truncatedMp4') }),
    422,
    BROKEN_VIDEO,
  ),
  refused(
    'video over VIDEO_MAX_SECONDS (310 s)',
    'operator',
    order({ video: () => videoPart('longVideo') }),
    422,
    'video_too_long',
  ),

  // ---- a portrait's new video -------------------------------------------------------------
  refused(
    'new video: 0 bytes',
    'operator',
    addVideo(() => videoPart('empty')),
    415,
    MEDIA_415,
  ),
  refused(
    'new video: SVG',
    'operator',
    addVideo(() => filePart('svgScript', 'x.mp4', 'video/mp4')),
    415,
    MEDIA_415,
  ),
  refused(
    'new video: truncated MP4',
    'operator',
    addVideo(() => videoPart('truncatedMp4')),
    422,
    BROKEN_VIDEO,
  ),
  refused(
    'new video for a portrait that does not exist',
    'operator',
    addVideo(() => videoPart(), randomUUID()),
    404,
    'not_found',
  ),
  refused(
    'new video: anonymous',
    'anonymous',
    addVideo(() => videoPart()),
    401,
    'unauthenticated',
  ),

  // ---- multipart structure ----------------------------------------------------------------
  refused(
    'clientName twice',
    'operator',
    rawOrder('multipart/form-data; boundary=b0', ({ photo, video }) =>
      Buffer.concat([
        part('b0', 'clientName', 'A'),
        part('b0', 'clientName', 'B'),
        part('b0', 'clientPhone', '+79995550001'),
        part('b0', 'portrait', photo, 'p.jpg'),
        part('b0', 'video', video, 'v.mp4'),
        Buffer.from('--b0--\r\n'),
      ]),
    ),
    400,
    BAD_FIELD,
  ),
  refused(
    'portrait file twice',
    'operator',
    rawOrder('multipart/form-data; boundary=b1', ({ photo, video }) =>
      Buffer.concat([
        part('b1', 'clientName', 'A'),
        part('b1', 'clientPhone', '+79995550001'),
        part('b1', 'portrait', photo, 'p.jpg'),
        part('b1', 'portrait', photo, 'q.jpg'),
        part('b1', 'video', video, 'v.mp4'),
        Buffer.from('--b1--\r\n'),
      ]),
    ),
    400,
    BAD_FIELD,
  ),
  refused(
    'an extra text field',
    'operator',
    order({}, { ...CLIENT, isAdmin: 'true' }),
    400,
    BAD_FIELD,
  ),
  refused(
    'an extra file field',
    'operator',
    async () =>
      multipart('POST', '/api/orders', CLIENT, {
        portrait: await photoPart(),
        video: await videoPart(),
        extra: await photoPart(),
      }),
    400,
    BAD_FIELD,
  ),
  refused(
    'no video at all',
    'operator',
    async () => multipart('POST', '/api/orders', CLIENT, { portrait: await photoPart() }),
    400,
    BAD_FIELD,
  ),
  refused(
    'the portrait as a text field',
    'operator',
    rawOrder('multipart/form-data; boundary=b2', ({ video }) =>
      Buffer.concat([
        part('b2', 'clientName', 'A'),
        part('b2', 'clientPhone', '+79995550001'),
        part('b2', 'portrait', 'not a file'),
        part('b2', 'video', video, 'v.mp4'),
        Buffer.from('--b2--\r\n'),
      ]),
    ),
    400,
    BAD_FIELD,
  ),
  refused(
    'multipart without a boundary',
    'operator',
    rawOrder('multipart/form-data', () => Buffer.from('--x\r\n\r\n--x--\r\n')),
    400,
    'invalid_multipart',
  ),
  refused(
    'multipart with the wrong boundary',
    'operator',
    rawOrder('multipart/form-data; boundary=right', ({ photo }) =>
      Buffer.concat([part('wrong', 'portrait', photo, 'p.jpg'), Buffer.from('--wrong--\r\n')]),
    ),
    400,
    'invalid_multipart',
  ),
  refused(
    'unterminated multipart body',
    'operator',
    rawOrder('multipart/form-data; boundary=b3', ({ photo }) =>
      Buffer.concat([
        part('b3', 'clientName', 'A'),
        Buffer.from(
          '--b3\r\nContent-Disposition: form-data; name="portrait"; filename="p.jpg"\r\n\r\n',
        ),
        photo.subarray(0, 1000),
      ]),
    ),
    400,
    'invalid_multipart',
  ),
  refused(
    'a 1 MB clientName',
    'operator',
    order({}, { clientName: 'A'.repeat(1024 * 1024), clientPhone: '+79995550002' }),
    400,
    BAD_FIELD,
  ),

  // ---- file names: never a path -----------------------------------------------------------
  refused(
    'SVG named ../../../../tmp/evil.jpg',
    'operator',
    order({ portrait: () => photoPart('svgScript', '../../../../tmp/evil.jpg') }),
    415,
    MEDIA_415,
  ),
  refused(
    'SVG named with a NUL byte',
    'operator',
    order({ portrait: () => photoPart('svgScript', 'evil\u0000.jpg') }),
    415,
    MEDIA_415,
  ),

  // ---- JSON routes ------------------------------------------------------------------------
  refused(
    'login: 10 000 nested arrays',
    'anonymous',
    json('POST', login, `{"username":${deep(10_000)},"password":"x"}`),
    400,
    BAD_FIELD,
  ),
  refused(
    'login: a body that is 10 000 nested arrays',
    'anonymous',
    json('POST', login, deep(10_000)),
    400,
    BAD_FIELD,
  ),
  refused(
    'create user: 10 000 nested arrays',
    'admin',
    json('POST', users, `{"username":${deep(10_000)}}`),
    400,
    BAD_FIELD,
  ),
  refused(
    'edit client: 10 000 nested arrays',
    'operator',
    json('PATCH', client, `{"name":${deep(10_000)}}`),
    400,
    BAD_FIELD,
  ),
  // The public event route has a small body limit of its own.
  refused(
    'AR page event: 10 000 nested arrays',
    'anonymous',
    json('POST', events, `{"type":${deep(10_000)}}`),
    413,
    'payload_too_large',
  ),
  // Fastify parses text/plain as a string: the schema refuses it (not an object).
  refused(
    'login: text/plain',
    'anonymous',
    json('POST', login, 'username=admin', 'text/plain'),
    400,
    BAD_FIELD,
  ),
  refused(
    'login: form-urlencoded',
    'anonymous',
    json('POST', login, 'username=admin&password=x', 'application/x-www-form-urlencoded'),
    415,
    'unsupported_media_type',
  ),
  refused(
    'create user: XML',
    'admin',
    json('POST', users, '<user><name>x</name></user>', 'application/xml'),
    415,
    'unsupported_media_type',
  ),
  refused(
    'edit client: multipart',
    'operator',
    async (targets) => ({ ...multipart('PATCH', client(targets), { name: 'x' }, {}) }),
    400,
    BAD_FIELD,
  ),
  refused(
    'login: truncated JSON',
    'anonymous',
    json('POST', login, '{"username":"admin","pass'),
    400,
    'invalid_json',
  ),
  // RFC 8259: JSON text is UTF-8; invalid bytes must not become U+FFFD in a stored name.
  refused(
    'edit client: invalid UTF-8',
    'operator',
    json('PATCH', client, invalidUtf8Name),
    400,
    'invalid_json',
  ),
  refused(
    'edit client: a 900 kB name',
    'operator',
    json('PATCH', client, JSON.stringify({ name: 'x'.repeat(900_000) })),
    400,
    BAD_FIELD,
  ),
  refused(
    'edit client: a 2 MB body',
    'operator',
    json('PATCH', client, JSON.stringify({ name: 'x'.repeat(2_000_000) })),
    413,
    'payload_too_large',
  ),
  refused(
    'edit client: an unknown property',
    'operator',
    json('PATCH', client, '{"name":"Ok Name","role":"admin"}'),
    400,
    BAD_FIELD,
  ),
  refused(
    'login: username is a number',
    'anonymous',
    json('POST', login, '{"username":1,"password":[]}'),
    400,
    BAD_FIELD,
  ),
  // secure-json-parse refuses __proto__ keys while parsing.
  refused(
    'create user: __proto__ pollution',
    'admin',
    json('POST', users, '{"__proto__":{"role":"admin"},"username":"x","password":"p"}'),
    400,
    'invalid_json',
  ),

  // ---- valid but dangerous ----------------------------------------------------------------
  {
    name: 'photo with GPS EXIF (accepted, GPS gone from public copies)',
    as: 'operator',
    outcome: 'accepted',
    status: [202],
    check: 'photoClean',
    request: order(
      { portrait: () => photoPart('gpsPhoto') },
      { clientName: 'Gps Photo', clientPhone: '+79995550010' },
    ),
  },
  {
    name: 'JPEG+HTML polyglot (accepted, no HTML in public copies)',
    as: 'operator',
    outcome: 'accepted',
    status: [202],
    check: 'photoClean',
    request: order(
      { portrait: () => photoPart('jpegHtmlPolyglot') },
      { clientName: 'Polyglot', clientPhone: '+79995550011' },
    ),
  },
  {
    name: 'video with GPS location (accepted, no metadata in the public copy)',
    as: 'operator',
    outcome: 'accepted',
    status: [202],
    check: 'videoClean',
    request: addVideo(() => videoPart('gpsVideo')),
  },
  {
    name: 'MKV (accepted, public copy is a clean MP4)',
    as: 'operator',
    outcome: 'accepted',
    status: [202],
    check: 'videoClean',
    request: addVideo(() => filePart('mkv', 'clip.mkv', 'video/x-matroska')),
  },
  {
    name: 'logo named ../../etc/passwd',
    as: 'admin',
    outcome: 'accepted',
    status: [200],
    check: 'logoClean',
    request: logo('../../etc/passwd'),
  },
  {
    name: 'logo named with an RTL override (gpj.exe)',
    as: 'admin',
    outcome: 'accepted',
    status: [200],
    check: 'logoClean',
    request: logo('logo\u202Egpj.exe'),
  },
  {
    name: 'logo named with a NUL byte',
    as: 'admin',
    outcome: 'accepted',
    status: [200],
    check: 'logoClean',
    request: logo('logo\u0000.png'),
  },
  {
    name: 'client name with an RTL override',
    as: 'operator',
    outcome: 'accepted',
    status: [200, 400],
    check: 'textClean',
    request: json('PATCH', client, JSON.stringify({ name: 'Anna \u202Eavorteп' })),
  },
  {
    name: 'client name with NUL and control characters',
    as: 'operator',
    outcome: 'accepted',
    status: [200, 400],
    check: 'textClean',
    request: json('PATCH', client, JSON.stringify({ name: 'Anna\u0000\u0007\u001b[31m' })),
  },
  {
    name: 'order clientName with a NUL byte',
    as: 'operator',
    outcome: 'accepted',
    status: [202, 400],
    check: 'textClean',
    request: order({}, { clientName: 'Nul\u0000Name', clientPhone: '+79995550012' }),
  },
];
