import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { receiveMultipart } from '../../http/multipart-files.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { UploadRules } from '../../http/uploads.js';
import type { RequireRole } from '../auth/auth.guard.js';
import type { OrderIntake } from './order-intake.service.js';
import { idempotencyKeyOf } from './order-idempotency.js';
import {
  OrderAccepted,
  OrderDetailSchema,
  OrderIdParams,
  OrderListQuery,
  OrderPage,
  OrderUploadBody,
  OrderUploadHeaders,
} from './orders.schemas.js';
import type { OrdersService } from './orders.service.js';

export interface OrdersRoutesDeps {
  requireRole: RequireRole;
  orderIntake: OrderIntake;
  ordersService: OrdersService;
  uploads: UploadRules;
}

export function ordersRoutes({
  requireRole,
  orderIntake,
  ordersService,
  uploads,
}: OrdersRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/orders',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['orders'],
          summary: 'List orders, newest first, by status and creation date',
          security: AUTHENTICATED,
          querystring: OrderListQuery,
          response: { 200: OrderPage, ...AUTH_ERRORS },
        },
      },
      ({ query }) => ordersService.list(query),
    );

    app.get(
      '/api/orders/:id',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['orders'],
          summary: 'One order with its client, portrait and who took it',
          security: AUTHENTICATED,
          params: OrderIdParams,
          response: { 200: OrderDetailSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      ({ params }) => ordersService.get(params.id),
    );

    app.post(
      '/api/orders',
      {
        onRequest: requireRole('operator'),
        // The multipart body is checked while it streams (receiveMultipart), not by Ajv.
        validatorCompiler: () => () => true,
        schema: {
          tags: ['orders'],
          summary:
            'Create an order: client + portrait + first video, then process in the background',
          description:
            'multipart/form-data, streamed. The client is found by normalised phone or created. ' +
            'Answers 202 at once; poll `GET /api/portraits/{id}` for the processing status. ' +
            'With an `Idempotency-Key` header (1-200 printable characters, per user), sending the ' +
            'same request again answers the first 202 and creates nothing; the same key with ' +
            'other fields or files is 422 `idempotency_key_reused`.',
          consumes: ['multipart/form-data'],
          security: AUTHENTICATED,
          headers: OrderUploadHeaders,
          body: OrderUploadBody,
          response: {
            202: OrderAccepted,
            ...AUTH_ERRORS,
            413: ErrorBody,
            415: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key']);
        const upload = await receiveMultipart(request, uploads.tmpDir, {
          files: { portrait: uploads.image, video: uploads.video },
          fields: {
            clientName: { maxLength: 200, required: true },
            clientPhone: { maxLength: 40, required: true },
            clientEmail: { maxLength: 254, required: false },
          },
        });
        try {
          const result = await orderIntake.intake(upload, actorOf(request), idempotencyKey);
          return await reply.status(202).send(result);
        } finally {
          await upload.cleanup();
        }
      },
    );
  };
}
