#!/usr/bin/python3
"""The helpdesk's web pages in a real browser (issue 27).

Builds the demo federation (tools/demo) with the toegang CLI, starts
`toegang serve` with an admin listener on a free port of 127.0.0.1, and
drives headless Chromium through Selenium:

  - search a denied person by INSZ; the URL holds no INSZ; the page reads
    the reason, the manual's section and who can fix it with role and
    contact;
  - switch the language;
  - open the enterprise's page and see the delegation picture (SVG);
  - a person named <script>alert(1)</script> is shown as text: no alert,
    no console error;
  - screenshots of the person's and the enterprise's page into the docs
    folder (demo data only: fictitious persons);
  - without the trusted actor header the pages are read-only (no form
    that changes anything);
  - with it (`serve --actor-header`, here set by the browser as the
    authenticating proxy would): as the HTB, add a user and grant the
    right, then see the person allowed; a refused step shows the refusal
    and who can take it instead; a step that cascades asks for
    confirmation first; the <script> name still does not run.

  web_selenium.py TOEGANG DEMO_DIR SCREENSHOT_DIR

Exit 0 when all pass, 1 on a failure, 77 (CTest: skipped) when Chromium,
chromedriver or python3-selenium is missing, except under CI=true, where
that is a failure (tools/setup-deps.sh installs them).
"""
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

NAME = "web_selenium"
WV = "78051212326"      # Greet Willems
HTB = "82010124596"     # Koen Maes
TB = "69072331112"      # Sofie Jacobs
COTB = "90031540289"    # Pieter Smet
USER1 = "75113051741"   # Lotte Aerts
USER2 = "88080862668"   # Jonas Wuyts: his right is revoked
SCRIPT = "70020201155"  # a person named <script>alert(1)</script>
NEW = "95021473380"     # Elif Yilmaz: added by the HTB on the page
ACTOR_HEADER = "X-Toegang-Actor"
SCRIPT_NAME = "<script>alert(1)</script>"
KBO = "0412345614"
HCO = "1100234"


def missing(what):
    if os.environ.get("CI") == "true":
        print(f"{NAME}: FAILED: {what} is missing, and CI must run this test "
              "(tools/setup-deps.sh installs it)", file=sys.stderr)
        sys.exit(1)
    print(f"{NAME}: skipped: {what} is missing (tools/setup-deps.sh "
          "installs it)")
    sys.exit(77)


def find_browser():
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver"
        if os.path.exists("/usr/bin/chromedriver") else None)
    if not chromium:
        missing("chromium")
    if not driver:
        missing("chromedriver (Debian's chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing("python3-selenium")
    return chromium, driver


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def expect(self, what, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok: {what}")
        else:
            self.failed += 1
            print(f"FAILED: {what} {detail}", file=sys.stderr)


def cli(toegang, db, *args, expect_exit=0):
    run = subprocess.run([toegang, "--db", db, *args], capture_output=True,
                         text=True, timeout=60)
    if run.returncode != expect_exit:
        raise RuntimeError(f"toegang {' '.join(args)}: exit {run.returncode}"
                           f"\n{run.stdout}{run.stderr}")
    return run.stdout


def build_federation(toegang, demo, work):
    db = os.path.join(work, "demo.db")
    cli(toegang, db, "init")
    cli(toegang, db, "import", "kbo", "--enterprises",
        os.path.join(demo, "enterprise.csv"), "--denominations",
        os.path.join(demo, "denomination.csv"))
    cli(toegang, db, "import", "persons", os.path.join(demo, "persons.csv"))
    extra = os.path.join(work, "script.csv")
    with open(extra, "w", encoding="utf-8") as f:
        f.write(f'insz,name\n{SCRIPT},"{SCRIPT_NAME}"\n')
    cli(toegang, db, "import", "persons", extra)
    cli(toegang, db, "import", "functions", os.path.join(demo, "functions.csv"))
    cli(toegang, db, "import", "facilities",
        os.path.join(demo, "facilities.csv"))
    cli(toegang, db, "htb", "appoint", "--kbo", KBO, "--insz", HTB, "--email",
        "koen.maes@broeders.example", "--phone", "+32 9 123 45 67", "--by", WV)
    cli(toegang, db, "hoedanigheid", "activate", "--kbo", KBO, "--by", HTB)
    cli(toegang, db, "tb", "set", "--kbo", KBO, "--insz", TB, "--by", HTB)
    cli(toegang, db, "tb", "add-co", "--kbo", KBO, "--insz", COTB, "--by", HTB)
    cli(toegang, db, "subafdeling", "create", "--kbo", KBO, "--hco", HCO,
        "--email", "toegang@broeders.example", "--authorize", "ama-wvg",
        "--by", TB)
    cli(toegang, db, "user", "add", "--hco", HCO, "--insz", USER1, "--right",
        "ama-wvg", "--by", TB)
    cli(toegang, db, "user", "add", "--hco", HCO, "--insz", USER2, "--right",
        "ama-wvg", "--by", COTB)
    cli(toegang, db, "user", "revoke", "--hco", HCO, "--insz", USER2,
        "--right", "ama-wvg", "--by", COTB)
    cli(toegang, db, "user", "add", "--hco", HCO, "--insz", SCRIPT, "--by", TB)
    return db


def start_serve(toegang, db):
    serve = subprocess.Popen(
        [toegang, "--json", "--db", db, "serve", "--listen", "127.0.0.1:0",
         "--admin-listen", "127.0.0.1:0", "--follow-ms", "0",
         "--actor-header", ACTOR_HEADER],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([serve.stdout], [], [],
                                    max(0.0, deadline - time.monotonic()))
        if ready:
            line = serve.stdout.readline()
            if not line:
                break
            return serve, json.loads(line)["admin_port"]
    serve.kill()
    raise RuntimeError("toegang serve did not print its ports: "
                       + serve.stderr.read())


def stop_serve(serve):
    serve.send_signal(signal.SIGTERM)
    try:
        return serve.wait(timeout=10)
    except subprocess.TimeoutExpired:
        serve.kill()
        serve.wait()
        return -1


# Screenshots go into the docs: mask every INSZ on the page first (the
# date part stays, the rest becomes ***.**, as in the delegation picture),
# in the browser's copy of the page only. WebDriver's script is not the
# page's, so the page's Content-Security-Policy does not apply to it.
MASK_INSZ = r"""
const full = /\b(\d{2}\.\d{2}\.\d{2})-\d{3}\.\d{2}\b/g;
const bare = /\b(\d{2})(\d{2})(\d{2})\d{5}\b/g;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let masked = 0;
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const text = n.nodeValue
      .replace(full, (m, day) => day + "-***.**")
      .replace(bare, (m, y, mo, d) => y + "." + mo + "." + d + "-***.**");
  if (text !== n.nodeValue) { n.nodeValue = text; masked++; }
}
return masked;
"""


def masked_screenshot(browser, checks, path):
    masked = browser.execute_script(MASK_INSZ)
    checks.expect("INSZ numbers masked before the screenshot " + path,
                  masked > 0 and not re.search(
                      r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}",
                      browser.find_element("tag name", "body").text),
                  str(masked))
    browser.save_screenshot(path)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    toegang, demo, shots = sys.argv[1:4]
    chromium, driver_path = find_browser()
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    checks = Checks()
    work = tempfile.mkdtemp(prefix="toegang-web-")
    serve = None
    browser = None
    try:
        db = build_federation(toegang, demo, work)
        serve, port = start_serve(toegang, db)
        base = f"http://127.0.0.1:{port}"

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1100,1500",
                    f"--user-data-dir={work}/profile"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        browser = webdriver.Chrome(service=Service(driver_path),
                                   options=options)
        wait = WebDriverWait(browser, 20)

        def search(text):
            box = wait.until(ec.presence_of_element_located((By.ID, "q")))
            box.clear()
            box.send_keys(text)
            box.submit()

        # 1. A denied person, by INSZ in display form: reason and fixers.
        browser.get(base + "/")
        checks.expect("the start page is Dutch",
                      browser.find_element(By.TAG_NAME, "html")
                      .get_attribute("lang") == "nl")
        search("88.08.08-626.68")
        wait.until(ec.presence_of_element_located((By.ID, "decisions")))
        url = browser.current_url
        checks.expect("the person's page is reached by a token, no INSZ in "
                      "the URL", "/p/" in url and "880808" not in url
                      and "626" not in url, url)
        row = browser.find_element(By.ID, "app-ama-wvg").text
        checks.expect("the denial reads in Dutch", "geweigerd" in row, row)
        checks.expect("the reason and the manual's section",
                      "recht ontbreekt" in row and "handleiding 3.7" in row,
                      row)
        checks.expect("who can fix it, with role and contact",
                      "Sofie Jacobs" in row and "Pieter Smet" in row
                      and "Koen Maes" in row and "HTB" in row
                      and "koen.maes@broeders.example" in row, row)

        # 2. The language switch.
        browser.find_element(By.ID, "lang-switch").click()
        wait.until(lambda b: b.find_element(By.TAG_NAME, "html")
                   .get_attribute("lang") == "en")
        row = browser.find_element(By.ID, "app-ama-wvg").text
        checks.expect("the same page in English",
                      "denied" in row and "right missing" in row
                      and "manual 3.7" in row, row)
        os.makedirs(shots, exist_ok=True)
        masked_screenshot(browser, checks, os.path.join(shots, "web-person.png"))

        # 3. The enterprise's page with its picture.
        search("BE 0412.345.614")
        picture = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, "#picture svg")))
        checks.expect("the enterprise page draws the picture as SVG",
                      picture.is_displayed()
                      and picture.size["width"] > 100, str(picture.size))
        svg = picture.get_attribute("outerHTML")
        checks.expect("INSZ numbers are masked in the picture",
                      HTB not in svg and "***" in svg)
        checks.expect("the audit is on the page",
                      "user.revoke" in browser.find_element(By.TAG_NAME,
                                                            "main").text)
        masked_screenshot(browser, checks, os.path.join(shots, "web-enterprise.png"))
        browser.get_log("browser")  # clear what came before

        # 4. A name that looks like a script stays text.
        search(SCRIPT)
        heading = wait.until(ec.presence_of_element_located(
            (By.ID, "person-name")))
        checks.expect("the <script> name is shown as text",
                      heading.text == SCRIPT_NAME, heading.text)
        search("<scr")
        wait.until(ec.presence_of_element_located((By.ID, "hits")))
        checks.expect("the name search lists it as text",
                      SCRIPT_NAME in browser.find_element(By.ID, "hits").text)
        browser.get(f"{base}/enterprise/{KBO}")
        wait.until(ec.presence_of_element_located((By.ID, "picture")))
        try:
            alert = browser.switch_to.alert
            checks.expect("no alert", False, alert.text)
        except NoAlertPresentException:
            checks.expect("no alert", True)
        severe = [e for e in browser.get_log("browser")
                  if e.get("level") == "SEVERE"]
        checks.expect("no console error", not severe, str(severe))

        # 5. No actor asserted: the pages only read.
        step_forms = (By.CSS_SELECTOR, "form[action='/step']")
        for page in (f"/enterprise/{KBO}", f"/facility/{HCO}"):
            browser.get(base + page)
            wait.until(ec.presence_of_element_located((By.ID, "main")))
            checks.expect("without the trusted header no form changes "
                          "anything on " + page,
                          not browser.find_elements(*step_forms)
                          and not browser.find_elements(By.ID, "actor"))

        # 6. The authenticating proxy asserts the HTB (here the browser
        # sets the header, as the proxy in front of the admin listener).
        def act_as(insz):
            browser.execute_cdp_cmd("Network.enable", {})
            browser.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                                    {"headers": {ACTOR_HEADER: insz}})

        def member_row(name):
            return browser.find_element(
                By.XPATH, f"//tr[td[contains(., '{name}')]]")

        act_as(HTB)
        browser.get(f"{base}/facility/{HCO}")
        add = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, "form[id^='step-add-user-']")))
        checks.expect("as the HTB the facility page offers the steps",
                      "82.01.01-245.96" in browser.find_element(
                          By.ID, "actor").text)
        add.find_element(By.NAME, "insz").send_keys("95.02.14-733.80")
        add.find_element(By.TAG_NAME, "button").click()
        done = wait.until(ec.presence_of_element_located((By.ID, "done")))
        checks.expect("the user is added", "user.add" in done.text, done.text)
        browser.find_element(By.ID, "back").click()
        row = wait.until(lambda b: member_row("Elif Yilmaz"))
        grant = row.find_element(By.CSS_SELECTOR, "form[id^='grant-']")
        grant.find_element(By.TAG_NAME, "button").click()
        done = wait.until(ec.presence_of_element_located((By.ID, "done")))
        checks.expect("the right is granted", "user.grant" in done.text,
                      done.text)
        search(NEW)
        row = wait.until(ec.presence_of_element_located(
            (By.ID, "app-ama-wvg"))).text
        checks.expect("then the person is allowed", "allowed" in row
                      and "denied" not in row, row)
        checks.expect("the URL still holds no INSZ",
                      NEW not in browser.current_url, browser.current_url)

        # 7. A refused step: the HTB is no WV, so appointing the HTB is
        # refused on the page, naming the WV who can.
        browser.get(f"{base}/enterprise/{KBO}")
        wait.until(ec.presence_of_element_located((By.ID, "steps")))
        steps = browser.find_element(By.ID, "steps")
        refusals = steps.find_elements(By.CLASS_NAME, "refusal")
        checks.expect("a refused step shows the refusal and who can act",
                      refusals and "not_authorized" in refusals[0].text
                      and "Greet Willems" in refusals[0].text
                      and not browser.find_elements(By.ID, "step-htb"),
                      refusals[0].text if refusals else "no refusal")
        # A user who manages nothing sees the refusal instead of the forms.
        act_as(USER1)
        browser.get(f"{base}/facility/{HCO}")
        wait.until(ec.presence_of_element_located((By.ID, "main")))
        refusal = browser.find_elements(By.CLASS_NAME, "refusal")
        checks.expect("a user who manages nothing is refused, with who can",
                      refusal and "Koen Maes" in refusal[0].text
                      and not browser.find_elements(
                          By.CSS_SELECTOR, "form[id^='step-add-user-']"),
                      refusal[0].text if refusal else "no refusal")

        # 8. A cascade asks first: removing a user revokes the rights.
        act_as(HTB)
        browser.get(f"{base}/facility/{HCO}")
        row = wait.until(lambda b: member_row("Elif Yilmaz"))
        row.find_element(By.CSS_SELECTOR, "form[id^='remove-'] button").click()
        confirm = wait.until(ec.presence_of_element_located(
            (By.ID, "confirm-step")))
        cascade = browser.find_element(By.ID, "cascade").text
        checks.expect("a cascade asks for confirmation, naming it",
                      "Elif Yilmaz" in cascade, cascade)
        checks.expect("no INSZ in the URL of the confirmation",
                      NEW not in browser.current_url)
        confirm.find_element(By.TAG_NAME, "button").click()
        wait.until(ec.presence_of_element_located((By.ID, "done")))
        done = browser.find_element(By.TAG_NAME, "main").text
        checks.expect("confirmed, the user is removed with the right",
                      "user.remove" in done and "user.revoke" in done, done)

        # 9. With the forms on the page, the <script> name is still text.
        browser.get_log("browser")
        browser.get(f"{base}/facility/{HCO}")
        wait.until(ec.presence_of_element_located((By.ID, "main")))
        checks.expect("the <script> name is text among the forms",
                      SCRIPT_NAME in browser.find_element(
                          By.TAG_NAME, "main").text)
        try:
            alert = browser.switch_to.alert
            checks.expect("no alert with the forms", False, alert.text)
        except NoAlertPresentException:
            checks.expect("no alert with the forms", True)
        severe = [e for e in browser.get_log("browser")
                  if e.get("level") == "SEVERE"]
        checks.expect("no console error with the forms", not severe,
                      str(severe))

        # 10. The HTB names a manager (beheerder) of the subafdeling, typed
        # into the form; the page then offers to remove them again.
        form = browser.find_element(By.CSS_SELECTOR,
                                    "form[id^='step-add-manager-']")
        form.find_element(By.NAME, "insz").send_keys("95.02.14-733.80")
        form.find_element(By.TAG_NAME, "button").click()
        done = wait.until(ec.presence_of_element_located((By.ID, "done")))
        checks.expect("a manager is named on the page",
                      "subafdeling.add-beheerder" in done.text, done.text)
        browser.find_element(By.ID, "back").click()
        removals = wait.until(lambda b: b.find_elements(
            By.CSS_SELECTOR, "form[id^='remove-manager-'] button"))
        checks.expect("the new manager can be removed again",
                      any("Elif Yilmaz" in b.text for b in removals),
                      str([b.text for b in removals]))
        checks.expect("no INSZ in the URL after naming a manager",
                      NEW not in browser.current_url, browser.current_url)
    finally:
        if browser is not None:
            browser.quit()
        if serve is not None:
            checks.expect("toegang serve stops cleanly on SIGTERM",
                          stop_serve(serve) == 0)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{NAME}: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
