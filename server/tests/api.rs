//! The API as its people meet it: a real `metod serve` on a loopback port over a demo town,
//! an account for each kind of user, and the role table gone through row by row — each
//! route allowed to whom it says and refused to the others — plus the bad requests of issue
//! 19 item 6, each checked to write nothing.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use domain::values::{AssociationRole, BodyKind};
use projections::snapshot::{Needs, Snapshot};
use serde_json::json;
use store::testing::TestDatabase;
use store::{Backend, StreamId, TimePoint};
use support::http::{request, Answer};
use support::metod_run;
use support::server::Server;

const TODAY: &str = "2026-06-01";
const PASSWORD: &str = "пароль-для-проверки-2026";

/// The users of the test, by login.
const USERS: [&str; 5] = ["department", "head", "teacher", "operator", "auditor"];

struct Town {
    db: TestDatabase,
    server: Server,
    /// login → session cookie value
    cookies: BTreeMap<&'static str, String>,
    /// the association the head leads, and a document of it
    association: String,
    document: String,
    /// a document of an association the teacher does not belong to
    foreign_document: String,
    /// a document of a district association linked to the city association the city head
    /// leads, and one of another subject
    linked_document: String,
    other_subject_document: String,
    /// a meeting of the head's association, and one of an association not the teacher's
    meeting: String,
    foreign_meeting: String,
}

fn cookie_of(answer: &Answer) -> String {
    let set = answer.header("set-cookie").expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_string())
        .expect("cookie value")
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

impl Town {
    async fn new(backend: Backend) -> Self {
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
            documents: true,
            ..Needs::default()
        };
        let mut town = Snapshot::load(store.as_ref(), at, needs)
            .await
            .expect("snapshot");
        town.load_meetings_since(store.as_ref(), "2000-01-01".parse().expect("date"))
            .await
            .expect("meetings");
        let official = town
            .officials
            .iter()
            .find(|o| o.body_kind == BodyKind::Department)
            .expect("an official of the department");
        let head = town
            .roles
            .values()
            .find(|r| {
                r.role == AssociationRole::Head
                    && town
                        .documents
                        .iter()
                        .any(|d| d.association == r.association)
                    && !town.officials.iter().any(|o| o.person == r.person)
            })
            .expect("a head of an association with documents");
        let document = town
            .documents
            .iter()
            .find(|d| d.association == head.association)
            .expect("a document");
        // a teacher with no role and no office, and a document of an association not theirs
        // a city head, and a document of a district association linked to their association
        let (city_head, linked, other) = town
            .roles
            .values()
            .filter(|r| {
                r.role == AssociationRole::Head
                    && town.associations[&r.association].level == domain::values::Level::City
                    && !town.officials.iter().any(|o| o.person == r.person)
            })
            .find_map(|r| {
                let linked = town.documents.iter().find(|d| {
                    town.associations[&d.association].city_association == Some(r.association)
                })?;
                let subject = &town.associations[&r.association].subject;
                let other = town
                    .documents
                    .iter()
                    .find(|d| &town.associations[&d.association].subject != subject)?;
                Some((r.person, linked.document, other.document))
            })
            .expect("a city head with a linked district document");
        let (teacher, foreign) = town
            .members
            .iter()
            .flat_map(|(association, members)| members.iter().map(move |m| (*m, *association)))
            .filter(|(person, _)| {
                !town.roles.values().any(|r| r.person == *person)
                    && !town.officials.iter().any(|o| o.person == *person)
            })
            .find_map(|(person, _)| {
                let theirs: Vec<_> = town
                    .members
                    .iter()
                    .filter(|(_, m)| m.contains(&person))
                    .map(|(a, _)| *a)
                    .collect();
                let city_of =
                    |a: &domain::ids::AssociationId| town.associations[a].city_association;
                town.documents
                    .iter()
                    .find(|d| {
                        !theirs.contains(&d.association)
                            && !theirs.iter().any(|t| city_of(t) == Some(d.association))
                    })
                    .map(|d| (person, d.document))
            })
            .expect("a teacher and a document of another association");
        let held_by = |association: &domain::ids::AssociationId| {
            town.meetings
                .iter()
                .find(|m| &m.association == association && m.held())
                .map(|m| m.meeting.to_string())
        };
        let meeting = held_by(&head.association).expect("a meeting the head's association held");
        let teachers: Vec<_> = town
            .members
            .iter()
            .filter(|(_, m)| m.contains(&teacher))
            .map(|(a, _)| *a)
            .collect();
        let foreign_meeting = town
            .associations
            .keys()
            .filter(|a| {
                !teachers.contains(a)
                    && !teachers
                        .iter()
                        .any(|t| town.associations[t].city_association == Some(**a))
            })
            .find_map(held_by)
            .expect("a meeting of an association not the teacher's");
        for (login, who) in [
            ("department", format!("--person={}", official.person)),
            ("head", format!("--person={}", head.person)),
            ("cityhead", format!("--person={city_head}")),
            ("teacher", format!("--person={teacher}")),
            ("operator", "--operator".to_string()),
            ("auditor", "--auditor".to_string()),
        ] {
            let added = metod_run(
                &db.url,
                Some(TODAY),
                &["account", "add", "--login", login, &who, "--password-stdin"],
                &format!("{PASSWORD}\n"),
            );
            assert!(
                added.status.success(),
                "{login}: {}",
                String::from_utf8_lossy(&added.stderr)
            );
        }
        drop(store);
        let server = Server::start_at(&db.url, Some(TODAY), &[]);
        let mut cookies = BTreeMap::new();
        for user in USERS.into_iter().chain(["cityhead"]) {
            let answer = login(server.address, user, PASSWORD);
            assert_eq!(answer.status, 200, "{user}: {}", answer.body);
            cookies.insert(user, cookie_of(&answer));
        }
        Self {
            db,
            server,
            cookies,
            association: head.association.to_string(),
            document: document.document.to_string(),
            foreign_document: foreign.to_string(),
            linked_document: linked.to_string(),
            other_subject_document: other.to_string(),
            meeting,
            foreign_meeting,
        }
    }

    /// `method path` as `user` (None: not logged in), with a JSON body.
    fn call(&self, user: Option<&str>, method: &str, path: &str, body: &str) -> Answer {
        let cookie = user.map(|u| format!("{}={}", "metod_session", self.cookies[u]));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(cookie) = &cookie {
            headers.push(("Cookie", cookie.as_str()));
        }
        request(self.server.address, method, path, &headers, body.as_bytes())
    }

    async fn log_size(&self) -> u64 {
        self.db.open().await.last_position().await.expect("size")
    }
}

/// Who is allowed each route (the rest are refused with 403; nobody logged in with 401).
fn allowed(path: &str) -> &'static [&'static str] {
    match path {
        "/api/me" | "/api/verify" => &USERS,
        "/api/query/hierarchy" => &["department"],
        "/api/inbox" => &["department", "head", "teacher"],
        "/api/events?limit=5" | "/api/audit/checkpoints" => &["operator", "auditor"],
        "/api/access-journal" => &["department"],
        _ => unreachable!("{path}"),
    }
}

async fn every_route_is_allowed_to_whom_the_table_says_and_refused_to_the_rest(backend: Backend) {
    let town = Town::new(backend).await;
    // the table, its router and its OpenAPI document are one
    let openapi = town.call(None, "GET", "/api/openapi.json", "");
    assert_eq!(openapi.status, 200);
    let paths = openapi.json()["paths"].clone();
    for route in api::ROUTES {
        let described = &paths[route.path][route.method.to_ascii_lowercase()];
        assert!(
            described.is_object(),
            "{} {} not in the OpenAPI document",
            route.method,
            route.path
        );
    }
    let described: usize = paths
        .as_object()
        .expect("paths")
        .values()
        .map(|m| m.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(described, api::ROUTES.len());

    for path in ["/healthz", "/readyz"] {
        assert!(matches!(town.call(None, "GET", path, "").status, 200 | 503));
    }
    for path in [
        "/api/me",
        "/api/verify",
        "/api/query/hierarchy",
        "/api/inbox",
        "/api/events?limit=5",
        "/api/audit/checkpoints",
        "/api/access-journal",
    ] {
        let anonymous = town.call(None, "GET", path, "");
        assert_eq!(
            anonymous.status, 401,
            "{path} without a session: {}",
            anonymous.body
        );
        for user in USERS {
            let answer = town.call(Some(user), "GET", path, "");
            let expected = if allowed(path).contains(&user) {
                200
            } else {
                403
            };
            assert_eq!(answer.status, expected, "{user} {path}: {}", answer.body);
            if expected == 403 {
                assert_eq!(answer.json()["code"], "forbidden");
            }
        }
    }

    // the pages: public ones to anyone; «Мои задачи» to persons, a page saying «нет
    // доступа» to the operator and the auditor, «Вход» to whoever is not logged in
    for path in [
        "/login",
        "/assets/metod.css",
        "/assets/htmx.min.js",
        "/assets/favicon.svg",
    ] {
        assert_eq!(town.call(None, "GET", path, "").status, 200, "{path}");
    }
    assert_eq!(
        town.call(None, "GET", "/assets/..%2FCargo.toml", "").status,
        404
    );
    let to_login =
        |answer: &Answer| answer.status == 303 && answer.header("location") == Some("/login");
    assert!(to_login(&town.call(None, "GET", "/", "")));
    assert!(to_login(&town.call(None, "GET", "/inbox", "")));
    // the page never shows text taken from its address, only what a form did, by code
    let crafted = town.call(
        Some("head"),
        "GET",
        "/inbox?done=%D0%9F%D0%B0%D1%80%D0%BE%D0%BB%D1%8C%20%D0%B8%D1%81%D1%82%D1%91%D0%BA",
        "",
    );
    assert_eq!(crafted.status, 200);
    assert!(!crafted.body.contains("Пароль истёк"), "{}", crafted.body);
    let done = town.call(Some("head"), "GET", "/inbox?done=returned", "");
    assert!(done.body.contains("Документ возвращён на доработку."));
    for user in USERS {
        let page = town.call(Some(user), "GET", "/inbox", "");
        if ["department", "head", "teacher"].contains(&user) {
            assert_eq!(page.status, 200, "{user}: {}", page.body);
            assert!(page.body.contains("<h1>Мои задачи</h1>"), "{user}");
            // the menu shows only the pages the role opens
            assert_eq!(
                page.body.contains("href=\"/oversight/late\""),
                user == "department",
                "{user}"
            );
            assert!(!page.body.contains("href=\"/journal\""), "{user}");
        } else {
            assert_eq!(page.status, 403, "{user}: {}", page.body);
            assert!(page.body.contains("<h1>Нет доступа</h1>"), "{user}");
        }
        assert!(page
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")));
    }
    // «Надзор»: the department's; a page saying «Нет доступа» to the rest
    assert!(to_login(&town.call(None, "GET", "/oversight/late", "")));
    for user in USERS {
        let page = town.call(Some(user), "GET", "/oversight/hierarchy", "");
        if user == "department" {
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(page.body.contains("<h1>Надзор</h1>"));
            assert!(page.body.contains("<table class=\"report\">"));
        } else {
            assert_eq!(page.status, 403, "{user}: {}", page.body);
        }
    }
    // its export: the page's table as XLSX (read back) and CSV, Russian headers
    let page = town.call(Some("department"), "GET", "/oversight/hierarchy", "");
    let shown_rows = page.body.matches("<tr><td>").count();
    assert!(shown_rows > 3, "{shown_rows}");
    let xlsx = town.call(
        Some("department"),
        "GET",
        "/oversight/hierarchy/export?format=xlsx",
        "",
    );
    assert_eq!(xlsx.status, 200, "{}", xlsx.body);
    assert!(xlsx
        .header("content-disposition")
        .is_some_and(|d| d.contains(".xlsx")));
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).expect("an XLSX file");
    use calamine::Reader;
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("the sheet");
    let read: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        read.len(),
        shown_rows + 1,
        "the header and every row of the page"
    );
    let first_header = page
        .body
        .split("<th scope=\"col\">")
        .nth(1)
        .and_then(|rest| rest.split("</th>").next())
        .expect("a header");
    assert_eq!(read[0][0], calamine::Data::String(first_header.to_string()));
    let csv = town.call(
        Some("department"),
        "GET",
        "/oversight/hierarchy/export?format=csv",
        "",
    );
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with(&format!("\u{feff}{first_header},")));
    assert_eq!(csv.body.lines().count(), shown_rows + 1);
    for user in ["head", "teacher", "operator", "auditor"] {
        let refused = town.call(Some(user), "GET", "/oversight/hierarchy/export", "");
        assert_eq!(refused.status, 403, "{user}");
    }
    // «Два учебных года»: last year and this one side by side, a district alone, exported
    let compared = town.call(Some("department"), "GET", "/oversight/compare", "");
    assert_eq!(compared.status, 200, "{}", compared.body);
    assert!(compared
        .body
        .contains("<strong aria-current=\"page\">Два учебных года</strong>"));
    assert!(
        compared.body.contains("value=\"2024/25\""),
        "the year before"
    );
    assert!(compared.body.contains("value=\"2025/26\""), "this year");
    let whole = compared.body.matches("<tr><td>").count();
    let district = town.call(
        Some("department"),
        "GET",
        "/oversight/compare?first=2024%2F25&second=2025%2F26&district=%D0%A6%D0%B5%D0%BD%D1%82%D1%80%D0%B0%D0%BB%D1%8C%D0%BD%D1%8B%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD",
        "",
    );
    assert_eq!(district.status, 200, "{}", district.body);
    let part = district.body.matches("<tr><td>").count();
    assert!(part < whole && part > 0, "{part} of {whole}");
    let exported = town.call(
        Some("department"),
        "GET",
        "/oversight/compare/export?format=csv&first=2024%2F25&second=2025%2F26",
        "",
    );
    assert_eq!(exported.status, 200, "{}", exported.body);
    assert_eq!(exported.body.lines().count(), whole + 1);
    let bad_year = town.call(
        Some("department"),
        "GET",
        "/oversight/compare?first=2024",
        "",
    );
    assert_eq!(bad_year.status, 400, "{}", bad_year.body);
    let unknown = town.call(Some("department"), "GET", "/oversight/nothing", "");
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let bad_date = town.call(Some("department"), "GET", "/oversight/late?as_of=вчера", "");
    assert_eq!(bad_date.status, 400, "{}", bad_date.body);
    assert!(bad_date.body.contains("ГГГГ-ММ-ДД"));

    // «Положение»: every account's; each rule of the town's profile with its clause
    assert!(to_login(&town.call(None, "GET", "/regulation", "")));
    let profile = domain::RegulationProfile::from_toml(
        "novokuznetsk.toml",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../profiles/novokuznetsk.toml"
        ))
        .expect("the profile"),
    )
    .expect("parses");
    for user in USERS {
        let page = town.call(Some(user), "GET", "/regulation", "");
        assert_eq!(page.status, 200, "{user}: {}", page.body);
        assert!(page.body.contains("<h1>Положение</h1>"));
        assert_eq!(
            page.body.matches("<tr><td>").count(),
            profile.rule_lines().len(),
            "{user}"
        );
        for line in profile.rule_lines().iter().take(5) {
            let clause = line.clause.replace('«', "&#171;").replace('»', "&#187;");
            assert!(
                page.body.contains(&format!("<td>{clause}</td>")),
                "{}",
                line.clause
            );
        }
    }
    let before = town.call(Some("head"), "GET", "/regulation?as_of=1990-01-01", "");
    assert_eq!(before.status, 404, "{}", before.body);

    // «Реестр»: the operator's and the department's; a form refused by the rules comes back
    // with the refusal beside its field, and writes nothing; a form the rules allow is
    // recorded as the logged-in account
    assert!(to_login(&town.call(None, "GET", "/registry", "")));
    for user in USERS {
        let page = town.call(Some(user), "GET", "/registry/association", "");
        let allowed = ["operator", "department"].contains(&user);
        assert_eq!(
            page.status,
            if allowed { 200 } else { 403 },
            "{user}: {}",
            page.body
        );
        if allowed {
            assert!(page.body.contains("<h1>Реестр</h1>"));
            assert!(
                page.body.contains("href=\"/registry\""),
                "in the menu: {user}"
            );
        } else {
            assert!(!page.body.contains("href=\"/registry\""), "{user}");
        }
    }
    let form_post = |user: &str, path: &str, body: &str| {
        let cookie = format!("metod_session={}", town.cookies[user]);
        request(
            town.server.address,
            "POST",
            path,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie.as_str()),
            ],
            body.as_bytes(),
        )
    };
    let size = town.log_size().await;
    let page = town.call(Some("operator"), "GET", "/registry/association", "");
    let district = page
        .body
        .split("<select id=\"field-district\" name=\"district\">")
        .nth(1)
        .and_then(|rest| rest.split("<option value=\"").nth(2))
        .and_then(|rest| rest.split('"').next())
        .expect("a district to choose")
        .to_string();
    // a paper record of a past day: the form is dated it, the banner says the past is shown
    let past = town.call(
        Some("operator"),
        "GET",
        "/registry/district?as_of=2025-01-10",
        "",
    );
    assert_eq!(past.status, 200, "{}", past.body);
    assert!(past
        .body
        .contains("name=\"effective\" type=\"date\" value=\"2025-01-10\""));
    assert!(past.body.contains("Показано прошлое: на 10 января 2025 г."));
    // the persons to choose from are the town's, by name
    let member_form = town.call(Some("operator"), "GET", "/registry/member", "");
    let persons = member_form
        .body
        .split("<select id=\"field-member-person\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .expect("the person's field")
        .matches("<option value=")
        .count();
    assert!(persons > 20, "{persons} persons to choose from");
    let missing_order = "7e57c0de-0000-4000-8000-0000000000ff";
    let refused = form_post(
        "operator",
        "/registry/association",
        &format!(
            "association=7e57c0de-0000-4000-8000-0000000000fe&title=%D0%A0%D0%9F%D0%9C%D0%9E&\
             subject=%D1%85%D0%B8%D0%BC%D0%B8%D1%8F&level=district&kind=methodical_association&\
             district={district}&order={missing_order}"
        ),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    let beside = refused
        .body
        .split("<input id=\"field-order\"")
        .nth(1)
        .expect("the order's field");
    assert!(
        beside
            .split("</div>")
            .next()
            .is_some_and(|f| f.contains("class=\"field-error\"")),
        "the refusal is beside the order's field: {}",
        refused.body
    );
    assert!(
        refused.body.contains(missing_order),
        "the value typed is kept"
    );
    assert_eq!(town.log_size().await, size, "nothing written");
    let anonymous = request(
        town.server.address,
        "POST",
        "/registry/district",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"title=x",
    );
    assert!(to_login(&anonymous));
    assert_eq!(
        form_post("auditor", "/registry/district", "title=x").status,
        403
    );
    assert_eq!(
        form_post("teacher", "/registry/district", "title=x").status,
        403
    );
    let municipality = page
        .body
        .split("<select id=\"field-municipality\"")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(
        municipality.is_empty(),
        "create_association names no municipality"
    );
    let district_form = town.call(Some("operator"), "GET", "/registry/district", "");
    let municipality = district_form
        .body
        .split("<select id=\"field-municipality\" name=\"municipality\" required>")
        .nth(1)
        .and_then(|rest| rest.split("<option value=\"").nth(2))
        .and_then(|rest| rest.split('"').next())
        .expect("the municipality to choose")
        .to_string();
    let recorded = form_post(
        "operator",
        "/registry/district",
        &format!(
            "municipality={municipality}&district=7e57c0de-0000-4000-8000-0000000000fd&\
             title=%D0%97%D0%B0%D1%80%D0%B5%D1%87%D0%BD%D1%8B%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD"
        ),
    );
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    assert_eq!(
        recorded.header("location"),
        Some("/registry/district?done=recorded")
    );
    let store = town.db.open().await;
    let added = store
        .read_all(town.log_size().await, 1)
        .await
        .expect("read");
    assert_eq!(added[0].event_type, "DistrictAdded");
    assert_eq!(added[0].actor.id, "operator");
    assert!(added[0].payload.contains("Заречный район"));
    drop(store);

    // «Объединение»: in the person's scope; the auditor's with names sealed
    let association = format!("/associations/{}", town.association);
    assert!(to_login(&town.call(None, "GET", &association, "")));
    for user in ["department", "head", "operator", "auditor"] {
        let page = town.call(Some(user), "GET", &association, "");
        assert_eq!(page.status, 200, "{user}: {}", page.body);
        assert!(page.body.contains("<h2>Руководство</h2>"), "{user}");
        // the members by name (ids for the auditor), as many as the association counts
        let counted = page
            .body
            .split("участников: ")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("the count");
        assert!(
            page.body
                .contains(&format!("<h2>Участники ({counted})</h2>")),
            "{user}: {counted}"
        );
        assert_eq!(
            page.body.contains("<li>person:"),
            user == "auditor",
            "members named: {user}"
        );
        assert_eq!(
            page.body.contains("<td>person:"),
            user == "auditor",
            "{user}"
        );
    }
    let unknown = town.call(
        Some("department"),
        "GET",
        "/associations/00000000-0000-4000-8000-000000000000",
        "",
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // «Журнал»: the operator's and the auditor's
    assert!(to_login(&town.call(None, "GET", "/journal", "")));
    for user in USERS {
        let page = town.call(Some(user), "GET", "/journal?from=1&limit=5", "");
        if ["operator", "auditor"].contains(&user) {
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(page.body.contains("цепочка проверена"), "{user}");
            assert!(!page.body.contains("href=\"/inbox\""), "{user}");
            assert_eq!(page.body.matches("<tr><td>").count(), 5, "{user}");
            assert!(page.body.contains("/journal?from=6&amp;limit=5"));
        } else {
            assert_eq!(page.status, 403, "{user}: {}", page.body);
        }
    }
    // the log as it stood: nothing recorded before the town was, nothing in effect in 1990
    let before = town.call(
        Some("auditor"),
        "GET",
        "/journal?from=1&limit=5&known_at=2000-01-01",
        "",
    );
    assert_eq!(before.status, 200, "{}", before.body);
    assert_eq!(before.body.matches("<tr><td>").count(), 0);
    assert!(before.body.contains("Показано прошлое"));
    let past = town.call(
        Some("auditor"),
        "GET",
        "/journal?from=1&limit=5&as_of=1990-01-01",
        "",
    );
    assert_eq!(past.body.matches("<tr><td>").count(), 0);
    let operator_home = town.call(Some("operator"), "GET", "/", "");
    assert_eq!(operator_home.header("location"), Some("/journal"));

    // «Документ»: the trail's scope, as a page
    let page = format!("/documents/{}", town.document);
    assert!(to_login(&town.call(None, "GET", &page, "")));
    for user in ["department", "head", "operator", "auditor"] {
        let answer = town.call(Some(user), "GET", &page, "");
        assert_eq!(answer.status, 200, "{user}: {}", answer.body);
        assert!(answer.body.contains("<table class=\"trail\">"), "{user}");
    }
    let foreign_page = format!("/documents/{}", town.foreign_document);
    let refused = town.call(Some("teacher"), "GET", &foreign_page, "");
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Нет доступа"));

    // «Заседание», its printed protocol and a document's approval sheet: in the scope of the
    // association, the auditor's with names sealed; each printed line with its hash
    let meeting = format!("/meetings/{}", town.meeting);
    let protocol = format!("/meetings/{}/protocol", town.meeting);
    let sheet = format!("/documents/{}/sheet", town.document);
    for path in [&meeting, &protocol, &sheet] {
        assert!(to_login(&town.call(None, "GET", path, "")), "{path}");
        for user in ["department", "head", "operator", "auditor"] {
            let answer = town.call(Some(user), "GET", path, "");
            assert_eq!(answer.status, 200, "{user} {path}: {}", answer.body);
        }
    }
    let page = town.call(Some("head"), "GET", &meeting, "");
    assert!(page.body.contains("<h2>Повестка</h2>"), "{}", page.body);
    assert!(page
        .body
        .contains("<h2>Рассмотренные вопросы и решения</h2>"));
    let sealed = town.call(Some("auditor"), "GET", &meeting, "");
    assert!(
        sealed.body.contains("<li>person:"),
        "names sealed: {}",
        sealed.body
    );
    assert!(
        !page.body.contains("<li>person:"),
        "names opened: {}",
        page.body
    );
    let printed = town.call(Some("head"), "GET", &protocol, "");
    let store = town.db.open().await;
    let stream = StreamId::parse(format!("meeting-{}", town.meeting)).expect("stream");
    for event in store.read_stream(&stream, 1, 100).await.expect("read") {
        assert!(
            printed.body.contains(&hex::encode(event.hash)),
            "the protocol carries the hash of event {}",
            event.position
        );
    }
    assert!(printed.body.contains("Журнал на момент печати"));
    let printed = town.call(Some("head"), "GET", &sheet, "");
    let stream = StreamId::parse(format!("document-{}", town.document)).expect("stream");
    for event in store.read_stream(&stream, 1, 100).await.expect("read") {
        assert!(printed.body.contains(&hex::encode(event.hash)));
    }
    drop(store);
    for path in [
        format!("/meetings/{}", town.foreign_meeting),
        format!("/meetings/{}/protocol", town.foreign_meeting),
        format!("/documents/{}/sheet", town.foreign_document),
    ] {
        let refused = town.call(Some("teacher"), "GET", &path, "");
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert!(refused.body.contains("Нет доступа"));
    }
    let unknown = town.call(
        Some("department"),
        "GET",
        "/meetings/00000000-0000-4000-8000-000000000000",
        "",
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // every table of every page as a file, in the page's scope: CSV with the page's headers,
    // XLSX with dates as dates
    let association = &town.association;
    let document = &town.document;
    let meeting = &town.meeting;
    for (user, path, header, at_least) in [
        (
            "head",
            format!("/associations/{association}?format=csv&table=roles"),
            "Роль",
            1,
        ),
        (
            "head",
            format!("/associations/{association}?format=csv&table=meetings"),
            "Дата",
            1,
        ),
        (
            "head",
            format!("/associations/{association}?format=csv&table=documents"),
            "Документ",
            0,
        ),
        (
            "head",
            format!("/documents/{document}?format=csv&table=history"),
            "№ в журнале",
            2,
        ),
        (
            "head",
            format!("/documents/{document}?format=csv&table=versions"),
            "Версия",
            1,
        ),
        (
            "head",
            format!("/meetings/{meeting}?format=csv&table=events"),
            "№ в журнале",
            1,
        ),
        (
            "head",
            format!("/meetings/{meeting}?format=csv&table=questions"),
            "№",
            1,
        ),
        (
            "head",
            "/regulation?format=csv".to_string(),
            "Тема",
            profile.rule_lines().len(),
        ),
        ("head", "/inbox?format=csv".to_string(), "Документ", 0),
        (
            "auditor",
            "/journal?format=csv&from=1&limit=5".to_string(),
            "№",
            5,
        ),
        (
            "department",
            "/oversight/hierarchy?format=csv".to_string(),
            "Уровень",
            4,
        ),
    ] {
        let file = town.call(Some(user), "GET", &path, "");
        assert_eq!(file.status, 200, "{path}: {}", file.body);
        assert!(
            file.body.starts_with(&format!("\u{feff}{header},")),
            "{path}: {}",
            file.body
        );
        let rows = file.body.lines().count() - 1;
        assert!(rows >= at_least, "{path}: {rows} rows");
        if path.starts_with("/regulation") || path.starts_with("/journal") {
            assert_eq!(rows, at_least, "{path}");
        }
    }
    let meetings = town.call(
        Some("head"),
        "GET",
        &format!("/associations/{association}?format=xlsx&table=meetings"),
        "",
    );
    assert_eq!(meetings.status, 200, "{}", meetings.body);
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(meetings.bytes.clone())).expect("an XLSX file");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("the sheet");
    let first = range.rows().nth(1).expect("a meeting");
    assert!(
        matches!(&first[0], calamine::Data::DateTime(d) if d.is_datetime()),
        "the meeting's date is a date: {:?}",
        first[0]
    );
    let unknown = town.call(
        Some("head"),
        "GET",
        "/regulation?format=csv&table=nothing",
        "",
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let bad = town.call(Some("head"), "GET", "/regulation?format=pdf", "");
    assert_eq!(bad.status, 400, "{}", bad.body);
    let foreign = town.call(
        Some("teacher"),
        "GET",
        &format!("/meetings/{}?format=csv", town.foreign_meeting),
        "",
    );
    assert_eq!(foreign.status, 403, "{}", foreign.body);

    // the decision form: refused to the auditor (who only reads) and to nobody logged in,
    // and writes nothing
    let size = town.log_size().await;
    let decide = format!("/documents/{}/decide", town.document);
    let form = b"step=1&action=approve&comment=&protocol_number=";
    let cookie = format!("metod_session={}", town.cookies["auditor"]);
    let refused = request(
        town.server.address,
        "POST",
        &decide,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie.as_str()),
        ],
        form,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Нет доступа"));
    let anonymous = request(
        town.server.address,
        "POST",
        &decide,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form,
    );
    assert!(to_login(&anonymous), "{}", anonymous.status);
    let submit = format!("/documents/{}/submit", town.document);
    let refused = request(
        town.server.address,
        "POST",
        &submit,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie.as_str()),
        ],
        b"text=%D0%BF%D0%BB%D0%B0%D0%BD",
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    let anonymous = request(
        town.server.address,
        "POST",
        &submit,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"text=x",
    );
    assert!(to_login(&anonymous), "{}", anonymous.status);
    for (path, form) in [
        (
            format!("/meetings/{}/draft", town.meeting),
            &b"number=1&text=x"[..],
        ),
        (format!("/meetings/{}/sign", town.meeting), &b""[..]),
    ] {
        let refused = request(
            town.server.address,
            "POST",
            &path,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie.as_str()),
            ],
            form,
        );
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        let anonymous = request(
            town.server.address,
            "POST",
            &path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form,
        );
        assert!(to_login(&anonymous), "{path}: {}", anonymous.status);
    }
    assert_eq!(
        town.log_size().await,
        size,
        "no decision, version or protocol written"
    );

    // trails: the department, operator and auditor see any; a head their association's;
    // a teacher not another association's
    let trail = format!("/api/documents/{}/trail", town.document);
    for user in ["department", "head", "operator", "auditor"] {
        let answer = town.call(Some(user), "GET", &trail, "");
        assert_eq!(answer.status, 200, "{user}: {}", answer.body);
        assert!(answer.json()["entries"]
            .as_array()
            .is_some_and(|e| !e.is_empty()));
    }
    // a city head sees the district associations of their subject, not another subject's
    let linked = format!("/api/documents/{}/trail", town.linked_document);
    assert_eq!(town.call(Some("cityhead"), "GET", &linked, "").status, 200);
    let other = format!("/api/documents/{}/trail", town.other_subject_document);
    assert_eq!(town.call(Some("cityhead"), "GET", &other, "").status, 403);
    let foreign = format!("/api/documents/{}/trail", town.foreign_document);
    assert_eq!(town.call(Some("teacher"), "GET", &foreign, "").status, 403);
    assert_eq!(town.call(None, "GET", &trail, "").status, 401);
    let unknown = town.call(
        Some("department"),
        "GET",
        "/api/documents/00000000-0000-4000-8000-000000000000/trail",
        "",
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let malformed = town.call(
        Some("department"),
        "GET",
        "/api/documents/not-a-uuid/trail",
        "",
    );
    assert_eq!(malformed.status, 400, "{}", malformed.body);

    // proofs for the auditor: the checkpoints and a document's bundle, checked offline
    let bundle_path = format!("/api/documents/{}/bundle", town.document);
    let none_yet = town.call(Some("auditor"), "GET", &bundle_path, "");
    assert_eq!(none_yet.status, 404, "{}", none_yet.body);
    assert_eq!(none_yet.json()["code"], "no_signed_checkpoint");
    let dir = tempfile::tempdir().expect("dir");
    let key = dir.path().join("audit.key");
    let key = key.to_str().expect("path");
    for args in [
        vec!["audit", "key", "new", "--key", key],
        vec!["audit", "checkpoint", "--key", key],
    ] {
        let done = metod_run(&town.db.url, Some(TODAY), &args, "");
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let listed = town.call(Some("auditor"), "GET", "/api/audit/checkpoints", "");
    assert_eq!(
        listed.json().as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.body
    );
    assert_eq!(town.call(Some("head"), "GET", &bundle_path, "").status, 403);
    let proved = town.call(Some("auditor"), "GET", &bundle_path, "");
    assert_eq!(proved.status, 200, "{}", proved.body);
    let proved = proved.json();
    let out = dir.path().join("bundle");
    std::fs::create_dir_all(&out).expect("dir");
    std::fs::write(out.join("bundle.json"), proved["bundle"].to_string()).expect("write");
    std::fs::write(
        out.join("checkpoint"),
        proved["checkpoint"].as_str().expect("note"),
    )
    .expect("write");
    let verifier = proved["verifier_key"].as_str().expect("key");
    let checked = metod_run(
        &town.db.url,
        None,
        &[
            "audit",
            "check",
            out.to_str().expect("path"),
            "--key",
            verifier,
        ],
        "",
    );
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );

    // names: the auditor's trail keeps them sealed; everyone else's opening is journaled
    let sealed = town.call(Some("auditor"), "GET", &trail, "").json();
    assert!(sealed["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .all(|e| e["actor_name"].is_null()));
    let named = town.call(Some("department"), "GET", &trail, "").json();
    let opened: Vec<String> = named["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["actor_name"].is_string())
        .filter_map(|e| {
            e["actor"]
                .as_str()?
                .strip_prefix("person:")
                .map(str::to_string)
        })
        .collect();
    assert!(!opened.is_empty(), "the trail names someone: {named}");
    let hierarchy = town.call(Some("department"), "GET", "/api/query/hierarchy", "");
    assert_eq!(hierarchy.status, 200);
    // the same answer as CSV, at a past date; bad parameters are refused
    let csv = town.call(
        Some("department"),
        "GET",
        "/api/query/hierarchy?format=csv&as_of=2026-01-15",
        "",
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/csv")));
    assert!(
        csv.body.starts_with("level,subject,district,title"),
        "{}",
        csv.body
    );
    assert!(csv.body.lines().count() > 2);
    for (user, path, status, code) in [
        (
            "department",
            "/api/query/hierarchy?format=xml",
            400,
            "invalid_format",
        ),
        (
            "department",
            "/api/query/hierarchy?as_of=15.01.2026",
            400,
            "invalid_date",
        ),
        (
            "department",
            "/api/query/hierarchy?known_at=yesterday",
            400,
            "invalid_date",
        ),
        (
            "department",
            "/api/query/hierarchy?actor=operator",
            400,
            "invalid_query",
        ),
        ("department", "/api/query/nonsense", 404, "unknown_query"),
        ("operator", "/api/events?limit=many", 400, "invalid_query"),
    ] {
        let answer = town.call(Some(user), "GET", path, "");
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(answer.json()["code"], code, "{path}");
    }
    let journal = town
        .call(Some("department"), "GET", "/api/access-journal", "")
        .json();
    let entries = journal.as_array().expect("journal");
    let journaled = |endpoint: &str, person: &str| {
        entries.iter().any(|e| {
            e["endpoint"] == endpoint && e["person"] == person && e["login"] == "department"
        })
    };
    for person in &opened {
        assert!(
            journaled(
                &format!("GET /api/documents/{}/trail", town.document),
                person
            ),
            "{person}"
        );
    }
    assert!(
        entries
            .iter()
            .any(|e| e["endpoint"] == "GET /api/query/hierarchy"),
        "the hierarchy's names are journaled"
    );
    assert!(
        !entries.iter().any(|e| e["login"] == "auditor"),
        "the auditor opened nothing"
    );

    // commands: the head acts as themselves, whatever the body claims; the auditor cannot
    let size = town.log_size().await;
    let meeting = json!({
        "command": "schedule_meeting",
        "meeting": "7e57c0de-0000-4000-8000-0000000000a1",
        "association": town.association,
        "date": "2026-06-10",
        "agenda": ["Обмен опытом"],
    })
    .to_string();
    assert_eq!(
        town.call(Some("auditor"), "POST", "/api/commands", &meeting)
            .status,
        403
    );
    assert_eq!(
        town.call(None, "POST", "/api/commands", &meeting).status,
        401
    );
    assert_eq!(town.log_size().await, size, "refusals wrote nothing");
    let recorded = town.call(Some("head"), "POST", "/api/commands", &meeting);
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    let event = &recorded.json()["events"][0];
    let head_person = town.call(Some("head"), "GET", "/api/me", "").json()["principal"]["person"]
        .as_str()
        .expect("the head's person")
        .to_string();
    assert_eq!(event["actor"]["id"], format!("person:{head_person}"));
    assert_eq!(town.log_size().await, size + 1);
    let again = town.call(Some("head"), "POST", "/api/commands", &meeting);
    assert_eq!(again.status, 201, "a retry is safe: {}", again.body);
    assert_eq!(town.log_size().await, size + 1, "and records nothing twice");

    // personal data: the rules decide who may order an erasure; the act follows it
    let teacher = town.call(Some("teacher"), "GET", "/api/me", "").json()["principal"]["person"]
        .as_str()
        .expect("the teacher's person")
        .to_string();
    let erase = json!({ "person": teacher, "ground": "consent-withdrawn" }).to_string();
    let size = town.log_size().await;
    let refused = town.call(Some("head"), "POST", "/api/personal-data/erase", &erase);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.json()["code"], "erasure_not_authorized");
    assert_eq!(
        town.call(Some("auditor"), "POST", "/api/personal-data/erase", &erase)
            .status,
        403
    );
    let unknown_ground = json!({ "person": teacher, "ground": "whim" }).to_string();
    let answer = town.call(
        Some("operator"),
        "POST",
        "/api/personal-data/erase",
        &unknown_ground,
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(town.log_size().await, size, "refusals wrote nothing");
    let erased = town.call(Some("operator"), "POST", "/api/personal-data/erase", &erase);
    assert_eq!(erased.status, 201, "{}", erased.body);
    assert_eq!(erased.json()["event_type"], "PersonalDataErased");
    let again = town.call(Some("operator"), "POST", "/api/personal-data/erase", &erase);
    assert_eq!(again.status, 409, "{}", again.body);
    let act_path = format!("/api/personal-data/{teacher}/act");
    let act = town.call(Some("operator"), "GET", &act_path, "");
    assert_eq!(act.status, 200, "{}", act.body);
    assert!(act.body.contains(&teacher), "the registry id is in the act");
    let html = town.call(
        Some("operator"),
        "GET",
        &format!("{act_path}?format=html"),
        "",
    );
    assert!(html
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    assert!(
        html.body.contains("<html"),
        "{}",
        &html.body[..html.body.len().min(200)]
    );
    assert_eq!(town.call(Some("auditor"), "GET", &act_path, "").status, 403);
}

async fn bad_requests_get_a_clear_answer_and_write_nothing(backend: Backend) {
    let town = Town::new(backend).await;
    let size = town.log_size().await;
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("malformed JSON", "{\"command\": ".into(), 400, "invalid_json"),
        ("two commands", "[{}, {}]".into(), 400, "one_command_per_request"),
        (
            "an unknown field",
            json!({ "command": "schedule_meeting", "meeting": "7e57c0de-0000-4000-8000-0000000000b1",
                    "association": town.association, "date": "2026-06-10", "agenda": ["x"], "actor": "operator" })
            .to_string(),
            400,
            "invalid_command_json",
        ),
        (
            "a rule refused (a meeting of an association not theirs)",
            json!({ "command": "schedule_meeting", "meeting": "7e57c0de-0000-4000-8000-0000000000b2",
                    "association": "7e57c0de-0000-4000-8000-0000000000ff", "date": "2026-06-10", "agenda": ["x"] })
            .to_string(),
            404,
            "not_found",
        ),
        (
            "SQL and Unicode oddities in an id",
            json!({ "command": "schedule_meeting", "meeting": "'; DROP TABLE events; --\u{202e}",
                    "association": town.association, "date": "2026-06-10", "agenda": ["x"] })
            .to_string(),
            400,
            "invalid_command_json",
        ),
    ];
    for (what, body, status, code) in cases {
        let answer = town.call(Some("head"), "POST", "/api/commands", &body);
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        let json = answer.json();
        assert_eq!(json["code"], code, "{what}: {json}");
        assert!(
            json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}"
        );
        assert_eq!(town.log_size().await, size, "{what} wrote nothing");
    }
    // a rule of the regulation refuses: 422 with the clause
    let teacher = town.call(Some("teacher"), "GET", "/api/me", "").json()["principal"]["person"]
        .as_str()
        .expect("the teacher's person")
        .to_string();
    let application = json!({
        "command": "submit_membership_application",
        "application": "7e57c0de-0000-4000-8000-0000000000c1",
        "association": town.association, "form": "teacher", "applicant": { "person": teacher },
        "theme": "Функциональная грамотность", "school_year": "2025/26",
        "period_from": "2026-06-01", "period_to": "2026-08-31",
    })
    .to_string();
    let refused = town.call(Some("teacher"), "POST", "/api/commands", &application);
    assert_eq!(refused.status, 422, "{}", refused.body);
    let json = refused.json();
    assert_eq!(json["code"], "applications_not_provided");
    assert_eq!(json["clause"], "000 §4.1, §7.5");
    assert!(json["message"]
        .as_str()
        .is_some_and(|m| m.contains("не предусматривает")));
    assert_eq!(town.log_size().await, size, "a refusal wrote nothing");
    // SQL metacharacters and Unicode oddities in every parameter: a clear 4xx, never a 500
    for (user, path) in [
        (
            "department",
            "/api/query/hierarchy?district=%27%3B%20DROP%20TABLE%20events%3B%20--",
        ),
        (
            "department",
            "/api/query/meetings?subject=%E2%80%AE%27%20OR%201%3D1%20--",
        ),
        (
            "department",
            "/api/query/late?as_of=2026-01-01%27%20OR%201%3D1",
        ),
        ("department", "/api/query/late?known_at=%00"),
        ("operator", "/api/events?from=1%20OR%201%3D1"),
        ("auditor", "/api/documents/%27%20OR%201%3D1%20--/trail"),
        (
            "department",
            "/api/access-journal?person=%27%20OR%20%271%27%3D%271",
        ),
    ] {
        let answer = town.call(Some(user), "GET", path, "");
        assert!(
            (400..500).contains(&answer.status) || answer.status == 200,
            "{path}: {} {}",
            answer.status,
            answer.body
        );
        if answer.status == 200 {
            // the journal's person filter is a value, not SQL: nothing matches it
            assert_eq!(answer.json().as_array().map(Vec::len), Some(0), "{path}");
        } else {
            assert!(answer.json()["code"].is_string(), "{path}: {}", answer.body);
        }
    }
    // a body over 1 MiB
    let big = format!(
        "{{\"command\": \"x\", \"pad\": \"{}\"}}",
        "я".repeat(600_000)
    );
    assert_eq!(
        town.call(Some("head"), "POST", "/api/commands", &big)
            .status,
        413
    );
    // cross-site requests riding on the cookie
    let cookie = format!("metod_session={}", town.cookies["head"]);
    for (name, value) in [
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "http://evil.example"),
    ] {
        let answer = request(
            town.server.address,
            "POST",
            "/api/commands",
            &[("Cookie", cookie.as_str()), (name, value)],
            b"{}",
        );
        assert_eq!(answer.status, 403, "{name}: {}", answer.body);
        assert_eq!(answer.json()["code"], "cross_site_request");
    }
    // a session cookie from another server, and a replayed one after logout
    let stranger = request(
        town.server.address,
        "GET",
        "/api/me",
        &[("Cookie", "metod_session=c29tZS1vdGhlci1zZXJ2ZXJz")],
        b"",
    );
    assert_eq!(stranger.status, 401, "{}", stranger.body);
    assert_eq!(
        town.call(Some("teacher"), "POST", "/api/logout", "").status,
        200
    );
    let replayed = town.call(Some("teacher"), "GET", "/api/me", "");
    assert_eq!(replayed.status, 401, "{}", replayed.body);
    // a wrong password and an unknown login get the same answer
    let wrong = login(town.server.address, "head", "не тот пароль вовсе");
    let unknown = login(town.server.address, "nobody", "не тот пароль вовсе");
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.json(), unknown.json());
    assert!(town
        .server
        .wait_for_log("login failed", std::time::Duration::from_secs(5)));
    assert!(
        !town.server.log().contains("не тот пароль"),
        "no password in the logs"
    );
    assert_eq!(town.log_size().await, size, "nothing written by any of it");
    // a stale expected version: the sender saw the meeting before someone else scheduled it
    let meeting = |command_id: &str| {
        json!({ "command": "schedule_meeting", "command_id": command_id, "expected_version": 0,
                "meeting": "7e57c0de-0000-4000-8000-0000000000d1", "association": town.association,
                "date": "2026-06-10", "agenda": ["План работы"] })
        .to_string()
    };
    let first = town.call(
        Some("head"),
        "POST",
        "/api/commands",
        &meeting("7e57c0de-0000-4000-8000-0000000000e1"),
    );
    assert_eq!(first.status, 201, "{}", first.body);
    let size = town.log_size().await;
    let stale = town.call(
        Some("head"),
        "POST",
        "/api/commands",
        &meeting("7e57c0de-0000-4000-8000-0000000000e2"),
    );
    assert_eq!(stale.status, 409, "{}", stale.body);
    let json = stale.json();
    assert_eq!(json["code"], "stale_expected_version");
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("версии 0")),
        "{json}"
    );
    assert_eq!(town.log_size().await, size, "a stale version wrote nothing");
}

store::on_every_backend!(
    every_route_is_allowed_to_whom_the_table_says_and_refused_to_the_rest,
    bad_requests_get_a_clear_answer_and_write_nothing,
);
