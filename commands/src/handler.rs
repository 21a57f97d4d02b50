//! The command handler: authorize, load, decide, append — the one way events enter the log.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use domain::commands::{RegisterMunicipality, RegisterPerson, TransferPerson};
use domain::events::Fact;
use domain::values::Sealed;
use domain::{
    decide, Acting, BasisKindRef, Command, Context, Decision, DomainError, Ref, RegulationProfile,
    SealedPersonalFields, World,
};
use store::{
    Actor, AppendResult, BasisKind, Clock, CommandId, ExpectedVersion, LegalBasis, NewEvent,
    RecordedEvent, SharedStore, StoreError, StreamId, SystemClock,
};
use uuid::Uuid;

use crate::error::CommandError;
use crate::profiles::ProfileSet;
use crate::state_cache::StateCache;
use domain::log::AnyState;

/// How many times a command is decided again after a concurrent writer moved its stream.
const MAX_ATTEMPTS: u32 = 16;

/// Streams are read in pages of this many events.
const PAGE: usize = 1_000;

/// The prefix of the workflow's own streams, which hold its notes and no aggregate.
pub const WORKFLOW_STREAM_PREFIX: &str = "workflow-";

/// One command to handle: what, by whom, effective when, under which id.
#[derive(Debug, Clone)]
pub struct Submission {
    pub command: Command,
    pub acting: Acting,
    pub effective: NaiveDate,
    pub command_id: CommandId,
    /// For reactions: the workflow chain this command belongs to and the event that caused it.
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    /// Who the envelope names as the actor when not the acting person or `operator` — the
    /// workflow records its reactions and timers as `workflow`, with operator authority.
    pub actor_id: Option<String>,
    /// The version of the target's stream the sender saw (`expected_version` of the JSON):
    /// when given, the command is recorded only if the stream is still at it, and never
    /// decided again on a newer state — a change made meanwhile by someone else is the
    /// sender's to read first.
    pub expected_version: Option<u64>,
}

impl Submission {
    pub fn new(
        command: Command,
        acting: Acting,
        effective: NaiveDate,
        command_id: CommandId,
    ) -> Self {
        Self {
            command,
            acting,
            effective,
            command_id,
            correlation_id: None,
            causation_id: None,
            actor_id: None,
            expected_version: None,
        }
    }
}

/// What a handled command wrote (or, for a repeated command id, had written the first time).
#[derive(Debug, Clone)]
pub struct Handled {
    pub result: AppendResult,
    pub events: Vec<RecordedEvent>,
}

/// Handles commands against one store with one set of profiles.
#[derive(Clone)]
pub struct CommandHandler {
    store: SharedStore,
    profiles: Arc<ProfileSet>,
    clock: Arc<dyn Clock>,
    /// States kept between commands, when enabled (`with_state_cache`).
    cache: Option<Arc<Mutex<StateCache>>>,
}

impl CommandHandler {
    /// A handler whose "today" is the system clock's.
    pub fn new(store: SharedStore, profiles: ProfileSet) -> Self {
        Self::with_clock(store, profiles, Arc::new(SystemClock))
    }

    /// A handler whose "today" (no action takes effect after it) comes from `clock` — the
    /// same clock the store stamps `recorded_at` with, in tests and generated data.
    pub fn with_clock(store: SharedStore, profiles: ProfileSet, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            profiles: Arc::new(profiles),
            clock,
            cache: None,
        }
    }

    /// Keeps up to `limit` aggregate states between commands, so each command reads only the
    /// events appended to its streams since — for long runs of commands over big streams (the
    /// data generator, imports).
    pub fn with_state_cache(mut self, limit: usize) -> Self {
        self.cache = Some(Arc::new(Mutex::new(StateCache::new(limit))));
        self
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    pub fn profiles(&self) -> &ProfileSet {
        &self.profiles
    }

    /// Handles one command. A refused command writes nothing.
    pub async fn handle(&self, submission: Submission) -> Result<Handled, CommandError> {
        let target = submission.command.target();
        let stream = StreamId::parse(target.stream())?;
        if let Some(prior) = self.store.find_command(submission.command_id).await? {
            if prior.stream != stream {
                return Err(StoreError::CommandIdReused {
                    command_id: submission.command_id.0,
                    first_stream: prior.stream.to_string(),
                    stream: stream.to_string(),
                }
                .into());
            }
            let events = self.read_positions(&prior).await?;
            return Ok(Handled {
                result: prior,
                events,
            });
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let loaded = self.load(&submission).await?;
            if let Some(seen) = submission.expected_version {
                if seen != loaded.target_version {
                    return Err(CommandError::StaleExpectedVersion {
                        stream: stream.to_string(),
                        expected: seen,
                        actual: loaded.target_version,
                    });
                }
            }
            let decision = self.decide(&submission, &loaded.world).await?;
            let expected = match loaded.target_version {
                0 => ExpectedVersion::NoStream,
                v => ExpectedVersion::Exact(v),
            };
            let events = self.envelope(&submission, decision);
            match self
                .store
                .append(&stream, expected, events, submission.command_id)
                .await
            {
                Ok(result) => {
                    let events = self.read_positions(&result).await?;
                    return Ok(Handled { result, events });
                }
                // The sender's version is gone: deciding again would act on a state they
                // have not seen.
                Err(StoreError::Conflict { actual, .. })
                    if submission.expected_version.is_some() =>
                {
                    return Err(CommandError::StaleExpectedVersion {
                        stream: stream.to_string(),
                        expected: submission.expected_version.unwrap_or_default(),
                        actual,
                    })
                }
                Err(StoreError::Conflict { .. }) if attempt < MAX_ATTEMPTS => continue,
                Err(StoreError::Conflict { .. }) => {
                    return Err(CommandError::TooManyConflicts {
                        stream: stream.to_string(),
                        attempts: attempt,
                    })
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Appends a record no rule decides — the workflow's note that the rules refused one of
    /// its commands — to a stream of the workflow's own (`workflow-…`), never to an
    /// aggregate's: the domain's streams take only decided events. A repeated command id
    /// writes nothing and returns the first result.
    pub async fn record_note(
        &self,
        stream: &StreamId,
        event: NewEvent,
        command_id: CommandId,
    ) -> Result<Handled, CommandError> {
        if !stream.as_str().starts_with(WORKFLOW_STREAM_PREFIX) {
            return Err(CommandError::NotAWorkflowStream {
                stream: stream.to_string(),
            });
        }
        let result = self
            .store
            .append(stream, ExpectedVersion::Any, vec![event], command_id)
            .await?;
        let events = self.read_positions(&result).await?;
        Ok(Handled { result, events })
    }

    /// Decides without writing anything (not even a vault key): the events the command
    /// would append — with placeholder ciphertext for personal fields — or why it is refused.
    pub async fn dry_run(&self, submission: &Submission) -> Result<Decision, CommandError> {
        let loaded = self.load(submission).await?;
        let profile = self.profile_for(&submission.command, &loaded.world)?;
        Ok(decide(
            &submission.command,
            &self.context(submission, profile, &loaded.world, placeholder_seals()),
        )?)
    }

    fn context<'a>(
        &self,
        submission: &Submission,
        profile: &'a RegulationProfile,
        world: &'a World,
        sealed: SealedPersonalFields,
    ) -> Context<'a> {
        Context {
            profile,
            acting: submission.acting,
            effective: submission.effective,
            today: self.clock.now().date_naive(),
            world,
            sealed,
        }
    }

    async fn decide(
        &self,
        submission: &Submission,
        world: &World,
    ) -> Result<Decision, CommandError> {
        let profile = self.profile_for(&submission.command, world)?;
        let context = |sealed| self.context(submission, profile, world, sealed);
        let needs_sealing = matches!(
            submission.command,
            Command::RegisterPerson(_) | Command::TransferPerson(_)
        );
        if !needs_sealing {
            return Ok(decide(
                &submission.command,
                &context(SealedPersonalFields::default()),
            )?);
        }
        // Decide once with placeholders, so that a refused command creates no key in the
        // vault; then seal for real and decide the same pure function again.
        decide(&submission.command, &context(placeholder_seals()))?;
        let sealed = self.seal(&submission.command).await?;
        Ok(decide(&submission.command, &context(sealed))?)
    }

    fn profile_for(
        &self,
        command: &Command,
        world: &World,
    ) -> Result<&RegulationProfile, CommandError> {
        if let Command::RegisterMunicipality(RegisterMunicipality { profile, .. }) = command {
            return self.profiles.get(profile);
        }
        match world.municipality() {
            Some(m) => self.profiles.get(&m.profile),
            // nothing loaded leads to a municipality: what the command names and the log
            // lacks is said first (a missing order, say), before the new thing it creates
            None => {
                let absent = command
                    .named_references()
                    .into_iter()
                    .find(|r| !world.exists(r))
                    .unwrap_or(command.target());
                Err(missing(absent).into())
            }
        }
    }

    async fn seal(&self, command: &Command) -> Result<SealedPersonalFields, CommandError> {
        let vault = &self.store;
        let seal = |person: String, field: &'static str, text: String| async move {
            vault
                .seal(&person, field, &text)
                .await
                .map(|s| Sealed(serde_json::to_value(s).unwrap_or_default()))
        };
        match command {
            Command::RegisterPerson(RegisterPerson {
                person,
                full_name,
                birth_date,
                position_title,
                ..
            }) => {
                let id = person.to_string();
                Ok(SealedPersonalFields {
                    full_name: Some(
                        seal(id.clone(), "full_name", full_name.trim().to_string()).await?,
                    ),
                    birth_date: Some(seal(id.clone(), "birth_date", birth_date.to_string()).await?),
                    position_title: Some(
                        seal(id, "position_title", position_title.trim().to_string()).await?,
                    ),
                })
            }
            Command::TransferPerson(TransferPerson {
                person,
                position_title,
                ..
            }) => Ok(SealedPersonalFields {
                position_title: Some(
                    seal(
                        person.to_string(),
                        "position_title",
                        position_title.trim().to_string(),
                    )
                    .await?,
                ),
                ..Default::default()
            }),
            _ => Ok(SealedPersonalFields::default()),
        }
    }

    fn envelope(&self, submission: &Submission, decision: Decision) -> Vec<NewEvent> {
        let actor = Actor::new(
            submission
                .actor_id
                .clone()
                .unwrap_or_else(|| submission.acting.id()),
            decision.acted_as.to_string(),
        );
        let basis = decision.basis.map(|b| LegalBasis {
            kind: match b.kind {
                BasisKindRef::Order => BasisKind::Order,
                BasisKindRef::Protocol => BasisKind::Protocol,
            },
            number: b.number,
            date: b.date,
            issuer: b.issuer,
        });
        decision
            .events
            .iter()
            .map(|event| {
                let mut new = NewEvent::new(
                    event.event_type(),
                    event.payload(),
                    submission.effective,
                    actor.clone(),
                )
                .with_schema(event.schema());
                if let Some(basis) = &basis {
                    new = new.with_basis(basis.clone());
                }
                if let (Some(correlation), Some(causation)) =
                    (submission.correlation_id, submission.causation_id)
                {
                    new = new.caused_by(correlation, causation);
                }
                new
            })
            .collect()
    }

    /// Loads the target, the aggregates the command names, the acting person, and the
    /// aggregates their states lead to.
    async fn load(&self, submission: &Submission) -> Result<Loaded, CommandError> {
        let command = &submission.command;
        let target = command.target();
        let mut world = World::default();
        let mut target_version = 0;
        let named = command.named_references();
        let mut pending = vec![target];
        pending.extend(named.iter().copied());
        if let Acting::Person(person) = submission.acting {
            pending.push(Ref::Person(person));
        }
        // Each round loads what the previous one pointed at; three rounds reach every
        // reference the rules follow (e.g. meeting → association → its district associations).
        for _ in 0..4 {
            pending.retain(|r| !world.contains(r));
            pending.sort();
            pending.dedup();
            if pending.is_empty() {
                break;
            }
            for reference in std::mem::take(&mut pending) {
                let (state, version) = self.read_state(reference).await?;
                if reference == target {
                    target_version = version;
                }
                state.insert_into(&mut world, reference);
            }
            pending = world.implied_references();
        }
        // What no reference leads to, found through the store's index (003 §7.9: every
        // meeting the association held, for a step at the first meeting of the year).
        for lookup in world.lookups(command) {
            let (event_type, field, value) = lookup.key();
            for stream in self.store.streams_where(event_type, field, &value).await? {
                if let Some(reference) = lookup.reference(stream.as_str()) {
                    if !world.contains(&reference) {
                        let (state, _) = self.read_state(reference).await?;
                        state.insert_into(&mut world, reference);
                    }
                }
            }
        }
        world.settle_home(target, &named);
        Ok(Loaded {
            world,
            target_version,
        })
    }

    /// The aggregate's state at the end of its stream: from the cache and the events after
    /// it, or folded from the first event.
    async fn read_state(&self, reference: Ref) -> Result<(AnyState, u64), CommandError> {
        let cached = self
            .cache
            .as_ref()
            .and_then(|cache| lock(cache).get(&reference));
        let (mut version, mut state) = cached.unwrap_or_else(|| (0, AnyState::empty(reference)));
        let stream = StreamId::parse(reference.stream())?;
        loop {
            let page = self.store.read_stream(&stream, version + 1, PAGE).await?;
            for recorded in &page {
                // An aggregate's stream holds only the domain's events.
                let fact = fact_of(recorded)?.ok_or_else(|| DomainError::UnknownEventType {
                    event_type: recorded.event_type.clone(),
                })?;
                state.evolve(&fact);
                version = recorded.version;
            }
            if page.len() < PAGE {
                break;
            }
        }
        if let Some(cache) = &self.cache {
            lock(cache).put(reference, version, state.clone());
        }
        Ok((state, version))
    }

    async fn read_positions(
        &self,
        result: &AppendResult,
    ) -> Result<Vec<RecordedEvent>, CommandError> {
        let count = (result.last_position + 1).saturating_sub(result.first_position) as usize;
        Ok(self.store.read_all(result.first_position, count).await?)
    }
}

struct Loaded {
    world: World,
    target_version: u64,
}

/// The store's envelope as the domain reads it (`domain::log`): the fact, or `None` for an
/// event that is not the domain's (the vault's erasures, the workflow's refusals).
pub fn fact_of(recorded: &RecordedEvent) -> Result<Option<Fact>, CommandError> {
    Ok(Fact::decode_known(
        &recorded.event_type,
        recorded.schema,
        &recorded.payload,
        recorded.effective,
    )?)
}

/// The cache's lock; a panic while it was held leaves at worst a state that is behind,
/// which the next read brings up to date.
fn lock(cache: &Mutex<StateCache>) -> std::sync::MutexGuard<'_, StateCache> {
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn missing(target: Ref) -> DomainError {
    let (what, id) = match target {
        Ref::Municipality(id) => ("муниципалитет", id.to_string()),
        Ref::Person(id) => ("лицо", id.to_string()),
        Ref::Order(id) => ("приказ", id.to_string()),
        Ref::Association(id) => ("объединение", id.to_string()),
        Ref::Application(id) => ("заявка", id.to_string()),
        Ref::Document(id) => ("документ", id.to_string()),
        Ref::Meeting(id) => ("заседание", id.to_string()),
    };
    DomainError::NotFound { what, id }
}

fn placeholder_seals() -> SealedPersonalFields {
    let placeholder = || {
        Sealed(
            serde_json::json!({"sealed": {"person": "", "field": "", "nonce": "", "ciphertext": ""}}),
        )
    };
    SealedPersonalFields {
        full_name: Some(placeholder()),
        birth_date: Some(placeholder()),
        position_title: Some(placeholder()),
    }
}
