//! A `metod serve` process on a free loopback port, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    pub address: SocketAddr,
    child: Option<Child>,
    /// What it has written to stderr so far, line by line.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `metod --db <db> serve --listen 127.0.0.1:0` (plus `args`) and waits for the
    /// line naming its address.
    pub fn start(db: &str, args: &[&str]) -> Self {
        Self::start_at(db, None, args)
    }

    /// As `start`, with `METOD_CLOCK` set to `clock` when given (a fixed "today").
    pub fn start_at(db: &str, clock: Option<&str>, args: &[&str]) -> Self {
        Self::start_logging(db, clock, "info", args)
    }

    /// As `start_at`, logging what `rust_log` chooses (`RUST_LOG`): with
    /// `tower_http=debug` each request's start and end are on stderr.
    pub fn start_logging(db: &str, clock: Option<&str>, rust_log: &str, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_metod"));
        command.env_remove("METOD_DB").env_remove("METOD_CLOCK");
        if let Some(clock) = clock {
            command.env("METOD_CLOCK", clock);
        }
        let mut child = command
            .env("RUST_LOG", rust_log)
            .args([
                "--db",
                db,
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--poll-ms",
                "50",
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("metod serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the first line");
        let address = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("not the address line: {line:?}"))
            .parse()
            .expect("an address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                lines.lock().expect("log").push(line);
            }
        });
        Self {
            address,
            child: Some(child),
            log,
        }
    }

    /// Everything written to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("log").join("\n")
    }

    /// Waits until stderr has a line containing `text`; false after `timeout`.
    pub fn wait_for_log(&self, text: &str, timeout: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if self.log().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends SIGTERM and waits: the exit status and everything it wrote to stderr.
    pub fn terminate(self) -> (std::process::ExitStatus, String) {
        self.send_sigterm();
        self.wait()
    }

    /// Sends SIGTERM and returns at once: the server is stopping, and may still be answering.
    pub fn send_sigterm(&self) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM not delivered to {pid}");
    }

    /// Waits for the process to exit: its status and everything it wrote to stderr.
    pub fn wait(mut self) -> (std::process::ExitStatus, String) {
        let mut child = self.child.take().expect("running");
        let status = child.wait().expect("it stops");
        // the reader thread sees the end of stderr soon after the exit
        let started = Instant::now();
        while !self.log().contains("stopped") && started.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(10));
        }
        (status, self.log())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
