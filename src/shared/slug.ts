import { randomInt } from 'node:crypto';

// No 0/O, 1/l/I: slugs get read aloud and typed from paper.
const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const SLUG_LENGTH = 10;
export const SLUG_PATTERN = new RegExp(`^[${ALPHABET}]{${SLUG_LENGTH}}$`);

/** A short public id: 10 characters from 56 ≈ 58 bits of randomness, unguessable in practice. */
export function newSlug(): string {
  let slug = '';
  for (let i = 0; i < SLUG_LENGTH; i++) slug += ALPHABET.charAt(randomInt(ALPHABET.length));
  return slug;
}
