#!/usr/bin/env bash
# Coq checking stabcert's exported proofs against plain `interval` on the same claims, in one run.
#
#   benches/coq_vs_interval.sh [PROOF_FILE]      (default proofs/loss_stabilization.stab)
#
# 1. `stabcert export --coq` writes one proof per proved claim (system lemmas included);
#    `make -j2` checks them all; its time is reported.
# 2. For every proved claim, each conclusion is attempted by a bare `interval` tactic on the
#    claim's own statement (bounds as hypotheses), one coqc run per conclusion; the count that
#    Coq accepts and the total time are reported.
# Needs coqc, coq_makefile and Coq.Interval (apt-get install coq libcoq-interval).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-proofs/loss_stabilization.stab}
bin=target/release/stabcert
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" export --coq "$work/export" "$file" > "$work/export.log" || true
grep -c '(proved)' "$work/export.log" > "$work/nproved"
(cd "$work/export" && coq_makefile -f _CoqProject -o Makefile > /dev/null)
start=$(date +%s.%N)
if (cd "$work/export" && make -j2 > "$work/make.log" 2>&1); then export_ok=yes; else export_ok=no; fi
end=$(date +%s.%N)
export_time=$(echo "$end - $start" | bc)

# plain interval: each proved claim's conclusions, one at a time, on the exported statement
mkdir -p "$work/plain"
tried=0; passed=0
start=$(date +%s.%N)
for v in "$work"/export/*.v; do
  [ "$(basename "$v")" = StabcertLib.v ] && continue
  grep -q 'proved by stabcert' "$v" || continue
  # the statement: the text between "Theorem NAME :" and the "." that ends it
  stmt=$(awk '/^Theorem /{on=1; next} on && /^Proof\./{exit} on{print}' "$v" | sed '$ s/\.$//')
  # split the conclusion conjunction: one goal per conclusion
  prem=$(printf '%s\n' "$stmt" | grep -- '->$' | tr '\n' ' ')
  concl=$(printf '%s\n' "$stmt" | grep -v -- '->$' | sed 's#/\\$##')
  head=$(printf '%s\n' "$stmt" | head -1)
  prem=${prem#"$head"}
  i=0
  while IFS= read -r g; do
    g=$(echo "$g" | sed 's/^ *//')
    [ -z "$g" ] && continue
    i=$((i+1)); tried=$((tried+1))
    f="$work/plain/p$tried.v"
    printf 'From Coq Require Import Reals.\nRequire Import Interval.Tactic.\nLocal Open Scope R_scope.\nGoal %s %s %s.\nProof. intros; repeat match goal with H : _ /\\ _ |- _ => destruct H end; interval. Qed.\n' "$head" "$prem" "$g" > "$f"
    if (cd "$work/plain" && timeout 120 coqc "p$tried.v" > /dev/null 2>&1); then passed=$((passed+1)); fi
  done <<< "$concl"
done
end=$(date +%s.%N)
plain_time=$(echo "$end - $start" | bc)
echo "claims proved by stabcert and exported: $(cat "$work/nproved")"
echo "export checked by coqc (make -j2): ok=$export_ok, ${export_time}s"
echo "plain interval: $passed of $tried conclusions accepted, ${plain_time}s"
