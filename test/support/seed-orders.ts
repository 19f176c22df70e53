import { createClientsRepo } from '../../src/modules/clients/clients.repo.js';
import { createOrdersRepo } from '../../src/modules/orders/orders.repo.js';
import type { ProcessingStatus } from '../../src/infra/db/schema.js';
import { uuidv7 } from '../../src/shared/ids.js';
import { newSlug } from '../../src/shared/slug.js';
import type { TestApp } from './app.js';

export interface SeededOrder {
  orderId: string;
  number: string;
  clientId: string;
  portraitId: string;
}

/**
 * An order written straight through the repositories (client found or created by phone, a
 * portrait row without files, the order with the next number), at the test clock's time: for
 * tests of lists, search and exports that need many orders and no media (the intake takes a
 * second each). The phone is stored as given (pass it E.164).
 */
export async function seedOrder(
  t: TestApp,
  order: { clientName: string; phone: string; email?: string; status?: ProcessingStatus },
): Promise<SeededOrder> {
  const { database } = t.ctx;
  const clients = createClientsRepo(database.dialect);
  const orders = createOrdersRepo();
  const now = t.clock.now().toISOString();
  return database.transaction(async (trx) => {
    const { client } = await clients.findOrCreate(
      trx,
      { name: order.clientName, phone: order.phone, email: order.email ?? null },
      now,
    );
    const portraitId = uuidv7();
    await t.ctx.services.portraitsRepo.insert(trx, {
      id: portraitId,
      clientId: client.id,
      slug: newSlug(),
      status: order.status ?? 'processing',
      error: null,
      originalKey: `portraits/${portraitId}/original.jpg`,
      originalFormat: 'jpeg',
      originalSize: 1000,
      width: 800,
      height: 1000,
      imagesReadyAt: null,
      imagesError: null,
      markerVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    const orderId = uuidv7();
    const number = await orders.insert(trx, {
      id: orderId,
      clientId: client.id,
      portraitId,
      createdBy: null,
      createdAt: now,
    });
    return { orderId, number, clientId: client.id, portraitId };
  });
}
