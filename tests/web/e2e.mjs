// End-to-end tests of the analysts' page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against the real server.
// Usage: node e2e.mjs BASE_URL SCREENSHOT_DIR CSV_FILE API_KEY
// Prints "ok - ..." / "not ok - ..." per check (tests/web.sh counts them).
import { chromium } from "playwright-core";

const [base, shots, csv, key] = process.argv.slice(2);
let failed = 0;
const ok = (cond, what) => {
  console.log(`${cond ? "ok" : "not ok"} - ${what}`);
  if (!cond) failed++;
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("requestfailed", (r) => { if (!r.url().startsWith(base)) errors.push("left the server: " + r.url()); });

try {
  await page.goto(base + "/", { waitUntil: "networkidle" });
  ok(await page.title() === "vigil — sanctions screening", "the page is served by vigil serve");

  // the server needs a key: the page asks for one, refuses a wrong one, signs in with the right one
  await page.waitForSelector("#page-signin:not([hidden])", { timeout: 5000 });
  ok(await page.locator("#page-search").isHidden(), "before signing in, the page shows only the sign-in form");
  await page.locator("#signin-key").fill("vigil_" + "0".repeat(64));
  await page.locator("#signin-go").click();
  await page.waitForFunction(() => document.querySelector("#signin-status").textContent.length > 0);
  ok(await page.locator("#page-search").isHidden(), "a wrong key does not sign in");
  await page.locator("#signin-key").fill(key);
  await page.locator("#signin-go").click();
  await page.waitForSelector("#page-search:not([hidden])", { timeout: 5000 });
  ok((await page.locator("#who").innerText()).includes("ana (analyst)"), "signed in, the page names the user and role");
  const cookies = await page.context().cookies();
  const sc = cookies.find((c) => c.name === "vigil_session");
  ok(sc && sc.httpOnly && sc.sameSite === "Strict", "the session cookie is HttpOnly and SameSite=Strict");
  ok(await page.evaluate(() => !document.cookie.includes("vigil_session")), "the page's script cannot read the session cookie");

  // search as you type: Бастрыкин finds the EU and the UK entries
  await page.locator("#q").pressSequentially("Бастрыкин", { delay: 30 });
  await page.waitForSelector("#results tbody tr >> text=14980080", { timeout: 10000 });
  const rows = await page.locator("#results tbody tr:not(.detail)").allInnerTexts();
  ok(rows.some((r) => r.includes("14980080")), "the EU Global Human Rights entry (eu:14980080) is found");
  ok(rows.some((r) => r.includes("GHR0011")), "the UK entry GHR0011 is found");
  // why it matched, in plain words
  await page.locator("#results tbody tr:not(.detail) button.why").first().click();
  const why = await page.locator("#results tr.detail:not([hidden])").first().innerText();
  ok(/bastrykin/i.test(why) && /the same word|typing error|spelt alike/.test(why), "the explanation names the paired words and why");
  // keyboard: the filters are reachable, the date of birth counts as evidence
  await page.locator("#dob").fill("1953-08-27");
  await page.waitForFunction(() => document.querySelector("#search-status").textContent.includes("result"));
  await page.waitForTimeout(400);
  await page.locator("#results tbody tr:not(.detail) button.why").first().click();
  const why2 = await page.locator("#results tr.detail:not([hidden])").first().innerText();
  ok(/same date of birth/.test(why2), "a date of birth shows as evidence");
  await page.screenshot({ path: `${shots}/search.png`, fullPage: true });

  // the entity page
  await page.locator("#results tbody a", { hasText: "BASTRYKIN" }).first().click();
  await page.waitForSelector("#entity h1", { timeout: 10000 });
  const ent = await page.locator("#entity").innerText();
  ok(/BASTRYKIN/.test(ent) && /Cyrillic/.test(ent), "the entity page shows its names with their scripts");
  ok(/programmes|legal basis|listed on/i.test(ent), "the entity page shows the regime and listing");
  ok(/List version/.test(ent) && /SHA-256/.test(ent), "the entity page names its list version");
  await page.screenshot({ path: `${shots}/entity.png`, fullPage: true });

  // the lists page
  await page.locator("nav a", { hasText: "Lists" }).click();
  await page.waitForSelector("#lists tbody tr", { timeout: 10000 });
  const lists = await page.locator("#lists").innerText();
  ok(/eu-fsf/.test(lists) && /8017/.test(lists), "the lists page shows the versions and counts");
  await page.screenshot({ path: `${shots}/lists.png`, fullPage: true });

  // a CSV upload returns results
  await page.locator("nav a", { hasText: "Batch" }).click();
  await page.setInputFiles("#batch-file", csv);
  await page.locator("#batch-go").click();
  await page.waitForSelector("#batch-downloads:not([hidden])", { timeout: 30000 });
  const status = await page.locator("#batch-status").innerText();
  ok(/done/.test(status), "the batch finishes, with its progress shown: " + status);
  await page.waitForSelector("#batch-alerts:not([hidden])", { timeout: 10000 });
  const alerts = await page.locator("#batch-alerts").innerText();
  ok(/PUTIN/i.test(alerts), "the batch's alerts list the listed entity");
  const dl = await page.evaluate(async () => (await fetch(document.querySelector("#dl-csv").href)).text());
  ok(dl.startsWith("row,id,status") && /PUTIN/.test(dl), "the results download as CSV");
  await page.screenshot({ path: `${shots}/batch.png`, fullPage: true });

  // signing out ends the session: the next call is refused and the page asks again
  await page.locator("#signout").click();
  await page.waitForSelector("#page-signin:not([hidden])", { timeout: 5000 });
  const after = await page.evaluate(async () => (await fetch("/catalog")).status);
  ok(after === 401, "after signing out the session is refused (401)");

  ok(errors.length === 0, "no script errors and no request outside the server" + (errors.length ? ": " + errors.join("; ") : ""));
} catch (err) {
  ok(false, "the page works end to end: " + err.message.split("\n")[0]);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
