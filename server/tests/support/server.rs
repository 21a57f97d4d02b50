//! A `metod serve` process on a free loopback port, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub address: SocketAddr,
    child: Option<Child>,
}

impl Server {
    /// Starts `metod --db <db> serve --listen 127.0.0.1:0` (plus `args`) and waits for the
    /// line naming its address.
    pub fn start(db: &str, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_metod"))
            .env_remove("METOD_DB")
            .env_remove("METOD_CLOCK")
            .env("RUST_LOG", "info")
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
        Self {
            address,
            child: Some(child),
        }
    }

    /// Sends SIGTERM and waits: the exit status and everything it wrote to stderr.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let child = self.child.take().expect("running");
        let pid = child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let output = child.wait_with_output().expect("it stops");
        (
            output.status,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
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
