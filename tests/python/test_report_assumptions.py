"""The compare and run reports say what an answer rests on (issue #19): the
flags of `compare --assumptions` beside each headline difference (a fixed
difference without an interval), a tornado chart per headline total sorted
by swing, and the variance split of `--uncertainty assumptions`; a compare
without them renders as before.

Run by ctest with Debian's python3-pytest, as test_package.py. The
scenarios are tiny (two partners, 12 months, 6 replications, three declared
ranges), so that every run takes well under a second.
"""
import html.parser
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from readmit.report import render

SOURCE = os.environ["READMIT_SOURCE_DIR"]
EXECUTABLE = os.environ["READMIT_EXECUTABLE"]
MINIMAL = os.path.join(SOURCE, "tests", "scenario", "valid", "minimal.yaml")
HEADLINE = ["removals", "median_days_request_to_removal", "custody_releases", "detention_cost_usd",
            "children_affected", "severe_outcomes", "months_under_sanction", "visa_refusals"]
PLAIN_SECTIONS = ["about", "differences", "overlay", "monthly-difference", "scenario-diff"]
PLAIN_HEADER = ["run total (unit)", "base mean", "fewer mean", "difference", "paired 95% CI", "independent 95% CI",
                "reading"]


def cli(*args):
    result = subprocess.run([EXECUTABLE, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """base declares three ranges over two partners; fewer has fewer arrivals at alpha and sets its own
    number of officers there (so that range moves base alone)."""
    work = tmp_path_factory.mktemp("scenarios")
    (work / "base.yaml").write_text(
        f"extends: {MINIMAL}\nname: base\nhorizon_months: 12\nreplications: 6\npartners:\n"
        "  alpha:\n    population:\n      inflow_per_month: 20\n    agreement:\n"
        "      acceptance_base_prob: {value: 0.8, range: [0.2, 1], reason: what it accepts}\n"
        "      document_officers: {value: 50, range: [1, 80], origin: fitted, reason: the fit}\n"
        "  beta:\n    population:\n      docket_at_start: 60\n"
        "      inflow_per_month: {value: 10, range: [2, 30], reason: how many arrive}\n")
    (work / "fewer.yaml").write_text(
        "extends: base.yaml\nname: fewer\npartners:\n  alpha:\n    population:\n      inflow_per_month: 5\n"
        "    agreement:\n      document_officers: {value: 20, range: none, reason: the alternative's own}\n")
    return work / "base.yaml", work / "fewer.yaml"


def compare(scenarios, out, *options):
    cli("compare", str(scenarios[0]), str(scenarios[1]), "-t", "2", "--progress", "none", "--out", str(out),
        *options)
    return out


@pytest.fixture(scope="module")
def assumed(scenarios, tmp_path_factory):
    """compare --assumptions: robustness.csv and assumptions.csv, no variance.csv."""
    return compare(scenarios, tmp_path_factory.mktemp("assumed") / "out", "--assumptions")


@pytest.fixture(scope="module")
def drawn(scenarios, tmp_path_factory):
    """compare --assumptions --uncertainty assumptions: all three files."""
    return compare(scenarios, tmp_path_factory.mktemp("drawn") / "out", "--assumptions", "--uncertainty",
                   "assumptions")


@pytest.fixture(scope="module")
def plain(scenarios, tmp_path_factory):
    return compare(scenarios, tmp_path_factory.mktemp("plain") / "out")


class Page(html.parser.HTMLParser):
    """The report's sections, figures and tables (header and cells as text), in page order."""

    def __init__(self, text):
        super().__init__()
        self.sections, self.figures, self.tables = [], [], []
        self.section = None
        self.cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs["data-section"]
            self.sections.append(self.section)
        elif tag == "figure":
            self.figures.append((self.section, attrs["id"][len("fig-"):]))
        elif tag == "table":
            self.tables.append({"section": self.section, "class": attrs.get("class", ""), "header": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip()
            table = self.tables[-1]
            (table["header"] if tag == "th" else self.row).append(text)
            self.cell = None
        elif tag == "tr" and self.tables and self.row:
            self.tables[-1]["rows"].append(self.row)
            self.row = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def table(self, section, css_class="data", first_header=None):
        found = [t for t in self.tables if t["section"] == section and t["class"] == css_class
                 and (first_header is None or t["header"][0] == first_header)]
        assert found, f"no table of class {css_class!r} in section {section!r}"
        return found


def page_of(folder, into):
    path, _ = render(str(folder), str(into))
    with open(path, encoding="utf-8") as f:
        return Page(f.read()), f"{into}"


@pytest.fixture(scope="module")
def assumed_page(assumed, tmp_path_factory):
    """(the report of `assumed` parsed, the folder it went into): rendered once for the tests that read it."""
    return page_of(assumed, tmp_path_factory.mktemp("assumed_page") / "page")


def number(text):
    """A number as the report writes it (1,234; 1.5M)."""
    scale = {"M": 1e6, "B": 1e9}.get(text[-1:], 1)
    return float(text.rstrip("MB").replace(",", "")) * scale


def labels(folder):
    metrics = pd.read_csv(os.path.join(folder, "metrics.csv"), keep_default_na=False)
    totals = metrics[metrics["table"] == "run_total"].set_index("metric")
    return {m: f"{totals.loc[m, 'label']} ({totals.loc[m, 'unit'].split(';')[0]})" if totals.loc[m, "unit"]
            else totals.loc[m, "label"] for m in HEADLINE}


def robustness(folder, partner="all"):
    flags = pd.read_csv(os.path.join(folder, "robustness.csv"), keep_default_na=False, na_values=["NA"])
    return flags[flags["partner"] == partner].set_index("metric")


def test_every_headline_difference_shows_its_flag_in_words(assumed, assumed_page):
    page, into = assumed_page
    assert page.sections == ["about", "differences", "assumptions"] + PLAIN_SECTIONS[2:]
    flags = robustness(assumed)
    assert {"robust", "sign-uncertain", "fixed"} <= set(flags["flag"]), "the scenarios give every kind of flag"
    names = labels(assumed)
    # Beside the difference in the table of run totals (totals that are zero in both are left out there)...
    [differences] = page.table("differences")
    assert differences["header"][-1] == "across the declared ranges"
    shown = {row[0]: row[-1] for row in differences["rows"]}
    words = {"robust": "robust", "sign-uncertain": "sign uncertain", "fixed": "fixed (no interval)"}
    for metric, flag in flags["flag"].items():
        if names[metric] in shown:
            assert shown[names[metric]] == words[flag], metric
    # ... and in the section of its own, every headline total, with what it rests on.
    [table] = page.table("assumptions", "data flags")
    assert [row[0] for row in table["rows"]] == [names[m] for m in HEADLINE]
    for row in table["rows"]:
        metric = HEADLINE[[names[m] for m in HEADLINE].index(row[0])]
        flag = flags.loc[metric]
        assert row[3] == words[flag["flag"]]
        explanation = row[4]
        if flag["flag"] == "robust":
            assert explanation.startswith("Robust: stays ")
            assert "at both ends of each of the 3 declared ranges" in explanation
        elif flag["flag"] == "sign-uncertain":
            assert explanation.startswith("Sign uncertain: ")
            for parameter in filter(None, flag["flipped_by"].split(";")):
                assert parameter in explanation, (metric, parameter)
    # The alternative's own value is said to move the baseline alone.
    assert "fewer sets its own value of partners.alpha.agreement.document_officers" in open(
        os.path.join(into, "report.html"), encoding="utf-8").read()


def test_a_fixed_difference_shows_no_interval_and_says_what_pins_and_unpins_it(assumed, assumed_page):
    flags = robustness(assumed)
    fixed = flags[flags["flag"] == "fixed"]
    assert len(fixed) >= 2 and (fixed["moved_by"] != "").any() and (fixed["moved_by"] == "").any()
    page, _ = assumed_page
    names = labels(assumed)
    [table] = page.table("assumptions", "data flags")
    rows = {row[0]: row for row in table["rows"]}
    for metric, flag in fixed.iterrows():
        _, difference, interval, word, explanation = rows[names[metric]]
        assert (difference, interval, word) == (f"{flag['difference']:g} (fixed)", "none", "fixed (no interval)")
        assert "[" not in difference + interval
        assert explanation.startswith(f"Fixed by the model's rules or inputs, not measured: {flag['pinned_by']}")
        assert "no interval is shown" in explanation
        if flag["moved_by"]:
            assert f"It moves only with {flag['moved_by']} [" in explanation
        else:
            assert explanation.endswith("None of the 3 declared ranges moves it.")
    # In the table of run totals too, a fixed difference that is drawn has no interval.
    [differences] = page.table("differences")
    for row in differences["rows"]:
        if row[-1] == "fixed (no interval)":
            assert row[4] == row[5] == "none: fixed"


def test_a_fixed_difference_that_an_input_decides_names_it_and_its_range(assumed, tmp_path):
    """A difference the same (and not zero) in every replication, as a replayed sanction makes it: the
    folder's robustness.csv says so (a real one takes minutes: eu_art25a_gambia)."""
    folder = tmp_path / "folder"
    shutil.copytree(assumed, folder)
    flags = pd.read_csv(folder / "robustness.csv", keep_default_na=False, na_values=["NA"])
    chosen = (flags["metric"] == "removals") & (flags["partner"] == "all")
    flags.loc[chosen, ["difference", "ci95_low", "ci95_high"]] = -51.0
    flags.loc[chosen, ["flag", "flipped_by", "moved_by"]] = ["fixed", "",
                                                             "partners.alpha.agreement.acceptance_base_prob"]
    flags.loc[chosen, "pinned_by"] = "the same difference in every replication (an input decides it)"
    flags.to_csv(folder / "robustness.csv", index=False)
    page, _ = page_of(folder, tmp_path / "page")
    [table] = page.table("assumptions", "data flags")
    row = table["rows"][0]
    assert row[:4] == ["removals (persons)", "-51 (fixed)", "none", "fixed (no interval)"]
    assert row[4].startswith("Fixed by the model's rules or inputs, not measured: the same difference in every "
                             "replication (an input decides it), -51.")
    assert "It moves only with partners.alpha.agreement.acceptance_base_prob [0.2, 1], at 0.2: " in row[4]
    [differences] = page.table("differences")
    assert differences["rows"][0][4:] == ["none: fixed", "none: fixed", "lower", "fixed (no interval)"]


def test_a_tornado_chart_per_headline_total_sorted_by_swing(assumed, assumed_page):
    page, into = assumed_page
    ends = pd.read_csv(os.path.join(assumed, "assumptions.csv"), keep_default_na=False, na_values=["NA"])
    ends = ends[ends["partner"] == "all"]
    flags = robustness(assumed)
    figures = [name for section, name in page.figures if section == "assumptions"]
    tables = page.table("assumptions", "data ends")
    moved = []
    for metric in HEADLINE:
        rows = ends[ends["metric"] == metric]
        nominal = flags.loc[metric, "difference"]
        values = np.vstack([rows["difference_at_low"], rows["difference_at_high"], np.full(len(rows), nominal)])
        swing = values.max(axis=0) - values.min(axis=0)
        if not (swing > 0).any():
            assert f"tornado_{metric}" not in figures, metric
            continue
        moved.append(metric)
        assert f"tornado_{metric}" in figures
        for ext in ("png", "svg"):
            assert os.path.getsize(os.path.join(into, "figures", f"tornado_{metric}.{ext}")) > 1000
        # The chart's ranges, largest swing first, are those of the table beneath it.
        table = tables[len(moved) - 1]
        expected = rows.assign(swing=swing).sort_values("swing", ascending=False, kind="stable")
        assert [row[0].rstrip("*") for row in table["rows"]] == list(expected["parameter"]), metric
        shown = [number(row[-1]) for row in table["rows"]]
        assert shown == sorted(shown, reverse=True), metric
    assert len(moved) >= 4 and len(tables) == len(moved)
    # Two partners: the partner whose differences move gets its chart; the other is said to have none.
    assert "tornado_partner_alpha_1" in figures and "tornado_partner_beta_1" not in figures


def test_the_variance_split_when_ranges_were_drawn(drawn, tmp_path):
    page, into = page_of(drawn, tmp_path / "page")
    assert page.sections == ["about", "differences", "assumptions", "variance"] + PLAIN_SECTIONS[2:]
    assert ("variance", "variance_split") in page.figures
    variance = pd.read_csv(os.path.join(drawn, "variance.csv"), keep_default_na=False, na_values=["NA"])
    removals = variance[(variance["partner"] == "all") & (variance["metric"] == "removals")].set_index("scenario")
    [table] = page.table("variance")
    assert table["header"][:2] == ["headline total (unit)", "scenario"]
    rows = {(row[0], row[1]): row for row in table["rows"]}
    for scenario in ("base", "fewer"):
        share = removals.loc[scenario, "assumption_share"]
        row = rows[("removals (persons)", scenario)]
        assert row[-1] == f"{share * 100:.0f}% the ranges, {(1 - share) * 100:.0f}% chance"
        assert float(row[2]) == pytest.approx(np.sqrt(removals.loc[scenario, "variance"]), rel=1e-3)
    constant = variance[(variance["partner"] == "all") & (variance["variance"] == 0)]
    assert len(constant) and all(rows[(labels(drawn)[m], s)][-1] == "the same in every replication"
                                 for m, s in zip(constant["metric"], constant["scenario"]))
    text = open(os.path.join(into, "report.html"), encoding="utf-8").read()
    assert "--uncertainty assumptions: every pair of replications drew each declared range" in text
    assert "with no range drawn: they differ from those of the table above" in text


def test_a_run_with_drawn_ranges_shows_the_split(scenarios, tmp_path):
    cli("run", str(scenarios[0]), "--uncertainty", "assumptions", "-t", "2", "--progress", "none", "--out",
        str(tmp_path / "run"))
    page, _ = page_of(tmp_path / "run", tmp_path / "page")
    assert page.sections[:3] == ["about", "totals", "variance"]
    assert ("variance", "variance_split") in page.figures


def test_a_compare_without_assumptions_renders_as_before(plain, tmp_path):
    for name in ("assumptions.csv", "robustness.csv", "variance.csv"):
        assert not os.path.exists(os.path.join(plain, name))
    page, into = page_of(plain, tmp_path / "page")
    assert page.sections == PLAIN_SECTIONS
    [differences] = page.table("differences")
    assert differences["header"] == PLAIN_HEADER
    assert not [name for _, name in page.figures if name.startswith(("tornado", "variance"))]
    text = open(os.path.join(into, "report.html"), encoding="utf-8").read()
    assert "across the declared ranges" not in text and "What each difference rests on" not in text


def test_a_damaged_robustness_file_is_named(assumed, tmp_path):
    folder = tmp_path / "folder"
    shutil.copytree(assumed, folder)
    flags = pd.read_csv(folder / "robustness.csv", keep_default_na=False)
    flags.drop(columns=["flag"]).to_csv(folder / "robustness.csv", index=False)
    environment = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "sim", "python"), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-P", "-m", "readmit.report", str(folder), "--into",
                           str(tmp_path / "page")], capture_output=True, text=True, env=environment)
    assert done.returncode == 2
    assert f"{folder}/robustness.csv: not the file readmit writes: no column flag" in done.stderr
    os.remove(folder / "assumptions.csv")
    flags.to_csv(folder / "robustness.csv", index=False)
    done = subprocess.run([sys.executable, "-P", "-m", "readmit.report", str(folder), "--into",
                           str(tmp_path / "page2")], capture_output=True, text=True, env=environment)
    assert done.returncode == 2 and "assumptions.csv: missing, while robustness.csv is there" in done.stderr
