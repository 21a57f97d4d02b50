//! The projector: folds events into bitemporal facts. Pure — it neither reads nor writes the
//! store; it keeps what is known now of every fact in memory and collects the rows to write.
//!
//! Each fact (a thing, identified by kind and key) is a sequence of valid-time segments that
//! never overlap. An event recorded at T never rewrites a row: each segment it changes stops
//! being what is known at T (its `recorded_to` becomes T), and what replaces it is written as
//! new rows known from T. "What was true on D as known at T" is then one range lookup on both
//! axes, and a late-recorded event (an order dated 10 Sep entered on 20 Sep) is seen on 10 Sep
//! only by questions asked after 20 Sep.
//!
//! A change of a fact's body on D, the day it took effect (a category's: the day it was
//! granted, as the domain's eligibility rule counts it), retires every segment that holds on
//! D or later and writes them again: the one holding on D in two pieces, unchanged before D,
//! and from D on each segment with the change applied on top of what it held. Usually the
//! change is dated on or after the start of the newest segment, and that is the only segment
//! it touches; a change recorded out of order (a category granted on 8 May entered on 14 May,
//! after a transfer of 12 May) also rewrites the later segments, which keep their own later
//! changes (the transfer). How the change meets them follows the domain:
//!
//! - A document's, a meeting's or an association's change applies after what each later
//!   segment holds, as the domain folds their events in the order recorded (the domain
//!   refuses what would contradict a later state, a decision on a finished document); the
//!   open copy of a document follows the document's segments.
//! - A person's position and category each keep the day they count from; a change applies
//!   where no change dated later holds, as the domain reads the latest one by its day.
//!
//! Other facts start and end rather than change:
//!
//! - A new start of a membership, role, deputy or official ends the segment holding on D; a
//!   segment that begins later began later in valid time and wins (as a later appointment
//!   does in the domain), so the new one holds only on the days between. Each update of a
//!   member database is a fact of its own.
//! - An end (a member leaves, an official is relieved) ends the segment holding on D; one
//!   that begins later stays. A liquidation ends everything of the association from D on.
//!
//! A change dated before its fact began applies from the beginning. No segment is ever
//! empty. To do this the projector keeps every fact's current segments, not only the newest —
//! exactly the rows a catch-up resumes from, with the largest row id written (the newest row
//! may have been retired with nothing written after it) — so a rebuild and an incremental
//! catch-up write the same rows.

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

/// One segment of a fact as known now: its body over the days `[valid_from, valid_to)`,
/// stored as row `id`.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    id: u64,
    scope: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    body: FactBody,
}

impl Segment {
    /// Whether it holds on `date` or on a later day.
    fn ends_after(&self, date: NaiveDate) -> bool {
        self.valid_to.is_none_or(|to| to > date)
    }
}

/// When and by which event a change is made.
#[derive(Debug, Clone, Copy)]
struct Moment {
    position: u64,
    recorded_at: DateTime<Utc>,
    effective: NaiveDate,
}

type FactKey = (&'static str, String);

/// The rows written and retired since the last hand-over, and the next row's id.
#[derive(Debug, Default)]
struct Rows {
    next_id: u64,
    inserted: Vec<FactRow>,
    /// Where a row not handed out yet sits in `inserted`.
    pending: HashMap<u64, usize>,
    retired: Vec<(u64, DateTime<Utc>)>,
}

impl Rows {
    /// Row `id` stops being what is known at the moment of `at`. A row not handed out yet is
    /// written once, already closed.
    fn retire(&mut self, id: u64, at: Moment) {
        match self.pending.get(&id) {
            Some(&index) => self.inserted[index].recorded_to = Some(at.recorded_at),
            None => self.retired.push((id, at.recorded_at)),
        }
    }

    /// A row known from the moment of `at`; returns its id.
    fn write(
        &mut self,
        at: Moment,
        key: &FactKey,
        scope: &str,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
        body: &FactBody,
    ) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, self.inserted.len());
        self.inserted.push(FactRow {
            id,
            kind: key.0.to_string(),
            key: key.1.clone(),
            scope: scope.to_string(),
            valid_from,
            valid_to,
            recorded_from: at.recorded_at,
            recorded_to: None,
            position: at.position,
            body: body.to_json(),
        });
        id
    }
}

/// The scope a body names itself: a person's is the organization they work at.
fn own_scope(body: &FactBody) -> Option<String> {
    match body {
        FactBody::Person(p) => Some(p.organization.to_string()),
        _ => None,
    }
}

/// One event's changes to one fact: its segments as known now, and the rows the changes
/// write. Every change retires the segments it touches and writes what replaces them, so
/// the segments never overlap and each row, once written, is never rewritten.
struct Edit<'a> {
    key: &'a FactKey,
    segments: &'a mut Vec<Segment>,
    rows: &'a mut Rows,
    at: Moment,
}

impl Edit<'_> {
    /// Writes a segment and keeps it at `index`.
    fn write(
        &mut self,
        index: usize,
        scope: String,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
        body: FactBody,
    ) {
        let id = self
            .rows
            .write(self.at, self.key, &scope, valid_from, valid_to, &body);
        // Most facts have one segment or a few: grown one at a time, a fact's segments take
        // the room they need (a vector's doubling would keep four from the first).
        if self.segments.len() == self.segments.capacity() {
            self.segments.reserve_exact(1);
        }
        self.segments.insert(
            index,
            Segment {
                id,
                scope,
                valid_from,
                valid_to,
                body,
            },
        );
    }

    /// The first segment that holds on `date` or later (segments are in valid-time order).
    fn first_ending_after(&self, date: NaiveDate) -> usize {
        self.segments.partition_point(|s| !s.ends_after(date))
    }

    /// Ends the segment that holds on `on` there; one that begins on `on` goes. Segments that
    /// begin later stay. Whether one held.
    fn cut(&mut self, on: NaiveDate) -> bool {
        let index = self.first_ending_after(on);
        let Some(segment) = self.segments.get_mut(index) else {
            return false;
        };
        if segment.valid_from > on {
            return false;
        }
        self.rows.retire(segment.id, self.at);
        if segment.valid_from < on {
            segment.id = self.rows.write(
                self.at,
                self.key,
                &segment.scope,
                segment.valid_from,
                Some(on),
                &segment.body,
            );
            segment.valid_to = Some(on);
        } else {
            self.segments.remove(index);
        }
        true
    }

    /// Ends the fact on `on`: nothing of it holds from then on, whenever it began. Whether
    /// anything did.
    fn truncate(&mut self, on: NaiveDate) -> bool {
        let index = self.first_ending_after(on);
        if index == self.segments.len() {
            return false;
        }
        for segment in self.segments.split_off(index) {
            self.rows.retire(segment.id, self.at);
            if segment.valid_from < on {
                let index = self.segments.len();
                self.write(
                    index,
                    segment.scope,
                    segment.valid_from,
                    Some(on),
                    segment.body,
                );
            }
        }
        true
    }

    /// A new start of the fact: `body` from `from` until `until` (exclusive; None = open).
    /// The segment holding on `from` ends there. Segments that begin later were started
    /// later in valid time and win (as a later appointment does in the domain): recorded out
    /// of order, the new body holds only on the days between them.
    fn start(&mut self, scope: String, from: NaiveDate, until: Option<NaiveDate>, body: FactBody) {
        self.cut(from);
        let later = self.segments.partition_point(|s| s.valid_from <= from);
        if later == self.segments.len() {
            // In order: nothing begins later.
            if until.is_none_or(|u| u > from) {
                self.write(later, scope, from, until, body);
            }
            return;
        }
        let mut gaps = Vec::new();
        let mut day = from;
        let mut index = later;
        loop {
            let next = self.segments.get(index);
            let gap_end = match next {
                Some(s) => Some(until.map_or(s.valid_from, |u| u.min(s.valid_from))),
                None => until,
            };
            if gap_end.is_none_or(|end| end > day) {
                gaps.push((index, day, gap_end));
            }
            let Some(next) = next else { break };
            match next.valid_to {
                Some(to) if until.is_none_or(|u| u > to) => day = to,
                _ => break,
            }
            index += 1;
        }
        for (inserted, (index, from, to)) in gaps.into_iter().enumerate() {
            self.write(index + inserted, scope.clone(), from, to, body.clone());
        }
    }

    /// `update` from `from` on: every segment that holds from then on is written again with
    /// it, the one holding on `from` in two pieces (unchanged before `from`). Whether any
    /// segment held from `from` on.
    fn change(&mut self, from: NaiveDate, update: &dyn Fn(&mut FactBody)) -> bool {
        let mut index = self.first_ending_after(from);
        if index == self.segments.len() {
            return false;
        }
        while index < self.segments.len() {
            let segment = &mut self.segments[index];
            self.rows.retire(segment.id, self.at);
            if segment.valid_from < from {
                let mut body = segment.body.clone();
                update(&mut body);
                let valid_to = segment.valid_to;
                segment.id = self.rows.write(
                    self.at,
                    self.key,
                    &segment.scope,
                    segment.valid_from,
                    Some(from),
                    &segment.body,
                );
                segment.valid_to = Some(from);
                let scope = own_scope(&body).unwrap_or_else(|| segment.scope.clone());
                self.write(index + 1, scope, from, valid_to, body);
                index += 2;
            } else {
                update(&mut segment.body);
                if let Some(scope) = own_scope(&segment.body) {
                    segment.scope = scope;
                }
                segment.id = self.rows.write(
                    self.at,
                    self.key,
                    &segment.scope,
                    segment.valid_from,
                    segment.valid_to,
                    &segment.body,
                );
                index += 1;
            }
        }
        true
    }
}

/// Everything the projector knows, and the rows it has not handed out yet.
#[derive(Debug, Default)]
pub struct Projector {
    /// What is known now: every fact's segments in valid-time order, none overlapping. A
    /// fact none of whose segments is left is not here.
    facts: HashMap<FactKey, Vec<Segment>>,
    position: u64,
    rows: Rows,
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
        let mut projector = Self::default();
        projector.rows.next_id = 1;
        projector
    }

    /// A projector that continues from stored rows: the current knowledge (rows whose
    /// transaction time is open), the largest row id written (a retired row's, when the last
    /// change ended a fact without writing anything) and the position the rows were written
    /// up to.
    pub fn resume(current: Vec<FactRow>, last_id: u64, position: u64) -> Result<Self, String> {
        let mut projector = Self::new();
        projector.rows.next_id = current.iter().map(|r| r.id).fold(last_id, u64::max) + 1;
        projector.position = position;
        for row in current {
            let body = FactBody::parse(&row.kind, &row.body)
                .map_err(|e| format!("строка {} модели чтения: {e}", row.id))?;
            projector
                .facts
                .entry((body.kind(), row.key))
                .or_default()
                .push(Segment {
                    id: row.id,
                    scope: row.scope,
                    valid_from: row.valid_from,
                    valid_to: row.valid_to,
                    body,
                });
        }
        for segments in projector.facts.values_mut() {
            segments.sort_unstable_by_key(|s| s.valid_from);
            segments.shrink_to_fit();
        }
        Ok(projector)
    }

    /// The last position applied.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Rows written since the last call, and rows retired.
    pub fn take_changes(&mut self) -> FactChanges {
        self.rows.pending.clear();
        FactChanges {
            inserted: std::mem::take(&mut self.rows.inserted),
            retired: std::mem::take(&mut self.rows.retired),
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
        let event = Event::decode_known(&recorded.event_type, recorded.schema, &recorded.payload)
            .map_err(|e| cannot(e.to_string()))?;
        if let Some(event) = event {
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
                let body_kind = match self.last_body(kind::BODY, &e.body.to_string()) {
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
                    position_since: on,
                    category: e.category,
                    // As in the domain: a category counts from the day it was granted.
                    category_since: e.category.granted.unwrap_or(on),
                    specialty_since: e.specialty_since,
                    full_name: e.full_name.clone(),
                }),
            ),
            Event::CategoryChanged(e) => {
                // From the day it was granted (an attestation entered later still dates from
                // its order), a removal from the event's date; not over a category that
                // counts from a later day.
                let since = e.category.granted.unwrap_or(on);
                self.change(at, kind::PERSON, &e.person.to_string(), since, |body| {
                    if let FactBody::Person(p) = body {
                        if p.category_since <= since {
                            p.category = e.category;
                            p.category_since = since;
                        }
                    }
                })
            }
            Event::PersonTransferred(e) => {
                self.change(at, kind::PERSON, &e.person.to_string(), on, |body| {
                    if let FactBody::Person(p) = body {
                        if p.position_since <= on {
                            p.organization = e.organization;
                            p.position_kind = e.position_kind;
                            p.position_since = on;
                        }
                    }
                })
            }
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
                on,
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
                // Liquidation ends every membership, role and deputy on its day, as in the
                // domain also those that were to begin later. It is rare: a scan of the
                // facts finds them, ordered by key so that a rebuild and a resumed catch-up
                // end them (and number the rows) alike.
                let mut keys: Vec<FactKey> = self
                    .facts
                    .iter()
                    .filter(|(_, segments)| {
                        segments
                            .last()
                            .is_some_and(|s| s.body.owning_association() == Some(e.association))
                    })
                    .map(|(key, _)| key.clone())
                    .collect();
                keys.sort_unstable();
                for (fact_kind, key) in keys {
                    self.end_all(at, fact_kind, &key, on)?;
                }
                self.end_all(at, kind::ASSOCIATION, &e.association.to_string(), on)
            }
            Event::DistrictAssociationLinked(e) => self.change(
                at,
                kind::ASSOCIATION,
                &e.district_association.to_string(),
                on,
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
                // As in the domain: the membership that holds on the day ends; one that was
                // to begin later stays.
                let key = (
                    kind::MEMBERSHIP,
                    format!("{}:{}", e.association, member_key(e.member)),
                );
                self.edit(at, &key, false, |fact| fact.cut(on));
                // A member who leaves no longer serves as its secretary or elected head.
                if let Member::Person(person) = e.member {
                    for role in [AssociationRole::Head, AssociationRole::Secretary] {
                        let key = (kind::ROLE, format!("{}:{}", e.association, role_key(role)));
                        let holds = matches!(
                            self.body_on(&key, on),
                            Some(FactBody::Role(r)) if r.person == person
                        );
                        if holds {
                            self.edit(at, &key, false, |fact| fact.cut(on));
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
                    author: None,
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
                    d.author = Some(e.author);
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
                let mut key = format!(
                    "{}:{:?}:{}:{}:{}:{}",
                    e.association,
                    e.deadline,
                    e.school_year,
                    e.document.map(|d| d.to_string()).unwrap_or_default(),
                    e.version.unwrap_or(0),
                    e.step.unwrap_or(0)
                );
                if let Some(document_type) = e.document_type {
                    key += &format!(":{document_type:?}");
                }
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
                if self.facts.contains_key(&(kind::MEETING, key.clone())) {
                    self.change(at, kind::MEETING, &key, on, |body| {
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
                self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
                    if let FactBody::Meeting(m) = body {
                        m.phase = MeetingPhase::ProtocolDrafted;
                        m.protocol_number = Some(e.number.clone());
                    }
                })
            }
            Event::ProtocolSigned(e) => {
                self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
                    if let FactBody::Meeting(m) = body {
                        m.phase = MeetingPhase::ProtocolSigned;
                    }
                })
            }
            Event::ProtocolCorrected(e) => {
                self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
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
            | Event::MembershipApplicationRejected(_)
            | Event::MembershipApplicationReturned(_) => Ok(()),
        }
    }

    /// Lets `change` edit the fact `key` as of the moment of `at`; a fact not there yet is
    /// made only if `create`. A fact left without segments goes. None if there was no fact.
    fn edit<R>(
        &mut self,
        at: Moment,
        key: &FactKey,
        create: bool,
        change: impl FnOnce(&mut Edit<'_>) -> R,
    ) -> Option<R> {
        if create && !self.facts.contains_key(key) {
            self.facts.insert(key.clone(), Vec::new());
        }
        let mut edit = Edit {
            key,
            segments: self.facts.get_mut(key)?,
            rows: &mut self.rows,
            at,
        };
        let result = change(&mut edit);
        if edit.segments.is_empty() {
            self.facts.remove(key);
        }
        Some(result)
    }

    /// The body of a fact's newest segment.
    fn last_body(&self, fact_kind: &'static str, key: &str) -> Option<&FactBody> {
        self.facts
            .get(&(fact_kind, key.to_string()))
            .and_then(|segments| segments.last())
            .map(|s| &s.body)
    }

    /// The body of the fact that holds on `date`.
    fn body_on(&self, key: &FactKey, date: NaiveDate) -> Option<&FactBody> {
        let segments = self.facts.get(key)?;
        let index = segments.partition_point(|s| !s.ends_after(date));
        segments
            .get(index)
            .filter(|s| s.valid_from <= date)
            .map(|s| &s.body)
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

    /// A change of a document on the event's date; its open copy follows.
    fn change_document(
        &mut self,
        at: Moment,
        key: &str,
        update: impl Fn(&mut DocumentFact),
    ) -> Result<(), String> {
        let on = at.effective;
        let changed = self.change_on(at, kind::DOCUMENT, key, on, |body| {
            if let FactBody::Document(d) = body {
                update(d);
                d.since = on;
            }
        })?;
        if let Some(from) = changed {
            self.follow_document(at, key, from);
        }
        Ok(())
    }

    /// The open copy of a document from `from` on is the document on the days it is on its
    /// way (draft, in review, returned), and nothing once it is finished.
    fn follow_document(&mut self, at: Moment, key: &str, from: NaiveDate) {
        let copies: Vec<(String, NaiveDate, Option<NaiveDate>, FactBody)> = self
            .facts
            .get(&(kind::DOCUMENT, key.to_string()))
            .map(|segments| {
                let first = segments.partition_point(|s| s.valid_from < from);
                segments[first..]
                    .iter()
                    .filter_map(|s| match &s.body {
                        FactBody::Document(d) if d.phase.open() => Some((
                            s.scope.clone(),
                            s.valid_from,
                            s.valid_to,
                            FactBody::OpenDocument(d.clone()),
                        )),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let key = (kind::OPEN_DOCUMENT, key.to_string());
        let create = !copies.is_empty();
        self.edit(at, &key, create, |fact| {
            fact.truncate(from);
            for (scope, valid_from, valid_to, body) in copies {
                let index = fact.segments.len();
                fact.write(index, scope, valid_from, valid_to, body);
            }
        });
    }

    /// A new start of a fact from `from` (until `until`, exclusive): the segment holding on
    /// `from` ends there.
    fn start(
        &mut self,
        at: Moment,
        key: String,
        scope: String,
        from: NaiveDate,
        until: Option<NaiveDate>,
        body: FactBody,
    ) -> Result<(), String> {
        let key: FactKey = (body.kind(), key);
        self.edit(at, &key, true, |fact| fact.start(scope, from, until, body));
        Ok(())
    }

    /// A change of a fact from `on` (from its beginning, if it began later): `update` applies
    /// to every segment from then on.
    fn change(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        on: NaiveDate,
        update: impl Fn(&mut FactBody),
    ) -> Result<(), String> {
        self.change_on(at, fact_kind, key, on, update).map(|_| ())
    }

    /// `change`, returning the day the change applies from, or None where the fact had ended
    /// by then.
    fn change_on(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        on: NaiveDate,
        update: impl Fn(&mut FactBody),
    ) -> Result<Option<NaiveDate>, String> {
        let fact_key: FactKey = (fact_kind, key.to_string());
        self.edit(at, &fact_key, false, |fact| {
            let from = fact.segments.first().map_or(on, |s| on.max(s.valid_from));
            fact.change(from, &update).then_some(from)
        })
        .ok_or_else(|| format!("нет факта «{fact_kind}» {key}, который событие меняет"))
    }

    /// Ends a fact on `on` (exclusive) whenever it began: nothing of it holds from then on.
    fn end_all(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        on: NaiveDate,
    ) -> Result<(), String> {
        let fact_key: FactKey = (fact_kind, key.to_string());
        self.edit(at, &fact_key, false, |fact| fact.truncate(on))
            .map(|_| ())
            .ok_or_else(|| format!("нет факта «{fact_kind}» {key}, который событие завершает"))
    }

    /// Ends a fact on `on` (exclusive): the segment holding then; one that begins later stays.
    fn end(
        &mut self,
        at: Moment,
        fact_kind: &'static str,
        key: &str,
        on: NaiveDate,
    ) -> Result<(), String> {
        let fact_key: FactKey = (fact_kind, key.to_string());
        self.edit(at, &fact_key, false, |fact| fact.cut(on))
            .map(|_| ())
            .ok_or_else(|| format!("нет факта «{fact_kind}» {key}, который событие завершает"))
    }
}

#[cfg(test)]
mod tests {
    //! The projector alone, on events recorded out of order: the rows it writes, read back
    //! at points of both axes.

    use chrono::TimeZone;

    use domain::calendar::SchoolYear;
    use domain::events::{
        AdmissionBasis, DocumentOpened, DocumentRejected, DocumentReturned,
        DocumentVersionSubmitted, HeadAppointed, MemberAdmitted, MemberLeft,
    };
    use domain::ids::{DocumentId, OrderId, PersonId};
    use domain::values::{ContentHash, DocumentType};

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn noon(day: NaiveDate) -> DateTime<Utc> {
        Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("time"))
    }

    /// A projector and the table its rows make.
    struct Table {
        projector: Projector,
        rows: Vec<FactRow>,
    }

    impl Table {
        fn new() -> Self {
            Self {
                projector: Projector::new(),
                rows: Vec::new(),
            }
        }

        /// Applies `event`, effective on `effective`, recorded at noon of `recorded`.
        fn record(&mut self, event: impl Into<Event>, effective: NaiveDate, recorded: NaiveDate) {
            let event = event.into();
            let content = EventContent {
                position: self.projector.position() + 1,
                event_type: event.event_type().to_string(),
                schema: domain::CURRENT_SCHEMA,
                payload: event.payload().to_string(),
                recorded_at: noon(recorded),
                effective,
            };
            self.projector.apply(&content).expect("applies");
            let changes = self.projector.take_changes();
            for (id, moment) in changes.retired {
                let row = self.rows.iter_mut().find(|r| r.id == id).expect("a row");
                assert!(row.recorded_to.is_none(), "retired twice: {row:?}");
                row.recorded_to = Some(moment);
            }
            self.rows.extend(changes.inserted);
            self.assert_no_overlap();
        }

        /// The body of fact `kind`/`key` on `day`, as known at noon of `known` (None: now).
        fn on(
            &self,
            kind: &str,
            key: &str,
            day: NaiveDate,
            known: Option<NaiveDate>,
        ) -> Option<FactBody> {
            let moment = known.map(noon);
            let found: Vec<&FactRow> = self
                .rows
                .iter()
                .filter(|r| r.kind == kind && r.key == key)
                .filter(|r| r.valid_from <= day && r.valid_to.is_none_or(|to| to > day))
                .filter(|r| match moment {
                    None => r.recorded_to.is_none(),
                    Some(t) => r.recorded_from <= t && r.recorded_to.is_none_or(|to| to > t),
                })
                .collect();
            assert!(found.len() <= 1, "{found:?}");
            found
                .first()
                .map(|r| FactBody::parse(&r.kind, &r.body).expect("a body"))
        }

        fn assert_no_overlap(&self) {
            let current: Vec<&FactRow> = self
                .rows
                .iter()
                .filter(|r| r.recorded_to.is_none())
                .collect();
            for a in &current {
                assert!(
                    a.valid_to.is_none_or(|to| to > a.valid_from),
                    "empty: {a:?}"
                );
                for b in &current {
                    let overlap = a.id != b.id
                        && a.kind == b.kind
                        && a.key == b.key
                        && a.valid_from < b.valid_to.unwrap_or(NaiveDate::MAX)
                        && b.valid_from < a.valid_to.unwrap_or(NaiveDate::MAX);
                    assert!(!overlap, "{a:?} overlaps {b:?}");
                }
            }
        }
    }

    fn year() -> SchoolYear {
        SchoolYear::parse("2024/25").expect("year")
    }

    fn head(
        table: &Table,
        association: AssociationId,
        day: NaiveDate,
        known: Option<NaiveDate>,
    ) -> Option<PersonId> {
        match table.on(kind::ROLE, &format!("{association}:head"), day, known) {
            Some(FactBody::Role(role)) => Some(role.person),
            _ => None,
        }
    }

    /// An appointment of 2 Sep entered on 20 Sep, after one of 15 Sep: the earlier holder
    /// holds from 2 to 15 Sep, the later one from 15 Sep on, as known since 20 Sep.
    #[test]
    fn a_late_appointment_holds_until_the_later_one() {
        let association = AssociationId::derived("test", "a");
        let (first, second) = (
            PersonId::derived("test", "p1"),
            PersonId::derived("test", "p2"),
        );
        let appointed = |person| HeadAppointed {
            association,
            person,
            school_year: year(),
            until: None,
            order: OrderId::derived("test", "o"),
            review: None,
        };
        let mut table = Table::new();
        table.record(appointed(second), date(2024, 9, 15), date(2024, 9, 15));
        table.record(appointed(first), date(2024, 9, 2), date(2024, 9, 20));
        assert_eq!(
            head(&table, association, date(2024, 9, 10), None),
            Some(first)
        );
        assert_eq!(
            head(&table, association, date(2024, 9, 16), None),
            Some(second)
        );
        assert_eq!(
            head(
                &table,
                association,
                date(2024, 9, 10),
                Some(date(2024, 9, 19))
            ),
            None
        );
        assert_eq!(
            head(
                &table,
                association,
                date(2024, 9, 16),
                Some(date(2024, 9, 19))
            ),
            Some(second)
        );
    }

    /// A teacher admitted to an association by order, with no term.
    fn admitted_by_order() -> (AssociationId, Member, MemberAdmitted) {
        let association = AssociationId::derived("test", "a");
        let member = Member::Person(PersonId::derived("test", "p"));
        let admitted = MemberAdmitted {
            association,
            member,
            school_year: None,
            until: None,
            from: None,
            basis: AdmissionBasis::Order(OrderId::derived("test", "o")),
        };
        (association, member, admitted)
    }

    /// A member admitted on 2 Sep and again on 1 Feb; a departure on 10 Jan entered on
    /// 5 Feb ends the first membership only.
    #[test]
    fn a_late_departure_ends_the_membership_it_falls_in() {
        let (association, member, admitted) = admitted_by_order();
        let mut table = Table::new();
        table.record(admitted.clone(), date(2024, 9, 2), date(2024, 9, 2));
        table.record(admitted, date(2025, 2, 1), date(2025, 2, 1));
        table.record(
            MemberLeft {
                association,
                member,
                reason: "перевод".into(),
            },
            date(2025, 1, 10),
            date(2025, 2, 5),
        );
        let key = format!("{association}:{}", member_key(member));
        let member_on = |day, known| table.on(kind::MEMBERSHIP, &key, day, known).is_some();
        assert!(member_on(date(2025, 1, 9), None));
        assert!(!member_on(date(2025, 1, 20), None));
        assert!(member_on(date(2025, 2, 3), None));
        assert!(member_on(date(2025, 1, 20), Some(date(2025, 2, 4))));
    }

    /// A plan submitted on 1 Apr and returned on 10 Apr; its rejection dated 8 Apr is entered
    /// on 12 Apr. As known since then it is rejected from 8 Apr on, and its open copy ends
    /// there; as known on 11 Apr it was returned from 10 Apr.
    #[test]
    fn a_late_decision_on_a_document_changes_it_and_its_open_copy_from_its_day() {
        let association = AssociationId::derived("test", "a");
        let document = DocumentId::derived("test", "plan");
        let author = PersonId::derived("test", "author");
        let head = PersonId::derived("test", "head");
        let mut table = Table::new();
        let first = date(2025, 4, 1);
        table.record(
            DocumentOpened {
                document,
                association,
                document_type: DocumentType::WorkPlan,
                school_year: year(),
                title: "План".into(),
                nomination: None,
            },
            first,
            first,
        );
        table.record(
            DocumentVersionSubmitted {
                document,
                association,
                version: 1,
                author,
                content_hash: ContentHash::parse(&"ab".repeat(32)).expect("hash"),
                network_event: None,
                based_on: None,
            },
            first,
            first,
        );
        table.record(
            DocumentReturned {
                document,
                version: 1,
                step: 1,
                by: head,
                comment: "доработать".into(),
            },
            date(2025, 4, 10),
            date(2025, 4, 10),
        );
        table.record(
            DocumentRejected {
                document,
                version: 1,
                step: 1,
                by: head,
                reason: "не соответствует".into(),
            },
            date(2025, 4, 8),
            date(2025, 4, 12),
        );
        let key = document.to_string();
        let phase = |kind, day, known| match table.on(kind, &key, day, known) {
            Some(FactBody::Document(d) | FactBody::OpenDocument(d)) => Some(d.phase),
            _ => None,
        };
        let in_review = Some(DocumentPhase::InReview { step: 1 });
        let returned = Some(DocumentPhase::Returned { step: 1 });
        assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 5), None), in_review);
        assert_eq!(
            phase(kind::OPEN_DOCUMENT, date(2025, 4, 5), None),
            in_review
        );
        for day in [date(2025, 4, 9), date(2025, 4, 11)] {
            assert_eq!(
                phase(kind::DOCUMENT, day, None),
                Some(DocumentPhase::Rejected)
            );
            assert_eq!(phase(kind::OPEN_DOCUMENT, day, None), None);
        }
        let before = Some(date(2025, 4, 11));
        assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 9), before), in_review);
        assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 11), before), returned);
        assert_eq!(
            phase(kind::OPEN_DOCUMENT, date(2025, 4, 11), before),
            returned
        );
    }

    /// A projector resumed from the current rows continues as the one that wrote them.
    #[test]
    fn a_resumed_projector_writes_what_the_first_one_would() {
        let (association, member, admitted) = admitted_by_order();
        let left = MemberLeft {
            association,
            member,
            reason: "перевод".into(),
        };
        let mut table = Table::new();
        table.record(admitted.clone(), date(2024, 9, 2), date(2024, 9, 2));
        // Admitted and gone on the same day: the newest row is retired, nothing replaces it.
        table.record(admitted.clone(), date(2025, 2, 1), date(2025, 2, 1));
        table.record(left, date(2025, 2, 1), date(2025, 2, 1));
        let current: Vec<FactRow> = table
            .rows
            .iter()
            .filter(|r| r.recorded_to.is_none())
            .cloned()
            .collect();
        let last_id = table.rows.iter().map(|r| r.id).max().expect("rows");
        let mut resumed =
            Projector::resume(current, last_id, table.projector.position()).expect("resume");
        let next = EventContent {
            position: table.projector.position() + 1,
            event_type: "MemberAdmitted".into(),
            schema: domain::CURRENT_SCHEMA,
            payload: Event::from(admitted.clone()).payload().to_string(),
            recorded_at: noon(date(2025, 3, 1)),
            effective: date(2025, 3, 1),
        };
        resumed.apply(&next).expect("applies");
        table.record(admitted, date(2025, 3, 1), date(2025, 3, 1));
        let rows: Vec<FactRow> = table
            .rows
            .iter()
            .filter(|r| r.position == next.position)
            .cloned()
            .collect();
        assert_eq!(resumed.take_changes().inserted, rows);
    }
}
