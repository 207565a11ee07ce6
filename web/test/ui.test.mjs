// Browser test of the eseal UI: starts a real `eseal serve` (fresh SQLite data folder, the
// UI from web/) on a free port, drives Debian's Chromium with playwright-core through what
// real users do, and saves a screenshot of each key step.
//
//   node web/test/ui.test.mjs <path to the eseal binary> [screenshot folder]
//
// Environment: CHROMIUM (default /usr/bin/chromium), ESEAL_SHARED_TESTDATA (default
// <repo>/../shared/testdata), ESEAL_WEB_KEEP=1 keeps the temporary folders.
// Prints one line per step and ends with "N passed, N failed"; exits non-zero on failure.

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const repoDir = path.resolve(webDir, '..');

function die(msg) {
  console.error(`ui.test: ${msg}`);
  process.exit(2);
}

const esealBin = process.argv[2];
if (!esealBin) die('usage: node web/test/ui.test.mjs <path to the eseal binary> [screenshot folder]');
if (!fs.existsSync(esealBin)) die(`the eseal binary ${esealBin} does not exist (build the 'eseal' target)`);
const outDir = path.resolve(process.argv[3] || path.join(path.dirname(path.resolve(esealBin)), 'web-ui-test'));
fs.mkdirSync(outDir, { recursive: true });
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) die(`Chromium is not installed at ${chromiumPath} (scripts/deps.sh installs Debian's chromium)`);
const testdata = process.env.ESEAL_SHARED_TESTDATA || path.resolve(repoDir, '..', 'shared', 'testdata');
const ofdrw = path.join(testdata, 'ofdrw');
const tamperedOfd = path.join(ofdrw, 'signed', 'generated-with-ofdrw', 'tampered-v4-content.ofd');
const unsignedOfd = path.join(ofdrw, 'unsigned', 'helloworld.ofd');
for (const f of [tamperedOfd, unsignedOfd]) if (!fs.existsSync(f)) die(`test document ${f} is missing (ESEAL_SHARED_TESTDATA)`);

// A one-page PDF written here (a classic cross-reference table), for signing PDFs in the UI.
function writeUnsignedPdf(file) {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const text = 'BT /F1 20 Tf 72 760 Td (Purchase contract - Party A \\(seal\\):) Tj ET';
  objs[3] = `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`;
  let out = '%PDF-1.7\n';
  const offsets = [];
  objs.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  fs.writeFileSync(file, out, 'latin1');
  return file;
}


let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  die(`playwright-core is not installed: run 'npm ci' in ${webDir} (${e.message})`);
}

// ---- the server ----

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'eseal-web-test-'));
const dataDir = path.join(tmpRoot, 'data');
const profileDir = path.join(tmpRoot, 'chromium-profile');
fs.mkdirSync(dataDir);
fs.mkdirSync(profileDir);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverLog = fs.createWriteStream(path.join(outDir, 'server.log'));
let serverOutput = '';
// The server serves the build's copy of the UI (web/dist), as `eseal serve` does by default.
const served = process.env.ESEAL_WEB_DIST || webDir;
const server = spawn(path.resolve(esealBin), ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, '--web', served, '--accept-unsynchronised-clock', '--dev'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env },
});
let serverExit = null;
server.on('exit', (code, signal) => (serverExit = { code, signal }));
// Never leave the server running, whatever happens to this script.
process.on('exit', () => {
  if (!serverExit) server.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (!serverExit) server.kill('SIGKILL');
    process.exit(130);
  });
}
for (const s of [server.stdout, server.stderr]) {
  s.on('data', (d) => {
    serverOutput += d.toString();
    serverLog.write(d);
  });
}

async function waitForServer() {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (serverExit) throw new Error(`eseal serve exited (${JSON.stringify(serverExit)}):\n${serverOutput.slice(-2000)}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`eseal serve did not answer /healthz within 60 s:\n${serverOutput.slice(-2000)}`);
}

async function stopServer() {
  if (serverExit) return;
  server.kill('SIGTERM');
  const t0 = Date.now();
  while (!serverExit && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 100));
  if (!serverExit) server.kill('SIGKILL');
}

// ---- the steps ----

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
const shots = [];
const pageErrors = [];
let browser;
// Each person has a browser context of their own (their own cookie jar, as on their own
// computer): the session cookie of one must not replace another's.
const contexts = [];

async function shot(page, name) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function newPage(label) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => pageErrors.push(`[${label}] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`  # [${label}] console: ${m.text()}`);
  });
  return page;
}

// Every form control on the page has a label (label[for], a wrapping label or aria-label).
async function expectLabelled(page) {
  const bad = await page.evaluate(() =>
    [...document.querySelectorAll('main input, main select, main textarea, .dialog input, .dialog select, .dialog textarea')]
      .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(bad.length === 0, `inputs without a label: ${bad.join(', ')}`);
}

// RFC 6238 TOTP (SHA-1, 30 s steps, 6 digits) from a base32 secret, as an authenticator app
// computes it.
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.toUpperCase().replace(/[=\s]/g, '')) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(n % 1000000).padStart(6, '0');
}

// Enrols through the 首次登记 form with the one-time code; answers the TOTP secret the page
// shows ('' when the role needs none).
async function enrol(page, login, code, password) {
  await page.goto(`${base}/enrol`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=enrolment_code]').fill(code);
  await page.locator('input[name=new_password]').fill(password);
  await page.locator('input[name=new_password2]').fill(password);
  await page.getByRole('button', { name: /登记 Enrol/ }).click();
  await page.locator('.msg.ok', { hasText: '口令已设置' }).waitFor();
  await expectLabelled(page);
  if (await page.locator('[data-testid=totp-setup]').count()) {
    const secret = ((await page.locator('[data-testid=totp-secret]').textContent()) || '').trim();
    const uri = ((await page.locator('[data-testid=otpauth-uri]').textContent()) || '').trim();
    expect(secret.length >= 16 && uri.startsWith('otpauth://totp/') && uri.includes(secret), `the TOTP secret and otpauth URI are shown (${uri})`);
    return secret;
  }
  return '';
}

// Signs in through the form (keyboard only): login, password and, when the account has a
// TOTP secret, the current code. The session is an HttpOnly cookie the page cannot read.
async function signIn(page, login, password, secret) {
  await page.goto(`${base}/login`);
  // The form may offer the login name just enrolled; type it afresh.
  await page.locator('input[name=login]').fill('');
  await page.locator('input[name=login]').focus();
  await page.keyboard.type(login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  if (secret) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(totp(secret));
  }
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=who]').waitFor();
  expect(!page.url().includes(password), 'the password must never appear in the URL');
  const stored = await page.evaluate(() => ({ csrf: sessionStorage.getItem('eseal.csrf'), token: sessionStorage.getItem('eseal.token'), cookie: document.cookie, l: JSON.stringify(localStorage) }));
  expect(stored.csrf && stored.csrf.length > 10, 'the CSRF token is kept in sessionStorage');
  expect(!stored.token, 'no bearer token is kept for a signed-in person');
  expect(!stored.cookie.includes('eseal_session'), 'the session cookie is HttpOnly');
  expect(!stored.l.includes(password) && !stored.l.includes(stored.csrf), 'nothing is kept in localStorage');
  const cookies = await page.context().cookies(base);
  const c = cookies.find((x) => x.name === 'eseal_session');
  expect(c && c.httpOnly && c.secure && c.sameSite === 'Strict', `the session cookie is HttpOnly, Secure, SameSite=Strict (${JSON.stringify(c)})`);
}

// The login and one-time enrolment code shown after an account is created (in `scope`).
async function newAccount(scope) {
  const login = ((await scope.locator('[data-testid=new-login]').last().textContent()) || '').trim();
  const code = ((await scope.locator('[data-testid=enrolment-code]').last().textContent()) || '').trim();
  expect(login.length > 0 && code.length > 5, `the new account's login and enrolment code are shown (${login})`);
  return { login, code };
}

// The operator's API, with the bootstrap bearer token (setting up test data only).
async function opApi(method, p, body) {
  const r = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${operatorToken}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function verifyFile(page, file) {
  await page.goto(`${base}/verify`);
  await page.locator('input[name=document]').setInputFiles(file);
  await page.getByRole('button', { name: /验章 Verify/ }).click();
  const verdict = page.locator('[data-testid=verdict]');
  await verdict.waitFor();
  return (await page.locator('.report').getAttribute('data-verdict')) || '';
}

const USCC = '91350100M000100Y43';
// A valid GB 32100 code for the department (check character computed as the platform does).
function withCheck(first17) {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += set.indexOf(first17[i]) * w[i];
  return first17 + set[(31 - (sum % 31)) % 31];
}
const DEPT_USCC = withCheck('11450100MB0000001');
const DEPT = '南宁市行政审批局';
let deptAccount;
const reviewerAccounts = [];
let userAccount;
const HOLDER = '广西示范科技有限公司';
const PASSWORD = 'Seal-Passw0rd-2026';
let operatorToken = '';
const OP_PASSWORD = 'Operator-Passw0rd-2026';
const ADMIN_PASSWORD = 'Admin-Passw0rd-2026';
const USER_PASSWORD = 'User-Passw0rd-2026';
const REVIEWER_PASSWORD = 'Reviewer-Passw0rd-2026';
const DEPT_PASSWORD = 'Dept-Passw0rd-2026';
const enrolmentCodes = [];
let adminAccount;
let pagedHolder;
let user;
let op;
let admin;
let visitor;
let signedFile = '';
let sealEsid = '';

step('eseal serve starts with the UI and writes the operator token', async () => {
  await waitForServer();
  const tokenFile = path.join(dataDir, 'operator.token');
  expect(fs.existsSync(tokenFile), `${tokenFile} was not written`);
  operatorToken = fs.readFileSync(tokenFile, 'utf8').trim();
  expect(operatorToken.length > 10, 'operator token is empty');
  const r = await fetch(`${base}/verify`);
  expect(r.ok && (await r.text()).includes('/js/app.js'), 'the UI entry page is served for /verify');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  visitor = await newPage('visitor');
});

step('public 验章 shows FAILED with check ids for a tampered vendor document', async () => {
  const v = await verifyFile(visitor, tamperedOfd);
  expect(v === 'FAILED', `verdict ${v}, want FAILED`);
  await visitor.getByText('FAILED', { exact: false }).first().waitFor();
  // The failed check is shown (id visible) without opening anything; all checks are listed.
  const visibleIds = await visitor.locator('code.check-id >> visible=true').allTextContents();
  expect(visibleIds.includes('ofd.reference.digest'), `the failed digest check is visible (${visibleIds.join(', ')})`);
  expect((await visitor.locator('tr.row-fail >> visible=true').count()) > 0, 'failed checks are highlighted');
  expect((await visitor.locator('code.check-id').count()) > 20, 'every check of the signature is listed');
  await expectLabelled(visitor);
  await shot(visitor, '01-verify-tampered-failed');
});

step('the verify form validates before sending', async () => {
  await visitor.goto(`${base}/verify`);
  await visitor.getByRole('button', { name: /验章 Verify/ }).click();
  await visitor.locator('.field-error', { hasText: '请选择' }).waitFor();
});

step('an operator enrols with the one-time code (首次登记) and signs in with password and 动态口令', async () => {
  // The bootstrap token only creates the second operator, the way a platform starts.
  const created = await opApi('POST', '/api/v1/accounts', { name: '运营人员二', role: 'operator', login: 'op2' });
  expect(created.login === 'op2' && created.enrolment_code, `the account answers its login and enrolment code (${JSON.stringify(Object.keys(created))})`);
  enrolmentCodes.push(created.enrolment_code);
  op = await newPage('operator');
  // A wrong code is refused with the server's message.
  await op.goto(`${base}/enrol`);
  await op.locator('input[name=login]').fill('op2');
  await op.locator('input[name=enrolment_code]').fill('not-the-code');
  await op.locator('input[name=new_password]').fill('short');
  await op.locator('input[name=new_password2]').fill('short');
  await op.getByRole('button', { name: /登记 Enrol/ }).click();
  await op.locator('.field-error', { hasText: '至少 10 位' }).waitFor();
  await op.locator('input[name=new_password]').fill(OP_PASSWORD);
  await op.locator('input[name=new_password2]').fill(OP_PASSWORD);
  await op.getByRole('button', { name: /登记 Enrol/ }).click();
  await op.locator('.msg.error').waitFor();
  const secret = await enrol(op, 'op2', created.enrolment_code, OP_PASSWORD);
  expect(secret, 'an operator gets a TOTP secret');
  await shot(op, '02-operator-enrolled-totp');
  // Without the 动态口令 the sign-in is refused, and the page says so.
  await op.goto(`${base}/login`);
  await op.locator('input[name=login]').fill('op2');
  await op.locator('input[name=password]').fill(OP_PASSWORD);
  await op.getByRole('button', { name: /登录 Sign in/ }).click();
  await op.locator('.msg.error').waitFor();
  await signIn(op, 'op2', OP_PASSWORD, secret);
  await op.locator('nav a', { hasText: '登记' }).waitFor();
  await expectLabelled(op);
  await shot(op, '02-operator-home');
});

step('an outside system applies for access (接入申请) and the operator approves it', async () => {
  await visitor.goto(`${base}/client-apply`);
  await visitor.locator('input[name=name]').fill('某服务商签章系统');
  await visitor.locator('select[name=type]').selectOption('vendor');
  await visitor.locator('input[name=contact]').fill('李四 0771-1234567');
  await visitor.locator('textarea[name=scenario]').fill('为企业客户提供合同签章服务');
  await visitor.getByRole('button', { name: /提交申请/ }).click();
  await visitor.locator('.msg.ok', { hasText: '申请已提交' }).waitFor();
  await expectLabelled(visitor);
  await op.goto(`${base}/op/clients`);
  const row = op.locator('tr', { hasText: '某服务商签章系统' });
  await row.getByRole('button', { name: /批准/ }).click();
  await op.getByRole('dialog').getByRole('button', { name: /批准 Approve/ }).click();
  const token = ((await op.locator('[data-testid=new-token]').textContent()) || '').trim();
  expect(token.length > 10, 'the client credential is shown once');
  await op.locator('tr', { hasText: '某服务商签章系统' }).locator('.badge.approved').waitFor();
  await shot(op, '02b-operator-clients');
});

step('operator registers a trust anchor (信任锚) and sees the filing page', async () => {
  await op.goto(`${base}/op/anchors`);
  await op.locator('input[name=system_name]').fill('ofdrw 测试印章系统');
  await op.locator('select[name=kind]').selectOption('ca_root');
  await op.locator('input[name=certificate]').setInputFiles(path.join(ofdrw, 'keys', 'root_cert.pem'));
  await op.getByRole('button', { name: /登记 Register/ }).click();
  await op.locator('table td', { hasText: 'ofdrw 测试印章系统' }).waitFor();
  await expectLabelled(op);
  // A second system with a root and an issuing CA (made with the eseal CLI): registered with
  // its intermediate and root CRL, then its issuing CA's CRL is recorded; the same CRL again
  // is refused with the server's message.
  const other = path.join(outDir, 'other-ca');
  fs.rmSync(other, { recursive: true, force: true });
  execFileSync(path.resolve(esealBin), ['ca', 'init', '--out', other, '--name', '两级测试系统'], { stdio: 'ignore' });
  await op.locator('input[name=system_name]').fill('两级测试系统');
  await op.locator('select[name=kind]').selectOption('ca_root');
  await op.locator('input[name=certificate]').setInputFiles(path.join(other, 'root.pem'));
  await op.locator('input[name=intermediates]').setInputFiles(path.join(other, 'issuing.pem'));
  await op.locator('input[name=crl]').setInputFiles(path.join(other, 'root-crl.pem'));
  await op.getByRole('button', { name: /登记 Register/ }).click();
  const row = op.locator('tr', { hasText: '两级测试系统' });
  await row.waitFor();
  execFileSync(path.resolve(esealBin), ['ca', 'crl', '--ca', other], { stdio: 'ignore' });
  await row.locator('input[name=anchor_crl]').setInputFiles(path.join(other, 'crl.pem'));
  await op.locator('.msg.ok', { hasText: '已更新 CRL' }).waitFor();
  await row.locator('input[name=anchor_crl]').setInputFiles(path.join(other, 'crl.pem'));
  await op.locator('.msg.error', { hasText: 'not newer' }).waitFor();
  // Roles (角色): a CA root is registered as seal maker and signer by default; the operator
  // makes it a signer and TSA anchor instead, and the table shows the roles the server kept.
  const roleBox = (r, zh) => r.getByRole('checkbox', { name: new RegExp(`${zh}`) });
  expect(await roleBox(row, '制章人').isChecked(), 'a CA root vouches for seal makers by default');
  expect(await roleBox(row, '签章人').isChecked(), 'a CA root vouches for signers by default');
  expect(!(await roleBox(row, '时间戳').isChecked()), 'a CA root is no TSA anchor by default');
  await roleBox(row, '制章人').uncheck();
  await roleBox(row, '时间戳').check();
  await row.getByRole('button', { name: /保存角色/ }).click();
  await op.locator('.msg.ok', { hasText: '已更新角色' }).waitFor();
  const saved = op.locator('tr', { hasText: '两级测试系统' });
  expect(!(await roleBox(saved, '制章人').isChecked()), 'the seal-maker role was taken away');
  expect(await roleBox(saved, '时间戳').isChecked(), 'the TSA role was given');
  const listed = await op.evaluate(async () => {
    const r = await fetch('/api/v1/anchors');
    return r.ok ? (await r.json()).items : [];
  });
  const kept = listed.find((x) => x.system_name === '两级测试系统');
  expect(kept && kept.roles.join(',') === 'signer,tsa', `the server keeps the roles: ${kept && kept.roles}`);
  // None at all is refused in the page, before anything is sent.
  await roleBox(saved, '签章人').uncheck();
  await roleBox(saved, '时间戳').uncheck();
  await saved.getByRole('button', { name: /保存角色/ }).click();
  await op.locator('.msg.error', { hasText: '请至少选择一个角色' }).waitFor();
  await expectLabelled(op);
  await shot(op, '02c-operator-anchors');
  await op.goto(`${base}/op/filings`);
  await op.locator('h1', { hasText: '备案' }).waitFor();
  expect((await op.locator('.msg.error').count()) === 0, 'the filing page loads without an error');
});

step('operator registers an enterprise (USCC checked in the form first)', async () => {
  await op.goto(`${base}/op/holders`);
  await op.locator('input[name=uscc]').fill('91350100M000100Y44');
  await op.locator('input[name=name]').fill(HOLDER);
  await op.locator('input[name=legal_rep]').fill('张三');
  await op.getByRole('button', { name: /保存登记/ }).click();
  await op.locator('.field-error', { hasText: '校验码' }).waitFor();
  await op.locator('input[name=uscc]').fill(USCC);
  await op.getByRole('button', { name: /保存登记/ }).click();
  await op.locator('.msg.ok', { hasText: HOLDER }).waitFor();
  await op.locator('table td', { hasText: USCC }).waitFor();
  await expectLabelled(op);
  await shot(op, '03-operator-registry');
});

step('the registry pages (第 x–y 条，共 N 条) and searches by name and USCC', async () => {
  // More holders than a page holds, through the API (the regulator feed's batch).
  await opApi('PUT', '/api/v1/areas/450000', { name: '广西壮族自治区', level: 'region' });
  await opApi('PUT', '/api/v1/areas/450100', { name: '南宁市', level: 'city', parent_code: '450000' });
  const batch = [];
  for (let i = 1; i <= 25; i++) {
    const nn = String(i).padStart(2, '0');
    batch.push({ kind: 'enterprise', uscc: withCheck(`91450100MA00000${nn}`), name: `分页测试企业${nn}有限公司`, legal_rep: '赵六', area_code: '450100' });
  }
  await opApi('POST', '/api/v1/holders', { holders: batch });
  pagedHolder = batch[0];
  await op.goto(`${base}/op/holders`);
  const info = op.locator('[data-testid=page-info]');
  await op.locator('input[name=q_name]').fill('分页测试');
  await op.getByRole('button', { name: /查询 Search/ }).click();
  await info.filter({ hasText: '第 1–20 条，共 25 条' }).waitFor();
  expect((await op.locator('tr', { hasText: '分页测试企业' }).count()) === 20, 'a page shows 20 holders');
  expect(await op.locator('[data-testid=page-prev]').isDisabled(), '上一页 is off on the first page');
  await expectLabelled(op);
  await shot(op, '03b-registry-page-1');
  await op.locator('[data-testid=page-next]').click();
  await info.filter({ hasText: '第 21–25 条，共 25 条' }).waitFor();
  await op.locator('tr', { hasText: '分页测试企业25有限公司' }).waitFor();
  expect(await op.locator('[data-testid=page-next]').isDisabled(), '下一页 is off on the last page');
  await op.locator('[data-testid=page-prev]').click();
  await info.filter({ hasText: '第 1–20 条，共 25 条' }).waitFor();
  await op.locator('tr', { hasText: '分页测试企业01有限公司' }).waitFor();
  // Search by USCC (exact): one holder.
  await op.locator('input[name=q_name]').fill('');
  await op.locator('input[name=q_uscc]').fill(batch[6].uscc);
  await op.getByRole('button', { name: /查询 Search/ }).click();
  await info.filter({ hasText: '共 1 条' }).waitFor();
  await op.locator('tr', { hasText: batch[6].name }).waitFor();
});

step('changing a holder\'s legal representative in the form keeps its name and area code', async () => {
  await op.goto(`${base}/op/holders`);
  await op.locator('input[name=uscc]').fill(pagedHolder.uscc);
  await op.locator('input[name=uscc]').press('Tab');
  // The form is filled from the record; the clerk changes only the legal representative.
  await op.locator('[data-testid=holder-on-record] .msg', { hasText: pagedHolder.name }).waitFor();
  expect((await op.locator('input[name=name]').inputValue()) === pagedHolder.name, 'the name is filled from the record');
  expect((await op.locator('input[name=area_code]').inputValue()) === '450100', 'the area code is filled from the record');
  await op.locator('input[name=legal_rep]').fill('钱七');
  await op.getByRole('button', { name: /保存登记/ }).click();
  await op.locator('.msg.ok', { hasText: '已更新' }).waitFor();
  const after = (await opApi('GET', `/api/v1/holders?uscc=${pagedHolder.uscc}`)).items[0];
  expect(after.legal_rep === '钱七', `the legal representative changed (${after.legal_rep})`);
  expect(after.name === pagedHolder.name, `the name survives (${after.name})`);
  expect(after.area_code === '450100', `the area code survives (${after.area_code})`);
  // The same USCC typed straight in with only a new legal representative (no look-up first)
  // also sends only that field.
  await op.reload();
  // The page renders after its session check; fill the form only once it has (under load
  // the first render could otherwise be replaced after the fill).
  await op.locator('[data-testid=page-info]').first().waitFor();
  await op.locator('input[name=legal_rep]').fill('孙八');
  await op.locator('input[name=uscc]').fill(pagedHolder.uscc);
  await op.getByRole('button', { name: /保存登记/ }).click();
  await op.locator('.msg.ok', { hasText: '已更新' }).waitFor();
  const again = (await opApi('GET', `/api/v1/holders?uscc=${pagedHolder.uscc}`)).items[0];
  expect(again.legal_rep === '孙八' && again.name === pagedHolder.name && again.area_code === '450100', `only the legal representative changed: ${JSON.stringify(again)}`);
  await shot(op, '03c-registry-holder-updated');
});

step('operator creates the enterprise administrator account', async () => {
  await op.goto(`${base}/op/holders`);
  await op.locator('input[name=q_uscc]').fill(USCC);
  await op.getByRole('button', { name: /查询 Search/ }).click();
  await op.locator('[data-testid=page-info]', { hasText: '共 1 条' }).waitFor();
  const row = op.locator('tr', { hasText: USCC });
  await row.getByRole('button', { name: '创建管理员账户' }).click();
  const dialog = op.getByRole('dialog');
  await dialog.waitFor();
  await expectLabelled(op);
  await shot(op, '04-create-admin-dialog');
  await dialog.locator('input[name=account_login]').fill('admin-gx');
  await dialog.getByRole('button', { name: /创建 Create/ }).click();
  adminAccount = await newAccount(op);
  expect(adminAccount.login === 'admin-gx', `the chosen login is kept (${adminAccount.login})`);
  enrolmentCodes.push(adminAccount.code);
});

step('administrator enrols and signs in, then applies for a contract seal (合同专用章)', async () => {
  admin = await newPage('admin');
  const secret = await enrol(admin, adminAccount.login, adminAccount.code, ADMIN_PASSWORD);
  expect(secret, 'a holder administrator gets a TOTP secret');
  await signIn(admin, adminAccount.login, ADMIN_PASSWORD, secret);
  await admin.goto(`${base}/my/apply`);
  await admin.locator('select[name=seal_kind]').selectOption('contract');
  await admin.locator('input[name=password]').fill('short');
  await admin.locator('input[name=password2]').fill('short');
  await admin.getByRole('button', { name: /提交申请/ }).click();
  await admin.locator('.field-error', { hasText: '至少 8 位' }).waitFor();
  await admin.locator('input[name=password]').fill(PASSWORD);
  await admin.locator('input[name=password2]').fill(PASSWORD);
  await admin.getByRole('button', { name: /提交申请/ }).click();
  await admin.locator('.msg.ok', { hasText: '申请已提交' }).waitFor();
  await expectLabelled(admin);
  await shot(admin, '05-admin-applied');
});

step('operator approves the application (审核), which makes the seal', async () => {
  await op.goto(`${base}/op/applications`);
  const row = op.locator('tr', { hasText: HOLDER });
  await row.getByRole('button', { name: /批准/ }).click();
  await op.getByRole('dialog').getByRole('button', { name: /批准 Approve/ }).click();
  await op.locator('.msg.ok', { hasText: '已批准' }).waitFor();
  await shot(op, '06-operator-approved');
});

step('administrator sees the seal with its image', async () => {
  await admin.goto(`${base}/my/seals`);
  const card = admin.locator('[data-testid=seal-card]').first();
  await card.waitFor();
  const img = card.locator('img[data-testid=seal-image]');
  await img.waitFor();
  await admin.waitForFunction(() => {
    const i = document.querySelector('img[data-testid=seal-image]');
    return i && i.complete && i.naturalWidth > 0;
  });
  sealEsid = ((await card.locator('code').first().textContent()) || '').trim();
  expect(/^\d{20}$/.test(sealEsid), `esID ${sealEsid} has 20 digits`);
  await shot(admin, '07-admin-my-seals');
});

step('a wrong protection password shows the server\'s message and keeps the session', async () => {
  await admin.goto(`${base}/my/sign`);
  await admin.locator('input[name=document]').setInputFiles(unsignedOfd);
  await admin.locator('input[name=password]').fill('not-the-password');
  await admin.getByRole('button', { name: /签章 Sign/ }).click();
  const err = admin.locator('.msg.error');
  await err.waitFor();
  const text = (await err.textContent()) || '';
  expect(/password/i.test(text), `the server's message is shown (${text})`);
  expect((await admin.evaluate(() => sessionStorage.getItem('eseal.csrf'))) !== null, 'a wrong seal password does not sign the user out');
  expect((await admin.locator('[data-testid=who]').count()) === 1 && new URL(admin.url()).pathname === '/my/sign', 'the administrator stays signed in on the page');
});

step('administrator signs helloworld.ofd (签章) and downloads it', async () => {
  await admin.goto(`${base}/my/sign`);
  await admin.locator('input[name=document]').setInputFiles(unsignedOfd);
  await admin.locator('input[name=page]').fill('1');
  await admin.locator('input[name=x]').fill('60');
  await admin.locator('input[name=y]').fill('40');
  await admin.locator('input[name=password]').fill(PASSWORD);
  await expectLabelled(admin);
  await admin.getByRole('button', { name: /签章 Sign/ }).click();
  await admin.locator('[data-testid=sign-result]').waitFor();
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('[data-testid=download-signed]').click()]);
  signedFile = path.join(outDir, 'helloworld-signed.ofd');
  await download.saveAs(signedFile);
  const bytes = fs.readFileSync(signedFile);
  expect(bytes.length > 1000 && bytes[0] === 0x50 && bytes[1] === 0x4b, 'the download is an OFD (zip) package');
  expect(download.suggestedFilename().endsWith('-signed.ofd'), `file name ${download.suggestedFilename()}`);
  await shot(admin, '08-admin-signed');
});

step('administrator seals a PDF (PDF 签章) and the public verifier says PASSED', async () => {
  const unsignedPdf = writeUnsignedPdf(path.join(outDir, 'contract.pdf'));
  await admin.goto(`${base}/my/sign`);
  await admin.locator('input[name=document]').setInputFiles(unsignedPdf);
  await admin.locator('input[name=page]').fill('1');
  await admin.locator('input[name=x]').fill('120');
  await admin.locator('input[name=y]').fill('40');
  await admin.locator('input[name=password]').fill(PASSWORD);
  await admin.getByRole('button', { name: /签章 Sign/ }).click();
  await admin.locator('[data-testid=sign-result]').waitFor();
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('[data-testid=download-signed]').click()]);
  const signedPdf = path.join(outDir, 'contract-signed.pdf');
  await download.saveAs(signedPdf);
  const bytes = fs.readFileSync(signedPdf);
  expect(bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.length > fs.statSync(unsignedPdf).size, 'the download is a PDF, longer than the original');
  expect(download.suggestedFilename().endsWith('-signed.pdf'), `file name ${download.suggestedFilename()}`);
  const v = await verifyFile(visitor, signedPdf);
  expect(v === 'PASSED', `verdict ${v}, want PASSED`);
  await visitor.locator('[data-testid=signature]', { hasText: sealEsid }).waitFor();
  await shot(visitor, '10p-verify-signed-pdf-passed');
});

step('administrator signs a batch (批量签章): each result appears as it comes, a bad file is reported, the others download', async () => {
  const broken = path.join(outDir, 'broken.ofd');
  fs.writeFileSync(broken, 'PK\x03\x04 this is not an OFD package');
  const invoice = writeUnsignedPdf(path.join(outDir, 'invoice.pdf'));
  await admin.goto(`${base}/my/sign`);
  await admin.locator('input[name=document]').setInputFiles([unsignedOfd, broken, invoice]);
  await admin.locator('input[name=page]').fill('1');
  await admin.locator('input[name=x]').fill('30');
  await admin.locator('input[name=y]').fill('30');
  await admin.locator('input[name=password]').fill(PASSWORD);
  await admin.getByRole('button', { name: /签章 Sign/ }).click();
  await admin.locator('[data-testid=batch-summary][data-done=true]').waitFor();
  const rows = admin.locator('[data-testid=batch-row]');
  expect((await rows.count()) === 3, 'one row per document');
  expect((await rows.nth(0).getAttribute('data-ok')) === 'true', 'the OFD is signed');
  expect((await rows.nth(1).getAttribute('data-ok')) === 'false', 'the broken file is reported');
  expect(/broken\.ofd/.test((await rows.nth(1).textContent()) || ''), 'the refused row names its file');
  expect((await rows.nth(2).getAttribute('data-ok')) === 'true', 'the PDF after the broken file is still signed');
  const summary = (await admin.locator('[data-testid=batch-summary]').textContent()) || '';
  expect(/2 份已签章，1 份未签章/.test(summary), `summary ${summary}`);
  expect((await admin.locator('input[name=password]').inputValue()) === '', 'the password is cleared after the batch');
  const [download] = await Promise.all([admin.waitForEvent('download'), rows.nth(2).locator('[data-testid=batch-download]').click()]);
  expect(download.suggestedFilename() === 'invoice-signed.pdf', `file name ${download.suggestedFilename()}`);
  const signedInvoice = path.join(outDir, 'invoice-signed.pdf');
  await download.saveAs(signedInvoice);
  await shot(admin, '08b-admin-batch-signed');
  const v = await verifyFile(visitor, signedInvoice);
  expect(v === 'PASSED', `verdict ${v}, want PASSED`);
});

step('the usage register (用章登记) lists the signature', async () => {
  await admin.goto(`${base}/my/signatures`);
  await admin.locator('table td', { hasText: 'helloworld' }).first().waitFor();
  await shot(admin, '09-admin-usage-register');
});

step('administrator adds a user (用章人) and grants the seal', async () => {
  await admin.goto(`${base}/my/users`);
  await admin.locator('input[name=user_name]').fill('王五');
  await admin.getByRole('button', { name: /创建用章人账户/ }).click();
  userAccount = await newAccount(admin);
  enrolmentCodes.push(userAccount.code);
  // The new account id is filled into the grant form.
  expect((await admin.locator('input[name=account_id]').inputValue()).length > 0, 'the account id is carried to the grant form');
  await admin.getByRole('button', { name: /授权 Grant/ }).click();
  await admin.locator('.msg.ok', { hasText: '授权已保存' }).waitFor();
  await expectLabelled(admin);
  await admin.goto(`${base}/my/seals`);
  await admin.getByRole('button', { name: '启用用章审批' }).click();
  await admin.locator('.msg.ok', { hasText: '用章审批' }).waitFor();
});

step('use approval (用章审批): the user asks, the administrator approves, the user signs once', async () => {
  user = await newPage('user');
  const secret = await enrol(user, userAccount.login, userAccount.code, USER_PASSWORD);
  expect(!secret, 'a holder user needs no TOTP');
  await signIn(user, userAccount.login, USER_PASSWORD, '');
  await user.goto(`${base}/my/usage-requests`);
  await user.locator('input[name=document]').setInputFiles(unsignedOfd);
  await user.locator('textarea[name=purpose]').fill('签订采购合同');
  await user.getByRole('button', { name: /提交用章申请/ }).click();
  const ok = user.locator('.msg.ok', { hasText: '用章申请已提交' });
  await ok.waitFor();
  const requestId = ((await ok.locator('code').textContent()) || '').trim();
  await user.locator('tr', { hasText: requestId }).getByText('等待他人审批').waitFor();
  await admin.goto(`${base}/my/usage-requests`);
  await admin.locator('tr', { hasText: requestId }).getByRole('button', { name: /批准/ }).click();
  await admin.getByRole('dialog').getByRole('button', { name: /批准 Approve/ }).click();
  await admin.locator('tr', { hasText: requestId }).locator('.badge.approved').waitFor();
  await shot(admin, '09b-admin-use-approved');
  await user.goto(`${base}/my/sign`);
  await user.locator('input[name=document]').setInputFiles(unsignedOfd);
  await user.locator('input[name=password]').fill(PASSWORD);
  await user.getByRole('button', { name: /签章 Sign/ }).click();
  await user.locator('.field-error', { hasText: '审批单号' }).waitFor();
  await user.locator('input[name=usage_request_id]').fill(requestId);
  await user.getByRole('button', { name: /签章 Sign/ }).click();
  await user.locator('[data-testid=sign-result]').waitFor();
  await expectLabelled(user);
  await shot(user, '09c-user-signed-with-approval');
  await user.goto(`${base}/my/usage-requests`);
  await user.locator('tr', { hasText: requestId }).locator('.badge.used').waitFor();
});

step('public 验章 of the downloaded file says PASSED', async () => {
  const v = await verifyFile(visitor, signedFile);
  expect(v === 'PASSED', `verdict ${v}, want PASSED`);
  expect((await visitor.locator('tr.row-fail').count()) === 0, 'no failed checks');
  // The verifier's own words first: why PASSED, and that the platform's timestamp (every
  // signature it makes carries one) proved the time.
  const summary = await visitor.locator('[data-testid=summary]').innerText();
  expect(summary.includes('验证通过') && summary.includes('时间戳'), `summary says why: ${summary}`);
  await visitor.locator('[data-testid=signature]', { hasText: sealEsid }).waitFor();
  await shot(visitor, '10-verify-signed-passed');
});

step('operator revokes the seal (注销)', async () => {
  await op.goto(`${base}/op/seals`);
  const row = op.locator('tr', { hasText: sealEsid });
  await row.getByRole('button', { name: /注销/ }).click();
  const dialog = op.getByRole('dialog');
  await dialog.getByRole('button', { name: /确定/ }).click();
  await dialog.locator('.field-error', { hasText: '请填写' }).waitFor();
  await dialog.locator('textarea[name=reason]').fill('印章失控，申请注销');
  await dialog.getByRole('button', { name: /确定/ }).click();
  await op.locator('.msg.ok', { hasText: '已注销' }).waitFor();
  await op.locator('tr', { hasText: sealEsid }).locator('.badge.revoked').waitFor();
  await shot(op, '11-operator-revoked');
});

step('public seal status shows the revocation; the document signed before stays PASSED', async () => {
  await visitor.goto(`${base}/seal-status`);
  await visitor.locator('input[name=esid]').fill(sealEsid);
  await visitor.getByRole('button', { name: /查询/ }).click();
  await visitor.locator('[data-testid=status-result] .badge.revoked').waitFor();
  await shot(visitor, '12-seal-status-revoked');
  const v = await verifyFile(visitor, signedFile);
  expect(v === 'PASSED', `a document signed while the seal was valid stays valid (verdict ${v})`);
});

step('government service: operator sets up areas, reviewers and a department with its impression', async () => {
  await op.goto(`${base}/op/holders`);
  await op.locator('details.card > summary').click();
  for (const [code, name, level, parent] of [['450000', '广西壮族自治区', 'region', ''], ['450100', '南宁市', 'city', '450000']]) {
    await op.locator('input[name=code]').fill(code);
    await op.locator('input[name=area_name]').fill(name);
    await op.locator('select[name=level]').selectOption(level);
    await op.locator('input[name=parent_code]').fill(parent);
    await op.getByRole('button', { name: /保存区划/ }).click();
    await op.locator('details.card td', { hasText: name }).waitFor();
  }
  for (const [name, area] of [['南宁市审核员', '450100'], ['自治区审核员', '450000']]) {
    await op.locator('input[name=reviewer_name]').fill(name);
    await op.locator('input[name=reviewer_area]').fill(area);
    await op.getByRole('button', { name: /创建审核员账户/ }).click();
    const box = op.locator('details.card .msg.ok', { hasText: name });
    await box.waitFor();
    const acct = await newAccount(box);
    enrolmentCodes.push(acct.code);
    reviewerAccounts.push(acct);
  }
  await expectLabelled(op);
  await op.locator('select[name=kind]').selectOption('department');
  await op.locator('input[name=uscc]').fill(DEPT_USCC);
  await op.locator('input[name=name]').fill(DEPT);
  await op.locator('input[name=legal_rep]').fill('王局长');
  await op.locator('input[name=area_code]').fill('450100');
  await op.getByRole('button', { name: /保存登记/ }).click();
  await op.locator('.msg.ok', { hasText: DEPT }).waitFor();
  const row = op.locator('tr', { hasText: DEPT_USCC });
  await row.getByRole('button', { name: '上传印模' }).click();
  const dialog = op.getByRole('dialog');
  await dialog.locator('select[name=seal_kind]').selectOption('gov-service');
  await dialog.locator('input[name=image]').setInputFiles(path.join(ofdrw, 'images', 'StampImg.png'));
  await expectLabelled(op);
  await dialog.getByRole('button', { name: /上传 Upload/ }).click();
  await op.locator('.msg.ok', { hasText: '印模已上传' }).waitFor();
  await row.getByRole('button', { name: '创建管理员账户' }).click();
  await op.getByRole('dialog').getByRole('button', { name: /创建 Create/ }).click();
  // The reviewers' token boxes are still on the page: read the one that names the department.
  const deptBox = op.locator('.msg.ok', { hasText: `${DEPT}管理员` });
  await deptBox.waitFor();
  deptAccount = await newAccount(deptBox);
  enrolmentCodes.push(deptAccount.code);
  expect(reviewerAccounts.length === 2, 'enrolment codes for the department and the reviewers');
  await shot(op, '14-operator-government-setup');
});

step('a department applies for a 政务服务电子印章; the city, then the region reviewer approve (逐级审核)', async () => {
  const dept = await newPage('department');
  await signIn(dept, deptAccount.login, DEPT_PASSWORD, await enrol(dept, deptAccount.login, deptAccount.code, DEPT_PASSWORD));
  await dept.goto(`${base}/my/apply`);
  // The form is drawn after the page has fetched the holder; wait for it before reading it.
  await dept.locator('select[name=seal_kind]').waitFor();
  const kinds = await dept.locator('select[name=seal_kind] option').evaluateAll((os) => os.map((o) => o.value));
  expect(kinds.length === 1 && kinds[0] === 'gov-service', `a department applies for government-service seals (${kinds})`);
  await dept.locator('input[name=password]').fill(PASSWORD);
  await dept.locator('input[name=password2]').fill(PASSWORD);
  await dept.getByRole('button', { name: /提交申请/ }).click();
  await dept.locator('.msg.ok', { hasText: '申请已提交' }).waitFor();
  for (const [i, acct] of reviewerAccounts.entries()) {
    const rev = await newPage(`reviewer${i}`);
    const secret = await enrol(rev, acct.login, acct.code, REVIEWER_PASSWORD);
    expect(secret, 'a reviewer gets a TOTP secret');
    await signIn(rev, acct.login, REVIEWER_PASSWORD, secret);
    expect(new URL(rev.url()).pathname === '/review', `a reviewer lands on the review queue (${rev.url()})`);
    const row = rev.locator('tr', { hasText: DEPT });
    await row.getByRole('button', { name: /批准/ }).click();
    await rev.getByRole('dialog').locator('textarea').fill(i === 0 ? '市级审核通过' : '自治区审核通过，制章');
    await rev.getByRole('dialog').getByRole('button', { name: /批准 Approve/ }).click();
    await rev.locator('.msg.ok', { hasText: i === 0 ? '转上一级审核' : '印章已制作' }).waitFor();
    await expectLabelled(rev);
    if (i === 0) await shot(rev, '15-city-reviewer-approved');
    await rev.close();
  }
  await dept.goto(`${base}/my/seals`);
  await dept.locator('[data-testid=seal-card]', { hasText: '政务服务电子印章' }).waitFor();
  await shot(dept, '16-department-seal');
  await dept.close();
});

step('revoking the government seal is published (公示)', async () => {
  await op.goto(`${base}/op/seals`);
  const row = op.locator('tr', { hasText: DEPT }).filter({ hasText: '政务服务电子印章' });
  await row.getByRole('button', { name: /注销/ }).click();
  const dialog = op.getByRole('dialog');
  await dialog.locator('textarea[name=reason]').fill('机构职能调整');
  await dialog.getByRole('button', { name: /确定/ }).click();
  await op.locator('.msg.ok', { hasText: '已注销' }).waitFor();
  await visitor.goto(`${base}/public-notices`);
  await visitor.locator('tr', { hasText: DEPT }).filter({ hasText: '注销' }).waitFor();
  await shot(visitor, '17-public-notices');
});

step('operator verifies the audit chain (审计)', async () => {
  await op.goto(`${base}/op/audit`);
  await op.locator('table td', { hasText: 'seal.revoked' }).first().waitFor();
  await op.getByRole('button', { name: /核验审计链/ }).click();
  await op.locator('[data-testid=audit-verify] .msg.ok', { hasText: '审计链完整' }).waitFor();
  await shot(op, '13-operator-audit-verified');
});

step('secrets stay out of URLs and the server log', async () => {
  await new Promise((r) => setTimeout(r, 300));
  const passwords = [OP_PASSWORD, ADMIN_PASSWORD, USER_PASSWORD, REVIEWER_PASSWORD, DEPT_PASSWORD].map((p) => ['password', p]);
  for (const [what, secret] of [['operator token', operatorToken], ...enrolmentCodes.map((c) => ['enrolment code', c]), ...passwords, ['protection password', PASSWORD]]) {
    expect(!serverOutput.includes(secret), `the ${what} appears in the server log`);
  }
  expect(pageErrors.length === 0, `uncaught errors in the pages: ${pageErrors.join('; ')}`);
});

// ---- run ----

let passed = 0;
let failed = 0;
let skipped = 0;
let n = 0;
console.log(`ui.test: eseal ${esealBin}, server ${base}, screenshots in ${outDir}`);
for (const s of steps) {
  n++;
  if (failed) {
    skipped++;
    console.log(`ok ${n} - ${s.name} # SKIP an earlier step failed`);
    continue;
  }
  const t0 = Date.now();
  try {
    await s.fn();
    passed++;
    console.log(`ok ${n} - ${s.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok ${n} - ${s.name}\n  # ${String(e && e.stack ? e.stack : e).split('\n').join('\n  # ')}`);
    // Every page still open, including those a step opened for itself (a department, a reviewer).
    const open = contexts.flatMap((c) => c.pages());
    for (const [i, p] of open.entries()) {
      const label = [['visitor', visitor], ['operator', op], ['admin', admin], ['user', user]].find(([, q]) => q === p)?.[0] || `page${i}`;
      if (!p.isClosed()) await p.screenshot({ path: path.join(outDir, `FAILED-${n}-${label}.png`), fullPage: true }).catch(() => {});
    }
  }
}
if (browser) await browser.close().catch(() => {});
await stopServer();
serverLog.end();
if (!process.env.ESEAL_WEB_KEEP) fs.rmSync(tmpRoot, { recursive: true, force: true });
else console.log(`ui.test: kept ${tmpRoot}`);
console.log(`ui.test: screenshots: ${shots.map((f) => path.basename(f)).join(' ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
