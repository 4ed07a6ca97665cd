//! The JUnit XML report: one testsuite a file, one testcase a claim. An unmet claim is a
//! `<failure>` whose message gives the expectation, the verdict and the witness or reason.

use super::{rows, system_rows, verdict_name, Checked, ClaimRow, Exporter, SystemRow};
use crate::dynamics::Report as SystemReport;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

pub(crate) struct JunitExporter;

impl Exporter for JunitExporter {
    fn render(&self, results: &[ClaimRow], systems: &[SystemRow]) -> crate::Result<String> {
        Ok(report_rows(results, systems).to_string()?)
    }
}

/// The JUnit report as data, for callers that add suites of their own (`stabcert report`).
pub fn report(results: &[Checked], systems: &[SystemReport]) -> Report {
    report_rows(&rows(results), &system_rows(systems))
}

/// The JUnit report of rows.
pub fn report_rows(results: &[ClaimRow], systems: &[SystemRow]) -> Report {
    let mut report = Report::new("stabcert");
    for (file, claims) in group_by_file(results) {
        let mut suite = TestSuite::new(file);
        suite.add_test_cases(claims.into_iter().map(test_case));
        report.add_test_suite(suite);
    }
    for s in systems {
        let mut suite = TestSuite::new(format!("system {}", s.name));
        suite.add_test_case(system_case(s));
        report.add_test_suite(suite);
    }
    report
}

/// A system is one test case: it fails with its problems listed.
fn system_case(s: &SystemRow) -> TestCase {
    let status = if s.holds {
        TestCaseStatus::success()
    } else {
        let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
        st.set_type("system").set_message(s.problems.join("; "));
        st
    };
    let mut case = TestCase::new(s.name.as_str(), status);
    case.set_classname(s.file.as_str());
    case.set_system_out(s.text.as_str());
    case
}

/// The results grouped by file, files in order of first appearance.
fn group_by_file(results: &[ClaimRow]) -> Vec<(String, Vec<&ClaimRow>)> {
    let mut groups: Vec<(String, Vec<&ClaimRow>)> = Vec::new();
    for r in results {
        match groups.iter_mut().find(|(f, _)| *f == r.file) {
            Some((_, claims)) => claims.push(r),
            None => groups.push((r.file.clone(), vec![r])),
        }
    }
    groups
}

fn test_case(r: &ClaimRow) -> TestCase {
    let mut case = TestCase::new(r.name.as_str(), status(r));
    case.set_classname(r.file.as_str());
    if let Ok(time) = Duration::try_from_secs_f64(r.millis / 1000.0) {
        case.set_time(time);
    }
    if r.is_met() {
        if let Some(detail) = r.detail() {
            case.set_system_out(detail);
        }
    }
    case
}

/// Success when met; otherwise a failure of type the verdict, with the details in its message
/// and the claim's source in its body.
fn status(r: &ClaimRow) -> TestCaseStatus {
    if r.is_met() {
        return TestCaseStatus::success();
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type(verdict_name(r.verdict))
        .set_message(failure_message(r))
        .set_description(r.source.as_str());
    status
}

/// `expected proved, got refuted at x = 1/2: fails x < 1/2`, or
/// `expected proved, got proved (vacuous: x in [1, 0] is empty)`.
fn failure_message(r: &ClaimRow) -> String {
    let head = format!("expected {}, got {}", r.expect.name(), r.verdict_text());
    match r.detail() {
        Some(detail) if r.witness.is_some() => format!("{head} {detail}"),
        Some(detail) => format!("{head}: {detail}"),
        None => head,
    }
}
