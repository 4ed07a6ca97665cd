# Sourced by the comparison scripts: `bench_venv REQUIREMENT` creates target/bench-venv
# (python3 -m venv, or $PYTHON) if missing, installs REQUIREMENT into it, builds stabcert in
# release mode and sets $venv and $root; the caller is in the repository root afterwards.
bench_venv() {
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cd "$root"
    venv="$root/target/bench-venv"
    if [ ! -x "$venv/bin/python" ]; then
        echo "creating $venv" >&2
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$1"
    cargo build --release
}
