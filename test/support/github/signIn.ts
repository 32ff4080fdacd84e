/**
 * The web side of the GitHub test server, for the demo: what VS Code's GitHub Enterprise account
 * needs to sign in against it, and a page to review a pull request as someone else would.
 *
 * Sign-in, the two ways VS Code offers for a GitHub Enterprise Server:
 * - device code: POST /login/device/code gives a code, the page GET /login/device accepts it, and
 *   POST /login/oauth/access_token then answers with the token;
 * - personal access token: GET /settings/tokens/new shows the token to paste, and GET /api/v3 (the
 *   API root) names its scopes in X-OAuth-Scopes.
 * The account behind the token is GET /api/v3/user, an API operation with its own handler.
 *
 * Pull requests: GET /OWNER/REPO/pulls lists the open ones, each with an Approve button that adds
 * an approving review by the reviewer (POST /OWNER/REPO/pull/N/approve). A pull request's own
 * address (/OWNER/REPO/pull/N, its html_url) shows the same page.
 *
 * Everything shown comes from the fixture (titles the extension wrote): it is escaped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addReview, type GitHubFixture } from './fixture';

export interface SignInOptions {
  /** The token sign-in gives; it should be one of the fixture's tokens. */
  token: string;
  scopes: string[];
  /** Who approves pull requests from the pulls page. */
  reviewer: string;
}

export type WebRoute = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => boolean;

const CODE = 'DEMO-0001';

/** Handles the sign-in and review pages; false for any other request. */
export function signInRoutes(state: GitHubFixture, o: SignInOptions, prefix: string): WebRoute {
  const pending = new Map<string, boolean>();
  let issued = 0;
  return (req, res, url) => {
    const method = req.method ?? 'GET';
    const p = url.pathname;
    // VS Code for the Web signs in from the browser: the page's origin is not this server's.
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type, accept, user-agent', 'access-control-expose-headers': 'x-oauth-scopes' };
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE' }).end();
      return true;
    }
    const json = (status: number, body: unknown) => res.writeHead(status, { ...cors, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const html = (title: string, content: string) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" })
        .end(`<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><style>body{font:15px system-ui,sans-serif;margin:3em auto;max-width:40em}code{font-size:1.2em;background:#eee;padding:.2em .4em}</style><h1>${escape(title)}</h1>${content}`);

    if (method === 'POST' && p === '/login/device/code') {
      const device = `device-${++issued}`;
      pending.set(device, false);
      json(200, { device_code: device, user_code: CODE, verification_uri: `${origin(req)}/login/device`, expires_in: 900, interval: 1 });
      return true;
    }
    // VS Code for the Web opens a local address as the server's root (the path is lost on the way):
    // the root accepts a pending code too, or lists the repositories' pull requests.
    if (method === 'GET' && (p === '/login/device' || (p === '/' && [...pending.values()].some((v) => !v)))) {
      for (const device of pending.keys()) pending.set(device, true);
      html('Signed in to the demo GitHub', `<p>The code <code>${CODE}</code> is accepted: VS Code is signed in as <b>${escape(login(state, o.token))}</b>.</p><p>Go back to VS Code.</p>`);
      return true;
    }
    if (method === 'GET' && p === '/') {
      const links = Object.entries(state.repos).map(([name, repo]) => {
        const open = (repo.pulls ?? []).filter((x) => x.state === 'open').map((x) => `<li><a href="/${escape(name)}/pull/${x.number}">#${x.number} ${escape(x.title)}</a></li>`);
        return `<li><a href="/${escape(name)}/pulls">${escape(name)}</a>${open.length ? `<ul>${open.join('')}</ul>` : ''}</li>`;
      });
      html('The demo GitHub', `<p>Repositories and their open pull requests:</p><ul>${links.join('')}</ul>`);
      return true;
    }
    if (method === 'POST' && p === '/login/oauth/access_token') {
      const device = url.searchParams.get('device_code') ?? '';
      if (!pending.has(device)) json(200, { error: 'expired_token', error_description: 'The device code has expired.' });
      else if (!pending.get(device)) json(200, { error: 'authorization_pending', error_description: 'The authorization request is still pending.' });
      else {
        pending.delete(device);
        json(200, { access_token: o.token, token_type: 'bearer', scope: o.scopes.join(',') });
      }
      return true;
    }
    if (method === 'GET' && p === '/settings/tokens/new') {
      html('A token for the demo GitHub', `<p>Paste this token into VS Code:</p><p><code>${escape(o.token)}</code></p><p>It has the scopes ${escape(o.scopes.join(', '))}, and works only with this demo server.</p>`);
      return true;
    }
    if (method === 'GET' && prefix && (p === prefix || p === `${prefix}/`)) {
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (token !== undefined && !state.tokens.includes(token)) json(401, { message: 'Bad credentials' });
      else res.writeHead(200, { ...cors, 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': o.scopes.join(', ') }).end('{}');
      return true;
    }
    const pulls = /^\/([\w.-]+)\/([\w.-]+)\/(?:pulls|pull\/\d+)$/.exec(p);
    if (method === 'GET' && pulls) {
      const name = `${pulls[1]}/${pulls[2]}`;
      const repo = state.repos[name];
      if (!repo) return false;
      const open = (repo.pulls ?? []).filter((x) => x.state === 'open');
      const rows = open.map((x) => {
        const reviews = (x.reviews ?? []).map((r) => `${escape(r.user)}: ${escape(r.state.toLowerCase().replace('_', ' '))}`).join(', ') || 'no review yet';
        return `<li><p><b>#${x.number} ${escape(x.title)}</b> (${escape(x.head)} → ${escape(x.base)}${x.draft ? ', draft' : ''}). Reviews: ${reviews}.</p><form method="post" action="/${escape(name)}/pull/${x.number}/approve"><button>Approve as ${escape(o.reviewer)}</button></form></li>`;
      });
      html(`Pull requests of ${name}`, open.length ? `<ul>${rows.join('')}</ul>` : '<p>No open pull request yet. Open the plan\'s pull request from VS Code, then reload this page.</p>');
      return true;
    }
    const approve = /^\/([\w.-]+)\/([\w.-]+)\/pull\/(\d+)\/approve$/.exec(p);
    if (method === 'POST' && approve) {
      const name = `${approve[1]}/${approve[2]}`;
      const repo = state.repos[name];
      if (!repo?.pulls?.some((x) => x.number === Number(approve[3]))) return false;
      addReview(repo, Number(approve[3]), o.reviewer, 'APPROVED');
      res.writeHead(303, { location: `/${name}/pulls` }).end();
      return true;
    }
    return false;
  };
}

function login(state: GitHubFixture, token: string): string {
  return state.logins?.[token] ?? 'octocat';
}

function origin(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
