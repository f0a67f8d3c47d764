#!/usr/bin/env python3
"""libRoadRunner peer for `boneaxis bench --peer roadrunner`.

Reads a JSON job from the file named on the command line:
  {"sbml": path, "times": [days...], "rtol": r, "atol": {state id: absolute tolerance},
   "repeat": n, "subjects": m}
loads the SBML once (compile time reported apart), then times `repeat` single simulations on
the output grid (the fastest is reported) and `subjects` simulations one after the other
(reset between them), all with the given tolerances, and prints one JSON line with the
timings and the final states. Exit code 3 when libRoadRunner is not installed.
"""

import json
import sys
import time


def main() -> int:
    try:
        import roadrunner
        from roadrunner import Config
    except ImportError:
        print(json.dumps({"error": "libroadrunner is not installed (pip install libroadrunner)"}))
        return 3
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    # LLJIT at full optimisation (fastest runs); compile time is reported, not counted.
    Config.setValue(Config.LLVM_BACKEND, Config.LLJIT)
    Config.setValue(Config.LLJIT_OPTIMIZATION_LEVEL, 3)
    started = time.perf_counter()
    rr = roadrunner.RoadRunner(job["sbml"])
    load_s = time.perf_counter() - started
    rr.integrator.relative_tolerance = job["rtol"]
    rr.integrator.setValue("maximum_num_steps", 10_000_000)
    for state, atol in job["atol"].items():
        rr.integrator.setIndividualTolerance(state, atol)
    states = list(job["atol"])
    rr.timeCourseSelections = ["time"] + states

    def once() -> list:
        rr.resetAll()
        return rr.simulate(times=job["times"])

    best = float("inf")
    out = None
    for _ in range(max(job["repeat"], 1)):
        t = time.perf_counter()
        out = once()
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    for _ in range(job["subjects"]):
        once()
    many_s = time.perf_counter() - t
    final = {s: float(out[-1, k + 1]) for k, s in enumerate(states)}
    print(json.dumps({
        "version": roadrunner.__version__,
        "load_s": load_s,
        "single_s": best,
        "subjects": job["subjects"],
        "subjects_s": many_s,
        "final": final,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
