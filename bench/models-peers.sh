#!/usr/bin/env bash
# Runs bench/models_peers.py: hindsight's boosted trees beside LightGBM and scikit-learn on the
# same exported feature CSV and time split. Installs the peers from PyPI into bench/.venv-models on
# first use. Usage: bench/models-peers.sh [--calls N] [--features N] [--repeats N]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv-models/bin/python ]; then
    python3 -m venv bench/.venv-models
    bench/.venv-models/bin/pip install --quiet lightgbm==4.7.0 scikit-learn==1.9.1 numpy
fi
mkdir -p bench/results
cargo build --release --quiet
bench/.venv-models/bin/python bench/models_peers.py "$@"
