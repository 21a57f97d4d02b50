//! Progress of a long job on stderr: in place on a terminal, every tenth otherwise.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

/// Prints progress of `what` on stderr: in place on a terminal, every tenth otherwise.
pub fn progress_printer(what: &'static str) -> impl Fn(u64, u64) + Send + Sync {
    let terminal = std::io::stderr().is_terminal();
    let last_tenth = AtomicU64::new(0);
    move |done, total| {
        let total = total.max(1);
        if terminal {
            let width = 30;
            let filled = (done * width / total) as usize;
            eprint!(
                "\r{what}: [{}{}] {done}/{total}",
                "#".repeat(filled),
                "-".repeat(width as usize - filled)
            );
            if done >= total {
                eprintln!();
            }
        } else {
            let tenth = done * 10 / total;
            if tenth > last_tenth.swap(tenth, Ordering::Relaxed) {
                eprintln!("{what}: {done}/{total}");
            }
        }
    }
}
