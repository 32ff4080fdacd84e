/**
 * The GitLab REST API v4 endpoints Preflight reads, written down for the GitLab test server: each
 * operation's path, its documented query parameters (types, enums, bounds) and the documented fields
 * of its answer, as JSON schemas checked with Ajv.
 *
 * GitLab's OpenAPI description (doc/api/openapi/openapi_v2.yaml, OpenAPI 2, covering part of the
 * API) is not on the npm registry or in Debian, the only sources this project installs from, so it is
 * not loaded at test time. The parameters and answer fields below follow GitLab's REST documentation
 * (Releases API, Tags API, Repositories API, Repository files/blobs, Projects API); the README names
 * these endpoints as the ones not checked against an OpenAPI description.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface QueryParam {
  type: 'integer' | 'string' | 'boolean';
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

export interface GitLabOperation {
  operationId: string;
  /** Matched against the path after /api/v4; the first group is the project (id or URL-encoded path). */
  path: RegExp;
  query: Record<string, QueryParam>;
  /** The answer's JSON schema; absent for raw answers. */
  response?: Record<string, unknown>;
}

const page: Record<string, QueryParam> = { page: { type: 'integer', minimum: 1 }, per_page: { type: 'integer', minimum: 1, maximum: 100 } };
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

const commit = {
  type: 'object',
  required: ['id', 'short_id', 'title', 'created_at', 'message', 'author_name', 'authored_date', 'committed_date', 'web_url'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{40}$' }, short_id: { type: 'string' }, title: { type: 'string' }, created_at: dateTime, parent_ids: { type: 'array', items: { type: 'string' } }, message: { type: 'string' }, author_name: { type: 'string' }, authored_date: dateTime, committed_date: dateTime, web_url: { type: 'string' } },
};

const release = {
  type: 'object',
  required: ['tag_name', 'description', 'name', 'created_at', 'released_at', 'upcoming_release', 'commit', 'tag_path', 'assets', '_links'],
  properties: {
    tag_name: { type: 'string' },
    description: nullable({ type: 'string' }),
    name: nullable({ type: 'string' }),
    created_at: dateTime,
    released_at: nullable(dateTime),
    upcoming_release: { type: 'boolean' },
    historical_release: { type: 'boolean' },
    author: { type: 'object', required: ['id', 'username'], properties: { id: { type: 'integer' }, username: { type: 'string' } } },
    commit,
    commit_path: { type: 'string' },
    tag_path: { type: 'string' },
    assets: { type: 'object', required: ['count', 'sources', 'links'], properties: { count: { type: 'integer' }, sources: { type: 'array' }, links: { type: 'array' } } },
    evidences: { type: 'array' },
    _links: { type: 'object', required: ['self'], properties: { self: { type: 'string' }, edit_url: { type: 'string' } } },
  },
};

const tag = {
  type: 'object',
  required: ['name', 'message', 'target', 'commit', 'release', 'protected', 'created_at'],
  properties: {
    name: { type: 'string' },
    message: nullable({ type: 'string' }),
    target: { type: 'string' },
    commit,
    release: nullable({ type: 'object', required: ['tag_name', 'description'], properties: { tag_name: { type: 'string' }, description: nullable({ type: 'string' }) } }),
    protected: { type: 'boolean' },
    created_at: nullable(dateTime),
  },
};

const treeObject = {
  type: 'object',
  required: ['id', 'name', 'type', 'path', 'mode'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{40}$' }, name: { type: 'string' }, type: { enum: ['tree', 'blob', 'commit'] }, path: { type: 'string' }, mode: { type: 'string', pattern: '^[0-7]{6}$' } },
};

const project = {
  type: 'object',
  required: ['id', 'name', 'name_with_namespace', 'path', 'path_with_namespace', 'default_branch', 'web_url', 'visibility', 'created_at'],
  properties: {
    id: { type: 'integer' },
    description: nullable({ type: 'string' }),
    name: { type: 'string' },
    name_with_namespace: { type: 'string' },
    path: { type: 'string' },
    path_with_namespace: { type: 'string' },
    default_branch: nullable({ type: 'string' }),
    web_url: { type: 'string' },
    visibility: { enum: ['private', 'internal', 'public'] },
    created_at: dateTime,
  },
};

export const ERROR_SCHEMA = { type: 'object', anyOf: [{ required: ['message'] }, { required: ['error'] }], properties: { message: {}, error: { type: 'string' } } };

export const OPERATIONS: GitLabOperation[] = [
  {
    operationId: 'getApiV4ProjectsIdReleases',
    path: /^\/projects\/([^/]+)\/releases$/,
    query: { ...page, order_by: { type: 'string', enum: ['released_at', 'created_at'] }, sort: { type: 'string', enum: ['asc', 'desc'] }, include_html_description: { type: 'boolean' }, updated_before: { type: 'string' }, updated_after: { type: 'string' } },
    response: { type: 'array', items: release },
  },
  {
    operationId: 'getApiV4ProjectsIdRepositoryTags',
    path: /^\/projects\/([^/]+)\/repository\/tags$/,
    query: { ...page, order_by: { type: 'string', enum: ['name', 'updated', 'version'] }, sort: { type: 'string', enum: ['asc', 'desc'] }, search: { type: 'string' }, page_token: { type: 'string' } },
    response: { type: 'array', items: tag },
  },
  {
    operationId: 'getApiV4ProjectsIdRepositoryTree',
    path: /^\/projects\/([^/]+)\/repository\/tree$/,
    query: { ...page, ref: { type: 'string' }, path: { type: 'string' }, recursive: { type: 'boolean' }, pagination: { type: 'string', enum: ['legacy', 'keyset', 'none'] }, page_token: { type: 'string' } },
    response: { type: 'array', items: treeObject },
  },
  {
    operationId: 'getApiV4ProjectsIdRepositoryBlobsShaRaw',
    path: /^\/projects\/([^/]+)\/repository\/blobs\/([^/]+)\/raw$/,
    query: {},
  },
  {
    operationId: 'getApiV4ProjectsId',
    path: /^\/projects\/([^/]+)$/,
    query: { statistics: { type: 'boolean' }, license: { type: 'boolean' }, with_custom_attributes: { type: 'boolean' } },
    response: project,
  },
];

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

/** Problems of an answer's body against its operation's schema (or the error schema). */
export function checkAnswer(op: GitLabOperation, status: number, body: unknown): string[] {
  const schema = status >= 400 ? ERROR_SCHEMA : op.response;
  if (!schema) return [];
  const key = status >= 400 ? 'error' : op.operationId;
  let v = validators.get(key);
  if (!v) validators.set(key, (v = ajv.compile(schema)));
  if (v(body)) return [];
  return [`${op.operationId} -> ${status}: ${(v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')}`];
}

/** Problems of a request's query against its operation's documented parameters. */
export function checkQuery(op: GitLabOperation, query: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const name of new Set(query.keys())) {
    const p = op.query[name];
    const value = query.get(name)!;
    if (!p) {
      problems.push(`${op.operationId}: undocumented query parameter ${name}`);
      continue;
    }
    if (p.type === 'integer' && (!/^\d+$/.test(value) || (p.minimum !== undefined && Number(value) < p.minimum) || (p.maximum !== undefined && Number(value) > p.maximum))) {
      problems.push(`${op.operationId}: ${name}=${value} is not an integer in [${p.minimum ?? '-'}, ${p.maximum ?? '-'}]`);
    }
    if (p.type === 'boolean' && value !== 'true' && value !== 'false') problems.push(`${op.operationId}: ${name}=${value} is not a boolean`);
    if (p.enum && !p.enum.includes(value)) problems.push(`${op.operationId}: ${name}=${value} is not one of ${p.enum.join(', ')}`);
  }
  return problems;
}
