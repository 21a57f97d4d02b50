//! The pages as their people meet them: a real `metod serve` over a demo town, opened in a
//! headless Chromium. A city head logs in on «Вход», finds on «Мои задачи» the plan a district
//! head submitted, is refused an approval the rules do not allow (the refusal and its clause
//! shown, nothing written), returns the plan with a comment, and sees it leave the list; the
//! return is in the log as the city head's.

mod support;

use domain::values::{AssociationRole, Level};
use fantoccini::key::Key;
use projections::snapshot::{Needs, Snapshot};
use serde_json::json;
use store::testing::TestDatabase;
use store::{Backend, StreamId, TimePoint};
use support::browser::Browser;
use support::metod_run;
use support::server::Server;

const TODAY: &str = "2026-06-01";
const PASSWORD: &str = "пароль-для-проверки-2026";
const PLAN: &str = "7e57c0de-0000-4000-8000-00000000a001";
const FIRST_VERSION: &str = "План работы РПМО на 2026/27\nРаздел 1. Заседания: сентябрь, ноябрь, март\nРаздел 3. Сроки: май";
const SECOND_VERSION: &str = "План работы РПМО на 2026/27\nРаздел 1. Заседания: сентябрь, ноябрь, март\nРаздел 3. Сроки: до 15 апреля";
const MEETING: &str = "7e57c0de-0000-4000-8000-00000000b001";

/// The screenshots of the main pages the README shows: written to the folder
/// `METOD_SCREENSHOTS` names (`docs/screenshots` to refresh the README's), else nowhere.
struct Screenshots(Option<std::path::PathBuf>);

impl Screenshots {
    fn new() -> Self {
        Screenshots(std::env::var_os("METOD_SCREENSHOTS").map(std::path::PathBuf::from))
    }

    async fn take(&self, browser: &Browser, name: &str) {
        if let Some(folder) = &self.0 {
            std::fs::create_dir_all(folder).expect("the screenshots' folder");
            browser
                .screenshot(&folder.join(format!("{name}.png")))
                .await;
        }
    }
}

/// Presses `key` on whatever has the focus.
async fn press(browser: &Browser, key: Key) {
    browser
        .client
        .active_element()
        .await
        .expect("the focused element")
        .send_keys(&char::from(key).to_string())
        .await
        .expect("the key pressed");
}

/// `metod command --as person:<person>` with `command`, which must be recorded.
fn record(db: &str, person: &str, command: serde_json::Value) {
    let done = metod_run(
        db,
        Some(TODAY),
        &[
            "command",
            "--as",
            &format!("person:{person}"),
            "--file",
            "-",
        ],
        &command.to_string(),
    );
    assert!(
        done.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&done.stderr)
    );
}

async fn a_city_head_returns_a_plan_from_the_inbox(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    support::small_demo_town(&db.url, Some(TODAY));
    let store = db.open().await;
    let at = TimePoint {
        as_of: TODAY.parse().expect("date"),
        known_at: None,
    };
    let needs = Needs {
        registry: true,
        roles: true,
        memberships: true,
        ..Needs::default()
    };
    let town = Snapshot::load(store.as_ref(), at, needs)
        .await
        .expect("snapshot");
    // a district association whose head and whose city association's head are two people
    let (district, district_head, city_head) = town
        .associations
        .values()
        .filter(|a| a.level == Level::District)
        .find_map(|a| {
            let head = town.holder(a.association, AssociationRole::Head)?;
            let city = town.holder(a.city_association?, AssociationRole::Head)?;
            (head != city).then_some((a.association, head, city))
        })
        .expect("a district association with a head under a city head");
    let city = town.associations[&district]
        .city_association
        .expect("its city association");
    // a teacher with no role, of neither association
    let teacher = town
        .members
        .iter()
        .filter(|(a, _)| **a != district && **a != city)
        .flat_map(|(_, members)| members.iter().copied())
        .find(|p| {
            !town.roles.values().any(|r| r.person == *p)
                && !town.officials.iter().any(|o| o.person == *p)
                && ![district, city]
                    .iter()
                    .any(|a| town.members.get(a).is_some_and(|m| m.contains(p)))
        })
        .expect("a teacher of another association");
    record(
        &db.url,
        &district_head.to_string(),
        json!({ "command": "open_document", "document": PLAN, "association": district,
                "document_type": "work_plan", "school_year": "2026/27",
                "title": "План работы РПМО на 2026/27 <script>alert(1)</script>" }),
    );
    for (login, person) in [
        ("cityhead", city_head),
        ("districthead", district_head),
        ("teacher", teacher),
    ] {
        let added = metod_run(
            &db.url,
            Some(TODAY),
            &[
                "account",
                "add",
                "--login",
                login,
                &format!("--person={person}"),
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
    }
    let server = Server::start_at(&db.url, Some(TODAY), &[]);
    let base = format!("http://{}", server.address);
    let browser = Browser::start().await;

    // not logged in: «Вход»
    browser
        .client
        .goto(&format!("{base}/inbox"))
        .await
        .expect("opens");
    assert_eq!(browser.path().await, "/login");
    // the district head submits the plan's first version from «Мои задачи»
    browser.log_in(&base, "districthead", PASSWORD).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    let task = format!("#task-{PLAN}");
    let what = browser.text(&format!("{task} p.meta")).await;
    assert!(what.contains("подача документа"), "{what}");
    browser
        .fill(&format!("{task} textarea[name=text]"), FIRST_VERSION)
        .await;
    browser
        .click(&format!("{task} form.submit button[type=submit]"))
        .await;
    browser
        .text_once("p.notice", |t| t.starts_with("Версия подана"))
        .await;
    browser.log_out().await;
    // a wrong password is said so, on the same page
    browser.log_in(&base, "cityhead", "не тот пароль").await;
    browser
        .text_once("[role=alert]", |t| t.contains("неверн"))
        .await;
    let logged = browser.console_errors().await;
    assert!(
        logged.iter().all(|m| m.contains("status of 401")),
        "only the refused login: {logged:?}"
    );

    browser.log_in(&base, "cityhead", PASSWORD).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    assert_eq!(browser.path().await, "/inbox");
    let title = browser.text(&format!("{task} h2")).await;
    assert_eq!(
        title, "План работы РПМО на 2026/27 <script>alert(1)</script>",
        "what the author typed is shown as text"
    );

    // the city head's step is decided at a meeting of the city association: an approval
    // without one is refused by the rule, shown with its clause, and writes nothing
    let size = store.last_position().await.expect("size");
    browser
        .click(&format!("{task} button[value=approve]"))
        .await;
    let refusal = browser
        .text_once("p.notice.refused", |t| !t.is_empty())
        .await;
    assert!(refusal.starts_with("Не записано:"), "{refusal}");
    assert!(refusal.contains('§'), "the clause is named: {refusal}");
    assert_eq!(store.last_position().await.expect("size"), size);
    let logged = browser.console_errors().await;
    assert!(
        logged.iter().all(|m| m.contains("status of 422")),
        "only the refusal: {logged:?}"
    );

    // returned with a comment: the task leaves the list, the log has the return by them
    browser
        .fill(
            &format!("{task} textarea[name=comment]"),
            "Уточнить сроки по разделу 3",
        )
        .await;
    // with JavaScript the form updates the page in place (htmx): the page is not reloaded
    browser
        .client
        .execute("window.stillThisPage = true;", vec![])
        .await
        .expect("marked");
    browser.click(&format!("{task} button[value=return]")).await;
    browser
        .text_once("p.notice", |t| t == "Документ возвращён на доработку.")
        .await;
    let kept = browser
        .client
        .execute("return window.stillThisPage === true;", vec![])
        .await
        .expect("read");
    assert_eq!(kept, serde_json::Value::Bool(true), "updated in place");
    assert!(!browser.has(&task).await, "the returned plan left the list");
    let stream = StreamId::parse(format!("document-{PLAN}")).expect("stream");
    let events = store.read_stream(&stream, 1, 100).await.expect("read");
    let last = events.last().expect("events");
    assert_eq!(last.event_type, "DocumentReturned");
    assert_eq!(last.actor.id, format!("person:{city_head}"));
    assert!(last.payload.contains("Уточнить сроки по разделу 3"));

    // «Документ»: the history from the log, the return last with its comment and the hash the
    // log holds, and the chain verified
    browser
        .client
        .goto(&format!("{base}/documents/{PLAN}"))
        .await
        .expect("opens");
    browser
        .text_once("h1", |t| t.starts_with("План работы РПМО на 2026/27"))
        .await;
    browser
        .text_once("p.notice", |t| t.starts_with("цепочка проверена"))
        .await;
    // returned: the step is the author's again, and the page names who holds it
    let holder = browser.text("p.holder").await;
    assert!(holder.starts_with("Сейчас у:"), "{holder}");
    assert!(!holder.contains("никто"), "{holder}");
    let last_row = browser.text("table.trail tbody tr:last-child").await;
    assert!(
        last_row.contains("Уточнить сроки по разделу 3"),
        "{last_row}"
    );
    let hash = browser
        .client
        .find(fantoccini::Locator::Css(
            "table.trail tbody tr:last-child code",
        ))
        .await
        .expect("the hash cell")
        .attr("title")
        .await
        .expect("its title");
    assert_eq!(hash.as_deref(), Some(hex::encode(last.hash).as_str()));

    // the district head finds the returned plan, and submits a new version from the list
    browser.log_out().await;
    browser.log_in(&base, "districthead", PASSWORD).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    let due = browser.text(&format!("{task} p.meta:nth-of-type(2)")).await;
    assert!(
        due.contains("пункт положения 000 §10.5)"),
        "the deadline and its clause: {due}"
    );
    let returned = browser.text(&format!("{task} p.meta")).await;
    assert!(returned.contains("доработка после возврата"), "{returned}");
    let version = SECOND_VERSION;
    browser
        .fill(&format!("{task} textarea[name=text]"), version)
        .await;
    browser
        .click(&format!("{task} form.submit button[type=submit]"))
        .await;
    browser
        .text_once("p.notice", |t| t.starts_with("Версия подана"))
        .await;
    assert!(
        !browser.has(&task).await,
        "the resubmitted plan left their list"
    );
    let events = store.read_stream(&stream, 1, 100).await.expect("read");
    let resubmitted = events.last().expect("events");
    assert_eq!(resubmitted.event_type, "DocumentVersionSubmitted");
    assert_eq!(resubmitted.actor.id, format!("person:{district_head}"));
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(version.as_bytes()))
    };
    assert!(resubmitted.payload.contains(&hash), "the text's SHA-256");
    browser.log_out().await;
    browser.log_in(&base, "cityhead", PASSWORD).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    assert!(browser.has(&task).await, "back with the city head");

    // the city association meets today and reviews the plan; the city head approves it at
    // that meeting from the keyboard alone: the meeting chosen with the arrow key, the button
    // reached with Tab and pressed with Enter
    record(
        &db.url,
        &city_head.to_string(),
        json!({ "command": "hold_meeting", "meeting": MEETING, "association": city,
                "attendance": [city_head],
                "questions": [{ "question": "О плане работы РПМО на 2026/27",
                                "decision": "Согласовать план" }] }),
    );
    browser.client.refresh().await.expect("reloads");
    let select = format!("#meeting-{PLAN}");
    let offered = browser
        .text_once(&select, |t| t.contains("1 июня 2026 г."))
        .await;
    assert!(offered.contains("— не выбрано —"), "{offered}");
    let unlabelled = browser.unlabelled_fields().await;
    assert!(
        unlabelled.is_empty(),
        "fields without a label: {unlabelled:?}"
    );
    browser
        .fill(&format!("{task} textarea[name=comment]"), "Согласовано")
        .await;
    for key in [Key::Tab, Key::Down, Key::Tab, Key::Tab] {
        press(&browser, key).await;
    }
    let focused = browser
        .client
        .active_element()
        .await
        .expect("the focused element");
    assert_eq!(focused.text().await.expect("its text"), "Согласовать");
    press(&browser, Key::Enter).await;
    browser
        .text_once("p.notice", |t| t == "Шаг согласован.")
        .await;
    assert!(!browser.has(&task).await, "the approved plan left the list");
    let events = store.read_stream(&stream, 1, 100).await.expect("read");
    let approved = events
        .iter()
        .rev()
        .find(|e| e.event_type == "StepApproved")
        .expect("the step approved");
    assert_eq!(approved.actor.id, format!("person:{city_head}"));
    assert!(approved.payload.contains(MEETING), "{}", approved.payload);
    // the last step approved, the workflow engine records the approval itself, in the
    // background (its reaction to the step): the page shows it once it is in the log
    let recorded = std::time::Instant::now();
    while !store
        .read_stream(&stream, 1, 100)
        .await
        .expect("read")
        .iter()
        .any(|e| e.event_type == "DocumentApproved")
    {
        assert!(
            recorded.elapsed() < std::time::Duration::from_secs(30),
            "the workflow recorded no approval within 30 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // «Документ»: both versions with their hashes, the difference between them, every step
    // from submission to approval, and the chain verified
    browser
        .client
        .goto(&format!("{base}/documents/{PLAN}"))
        .await
        .expect("opens");
    browser
        .text_once("p.meta", |t| t.contains("утверждён"))
        .await;
    browser
        .text_once("p.notice", |t| t.starts_with("цепочка проверена"))
        .await;
    assert!(
        !browser.has("p.holder").await,
        "approved: nobody holds a step"
    );
    let versions = browser.text("table.versions tbody").await;
    for text in [FIRST_VERSION, SECOND_VERSION] {
        use sha2::Digest;
        assert!(
            versions.contains(&hex::encode(sha2::Sha256::digest(text.as_bytes()))),
            "{versions}"
        );
    }
    let diff = browser.text("pre.diff").await;
    assert!(diff.contains("− Раздел 3. Сроки: май"), "{diff}");
    assert!(diff.contains("+ Раздел 3. Сроки: до 15 апреля"), "{diff}");
    assert!(diff.contains("  Раздел 1. Заседания"), "{diff}");
    let history = browser.text("table.trail tbody").await;
    for step in ["подан", "возвращ", "согласован", "утвержд"] {
        assert!(history.contains(step), "{step} in {history}");
    }
    let logged = browser.console_errors().await;
    assert!(
        logged.is_empty(),
        "no page logged a console error: {logged:?}"
    );
    // its approval sheet for print: every event with its position and hash, the log's head
    browser.click("a[href$='/sheet']").await;
    browser.text_once("h1", |t| t == "Лист согласования").await;
    let sheet = browser.text("table.signatures tbody").await;
    for event in store.read_stream(&stream, 1, 100).await.expect("read") {
        assert!(
            sheet.contains(&hex::encode(event.hash)),
            "{}",
            event.position
        );
    }
    assert!(browser
        .text("p.log-head")
        .await
        .contains("цепочка хешей проверена"));

    // the past: on «на дату» before the plan was submitted, nothing waited, and the banner
    // says the page shows the past
    browser
        .client
        .goto(&format!("{base}/inbox?as_of=2026-05-01"))
        .await
        .expect("opens");
    browser
        .text_once(".banner", |t| {
            t.starts_with("Показано прошлое: на 1 мая 2026 г.")
        })
        .await;

    // a teacher of another association who sends the approval gets «нет доступа», and the
    // log does not change
    browser.log_out().await;
    browser.log_in(&base, "teacher", PASSWORD).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    let size = store.last_position().await.expect("size");
    let sent = format!(
        "const f = document.createElement('form'); f.method = 'post'; \
         f.action = '/documents/{PLAN}/decide'; \
         for (const [n, v] of [['step', '1'], ['action', 'approve']]) {{ \
           const i = document.createElement('input'); i.type = 'hidden'; i.name = n; \
           i.value = v; f.appendChild(i); }} \
         document.body.appendChild(f); f.submit();"
    );
    browser
        .client
        .execute(&sent, vec![])
        .await
        .expect("the form sent");
    browser.text_once("h1", |t| t == "Нет доступа").await;
    assert_eq!(store.last_position().await.expect("size"), size);
    let logged = browser.console_errors().await;
    assert!(
        logged.iter().all(|m| m.contains("status of 403")),
        "only the refusal itself: {logged:?}"
    );

    // logging out ends the session: «Мои задачи» sends back to «Вход»
    browser.click("a[href='/']").await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    browser.log_out().await;
    browser
        .client
        .goto(&format!("{base}/inbox"))
        .await
        .expect("opens");
    assert_eq!(browser.path().await, "/login");
    browser.close().await;
}

store::on_every_backend!(a_city_head_returns_a_plan_from_the_inbox);

/// `metod serve --demo`: a new user's first command prints the logins and the address, and
/// the city head it names finds a plan waiting on «Мои задачи».
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_serves_a_town_with_a_login_per_role() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_metod"))
        .env_remove("METOD_DB")
        .env_remove("METOD_CLOCK")
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("metod serve --demo starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut printed = Vec::new();
    let address = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("stopped before listening: {printed:?}"))
            .expect("a line");
        if let Some(address) = line.strip_prefix("listening on ") {
            break address.to_string();
        }
        printed.push(line);
    };
    let password = printed
        .iter()
        .find_map(|l| l.strip_prefix("Пароль для всех учётных записей: "))
        .expect("the password is printed")
        .to_string();
    for login in [
        "department",
        "center",
        "cityhead",
        "districthead",
        "secretary",
        "teacher",
        "auditor",
        "operator",
    ] {
        assert!(
            printed.iter().any(|l| l.trim_start().starts_with(login)),
            "{login} in {printed:?}"
        );
    }
    let database = printed
        .iter()
        .find_map(|l| l.split("(хранилище ").nth(1))
        .and_then(|rest| rest.strip_suffix(')'))
        .expect("the store's file is printed")
        .to_string();
    let store = store::open(
        &format!("sqlite://{database}"),
        store::OpenMode::Existing,
        std::sync::Arc::new(store::SystemClock),
    )
    .await
    .expect("the demo's store, read beside the server");
    let shots = Screenshots::new();
    let browser = Browser::start().await;
    browser.log_in(&address, "cityhead", &password).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    let waiting = browser.text("li.task h2").await;
    assert!(waiting.starts_with("План работы"), "{waiting}");
    shots.take(&browser, "inbox").await;
    // «Объединение» of the waiting plan, today and on a day of the last school year: its
    // head's term is this year's today and last year's then
    browser.click("li.task p.meta a").await;
    browser
        .text_once("h1", |t| t.starts_with("РПМО") || t.starts_with("ГПМО"))
        .await;
    let path = browser.path().await;
    assert!(path.starts_with("/associations/"), "{path}");
    let today_roles = browser.text("table.report tbody").await;
    assert!(today_roles.contains("руководитель"), "{today_roles}");
    assert!(today_roles.contains("2025/26"), "{today_roles}");
    browser
        .client
        .goto(&format!("{address}{path}?as_of=2025-03-03"))
        .await
        .expect("opens");
    browser
        .text_once(".banner", |t| {
            t.starts_with("Показано прошлое: на 3 марта 2025 г.")
        })
        .await;
    let past_roles = browser.text("table.report tbody").await;
    assert!(past_roles.contains("2024/25"), "{past_roles}");
    assert!(!past_roles.contains("2025/26"), "{past_roles}");
    shots.take(&browser, "association").await;

    // the city head approves the plan at the meeting the city association held today
    browser
        .client
        .goto(&format!("{address}/inbox"))
        .await
        .expect("opens");
    let select = browser
        .client
        .find(fantoccini::Locator::Css("li.task select[name=meeting]"))
        .await
        .expect("the meeting to cite");
    let meeting = select
        .find(fantoccini::Locator::Css("option:nth-child(2)"))
        .await
        .expect("a meeting held")
        .attr("value")
        .await
        .expect("its id")
        .expect("a value");
    select.select_by_index(1).await.expect("chosen");
    browser.click("li.task button[value=approve]").await;
    browser
        .text_once("p.notice", |t| t == "Шаг согласован.")
        .await;
    browser.log_out().await;

    // «Заседание»: the secretary drafts the protocol, the head signs it
    browser.log_in(&address, "secretary", &password).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    let meeting_page = format!("{address}/meetings/{meeting}");
    browser.client.goto(&meeting_page).await.expect("opens");
    browser
        .text_once("h1", |t| t.starts_with("Заседание "))
        .await;
    let questions = browser.text("table.questions tbody").await;
    assert!(questions.contains("Согласовать план"), "{questions}");
    let unlabelled = browser.unlabelled_fields().await;
    assert!(
        unlabelled.is_empty(),
        "fields without a label: {unlabelled:?}"
    );
    browser.fill("#number", "7").await;
    browser
        .fill(
            "#protocol-text",
            "Протокол заседания ГПМО. Слушали: о плане работы РПМО. Решили: согласовать.",
        )
        .await;
    browser.click("form.draft button[type=submit]").await;
    browser
        .text_once("p.notice", |t| t == "Протокол оформлен.")
        .await;
    browser.log_out().await;
    browser.log_in(&address, "cityhead", &password).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    browser.client.goto(&meeting_page).await.expect("opens");
    browser.click("form.sign button[type=submit]").await;
    browser
        .text_once("p.notice", |t| t == "Протокол подписан.")
        .await;
    let protocol = browser.text("p.protocol").await;
    assert!(protocol.starts_with("Протокол № 7"), "{protocol}");
    assert!(protocol.contains("подписал(а)"), "{protocol}");
    shots.take(&browser, "meeting").await;
    // its print: each event of the meeting with its position and hash, and the log's head
    browser.click("a[href$='/protocol']").await;
    browser.text_once("h1", |t| t == "Протокол № 7").await;
    let text = browser.text("pre.protocol-text").await;
    assert!(
        text.ends_with("Решили: согласовать."),
        "the protocol's text: {text}"
    );
    let lines = browser.text("table.signatures tbody").await;
    let stream = store::StreamId::parse(format!("meeting-{meeting}")).expect("stream");
    let events = store.read_stream(&stream, 1, 100).await.expect("read");
    assert_eq!(events.len(), 3, "held, drafted, signed");
    for event in &events {
        assert!(
            lines.contains(&hex::encode(event.hash)),
            "{}",
            event.position
        );
        assert!(lines.contains(&format!("№ {}", event.position)));
    }
    let head = browser.text("p.log-head").await;
    assert!(head.contains("цепочка хешей проверена"), "{head}");
    shots.take(&browser, "protocol").await;
    browser
        .client
        .goto(&format!("{address}/inbox"))
        .await
        .expect("opens");
    browser.log_out().await;

    // the department's «Надзор»: the structure of the town as a table, by tab
    browser.log_in(&address, "department", &password).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    browser.click("nav a[href='/oversight/late']").await;
    browser.text_once("h1", |t| t == "Надзор").await;
    browser
        .click("ul.tabs a[href='/oversight/hierarchy']")
        .await;
    browser
        .text_once("ul.tabs strong", |t| t == "Структура объединений")
        .await;
    let rows = browser
        .client
        .find_all(fantoccini::Locator::Css("table.report tbody tr"))
        .await
        .expect("rows");
    assert!(rows.len() > 5, "{} rows", rows.len());
    shots.take(&browser, "oversight").await;
    // its XLSX, as the link on the page downloads it, opens with the rows of the page
    let href = browser
        .client
        .find(fantoccini::Locator::Css("p.meta a[href*='format=xlsx']"))
        .await
        .expect("the XLSX link")
        .attr("href")
        .await
        .expect("its address")
        .expect("an address");
    let cookie = browser
        .client
        .get_named_cookie("metod_session")
        .await
        .expect("the session cookie");
    let socket: std::net::SocketAddr = address
        .trim_start_matches("http://")
        .parse()
        .expect("the address");
    let path = href.trim_start_matches(&address).to_string();
    let session = format!("metod_session={}", cookie.value());
    let file = support::http::request(socket, "GET", &path, &[("Cookie", session.as_str())], b"");
    assert_eq!(file.status, 200, "{path}: {}", file.body);
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes.clone())).expect("an XLSX file");
    use calamine::Reader;
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("the sheet");
    assert_eq!(
        range.rows().count(),
        rows.len() + 1,
        "the header and the page's rows"
    );
    let first_cell = browser.text("table.report tbody tr td").await;
    assert_eq!(
        range.rows().nth(1).expect("a row")[0],
        calamine::Data::String(first_cell)
    );
    // the keeping periods (000 §4.8): the town's documents and protocols, each with its day
    browser
        .click("ul.tabs a[href='/oversight/retention']")
        .await;
    browser
        .text_once("ul.tabs strong", |t| t == "Сроки хранения")
        .await;
    let kept = browser.text("table.report tbody tr").await;
    assert!(kept.contains("000 §4.8, §10.6"), "{kept}");
    // nothing to place on a site under 000: the tab says the rule is absent
    browser
        .click("ul.tabs a[href='/oversight/unpublished']")
        .await;
    browser
        .text_once("ul.tabs strong", |t| t == "Не размещены на сайте")
        .await;
    browser
        .text_once("p.notice", |t| t.contains("нет правила для этого вопроса"))
        .await;
    // nor individual programmes or a monitoring of methodical work (004 §8–§10) under 000
    for (tab, title) in [
        ("programmes", "Индивидуальные программы педагогов"),
        ("monitoring", "Мониторинг методической работы"),
    ] {
        browser
            .click(&format!("ul.tabs a[href='/oversight/{tab}']"))
            .await;
        browser.text_once("ul.tabs strong", |t| t == title).await;
        browser
            .text_once("p.notice", |t| t.contains("нет правила для этого вопроса"))
            .await;
    }
    browser.log_out().await;

    // the auditor's «Журнал»: the log paged, the chain verified
    browser.log_in(&address, "auditor", &password).await;
    browser.text_once("h1", |t| t == "Журнал").await;
    browser
        .text_once("p.notice", |t| t.starts_with("цепочка проверена"))
        .await;
    shots.take(&browser, "journal").await;
    let logged = browser.console_errors().await;
    assert!(
        logged.is_empty(),
        "no page logged a console error: {logged:?}"
    );
    browser.log_out().await;

    // the methodical center's official: «Надзор» and «Реестр» in the menu
    browser.log_in(&address, "center", &password).await;
    browser.text_once("h1", |t| t == "Мои задачи").await;
    assert!(browser.has("nav a[href='/oversight/late']").await);
    assert!(browser.has("nav a[href='/registry']").await);
    browser.log_out().await;

    // the operator's «Реестр»: a district entered; a form the rules refuse shows the refusal
    // beside its field and writes nothing
    browser.log_in(&address, "operator", &password).await;
    browser.text_once("h1", |t| t == "Журнал").await;
    browser.click("nav a[href='/registry']").await;
    browser.text_once("h1", |t| t == "Реестр").await;
    let unlabelled = browser.unlabelled_fields().await;
    assert!(
        unlabelled.is_empty(),
        "fields without a label: {unlabelled:?}"
    );
    browser
        .client
        .find(fantoccini::Locator::Css("#field-municipality"))
        .await
        .expect("the municipality")
        .select_by_index(1)
        .await
        .expect("chosen");
    browser.fill("#field-title", "Заречный район").await;
    browser.click("form.registry button[type=submit]").await;
    browser
        .text_once("p.notice", |t| t == "Записано в журнал.")
        .await;
    let last = store.last_position().await.expect("size");
    let added = store.read_all(last, 1).await.expect("read");
    assert_eq!(added[0].event_type, "DistrictAdded");
    assert_eq!(added[0].actor.id, "operator");
    browser
        .click("nav.forms a[href='/registry/association']")
        .await;
    browser
        .text_once("form.registry label[for=field-order]", |t| {
            t.starts_with("Приказ")
        })
        .await;
    browser.fill("#field-title", "РПМО учителей химии").await;
    browser.fill("#field-subject", "химия").await;
    for (select, index) in [
        ("#field-level", 2),
        ("#field-kind", 1),
        ("#field-district", 1),
    ] {
        browser
            .client
            .find(fantoccini::Locator::Css(select))
            .await
            .expect("the field")
            .select_by_index(index)
            .await
            .expect("chosen");
    }
    browser
        .fill("#field-order", "7e57c0de-0000-4000-8000-0000000000ff")
        .await;
    browser.click("form.registry button[type=submit]").await;
    let beside = browser
        .text_once("#field-order-error", |t| !t.is_empty())
        .await;
    assert!(
        beside.contains("приказ 7e57c0de-0000-4000-8000-0000000000ff"),
        "{beside}"
    );
    assert_eq!(
        store.last_position().await.expect("size"),
        last,
        "nothing written"
    );
    shots.take(&browser, "registry").await;
    let logged = browser.console_errors().await;
    assert!(
        logged.iter().all(|m| m.contains("status of 422")),
        "only the refusal: {logged:?}"
    );
    browser.close().await;
    let _ = child.kill();
    let _ = child.wait();
}
