// The local OpenID Connect provider of development and tests (docs/identity.md): the
// certified `oidc-provider` (npm) with the demo identities of identities.json, standing in
// for the provincial unified identity service (政务服务网统一身份认证). Loopback only.
//   LYG_OIDC_PORT       port (default 9180)
//   LYG_OIDC_STATE_DIR  where the signing key is kept across restarts (default: a new key)
//   LYG_OIDC_IDENTITIES the clients and accounts (default: identities.json beside this file)
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const host = '127.0.0.1';
const port = Number(process.env.LYG_OIDC_PORT || 9180);
const issuer = `http://${host}:${port}`;
const stateDir = process.env.LYG_OIDC_STATE_DIR || '';
const config = JSON.parse(fs.readFileSync(
  process.env.LYG_OIDC_IDENTITIES || path.join(here, 'identities.json'), 'utf8'));

// The ID-token signing key: one RSA key, kept in the state folder so that a restart keeps it
function signingKeys() {
  const file = stateDir ? path.join(stateDir, 'jwks.json') : '';
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = {
    keys: [{ ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' }],
  };
  if (file) {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(jwks), { mode: 0o600 });
  }
  return jwks;
}

const bySub = new Map(config.accounts.map((a) => [a.sub, a]));
const byLogin = new Map(config.accounts.map((a) => [a.login, a]));

async function findAccount(ctx, sub) {
  const a = bySub.get(sub);
  if (!a) return undefined;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        name: a.name,
        preferred_username: a.preferred_username,
        email: a.email,
        email_verified: true,
        phone_number: a.phone_number,
        phone_number_verified: true,
        identity_level: a.identity_level,
      };
    },
  };
}

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    ...c,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: signingKeys(),
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  findAccount,
  scopes: ['openid', 'profile', 'email', 'phone'],
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    profile: ['name', 'preferred_username', 'identity_level'],
    email: ['email', 'email_verified'],
    phone: ['phone_number', 'phone_number_verified'],
  },
  acrValues: ['urn:lyg:loa:1', 'urn:lyg:loa:2', 'urn:lyg:loa:3'],
  // the claims of the granted scopes go into the ID token as well as the userinfo answer
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  // the portal is a first-party client: no consent screen, the grant is made on sign-in
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const found = await ctx.oidc.provider.Grant.find(grantId);
      if (found) return found;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email phone');
    await grant.save();
    return grant;
  },
});

// A demo provider serves any portal on this machine: the registered redirect URIs, and the
// portal's callback path on a loopback address or a *.invalid test host (any port)
const registeredAllowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  if (registeredAllowed.call(this, value)) return true;
  try {
    const u = new URL(value);
    const local = ['127.0.0.1', 'localhost'].includes(u.hostname) || u.hostname.endsWith('.invalid');
    return local && ['http:', 'https:'].includes(u.protocol) && u.pathname.endsWith('/user/oidc/callback');
  } catch {
    return false;
  }
};

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, uid, error) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>统一身份认证（本地演示）</title></head><body>
<main><h1>统一身份认证（本地演示）</h1>
<p>Local demo of the provincial unified identity service. Demo accounts: docs/identity.md.</p>
${error ? `<p role="alert" id="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<p><label for="login">账号 Account</label> <input id="login" name="login" required autofocus></p>
<p><label for="password">密码 Password</label> <input id="password" name="password" type="password" required></p>
<p><button type="submit" id="submit">登录 Sign in</button></p>
</form>
<p><a href="/interaction/${esc(uid)}/abort" id="abort">取消 Cancel</a></p>
</main></body></html>`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (step === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the user cancelled the sign-in',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (step === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const account = byLogin.get(form.get('login') || '');
    const given = Buffer.from(form.get('password') || '');
    const ok = account && given.length === Buffer.byteLength(account.password)
      && crypto.timingSafeEqual(given, Buffer.from(account.password));
    if (!ok) {
      page(res, 200, uid, '账号或密码错误 Wrong account or password');
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: account.sub, acr: `urn:lyg:loa:${account.identity_level}`, amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'login') {
    page(res, 200, uid, '');
    return;
  }
  // consent is granted by loadExistingGrant; anything else ends the interaction as it is
  await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?\/?(?:\?.*)?$/.exec(req.url);
  if (!m) {
    handle(req, res);
    return;
  }
  interaction(req, res, m[1], m[2]).catch((err) => {
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    }
    res.end(`sign-in interrupted: ${err.message}`);
  });
});
server.listen(port, host, () => {
  console.log(`oidc-provider ${issuer} (${config.accounts.length} demo accounts)`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
