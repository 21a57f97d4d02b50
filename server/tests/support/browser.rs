//! A headless Chromium driven through WebDriver (chromedriver on a free loopback port), for
//! the tests that open the pages as their people do. Debian's `chromium` and
//! `chromium-driver` must be installed; `scripts/test.sh` installs them when they are not.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub async fn start() -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(binary).exists(),
                "{binary} is missing: run the tests through scripts/test.sh, which installs \
                 Debian's chromium and chromium-driver"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut capabilities = Capabilities::new();
        // the console's messages, read by `console_errors`
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--lang=ru-RU", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no WebDriver session from chromedriver: {e}"),
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Logs in on «Вход» as `login`.
    pub async fn log_in(&self, base: &str, login: &str, password: &str) {
        self.client
            .goto(&format!("{base}/login"))
            .await
            .expect("opens «Вход»");
        self.fill("#login", login).await;
        self.fill("#password", password).await;
        self.click("form.login button[type=submit]").await;
    }

    /// Logs out from the menu and waits for «Вход».
    pub async fn log_out(&self) {
        self.click("nav form button[type=submit]").await;
        self.text_once("h1", |t| t == "Вход").await;
    }

    pub async fn fill(&self, css: &str, text: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    /// The text of the first element `css` finds, waiting for it to appear.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// The text of the first element `css` finds once it `holds` — waiting through a page
    /// being replaced by the next one (a form's answer), up to ten seconds.
    pub async fn text_once(&self, css: &str, holds: impl Fn(&str) -> bool) -> String {
        let started = std::time::Instant::now();
        let mut seen = String::from("(nothing)");
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if holds(&text) {
                        return text;
                    }
                    seen = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let page = match self.client.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("{css}: waited ten seconds, last seen {seen:?}; the page: {page}")
    }

    /// Whether an element `css` is on the page now.
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The page's path.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the address")
            .path()
            .to_string()
    }

    /// The errors the pages logged to the browser's console since the last call (a page the
    /// server answered with an error status is logged as one: the caller sorts them out).
    pub async fn console_errors(&self) -> Vec<String> {
        let logged = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("the browser's console log");
        logged
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The form fields of the page with no label naming them (`label[for]`, an enclosing
    /// label, or `aria-label`), as HTML.
    pub async fn unlabelled_fields(&self) -> Vec<String> {
        let script = r#"
            return Array.from(document.querySelectorAll(
                'input:not([type=hidden]), select, textarea'))
              .filter(f => !(f.id && document.querySelector(`label[for="${f.id}"]`))
                        && !f.closest('label') && !f.getAttribute('aria-label'))
              .map(f => f.outerHTML);"#;
        let found = self
            .client
            .execute(script, vec![])
            .await
            .expect("the fields");
        serde_json::from_value(found).expect("a list")
    }

    /// Saves what the browser shows as a PNG.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(path, png).expect("the screenshot written");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// chromedriver's command for the browser's console log (`goog:loggingPrefs`).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
