#!/usr/bin/python3
"""Browser test of the reports: makes a small run, a comparison (and one
with --assumptions and --uncertainty assumptions: flags, tornado charts,
the variance split), a sweep (tests/report/officers.yaml: a grid with
outcomes and a PRIM question) and an experiment
(tests/report/policies.yaml: three policies, a Sobol design, PRIM
questions) with --report, opens each report.html in
headless Chromium (Debian's /usr/bin/chromium, driven over the DevTools
protocol on a pipe: no network, no websocket), and checks that every
expected section and kind of figure is there, that every figure loaded
(naturalWidth > 0) with a caption, that the page states its provenance and
loads nothing from outside, and that every figure exists as PNG and SVG.
Keeps a full-page screenshot of each page in --artifacts.

Usage: check_reports.py --readmit build/release/readmit --work DIR --artifacts DIR [--chromium /usr/bin/chromium]
Exits 1 with the reason on the first failure (including a missing Chromium).
"""
import argparse
import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE_TIMEOUT_S = 60
SMALL = ["--set", "horizon_months=30", "--threads", "2"]

EXPECTED = {
    "run": {"sections": ["about", "totals", "stocks", "removals", "decisions", "diplomacy", "visas", "households",
                         "amendments"], "min_figures": 9},
    "compare": {"sections": ["about", "differences", "overlay", "monthly-difference", "scenario-diff"],
                "min_figures": 4},
    "compare_assumptions": {"kind": "compare",
                            "sections": ["about", "differences", "assumptions", "variance", "overlay",
                                         "monthly-difference", "scenario-diff"],
                            "min_figures": 8, "figures": ["paired_differences", "tornado_removals", "variance_split"],
                            "flags": 8},
    "sweep": {"sections": ["about", "design", "outcome-drivers", "outcomes", "prim", "series", "points"],
              "min_figures": 9, "figures": ["design", "sensitivity_outcomes_overview", "tornado_outcome_", "outcome_",
                                            "prim_", "series"]},
    "experiment": {"sections": ["about", "policies", "difference-drivers", "differences", "outcome-drivers",
                                "outcomes", "prim", "design", "series"],
                   "min_figures": 18,
                   "figures": ["policy_levels", "policy_shares", "sensitivity_differences_overview",
                               "tornado_difference_", "difference_", "sensitivity_outcomes_overview",
                               "tornado_outcome_", "outcome_", "prim_", "design"]},
}
# What the page of many points must state, besides the common provenance.
POINTS_PROVENANCE = ["file", "design", "points", "policy", "replications", "git", "run finished"]

PAGE_FACTS = """JSON.stringify({
  kind: document.querySelector('main') && document.querySelector('main').dataset.reportKind,
  title: document.title,
  h1: (document.querySelector('h1') || {}).textContent || '',
  sections: Array.from(document.querySelectorAll('section[data-section]')).map(s => ({
    key: s.dataset.section, heading: (s.querySelector('h2') || {}).textContent || '',
    text: s.innerText.length})),
  images: Array.from(document.images).map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth,
    height: i.naturalHeight, shown: i.getBoundingClientRect().width})),
  figures: Array.from(document.querySelectorAll('figure')).map(f => ({id: f.id,
    caption: (f.querySelector('figcaption') || {}).textContent || ''})),
  provenance: (document.querySelector('table.provenance') || {}).innerText || '',
  flags: Array.from(document.querySelectorAll('table.flags tbody tr')).map(r => r.innerText),
  height: document.documentElement.scrollHeight,
})"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Chromium:
    """Headless Chromium with the DevTools protocol on fds 3 (commands in)
    and 4 (replies out), messages separated by NUL bytes."""

    def __init__(self, executable):
        self.profile = tempfile.mkdtemp(prefix="readmit-chromium-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        # Copies above 100 (closed on exec), so that the child can put them
        # at 3 and 4 whatever those are now; dup2 makes 3 and 4 inheritable.
        high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 100)
        high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 100)

        def pipes_at_3_and_4():
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            close_fds=False, preexec_fn=pipes_at_3_and_4)
        for fd in (to_browser_read, from_browser_write, high_read, high_write):
            os.close(fd)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=PAGE_TIMEOUT_S):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m: m.get("id") == self.next_id, timeout, method)
        if "error" in reply:
            raise Failure(f"chromium: {method}: {reply['error']}")
        return reply.get("result", {})

    def wait(self, wanted, timeout, what):
        for i, message in enumerate(self.events):
            if wanted(message):
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if wanted(message):
                    return message
                self.events.append(message)
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"chromium: no answer to {what} within {timeout} s")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    error = self.process.stderr.read().decode(errors="replace")[-2000:]
                    raise Failure(f"chromium exited while waiting for {what}: {error}")
                self.buffer += chunk

    def open(self, path, width):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=session)
        self.send("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=session)
        self.wait(lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session,
                  PAGE_TIMEOUT_S, f"the load of {path}")
        return session

    def evaluate(self, session, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise Failure(f"chromium: script failed: {result['exceptionDetails']}")
        return result["result"]["value"]

    def screenshot(self, session, path, width, height):
        data = self.send("Page.captureScreenshot",
                         {"format": "png", "captureBeyondViewport": True,
                          "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
                         session=session)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            os.write(self.to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


def readmit(executable, *args):
    result = subprocess.run([executable, *args], cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"readmit {' '.join(args)}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    check("report: " in result.stdout, f"readmit {' '.join(args)}: no 'report:' line in its output:\n{result.stdout}")
    return result


def make_outputs(executable, work):
    folders = {kind: os.path.join(work, kind) for kind in EXPECTED}
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)
    readmit(executable, "run", "scenarios/cambodia_2017.yaml", "-r", "12", *SMALL, "--out", folders["run"],
            "--report")
    readmit(executable, "compare", "scenarios/cambodia_2017.yaml", "scenarios/cambodia_2017_humanitarian.yaml",
            "-r", "12", *SMALL, "--out", folders["compare"], "--report")
    readmit(executable, "compare", "scenarios/cambodia_2017.yaml", "scenarios/cambodia_2017_humanitarian.yaml",
            "-r", "12", *SMALL, "--assumptions", "--assumption-replications", "6", "--uncertainty", "assumptions",
            "--out", folders["compare_assumptions"], "--report")
    readmit(executable, "sweep", "tests/report/officers.yaml", "--threads", "2", "--out", folders["sweep"],
            "--report")
    readmit(executable, "experiment", "tests/report/policies.yaml", "--threads", "2", "--out", folders["experiment"],
            "--report")
    return folders


def check_files(kind, folder, facts):
    with open(os.path.join(folder, "report.html"), encoding="utf-8") as f:
        page = f.read()
    external = re.findall(r'(?:src|href)="(https?:[^"]*)"', page)
    check(not external, f"{kind}: the page loads from outside: {external[:3]}")
    for figure in facts["figures"]:
        name = figure["id"][len("fig-"):]
        for ext in ("png", "svg"):
            path = os.path.join(folder, "figures", f"{name}.{ext}")
            check(os.path.getsize(path) > 1000 if os.path.exists(path) else False, f"{kind}: {path} missing or empty")


def check_page(kind, facts):
    expected = EXPECTED[kind]
    check(facts["kind"] == expected.get("kind", kind), f"{kind}: the page says it is a {facts['kind']!r} report")
    check(facts["h1"] and facts["title"], f"{kind}: no title")
    keys = [s["key"] for s in facts["sections"]]
    missing = [k for k in expected["sections"] if k not in keys]
    check(not missing, f"{kind}: sections missing: {missing} (found {keys})")
    for section in facts["sections"]:
        check(section["heading"] and section["text"] > 80, f"{kind}: section {section['key']} is empty")
    images = facts["images"]
    check(len(images) >= expected["min_figures"],
          f"{kind}: {len(images)} figures, expected at least {expected['min_figures']}")
    broken = [i["alt"] for i in images if not (i["complete"] and i["width"] > 0 and i["height"] > 0)]
    check(not broken, f"{kind}: figures that did not load: {broken}")
    hidden = [i["alt"] for i in images if i["shown"] < 300]
    check(not hidden, f"{kind}: figures drawn narrower than 300 px: {hidden}")
    for figure in facts["figures"]:
        caption = figure["caption"]
        check("replications" in caption and len(caption) > 60,
              f"{kind}: figure {figure['id']} has no caption saying what the bands are and how many replications")
        if kind in ("sweep", "experiment"):
            check(" points" in caption, f"{kind}: figure {figure['id']}: the caption does not say how many points")
    names = [f["id"][len("fig-"):] for f in facts["figures"]]
    missing = [prefix for prefix in expected.get("figures", []) if not any(n.startswith(prefix) for n in names)]
    check(not missing, f"{kind}: no figure named {missing} (found {names})")
    if "flags" in expected:
        flagged = [row for row in facts["flags"] if re.search(r"\b(robust|sign uncertain|fixed)\b", row)]
        check(len(flagged) == expected["flags"],
              f"{kind}: {len(flagged)} headline differences shown with their flag, expected {expected['flags']}")
    words = ["seed", "command", "readmit version", "report made"]
    words += POINTS_PROVENANCE if kind in ("sweep", "experiment") else []
    for word in words:
        check(word in facts["provenance"], f"{kind}: the page does not state its {word}")


def check_invalid_folder(executable, work):
    empty = os.path.join(work, "not_an_output")
    os.makedirs(empty, exist_ok=True)
    result = subprocess.run([executable, "report", empty], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    check(result.returncode == 2, f"readmit report on a folder without metadata.json: exit {result.returncode}")
    check(f"report: {empty}: no metadata.json" in result.stderr,
          f"readmit report on a folder without metadata.json: unexpected message:\n{result.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readmit", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        print(f"FAIL: no Chromium at {args.chromium}: install Debian's chromium package (scripts/setup.sh does)",
              file=sys.stderr)
        return 1
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.artifacts, exist_ok=True)
    browser = None
    try:
        check_invalid_folder(args.readmit, args.work)
        folders = make_outputs(args.readmit, args.work)
        browser = Chromium(args.chromium)
        for kind, folder in folders.items():
            session = browser.open(os.path.join(folder, "report.html"), args.width)
            facts = browser.evaluate(session, PAGE_FACTS)
            facts = json.loads(facts)
            shot = os.path.join(args.artifacts, f"report_{kind}.png")
            browser.screenshot(session, shot, args.width, facts["height"])
            check_page(kind, facts)
            check_files(kind, folder, facts)
            print(f"{kind}: {len(facts['sections'])} sections, {len(facts['images'])} figures loaded, "
                  f"page {facts['height']} px high; screenshot {shot}")
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.close()
    print(f"{len(EXPECTED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
