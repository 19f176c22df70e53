import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

export interface RenderedPage {
  data: Buffer;
  width: number;
  height: number;
  /** RGB of the pixel at (x, y); the render is flattened to 3 channels. */
  at(x: number, y: number): [number, number, number];
}

/** Renders one page of a PDF with poppler's `pdftoppm -r <dpi> -png` and decodes it (RGB). */
export async function renderPdfPage(pdf: Buffer, page: number, dpi = 150): Promise<RenderedPage> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vertex-pdf-'));
  try {
    const input = path.join(dir, 'in.pdf');
    await writeFile(input, pdf);
    const out = path.join(dir, 'page');
    await run('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      input,
      out,
    ]);
    const png = await readFile(`${out}.png`);
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data,
      width: info.width,
      height: info.height,
      at: (x, y) => {
        const i = (y * info.width + x) * 3;
        return [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a poppler tool (`pdfimages`, `pdftotext`, `pdfinfo`) on the PDF; its stdout. */
export async function popplerText(tool: string, args: string[], pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vertex-pdf-'));
  try {
    const input = path.join(dir, 'in.pdf');
    await writeFile(input, pdf);
    const { stdout } = await run(tool, [...args, input, ...(tool === 'pdftotext' ? ['-'] : [])]);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
