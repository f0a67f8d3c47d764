#!/usr/bin/env python3
"""scipy peer for `boneaxis bench --peer scipy`: the same traced equations, in Python.

Reads a JSON job from the file named on the command line:
  {"module": path of the generated equations (boneaxis export), "data": path of the initial
   state, inputs and events, "times": [days...], "rtol": r, "atol": [per state], "method":
   "LSODA", "repeat": n, "subjects": m}
and integrates with `scipy.integrate.solve_ivp` from event to event (doses, infusion and
schedule changes), the naive route for a stiff solver. Prints one JSON line with the timings
and the final model states. Exit code 3 when scipy is not installed.
"""

import importlib.util
import json
import sys
import time


def load(path):
    spec = importlib.util.spec_from_file_location("boneaxis_equations", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def simulate(eq, data, job, solve_ivp):
    y = list(data["initial"])
    u = dict(data["u"])
    times = job["times"]
    events = data["events"] + [[times[-1], []]]
    t = 0.0
    samples = [list(y)] if times and times[0] == 0.0 else []
    for when, changes in events:
        if when > t:
            inside = [s for s in times if t < s <= when]
            sol = solve_ivp(
                lambda tt, yy: eq.rhs(tt, yy, u),
                (t, when),
                y,
                method=job["method"],
                rtol=job["rtol"],
                atol=job["atol"],
                t_eval=inside or None,
            )
            if not sol.success:
                raise RuntimeError(f"solve_ivp failed at t = {t}: {sol.message}")
            if inside:
                samples.extend(sol.y[:, k].tolist() for k in range(len(inside)))
            y = sol.y[:, -1].tolist()
            t = when
        for target, how, value in changes:
            if isinstance(target, int):
                y[target] += value
            elif how == "add":
                u[target] += value
            else:
                u[target] = value
    return samples


def main() -> int:
    try:
        import scipy
        from scipy.integrate import solve_ivp
    except ImportError:
        print(json.dumps({"error": "scipy is not installed (pip install scipy)"}))
        return 3
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    with open(job["data"], encoding="utf-8") as f:
        data = json.load(f)
    started = time.perf_counter()
    eq = load(job["module"])
    load_s = time.perf_counter() - started
    best, out = float("inf"), None
    for _ in range(max(job["repeat"], 1)):
        t = time.perf_counter()
        out = simulate(eq, data, job, solve_ivp)
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    for _ in range(job["subjects"]):
        simulate(eq, data, job, solve_ivp)
    many_s = time.perf_counter() - t
    final = {name: out[-1][k] for k, name in enumerate(job["states"])}
    print(json.dumps({
        "version": f"scipy {scipy.__version__}, {job['method']}",
        "load_s": load_s,
        "single_s": best,
        "subjects": job["subjects"],
        "subjects_s": many_s,
        "final": final,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
