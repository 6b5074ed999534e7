#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/upstream-results.py: python3 scripts/test_upstream_results.py

The TAP samples are kselftest_harness.h's own output (7.2's harness, as its
kselftest_harness/harness-selftest.expected and the namespace selftests print it),
cut down to a few cases each.
"""

import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no scripts/__pycache__ in the tree
_spec = importlib.util.spec_from_file_location(
    "upstream_results", os.path.join(os.path.dirname(os.path.abspath(__file__)), "upstream-results.py"))
ur = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ur)

# nsid_test: a pass, a skip from SKIP(), a failed assertion, a timeout.
NSID = """\
NSTREE-UPSTREAM-PROG nsid_test
TAP version 13
1..4
# Starting 4 tests from 2 test cases.
#  RUN           global.nsid_mntns_basic ...
#            OK  global.nsid_mntns_basic
ok 1 global.nsid_mntns_basic
#  RUN           global.nsid_timens_basic ...
#      SKIP      Time namespaces not supported
#            OK  global.nsid_timens_basic
ok 2 global.nsid_timens_basic # SKIP Time namespaces not supported
#  RUN           nsid.mntns_separate ...
# nsid_test.c:120:mntns_separate:Expected ret (-1) == 0 (0)
# mntns_separate: Test terminated by assertion
#          FAIL  nsid.mntns_separate
not ok 3 nsid.mntns_separate
#  RUN           nsid.netns_separate ...
# netns_separate: Test terminated by timeout
#          FAIL  nsid.netns_separate
not ok 4 nsid.netns_separate
# FAILED: 2 / 4 tests passed.
# 1 skipped test(s) detected. Consider enabling relevant config options to improve coverage.
# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:1 error:0
NSTREE-UPSTREAM-RC nsid_test 1
"""

# init_ino_test: all pass, exit 0.
INIT = """\
NSTREE-UPSTREAM-PROG init_ino_test
TAP version 13
1..1
# Starting 1 tests from 1 test cases.
#  RUN           global.init_namespace_inodes ...
#            OK  global.init_namespace_inodes
ok 1 global.init_namespace_inodes
# PASSED: 1 / 1 tests passed.
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
NSTREE-UPSTREAM-RC init_ino_test 0
"""

# The harness's own odd forms: XFAIL/XPASS directives and a test's low-level ksft
# output ("not ok 1 # ...") inside a case, which is not a case of its own.
ODD = """\
NSTREE-UPSTREAM-PROG odd
TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           global.exit_xpass ...
#            OK  global.exit_xpass
ok 1 global.exit_xpass # XPASS unknown
#  RUN           global.exit_xfail ...
#            OK  global.exit_xfail
ok 2 global.exit_xfail # XFAIL unknown
#  RUN           global.test_result_fail ...
not ok 1 # Illegal usage of low-level ksft APIs in harness test
# test_result_fail: Test failed
#          FAIL  global.test_result_fail
not ok 3 global.test_result_fail
# FAILED: 2 / 3 tests passed.
# Totals: pass:0 fail:1 xfail:1 xpass:1 skip:0 error:0
NSTREE-UPSTREAM-RC odd 1
"""

# stress_test killed by SIGKILL in its second case: the result never came.
CRASH = """\
NSTREE-UPSTREAM-PROG stress_test
TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           global.rapid_namespace_creation_destruction ...
#            OK  global.rapid_namespace_creation_destruction
ok 1 global.rapid_namespace_creation_destruction
#  RUN           global.many_concurrent_namespaces ...
NSTREE-UPSTREAM-RC stress_test 137
"""

TABLE = """\
# Compatibility

Text before the table.

<!-- upstream-expected-begin -->
| kernel | case | result | reason |
|---|---|---|---|
| 6.12 | `nsid_test:nsid.mntns_separate` | fail | no mount namespace IDs on 6.12 |
| 6.12 | nsid_test:nsid.netns_separate | fail | hangs on 6.12 |
| 6.12 | nsid_test:global.nsid_timens_basic | skip | no time namespaces in the guest |
| 6.1 | init_ino_test:global.init_namespace_inodes | fail | not on 6.1 |
<!-- upstream-expected-end -->

| kernel | case | result | reason |
|---|---|---|---|
| 6.12 | outside:the.table | bogus | rows outside the markers are not read |
"""


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_main(self, output, *args, table=None):
        argv = [self.write("out.txt", output)]
        if table is not None:
            argv += ["--expected", self.write("compat.md", table)]
        argv += list(args)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            rc = ur.main(argv)
        return rc, buf.getvalue()


class ParseTest(Base):
    def results(self, text):
        progs, errors = ur.parse(text.splitlines())
        self.assertEqual(errors, [])
        return {"%s:%s" % (p.name, c.name): c.result for p in progs for c in p.cases.values()}, progs

    def test_harness_cases(self):
        res, progs = self.results(NSID)
        self.assertEqual(res, {
            "nsid_test:global.nsid_mntns_basic": "pass",
            "nsid_test:global.nsid_timens_basic": "skip",
            "nsid_test:nsid.mntns_separate": "fail",
            "nsid_test:nsid.netns_separate": "fail",
        })
        p = progs[0]
        self.assertEqual((p.plan, p.reported, p.rc, p.errors), (4, 4, 1, []))
        self.assertEqual(p.cases["global.nsid_timens_basic"].reason, "Time namespaces not supported")
        self.assertIn("# netns_separate: Test terminated by timeout", p.cases["nsid.netns_separate"].log)

    def test_xfail_xpass_and_nested_tap(self):
        res, progs = self.results(ODD)
        self.assertEqual(res, {"odd:global.exit_xpass": "xpass", "odd:global.exit_xfail": "xfail",
                               "odd:global.test_result_fail": "fail"})
        self.assertEqual(progs[0].errors, [])
        self.assertIn("not ok 1 # Illegal usage of low-level ksft APIs in harness test",
                      progs[0].cases["global.test_result_fail"].log)

    def test_diagnostic_is_not_a_directive(self):
        # ksft_test_result_code() writes "#  msg" (two spaces) when there is no directive.
        text = INIT.replace("ok 1 global.init_namespace_inodes", "ok 1 global.init_namespace_inodes #  Skip: nothing to do")
        res, progs = self.results(text)
        self.assertEqual(res, {"init_ino_test:global.init_namespace_inodes": "pass"})
        self.assertEqual(progs[0].cases["global.init_namespace_inodes"].reason, "Skip: nothing to do")

    def test_crash(self):
        res, progs = self.results(CRASH)
        self.assertEqual(res["stress_test:global.many_concurrent_namespaces"], "fail")
        errors = " ".join(progs[0].errors)
        self.assertIn("planned 3 results, reported 1", errors)
        self.assertIn("killed by signal 9", errors)

    def test_marker_after_unterminated_line(self):
        text = INIT.replace("# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n", "partial line")
        res, progs = self.results(text)
        self.assertEqual(progs[0].rc, 0)
        self.assertEqual(progs[0].errors, [])

    def test_crlf(self):
        res, progs = self.results(INIT.replace("\n", "\r\n"))
        self.assertEqual(res, {"init_ino_test:global.init_namespace_inodes": "pass"})
        self.assertEqual(progs[0].errors, [])


class MainTest(Base):
    def test_no_table_every_failure_counts(self):
        rc, out = self.run_main(NSID + INIT, "--kernel", "sid")
        self.assertEqual(rc, 1)
        self.assertIn("UNEXPECTED FAIL nsid_test:nsid.mntns_separate", out)
        self.assertIn("    | # nsid_test.c:120:mntns_separate:Expected ret (-1) == 0 (0)", out)
        # An unlisted skip counts as unexpected too.
        self.assertIn("UNEXPECTED SKIP nsid_test:global.nsid_timens_basic", out)
        self.assertTrue(out.endswith("upstream sid passed=2 failed=3 skipped=0\n"), out)

    def test_listed_failures_pass_the_run(self):
        rc, out = self.run_main(NSID + INIT, "--kernel", "6.12", table=TABLE)
        self.assertEqual(rc, 0, out)
        self.assertIn("upstream 6.12: nsid_test: 4 cases: 1 passed, 1 skipped, 2 failed as listed", out)
        self.assertTrue(out.endswith("upstream 6.12 passed=2 failed=0 skipped=3\n"), out)

    def test_other_kernels_rows_do_not_apply(self):
        rc, out = self.run_main(NSID + INIT, "--kernel", "6.1", table=TABLE)
        self.assertEqual(rc, 1)
        # 6.1's row for init_ino_test is stale there: it passes.
        self.assertIn("STALE init_ino_test:global.init_namespace_inodes passed (listed fail on 6.1", out)
        self.assertIn("UNEXPECTED FAIL nsid_test:nsid.netns_separate", out)
        self.assertTrue(out.endswith("upstream 6.1 passed=1 failed=4 skipped=0\n"), out)

    def test_stale_rows(self):
        passing = NSID.replace("not ok 3 nsid.mntns_separate", "ok 3 nsid.mntns_separate")
        passing = passing.replace("ok 2 global.nsid_timens_basic # SKIP Time namespaces not supported",
                                  "ok 2 global.nsid_timens_basic")
        rc, out = self.run_main(passing + INIT, "--kernel", "6.12", table=TABLE)
        self.assertEqual(rc, 1)
        self.assertIn("STALE nsid_test:nsid.mntns_separate passed", out)
        self.assertIn("STALE nsid_test:global.nsid_timens_basic passed", out)
        self.assertIn("failed=2 ", out)

    def test_listed_fail_that_skips_is_stale(self):
        skipping = NSID.replace("not ok 3 nsid.mntns_separate", "ok 3 nsid.mntns_separate # SKIP no ioctl")
        rc, out = self.run_main(skipping, "--kernel", "6.12", table=TABLE)
        self.assertEqual(rc, 1)
        self.assertIn("STALE nsid_test:nsid.mntns_separate skipped (no ioctl)", out)

    def test_listed_skip_that_fails_is_unexpected(self):
        failing = NSID.replace("ok 2 global.nsid_timens_basic # SKIP Time namespaces not supported",
                               "not ok 2 global.nsid_timens_basic")
        rc, out = self.run_main(failing, "--kernel", "6.12", table=TABLE)
        self.assertEqual(rc, 1)
        self.assertIn("UNEXPECTED FAIL nsid_test:global.nsid_timens_basic (listed skip on 6.12", out)

    def test_row_matching_nothing_is_stale(self):
        table = TABLE.replace("| 6.1 | init_ino_test", "| 6.12 | nsid_test:global.renamed | skip | x |\n"
                              "| 6.1 | init_ino_test")
        rc, out = self.run_main(NSID + INIT, "--kernel", "6.12", table=table)
        self.assertEqual(rc, 1)
        self.assertIn("STALE row 11 (nsid_test:global.renamed skip on 6.12): matches no case that ran", out)
        rc, out = self.run_main(INIT, "--kernel", "6.12", table=TABLE)
        self.assertIn("its program did not run", out)

    def test_patterns_and_kernel_lists(self):
        table = TABLE.replace("| 6.1 | init_ino_test:global.init_namespace_inodes | fail | not on 6.1 |",
                              "| 6.1, 6.12 | listns_test:* | skip | no listns(2) |")
        listns = """\
NSTREE-UPSTREAM-PROG listns_test
TAP version 13
1..2
#  RUN           global.listns_basic_unified ...
#      SKIP      listns() not supported
#            OK  global.listns_basic_unified
ok 1 global.listns_basic_unified # SKIP listns() not supported
#  RUN           global.listns_filter_by_type ...
#      SKIP      listns() not supported
#            OK  global.listns_filter_by_type
ok 2 global.listns_filter_by_type # SKIP listns() not supported
# PASSED: 2 / 2 tests passed.
NSTREE-UPSTREAM-RC listns_test 0
"""
        rc, out = self.run_main(NSID + listns, "--kernel", "6.12", table=table)
        self.assertEqual(rc, 0, out)
        self.assertIn("passed=1 failed=0 skipped=5", out)
        # A pattern row goes stale when one case it covers passes.
        rc, out = self.run_main(NSID + listns.replace("ok 2 global.listns_filter_by_type # SKIP listns() not supported",
                                                      "ok 2 global.listns_filter_by_type"),
                                "--kernel", "6.12", table=table)
        self.assertEqual(rc, 1)
        self.assertIn("STALE listns_test:global.listns_filter_by_type passed (listed skip on 6.12 at line 11", out)

    def test_whole_program_skip(self):
        text = ("NSTREE-UPSTREAM-PROG iterate_mntns\nTAP version 13\n1..0 # SKIP needs root\n"
                "NSTREE-UPSTREAM-RC iterate_mntns 4\n")
        rc, out = self.run_main(text, "--kernel", "sid")
        self.assertEqual(rc, 1, out)
        self.assertIn("UNEXPECTED SKIP iterate_mntns:(program)", out)
        table = TABLE.replace("<!-- upstream-expected-end -->",
                              "| sid | iterate_mntns:(program) | skip | needs root |\n<!-- upstream-expected-end -->")
        rc, out = self.run_main(text, "--kernel", "sid", table=table)
        self.assertEqual(rc, 0, out)
        self.assertIn("passed=0 failed=0 skipped=1", out)

    def test_racy_rows_accept_any_outcome(self):
        racy = TABLE.replace("<!-- upstream-expected-end -->",
                             "| sid | nsid_test:nsid.mntns_separate | racy | races natively |\n"
                             "| sid | nsid_test:global.nsid_timens_basic | racy | races natively |\n"
                             "<!-- upstream-expected-end -->")
        rc, out = self.run_main(NSID, "--kernel", "sid", table=racy)
        self.assertIn("UNEXPECTED FAIL nsid_test:nsid.netns_separate", out)
        self.assertNotIn("mntns_separate", out.split("UNEXPECTED FAIL nsid_test:nsid.netns_separate")[0])
        passing = NSID.replace("not ok 3 nsid.mntns_separate", "ok 3 nsid.mntns_separate")
        rc2, out2 = self.run_main(passing, "--kernel", "sid", table=racy)
        self.assertNotIn("STALE", out2)

    def test_program_errors(self):
        rc, out = self.run_main(CRASH, "--kernel", "sid")
        self.assertEqual(rc, 1)
        self.assertIn("PROGRAM stress_test: planned 3 results, reported 1; exit status 137 (killed by signal 9)", out)
        # One crash: its unfinished case and the program, nothing more.
        self.assertIn("passed=1 failed=2 skipped=0", out)
        no_rc = INIT.replace("NSTREE-UPSTREAM-RC init_ino_test 0\n", "")
        rc, out = self.run_main(no_rc, "--kernel", "sid")
        self.assertEqual(rc, 1)
        self.assertIn("no exit status", out)
        no_plan = "NSTREE-UPSTREAM-PROG nsid_test\nSegmentation fault\nNSTREE-UPSTREAM-RC nsid_test 139\n"
        rc, out = self.run_main(no_plan, "--kernel", "sid")
        self.assertEqual(rc, 1)
        self.assertIn("no TAP plan", out)
        self.assertIn("    | Segmentation fault", out)
        bad_rc = INIT.replace("NSTREE-UPSTREAM-RC init_ino_test 0", "NSTREE-UPSTREAM-RC init_ino_test 1")
        rc, out = self.run_main(bad_rc, "--kernel", "sid")
        self.assertEqual(rc, 1)
        self.assertIn("exit status 1 does not match its results (no case failed)", out)

    def test_programs_option(self):
        rc, out = self.run_main(INIT, "--kernel", "sid", "--programs", "init_ino_test,nsid_test")
        self.assertEqual(rc, 1)
        self.assertIn("nsid_test: missing from the output", out)
        rc, out = self.run_main(INIT, "--kernel", "sid", "--programs", "init_ino_test")
        self.assertEqual(rc, 0, out)

    def test_bad_tables(self):
        for bad, msg in [
            (TABLE.replace("| skip | no time", "| flaky | no time"), "is not fail, skip or racy"),
            (TABLE.replace("nsid_test:global.nsid_timens_basic", "nsid_timens_basic"), "not PROGRAM:CASE"),
            (TABLE.replace("| 6.1 | init_ino_test:global.init_namespace_inodes",
                           "| 6.12 | nsid_test:nsid.netns_separate"), "already listed at line 9"),
            (TABLE.replace("<!-- upstream-expected-end -->", ""), "no table between"),
        ]:
            rc, out = self.run_main(INIT, "--kernel", "6.12", table=bad)
            self.assertEqual(rc, 2, out)
            self.assertIn(msg, out)


if __name__ == "__main__":
    unittest.main()
