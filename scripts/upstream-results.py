#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the results of upstream Linux's namespace selftests run in a guest.

Input (files, or stdin): for each program, as the guest sends it,

    NSTREE-UPSTREAM-PROG name
    ...the program's stdout and stderr (kselftest_harness TAP)...
    NSTREE-UPSTREAM-RC name rc

Every case the harness reports is keyed PROGRAM:CASE, CASE being the harness's
name for it (global.test, fixture.test or fixture.variant.test). With --expected
FILE, the table between the lines <!-- upstream-expected-begin --> and
<!-- upstream-expected-end --> of FILE (Documentation/compat.md) lists the cases
known not to pass:

    | kernel | case | result | reason |
    |---|---|---|---|
    | 6.1 | listns_test:global.listns_basic_unified | skip | no listns(2) before 6.19 |

kernel is one name, several separated by commas, or "all"; case is PROGRAM:CASE
and may be an fnmatch pattern (listns_test:*); result is fail or skip. For a case
that more than one row matches, an exact row wins over a pattern, and among
patterns the first row wins.

Exit status 1, and a failed count above zero, when for --kernel:
  - a case fails that the table does not list as fail;
  - a listed case does not do what its row says (it passes, or skips when listed as
    fail, or fails when listed as skip), or a row matches no case: the table
    cannot go stale;
  - a program reported no TAP plan, fewer results than its plan, a "Bail out!",
    no exit status (the output ends inside it), an exit status its results do not
    explain (a signal, a timeout) or a test it started but never finished;
  - a program of --programs is missing from the input.
Exit status 2 for a bad table or bad arguments.

The last line is "upstream KERNEL passed=P failed=F skipped=S": failed counts the
unexpected outcomes above only; a case failing as listed counts as skipped (known
and explained by the table, not passed); harness XFAIL/XPASS count as passed.
"""

import argparse
import fnmatch
import re
import sys

PROG_RE = re.compile(r"NSTREE-UPSTREAM-PROG\s+(\S+)\s*$")
RC_RE = re.compile(r"NSTREE-UPSTREAM-RC\s+(\S+)\s+(-?\d+)\s*$")
PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
RUN_RE = re.compile(r"^#\s+RUN\s+(\S+)\s+\.\.\.\s*$")
VERDICT_RE = re.compile(r"^#\s+(OK|FAIL)\s+(\S+)\s*$")
RESULT_RE = re.compile(r"^(not ok|ok)\s+(\d+)\b\s*(.*)$")
BAIL_RE = re.compile(r"^Bail out!\s*(.*)$")
DIRECTIVE_RE = re.compile(r"^ ?(SKIP|XFAIL|XPASS|TODO)\b(.*)$", re.IGNORECASE)

BEGIN = "<!-- upstream-expected-begin -->"
END = "<!-- upstream-expected-end -->"

# The name of the pseudo-case of a program that skipped as a whole (1..0 # SKIP).
WHOLE = "(program)"

KSFT_PASS, KSFT_FAIL, KSFT_SKIP = 0, 1, 4


class TableError(Exception):
    pass


class Case:
    def __init__(self, name):
        self.name = name
        self.result = None  # pass, fail, skip, xfail, xpass; None while running
        self.reason = ""
        self.log = []


class Program:
    def __init__(self, name):
        self.name = name
        self.plan = None
        self.plan_skip = None
        self.rc = None
        self.bail = None
        self.cases = {}
        self.reported = 0
        self.current = None  # the case RUN and not reported yet
        self.stray = []  # output outside any case
        self.errors = []

    def case(self, name):
        if name not in self.cases:
            self.cases[name] = Case(name)
        return self.cases[name]

    def feed(self, line):
        m = PLAN_RE.match(line)
        if m and self.plan is None:
            self.plan = int(m.group(1))
            directive = (m.group(2) or "").strip()
            if self.plan == 0 and directive[:4].upper() == "SKIP":
                self.plan_skip = directive[4:].strip() or "skipped"
            return
        m = RUN_RE.match(line)
        if m:
            self.current = self.case(m.group(1))
            return
        m = RESULT_RE.match(line)
        if m and self.result(m.group(1), int(m.group(2)), m.group(3)):
            return
        m = BAIL_RE.match(line)
        if m:
            self.bail = m.group(1).strip() or "(no reason)"
        if self.current is not None:
            self.current.log.append(line)
        elif line.strip():
            self.stray.append(line)

    def result(self, tap, num, rest):
        """Record a TAP result line; False when it is not this program's own."""
        hashpos = rest.find("#")
        name = (rest if hashpos < 0 else rest[:hashpos]).strip()
        raw = "" if hashpos < 0 else rest[hashpos + 1:]
        directive = raw.strip()
        if not name:
            # "ok N # SKIP reason" from ksft_exit_skip() after the plan; anything
            # else nameless is a test's own low-level ksft output ("not ok 1 #
            # Illegal usage of low-level ksft APIs in harness test").
            m = DIRECTIVE_RE.match(raw)
            if self.current is None and tap == "ok" and m and m.group(1).upper() == "SKIP":
                self.plan_skip = m.group(2).strip() or "skipped"
                self.reported += 1
                return True
            return False
        if self.current is not None and name != self.current.name:
            return False  # a test printing TAP of its own
        if self.current is None and (num != self.reported + 1 or name in self.cases):
            return False
        c = self.case(name)
        # "# SKIP reason" is a directive; "#  text" (two spaces) a plain diagnostic.
        m = DIRECTIVE_RE.match(raw)
        kind = m.group(1).upper() if m else ""
        reason = m.group(2).strip() if m else ""
        if tap == "not ok":
            c.result, c.reason = "fail", directive
        elif kind == "SKIP":
            c.result, c.reason = "skip", reason
        elif kind == "XFAIL":
            c.result, c.reason = "xfail", reason
        elif kind == "XPASS":
            c.result, c.reason = "xpass", reason
        else:
            c.result, c.reason = "pass", directive
        self.reported += 1
        self.current = None
        return True

    def close(self, rc):
        self.rc = rc
        # A case started and never reported fails; the program's end (no exit
        # status, or a signal's) is its own error below.
        for c in self.cases.values():
            if c.result is None:
                c.result = "fail"
                c.reason = "started, never reported: the program stopped during it"
        if self.plan_skip is not None:
            self.case(WHOLE).result = "skip"
            self.cases[WHOLE].reason = self.plan_skip
        if rc is None:
            self.errors.append("no exit status: the output ends inside the program "
                               "(guest crashed or timed out?)")
        if self.plan is None:
            self.errors.append("no TAP plan (crashed before it started, or not a kselftest program)")
        elif self.plan_skip is None and self.reported != self.plan:
            self.errors.append("planned %d results, reported %d" % (self.plan, self.reported))
        if self.bail is not None:
            self.errors.append("Bail out! %s" % self.bail)
        if rc is not None:
            failing = any(c.result == "fail" for c in self.cases.values())
            if rc not in (KSFT_PASS, KSFT_FAIL, KSFT_SKIP):
                self.errors.append("exit status %d (%s)" % (rc, describe_rc(rc)))
            elif (rc == KSFT_FAIL) != failing:
                self.errors.append("exit status %d does not match its results (%s)"
                                   % (rc, "a case failed" if failing else "no case failed"))


def describe_rc(rc):
    if rc == 124:
        return "timed out"
    if rc > 128:
        return "killed by signal %d" % (rc - 128)
    if rc < 0:
        return "killed by signal %d" % -rc
    return "not a kselftest exit status"


def parse(lines):
    """The programs of the guest's output, in order, keyed by name."""
    progs = {}
    order = []
    prog = None
    errors = []
    for raw in lines:
        line = raw.rstrip("\n").replace("\r", "")
        m = PROG_RE.search(line)
        if m:
            before = line[:m.start()]
            if prog is not None:
                if before:
                    prog.feed(before)
                prog.close(None)
            name = m.group(1)
            if name in progs:
                errors.append("%s: run twice, the second run replaces the first" % name)
                order.remove(name)
            prog = progs[name] = Program(name)
            order.append(name)
            continue
        m = RC_RE.search(line)
        if m:
            before = line[:m.start()]
            if prog is not None and before:
                prog.feed(before)
            if prog is None or prog.name != m.group(1):
                errors.append("NSTREE-UPSTREAM-RC %s without its NSTREE-UPSTREAM-PROG line" % m.group(1))
                if prog is not None:
                    prog.close(None)
            else:
                prog.close(int(m.group(2)))
            prog = None
            continue
        if prog is not None:
            prog.feed(line)
    if prog is not None:
        prog.close(None)
    return [progs[n] for n in order], errors


class Entry:
    def __init__(self, kernels, case, result, reason, lineno):
        self.kernels = kernels
        self.case = case
        self.result = result
        self.reason = reason
        self.lineno = lineno
        self.pattern = any(ch in case for ch in "*?[")
        self.matched = []


def load_expected(path):
    """The rows of the expected-results table of the Markdown file PATH."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().splitlines()
    except OSError as e:
        raise TableError("cannot read %s: %s" % (path, e.strerror)) from e
    try:
        begin = next(i for i, l in enumerate(text) if l.strip() == BEGIN)
        end = next(i for i, l in enumerate(text) if l.strip() == END and i > begin)
    except StopIteration:
        raise TableError("%s: no table between %s and %s" % (path, BEGIN, END)) from None
    entries = []
    seen = {}
    for lineno in range(begin + 2, end + 1):
        line = text[lineno - 1].strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip().strip("`").strip() for c in line.strip("|").split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            continue
        if [c.lower() for c in cells[:3]] == ["kernel", "case", "result"]:
            continue
        where = "%s:%d" % (path, lineno)
        if len(cells) < 3:
            raise TableError("%s: a row needs | kernel | case | result | reason |" % where)
        kernels = [k for k in re.split(r"[,\s]+", cells[0]) if k]
        case, result = cells[1], cells[2].lower()
        reason = cells[3] if len(cells) > 3 else ""
        if not kernels:
            raise TableError("%s: no kernel" % where)
        if ":" not in case or case.startswith(":") or case.endswith(":"):
            raise TableError("%s: case '%s' is not PROGRAM:CASE" % (where, case))
        if result not in ("fail", "skip", "racy"):
            raise TableError("%s: result '%s' is not fail, skip or racy" % (where, cells[2]))
        for k in kernels:
            if (k, case) in seen:
                raise TableError("%s: %s on %s is already listed at line %d"
                                 % (where, case, k, seen[(k, case)]))
            seen[(k, case)] = lineno
        entries.append(Entry(kernels, case, result, reason, lineno))
    return entries


def entry_for(key, entries):
    for e in entries:
        if not e.pattern and e.case == key:
            return e
    for e in entries:
        if e.pattern and fnmatch.fnmatchcase(key, e.case):
            return e
    return None


class Report:
    def __init__(self, kernel):
        self.kernel = kernel
        self.passed = self.failed = self.skipped = 0
        self.lines = []  # per-program summaries
        self.problems = []  # unexpected outcomes, one per failed count

    def problem(self, text, log=()):
        self.failed += 1
        self.problems.append((text, list(log)))


def evaluate(progs, parse_errors, entries, kernel, programs=None):
    entries = [e for e in entries if kernel in e.kernels or "all" in e.kernels]
    r = Report(kernel)
    for text in parse_errors:
        r.problem("input: " + text)
    names = {p.name for p in progs}
    for name in programs or []:
        if name not in names:
            r.problem("%s: missing from the output (not run?)" % name)
    for p in progs:
        counts = {"pass": 0, "fail": 0, "skip": 0, "listed": 0, "unexpected": 0}
        for c in p.cases.values():
            key = "%s:%s" % (p.name, c.name)
            e = entry_for(key, entries)
            if e is not None:
                e.matched.append(key)
            res = c.result
            listed = ""
            if e is not None:
                listed = " (listed %s on %s at line %d: %s)" % (e.result, kernel, e.lineno, e.reason)
            why = " (%s)" % c.reason if c.reason else ""
            # A racy row accepts any outcome: the case races natively too.
            racy = e is not None and e.result == "racy"
            if res == "fail":
                if e is not None and e.result in ("fail", "racy"):
                    r.skipped += 1
                    counts["listed"] += 1
                else:
                    r.problem("UNEXPECTED FAIL %s%s%s" % (key, why, listed), c.log)
                    counts["unexpected"] += 1
            elif res == "skip":
                if e is not None and e.result in ("skip", "racy"):
                    r.skipped += 1
                    counts["skip"] += 1
                elif e is not None:
                    r.problem("STALE %s skipped (%s)%s" % (key, c.reason or "no reason", listed))
                    counts["unexpected"] += 1
                else:
                    # A case that skips must say so in the table, as one that fails.
                    r.problem("UNEXPECTED SKIP %s%s" % (key, why), c.log)
                    counts["unexpected"] += 1
            else:
                if e is not None and not racy:
                    r.problem("STALE %s passed%s" % (key, listed))
                    counts["unexpected"] += 1
                else:
                    r.passed += 1
                    counts["pass"] += 1
        if p.errors:
            r.problem("PROGRAM %s: %s" % (p.name, "; ".join(p.errors)), p.stray[-10:])
        line = "%s: %d cases: %d passed, %d skipped" % (p.name, len(p.cases), counts["pass"], counts["skip"])
        if counts["listed"]:
            line += ", %d failed as listed" % counts["listed"]
        if counts["unexpected"]:
            line += ", %d unexpected" % counts["unexpected"]
        if p.errors:
            line += "; %s" % "; ".join(p.errors)
        r.lines.append(line)
    incomplete = {p.name for p in progs if p.errors}
    for e in entries:
        if e.matched:
            continue
        ran = fnmatch.filter(sorted(names), e.case.split(":", 1)[0])
        if ran and all(n in incomplete for n in ran):
            continue  # its program's own error already fails the run
        what = "matches no case that ran" if ran else "its program did not run"
        r.problem("STALE row %d (%s %s on %s): %s" % (e.lineno, e.case, e.result, kernel, what))
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="*", help="the guest's output (default: stdin)")
    ap.add_argument("--expected", metavar="FILE", help="Markdown file with the expected-results table")
    ap.add_argument("--kernel", metavar="NAME", help="the kernel the guest ran (6.1, 6.12, sid...)")
    ap.add_argument("--programs", metavar="LIST",
                    help="programs that must be in the output (comma- or space-separated)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case's result")
    args = ap.parse_args(argv)
    if args.expected and not args.kernel:
        ap.error("--expected needs --kernel")
    kernel = args.kernel or "unknown"
    try:
        entries = load_expected(args.expected) if args.expected else []
    except TableError as e:
        print("upstream-results: %s" % e, file=sys.stderr)
        return 2
    lines = []
    for path in args.input or ["-"]:
        if path == "-":
            lines += sys.stdin.read().splitlines()
        else:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    lines += f.read().splitlines()
            except OSError as e:
                print("upstream-results: cannot read %s: %s" % (path, e.strerror), file=sys.stderr)
                return 2
    progs, errors = parse(lines)
    programs = [p for p in re.split(r"[,\s]+", args.programs or "") if p]
    r = evaluate(progs, errors, entries, kernel, programs)
    if args.verbose:
        for p in progs:
            for c in p.cases.values():
                why = " (%s)" % c.reason if c.reason else ""
                print("%-5s %s:%s%s" % (c.result.upper(), p.name, c.name, why))
    for line in r.lines:
        print("upstream %s: %s" % (kernel, line))
    for text, log in r.problems:
        print(text)
        for l in log[-20:]:
            print("    | " + l)
    print("upstream %s passed=%d failed=%d skipped=%d" % (kernel, r.passed, r.failed, r.skipped))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
