//! Driving the sessions: N at once on each side, taking turns — in-process, HTTP, in-process,
//! HTTP, half the time each — every operation timed from the call to the whole answer, and
//! every failure kept with its code (a non-2xx status, a transport error, a refusal of the
//! rules on the in-process side): the bench hides none.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::{App, When};
use chrono::NaiveDate;
use domain::ids::{DocumentId, PersonId};
use domain::inbox::InboxReason;
use domain::Acting;
use hyper::Method;
use projections::queries::Filters;
use serde_json::Value;

use super::client::HttpSession;
use super::plan::{Kind, Op, Plan};
use super::town::{approval, returning, Action, Decision, Town};
use super::{reset_peak, status_kib, BenchServeArgs, Memory};
use crate::failure::Failure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Http,
    InProcess,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::Http => 0,
            Side::InProcess => 1,
        }
    }
}

/// One kind of operation on one side: how long each took, and the failures by code.
#[derive(Debug, Clone, Default)]
pub struct KindTally {
    pub latencies: Vec<Duration>,
    pub errors: BTreeMap<String, u64>,
}

impl KindTally {
    pub fn errors(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// One side's run.
#[derive(Debug, Clone)]
pub struct SideTally {
    /// By `Kind::index`.
    pub kinds: Vec<KindTally>,
    /// The time the side was driven (both halves).
    pub elapsed: Duration,
    /// Decisions the mix asked for when nothing of the session's own waited any more.
    pub nothing_to_decide: u64,
}

impl SideTally {
    fn new() -> Self {
        Self {
            kinds: vec![KindTally::default(); Kind::ALL.len()],
            elapsed: Duration::ZERO,
            nothing_to_decide: 0,
        }
    }

    fn add(&mut self, other: SideTally) {
        for (mine, theirs) in self.kinds.iter_mut().zip(other.kinds) {
            mine.latencies.extend(theirs.latencies);
            for (code, n) in theirs.errors {
                *mine.errors.entry(code).or_default() += n;
            }
        }
        self.nothing_to_decide += other.nothing_to_decide;
    }

    fn note(&mut self, kind: Kind, took: Duration, outcome: &Result<(), String>) {
        let tally = &mut self.kinds[kind.index()];
        tally.latencies.push(took);
        if let Err(code) = outcome {
            *tally.errors.entry(code.clone()).or_default() += 1;
        }
    }
}

enum Caller {
    InProcess(App),
    Http(HttpSession),
}

/// A session on one side, kept from one half to the next.
struct Session {
    person: PersonId,
    trails: Arc<Vec<DocumentId>>,
    waiting: BTreeMap<DocumentId, Decision>,
    plan: Plan,
    /// The steps waiting for the person's decision in the last inbox read, if still fresh.
    inbox: Option<Vec<(DocumentId, u32)>>,
    caller: Caller,
    operations: u64,
}

/// End of a day as a moment (what `known_at=YYYY-MM-DD` means to the server).
fn end_of(day: NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    day.and_hms_micro_opt(23, 59, 59, 999_999)
        .map(|m| m.and_utc())
}

fn decide_items(
    items: impl IntoIterator<Item = (DocumentId, Option<u32>)>,
) -> Vec<(DocumentId, u32)> {
    items
        .into_iter()
        .filter_map(|(document, step)| step.map(|s| (document, s)))
        .collect()
}

impl Session {
    async fn inbox(&mut self) -> Result<(), String> {
        let items = match &mut self.caller {
            Caller::InProcess(app) => {
                let items = app
                    .inbox(self.person, When::default())
                    .await
                    .map_err(|e| e.code().to_string())?;
                decide_items(items.into_iter().map(|i| {
                    let step = match i.reason {
                        InboxReason::Decide { step, .. } => Some(step),
                        _ => None,
                    };
                    (i.document, step)
                }))
            }
            Caller::Http(client) => {
                let answer = client.call(Method::GET, "/api/inbox", None).await?;
                if !answer.ok() {
                    return Err(answer.error());
                }
                let items: Value = serde_json::from_slice(&answer.body)
                    .map_err(|e| format!("unreadable inbox: {e}"))?;
                let items = items.as_array().cloned().unwrap_or_default();
                decide_items(items.iter().filter_map(|i| {
                    let document = DocumentId::parse(i["document"].as_str()?).ok()?;
                    let step = (i["reason"]["kind"] == "decide")
                        .then(|| i["reason"]["step"].as_u64().map(|s| s as u32))
                        .flatten();
                    Some((document, step))
                }))
            }
        };
        self.inbox = Some(items);
        Ok(())
    }

    async fn query(
        &mut self,
        kind: projections::queries::QueryKind,
        as_of: NaiveDate,
        known_at: Option<NaiveDate>,
    ) -> Result<(), String> {
        match &mut self.caller {
            Caller::InProcess(app) => {
                let when = When {
                    as_of: Some(as_of),
                    known_at: known_at.and_then(end_of),
                };
                app.query(kind, when, Filters::default())
                    .await
                    .map(|_| ())
                    .map_err(|e| e.code().to_string())
            }
            Caller::Http(client) => {
                let mut path = format!("/api/query/{}?as_of={as_of}", kind.name());
                if let Some(known_at) = known_at {
                    path.push_str(&format!("&known_at={known_at}"));
                }
                let answer = client.call(Method::GET, &path, None).await?;
                if answer.ok() {
                    Ok(())
                } else {
                    Err(answer.error())
                }
            }
        }
    }

    async fn trail(&mut self, document: DocumentId) -> Result<(), String> {
        match &mut self.caller {
            Caller::InProcess(app) => app
                .trail(document, When::default())
                .await
                .map(|_| ())
                .map_err(|e| e.code().to_string()),
            Caller::Http(client) => {
                let path = format!("/api/documents/{document}/trail");
                let answer = client.call(Method::GET, &path, None).await?;
                if answer.ok() {
                    Ok(())
                } else {
                    Err(answer.error())
                }
            }
        }
    }

    /// A page as the browser asks for it (HTML, 200); in process, the answer the page shows
    /// (the inbox, the trail) without its HTML.
    async fn page(&mut self, path: &str, document: Option<DocumentId>) -> Result<(), String> {
        match &mut self.caller {
            Caller::InProcess(app) => match document {
                Some(document) => app.trail(document, When::default()).await.map(|_| ()),
                None => app.inbox(self.person, When::default()).await.map(|_| ()),
            }
            .map_err(|e| e.code().to_string()),
            Caller::Http(client) => {
                let answer = client.call(Method::GET, path, None).await?;
                if !answer.ok() {
                    return Err(answer.error());
                }
                if !answer.body.starts_with(b"<!DOCTYPE html>") {
                    return Err("not_a_page".into());
                }
                Ok(())
            }
        }
    }

    async fn record(&mut self, command: Value) -> Result<(), String> {
        match &mut self.caller {
            Caller::InProcess(app) => {
                let recorded = app
                    .record(Acting::Person(self.person), &command.to_string())
                    .await
                    .map_err(|e| e.code().to_string())?;
                match recorded.stopped {
                    Some(stopped) => Err(stopped.error.code().to_string()),
                    None => Ok(()),
                }
            }
            Caller::Http(client) => {
                let answer = client
                    .call(Method::POST, "/api/commands", Some(command.to_string()))
                    .await?;
                if answer.ok() {
                    Ok(())
                } else {
                    Err(answer.error())
                }
            }
        }
    }

    /// Decides the first document of the session's own that its inbox shows waiting at the
    /// step planned for it, reading the inbox first when the last read is stale.
    async fn decide(&mut self, tally: &mut SideTally) {
        if self.inbox.is_none() {
            let started = Instant::now();
            let read = self.inbox().await;
            tally.note(Kind::Inbox, started.elapsed(), &read);
            if read.is_err() {
                return;
            }
        }
        let shown = self.inbox.as_deref().unwrap_or_default();
        let next = shown
            .iter()
            .find(|(document, step)| self.waiting.get(document).is_some_and(|d| d.step == *step))
            .map(|(document, _)| *document);
        let Some(document) = next else {
            tally.nothing_to_decide += 1;
            return;
        };
        let Some(decision) = self.waiting.remove(&document) else {
            return;
        };
        let (kind, command) = match decision.action {
            Action::Approve { protocol_number } => (
                Kind::Approve,
                approval(document, decision.step, protocol_number),
            ),
            Action::Return => (Kind::Return, returning(document, decision.step)),
        };
        let started = Instant::now();
        let written = self.record(command).await;
        tally.note(kind, started.elapsed(), &written);
        // What waits has changed: the next decision reads the inbox again.
        self.inbox = None;
    }

    async fn perform(&mut self, op: Op, tally: &mut SideTally) {
        let started = Instant::now();
        let (kind, outcome) = match op {
            Op::Inbox => (Kind::Inbox, self.inbox().await),
            Op::Query {
                kind,
                as_of,
                known_at,
            } => (Kind::Query, self.query(kind, as_of, known_at).await),
            Op::Trail { document } => (Kind::Trail, self.trail(document).await),
            Op::InboxPage => (Kind::InboxPage, self.page("/inbox", None).await),
            Op::DocumentPage { document } => (
                Kind::DocumentPage,
                self.page(&format!("/documents/{document}"), Some(document))
                    .await,
            ),
            Op::Decide => {
                self.decide(tally).await;
                return;
            }
        };
        tally.note(kind, started.elapsed(), &outcome);
    }
}

/// Drives `sessions` until `until` (or each has made `cap` operations), all at once.
async fn half(
    sessions: Vec<Session>,
    until: Instant,
    cap: u64,
    think_ms: u64,
) -> (Vec<Session>, SideTally) {
    let started = Instant::now();
    let tasks: Vec<_> = sessions
        .into_iter()
        .map(|mut session| {
            tokio::spawn(async move {
                let mut tally = SideTally::new();
                while Instant::now() < until && session.operations < cap {
                    let pause = session.plan.pause(think_ms);
                    if !pause.is_zero() {
                        tokio::time::sleep(
                            pause.min(until.saturating_duration_since(Instant::now())),
                        )
                        .await;
                        if Instant::now() >= until {
                            break;
                        }
                    }
                    let op = session.plan.next(&session.trails);
                    session.perform(op, &mut tally).await;
                    session.operations += 1;
                }
                (session, tally)
            })
        })
        .collect();
    let mut sessions = Vec::with_capacity(tasks.len());
    let mut total = SideTally::new();
    for task in tasks {
        match task.await {
            Ok((session, tally)) => {
                sessions.push(session);
                total.add(tally);
            }
            Err(e) => {
                *total.kinds[Kind::Inbox.index()]
                    .errors
                    .entry(format!("session task: {e}"))
                    .or_default() += 1;
            }
        }
    }
    total.elapsed = started.elapsed();
    (sessions, total)
}

/// Waits for `/readyz` (the read models caught up once).
async fn ready(address: SocketAddr) -> Result<(), Failure> {
    let mut probe = HttpSession::new(address);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(answer) = probe.call(Method::GET, "/readyz", None).await {
            if answer.ok() {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(Failure::new("bench_failed", "сервер не готов за 120 с"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Logs every session in, then drives both sides in turn; the sides' tallies (HTTP first)
/// and the memory.
pub async fn measure(
    town: &Town,
    address: SocketAddr,
    args: &BenchServeArgs,
) -> Result<(SideTally, SideTally, Memory), Failure> {
    ready(address).await?;
    let mut sides: [Vec<Session>; 2] = [Vec::new(), Vec::new()];
    for side in [Side::Http, Side::InProcess] {
        for (i, plan) in town.sessions.iter().enumerate() {
            let caller = match side {
                Side::InProcess => Caller::InProcess(town.app.clone()),
                Side::Http => {
                    let mut client = HttpSession::new(address);
                    client
                        .login(&plan.login, &town.password)
                        .await
                        .map_err(|e| {
                            Failure::new("bench_login_failed", format!("{}: {e}", plan.login))
                        })?;
                    Caller::Http(client)
                }
            };
            sides[side.index()].push(Session {
                person: plan.person,
                trails: plan.trails.clone(),
                waiting: plan.waiting[side.index()].clone(),
                plan: Plan::new(args.seed, i, plan.persona, town.first_day, town.today),
                inbox: None,
                caller,
                operations: 0,
            });
        }
    }
    eprintln!("bench: {} сессий вошли по HTTP", sides[0].len());
    let before = status_kib("VmHWM");
    let reset = reset_peak();
    let half_time = Duration::from_millis(args.seconds * 500);
    let mut tallies = [SideTally::new(), SideTally::new()];
    for round in 1..=2 {
        for side in [Side::InProcess, Side::Http] {
            eprintln!(
                "bench: круг {round}, {} — {:.1} с",
                match side {
                    Side::Http => "HTTP",
                    Side::InProcess => "в процессе",
                },
                half_time.as_secs_f64()
            );
            let sessions = std::mem::take(&mut sides[side.index()]);
            let (sessions, tally) = half(
                sessions,
                Instant::now() + half_time,
                args.requests,
                args.think_ms,
            )
            .await;
            sides[side.index()] = sessions;
            let total = &mut tallies[side.index()];
            total.elapsed += tally.elapsed;
            total.add(tally);
        }
    }
    let serving = status_kib("VmHWM");
    let memory = Memory {
        peak_whole_run_kib: before.max(serving),
        peak_serving_kib: if reset { serving } else { None },
    };
    let [http, in_process] = tallies;
    Ok((http, in_process, memory))
}
