//! A progress line on stderr while `check` proves a claim that takes more than a second:
//! `⠙ [3/12] proofs/x.stab: step2 (2.4 s)`. Only on a terminal: on anything else (files,
//! pipes, tests, CI logs) nothing is drawn and no thread is started.

use crate::claim::Claim;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A claim shows a progress line once it has run this long.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// Progress over a run of claims; dropping it clears the line.
pub struct Progress {
    shared: Option<Arc<Shared>>,
    ticker: Option<JoinHandle<()>>,
    total: usize,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// The claim being proved: its label and when it started.
    current: Option<(String, Instant)>,
    done: bool,
}

impl Progress {
    /// Progress on stderr if it is a terminal, none otherwise.
    pub fn on_stderr(total: usize) -> Progress {
        Progress::new(total, std::io::stderr().is_terminal())
    }

    fn new(total: usize, visible: bool) -> Progress {
        if !visible {
            return Progress {
                shared: None,
                ticker: None,
                total,
            };
        }
        let shared = Arc::new(Shared::default());
        let ticker = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || tick(&shared))
                .ok()
        };
        Progress {
            shared: ticker.is_some().then_some(shared),
            ticker,
            total,
        }
    }

    /// Marks claim `index` (0-based) as the one being proved.
    pub fn start(&self, index: usize, claim: &Claim) {
        let label = format!(
            "[{}/{}] {}: {}",
            index + 1,
            self.total,
            claim.file.display(),
            claim.name
        );
        self.set(Some((label, Instant::now())));
    }

    /// Marks the current claim as done (its line, if any, is cleared).
    pub fn finish(&self) {
        self.set(None);
    }

    fn set(&self, current: Option<(String, Instant)>) {
        if let Some(shared) = &self.shared {
            if let Ok(mut state) = shared.state.lock() {
                state.current = current;
            }
            shared.wake.notify_all();
        }
    }
}

impl crate::run::Progress for Progress {
    fn claim(&self, index: usize, _total: usize, claim: &Claim) {
        self.start(index, claim);
    }

    fn claim_done(&self) {
        self.finish();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            if let Ok(mut state) = shared.state.lock() {
                state.done = true;
            }
            shared.wake.notify_all();
        }
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

/// The ticker thread: draws the line of a claim running past [`SHOW_AFTER`], clears it when
/// the claim is done, until the run is.
fn tick(shared: &Shared) {
    let mut bar: Option<ProgressBar> = None;
    let Ok(mut state) = shared.state.lock() else {
        return;
    };
    while !state.done {
        match &state.current {
            Some((label, start)) if start.elapsed() >= SHOW_AFTER => {
                let bar = bar.get_or_insert_with(spinner);
                let secs = start.elapsed().as_secs_f64();
                bar.set_message(format!("{label} ({secs:.1} s)"));
                bar.tick();
            }
            _ => {
                if let Some(b) = bar.take() {
                    b.finish_and_clear();
                }
            }
        }
        state = match shared.wake.wait_timeout(state, TICK) {
            Ok((s, _)) => s,
            Err(_) => return,
        };
    }
    if let Some(b) = bar.take() {
        b.finish_and_clear();
    }
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_nothing_runs() {
        let p = Progress::new(3, false);
        assert!(p.shared.is_none() && p.ticker.is_none());
        p.finish();
    }

    #[test]
    fn the_ticker_stops_when_the_run_ends() {
        let claim = crate::lang::parse_source(
            std::path::Path::new("p.stab"),
            "claim c: forall x in [0, 1] => x < 2",
        )
        .unwrap()
        .remove(0);
        let p = Progress::new(1, true);
        p.start(0, &claim);
        let label = p.shared.as_ref().and_then(|s| {
            let state = s.state.lock().ok()?;
            state.current.as_ref().map(|(l, _)| l.clone())
        });
        assert_eq!(label.as_deref(), Some("[1/1] p.stab: c"));
        p.finish();
        drop(p); // joins the ticker: the test would hang if it did not stop
    }
}
