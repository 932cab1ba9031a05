#!/usr/bin/env bash
# Runs bench/excellence_peers.py: hindsight's excellence miner and PII filter beside ConvoKit's
# FightingWords and Presidio, on the same simulated calls. Installs the peers from PyPI into
# bench/.venv on first use. Usage: bench/excellence-peers.sh [--calls N]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet convokit==5.0.0 presidio-analyzer==2.2.366
fi
mkdir -p bench/results
cargo build --release --quiet
bench/.venv/bin/python bench/excellence_peers.py "$@"
