// The JSON API from Node, without a browser: every refusal is JSON with the documented status
// and kind, and the OpenAPI description is there.
import { test } from 'node:test';
import { api, eq, ok } from './lib/harness.mjs';

/** Checks status and error kind (and field, when given) of an error answer. */
function expectError(response, status, kind, what, field) {
  const detail = `(body: ${response.text.slice(0, 300)})`;
  eq(response.status, status, `${what}: status ${detail}`);
  ok(response.json?.error, `${what}: the body is {"error": {...}} JSON ${detail}`);
  eq(response.json.error.kind, kind, `${what}: error kind`);
  ok(typeof response.json.error.message === 'string' && response.json.error.message.length > 0,
    `${what}: error message is a non-empty string ${detail}`);
  if (field !== undefined) eq(response.json.error.field, field, `${what}: error field`);
}

test('health answers ok', async () => {
  const r = await api('/api/health');
  eq([r.status, r.json?.status], [200, 'ok'], 'GET /api/health');
});

test('malformed JSON is a 400 bad_request', async () => {
  expectError(await api('/api/run', { method: 'POST', raw: '{"scenario": "cms_mouse"' }), 400, 'bad_request', 'malformed JSON');
});

test('a body of the wrong shape is a 400 bad_request', async () => {
  expectError(await api('/api/run', { method: 'POST', body: { scenario: 42 } }), 400, 'bad_request', 'scenario: 42');
});

test('a body over 1 MiB is a 413 too_large', async () => {
  const toml = `# ${'x'.repeat(1 << 20)}\n`;
  expectError(await api('/api/run', { method: 'POST', body: { toml } }), 413, 'too_large', 'a 1 MiB body');
});

// 500 years is beyond the mouse's lifespan, so the scenario's own validation refuses it (kind
// `scenario`) before the server's duration bound is reached; either way it names the field.
test('a duration of 500 years is a 422 naming scenario.duration', async () => {
  const body = { scenario: 'cms_mouse', overrides: { scenario: { duration: '500 years' } } };
  const r = await api('/api/run', { method: 'POST', body });
  ok(['bound', 'scenario'].includes(r.json?.error?.kind), '500-year override: kind bound or scenario', r.text);
  expectError(r, 422, r.json.error.kind, '500-year override', 'scenario.duration');
});

test('a valid duration beyond the server bound is a 422 bound', async () => {
  const { json: limits } = await api('/api/limits');
  const years = Math.ceil((limits?.max_duration_days ?? 50 * 365.25) / 365.25) + 10;
  const body = { scenario: 'human_ssri_5y', overrides: { scenario: { age: '20 years', duration: `${years} years` } } };
  expectError(await api('/api/run', { method: 'POST', body }), 422, 'bound', `${years} years from age 20`, 'scenario.duration');
});

test('an unknown shipped scenario is a 400', async () => {
  expectError(await api('/api/run', { method: 'POST', body: { scenario: 'no_such_scenario' } }), 400, 'bad_request', 'unknown scenario');
});

test('a patient aged 150 is a 422 naming the field age', async () => {
  const r = await api('/api/patient', { method: 'POST', body: { age: 150, sex: 'female' } });
  expectError(r, 422, 'patient', 'patient aged 150', 'age');
  ok(/40/.test(r.json.error.message) && /90/.test(r.json.error.message), 'the message names the range 40–90',
    `message: ${r.json.error.message}`);
});

test('an unknown API path is a 404 not_found', async () => {
  expectError(await api('/api/no-such-thing'), 404, 'not_found', 'GET /api/no-such-thing');
});

test('the OpenAPI description lists the endpoints', async () => {
  const r = await api('/api/openapi.json');
  eq(r.status, 200, 'GET /api/openapi.json status');
  ok(r.json, 'openapi.json parses as JSON', r.text.slice(0, 200));
  ok(String(r.json.openapi).startsWith('3.1'), 'it is OpenAPI 3.1', `openapi: ${r.json.openapi}`);
  const paths = Object.keys(r.json.paths ?? {});
  for (const path of ['/api/run', '/api/patient', '/api/health', '/api/scenarios', '/api/model', '/api/parameters']) {
    ok(paths.includes(path), `openapi.json paths include ${path}`, `paths: ${paths.join(', ')}`);
  }
});
