//! `metod serve --demo`: a fresh SQLite store in a temporary directory with a generated town
//! (`metod demo --scale small`, two school years), "today" the day after its history, one
//! account per kind of user with a password printed once, a district plan waiting on the
//! city head, and the server over it — what a new user runs to see metod at work.

use std::path::PathBuf;
use std::sync::Arc;

use app::{AccountKind, App, Config};
use chrono::{Days, NaiveDate};
use domain::ids::PersonId;
use domain::values::{AssociationRole, BodyKind, Level, PositionKind};
use domain::{Acting, SchoolYear};
use projections::snapshot::{Needs, Snapshot};
use serde_json::json;
use store::TimePoint;
use uuid::Uuid;

use crate::failure::Failure;
use crate::progress::progress_printer;

/// The demo's store, kept until the server stops.
pub struct Demo {
    pub app: App,
    _directory: tempfile::TempDir,
}

/// One demo login: who it is for, and the person behind it (none for the operator and the
/// auditor).
struct Login {
    login: &'static str,
    role: &'static str,
    kind: AccountKind,
    person: Option<PersonId>,
}

/// Builds the demo town and its accounts, and prints the logins.
pub async fn prepare() -> Result<Demo, Failure> {
    let directory = tempfile::tempdir()
        .map_err(|e| crate::failure::io_failure("не удалось создать временный каталог", e))?;
    let file: PathBuf = directory.path().join("demo.db");
    let url = format!("sqlite://{}", file.display());
    eprintln!("demo: город «novokuznetsk» (small), два учебных года — генерация");
    let spec = demo::DemoSpec {
        profile: "novokuznetsk".into(),
        scale: demo::Scale::Small,
        years: 2,
        seed: 1,
    };
    let generating = Config {
        db: url.clone(),
        profiles: None,
        clock: None,
    };
    let years = progress_printer("учебные годы");
    let read_models = progress_printer("модели чтения");
    App::new(generating)
        .demo(spec, &years, &read_models)
        .await?;
    let today = day_after_history(&url).await?;
    let app = App::open(Config {
        db: url.clone(),
        profiles: None,
        clock: Some(today.to_string()),
    })
    .await?;
    let mut town = town_of(&app, today).await?;
    if center_official(&app, &town).await? {
        app.catch_up_read_models().await?;
        town = town_of(&app, today).await?;
    }
    let logins = logins(&town);
    plan_waiting_on_the_city_head(&app, &town, today).await?;
    let password = format!("demo-{}", &Uuid::new_v4().simple().to_string()[..8]);
    for login in &logins {
        app.add_account(
            login.login,
            login.kind,
            login.person,
            Some(password.clone()),
        )
        .await?;
    }
    app.run_workflow().await?;
    app.catch_up_read_models().await?;
    println!(
        "Демонстрация metod: город «Новокузнецк», сегодня в демонстрации — {} (хранилище {})",
        web::format::date(today),
        file.display()
    );
    println!("Пароль для всех учётных записей: {password}");
    for login in &logins {
        println!("  {:<12} {}", login.login, login.role);
    }
    Ok(Demo {
        app,
        _directory: directory,
    })
}

/// The day after the last event of a generated log was recorded: every role and membership
/// of its last school year still holds, and the log is complete as known then (the demo's
/// "today", and the bench's).
pub(crate) async fn day_after_history(url: &str) -> Result<NaiveDate, Failure> {
    let store = store::open(url, store::OpenMode::Existing, Arc::new(store::SystemClock)).await?;
    let last = store.last_position().await?;
    let events = store.read_all(last, 1).await?;
    let recorded = events
        .first()
        .map(|e| e.recorded_at.date_naive().max(e.effective))
        .ok_or_else(|| Failure::new("generated_log_empty", "сгенерированный журнал пуст"))?;
    recorded
        .checked_add_days(Days::new(1))
        .ok_or_else(|| Failure::new("date_out_of_range", "дата за пределами календаря"))
}

async fn town_of(app: &App, today: NaiveDate) -> Result<Snapshot, Failure> {
    let store = app.store().await?;
    let at = TimePoint {
        as_of: today,
        known_at: None,
    };
    let needs = Needs {
        registry: true,
        roles: true,
        memberships: true,
        ..Needs::default()
    };
    let mut town = Snapshot::load(store.as_ref(), at, needs).await?;
    town.load_all_persons(store.as_ref()).await?;
    Ok(town)
}

/// Where the town has no official of a methodical center, the operator establishes the
/// center (the municipal institution of that name) and assigns it a methodist of its staff,
/// so the demo has a login for the center too. Whether it did.
async fn center_official(app: &App, town: &Snapshot) -> Result<bool, Failure> {
    if town
        .officials
        .iter()
        .any(|o| o.body_kind == BodyKind::MethodicalCenter)
    {
        return Ok(false);
    }
    let Some(municipality) = town.municipalities.first().map(|m| m.municipality) else {
        return Ok(false);
    };
    let holds_something = |p: &PersonId| {
        town.roles.values().any(|r| r.person == *p) || town.officials.iter().any(|o| o.person == *p)
    };
    let mut staff: Vec<(&domain::ids::OrganizationId, PersonId)> = town
        .persons
        .values()
        .filter(|(_, p)| {
            matches!(
                p.position_kind,
                PositionKind::Methodist | PositionKind::CenterSpecialist
            ) && !holds_something(&p.person)
        })
        .map(|(_, p)| (&p.organization, p.person))
        .collect();
    staff.sort();
    // a town without methodists: a teacher who holds nothing (one of no association first)
    let outsider = town
        .persons
        .values()
        .filter(|(_, p)| !holds_something(&p.person))
        .map(|(_, p)| {
            let member = town.members.values().any(|m| m.contains(&p.person));
            (member, &p.organization, p.person)
        })
        .min()
        .map(|(_, organization, person)| (organization, person));
    let Some((organization, person)) = staff.first().copied().or(outsider) else {
        return Ok(false);
    };
    let body = Uuid::new_v4();
    let commands = json!([
        { "command": "establish_body", "municipality": municipality, "body": body,
          "kind": "methodical_center", "title": town.organizations[organization].title,
          "organization": organization },
        { "command": "assign_official", "municipality": municipality, "body": body,
          "person": person, "office": "specialist" },
    ]);
    let recorded = app.record(Acting::Operator, &commands.to_string()).await?;
    match recorded.stopped {
        Some(stopped) => Err(Failure::new(
            stopped.error.code(),
            stopped.error.to_string(),
        )),
        None => Ok(true),
    }
}

/// A district association whose head and whose city association's head are two people.
fn district_and_city_heads(
    town: &Snapshot,
) -> Option<(domain::ids::AssociationId, PersonId, PersonId)> {
    town.associations
        .values()
        .filter(|a| a.level == Level::District)
        .find_map(|a| {
            let head = town.holder(a.association, AssociationRole::Head)?;
            let city = town.holder(a.city_association?, AssociationRole::Head)?;
            (head != city).then_some((a.association, head, city))
        })
}

/// One login per kind of user the town has (a small town may lack one, e.g. a methodical
/// center's official: that login is left out).
fn logins(town: &Snapshot) -> Vec<Login> {
    let official = |kind: BodyKind| {
        town.officials
            .iter()
            .find(|o| o.body_kind == kind)
            .map(|o| o.person)
    };
    let holds_something = |p: &PersonId| {
        town.roles.values().any(|r| r.person == *p) || town.officials.iter().any(|o| o.person == *p)
    };
    let heads = district_and_city_heads(town);
    // the secretary of the city association that meets in the demo, else another one
    let city = heads.and_then(|(district, _, _)| town.associations[&district].city_association);
    // (in a town where the city association's members are the district heads, its secretary
    // heads a district association too: one person, two logins for their two roles)
    let secretary = city
        .and_then(|city| town.holder(city, AssociationRole::Secretary))
        .filter(|p| heads.is_none_or(|(_, _, city_head)| *p != city_head))
        .or_else(|| {
            town.roles
                .values()
                .find(|r| {
                    r.role == AssociationRole::Secretary
                        && heads.is_none_or(|(_, district, city)| {
                            r.person != district && r.person != city
                        })
                })
                .map(|r| r.person)
        });
    let teacher = town
        .members
        .values()
        .flatten()
        .find(|p| !holds_something(p))
        .copied();
    let people = [
        (
            "department",
            "департамент образования",
            official(BodyKind::Department),
        ),
        (
            "center",
            "методический центр",
            official(BodyKind::MethodicalCenter),
        ),
        (
            "cityhead",
            "руководитель городского объединения",
            heads.map(|h| h.2),
        ),
        (
            "districthead",
            "руководитель районного объединения",
            heads.map(|h| h.1),
        ),
        ("secretary", "секретарь объединения", secretary),
        ("teacher", "учитель", teacher),
    ];
    let mut logins: Vec<Login> = people
        .into_iter()
        .filter_map(|(login, role, person)| {
            Some(Login {
                login,
                role,
                kind: AccountKind::Person,
                person: Some(person?),
            })
        })
        .collect();
    logins.push(Login {
        login: "auditor",
        role: "аудитор (журнал и доказательства, персональные данные скрыты)",
        kind: AccountKind::Auditor,
        person: None,
    });
    logins.push(Login {
        login: "operator",
        role: "оператор (реестр и бумажные документы)",
        kind: AccountKind::Operator,
        person: None,
    });
    logins
}

/// A district head opens and submits next year's plan: it waits on the city head's step;
/// the city association meets the same day and reviews it, so the city head can approve it
/// at that meeting and its secretary draft the protocol.
async fn plan_waiting_on_the_city_head(
    app: &App,
    town: &Snapshot,
    today: NaiveDate,
) -> Result<(), Failure> {
    let Some((district, district_head, city_head)) = district_and_city_heads(town) else {
        return Ok(());
    };
    let document = Uuid::new_v4();
    let year = SchoolYear::containing(today).next();
    let title = format!(
        "План работы {} на {year}",
        town.associations[&district].title
    );
    let commands = json!([
        { "command": "open_document", "document": document, "association": district,
          "document_type": "work_plan", "school_year": year.to_string(), "title": title },
        { "command": "submit_document_version", "document": document,
          "content_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" },
    ]);
    record(app, district_head, &commands).await?;
    let Some(city) = town.associations[&district].city_association else {
        return Ok(());
    };
    let mut attendance = vec![city_head];
    attendance.extend(
        town.members
            .get(&city)
            .into_iter()
            .flatten()
            .filter(|p| **p != city_head)
            .take(6),
    );
    let meeting = json!({ "command": "hold_meeting", "meeting": Uuid::new_v4(),
        "association": city, "attendance": attendance,
        "questions": [{ "question": format!("О плане работы {} на {year}", town.associations[&district].title),
                        "decision": "Согласовать план" }] });
    record(app, city_head, &meeting).await
}

/// Records `commands` as `person`; a refusal stops the demo with its rule.
async fn record(app: &App, person: PersonId, commands: &serde_json::Value) -> Result<(), Failure> {
    let recorded = app
        .record(Acting::Person(person), &commands.to_string())
        .await?;
    match recorded.stopped {
        Some(stopped) => Err(Failure::new(
            stopped.error.code(),
            stopped.error.to_string(),
        )),
        None => Ok(()),
    }
}
