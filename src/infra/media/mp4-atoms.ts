import { open } from 'node:fs/promises';

export interface Atom {
  type: string;
  offset: number;
  size: number;
}

/** More top-level boxes than any sane file has; stops a crafted file from looping for long. */
const MAX_ATOMS = 10_000;
/** Box types found at the top level of MP4/MOV files (ISO/IEC 14496-12, QuickTime). */
const TOP_LEVEL_TYPES = new Set([
  'moov',
  'mdat',
  'moof',
  'mfra',
  'free',
  'skip',
  'wide',
  'udta',
  'meta',
  'uuid',
  'sidx',
  'styp',
  'pdin',
]);

export interface AtomScan {
  atoms: Atom[];
  /**
   * A known box's header claims more bytes than the file has: the file was cut short (an interrupted
   * upload or copy). The boxes before it are in `atoms`.
   */
  truncated: boolean;
}

/**
 * The top-level boxes of an MP4/MOV file, in file order, read from their 8–16 byte headers only
 * (the file is never loaded). Stops at the first malformed header.
 */
export async function readTopLevelAtoms(path: string): Promise<Atom[]> {
  return (await scanTopLevelAtoms(path)).atoms;
}

/** `readTopLevelAtoms`, and whether the scan stopped at a box that runs past the end. */
export async function scanTopLevelAtoms(path: string): Promise<AtomScan> {
  const handle = await open(path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const header = Buffer.alloc(16);
    const atoms: Atom[] = [];
    let truncated = false;
    let offset = 0;
    while (offset + 8 <= fileSize && atoms.length < MAX_ATOMS) {
      const { bytesRead } = await handle.read(header, 0, 16, offset);
      if (bytesRead < 8) break;
      let size = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (size === 1) {
        if (bytesRead < 16) break;
        size = Number(header.readBigUInt64BE(8)); // 64-bit "largesize"
      } else if (size === 0) {
        size = fileSize - offset; // "to the end of the file"
      }
      if (size < 8) break;
      if (offset + size > fileSize) {
        // A real box cut short; junk after a valid header is "unreadable", not "truncated".
        truncated = TOP_LEVEL_TYPES.has(type);
        break;
      }
      atoms.push({ type, offset, size });
      offset += size;
    }
    return { atoms, truncated };
  } finally {
    await handle.close();
  }
}

/**
 * True when `moov` (the index) comes before the media data, so a phone can start playing
 * while downloading; false when it is at the end; undefined when there is no `moov` at all.
 */
export function isFaststart(atoms: readonly Atom[]): boolean | undefined {
  const moov = atoms.findIndex((atom) => atom.type === 'moov');
  if (moov < 0) return undefined;
  const media = atoms.findIndex((atom) => atom.type === 'mdat' || atom.type === 'moof');
  return media < 0 || moov < media;
}
