//! The projector: folds events into bitemporal facts. Pure — it neither reads nor writes the
//! store; it keeps the newest version of every fact in memory and collects the rows to write.
//!
//! Each fact (a thing, identified by kind and key) is a sequence of valid-time segments. An
//! event that changes a fact on its effective date D, recorded at T, never rewrites a row:
//! the segment it cuts stops being what is known at T (its `recorded_to` becomes T) and is
//! written again ending at D, and the new segment starts at D, known from T. "What was true
//! on D as known at T" is then one range lookup on both axes, and a late-recorded event (an
//! order dated 10 Sep entered on 20 Sep) is seen on 10 Sep only by questions asked after
//! 20 Sep.
//!
//! A change whose effective date lies before the start of the segment it changes (recorded
//! out of order) starts the new segment where the old one started: the projector never lets
//! two segments of one fact overlap, and never moves an earlier segment's end.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use domain::events::Member;
use domain::ids::AssociationId;
use domain::values::AssociationRole;
use domain::Event;
use store::{EventContent, FactChanges, FactRow};

use crate::error::ProjectionError;
use crate::facts::{
    kind, AssociationFact, BodyFact, DeputyFact, DevelopmentFact, DistrictFact, DocumentFact,
    DocumentPhase, FactBody, MeetingFact, MeetingPhase, MemberDatabaseFact, MembershipFact,
    MunicipalityFact, OfficialFact, OrganizationFact, PersonFact, RoleFact,
};

/// The newest segment of one fact.
#[derive(Debug, Clone, PartialEq)]
struct Latest {
    id: u64,
    scope: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    body: FactBody,
}

/// When and by which event a change is made.
#[derive(Debug, Clone, Copy)]
struct Moment {
    position: u64,
    recorded_at: DateTime<Utc>,
    effective: NaiveDate,
}

type FactKey = (&'static str, String);

/// Everything the projector knows, and the rows it has not handed out yet.
#[derive(Debug, Default)]
pub struct Projector {
    latest: HashMap<FactKey, Latest>,
    next_id: u64,
    position: u64,
    inserted: Vec<FactRow>,
    /// Where a row not handed out yet sits in `inserted`.
    pending: HashMap<u64, usize>,
    retired: Vec<(u64, DateTime<Utc>)>,
}

fn role_key(role: AssociationRole) -> &'static str {
    match role {
        AssociationRole::Head => "head",
        AssociationRole::Secretary => "secretary",
        AssociationRole::Curator => "curator",
    }
}

fn member_key(member: Member) -> String {
    match member {
        Member::Person(p) => format!("person:{p}"),
        Member::Organization(o) => format!("organization:{o}"),
    }
}

impl Projector {
    /// A projector that has seen nothing.
    pub fn new() -> Self {
        Self {
            next_id: 1,
            ..Self::default()
        }
    }

    /// A projector that continues from stored rows: the current knowledge (rows whose
    /// transaction time is open) and the position the rows were written up to. Every
    /// retired row was followed by a newer one, so the newest row of all is current and the
    /// next id follows it.
    pub fn resume(current: Vec<FactRow>, position: u64) -> Result<Self, String> {
        let mut projector = Self::new();
        projector.next_id = current.iter().map(|r| r.id).max().unwrap_or(0) + 1;
        projector.position = position;
        for row in current {
            let body = FactBody::parse(&row.kind, &row.body)
                .map_err(|e| format!("строка {} модели чтения: {e}", row.id))?;
            let key: FactKey = (body.kind(), row.key.clone());
            let newer = projector
                .latest
                .get(&key)
                .is_none_or(|l| (l.valid_from, l.id) < (row.valid_from, row.id));
            if newer {
                projector.latest.insert(
                    key,
                    Latest {
                        id: row.id,
                        scope: row.scope,
                        valid_from: row.valid_from,
                        valid_to: row.valid_to,
                        body,
                    },
                );
            }
        }
        Ok(projector)
    }

    /// The last position applied.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Rows written since the last call, and rows retired.
    pub fn take_changes(&mut self) -> FactChanges {
        self.pending.clear();
        FactChanges {
            inserted: std::mem::take(&mut self.inserted),
            retired: std::mem::take(&mut self.retired),
        }
    }

    /// Applies one stored event. Events the domain does not know (the vault's erasures)
    /// change no fact.
    pub fn apply(&mut self, recorded: &EventContent) -> Result<(), ProjectionError> {
        let cannot = |reason: String| ProjectionError::CannotApply {
            position: recorded.position,
            event_type: recorded.event_type.clone(),
            reason,
        };
        if recorded.position != self.position + 1 {
            return Err(cannot(format!(
                "ожидалось событие на позиции {}",
                self.position + 1
            )));
        }
        if Event::TYPES.contains(&recorded.event_type.as_str()) {
            let event = Event::decode(&recorded.event_type, recorded.schema, &recorded.payload)
                .map_err(|e| cannot(e.to_string()))?;
            let at = Moment {
                position: recorded.position,
                recorded_at: recorded.recorded_at,
                effective: recorded.effective,
            };
            self.project(&event, at).map_err(cannot)?;
        }
        self.position = recorded.position;
        Ok(())
    }

    fn project(&mut self, event: &Event, at: Moment) -> Result<(), String> {
        let on = at.effective;
        match event {
            Event::MunicipalityRegistered(e) => self.start(
                at,
                e.municipality.to_string(),
                String::new(),
                on,
                None,
                FactBody::Municipality(MunicipalityFact {
                    municipality: e.municipality,
                    title: e.title.clone(),
                    profile: e.profile.clone(),
                }),
            ),
            Event::DistrictAdded(e) => self.start(
                at,
                e.district.to_string(),
                e.municipality.to_string(),
                on,
                None,
                FactBody::District(DistrictFact {
                    district: e.district,
                    municipality: e.municipality,
                    title: e.title.clone(),
                }),
            ),
            Event::OrganizationRegistered(e) => self.start(
                at,
                e.organization.to_string(),
                e.district.map(|d| d.to_string()).unwrap_or_default(),
                on,
                None,
                FactBody::Organization(OrganizationFact {
                    organization: e.organization,
                    title: e.title.clone(),
                    kind: e.kind,
                    district: e.district,
                }),
            ),
            Event::BodyEstablished(e) => self.start(
                at,
                e.body.to_string(),
                e.municipality.to_string(),
                on,
                None,
                FactBody::Body(BodyFact {
                    body: e.body,
                    kind: e.kind,
                    title: e.title.clone(),
                    district: e.district,
                }),
            ),
            Event::OfficialAssigned(e) => {
                let body_kind = match self.body_of(kind::BODY, &e.body.to_string()) {
                    Some(FactBody::Body(b)) => b.kind,
                    _ => return Err(format!("орган {} не учреждён", e.body)),
                };
                self.start(
                    at,
                    format!("{}:{}", e.body, e.person),
                    e.body.to_string(),
                    on,
                    None,
                    FactBody::Official(OfficialFact {
                        body: e.body,
                        body_kind,
                        person: e.person,
                        office: e.office,
                    }),
                )
            }
            Event::OfficialRelieved(e) => {
                self.end(at, kind::OFFICIAL, &format!("{}:{}", e.body, e.person), on)
            }
            Event::PersonRegistered(e) => self.start(
                at,
                e.person.to_string(),
                e.organization.to_string(),
                on,
                None,
                FactBody::Person(PersonFact {
                    person: e.person,
                    organization: e.organization,
                    position_kind: e.position_kind,
                    category: e.category,
                    specialty_since: e.specialty_since,
                    full_name: e.full_name.clone(),
                }),
            ),
            Event::CategoryChanged(e) => {
                self.change(at, kind::PERSON, &e.person.to_string(), None, |body| {
                    if let FactBody::Person(p) = body {
                        p.category = e.category;
                    }
                })
            }
            Event::PersonTransferred(e) => self.change(
                at,
                kind::PERSON,
                &e.person.to_string(),
                Some(e.organization.to_string()),
                |body| {
                    if let FactBody::Person(p) = body {
                        p.organization = e.organization;
                        p.position_kind = e.position_kind;
                    }
                },
            ),
            Event::AssociationCreated(e) => self.start(
                at,
                e.association.to_string(),
                e.district.map(|d| d.to_string()).unwrap_or_default(),
                on,
                None,
                FactBody::Association(AssociationFact {
                    association: e.association,
                    municipality: e.municipality,
                    title: e.title.clone(),
                    subject: e.subject.clone(),
                    level: e.level,
                    kind: e.kind,
                    district: e.district,
                    organization: e.organization,
                    city_association: None,
                }),
            ),
            Event::AssociationReorganized(e) => self.change(
                at,
                kind::ASSOCIATION,
                &e.association.to_string(),
                None,
                |body| {
                    if let FactBody::Association(a) = body {
                        if let Some(title) = &e.title {
                            a.title = title.clone();
                        }
                        if let Some(subject) = &e.subject {
                            a.subject = subject.clone();
                        }
                        if let Some(kind) = e.kind {
                            a.kind = kind;
                        }
                    }
                },
            ),
            Event::AssociationLiquidated(e) => {
                // Liquidation ends every membership, role and deputy still running. It is
                // rare: a scan of the latest versions finds them, ordered by key so that a
                // rebuild and a resumed catch-up end them (and number the rows) alike.
                let mut keys: Vec<FactKey> = self
                    .latest
                    .iter()
                    .filter(|(_, latest)| latest.body.owning_association() == Some(e.association))
                    .map(|(key, _)| key.clone())
                    .collect();
                keys.sort_unstable();
                for (fact_kind, key) in keys {
                    if self.running_on(fact_kind, &key, on) {
                        self.end(at, fact_kind, &key, on)?;
                    }
                }
                self.end(at, kind::ASSOCIATION, &e.association.to_string(), on)
            }
            Event::DistrictAssociationLinked(e) => self.change(
                at,
                kind::ASSOCIATION,
                &e.district_association.to_string(),
                None,
                |body| {
                    if let FactBody::Association(a) = body {
                        a.city_association = Some(e.city_association);
                    }
                },
            ),
            Event::MemberAdmitted(e) => {
                let from = e.from.map_or(on, |from| from.max(on));
                let until = e.until.and_then(|u| u.succ_opt());
                let key = format!("{}:{}", e.association, member_key(e.member));
                self.start(
                    at,
                    key,
                    e.association.to_string(),
                    from,
                    until,
                    FactBody::Membership(MembershipFact {
                        association: e.association,
                        member: e.member,
                        school_year: e.school_year,
                        basis: e.basis,
                    }),
                )
            }
            Event::MemberLeft(e) => {
                let key = format!("{}:{}", e.association, member_key(e.member));
                if self.running_on(kind::MEMBERSHIP, &key, on) {
                    self.end(at, kind::MEMBERSHIP, &key, on)?;
                }
                // A member who leaves no longer serves as its secretary or elected head.
                if let Member::Person(person) = e.member {
                    for role in [AssociationRole::Head, AssociationRole::Secretary] {
                        let key = format!("{}:{}", e.association, role_key(role));
                        let holds = matches!(
                            self.latest.get(&(kind::ROLE, key.clone())),
                            Some(Latest { body: FactBody::Role(r), .. }) if r.person == person
                        );
                        if holds && self.running_on(kind::ROLE, &key, on) {
                            self.end(at, kind::ROLE, &key, on)?;
                        }
                    }
                }
                Ok(())
            }
            Event::HeadAppointed(e) => self.assign_role(
                at,
                e.association,
                AssociationRole::Head,
                e.person,
                e.school_year,
                e.until,
            ),
            Event::HeadElected(e) => self.assign_role(
                at,
                e.association,
                AssociationRole::Head,
                e.person,
                e.school_year,
                e.until,
            ),
            Event::CuratorAppointed(e) => self.assign_role(
                at,
                e.association,
                AssociationRole::Curator,
                e.person,
                e.school_year,
                e.until,
            ),
            Event::SecretaryElected(e) => self.assign_role(
                at,
                e.association,
                AssociationRole::Secretary,
                e.person,
                e.school_year,
                e.until,
            ),
            Event::DeputyDesignated(e) => self.start(
                at,
                format!("{}:{}:{}", e.association, role_key(e.role), e.deputy),
                e.association.to_string(),
                on,
                e.until.succ_opt(),
                FactBody::Deputy(DeputyFact {
                    association: e.association,
                    role: e.role,
                    deputy: e.deputy,
                }),
            ),
            // One fact per update: a second update in the year leaves the first standing.
            Event::MemberDatabaseUpdated(e) => self.start(
                at,
                format!("{}:{}:{on}", e.association, e.school_year),
                e.association.to_string(),
                on,
                None,
                FactBody::MemberDatabase(MemberDatabaseFact {
                    association: e.association,
                    school_year: e.school_year,
                    member_count: e.member_count,
                    updated_on: on,
                }),
            ),
            Event::DevelopmentRecorded(e) => self.start(
                at,
                format!(
                    "{}:{}:{}:{}",
                    e.association,
                    e.person,
                    e.milestone.indicator_code(),
                    e.school_year
                ),
                e.association.to_string(),
                on,
                None,
                FactBody::Development(DevelopmentFact {
                    association: e.association,
                    person: e.person,
                    school_year: e.school_year,
                    milestone: e.milestone,
                }),
            ),
            Event::DocumentOpened(e) => {
                let document = DocumentFact {
                    document: e.document,
                    association: e.association,
                    document_type: e.document_type,
                    school_year: e.school_year,
                    title: e.title.clone(),
                    phase: DocumentPhase::Draft,
                    version: 0,
                    since: on,
                    chain: Vec::new(),
                    chain_clause: None,
                    submit_by: None,
                    due: None,
                    review_days: 0,
                    first_submitted: None,
                };
                let (key, scope) = (e.document.to_string(), e.association.to_string());
                self.start(
                    at,
                    key.clone(),
                    scope.clone(),
                    on,
                    None,
                    FactBody::OpenDocument(document.clone()),
                )?;
                self.start(at, key, scope, on, None, FactBody::Document(document))
            }
            Event::DocumentVersionSubmitted(e) => {
                self.change_document(at, &e.document.to_string(), |d| {
                    d.version = e.version;
                    d.first_submitted.get_or_insert(on);
                    d.phase = match d.phase {
                        DocumentPhase::Returned { step } => DocumentPhase::InReview { step },
                        _ if d.chain_clause.is_some() && d.chain.is_empty() => {
                            DocumentPhase::Recorded
                        }
                        _ => DocumentPhase::InReview { step: 1 },
                    };
                })
            }
            Event::ApprovalChainAssigned(e) => {
                self.change_document(at, &e.document.to_string(), |d| {
                    d.chain = e.steps.clone();
                    d.chain_clause = Some(e.clause.clone());
                    d.submit_by = e.submit_by;
                    d.due = e.due;
                    d.review_days = e.review_days;
                    if e.steps.is_empty() && d.version > 0 {
                        d.phase = DocumentPhase::Recorded;
                    }
                })
            }
            Event::StepApproved(e) => self.change_document(at, &e.document.to_string(), |d| {
                d.phase = if (e.step as usize) < d.chain.len() {
                    DocumentPhase::InReview { step: e.step + 1 }
                } else {
                    DocumentPhase::StepsApproved
                };
            }),
            Event::DocumentReturned(e) => self.change_document(at, &e.document.to_string(), |d| {
                d.phase = DocumentPhase::Returned { step: e.step };
            }),
            Event::DocumentRejected(e) => self.change_document(at, &e.document.to_string(), |d| {
                d.phase = DocumentPhase::Rejected;
            }),
            Event::DocumentApproved(e) => self.change_document(at, &e.document.to_string(), |d| {
                d.phase = DocumentPhase::Approved;
            }),
            Event::DeadlineMissed(e) => {
                let key = format!(
                    "{}:{:?}:{}:{}:{}:{}",
                    e.association,
                    e.deadline,
                    e.school_year,
                    e.document.map(|d| d.to_string()).unwrap_or_default(),
                    e.version.unwrap_or(0),
                    e.step.unwrap_or(0)
                );
                self.start(
                    at,
                    key,
                    e.association.to_string(),
                    on,
                    None,
                    FactBody::DeadlineMissed(e.clone()),
                )
            }
            Event::MeetingScheduled(e) => self.start(
                at,
                e.meeting.to_string(),
                e.association.to_string(),
                on,
                None,
                FactBody::Meeting(MeetingFact {
                    meeting: e.meeting,
                    association: e.association,
                    date: e.date,
                    school_year: None,
                    phase: MeetingPhase::Scheduled,
                    attendance: 0,
                    protocol_number: None,
                    corrections: 0,
                }),
            ),
            Event::MeetingHeld(e) => {
                let key = e.meeting.to_string();
                let held = MeetingFact {
                    meeting: e.meeting,
                    association: e.association,
                    date: e.date,
                    school_year: Some(e.school_year),
                    phase: MeetingPhase::Held,
                    attendance: e.attendance.len() as u32,
                    protocol_number: None,
                    corrections: 0,
                };
                if self.latest.contains_key(&(kind::MEETING, key.clone())) {
                    self.change(at, kind::MEETING, &key, None, |body| {
                        if let FactBody::Meeting(m) = body {
                            *m = held.clone();
                        }
                    })
                } else {
                    self.start(
                        at,
                        key,
                        e.association.to_string(),
                        on,
                        None,
                        FactBody::Meeting(held),
                    )
                }
            }
            Event::ProtocolDrafted(e) => {
                self.change(at, kind::MEETING, &e.meeting.to_string(), None, |body| {
                    if let FactBody::Meeting(m) = body {
                        m.phase = MeetingPhase::ProtocolDrafted;
                        m.protocol_number = Some(e.number.clone());
                    }
                })
            }
            Event::ProtocolSigned(e) => {
                self.change(at, kind::MEETING, &e.meeting.to_string(), None, |body| {
                    if let FactBody::Meeting(m) = body {
                        m.phase = MeetingPhase::ProtocolSigned;
                    }
                })
            }
            Event::ProtocolCorrected(e) => {
                self.change(at, kind::MEETING, &e.meeting.to_string(), None, |body| {
                    if let FactBody::Meeting(m) = body {
                        m.corrections += 1;
                    }
                })
            }
            // Orders, applications and erasures are read from the log where needed; the
            // oversight questions do not ask about them.
            Event::OrderIssued(_)
            | Event::MembershipApplicationSubmitted(_)
            | Event::MembershipApplicationApproved(_)
            | Event::MembershipApplicationRejected(_) => Ok(()),
        }
    }

    fn body_of(&self, fact_kind: &'static str, key: &str) -> Option<&FactBody> {
        self.latest
            .get(&(fact_kind, key.to_string()))
            .map(|l| &l.body)
    }

    /// Whether the fact's newest segment covers `date` or begins after it.
    fn running_on(&self, fact_kind: &'static str, key: &str, date: NaiveDate) -> bool {
        self.latest
            .get(&(fact_kind, key.to_string()))
            .is_some_and(|l| l.valid_to.is_none_or(|to| to > date))
    }

    fn assign_role(
        &mut self,
        at: Moment,
        association: AssociationId,
        role: AssociationRole,
        person: domain::ids::PersonId,
        school_year: domain::calendar::SchoolYear,
        until: Option<NaiveDate>,
    ) -> Result<(), String> {
        // As in the domain: an appointment made before its year takes effect when it begins.
        let from = at.effective.max(school_year.first_day());
        self.start(
            at,
            format!("{association}:{}", role_key(role)),
            association.to_string(),
            from,
            until.and_then(|u| u.succ_opt()),
            FactBody::Role(RoleFact {
                association,
                role,
                person,
                school_year,
            }),
        )
    }

    fn change_document(
        &mut self,
        at: Moment,
        key: &str,
        update: impl FnOnce(&mut DocumentFact),
    ) -> Result<(), String> {
        self.change(at, kind::DOCUMENT, key, None, |body| {
            if let FactBody::Document(d) = body {
                update(d);
                d.since = at.effective;
            }
        })?;
        // The open copy follows the document while it is on its way and ends when it is
        // finished.
        let Some(FactBody::Document(document)) = self.body_of(kind::DOCUMENT, key).cloned() else {
            return Ok(());
        };
        if !self.running_on(kind::OPEN_DOCUMENT, key, at.effective) {
            return Ok(());
        }
        if document.phase.open() {
            self.change(at, kind::OPEN_DOCUMENT, key, None, |body| {
                *body = FactBody::OpenDocument(document);
            })
        } else {
            self.end(at, kind::OPEN_DOCUMENT, key, at.effective)
        }
    }

    /// A new segment of a fact from `from` (until `until`, exclusive). A running segment of
    /// the same fact ends where the new one begins.
    fn start(
        &mut self,
        at: Moment,
        key: String,
        scope: String,
        from: NaiveDate,
        until: Option<NaiveDate>,
        body: FactBody,
    ) -> Result<(), String> {
        let fact_key: FactKey = (body.kind(), key);
        let mut from = from;
        if let Some(previous) = self.latest.get(&fact_key).cloned() {
            from = from.max(previous.valid_from);
            if previous.valid_to.is_none_or(|to| to > from) {
                self.cut(at, &fact_key, previous, from, true);
            }
        }
        let until = until.map(|u| u.max(from));
        self.insert(at, fact_key, scope, from, until, body);
        Ok(())
    }

    /// A new segment from the event's date with the newest segment's body changed.
    fn change(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        scope: Option<String>,
        update: impl FnOnce(&mut FactBody),
    ) -> Result<(), String> {
        let fact_key: FactKey = (fact_kind, key.to_string());
        let Some(previous) = self.latest.get(&fact_key).cloned() else {
            return Err(format!(
                "нет факта «{fact_kind}» {key}, который событие меняет"
            ));
        };
        let mut body = previous.body.clone();
        update(&mut body);
        let from = at.effective.max(previous.valid_from);
        let until = previous.valid_to.map(|to| to.max(from));
        let scope = scope.unwrap_or_else(|| previous.scope.clone());
        self.cut(at, &fact_key, previous, from, true);
        self.insert(at, fact_key, scope, from, until, body);
        Ok(())
    }

    /// Ends a fact's newest segment on `on` (exclusive).
    fn end(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        on: NaiveDate,
    ) -> Result<(), String> {
        let fact_key: FactKey = (fact_kind, key.to_string());
        let Some(previous) = self.latest.get(&fact_key).cloned() else {
            return Err(format!(
                "нет факта «{fact_kind}» {key}, который событие завершает"
            ));
        };
        self.cut(at, &fact_key, previous, on, false);
        Ok(())
    }

    /// Retires the newest segment and writes it again ending on `on`. Where nothing of it
    /// is left and a new segment follows at once, the empty remainder is not written.
    fn cut(
        &mut self,
        at: Moment,
        fact_key: &FactKey,
        previous: Latest,
        on: NaiveDate,
        superseded: bool,
    ) {
        self.retire(previous.id, at.recorded_at);
        let until = previous
            .valid_to
            .map_or(on, |to| to.min(on))
            .max(previous.valid_from);
        if superseded && until == previous.valid_from {
            return;
        }
        self.insert(
            at,
            fact_key.clone(),
            previous.scope,
            previous.valid_from,
            Some(until),
            previous.body,
        );
    }

    fn retire(&mut self, id: u64, moment: DateTime<Utc>) {
        match self.pending.get(&id) {
            Some(&index) => self.inserted[index].recorded_to = Some(moment),
            None => self.retired.push((id, moment)),
        }
    }

    fn insert(
        &mut self,
        at: Moment,
        fact_key: FactKey,
        scope: String,
        from: NaiveDate,
        until: Option<NaiveDate>,
        body: FactBody,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, self.inserted.len());
        self.inserted.push(FactRow {
            id,
            kind: fact_key.0.to_string(),
            key: fact_key.1.clone(),
            scope: scope.clone(),
            valid_from: from,
            valid_to: until,
            recorded_from: at.recorded_at,
            recorded_to: None,
            position: at.position,
            body: body.to_json(),
        });
        self.latest.insert(
            fact_key,
            Latest {
                id,
                scope,
                valid_from: from,
                valid_to: until,
                body,
            },
        );
    }
}
