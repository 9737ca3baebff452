// End-to-end tests of the analysts' page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against the real server.
// Usage: node e2e.mjs BASE_URL SCREENSHOT_DIR CSV_FILE ANALYST_KEY REVIEWER_KEY
//        CUSTOMERS_CSV LOAD_NEWER_LIST_SCRIPT
// Prints "ok - ..." / "not ok - ..." per check (tests/web.sh counts them).
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const [base, shots, csv, key, reviewerKey, baseCsv, loadNewer] = process.argv.slice(2);
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
  await page.locator("#signin-status", { hasText: /\S/ }).waitFor({ timeout: 5000 });
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
  await page.locator("#search-status", { hasText: /result/ }).waitFor({ timeout: 10000 });
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

  // ------------------------------------------------ the analyst's day
  const signInAs = async (k) => {
    await page.waitForSelector("#page-signin:not([hidden])", { timeout: 5000 });
    await page.locator("#signin-key").fill(k);
    await page.locator("#signin-go").click();
    await page.waitForSelector("#who:not([hidden])", { timeout: 5000 });
  };
  // import the customer base, with its progress and what was refused
  await page.goto(base + "/#/customers");
  await page.waitForSelector("#page-customers:not([hidden])");
  await page.locator("details.import summary").click();
  await page.setInputFiles("#import-file", baseCsv);
  await page.locator("#import-go").click();
  await page.locator("#import-status", { hasText: /customers held/ }).waitFor({ timeout: 20000 });
  const imp = await page.locator("#import-status").innerText();
  ok(/3 added/.test(imp) && /1 refused/.test(imp) && /row 4/.test(imp), "customers import from the page, a refused row named: " + imp);
  await page.waitForSelector("#customers tbody tr >> text=k1");
  ok((await page.locator("#customers tbody tr").count()) === 3, "the customers are listed");
  // re-screen from the page
  await page.locator("nav a", { hasText: "Runs" }).click();
  await page.locator("#rescreen-go").click();
  await page.locator("#rescreen-status", { hasText: /new alert/ }).waitFor({ timeout: 60000 });
  ok(/run 1: [1-9]\d* new alert/.test(await page.locator("#rescreen-status").innerText()), "a re-screen started from the page raises alerts");
  await page.waitForSelector("#runs tbody tr td >> text=ofac v");
  // the queue, worked with the keyboard
  await page.locator("nav a", { hasText: "Alerts" }).click();
  await page.waitForSelector("#queue tbody tr");
  const queued = await page.locator("#queue tbody tr").count();
  ok(queued >= 1 && /Slizhevsky/i.test(await page.locator("#queue").innerText()), `the queue shows the open alerts (${queued})`);
  await page.screenshot({ path: `${shots}/queue.png`, fullPage: true });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#alert h1", { timeout: 10000 });
  ok(/^#\/alert\/\d+$/.test(await page.evaluate(() => location.hash)), "Enter opens the selected alert");
  const alertText = await page.locator("#alert").innerText();
  ok(/Customer/.test(alertText) && /Listed entity/.test(alertText) && /Why it matched/.test(alertText), "the alert shows customer and entity side by side, and why");
  const alertUrl = await page.evaluate(() => location.hash);
  await page.screenshot({ path: `${shots}/alert.png`, fullPage: true });
  // propose (four eyes), then a second user approves
  await page.locator("#decide-fp").check();
  await page.locator("#decide-note").fill("another man: the listed one has other dates and places");
  await page.locator("#decide-go").click();
  await page.waitForSelector("#alert .status.pending", { timeout: 10000 });
  ok(/ana proposes: false positive/.test(await page.locator("#alert").innerText()), "under four eyes the decision is a proposal, awaiting review");
  await page.locator("#signout").click();
  await signInAs(reviewerKey);
  await page.goto(base + "/" + alertUrl);
  await page.waitForSelector("#review-approve", { timeout: 10000 });
  await page.locator("#decide-note").fill("agreed");
  await page.locator("#review-approve").click();
  await page.waitForSelector("#alert .status.false-positive", { timeout: 10000 });
  ok(/rita/.test(await page.locator("#alert").innerText()), "a reviewer approves it: the alert is a false positive");
  // the audit trail
  await page.locator("nav a", { hasText: "Audit" }).click();
  await page.waitForSelector("#audit tbody tr");
  const trail = await page.locator("#audit").innerText();
  ok(/rita\s+approved/.test(trail) && /ana\s+proposed/.test(trail) && /imported/.test(trail), "the audit trail shows the proposal, the approval and the import");
  // a list change raises a new alert
  execFileSync(loadNewer, { stdio: "ignore" });
  await page.locator("nav a", { hasText: "Changes" }).click();
  await page.locator("#changes-list").selectOption("ofac");
  await page.locator("#changes-status", { hasText: /added/ }).waitFor({ timeout: 20000 });
  ok(/21845/.test(await page.locator("#changes").innerText()), "the list-changes view shows the entity the new version added");
  await page.screenshot({ path: `${shots}/changes.png`, fullPage: true });
  await page.locator("nav a", { hasText: "Runs" }).click();
  await page.locator("#rescreen-go").click();
  await page.locator("#rescreen-status", { hasText: /run 2:/ }).waitFor({ timeout: 60000 });
  await page.goto(base + "/#/alerts?list=ofac");
  await page.waitForSelector("#queue tbody tr >> text=HAKIMZADA", { timeout: 10000 });
  ok(true, "after the list change, the re-screen alerts on the newly listed customer");
  // a shared search link reopens the same results
  const shared = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await shared.context().addCookies(await page.context().cookies());
  await shared.goto(base + "/#/search?q=%D0%91%D0%B0%D1%81%D1%82%D1%80%D1%8B%D0%BA%D0%B8%D0%BD&threshold=0.8");
  await shared.waitForSelector("#results tbody tr >> text=14980080", { timeout: 10000 });
  ok((await shared.locator("#q").inputValue()) === "Бастрыкин" && (await shared.locator("#threshold").inputValue()) === "0.8", "a shared search link reopens the same search and its results");
  // the same man on the EU and OFAC lists (same name, same date of birth) is one row
  await shared.goto(base + "/#/search?q=Morteza%20Tamaddon");
  await shared.locator("#results tbody", { hasText: "on 2 lists" }).waitFor({ timeout: 10000 });
  const grouped = await shared.locator("#results tbody tr:not(.detail)", { hasText: "on 2 lists" }).first().innerText();
  ok(/eu 10681612/.test(grouped) && /ofac 16646/.test(grouped), "one person on two lists is one row naming both entries: " + grouped.replace(/\s+/g, " "));
  await shared.close();
  // 1,400 and 400 pixels wide: nothing runs off the screen
  for (const [w, h] of [[1400, 900], [400, 800]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const hash of ["#/alerts?status=any", alertUrl, "#/search?q=Bastrykin"]) {
      await page.goto(base + "/" + hash);
      await page.waitForTimeout(600);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      ok(over <= 1, `at ${w} px ${hash.split("?")[0]} fits the screen (overflow ${over} px)`);
      await page.screenshot({ path: `${shots}/${hash.replace(/[^a-z]/g, "") || "page"}-${w}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1366, height: 820 });
  // a batch's customers kept: imported and re-screened, their hits alerts in the queue
  await page.goto(base + "/#/batch");
  await page.setInputFiles("#batch-file", csv);
  await page.locator("#batch-go").click();
  await page.waitForSelector("#batch-downloads:not([hidden])", { timeout: 30000 });
  await page.locator("#batch-keep").click();
  await page.locator("#batch-keep-status", { hasText: /new alert/ }).waitFor({ timeout: 60000 });
  ok(/3 added/.test(await page.locator("#batch-keep-status").innerText()), "a batch's customers are added and re-screened from the batch page: " + (await page.locator("#batch-keep-status").innerText()));
  await page.goto(base + "/#/alerts?list=eu");
  await page.waitForSelector("#queue tbody tr >> text=PUTIN", { timeout: 10000 });
  ok(true, "the batch's hit on Putin is an alert in the queue");

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
