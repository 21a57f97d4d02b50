//! Keeping a strictly sequential job on one processor core.
//!
//! A job that does one thing at a time against SQLite — `metod demo` records a history one
//! command after another — hands every statement to the connection's thread and waits for
//! the answer. When that thread and the waiting one sit on different cores, each hand-over
//! is a cross-core wake-up, which costs far more than the statement on a virtual machine:
//! on 2-core machines one Novokuznetsk city year took 60 s spread over two cores (34 s of
//! it in the kernel) and 27 s on one (`taskset -c 0`, 2026-12-01). Threads started after
//! the call inherit the core.

/// Restricts the calling thread, and the threads it starts from now on, to the core it is
/// running on. Returns that core, or None where the system does not allow it (nothing
/// changes then: the job runs as before, only slower).
pub fn stay_on_current_core() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        let core = rustix::thread::sched_getcpu();
        let mut cores = rustix::thread::CpuSet::new();
        cores.set(core);
        rustix::thread::sched_setaffinity(None, &cores)
            .ok()
            .map(|()| core)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn cores_allowed() -> usize {
        rustix::thread::sched_getaffinity(None)
            .expect("the affinity of this thread")
            .count() as usize
    }

    /// The call pins the thread that makes it and the threads it starts afterwards (the
    /// store's connection threads), and no other thread.
    #[test]
    fn the_caller_and_the_threads_it_starts_stay_on_one_core() {
        let before = cores_allowed();
        let pinned = std::thread::spawn(|| {
            let core = stay_on_current_core().expect("Linux allows a thread to pin itself");
            let started_after =
                std::thread::spawn(|| (cores_allowed(), rustix::thread::sched_getcpu()))
                    .join()
                    .expect("thread");
            (core, cores_allowed(), started_after)
        })
        .join()
        .expect("thread");
        let (core, allowed, (allowed_after, ran_on)) = pinned;
        assert_eq!(allowed, 1);
        assert_eq!((allowed_after, ran_on), (1, core));
        assert_eq!(
            cores_allowed(),
            before,
            "the test's own thread is left alone"
        );
    }
}
