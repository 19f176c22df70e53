import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';

/** Encrypts and decrypts backup files as streams; `suffix` is the file-name ending. */
export interface Sealer {
  readonly suffix: '.age' | '';
  seal(plain: Readable): Promise<Readable>;
  open(sealed: Readable): Promise<Readable>;
}

export const plainSealer: Sealer = {
  suffix: '',
  seal: (plain) => Promise.resolve(plain),
  open: (sealed) => Promise.resolve(sealed),
};

export class BackupKeyError extends Error {}

const toWeb = (stream: Readable) => Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
const fromWeb = (stream: ReadableStream<Uint8Array>) => Readable.fromWeb(stream);

/**
 * age with a passphrase, unlocked once per run: a passphrase (scrypt) stanza costs ~1 s of CPU
 * per file, so files are encrypted to an X25519 key kept in `<dir>/identity.age`, itself
 * age-encrypted with the passphrase. The age CLI reads such an identity file directly
 * (`age -d -i identity.age …` asks for the passphrase).
 */
export async function ageSealer(dir: string, passphrase: string): Promise<Sealer> {
  const file = path.join(dir, 'identity.age');
  let identity: string;
  if (existsSync(file)) {
    const decrypter = new Decrypter();
    decrypter.addPassphrase(passphrase);
    try {
      identity = (await decrypter.decrypt(await readFile(file), 'text')).trim();
    } catch {
      throw new BackupKeyError(`BACKUP_PASSPHRASE does not decrypt ${file} (wrong passphrase?)`);
    }
  } else {
    identity = await generateX25519Identity(); // readable by age 1.1 (Debian 12)
    const encrypter = new Encrypter();
    encrypter.setPassphrase(passphrase);
    const sealed = await encrypter.encrypt(`${identity}\n`);
    await writeFile(`${file}.tmp`, sealed, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
  const recipient = await identityToRecipient(identity);
  return {
    suffix: '.age',
    async seal(plain) {
      const encrypter = new Encrypter();
      encrypter.addRecipient(recipient);
      return fromWeb(await encrypter.encrypt(toWeb(plain)));
    },
    async open(sealed) {
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      return fromWeb(await decrypter.decrypt(toWeb(sealed)));
    },
  };
}
