//! How a client stays logged in, and how the server stops, through HTTP to a real
//! `metod serve` on a loopback port (issue 19, items 3 and 1): personal access tokens until
//! they are revoked, the throttling of logins and its log, the `Secure` cookie behind a TLS
//! proxy, a disabled account shut out at once, and a request in flight finished after SIGTERM.

mod support;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use domain::values::BodyKind;
use projections::snapshot::{Needs, Snapshot};
use serde_json::json;
use store::testing::TestDatabase;
use store::{Backend, TimePoint};
use support::http::{read_answer, request, Answer};
use support::metod_run;
use support::server::Server;

/// A fixed "today": the throttle's waits never run out under it, so a test never races them.
const TODAY: &str = "2026-06-01";
const PASSWORD: &str = "пароль-для-проверки-2026";

/// An initialized store with nothing in it.
async fn bare(backend: Backend) -> TestDatabase {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    db
}

/// A store with the small Novokuznetsk demo town of a year in it.
async fn demo(backend: Backend) -> (TestDatabase, Snapshot) {
    let db = TestDatabase::new(backend).await;
    support::small_demo_town(&db.url, Some(TODAY));
    let at = TimePoint {
        as_of: TODAY.parse().expect("date"),
        known_at: None,
    };
    let needs = Needs {
        registry: true,
        ..Needs::default()
    };
    let town = Snapshot::load(db.open().await.as_ref(), at, needs)
        .await
        .expect("snapshot");
    (db, town)
}

/// `metod <args>` on `db` today, which must succeed; its stdout.
fn metod(db: &TestDatabase, args: &[&str], stdin: &str) -> String {
    let output = metod_run(&db.url, Some(TODAY), args, stdin);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Opens the account `login` (`who`: `--operator`, `--auditor` or `--person=<uuid>`).
fn add_account(db: &TestDatabase, login: &str, who: &str) {
    metod(
        db,
        &["account", "add", "--login", login, who, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
}

/// A new personal access token `name` of `login`, as printed once.
fn new_token(db: &TestDatabase, login: &str, name: &str) -> String {
    let printed = metod(
        db,
        &["account", "token", "new", "--login", login, "--name", name],
        "",
    );
    let token = printed.trim().to_string();
    assert!(token.starts_with("metod_pat_"), "{printed}");
    token
}

fn login(address: SocketAddr, user: &str, password: &str) -> Answer {
    let body = json!({ "login": user, "password": password }).to_string();
    request(
        address,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

/// The attributes of the `Set-Cookie` of `answer`, trimmed: the first is `name=value`.
fn cookie_attributes(answer: &Answer) -> Vec<String> {
    let set = answer.header("set-cookie").expect("a Set-Cookie header");
    set.split(';').map(|part| part.trim().to_string()).collect()
}

/// The session id of a login's answer.
fn session_of(answer: &Answer) -> String {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let attributes = cookie_attributes(answer);
    let value = attributes[0]
        .strip_prefix("metod_session=")
        .unwrap_or_else(|| panic!("not the session cookie: {attributes:?}"));
    assert!(!value.is_empty());
    value.to_string()
}

fn with_session(address: SocketAddr, method: &str, path: &str, session: &str) -> Answer {
    let cookie = format!("metod_session={session}");
    request(address, method, path, &[("Cookie", cookie.as_str())], b"")
}

fn with_token(address: SocketAddr, method: &str, path: &str, token: &str, body: &str) -> Answer {
    let bearer = format!("Bearer {token}");
    request(
        address,
        method,
        path,
        &[
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
}

/// The failure's code, checking the answer is `status` with a Russian message.
fn refused(answer: &Answer, status: u16) -> String {
    assert_eq!(answer.status, status, "{}", answer.body);
    let body = answer.json();
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('а'..='я').contains(&c))),
        "a Russian message: {body}"
    );
    body["code"].as_str().expect("a code").to_string()
}

async fn log_size(db: &TestDatabase) -> u64 {
    db.open().await.last_position().await.expect("size")
}

async fn a_personal_access_token_acts_for_its_account_until_revoked(backend: Backend) {
    let (db, town) = demo(backend).await;
    let official = town
        .officials
        .iter()
        .find(|o| o.body_kind == BodyKind::Department)
        .expect("an official of the department");
    add_account(&db, "department", &format!("--person={}", official.person));
    add_account(&db, "operator", "--operator");
    let department = new_token(&db, "department", "reports");
    let operator = new_token(&db, "operator", "ci");
    let server = Server::start_at(&db.url, Some(TODAY), &[]);
    let address = server.address;

    // no cookie, no login: the token alone says who calls, and the role table still rules
    let me = with_token(address, "GET", "/api/me", &department, "");
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["principal"]["login"], "department");
    assert_eq!(me.json()["oversees_municipality"], true);
    let hierarchy = with_token(address, "GET", "/api/query/hierarchy", &department, "");
    assert_eq!(hierarchy.status, 200, "{}", hierarchy.body);
    let journal = with_token(address, "GET", "/api/access-journal", &department, "");
    assert_eq!(journal.status, 200, "{}", journal.body);
    let log = with_token(address, "GET", "/api/events?limit=5", &department, "");
    assert_eq!(refused(&log, 403), "forbidden");

    let events = with_token(address, "GET", "/api/events?limit=5", &operator, "");
    assert_eq!(events.status, 200, "{}", events.body);
    assert_eq!(events.json()["events"].as_array().map(Vec::len), Some(5));
    // the shape `metod events --format json` prints: a payload is JSON, not a string of it
    assert!(
        events.json()["events"][0]["payload"]["municipality"].is_string(),
        "{}",
        events.body
    );
    let inbox = with_token(address, "GET", "/api/inbox", &operator, "");
    assert_eq!(refused(&inbox, 403), "forbidden");
    let query = with_token(address, "GET", "/api/query/hierarchy", &operator, "");
    assert_eq!(refused(&query, 403), "forbidden");

    // a token is not a session: unsafe methods need no same-site proof, as no browser
    // attaches it on another site's behalf
    let size = log_size(&db).await;
    let municipality = town.municipalities[0].municipality;
    let district = json!({
        "command": "add_district",
        "municipality": municipality,
        "district": "7e57c0de-0000-4000-8000-0000000000d1",
        "title": "Тестовый район",
    })
    .to_string();
    let bearer = format!("Bearer {operator}");
    let recorded = request(
        address,
        "POST",
        "/api/commands",
        &[
            ("Authorization", bearer.as_str()),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        district.as_bytes(),
    );
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(recorded.json()["events"][0]["actor"]["id"], "operator");
    assert_eq!(log_size(&db).await, size + 1);

    // revoked: refused at once, the other token untouched
    metod(
        &db,
        &[
            "account",
            "token",
            "revoke",
            "--login",
            "department",
            "--name",
            "reports",
        ],
        "",
    );
    for path in ["/api/me", "/api/query/hierarchy"] {
        let after = with_token(address, "GET", path, &department, "");
        assert_eq!(refused(&after, 401), "access_token_unknown", "{path}");
    }
    let unknown = with_token(address, "GET", "/api/me", "metod_pat_not-a-token", "");
    assert_eq!(refused(&unknown, 401), "access_token_unknown");
    let still = with_token(address, "GET", "/api/me", &operator, "");
    assert_eq!(still.status, 200, "{}", still.body);

    // the secret itself is nowhere but with its holder: not in the server's log, not in
    // the event log
    let logged = server.log();
    let stored = db.open().await.read_all(1, 1_000_000).await.expect("log");
    let stored = serde_json::to_string(&stored).expect("JSON");
    for token in [&department, &operator] {
        assert!(
            !logged.contains(token.as_str()),
            "a token in the server's log"
        );
        assert!(!stored.contains(token.as_str()), "a token in the event log");
    }
}

async fn logins_are_throttled_after_five_failures_and_each_failure_logged(backend: Backend) {
    let db = bare(backend).await;
    add_account(&db, "operator", "--operator");
    let size = log_size(&db).await;
    let server = Server::start_at(&db.url, Some(TODAY), &[]);
    let wrong: Vec<String> = (1..=5).map(|n| format!("угаданный-пароль-{n}")).collect();
    for guess in &wrong {
        let answer = login(server.address, "operator", guess);
        assert_eq!(refused(&answer, 401), "login_failed");
        assert!(answer.header("set-cookie").is_none());
    }
    // the right password no longer helps: it is not even checked while the wait lasts
    let throttled = login(server.address, "operator", PASSWORD);
    assert_eq!(refused(&throttled, 429), "login_throttled");
    assert!(throttled.header("set-cookie").is_none());
    let retry: u64 = throttled
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .expect("seconds");
    assert!(retry >= 1, "{retry}");
    // nor does another login from the same address
    let elsewhere = login(server.address, "someone-else", PASSWORD);
    assert_eq!(refused(&elsewhere, 429), "login_throttled");

    let started = std::time::Instant::now();
    while server.log().matches("login failed").count() < wrong.len()
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let logged = server.log();
    let failures: Vec<&str> = logged
        .lines()
        .filter(|l| l.contains("login failed"))
        .collect();
    assert_eq!(failures.len(), wrong.len(), "{logged}");
    assert!(
        failures.iter().all(|l| l.contains("login=operator")),
        "{logged}"
    );
    for password in wrong.iter().map(String::as_str).chain([PASSWORD]) {
        assert!(
            !logged.contains(password),
            "a password in the log: {logged}"
        );
    }
    assert_eq!(log_size(&db).await, size, "failures are not events");
}

async fn the_session_cookie_is_secure_only_with_secure_cookies(backend: Backend) {
    let db = bare(backend).await;
    add_account(&db, "operator", "--operator");
    for (args, secure) in [(&[][..], false), (&["--secure-cookies"][..], true)] {
        let server = Server::start_at(&db.url, Some(TODAY), args);
        let answer = login(server.address, "operator", PASSWORD);
        let session = session_of(&answer);
        let attributes = cookie_attributes(&answer);
        for expected in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
            assert!(
                attributes.iter().any(|a| a == expected),
                "{expected}: {attributes:?}"
            );
        }
        assert_eq!(
            attributes.iter().any(|a| a == "Secure"),
            secure,
            "{args:?}: {attributes:?}"
        );
        // logout clears the cookie with the same attributes, and ends the session
        let out = with_session(server.address, "POST", "/api/logout", &session);
        assert_eq!(out.status, 200, "{}", out.body);
        let cleared = cookie_attributes(&out);
        assert_eq!(cleared[0], "metod_session=");
        assert!(cleared.iter().any(|a| a == "Max-Age=0"), "{cleared:?}");
        assert_eq!(cleared.iter().any(|a| a == "Secure"), secure, "{cleared:?}");
        let replayed = with_session(server.address, "GET", "/api/me", &session);
        assert_eq!(refused(&replayed, 401), "session_expired");
        let (status, log) = server.terminate();
        assert!(status.success(), "{log}");
    }
}

async fn a_disabled_account_is_refused_at_once_and_at_login(backend: Backend) {
    let db = bare(backend).await;
    add_account(&db, "clerk", "--operator");
    let token = new_token(&db, "clerk", "script");
    let server = Server::start_at(&db.url, Some(TODAY), &[]);
    let session = session_of(&login(server.address, "clerk", PASSWORD));
    let me = with_session(server.address, "GET", "/api/me", &session);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(
        with_token(server.address, "GET", "/api/me", &token, "").status,
        200
    );
    let size = log_size(&db).await;

    // disabled from the command line while the server runs: the next request is refused
    metod(&db, &["account", "disable", "--login", "clerk"], "");
    let ended = with_session(server.address, "GET", "/api/me", &session);
    assert_eq!(refused(&ended, 401), "session_expired");
    let by_token = with_token(server.address, "GET", "/api/me", &token, "");
    assert_eq!(refused(&by_token, 403), "account_disabled");
    let again = login(server.address, "clerk", PASSWORD);
    assert_eq!(refused(&again, 403), "account_disabled");
    assert!(again.header("set-cookie").is_none());

    // enabled: it may log in again and its token works; the ended session stays ended
    metod(&db, &["account", "enable", "--login", "clerk"], "");
    let fresh = session_of(&login(server.address, "clerk", PASSWORD));
    assert_ne!(fresh, session, "a new session id at every login");
    assert_eq!(
        with_session(server.address, "GET", "/api/me", &fresh).status,
        200
    );
    assert_eq!(
        with_token(server.address, "GET", "/api/me", &token, "").status,
        200
    );
    let old = with_session(server.address, "GET", "/api/me", &session);
    assert_eq!(refused(&old, 401), "session_expired");
    assert_eq!(
        log_size(&db).await,
        size + 2,
        "disabled and enabled: two events"
    );
}

async fn failures_the_framework_answers_have_the_shape_of_every_other(backend: Backend) {
    let db = bare(backend).await;
    add_account(&db, "operator", "--operator");
    let token = new_token(&db, "operator", "ci");
    let server = Server::start_at(&db.url, Some(TODAY), &[]);
    let address = server.address;
    let cases = [
        ("GET", "/api/events?foo=1", 400, "invalid_query"),
        ("GET", "/api/events?limit=many", 400, "invalid_query"),
        ("GET", "/api/login", 405, "method_not_allowed"),
    ];
    for (method, path, status, code) in cases {
        let answer = with_token(address, method, path, &token, "");
        assert_eq!(refused(&answer, status), code, "{method} {path}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{path}"
        );
    }
    let not_allowed = with_token(address, "GET", "/api/login", &token, "");
    assert_eq!(not_allowed.header("allow"), Some("POST"));
    // over 1 MiB, said in the Content-Length or found while reading
    let big = vec![b' '; (1 << 20) + 1];
    let declared = with_token(
        address,
        "POST",
        "/api/commands",
        &token,
        std::str::from_utf8(&big).expect("spaces"),
    );
    assert_eq!(refused(&declared, 413), "body_too_large");
    let login = request(address, "POST", "/api/login", &[], &big);
    assert_eq!(refused(&login, 413), "body_too_large");
}

/// Counts the lines of the server's log containing `text`, waiting until there are at least
/// `count`.
fn wait_for_lines(server: &Server, text: &str, count: usize) {
    let started = std::time::Instant::now();
    while server.log().matches(text).count() < count {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no {count} × {text:?} in: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn requests_in_flight_finish_when_the_server_gets_sigterm(backend: Backend) {
    let (db, town) = demo(backend).await;
    add_account(&db, "operator", "--operator");
    let token = new_token(&db, "operator", "ci");
    let size = log_size(&db).await;
    // each request's start and end logged, so the test knows when the server holds one
    let server = Server::start_logging(&db.url, Some(TODAY), "info,tower_http=debug", &[]);
    const STARTED: &str = "started processing request";

    // a command whose body is only half sent: in flight until the test sends the rest, so
    // SIGTERM certainly comes while it is
    let municipality = town.municipalities[0].municipality;
    let command = json!({
        "command": "add_district",
        "municipality": municipality,
        "district": "7e57c0de-0000-4000-8000-0000000000e1",
        "title": "Район, добавленный при остановке",
    })
    .to_string();
    let (first, rest) = command.as_bytes().split_at(command.len() / 2);
    let mut slow = TcpStream::connect(server.address).expect("connects");
    slow.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!(
        "POST /api/commands HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        server.address,
        command.len()
    );
    slow.write_all(head.as_bytes()).expect("head written");
    slow.write_all(first).expect("half the body written");
    wait_for_lines(&server, STARTED, 1);

    // the largest page of the log, whole request written
    let mut page = TcpStream::connect(server.address).expect("connects");
    page.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!(
        "GET /api/events?limit=1000 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\n\r\n",
        server.address
    );
    page.write_all(head.as_bytes()).expect("request written");
    wait_for_lines(&server, STARTED, 2);

    server.send_sigterm();
    wait_for_lines(&server, "stopping: finishing the requests in flight", 1);
    slow.write_all(rest).expect("the rest of the body written");

    let recorded = read_answer(&mut slow);
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(recorded.json()["events"][0]["event_type"], "DistrictAdded");
    let answered = read_answer(&mut page);
    assert_eq!(answered.status, 200, "{}", answered.body);
    // the page was asked before the command was whole, but may be read after it landed
    let events = answered.json()["events"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0) as u64;
    assert!(
        events == size.min(1000) || events == (size + 1).min(1000),
        "the whole page: {events} of {size} events"
    );

    let (status, log) = server.wait();
    assert!(status.success(), "{status:?}: {log}");
    let stopping = log
        .find("stopping: finishing the requests in flight")
        .expect("stopping");
    let finished = log
        .rfind("finished processing request")
        .expect("a request finished");
    assert!(
        stopping < finished,
        "a request finished after the signal: {log}"
    );
    assert!(log.contains("stopped"), "{log}");
    assert_eq!(
        log_size(&db).await,
        size + 1,
        "the command in flight was recorded"
    );
}

store::on_every_backend!(
    a_personal_access_token_acts_for_its_account_until_revoked,
    logins_are_throttled_after_five_failures_and_each_failure_logged,
    the_session_cookie_is_secure_only_with_secure_cookies,
    a_disabled_account_is_refused_at_once_and_at_login,
    failures_the_framework_answers_have_the_shape_of_every_other,
    requests_in_flight_finish_when_the_server_gets_sigterm,
);
