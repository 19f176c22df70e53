import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import { sessionAuthOf, type RequireRole } from '../auth/auth.guard.js';
import {
  ApiKeyIdParams,
  ApiKeyListSchema,
  CreateApiKeyBody,
  CreatedApiKeySchema,
} from './api-keys.schemas.js';
import type { ApiKeysService, KeyManager } from './api-keys.service.js';

export interface ApiKeysRoutesDeps {
  requireRole: RequireRole;
  apiKeysService: Pick<ApiKeysService, 'create' | 'list' | 'revoke'>;
}

const managerOf = (request: FastifyRequest): KeyManager => {
  const { user } = sessionAuthOf(request);
  return { userId: user.id, role: user.role, ip: request.ip };
};

/**
 * Managing API keys: admins see and revoke every key, operators their own. A person's session
 * only: a key cannot mint or revoke keys (403 `api_key_not_allowed`).
 */
export function apiKeysRoutes({
  requireRole,
  apiKeysService: apiKeys,
}: ApiKeysRoutesDeps): FastifyPluginAsyncTypebox {
  const guard = requireRole('operator', { sessionOnly: true });

  return async (app) => {
    app.post(
      '/api/api-keys',
      {
        onRequest: guard,
        schema: {
          tags: ['api-keys'],
          summary: 'Create an API key (the key is in this answer only)',
          description:
            "The key's role cannot exceed yours (403 `forbidden`: an operator cannot create an " +
            'admin key). Use it as `Authorization: Bearer vxk_…`; it needs no CSRF token. A key ' +
            'cannot manage keys, users or sessions (403 `api_key_not_allowed`).',
          security: SESSION_ONLY,
          body: CreateApiKeyBody,
          response: { 201: CreatedApiKeySchema, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const created = await apiKeys.create(managerOf(request), request.body);
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(
      '/api/api-keys',
      {
        onRequest: guard,
        schema: {
          tags: ['api-keys'],
          summary: 'List API keys (all for admins, your own for operators), never the secret',
          security: SESSION_ONLY,
          response: { 200: ApiKeyListSchema, ...AUTH_ERRORS },
        },
      },
      async (request) => apiKeys.list(managerOf(request)),
    );

    app.delete(
      '/api/api-keys/:id',
      {
        onRequest: guard,
        schema: {
          tags: ['api-keys'],
          summary: 'Revoke an API key: its next request answers 401',
          description: "Another user's key is a 404 to an operator. Revoking twice is a no-op.",
          security: SESSION_ONLY,
          params: ApiKeyIdParams,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await apiKeys.revoke(managerOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
