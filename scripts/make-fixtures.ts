/**
 * `npm run fixtures`: writes every generated test fixture to `.tmp/fixtures/` so a person can
 * look at them (the tests make the same files on demand). Nothing here is third-party media.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as media from '../test/fixtures/media.js';
import { makeFlatImage, makeOtherImage, makePortraitFixture } from '../test/fixtures/portrait.js';

const made: string[] = [];
for (const make of Object.values(media)) {
  if (typeof make === 'function') made.push(await make());
}
const portraits: [string, Promise<Buffer>][] = [
  ['portrait-1500x2000.jpg', makePortraitFixture()],
  ['flat.jpg', makeFlatImage()],
  ['other.jpg', makeOtherImage()],
];
for (const [name, bytes] of portraits) {
  const file = path.join(media.FIXTURE_DIR, name);
  await writeFile(file, await bytes);
  made.push(file);
}
console.log(made.map((f) => path.relative(process.cwd(), f)).join('\n'));
