/**
 * GitHub's official OpenAPI description (from @octokit/openapi) as a request and response checker
 * for test servers: finds the operation for a method and path, and validates parameters, request
 * bodies and response bodies against the operation's schemas with Ajv.
 *
 * Each description is parsed once per process; validators are compiled on first use.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A file name under @octokit/openapi/generated, without `.json`. */
export type ApiDescription = 'api.github.com' | 'ghes-3.19';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  operationId: string;
  method: string;
  /** `/repos/{owner}/{repo}/releases` */
  template: string;
  parameters: Parameter[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

export interface MatchedOperation {
  operation: Operation;
  params: Record<string, string>;
}

interface Route {
  operation: Operation;
  regex: RegExp;
  names: string[];
  literals: number;
}

const SPEC_KEY = 'https://preflight.test/openapi.json';
// Formats GitHub's description uses beyond JSON Schema's: documentation only.
const INFORMAL_FORMATS = ['int32', 'int64', 'double', 'repo.nwo', 'binary', 'uri-template', 'timestamp'];
// Statuses GitHub returns for any operation, documented or not.
const GENERIC_ERRORS = new Set([401, 403, 429, 500, 502, 503, 504]);

const loaded = new Map<ApiDescription, OpenApi>();

export class OpenApi {
  private readonly ajv: Ajv;
  private readonly routes = new Map<string, Route[]>();
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    readonly description: ApiDescription,
    private readonly spec: Json,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const f of INFORMAL_FORMATS) this.ajv.addFormat(f, true);
    this.ajv.addSchema(spec, SPEC_KEY);
    for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
      const shared = (item.parameters as Json[] | undefined) ?? [];
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'patch', 'delete', 'head'].includes(method)) continue;
        const op = raw as Json;
        const parameters = [...shared, ...((op.parameters as Json[] | undefined) ?? [])].map((p) => this.deref(p) as unknown as Parameter);
        const operation: Operation = {
          operationId: op.operationId as string,
          method: method.toUpperCase(),
          template,
          parameters,
          requestBody: op.requestBody ? this.deref(op.requestBody as Json) : undefined,
          responses: Object.fromEntries(Object.entries((op.responses as Record<string, Json>) ?? {}).map(([s, r]) => [s, this.deref(r)])),
        };
        const list = this.routes.get(operation.method) ?? [];
        list.push(route(operation));
        this.routes.set(operation.method, list);
      }
    }
    // Literal segments beat parameters: `/releases/latest` before `/releases/{release_id}`.
    for (const list of this.routes.values()) list.sort((a, b) => b.literals - a.literals);
  }

  static load(description: ApiDescription): OpenApi {
    let api = loaded.get(description);
    if (!api) {
      const file = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', `${description}.json`);
      api = new OpenApi(description, JSON.parse(readFileSync(file, 'utf8')) as Json);
      loaded.set(description, api);
    }
    return api;
  }

  /** The operation for a method and a raw (still percent-encoded) path. */
  match(method: string, rawPath: string): MatchedOperation | null {
    for (const r of this.routes.get(method.toUpperCase()) ?? []) {
      const m = r.regex.exec(rawPath);
      if (!m) continue;
      try {
        return { operation: r.operation, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
      } catch {
        continue;
      }
    }
    return null;
  }

  operation(operationId: string): Operation | undefined {
    for (const list of this.routes.values()) for (const r of list) if (r.operation.operationId === operationId) return r.operation;
    return undefined;
  }

  /** Problems with a request's path and query parameters and its JSON body. */
  checkRequest(m: MatchedOperation, query: URLSearchParams, body: unknown): string[] {
    const op = m.operation;
    const where = `${op.method} ${op.template} (${op.operationId})`;
    const problems: string[] = [];
    const declared = new Set<string>();
    for (const p of op.parameters) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      declared.add(`${p.in}:${p.name}`);
      const values = p.in === 'path' ? (m.params[p.name] === undefined ? [] : [m.params[p.name]]) : query.getAll(p.name);
      if (!values.length) {
        if (p.required) problems.push(`${where}: missing required ${p.in} parameter ${p.name}`);
        continue;
      }
      if (!p.schema) continue;
      const validate = this.validator(`param ${op.operationId} ${p.in} ${p.name}`, p.schema);
      const value = p.schema.type === 'array' ? values.flatMap((v) => v.split(',')).map((v) => coerce(v, itemsOf(p.schema!))) : coerce(values[0], p.schema);
      if (!validate(value)) problems.push(`${where}: ${p.in} parameter ${p.name}=${JSON.stringify(values.join(','))} ${errorsText(validate)}`);
    }
    for (const name of new Set(query.keys())) {
      if (!declared.has(`query:${name}`)) problems.push(`${where}: undocumented query parameter ${name}`);
    }
    const content = (op.requestBody?.content as Record<string, Json> | undefined)?.['application/json'];
    if (body !== undefined) {
      if (!content?.schema) problems.push(`${where}: the operation takes no JSON body`);
      else {
        const validate = this.validator(`body ${op.operationId}`, content.schema as Json);
        if (!validate(body)) problems.push(`${where}: request body ${errorsText(validate)}`);
      }
    } else if (op.requestBody?.required) {
      problems.push(`${where}: missing required request body`);
    }
    return problems;
  }

  /** Problems with a response: an undocumented status, or a body that does not fit its schema. */
  checkResponse(op: Operation, status: number, body: unknown): string[] {
    const where = `${op.method} ${op.template} (${op.operationId}) -> ${status}`;
    const documented = op.responses[String(status)];
    let schema: Json | undefined;
    if (documented) {
      schema = ((documented.content as Record<string, Json> | undefined)?.['application/json']?.schema as Json | undefined) ?? undefined;
      if (!schema) return body === undefined ? [] : [`${where}: the response is documented without a body`];
    } else if (status === 304) {
      return body === undefined ? [] : [`${where}: a 304 has no body`];
    } else if (GENERIC_ERRORS.has(status)) {
      schema = { $ref: '#/components/schemas/basic-error' };
    } else {
      return [`${where}: undocumented status`];
    }
    if (body === undefined) return [`${where}: missing response body`];
    const validate = this.validator(`response ${op.operationId} ${documented ? status : 'basic-error'}`, schema);
    return validate(body) ? [] : [`${where}: response body ${errorsText(validate)}`];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(rebase(schema));
      this.validators.set(key, v);
    }
    return v;
  }

  /** Follows `$ref`s to components (parameters, responses, request bodies). */
  private deref(node: Json): Json {
    let n = node;
    for (let i = 0; typeof n.$ref === 'string' && i < 10; i++) n = pointer(this.spec, n.$ref);
    return n;
  }
}

function route(operation: Operation): Route {
  const names: string[] = [];
  let literals = 0;
  const source = operation.template
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) {
        if (segment) literals++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(m[1]);
      const multi = operation.parameters.some((p) => p.in === 'path' && p.name === m[1] && p['x-multi-segment']);
      return multi ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { operation, regex: new RegExp(`^${source}$`), names, literals };
}

/** Points the description's local `$ref`s at the whole description, added to Ajv once. */
function rebase(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${SPEC_KEY}${value}` : value)) as Json;
}

function pointer(doc: Json, ref: string): Json {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (typeof node !== 'object' || node === null) throw new Error(`unresolvable $ref ${ref}`);
  return node as Json;
}

function itemsOf(schema: Json): Json {
  return (schema.items as Json | undefined) ?? {};
}

/** Query and path values are text; the schema says what they should parse as. */
function coerce(value: string, schema: Json): unknown {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function errorsText(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ');
}
