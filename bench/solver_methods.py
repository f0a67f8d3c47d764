"""Solver methods on ten years of daily sertraline: the table in docs/performance.md.

Runs scenarios/human_sertraline_10y.toml with each method and tolerance through the release
CLI (build it first: cargo build --release -p boneaxis-cli) and prints, for the sertraline arm,
the run time (best of 3), steps, rejected steps and the 10-year total-hip BMD and platelet 5-HT.
"""
import csv
import json
import pathlib
import subprocess
import sys
import tempfile

SCENARIO = pathlib.Path("scenarios/human_sertraline_10y.toml")
CLI = "target/release/boneaxis"
ARM = "depression_sertraline"
RUNS = [("bdf", 1e-8), ("bdf", 1e-6), ("esdirk34", 1e-5), ("tsit45", 1e-5),
        ("auto", 1e-5), ("auto", 1e-4), ("auto", 1e-3)]


def run(method, rtol, folder):
    text = SCENARIO.read_text() + f'\n[solver]\nmethod = "{method}"\nrtol = {rtol}\n'
    path = folder / f"{method}_{rtol}.toml"
    path.write_text(text)
    best, stats, values = float("inf"), None, {}
    for _ in range(3):
        out = folder / "out"
        subprocess.run([CLI, "run", str(path), "--out", str(out)], check=True,
                       capture_output=True)
        manifest = json.loads((out / "manifest.json").read_text())
        arm = next(a for a in manifest["solver_statistics"] if a["arm"] == ARM)
        best = min(best, arm["run_ms"])
        stats = arm["run"]
    with open(out / "results.csv") as f:
        for row in csv.DictReader(f):
            if row["arm"] == ARM:
                values[row["variable"]] = float(row["value"])  # the last sample wins
    return best, stats, values


def main():
    print("| method, rtol | time | steps | rejected | total-hip BMD at 10 y | platelet 5-HT at 10 y |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for method, rtol in RUNS:
            ms, stats, v = run(method, rtol, pathlib.Path(tmp))
            print(f"| {method}, {rtol:g} | {ms:.0f} ms | {stats['steps']:,} | "
                  f"{stats['error_test_failures']:,} | {v['bone.total_hip.bmd']:.6f} | "
                  f"{v['serotonin.platelet_5ht']:.4f} |")


if __name__ == "__main__":
    sys.exit(main())
