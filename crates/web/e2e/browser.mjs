// Real-browser end-to-end test of `attune serve --demo`: headless Chromium driven through
// chromedriver's W3C WebDriver protocol (plain fetch, no npm packages).
//
//   node crates/web/e2e/browser.mjs target/debug/attune
//
// It opens the demo vault, creates a trigger through the form choosing a group and a type
// (checking the type list follows the group), sees it on the type page, edits a field,
// checks the files on disk, and checks that an edit made on disk by another program shows
// up on an open page without a reload, that an embedded image shows, and that the Insights
// page draws its charts. Exits non-zero on the first failure.

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createServer } from "node:net";

const attune = process.argv[2] || "target/debug/attune";
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const chromedriver = process.env.CHROMEDRIVER || "/usr/bin/chromedriver";
const children = [];
let profile = null;

function step(text) {
  console.log(`==> ${text}`);
}
function fail(text) {
  throw new Error(text);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function start(cmd, args, onLine) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let buffer = "";
  const feed = (chunk) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (onLine) onLine(line);
    }
  };
  child.stdout.on("data", feed);
  child.stderr.on("data", feed);
  return child;
}

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(150);
  }
  fail(`timed out waiting for ${what} (last: ${last})`);
}

// ---- WebDriver
let driver, session;
async function wd(method, path, body) {
  const r = await fetch(`${driver}/session/${session}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (json.value && json.value.error) fail(`${method} ${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
}
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const go = (url) => wd("POST", "/url", { url });
const url = () => wd("GET", "/url");
const source = () => wd("GET", "/source");
const find = async (css) => elementId(await wd("POST", "/element", { using: "css selector", value: css }), css);
const findX = async (xpath) => elementId(await wd("POST", "/element", { using: "xpath", value: xpath }), xpath);
function elementId(v, what) {
  const id = v && (v[ELEMENT] || v.ELEMENT);
  if (!id) fail(`no element ${what}: ${JSON.stringify(v)}`);
  return id;
}
const click = (el) => wd("POST", `/element/${el}/click`, {});
const type = (el, text) => wd("POST", `/element/${el}/value`, { text });
const clear = (el) => wd("POST", `/element/${el}/clear`, {});
const script = (code, args = []) => wd("POST", "/execute/sync", { script: code, args });
const option = (selectId, text) =>
  findX(`//select[@id='${selectId}']//option[normalize-space(.)='${text}']`);

async function main() {
  step(`start ${attune} serve --demo`);
  const port = await freePort();
  let base = null, vault = null;
  start(attune, ["serve", "--demo", "--port", String(port)], (line) => {
    const m = line.match(/serving (.+) at (http:\/\/\S+)/);
    if (m) { vault = m[1]; base = m[2].replace(/\/$/, ""); }
    if (process.env.E2E_VERBOSE) console.log(`   [attune] ${line}`);
  });
  await until("the server to listen", async () => base && (await fetch(base + "/")).ok);

  step("start chromedriver and a headless Chromium");
  const dport = await freePort();
  start(chromedriver, [`--port=${dport}`]);
  driver = `http://127.0.0.1:${dport}`;
  await until("chromedriver", async () => (await fetch(`${driver}/status`)).ok);
  profile = mkdtempSync(join(tmpdir(), "attune-e2e-profile-"));
  const created = await (await fetch(`${driver}/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      capabilities: {
        alwaysMatch: {
          browserName: "chrome",
          "goog:chromeOptions": {
            binary: chromium,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
              `--user-data-dir=${profile}`, "--window-size=1200,900"],
          },
          "goog:loggingPrefs": { browser: "ALL" },
        },
      },
    }),
  })).json();
  session = created.value.sessionId || fail(`no session: ${JSON.stringify(created)}`);

  step("home page lists the demo's types");
  await go(base + "/");
  const home = await source();
  if (!home.includes("trigger")) fail("the home page does not list triggers");

  const triggers = join(vault, "ME", "🏛️ Foundations", "⚡ Triggers");
  if (!process.env.E2E_ONLY_LIVE) await createAndEdit(base, vault, triggers);
  await liveUpdate(base, triggers);
  step("passed");
}

async function createAndEdit(base, vault, triggers) {
  step("create a trigger: group first, then a type from that group");
  await go(base + "/new/trigger");
  await type(await find("#f-title"), "noisy neighbours upstairs");
  await click(await option("f-trigger_group", "Environmental"));
  const shown = await script(
    "return Array.from(document.querySelectorAll('#f-trigger_type optgroup')).filter(g => !g.hidden).map(g => g.label);",
  );
  if (JSON.stringify(shown) !== JSON.stringify(["Environmental"])) fail(`type list after choosing the group: ${JSON.stringify(shown)}`);
  await click(await option("f-trigger_type", "Loud Noises"));
  await click(await find("button[value=preview]"));
  await until("the preview", async () => (await source()).includes("Preview: new trigger"));
  const preview = await source();
  if (!preview.includes("+trigger_type: Loud Noises")) fail("the preview does not show the type");
  await click(await find("button[value=commit]"));
  await until("the new note's page", async () => (await url()).includes("Noisy%20Neighbours%20Upstairs.md"));
  const notePage = await source();
  if (!notePage.includes("Loud Noises") || !notePage.includes("Environmental")) fail("the note page lacks its values");

  const file = join(triggers, "Noisy Neighbours Upstairs.md");
  step(`check the file on disk: ${file}`);
  if (!existsSync(file)) fail("the note was not written");
  let text = readFileSync(file, "utf8");
  for (const line of ["trigger_group: Environmental", "trigger_type: Loud Noises", "fileClass: trigger"]) {
    if (!text.includes(line)) fail(`the file lacks "${line}":\n${text}`);
  }

  step("the type page lists it");
  await go(base + "/types/trigger");
  if (!(await source()).includes(">Noisy Neighbours Upstairs<")) fail("not on the type page");

  step("edit a field through the form");
  await go(base + "/edit/" + encodeURIComponent("ME/🏛️ Foundations/⚡ Triggers/Noisy Neighbours Upstairs.md").replace(/%2F/g, "/"));
  await click(await option("f-priority", "🔴 High"));
  await click(await find("button[value=commit]"));
  await until("back on the note page", async () => !(await url()).includes("/edit/"));
  text = readFileSync(file, "utf8");
  if (!text.includes("priority: 🔴 High")) fail(`the edit did not reach the file:\n${text}`);
  if (!text.includes("trigger_type: Loud Noises")) fail("the edit lost another field");

}

async function liveUpdate(base, triggers) {
  step("an edit made on disk by another program shows up on the open page");
  const other = join(triggers, "Being Interrupted.md");
  await go(base + "/notes/" + encodeURIComponent("ME/🏛️ Foundations/⚡ Triggers/Being Interrupted.md").replace(/%2F/g, "/"));
  await until("the live connection", async () => (await script("return document.readyState")) === "complete");
  await sleep(500);
  const marker = "Edited elsewhere " + Date.now();
  writeFileSync(other, readFileSync(other, "utf8").replace("Mostly in the evening", marker));
  await until("the page to update itself", async () => (await source()).includes(marker), 15000);
  const sameUrl = await url();
  if (!sameUrl.includes("Being%20Interrupted")) fail("the page navigated away");

  step("the graph draws (cytoscape under the CSP)");
  await go(base + "/graph?class=trigger");
  await until("a drawn graph", async () => (await script("return document.querySelectorAll('#graph canvas').length")) > 0);
  const legend = await script("return Array.from(document.querySelectorAll('#graph-legend li')).map(li => li.textContent)");
  if (!legend.includes("trigger")) fail(`graph legend: ${JSON.stringify(legend)}`);

  step("search answers while typing (htmx under the CSP)");
  await go(base + "/search");
  await type(await find("#q"), "interrupt");
  await until("live results", async () => (await source()).includes("<mark>Interrupt"));

  step("an image embedded with ![[…]] shows on the open page (served from /file/)");
  // A 2×2 PNG, written next to the note, then embedded by an edit on disk: the watcher
  // picks up both files and the open page swaps in the picture.
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4nGM4UWHzH4QZYAwAWIwJ7cmdKOcAAAAASUVORK5CYII=";
  writeFileSync(join(triggers, "calm sea.png"), Buffer.from(png, "base64"));
  writeFileSync(other, readFileSync(other, "utf8") + "\n\n![[calm sea.png]]\n");
  await go(base + "/notes/" + encodeURIComponent("ME/🏛️ Foundations/⚡ Triggers/Being Interrupted.md").replace(/%2F/g, "/"));
  await until("the embedded image", async () => (await script(
    "var i = document.querySelector('img[src^=\"/file/\"]'); return !!(i && i.complete && i.naturalWidth === 2);")), 15000);

  step("insights: the charts draw (Chart.js under the CSP)");
  await go(base + "/insights");
  await until("a drawn chart", async () => (await script(
    "return Array.from(document.querySelectorAll('#insights canvas[data-drawn]')).filter(c => c.width > 0 && c.height > 0).length")) >= 3);
  const painted = await script(
    "var c = document.querySelector('canvas[data-chart=emotions]'); if (!c) return 'no emotions chart';" +
    "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;" +
    "for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) return 'painted'; return 'blank';");
  if (painted !== "painted") fail(`the emotions chart: ${painted}`);
  const tableText = await script("return document.querySelector('#chart-emotions') ? document.querySelector('#insights').textContent : ''");
  if (!tableText.includes("Anxiety")) fail("the emotions chart's table lacks Anxiety");

  step("a phone-width window: no page scrolls sideways; the skip link is the first stop of the keyboard");
  await wd("POST", "/window/rect", { width: 390, height: 844 });
  for (const path of ["/", "/types/trigger", "/insights", "/check", "/lab",
    "/notes/" + encodeURIComponent("ME/🏛️ Foundations/⚡ Triggers/Being Interrupted.md").replace(/%2F/g, "/"),
    "/new/trigger"]) {
    await go(base + path);
    await sleep(300);
    const overflow = await script("return document.documentElement.scrollWidth - window.innerWidth");
    if (overflow > 1) fail(`${path} is ${overflow}px wider than a phone-width window`);
  }
  await wd("POST", "/window/rect", { width: 1200, height: 900 });
  await go(base + "/");
  await wd("POST", "/actions", { actions: [{ type: "key", id: "kb", actions: [{ type: "keyDown", value: "\uE004" }, { type: "keyUp", value: "\uE004" }] }] });
  const focused = await script("return document.activeElement ? document.activeElement.className + ' ' + document.activeElement.getAttribute('href') : ''");
  if (focused !== "skip #main") fail(`first Tab stop: ${focused}`);

  step("no Content-Security-Policy violations or script errors");
  const logs = await fetch(`${driver}/session/${session}/se/log`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "browser" }),
  }).then((r) => r.json()).catch(() => ({ value: [] }));
  const bad = (logs.value || []).filter((l) => l.level === "SEVERE");
  if (bad.length) fail(`browser errors: ${JSON.stringify(bad, null, 1)}`);
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  if (session) {
    try {
      const page = join(tmpdir(), "attune-e2e-last-page.html");
      writeFileSync(page, `<!-- ${await url()} -->\n` + (await source()));
      console.error(`   the page at the failure: ${page}`);
      const logs = await fetch(`${driver}/session/${session}/se/log`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "browser" }),
      }).then((r) => r.json());
      for (const l of logs.value || []) console.error(`   [browser ${l.level}] ${l.message}`);
    } catch (_) { /* the browser is gone */ }
  }
  code = 1;
} finally {
  if (session) await fetch(`${driver}/session/${session}`, { method: "DELETE" }).catch(() => {});
  for (const c of children) c.kill("SIGINT");
  await sleep(300);
  if (profile) rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
