/**
 * `npm run openapi`: writes the OpenAPI document generated from the route schemas to
 * docs/openapi.json (the running server serves the same at /api/docs/json) and the admin app's
 * API types generated from it to web/admin/src/api-types.gen.ts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ADMIN_API_TYPES_PATH,
  OPENAPI_JSON_PATH,
  renderAdminApiTypes,
  renderOpenApiJson,
} from './openapi-artifacts.js';

const json = await renderOpenApiJson();
const types = await renderAdminApiTypes(json);
writeFileSync(OPENAPI_JSON_PATH, json);
writeFileSync(ADMIN_API_TYPES_PATH, types);
for (const file of [OPENAPI_JSON_PATH, ADMIN_API_TYPES_PATH]) {
  console.log(`written ${path.relative(process.cwd(), file)}`);
}
