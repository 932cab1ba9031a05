"""Reference for hindsight's lead-score weight fit (crates/hindsight-learn/src/conversion/who.rs).

scipy's SLSQP on the same objective: mean log-loss of sigmoid(x.w + b) plus 0.01*|w|^2, each
weight in [0.05, 0.50], weights summing to 0.85, intercept b free in [-30, 30]. Prints the
weights, intercept and objective the Rust tests keep as constants.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scipy numpy
    /tmp/venv/bin/python bench/conversion_weights_reference.py
"""
import numpy as np
from scipy.optimize import minimize


def fit(X, y, l2=0.01):
    X = np.asarray(X, float)
    y = np.asarray(y, float)

    def loss(p):
        z = X @ p[:4] + p[4]
        return np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(p[:4] ** 2)

    result = minimize(
        loss,
        np.array([0.20, 0.25, 0.25, 0.15, 0.0]),
        method="SLSQP",
        bounds=[(0.05, 0.50)] * 4 + [(-30, 30)],
        constraints={"type": "eq", "fun": lambda p: np.sum(p[:4]) - 0.85},
        options={"ftol": 1e-14, "maxiter": 500},
    )
    return result


def spec_example():
    # conversion-intelligence.md 7.1: booked leads score timing 15 and authority 10, failed ones
    # timing 5 and authority 20; the other components are 0.
    booked = [[0 / 20, 10 / 25, 0 / 25, 15 / 15]] * 50
    failed = [[0 / 20, 20 / 25, 0 / 25, 5 / 15]] * 50
    return booked + failed, [1] * 50 + [0] * 50


def mixed_example():
    # 60 leads from a fixed rule, so both sides can rebuild them without a random generator:
    # lead i has components (i*7 % 21, i*11 % 26, i*5 % 26, i*3 % 16) and converts when
    # (i*13 % 10) < 2 + 3*[timing >= 8] + 2*[company_fit >= 13].
    X, y = [], []
    for i in range(60):
        dq, auth, fit_, timing = i * 7 % 21, i * 11 % 26, i * 5 % 26, i * 3 % 16
        converts = (i * 13 % 10) < 2 + 3 * (timing >= 8) + 2 * (fit_ >= 13)
        X.append([dq / 20, auth / 25, fit_ / 25, timing / 15])
        y.append(int(converts))
    return X, y


for name, (X, y) in [("spec", spec_example()), ("mixed", mixed_example())]:
    result = fit(X, y)
    print(name, result.success, result.message)
    print("  weights", [repr(float(v)) for v in result.x[:4]], "intercept", repr(float(result.x[4])))
    print("  objective", repr(float(result.fun)), "sum", float(np.sum(result.x[:4])))
