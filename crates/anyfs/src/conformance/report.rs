//! Running cases: each in its own `catch_unwind` so a panicking or failing case cannot hide the
//! others, with a printed line per case and a [`Report`] of the whole run.

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::check::Outcome;

/// The factory every case receives: it returns a fresh, empty backend on each call (a host
/// backend creates a new temporary directory in it).
pub type Factory<'a, B> = &'a dyn Fn() -> B;

/// One named conformance case over backends of type `B`.
pub struct Case<B> {
    /// The case's name, e.g. `"read_missing_is_not_found"`.
    pub name: &'static str,
    /// The check itself; it calls the factory for as many fresh backends as it needs.
    pub run: fn(Factory<'_, B>) -> Outcome,
}

impl<B> Clone for Case<B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for Case<B> {}

impl<B> fmt::Debug for Case<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case").field("name", &self.name).finish()
    }
}

/// Builds a `Vec<Case<B>>` from case functions generic over `B`: `cases![B; a, b]`.
macro_rules! cases {
    ($b:ident; $($case:ident),* $(,)?) => {
        vec![$($crate::conformance::Case::<$b> {
            name: stringify!($case),
            run: $case::<$b>,
        }),*]
    };
}
pub(crate) use cases;

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's name.
    pub name: &'static str,
    /// `None` when it passed; the failure message (or the panic's payload) otherwise.
    pub failure: Option<String>,
}

/// Every case a runner ran, in order.
///
/// Its `Debug` form is the human summary (totals and each failure), so a test returning
/// `Result<(), Report>` prints a readable failure.
#[derive(Clone, PartialEq, Eq)]
pub struct Report {
    /// The suite's name, e.g. `"fs_posix"` or `"memory::layer1_fs"`.
    pub suite: String,
    /// One entry per case run.
    pub results: Vec<CaseResult>,
}

impl Report {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.failure.is_none()).count()
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.results.iter().filter(|r| r.failure.is_some())
    }

    /// The totals line the runners print: `conformance: fs_posix: 142 passed, 0 failed`.
    pub fn summary(&self) -> String {
        format!(
            "conformance: {}: {} passed, {} failed",
            self.suite,
            self.passed(),
            self.failed()
        )
    }

    /// `Ok(self)` when every case passed, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<Report, Report> {
        if self.failed() == 0 {
            Ok(self)
        } else {
            Err(self)
        }
    }

    /// Joins reports of several suites into one (the cumulative layer runners use it).
    pub fn merge(suite: impl Into<String>, reports: impl IntoIterator<Item = Report>) -> Report {
        Report {
            suite: suite.into(),
            results: reports.into_iter().flat_map(|r| r.results).collect(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for failure in self.failures() {
            writeln!(
                f,
                "  FAIL {}: {}",
                failure.name,
                failure.failure.as_deref().unwrap_or_default()
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Report {}

/// Runs `cases` against fresh backends from `make`, printing one line per case and the totals.
///
/// Returns `Ok` when all passed, `Err` with the same report otherwise. Panics inside a case are
/// caught and reported as failures; the panic hook still prints them to stderr.
pub fn run_cases<B, F>(suite: &str, make: F, cases: Vec<Case<B>>) -> Result<Report, Report>
where
    F: Fn() -> B,
{
    let mut results = Vec::with_capacity(cases.len());
    for case in cases {
        let outcome = catch_unwind(AssertUnwindSafe(|| (case.run)(&make)));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(message)) => Some(message),
            Err(payload) => Some(format!("panicked: {}", panic_message(payload.as_ref()))),
        };
        match &failure {
            None => println!("conformance: {suite}: ok   {}", case.name),
            Some(message) => println!("conformance: {suite}: FAIL {}: {message}", case.name),
        }
        results.push(CaseResult {
            name: case.name,
            failure,
        });
    }
    let report = Report {
        suite: suite.to_owned(),
        results,
    };
    println!("{}", report.summary());
    report.into_result()
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}
