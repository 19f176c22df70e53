import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'vertex-ar';
const AUDIENCE = 'vertex-ar-api';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

/**
 * Access tokens (JWT, HS256) and CSRF tokens, both derived from the session secret with
 * distinct labels so one can never stand in for the other.
 */
export function createTokenService(sessionSecret: string) {
  const derive = (label: string) => createHmac('sha256', sessionSecret).update(label).digest();
  const jwtKey = derive('vertex-ar:jwt:v1');
  const csrfKey = derive('vertex-ar:csrf:v1');
  const usernameKey = derive('vertex-ar:username:v1');

  const csrfFor = (sessionId: string) =>
    createHmac('sha256', csrfKey).update(sessionId).digest('base64url');

  return {
    signAccessToken(claims: AccessTokenClaims, issuedAt: Date, expiresAt: Date): Promise<string> {
      return new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(jwtKey);
    },

    /** Returns the claims, or null for a token that is malformed, forged or expired. */
    async verifyAccessToken(token: string, now: Date): Promise<AccessTokenClaims | null> {
      try {
        const { payload } = await jwtVerify(token, jwtKey, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: now,
        });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
        return { userId: payload.sub, sessionId: payload.sid };
      } catch {
        return null;
      }
    },

    csrfTokenFor: csrfFor,

    /**
     * A keyed hash of a typed username that names no user: failed logins are counted and
     * audited under it without storing what was typed (people type passwords into that field).
     */
    usernameDigest: (normalisedUsername: string): string =>
      createHmac('sha256', usernameKey).update(normalisedUsername).digest('hex').slice(0, 32),

    verifyCsrfToken(sessionId: string, token: string): boolean {
      const expected = Buffer.from(csrfFor(sessionId));
      const given = Buffer.from(token);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
