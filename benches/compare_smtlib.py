#!/usr/bin/env python3
"""Run `stabcert solve`, z3 and cvc5 on the public SMT-LIB files of benches/smtlib/ (Flyspeck
as translated for dReal, MetiTarski obligations in dReal's copy, dReal's berstein.smt2).

One run, every file as it is: `stabcert solve --timeout S FILE` (a `(get-model)` added after
the first `(check-sat)` so a `sat` comes with its model), and z3 and cvc5 through their Python
APIs with the same time limit (the file's text with its `set-logic` replaced by `ALL`, since
dReal's QF_NLR is no standard logic; a file a peer cannot read counts as `error`, undecided).
The expected answer of each file is the last word of its line in benches/smtlib/SOURCES (the
file's `:status`, or its provenance where it has none).

Every model stabcert prints is re-checked here, independently of stabcert: each assertion is
evaluated with Python's exact fractions at the model; an assertion with a function that has no
exact values (`arctan`, `sqrt`, ...) with mpmath's intervals at 60 digits, every comparison
decided only where the intervals of its sides are apart (else unchecked, never valid).

Prints one row per file and, per tool: decided, wrong, solve-time ratios (sum over the files
both decided; and over all files), and for stabcert the models validated. With --reasons,
each file stabcert leaves unknown is run once more through `check --format json` to print the
reason. With --recheck, every file stabcert answered unsat is proved again with certificates,
which the kernel re-checks (`stabcert recheck`). Exit status 0, 1 if a tool answers wrongly, a
stabcert model fails its re-check or the kernel rejects a certificate, 2 on a harness error.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SET = os.path.join(HERE, "smtlib")


def sources():
    """(relative path, expected answer) for every file listed in SOURCES."""
    out = []
    with open(os.path.join(SET, "SOURCES")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.search(r"expected (sat|unsat)\b", line)
            if not m:
                raise ValueError(f"SOURCES line without an expected answer: {line}")
            out.append((line.split()[0], m.group(1)))
    return out


# ---- S-expressions and an exact evaluator for model re-checks ----


def parse_sexps(text):
    toks = re.findall(r'\|[^|]*\||"(?:[^"]|"")*"|[()]|;[^\n]*|[^\s()]+', text)
    stack, cur = [], []
    for t in toks:
        if t.startswith(";"):
            continue
        if t == "(":
            stack.append(cur)
            cur = []
        elif t == ")":
            done = cur
            cur = stack.pop()
            cur.append(done)
        else:
            cur.append(t)
    return cur


class Unchecked(Exception):
    pass


def number(t):
    if re.fullmatch(r"-?\d+(\.\d*)?", t):
        return Fraction(t if not t.endswith(".") else t[:-1])
    return None


def binders(rec, head, args, env, defs):
    """The value of `let`, `!` and a `define-fun`'s application, evaluated with `rec`; None
    for any other head."""
    if head == "let":
        inner = dict(env)
        for name, val in args[0]:
            inner[name] = rec(val, env, defs)
        return rec(args[1], inner, defs)
    if head == "!":
        return rec(args[0], env, defs)
    if head in defs:
        params, body = defs[head]
        inner = dict(env)
        for p, a in zip(params, args):
            inner[p] = rec(a, env, defs)
        return rec(body, inner, defs)
    return None


def ev(t, env, defs):
    """Exact value of a term: Fraction for reals, bool for formulas."""
    if isinstance(t, str):
        if t in env:
            return env[t]
        if t == "true":
            return True
        if t == "false":
            return False
        n = number(t)
        if n is not None:
            return n
        if t in defs and not defs[t][0]:
            return ev(defs[t][1], env, defs)
        raise Unchecked(t)
    head, args = t[0], t[1:]
    bound = binders(ev, head, args, env, defs)
    if bound is not None:
        return bound
    v = [ev(a, env, defs) for a in args] if head != "ite" else None
    if head == "ite":
        return ev(args[1], env, defs) if ev(args[0], env, defs) else ev(args[2], env, defs)
    if head == "and":
        return all(v)
    if head == "or":
        return any(v)
    if head == "not":
        return not v[0]
    if head == "=>":
        return (not v[0]) or v[1]
    if head == "xor":
        return v[0] != v[1]
    if head in ("<", "<=", ">", ">=", "="):
        op = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
              ">=": lambda a, b: a >= b, "=": lambda a, b: a == b}[head]
        return all(op(a, b) for a, b in zip(v, v[1:]))
    if head == "distinct":
        return len(set(v)) == len(v)
    if head == "+":
        return sum(v, Fraction(0))
    if head == "-":
        return -v[0] if len(v) == 1 else v[0] - sum(v[1:], Fraction(0))
    if head == "*":
        r = Fraction(1)
        for x in v:
            r *= x
        return r
    if head == "/":
        r = v[0]
        for x in v[1:]:
            r /= x
        return r
    if head == "^" and v[1].denominator == 1:
        return v[0] ** int(v[1])
    if head == "abs":
        return abs(v[0])
    raise Unchecked(head)


def ev_iv(t, env, defs):
    """An mpmath interval (60 digits) of a real term, or a bool of a formula: for the terms
    `ev` cannot value exactly (arctan, sqrt, exp, ...). A comparison whose sides' intervals
    overlap raises Unchecked: a model is valid only where every decision is certain."""
    from mpmath import iv
    iv.dps = 60
    if isinstance(t, str):
        if t in env:
            v = env[t]
            return iv.mpf(v.numerator) / v.denominator if isinstance(v, Fraction) else v
        if t in ("true", "false"):
            return t == "true"
        n = number(t)
        if n is not None:
            return iv.mpf(n.numerator) / n.denominator
        if t in defs and not defs[t][0]:
            return ev_iv(defs[t][1], env, defs)
        if t in ("pi", "real.pi"):
            return iv.pi
        raise Unchecked(t)
    head, args = t[0], t[1:]
    bound = binders(ev_iv, head, args, env, defs)
    if bound is not None:
        return bound
    if head == "ite":
        c = ev_iv(args[0], env, defs)
        return ev_iv(args[1], env, defs) if c else ev_iv(args[2], env, defs)
    v = [ev_iv(a, env, defs) for a in args]
    if head in ("and", "or", "not", "=>"):
        return {"and": lambda: all(v), "or": lambda: any(v), "not": lambda: not v[0],
                "=>": lambda: (not v[0]) or v[1]}[head]()
    if head in ("<", "<=", ">", ">="):
        if all(isinstance(x, Fraction) for x in env.values()):
            # Sides with exact values (a model exactly on a decimal bound) compare exactly.
            try:
                exact = ev(t, env, defs)
                if isinstance(exact, bool):
                    return exact
            except (Unchecked, ZeroDivisionError):
                pass
        out = True
        for a, b in zip(v, v[1:]):
            lo, hi = (a, b) if head in ("<", "<=") else (b, a)
            if lo.b < hi.a or (head in ("<=", ">=") and lo.b <= hi.a):
                continue
            if lo.a > hi.b or (head in ("<", ">") and lo.a >= hi.b):
                out = False
                continue
            raise Unchecked(f"{head} undecided at 60 digits")
        return out
    one = {"abs": abs, "sqrt": iv.sqrt, "exp": iv.exp, "log": iv.log, "sin": iv.sin,
           "cos": iv.cos, "tan": iv.tan, "arctan": lambda x: iv.atan2(x, iv.mpf(1))}
    if head in one:
        return one[head](v[0])
    if head == "+":
        return sum(v[1:], v[0])
    if head == "-":
        return -v[0] if len(v) == 1 else v[0] - sum(v[2:], v[1])
    if head == "*":
        r = v[0]
        for x in v[1:]:
            r = r * x
        return r
    if head == "/":
        r = v[0]
        for x in v[1:]:
            if x.a <= 0 <= x.b:
                raise Unchecked("division by an interval around 0")
            r = r / x
        return r
    if head == "^":
        k = args[1]
        n = number(k) if isinstance(k, str) else None
        if n is not None and n.denominator == 1:
            return v[0] ** int(n)
        if n == Fraction(1, 2):
            return iv.sqrt(v[0])
    raise Unchecked(head)


def model_of(text):
    """{name: Fraction} from `(model (define-fun x () Real V) ...)` output."""
    out = {}
    for d in parse_sexps(text)[0] if text.strip() else []:
        if isinstance(d, list) and d and d[0] == "define-fun":
            out[d[1].strip("|")] = ev(d[4], {}, {})
    return out


def recheck(path, model):
    """'valid', 'INVALID' or 'unchecked (f)': the file's assertions at the model, exactly."""
    with open(path) as f:
        script = parse_sexps(f.read())
    defs, env = {}, {k: v for k, v in model.items()}
    how = "valid"
    try:
        for cmd in script:
            if not isinstance(cmd, list) or not cmd:
                continue
            if cmd[0] == "define-fun":
                defs[cmd[1]] = ([p[0] for p in cmd[2]], cmd[4])
            elif cmd[0] == "assert":
                try:
                    holds = ev(cmd[1], env, defs)
                except Unchecked:
                    # A function without exact values: 60-digit intervals decide.
                    holds = ev_iv(cmd[1], env, defs)
                    how = "valid (intervals)"
                if holds is not True:
                    return "INVALID"
            elif cmd[0] == "check-sat":
                break
    except Unchecked as e:
        return f"unchecked ({e})"
    except (KeyError, ZeroDivisionError, TypeError, IndexError, ImportError) as e:
        return f"unchecked ({type(e).__name__})"
    return how


# ---- the tools ----


def run_stabcert(exe, path, timeout):
    with open(path) as f:
        text = f.read()
    with tempfile.NamedTemporaryFile("w", suffix=".smt2", delete=False) as tmp:
        tmp.write(text.replace("(check-sat)", "(check-sat)\n(get-model)", 1))
    t0 = time.perf_counter()
    try:
        p = subprocess.run([exe, "solve", "--timeout", str(timeout), tmp.name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=10 * timeout + 30)
        out, code = p.stdout, p.returncode
    except subprocess.TimeoutExpired:
        out, code = "", -1
    ms = (time.perf_counter() - t0) * 1e3
    os.unlink(tmp.name)
    lines = out.strip().splitlines()
    answer = lines[0] if lines and code == 0 else ("error" if code != -1 else "hung")
    model = None
    if answer == "sat":
        model = model_of("\n".join(lines[1:]))
    return answer, ms, model


PEER = r"""
import sys, time, json
tool, ms, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import re
text = open(path).read()
text = re.sub(r"\(set-logic [^)]*\)", "(set-logic ALL)", text)
t0 = time.perf_counter()
try:
    if tool == "z3":
        import z3
        s = z3.Solver()
        s.set("timeout", ms)
        s.add(z3.parse_smt2_string(text))
        t0 = time.perf_counter()
        r = str(s.check())
    else:
        import cvc5
        s = cvc5.Solver()
        s.setOption("tlimit-per", str(ms))
        s.setOption("produce-models", "true")
        p = cvc5.InputParser(s)
        p.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "f")
        sm = p.getSymbolManager()
        r = "unknown"
        while True:
            c = p.nextCommand()
            if c.isNull():
                break
            o = c.invoke(s, sm)
            if o and o.strip().startswith("(error"):
                r = "error"
                break
            if o and o.strip() and o.split()[0] in ("sat", "unsat", "unknown"):
                r = o.split()[0]
                break
except Exception as e:
    r = "error"
print(json.dumps([r, (time.perf_counter() - t0) * 1e3]))
"""


def run_peer(python, tool, path, timeout):
    try:
        p = subprocess.run([python, "-c", PEER, tool, str(int(timeout * 1000)), path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=10 * timeout + 30)
        r, ms = json.loads(p.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        r, ms = "hung", 10 * timeout * 1e3
    return r, ms


def reason(exe, path, timeout):
    p = subprocess.run([exe, "check", "--timeout", str(timeout), "--format", "json", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        c = json.loads(p.stdout)["claims"][0]
        r = " ".join(str(c.get("reason") or c.get("verdict")).split())
        # The resisting conclusion is quoted first; long ones are shortened.
        head, sep, tail = r.partition("`: ")
        if sep and len(head) > 100:
            r = f"{head[:60]} ... {head[-30:]}`: {tail}"
        return r
    except (ValueError, KeyError, IndexError):
        return f"(no JSON: {p.stderr.strip()[:200]})"


def kernel_recheck(exe, rel, timeout):
    """Proves `rel` again with certificates (same time limit) and re-checks them with the
    kernel; prints one line and returns 1 if the kernel rejects a certificate."""
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run([exe, "check", "--timeout", str(timeout), "--certificates", d,
                            os.path.join(SET, rel)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if not os.listdir(d):
            print(f"  {rel}: no certificate (not proved in the re-run: exit {p.returncode})",
                  flush=True)
            return 0
        t0 = time.perf_counter()
        r = subprocess.run([exe, "recheck", d], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        lines = r.stdout.strip().splitlines()
        first = " ".join(lines[0].split()) if lines else r.stderr.strip()[:200]
        print(f"  {rel}: {first} ({time.perf_counter() - t0:.1f} s)", flush=True)
        return 0 if r.returncode == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=4.0, help="seconds per file and tool")
    ap.add_argument("--stabcert", default=os.path.join(ROOT, "target", "release", "stabcert"))
    ap.add_argument("--python", default=sys.executable, help="a Python with z3 and cvc5")
    ap.add_argument("--no-peers", action="store_true", help="run stabcert only")
    ap.add_argument("--reasons", action="store_true", help="print why stabcert left a file unknown")
    ap.add_argument("--recheck", action="store_true",
                    help="re-prove every file stabcert answered unsat with certificates and "
                         "re-check them with the kernel (slow: minutes per dihedral file)")
    args = ap.parse_args()

    files = sources()
    tools = ["stabcert"] + ([] if args.no_peers else ["z3", "cvc5"])
    stats = {t: {"decided": 0, "wrong": 0, "ms": 0.0} for t in tools}
    both = {t: [0.0, 0.0] for t in tools[1:]}
    models = {"valid": 0, "invalid": 0, "unchecked": 0}
    unknown, proved = [], []
    head = f"{'file':40} {'expect':6} " + " ".join(f"{t:>16}" for t in tools) + "  model"
    print(head)
    print("-" * len(head))
    for rel, expect in files:
        path = os.path.join(SET, rel)
        if not os.path.exists(path):
            print(f"listed in SOURCES but missing: {rel}", file=sys.stderr)
            return 2
        a, ms, model = run_stabcert(args.stabcert, path, args.timeout)
        row = {"stabcert": (a, ms)}
        for t in tools[1:]:
            row[t] = run_peer(args.python, t, path, args.timeout)
        check = ""
        if a == "sat":
            check = recheck(path, model or {})
            key = ("valid" if check.startswith("valid") else
                   ("invalid" if check == "INVALID" else "unchecked"))
            models[key] += 1
        if a not in ("sat", "unsat"):
            unknown.append(rel)
        if a == "unsat":
            proved.append(rel)
        cells = []
        for t in tools:
            r, m = row[t]
            s = stats[t]
            s["ms"] += m
            if r in ("sat", "unsat"):
                s["decided"] += 1
                if r != expect:
                    s["wrong"] += 1
                    r = r + "!"
            cells.append(f"{r} {m:7.0f}ms")
        for t in tools[1:]:
            if row[t][0] in ("sat", "unsat") and a in ("sat", "unsat"):
                both[t][0] += ms
                both[t][1] += row[t][1]
        print(f"{rel:40} {expect:6} " + " ".join(f"{c:>16}" for c in cells) + f"  {check}",
              flush=True)
    n = len(files)
    print()
    print(f"{n} files ({sum(e == 'unsat' for _, e in files)} expected unsat, "
          f"{sum(e == 'sat' for _, e in files)} expected sat), {args.timeout:g} s per file and tool;"
          " `!` marks a wrong answer")
    for t in tools:
        s = stats[t]
        print(f"  {t:8}: decided {s['decided']}/{n} ({100 * s['decided'] / n:.0f}%), "
              f"wrong {s['wrong']}, total {s['ms'] / 1e3:.1f} s")
    print(f"  stabcert models re-checked (exactly, or 60-digit intervals): {models['valid']} valid, "
          f"{models['invalid']} invalid, {models['unchecked']} unchecked")
    for t in tools[1:]:
        a, b = both[t]
        ratio = f"{b / a:.2f}x" if a > 0 else "n/a"
        print(f"  solve time {t}/stabcert on the files both decided: "
              f"{b / 1e3:.2f} s / {a / 1e3:.2f} s = {ratio}")
        total = stats[t]["ms"] / max(stats["stabcert"]["ms"], 1e-9)
        print(f"  solve time {t}/stabcert over all files: {total:.2f}x")
    if args.reasons and unknown:
        print()
        print("why stabcert left these unknown:")
        for rel in unknown:
            print(f"  {rel}: {reason(args.stabcert, os.path.join(SET, rel), args.timeout)}")
    rejected = 0
    if args.recheck:
        print()
        print("kernel re-check of stabcert's proofs (check --certificates, then recheck):")
        for rel in proved:
            rejected += kernel_recheck(args.stabcert, rel, args.timeout)
    bad = rejected or stats["stabcert"]["wrong"] or models["invalid"] or any(
        stats[t]["wrong"] for t in tools)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
