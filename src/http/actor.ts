import type { FastifyRequest } from 'fastify';
import { authOf } from '../modules/auth/auth.guard.js';
import type { Actor } from '../shared/actor.js';

/** The signed-in user of a request guarded by `requireRole`, as an audit actor. */
export const actorOf = (request: FastifyRequest): Actor => ({
  userId: authOf(request).user.id,
  ip: request.ip,
});
