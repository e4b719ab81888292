#!/usr/bin/python3
"""Every value a library scenario marks assumed ([A] in its comment) carries a plausible range.

For each scenario of scenarios/ (not the benchmark ones), `readmit show --origin` lists every value with the
place it came from; a numeric value given on a line of a library file whose comment says [A] must be declared
with its range ({value, range, origin, reason}), so that `readmit compare --assumptions` can measure what the
answers rest on. Values the timeline sets are dated inputs and are exempt, as are shares and distributions
given as more than one number (they cannot declare a range), and the run settings (seed, replications,
horizon_months, start_date).
Usage: assumed_ranges.py READMIT SCENARIO...
"""
import re
import subprocess
import sys

# How a scenario is run, not what it assumes of the world.
RUN_SETTINGS = {"seed", "replications", "horizon_months", "start_date"}
LINE = re.compile(r"^(?P<path>[^:#]+): (?P<value>[^#]*?)  # (?P<origin>.*)$")
PLACE = re.compile(r"^(?P<file>[^;]+?):(?P<line>\d+):(?P<col>\d+)(?P<rest>.*)$")


def table_types(readmit):
    """{table path: type} from `readmit schema --format markdown`."""
    types = {}
    for row in subprocess.run([readmit, "schema", "--format", "markdown"], check=True, capture_output=True,
                              text=True).stdout.splitlines():
        cells = [c.strip() for c in row.split("|")]
        if len(cells) > 3 and cells[1].startswith("`"):
            types[cells[1].strip("`")] = cells[2]
    return types


def pattern_of(path):
    """The table path of a concrete one: free keys (partners, cohorts, visa categories, ladders) become *."""
    parts = path.split(".")
    for i, part in enumerate(parts[:-1]):
        if part in ("partners", "cohorts", "visa_demand", "ladders", "amendment_rules_free"):
            parts[i + 1] = "*"
    return ".".join(parts)


def numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return text in (".inf", "-.inf")


def main():
    readmit, scenarios = sys.argv[1], sys.argv[2:]
    types = table_types(readmit)
    problems, lines_of = [], {}
    for scenario in scenarios:
        listing = subprocess.run([readmit, "show", scenario, "--origin"], check=True, capture_output=True,
                                 text=True).stdout
        for row in listing.splitlines():
            m = LINE.match(row)
            if not m or m["path"].startswith("timeline[") or m["path"] in RUN_SETTINGS:
                continue
            place = PLACE.match(m["origin"])
            if not place or " in [" in place["rest"] or not numeric(m["value"].strip()):
                continue  # a default, the command line, a declared range, or not one number
            if types.get(pattern_of(m["path"]).rsplit(".", 1)[0]) in ("shares", "distribution"):
                continue  # one share, or one parameter of a distribution: the value is the whole
            path = place["file"]
            if path not in lines_of:
                with open(path, encoding="utf-8") as f:
                    lines_of[path] = f.read().splitlines()
            source = lines_of[path][int(place["line"]) - 1]
            comment = source.split("#", 1)[1] if "#" in source else ""
            if "[A]" in comment:
                problems.append(f"{path}:{place['line']}: {m['path']}: assumed ([A]) without a declared range")
    for p in sorted(set(problems)):
        print(p)
    if problems:
        print(f"{len(set(problems))} assumed values without a range: declare them as "
              "{value: V, range: [LOW, HIGH], reason: TEXT}")
        return 1
    print(f"every assumed value of {len(scenarios)} scenarios declares its range")
    return 0


if __name__ == "__main__":
    sys.exit(main())
