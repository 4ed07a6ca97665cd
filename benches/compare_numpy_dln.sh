#!/usr/bin/env bash
# Steps per second of `stabcert simulate dln` against the same SGD loop in numpy
# (benches/compare_numpy_dln.py), in the same run. From anywhere:
#
#   benches/compare_numpy_dln.sh [--steps N] [--eta E] [--records R]
#
# Creates target/bench-venv if missing, installs numpy into it, builds stabcert in release
# mode, then runs the comparison. Exit status: that of compare_numpy_dln.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=benches/venv.sh
source "$here/venv.sh"
bench_venv "${NUMPY_SPEC:-numpy}"

exec "$venv/bin/python" "$here/compare_numpy_dln.py" "$@"
