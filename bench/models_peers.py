#!/usr/bin/env python3
"""hindsight's boosted trees beside LightGBM (and scikit-learn's logistic regression) on the same
feature CSV and the same time split.

The CSV is `hindsight export --format csv --target booked` of a simulated campaign: rows in time
order, the latest `holdout` share held out; `--features N` keeps the first N feature columns (the
issue's budget is stated for 30). Both boosters get the same shape of model: 200 trees, learning
rate 0.05, depth 4 (LightGBM: num_leaves 16, max_depth 4), L2 1, min hessian per leaf 5, 256
bins, both cores. The two sides' fits alternate, `--repeats` pairs: on a VM whose speed drifts
from minute to minute, each pair's ratio compares the two under the same conditions. Reported:
each side's best fit, and the median and range of the paired ratios.

Run `bench/models-peers.sh` (it makes the venv); results go to stdout and bench/results/.
"""

import argparse
import csv as csv_module
import json
import os
import subprocess
import sys
import time

import numpy as np


def run(command):
    print("$", " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--features", type=int, default=None, help="keep the first N feature columns")
    parser.add_argument("--hindsight", default="target/release/hindsight")
    parser.add_argument("--work", default="bench/results/models")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    sim, db, csv = (os.path.join(args.work, name) for name in ("sim", "m.db", "booked.csv"))
    if os.path.exists(db):
        os.remove(db)
    run([args.hindsight, "simulate", "--out", sim, "--calls", str(args.calls), "--leads", str(args.calls // 5), "--seed", "5", "--json"])
    run([args.hindsight, "ingest", "--db", db, "--tenant", "bench", "--json"]
        + [os.path.join(sim, name) for name in ("leads.jsonl", "calls.jsonl", "outcomes.jsonl")])
    run([args.hindsight, "export", "--db", db, "--tenant", "bench", "--format", "csv", "--target", "booked", "--out", csv])

    if args.features is not None:
        # The id, time and label columns, then the first N features.
        with open(csv, newline="") as full, open(csv + ".narrow", "w", newline="") as narrow:
            writer = csv_module.writer(narrow, lineterminator="\n")
            for row in csv_module.reader(full):
                writer.writerow(row[: 3 + args.features])
        os.replace(csv + ".narrow", csv)

    import lightgbm
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import StandardScaler

    data = np.genfromtxt(csv, delimiter=",", skip_header=1, usecols=None, dtype=float, missing_values="", filling_values=np.nan)
    y, X = data[:, 2], data[:, 3:]
    cut = len(y) - int(round(len(y) * args.holdout))
    params = dict(objective="binary", n_estimators=200, learning_rate=0.05, max_depth=4, num_leaves=16,
                  reg_lambda=1.0, min_child_weight=5.0, min_child_samples=1, max_bin=256, n_jobs=2, verbose=-1)
    ours, fits = [], []
    for _ in range(args.repeats):
        ours.append(json.loads(run([args.hindsight, "bench", "gbm", "--file", csv, "--holdout", str(args.holdout), "--json"])))
        model = lightgbm.LGBMClassifier(**params)
        started = time.perf_counter()
        model.fit(X[:cut], y[:cut])
        fits.append(time.perf_counter() - started)
    best = min(ours, key=lambda result: result["fit_seconds"])
    ratios = sorted(mine["fit_seconds"] / theirs for mine, theirs in zip(ours, fits))
    p = model.predict_proba(X[cut:])[:, 1]
    logistic = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    started = time.perf_counter()
    logistic.fit(X[:cut], y[:cut])
    logistic_seconds = time.perf_counter() - started
    q = logistic.predict_proba(X[cut:])[:, 1]
    result = {
        "rows": len(y), "train_rows": cut, "features": X.shape[1],
        "paired_fit_ratio": {"median": ratios[len(ratios) // 2], "min": ratios[0], "max": ratios[-1],
                             "pairs": len(ratios)},
        "hindsight_gbm": {"fit_seconds": best["fit_seconds"], "auc": best["auc"], "log_loss": best["log_loss"],
                          "calibrated_log_loss": best["calibrated_log_loss"], "calibration": best["calibration"]},
        "lightgbm": {"version": lightgbm.__version__, "fit_seconds": min(fits),
                     "auc": float(roc_auc_score(y[cut:], p)), "log_loss": float(log_loss(y[cut:], p))},
        "sklearn_logistic": {"version": sklearn.__version__, "fit_seconds": logistic_seconds,
                             "auc": float(roc_auc_score(y[cut:], q)), "log_loss": float(log_loss(y[cut:], q))},
    }
    text = json.dumps(result, indent=2)
    print(text)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"models_peers_{args.calls}_{X.shape[1]}f.json"), "w") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()
