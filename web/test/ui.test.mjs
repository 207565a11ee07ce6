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
let context;

async function shot(page, name) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function newPage(label) {
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

async function signIn(page, token) {
  await page.goto(`${base}/login`);
  // Keyboard only: the token field has focus; type and press Enter.
  await page.locator('input[name=token]').focus();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=who]').waitFor();
  expect(!page.url().includes(token), 'the token must never appear in the URL');
  const stored = await page.evaluate(() => ({ s: sessionStorage.getItem('eseal.token'), l: JSON.stringify(localStorage) }));
  expect(stored.s === token, 'the token is kept in sessionStorage');
  expect(!stored.l.includes(token), 'the token is not in localStorage');
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
let deptToken = '';
const reviewerTokens = [];
const HOLDER = '广西示范科技有限公司';
const PASSWORD = 'Seal-Passw0rd-2026';
let operatorToken = '';
let adminToken = '';
let userToken = '';
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
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
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

step('operator signs in with the bearer token (keyboard only)', async () => {
  op = await newPage('operator');
  await signIn(op, operatorToken);
  await op.locator('nav a', { hasText: '登记' }).waitFor();
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
    const r = await fetch('/api/v1/anchors', { headers: { Authorization: `Bearer ${sessionStorage.getItem('eseal.token')}` } });
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

step('operator creates the enterprise administrator account', async () => {
  const row = op.locator('tr', { hasText: USCC });
  await row.getByRole('button', { name: '创建管理员账户' }).click();
  const dialog = op.getByRole('dialog');
  await dialog.waitFor();
  await expectLabelled(op);
  await shot(op, '04-create-admin-dialog');
  await dialog.getByRole('button', { name: /创建 Create/ }).click();
  adminToken = ((await op.locator('[data-testid=new-token]').textContent()) || '').trim();
  expect(adminToken.length > 10, 'the new account token is shown once');
});

step('administrator applies for a contract seal (合同专用章)', async () => {
  admin = await newPage('admin');
  await signIn(admin, adminToken);
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
  expect((await admin.evaluate(() => sessionStorage.getItem('eseal.token'))) !== null, 'a wrong seal password does not sign the user out');
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

step('the usage register (用章登记) lists the signature', async () => {
  await admin.goto(`${base}/my/signatures`);
  await admin.locator('table td', { hasText: 'helloworld' }).first().waitFor();
  await shot(admin, '09-admin-usage-register');
});

step('administrator adds a user (用章人) and grants the seal', async () => {
  await admin.goto(`${base}/my/users`);
  await admin.locator('input[name=user_name]').fill('王五');
  await admin.getByRole('button', { name: /创建用章人账户/ }).click();
  userToken = ((await admin.locator('[data-testid=new-token]').textContent()) || '').trim();
  expect(userToken.length > 10, 'the user token is shown once');
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
  await signIn(user, userToken);
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
    reviewerTokens.push(((await box.locator('[data-testid=new-token]').textContent()) || '').trim());
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
  deptToken = ((await deptBox.locator('[data-testid=new-token]').textContent()) || '').trim();
  expect(deptToken.length > 10 && reviewerTokens.every((t) => t.length > 10), 'tokens for the department and the reviewers');
  await shot(op, '14-operator-government-setup');
});

step('a department applies for a 政务服务电子印章; the city, then the region reviewer approve (逐级审核)', async () => {
  const dept = await newPage('department');
  await signIn(dept, deptToken);
  await dept.goto(`${base}/my/apply`);
  // The form is drawn after the page has fetched the holder; wait for it before reading it.
  await dept.locator('select[name=seal_kind]').waitFor();
  const kinds = await dept.locator('select[name=seal_kind] option').evaluateAll((os) => os.map((o) => o.value));
  expect(kinds.length === 1 && kinds[0] === 'gov-service', `a department applies for government-service seals (${kinds})`);
  await dept.locator('input[name=password]').fill(PASSWORD);
  await dept.locator('input[name=password2]').fill(PASSWORD);
  await dept.getByRole('button', { name: /提交申请/ }).click();
  await dept.locator('.msg.ok', { hasText: '申请已提交' }).waitFor();
  for (const [i, token] of reviewerTokens.entries()) {
    const rev = await newPage(`reviewer${i}`);
    await signIn(rev, token);
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
  for (const [what, secret] of [['operator token', operatorToken], ['admin token', adminToken], ['user token', userToken], ['department token', deptToken], ...reviewerTokens.map((t) => ['reviewer token', t]), ['protection password', PASSWORD]]) {
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
    const open = context ? context.pages() : [];
    for (const [i, p] of open.entries()) {
      const label = [['visitor', visitor], ['operator', op], ['admin', admin], ['user', user]].find(([, q]) => q === p)?.[0] || `page${i}`;
      if (!p.isClosed()) await p.screenshot({ path: path.join(outDir, `FAILED-${n}-${label}.png`), fullPage: true }).catch(() => {});
    }
  }
}
if (context) await context.close().catch(() => {});
await stopServer();
serverLog.end();
if (!process.env.ESEAL_WEB_KEEP) fs.rmSync(tmpRoot, { recursive: true, force: true });
else console.log(`ui.test: kept ${tmpRoot}`);
console.log(`ui.test: screenshots: ${shots.map((f) => path.basename(f)).join(' ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
