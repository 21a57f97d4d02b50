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
//! empty. To do this the projector works on every fact's current segments, not only the
//! newest — exactly the rows a catch-up resumes from, with the largest row id written (the
//! newest row may have been retired with nothing written after it) — so a rebuild and an
//! incremental catch-up write the same rows. A rebuild holds them all; a catch-up holds only
//! those its events need, read from the store by key (`source.rs`).

mod associations;
mod development;
mod documentation;
mod documents;
mod meetings;
mod membership;
mod methodical_work;
mod registry;
mod roles;
pub use membership::membership_key;
pub use roles::role_fact_key;
mod segments;
mod source;
pub use source::{FactSource, Lookup};
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use domain::Event;
use store::{EventContent, FactChanges, FactRow};

use crate::error::ProjectionError;
use crate::facts::{kind, FactBody};

use segments::{Edit, FactKey, Moment, Rows, Scopes, Segment};

/// What the projector knows, and the rows it has not handed out yet.
#[derive(Debug, Default)]
pub struct Projector {
    /// What is known now: the facts' segments in valid-time order, none overlapping. A
    /// fact none of whose segments is left is not here.
    facts: HashMap<FactKey, Vec<Segment>>,
    /// Whether `facts` holds every fact. If not, a fact not there is read from `source`
    /// the first time an event needs it.
    holds_all: bool,
    /// Facts known to have no current segment, not held by a projector that does not hold
    /// every fact.
    absent: HashSet<FactKey>,
    /// Where the facts not held are read, lent for one catch-up.
    source: Option<Box<dyn FactSource>>,
    /// Why a fact an event needed could not be read.
    unread: Option<ProjectionError>,
    position: u64,
    rows: Rows,
    /// The scopes its segments name, one copy of each.
    scopes: Scopes,
}

impl Projector {
    /// A projector that has seen nothing.
    pub fn new() -> Self {
        let mut projector = Self::default();
        projector.rows.next_id = 1;
        projector.holds_all = true;
        projector
    }

    /// A projector that continues from the stored rows without reading them: the rows were
    /// written up to `position`, the largest row id written is `last_id`, and each fact an
    /// event needs is read from the source lent to it ([`Projector::lend_source`]).
    pub fn resume_by_key(last_id: u64, position: u64) -> Self {
        let mut projector = Self::new();
        projector.rows.next_id = last_id + 1;
        projector.position = position;
        projector.holds_all = false;
        projector
    }

    /// Lends the projector where to read the facts it does not hold.
    pub fn lend_source(&mut self, source: Box<dyn FactSource>) {
        self.source = Some(source);
    }

    /// Takes back the source lent.
    pub fn return_source(&mut self) {
        self.source = None;
    }

    /// How many facts it holds.
    pub fn held_facts(&self) -> usize {
        self.facts.len()
    }

    /// Lets go of every fact held, once all its rows are handed out: from then on it reads
    /// them from the store as one resumed by key does. Returns whether it did (not while
    /// rows are pending).
    pub fn forget(&mut self) -> bool {
        if self.pending_rows() > 0 {
            return false;
        }
        self.facts = HashMap::new();
        self.absent = HashSet::new();
        self.scopes = Scopes::default();
        self.holds_all = false;
        true
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
            let (key, segment) = source::segment_of(row, &mut projector.scopes)?;
            projector.facts.entry(key).or_default().push(segment);
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

    /// The id of the last row this projector wrote or resumed from.
    pub fn last_fact_id(&self) -> u64 {
        self.rows.next_id.saturating_sub(1)
    }

    /// Rows written or retired since the last [`Projector::take_changes`].
    pub fn pending_rows(&self) -> usize {
        self.rows.inserted.len() + self.rows.retired.len()
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
    /// change no fact. A fact the event needs that could not be read from the source is
    /// reported as the store's error (or an unreadable row); the projector must then be
    /// dropped, and nothing it computed for that event written.
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
            let projected = self.project(&event, at);
            if let Some(unread) = self.unread.take() {
                return Err(unread);
            }
            projected.map_err(cannot)?;
        }
        self.position = recorded.position;
        Ok(())
    }

    /// What one event changes. Each event is projected in the file of its area under
    /// `projector/`, grouped as the domain's folders group the events, so that what an event
    /// means for the read models sits in one place.
    fn project(&mut self, event: &Event, at: Moment) -> Result<(), String> {
        match event {
            // registry.rs
            Event::MunicipalityRegistered(e) => self.municipality_registered(e, at),
            Event::DistrictAdded(e) => self.district_added(e, at),
            Event::OrganizationRegistered(e) => self.organization_registered(e, at),
            Event::BodyEstablished(e) => self.body_established(e, at),
            Event::OfficialAssigned(e) => self.official_assigned(e, at),
            Event::OfficialRelieved(e) => self.official_relieved(e, at),
            Event::PersonRegistered(e) => self.person_registered(e, at),
            Event::CategoryChanged(e) => self.category_changed(e, at),
            Event::PersonTransferred(e) => self.person_transferred(e, at),
            Event::PersonDismissed(e) => self.person_dismissed(e, at),
            // associations.rs
            Event::AssociationCreated(e) => self.association_created(e, at),
            Event::AssociationReorganized(e) => self.association_reorganized(e, at),
            Event::AssociationLiquidated(e) => self.association_liquidated(e, at),
            Event::DistrictAssociationLinked(e) => self.district_association_linked(e, at),
            // membership.rs
            Event::MemberAdmitted(e) => self.member_admitted(e, at),
            Event::MemberLeft(e) => self.member_left(e, at),
            Event::MemberDatabaseUpdated(e) => self.member_database_updated(e, at),
            // roles.rs
            Event::HeadAppointed(e) => self.head_appointed(e, at),
            Event::HeadElected(e) => self.head_elected(e, at),
            Event::CuratorAppointed(e) => self.curator_appointed(e, at),
            Event::SecretaryElected(e) => self.secretary_elected(e, at),
            Event::DeputyDesignated(e) => self.deputy_designated(e, at),
            // documents.rs
            Event::DocumentOpened(e) => self.document_opened(e, at),
            Event::DocumentVersionSubmitted(e) => self.document_version_submitted(e, at),
            Event::ApprovalChainAssigned(e) => self.approval_chain_assigned(e, at),
            Event::StepApproved(e) => self.step_approved(e, at),
            Event::DocumentReturned(e) => self.document_returned(e, at),
            Event::DocumentRejected(e) => self.document_rejected(e, at),
            Event::DocumentApproved(e) => self.document_approved(e, at),
            Event::DocumentPublished(e) => self.document_published(e, at),
            Event::DeadlineMissed(e) => self.deadline_missed(e, at),
            // meetings.rs
            Event::MeetingScheduled(e) => self.meeting_scheduled(e, at),
            Event::MeetingHeld(e) => self.meeting_held(e, at),
            Event::ProtocolDrafted(e) => self.protocol_drafted(e, at),
            Event::ProtocolSigned(e) => self.protocol_signed(e, at),
            Event::ProtocolCorrected(e) => self.protocol_corrected(e, at),
            // development.rs
            Event::DevelopmentRecorded(e) => self.development_recorded(e, at),
            // methodical_work.rs
            Event::IndividualProgrammeRecorded(e) => self.programme_recorded(e, at),
            Event::IndividualProgrammeCoordinated(e) => self.programme_coordinated(e, at),
            Event::EffectivenessMonitoringRecorded(e) => self.monitoring_recorded(e, at),
            // Orders, applications, erasures and the approved lists of district associations
            // are read from the log where needed; the oversight questions ask about a list only
            // through its missed day (a DeadlineMissed of the association).
            Event::OrderIssued(_)
            | Event::AssociationListApproved(_)
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
        self.ensure(key);
        if create && !self.facts.contains_key(key) {
            self.absent.remove(key);
            self.facts.insert(key.clone(), Vec::new());
        }
        // a membership's days before the change, for its association's count
        let counted = (key.0 == kind::MEMBERSHIP).then(|| self.held_spans(key));
        // a document's or meeting's pieces before the change, for its association's years
        let kept = matches!(key.0, kind::DOCUMENT | kind::MEETING).then(|| self.kept_spans(key));
        let mut edit = Edit {
            key,
            segments: self.facts.get_mut(key)?,
            rows: &mut self.rows,
            scopes: &mut self.scopes,
            at,
        };
        let result = change(&mut edit);
        if edit.segments.is_empty() {
            self.facts.remove(key);
            if !self.holds_all {
                self.absent.insert(key.clone());
            }
        }
        if let Some(before) = counted {
            let after = self.held_spans(key);
            self.recount(at, &before, &after);
        }
        if let Some(before) = kept {
            let after = self.kept_spans(key);
            self.rekeep(at, before, after);
        }
        Some(result)
    }

    /// The segments of fact `key`, read first if it is not held.
    fn segments(&mut self, key: &FactKey) -> Option<&Vec<Segment>> {
        self.ensure(key);
        self.facts.get(key)
    }

    /// The body of a fact's newest segment.
    fn last_body(&mut self, fact_kind: &'static str, key: &str) -> Option<&FactBody> {
        self.segments(&(fact_kind, key.to_string()))
            .and_then(|segments| segments.last())
            .map(|s| &s.body)
    }

    /// The body of the fact that holds on `date`.
    fn body_on(&mut self, key: &FactKey, date: NaiveDate) -> Option<&FactBody> {
        let segments = self.segments(key)?;
        let index = segments.partition_point(|s| !s.ends_after(date));
        segments
            .get(index)
            .filter(|s| s.valid_from <= date)
            .map(|s| &s.body)
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
        self.edit(at, &key, true, |fact| fact.start(&scope, from, until, body));
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
