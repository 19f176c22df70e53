import { randomBytes } from 'node:crypto';

export interface FilePart {
  content: Buffer;
  filename: string;
  contentType: string;
}

/** A multipart/form-data body as a browser would send it (for `app.inject` and `fetch`). */
export function multipartBody(
  fields: Record<string, string>,
  files: Record<string, FilePart>,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vertex${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const [name, file] of Object.entries(files)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
