import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether two secrets (a code, an OAuth `state`, a keyed hash) are equal, in a time that tells
 * nothing about where they differ: both are hashed first, so neither their lengths nor a common
 * prefix show in the timing.
 */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));
