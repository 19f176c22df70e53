import type { FastifyRequest } from 'fastify';
import { authOf } from '../modules/auth/auth.guard.js';
import type { Actor } from '../shared/actor.js';

/**
 * The signed-in user of a request guarded by `requireRole`, as an audit actor. With an API key,
 * the user is the key's creator and the key is named too.
 */
export function actorOf(request: FastifyRequest): Actor {
  const auth = authOf(request);
  return auth.apiKey === null
    ? { userId: auth.user.id, ip: request.ip }
    : { userId: auth.user.id, ip: request.ip, apiKeyId: auth.apiKey.id };
}
