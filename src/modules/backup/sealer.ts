import { Readable } from 'node:stream';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { storageKey, type Storage } from '../../infra/storage/index.js';
import { readAll } from './streams.js';

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
const SCRYPT_WORK_FACTOR = 16;

export const IDENTITY_FILE = storageKey('identity.age');

export async function ageSealer(
  destination: Storage,
  passphrase: string,
  /** Also encrypted to these (`BACKUP_RECIPIENTS`): their identities decrypt every file too. */
  extraRecipients: readonly string[] = [],
): Promise<Sealer> {
  let identity: string;
  if (await destination.exists(IDENTITY_FILE)) {
    const sealed = await readAll((await destination.get(IDENTITY_FILE)).body);
    const decrypter = new Decrypter();
    decrypter.addPassphrase(passphrase);
    try {
      identity = (await decrypter.decrypt(sealed, 'text')).trim();
    } catch {
      throw new BackupKeyError(
        `BACKUP_PASSPHRASE does not decrypt ${IDENTITY_FILE} of the backup destination (wrong passphrase?)`,
      );
    }
  } else {
    identity = await generateX25519Identity(); // readable by age 1.1 (Debian 12)
    const encrypter = new Encrypter();
    encrypter.setPassphrase(passphrase);
    // scrypt 2^16 (64 MiB, ~0.3 s) instead of age's 2^18 (256 MiB): every backup command unlocks
    // the key once, and a backup must fit beside the server on a small box (bench:backup).
    encrypter.setScryptWorkFactor(SCRYPT_WORK_FACTOR);
    const sealed = await encrypter.encrypt(`${identity}\n`);
    await destination.put(IDENTITY_FILE, Buffer.from(sealed));
  }
  const recipient = await identityToRecipient(identity);
  return {
    suffix: '.age',
    async seal(plain) {
      const encrypter = new Encrypter();
      encrypter.addRecipient(recipient);
      for (const extra of extraRecipients) encrypter.addRecipient(extra);
      return fromWeb(await encrypter.encrypt(toWeb(plain)));
    },
    async open(sealed) {
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      return fromWeb(await decrypter.decrypt(toWeb(sealed)));
    },
  };
}
