//! The town the bench serves, made before anything is timed: a generated Novokuznetsk city,
//! "today" the day after its history ends, the people who log in (by persona), their accounts,
//! the documents each may open the trail of, and the documents waiting for each session's
//! decision — on each side its own, so no two sessions ever decide the same step.
//!
//! The generator closes every document it opens (the spring plans are decided by late May),
//! so nothing waits on the day after its history. The documents the sessions decide are
//! therefore opened and submitted here, by their real authors through the rules, as more
//! plans for the next school year: city associations' plans go to the organizational-
//! methodical council (approved with its protocol's number, some returned) and, approved
//! there, to the department's deputy chief; district associations' plans go to the head of
//! the city association of their subject, who returns them (approving them needs a meeting
//! of the city association held since, which the bench does not hold).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use app::{AccountKind, App, Config};
use chrono::NaiveDate;
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::values::{AssociationRole, BodyKind, Level, Office};
use domain::{Acting, SchoolYear};
use projections::snapshot::{Needs, Snapshot};
use serde_json::{json, Value};
use store::TimePoint;
use uuid::Uuid;

use super::BenchServeArgs;
use crate::bench::kept::{events_held, history_name, store_of};
use crate::failure::Failure;
use crate::progress::progress_printer;

/// Which kind of person a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Persona {
    /// The department's deputy chief: oversight questions; the plans' second step.
    Official,
    /// A member of the organizational-methodical council: the city plans' first step.
    Council,
    /// The head of a city association: the district plans of their subject.
    CityHead,
    Secretary,
    Teacher,
}

impl Persona {
    pub fn name(self) -> &'static str {
        match self {
            Persona::Official => "official",
            Persona::Council => "council",
            Persona::CityHead => "city-head",
            Persona::Secretary => "secretary",
            Persona::Teacher => "teacher",
        }
    }
}

/// Ten sessions in a row: one official, one council member, three city heads, two
/// secretaries, three teachers (the first three sessions cover every kind of operation).
const MIX: [Persona; 10] = [
    Persona::Official,
    Persona::Council,
    Persona::CityHead,
    Persona::Teacher,
    Persona::Secretary,
    Persona::CityHead,
    Persona::Teacher,
    Persona::CityHead,
    Persona::Secretary,
    Persona::Teacher,
];

/// What a session does with a document waiting for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Approve { protocol_number: Option<String> },
    Return,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub step: u32,
    pub action: Action,
}

/// One session as planned.
pub struct SessionPlan {
    pub persona: Persona,
    pub person: PersonId,
    pub login: String,
    /// Documents whose trail the person may open.
    pub trails: Arc<Vec<DocumentId>>,
    /// For each side (HTTP, in-process): the documents waiting for this session.
    pub waiting: [BTreeMap<DocumentId, Decision>; 2],
}

pub struct Town {
    pub app: App,
    pub today: NaiveDate,
    /// The first day of the generated history.
    pub first_day: NaiveDate,
    pub events_generated: u64,
    pub sessions: Vec<SessionPlan>,
    pub accounts: usize,
    pub password: String,
    /// The kept history the town's store is a copy of, if it is one.
    pub kept: Option<String>,
}

/// The history a town is made on: how many events it has, from which day, and, when it is a
/// copy of a kept history, the kept history's store (the copy is removed after the run).
pub struct History {
    pub events: u64,
    pub first_day: NaiveDate,
    pub kept: Option<String>,
}

impl Town {
    pub async fn build(
        url: &str,
        history: History,
        args: &BenchServeArgs,
    ) -> Result<Self, Failure> {
        let History {
            events: events_generated,
            first_day,
            kept,
        } = history;
        let today = crate::serve_demo::day_after_history(url).await?;
        let app = App::open(Config {
            db: url.to_string(),
            profiles: None,
            clock: Some(today.to_string()),
        })
        .await?;
        let store = app.store().await?.clone();
        let at = TimePoint {
            as_of: today,
            known_at: None,
        };
        let needs = Needs {
            registry: true,
            roles: true,
            memberships: true,
            documents: true,
            ..Needs::default()
        };
        let city = Snapshot::load(store.as_ref(), at, needs).await?;
        let people = People::of(&city, args.seed);
        let mut sessions = people.sessions(args.sessions as usize)?;
        let password = format!("bench-{}", Uuid::new_v4().simple());
        let accounts = open_accounts(&app, &sessions, &password).await?;
        scope_trails(&app, &city, today, &mut sessions).await?;
        let pool = pool_size(args);
        let mut setup = Setup {
            app: &app,
            city: &city,
            people: &people,
            school_year: SchoolYear::containing(today).next(),
            recorded: 0,
            next_city: 0,
        };
        eprintln!("bench: документы, ждущие решения сессий ({pool} на сессию и сторону)");
        for session in &mut sessions {
            for side in 0..2 {
                session.waiting[side] = setup.waiting_for(session, pool).await?;
            }
        }
        // Deadlines the new plans already missed are recorded now, not while timing.
        app.run_workflow().await?;
        app.catch_up_read_models().await?;
        eprintln!("bench: подготовка записала {} команд", setup.recorded);
        Ok(Self {
            app,
            today,
            first_day,
            events_generated,
            sessions,
            accounts,
            password,
            kept,
        })
    }

    /// Documents waiting for the sessions' decisions, on both sides.
    pub fn waiting(&self) -> usize {
        self.sessions
            .iter()
            .map(|s| s.waiting.iter().map(BTreeMap::len).sum::<usize>())
            .sum()
    }
}

/// Documents a deciding session gets on each side: more than it can decide in the time at
/// the rate the mix asks for (about one decision in six operations), on a fast machine.
fn pool_size(args: &BenchServeArgs) -> usize {
    (args.seconds as usize * 2 + 4).min(400)
}

/// The profile of the town the bench serves.
const PROFILE: &str = "novokuznetsk";

/// A copy of the history of `args` kept under `data`, made beside it (generated there
/// first when it is missing), and the copy's URL.
pub async fn kept_copy(data: &str, args: &BenchServeArgs) -> Result<(String, History), Failure> {
    let name = history_name(PROFILE, args.scale.name(), args.years, args.seed);
    let kept = store_of(data, &name).await?;
    let config = Config {
        db: kept.clone(),
        profiles: None,
        clock: None,
    };
    let mut events = events_held(&config, &kept).await?;
    if events == 0 {
        events = generate(&kept, args)?.events;
    } else {
        eprintln!("bench: {kept}: история уже создана ({events} событий)");
        // read models of an older build are brought up to this one's in the kept history
        // once, not again in every copy
        App::new(config).catch_up_read_models().await?;
    }
    eprintln!("bench: копия истории для этого прогона");
    let copy = store::bench::copy_beside(&kept, "_serve").await?;
    Ok((
        copy,
        History {
            events,
            first_day: demo::first_school_year(args.years).first_day(),
            kept: Some(kept),
        },
    ))
}

/// `metod demo --profile novokuznetsk --scale …` into the empty store at `url`. On a thread of
/// its own: the generator keeps the thread it runs on to one core, which must not be one
/// the server's runtime runs on.
pub fn generate(url: &str, args: &BenchServeArgs) -> Result<History, Failure> {
    let spec = demo::DemoSpec {
        profile: PROFILE.into(),
        scale: args.scale.generated(),
        years: args.years,
        seed: args.seed,
    };
    let config = Config {
        db: url.to_string(),
        profiles: None,
        clock: None,
    };
    eprintln!(
        "bench: город «novokuznetsk», учебных лет {} — генерация",
        args.years
    );
    let generated = std::thread::spawn(move || -> Result<app::DemoRun, Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::new("runtime_failure", e.to_string()))?;
        runtime.block_on(async move {
            let years = progress_printer("учебные годы");
            let read_models = progress_printer("модели чтения");
            Ok(App::new(config).demo(spec, &years, &read_models).await?)
        })
    })
    .join()
    .map_err(|_| Failure::new("bench_failed", "генерация города прервалась"))??;
    eprintln!(
        "bench: событий {}, учителей {}, объединений {} за {:.1} с",
        generated.report.events,
        generated.report.teachers,
        generated.report.associations,
        generated.total.as_secs_f64()
    );
    Ok(History {
        events: generated.report.events,
        first_day: demo::first_school_year(args.years).first_day(),
        kept: None,
    })
}

/// The town's people by persona, each list in a fixed order.
struct People {
    officials: Vec<PersonId>,
    council: Vec<PersonId>,
    /// City heads, with their city association.
    city_heads: Vec<(PersonId, AssociationId)>,
    secretaries: Vec<PersonId>,
    teachers: Vec<PersonId>,
    /// City associations with a head today, and the head.
    city_authors: Vec<(AssociationId, PersonId)>,
    /// District associations with a head today, by their city association.
    district_authors: BTreeMap<AssociationId, Vec<(AssociationId, PersonId)>>,
}

impl People {
    fn of(city: &Snapshot, seed: u64) -> Self {
        let office = |kind: BodyKind, office: Option<Office>| -> Vec<PersonId> {
            let set: BTreeSet<PersonId> = city
                .officials
                .iter()
                .filter(|o| o.body_kind == kind && office.is_none_or(|w| o.office == w))
                .map(|o| o.person)
                .collect();
            set.into_iter().collect()
        };
        let level = |a: &AssociationId| city.associations.get(a).map(|a| a.level);
        let heads: BTreeMap<AssociationId, PersonId> = city
            .roles
            .values()
            .filter(|r| r.role == AssociationRole::Head)
            .map(|r| (r.association, r.person))
            .collect();
        let city_authors: Vec<(AssociationId, PersonId)> = heads
            .iter()
            .filter(|(a, _)| level(a) == Some(Level::City))
            .map(|(a, p)| (*a, *p))
            .collect();
        let mut district_authors: BTreeMap<AssociationId, Vec<(AssociationId, PersonId)>> =
            BTreeMap::new();
        for (association, fact) in &city.associations {
            if let (Some(up), Some(head)) = (fact.city_association, heads.get(association)) {
                district_authors
                    .entry(up)
                    .or_default()
                    .push((*association, *head));
            }
        }
        let city_heads = city_authors
            .iter()
            .filter(|(a, _)| district_authors.contains_key(a))
            .map(|(a, p)| (*p, *a))
            .collect();
        let secretaries: BTreeSet<PersonId> = city
            .roles
            .values()
            .filter(|r| r.role == AssociationRole::Secretary)
            .map(|r| r.person)
            .collect();
        let busy: BTreeSet<PersonId> = city
            .roles
            .values()
            .map(|r| r.person)
            .chain(city.officials.iter().map(|o| o.person))
            .collect();
        let mut teachers: Vec<PersonId> = city
            .members
            .values()
            .flatten()
            .filter(|p| !busy.contains(p))
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // A spread of the town's teachers, the same for a seed.
        let stride = 7919 + (seed as usize % 1000) * 2;
        if !teachers.is_empty() {
            let n = teachers.len();
            teachers = (0..n.min(1000))
                .map(|i| teachers[(i * stride) % n])
                .collect();
        }
        Self {
            officials: office(BodyKind::Department, Some(Office::DeputyChief)),
            council: office(BodyKind::OrganizationalMethodicalCouncil, None),
            city_heads,
            secretaries: secretaries.into_iter().collect(),
            teachers,
            city_authors,
            district_authors,
        }
    }

    /// `count` sessions in the order of `MIX`; a persona the town lacks becomes a teacher.
    fn sessions(&self, count: usize) -> Result<Vec<SessionPlan>, Failure> {
        let mut taken: BTreeMap<Persona, usize> = BTreeMap::new();
        let mut sessions = Vec::with_capacity(count);
        for i in 0..count {
            let wanted = MIX[i % MIX.len()];
            let persona = if self.with(wanted).is_empty() {
                Persona::Teacher
            } else {
                wanted
            };
            let list = self.with(persona);
            if list.is_empty() {
                return Err(Failure::new(
                    "bench_failed",
                    "в сгенерированном городе нет учителей без должностей",
                ));
            }
            let k = taken.entry(persona).or_default();
            let person = list[*k % list.len()];
            *k += 1;
            sessions.push(SessionPlan {
                persona,
                person,
                login: format!("bench-{}-{person}", persona.name()),
                trails: Arc::new(Vec::new()),
                waiting: [BTreeMap::new(), BTreeMap::new()],
            });
        }
        Ok(sessions)
    }

    fn with(&self, persona: Persona) -> Vec<PersonId> {
        match persona {
            Persona::Official => self.officials.clone(),
            Persona::Council => self.council.clone(),
            Persona::CityHead => self.city_heads.iter().map(|(p, _)| *p).collect(),
            Persona::Secretary => self.secretaries.clone(),
            Persona::Teacher => self.teachers.clone(),
        }
    }

    fn city_association_of(&self, head: PersonId) -> Option<AssociationId> {
        self.city_heads
            .iter()
            .find(|(p, _)| *p == head)
            .map(|(_, a)| *a)
    }
}

/// One account a person (several sessions of one person share it, each logged in apart).
async fn open_accounts(
    app: &App,
    sessions: &[SessionPlan],
    password: &str,
) -> Result<usize, Failure> {
    let mut opened = BTreeSet::new();
    for session in sessions {
        if opened.insert(session.login.clone()) {
            app.add_account(
                &session.login,
                AccountKind::Person,
                Some(session.person),
                Some(password.to_string()),
            )
            .await?;
        }
    }
    Ok(opened.len())
}

/// The documents whose trail each session may open: any for the department's official, those
/// of the associations a person sees for everyone else.
async fn scope_trails(
    app: &App,
    city: &Snapshot,
    today: NaiveDate,
    sessions: &mut [SessionPlan],
) -> Result<(), Failure> {
    let all: Arc<Vec<DocumentId>> = Arc::new(city.documents.iter().map(|d| d.document).collect());
    let mut by_person: BTreeMap<PersonId, Arc<Vec<DocumentId>>> = BTreeMap::new();
    for session in sessions.iter_mut() {
        if let Some(known) = by_person.get(&session.person) {
            session.trails = known.clone();
            continue;
        }
        let standing = app.standing(session.person, today).await?;
        let trails = if standing.oversees_municipality() {
            all.clone()
        } else {
            Arc::new(
                city.documents
                    .iter()
                    .filter(|d| standing.sees_association(&d.association))
                    .map(|d| d.document)
                    .collect(),
            )
        };
        by_person.insert(session.person, trails.clone());
        session.trails = trails;
    }
    Ok(())
}

/// Records the documents that wait for the sessions, through the rules.
struct Setup<'a> {
    app: &'a App,
    city: &'a Snapshot,
    people: &'a People,
    school_year: SchoolYear,
    recorded: u64,
    /// The next city association whose head writes a plan (they take turns).
    next_city: usize,
}

impl Setup<'_> {
    /// `count` documents waiting for `session`'s decision (none for those who decide nothing).
    async fn waiting_for(
        &mut self,
        session: &SessionPlan,
        count: usize,
    ) -> Result<BTreeMap<DocumentId, Decision>, Failure> {
        let mut waiting = BTreeMap::new();
        let council = self.people.council.first().copied();
        match session.persona {
            Persona::Council | Persona::Official => {
                let authors = &self.people.city_authors;
                for i in 0..if authors.is_empty() { 0 } else { count } {
                    let (association, head) = authors[self.next_city % authors.len()];
                    self.next_city += 1;
                    let document = self.plan(association, head).await?;
                    let decision = if session.persona == Persona::Official {
                        let Some(member) = council else { break };
                        self.record(member, approval(document, 1, Some(protocol(i))))
                            .await?;
                        Decision {
                            step: 2,
                            action: Action::Approve {
                                protocol_number: None,
                            },
                        }
                    } else if i % 4 == 3 {
                        Decision {
                            step: 1,
                            action: Action::Return,
                        }
                    } else {
                        Decision {
                            step: 1,
                            action: Action::Approve {
                                protocol_number: Some(protocol(i)),
                            },
                        }
                    };
                    waiting.insert(document, decision);
                }
            }
            Persona::CityHead => {
                let authors = self
                    .people
                    .city_association_of(session.person)
                    .and_then(|a| self.people.district_authors.get(&a))
                    .cloned()
                    .unwrap_or_default();
                for i in 0..if authors.is_empty() { 0 } else { count } {
                    let (association, head) = authors[i % authors.len()];
                    let document = self.plan(association, head).await?;
                    waiting.insert(
                        document,
                        Decision {
                            step: 1,
                            action: Action::Return,
                        },
                    );
                }
            }
            Persona::Secretary | Persona::Teacher => {}
        }
        Ok(waiting)
    }

    /// A plan for the next school year opened and submitted by `head` of `association`.
    async fn plan(
        &mut self,
        association: AssociationId,
        head: PersonId,
    ) -> Result<DocumentId, Failure> {
        let document = DocumentId::new_random();
        let title = match self.city.associations.get(&association) {
            Some(a) => format!(
                "Дополнения к плану работы: {} на {}",
                a.title, self.school_year
            ),
            None => format!("Дополнения к плану работы на {}", self.school_year),
        };
        self.record(
            head,
            json!({
                "command": "open_document",
                "command_id": Uuid::new_v4(),
                "document": document,
                "association": association,
                "document_type": "work_plan",
                "school_year": self.school_year.to_string(),
                "title": title,
            }),
        )
        .await?;
        let content = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        self.record(
            head,
            json!({
                "command": "submit_document_version",
                "command_id": Uuid::new_v4(),
                "document": document,
                "content_hash": content,
            }),
        )
        .await?;
        Ok(document)
    }

    async fn record(&mut self, person: PersonId, command: Value) -> Result<(), Failure> {
        let recorded = self
            .app
            .record(Acting::Person(person), &command.to_string())
            .await?;
        if let Some(stopped) = recorded.stopped {
            return Err(Failure::new(
                stopped.error.code(),
                format!("подготовка ({}): {}", stopped.command, stopped.error),
            ));
        }
        self.recorded += 1;
        if self.recorded % 1000 == 0 {
            eprintln!("bench: подготовка: записано {} команд", self.recorded);
        }
        Ok(())
    }
}

/// The number of the council's protocol an approval cites.
fn protocol(i: usize) -> String {
    format!("ОМС-{}", 1 + i % 12)
}

/// `approve_step` as docs/commands.md has it.
pub fn approval(document: DocumentId, step: u32, protocol_number: Option<String>) -> Value {
    let mut command = json!({
        "command": "approve_step",
        "command_id": Uuid::new_v4(),
        "document": document,
        "step": step,
        "comment": "Согласовано",
    });
    if let Some(number) = protocol_number {
        command["protocol_number"] = json!(number);
    }
    command
}

/// `return_document` as docs/commands.md has it.
pub fn returning(document: DocumentId, step: u32) -> Value {
    json!({
        "command": "return_document",
        "command_id": Uuid::new_v4(),
        "document": document,
        "step": step,
        "comment": "Уточнить сроки и ответственных по разделу 3",
    })
}
