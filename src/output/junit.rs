//! The JUnit XML report: one testsuite a file, one testcase a claim. An unmet claim is a
//! `<failure>` whose message gives the expectation, the verdict and the witness or reason.

use super::{detail_text, verdict_name, Checked, Exporter};
use crate::dynamics::Report as SystemReport;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

pub struct JunitExporter;

impl Exporter for JunitExporter {
    fn render(&self, results: &[Checked], systems: &[SystemReport]) -> anyhow::Result<String> {
        Ok(report(results, systems).to_string()?)
    }
}

/// The JUnit report as data, for callers that add suites of their own (`stabcert report`).
pub fn report(results: &[Checked], systems: &[SystemReport]) -> Report {
    let mut report = Report::new("stabcert");
    for (file, claims) in group_by_file(results) {
        let mut suite = TestSuite::new(file);
        suite.add_test_cases(claims.into_iter().map(test_case));
        report.add_test_suite(suite);
    }
    for s in systems {
        let mut suite = TestSuite::new(format!("system {}", s.system.name));
        suite.add_test_case(system_case(s));
        report.add_test_suite(suite);
    }
    report
}

/// A system is one test case: it fails with its problems listed.
fn system_case(s: &SystemReport) -> TestCase {
    let status = if s.ok() {
        TestCaseStatus::success()
    } else {
        let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
        st.set_type("system").set_message(s.problems.join("; "));
        st
    };
    let mut case = TestCase::new(s.system.name.as_str(), status);
    case.set_classname(s.system.file.display().to_string());
    case.set_system_out(s.to_text());
    case
}

/// The results grouped by file, files in order of first appearance.
fn group_by_file<'r, 'a>(results: &'r [Checked<'a>]) -> Vec<(String, Vec<&'r Checked<'a>>)> {
    let mut groups: Vec<(String, Vec<&Checked>)> = Vec::new();
    for r in results {
        let file = r.claim.file.display().to_string();
        match groups.iter_mut().find(|(f, _)| *f == file) {
            Some((_, claims)) => claims.push(r),
            None => groups.push((file, vec![r])),
        }
    }
    groups
}

fn test_case(r: &Checked) -> TestCase {
    let mut case = TestCase::new(r.claim.name.as_str(), status(r));
    case.set_classname(r.claim.file.display().to_string());
    if let Ok(time) = Duration::try_from_secs_f64(r.outcome.millis / 1000.0) {
        case.set_time(time);
    }
    if r.is_met() {
        if let Some(detail) = detail_text(&r.outcome) {
            case.set_system_out(detail);
        }
    }
    case
}

/// Success when met; otherwise a failure of type the verdict, with the details in its message
/// and the claim's source in its body.
fn status(r: &Checked) -> TestCaseStatus {
    if r.is_met() {
        return TestCaseStatus::success();
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type(verdict_name(r.outcome.verdict()))
        .set_message(failure_message(r))
        .set_description(r.claim.source.as_str());
    status
}

/// `expected proved, got refuted at x = 1/2: fails x < 1/2`.
fn failure_message(r: &Checked) -> String {
    let head = format!(
        "expected {}, got {}",
        verdict_name(r.expected()),
        verdict_name(r.outcome.verdict())
    );
    match detail_text(&r.outcome) {
        Some(detail) if r.outcome.witness().is_some() => format!("{head} {detail}"),
        Some(detail) => format!("{head}: {detail}"),
        None => head,
    }
}
