//! Membership projected: admissions and leavings (a member who leaves also stops serving as
//! secretary or elected head), and each update of a member database. Applications change no
//! fact.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use domain::events::{Member, MemberAdmitted, MemberDatabaseUpdated, MemberLeft};
use domain::ids::AssociationId;
use domain::values::AssociationRole;

use crate::facts::{kind, FactBody, MemberCountFact, MemberDatabaseFact, MembershipFact};

use super::roles::role_fact_key;
use super::{FactKey, Moment, Projector};

/// A membership's days as known now: its association and each segment's `[from, to)`.
pub(super) type HeldSpans = Option<(AssociationId, Vec<(NaiveDate, Option<NaiveDate>)>)>;

impl Projector {
    pub(super) fn member_admitted(&mut self, e: &MemberAdmitted, at: Moment) -> Result<(), String> {
        let on = at.effective;
        let from = e.from.map_or(on, |from| from.max(on));
        let until = e.until.and_then(|u| u.succ_opt());
        let key = membership_key(e.association, e.member);
        let member_name = match e.member {
            Member::Person(person) => self.sealed_name(person),
            Member::Organization(_) => None,
        };
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
                member_name,
            }),
        )
    }

    pub(super) fn member_left(&mut self, e: &MemberLeft, at: Moment) -> Result<(), String> {
        let on = at.effective;
        // As in the domain: the membership that holds on the day ends; one that was
        // to begin later stays.
        let key = (kind::MEMBERSHIP, membership_key(e.association, e.member));
        self.edit(at, &key, false, |fact| fact.cut(on));
        // A member who leaves no longer serves as its secretary or elected head.
        if let Member::Person(person) = e.member {
            for role in [AssociationRole::Head, AssociationRole::Secretary] {
                let key = (kind::ROLE, role_fact_key(e.association, role));
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

    /// One fact per update: a second update in the year leaves the first standing.
    pub(super) fn member_database_updated(
        &mut self,
        e: &MemberDatabaseUpdated,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
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
        )
    }
}

impl Projector {
    /// The days the membership `key` holds, as known now.
    pub(super) fn held_spans(&self, key: &FactKey) -> HeldSpans {
        let segments = self.facts.get(key)?;
        let association = segments.iter().find_map(|s| match &s.body {
            FactBody::Membership(m) => Some(m.association),
            _ => None,
        })?;
        Some((
            association,
            segments
                .iter()
                .map(|s| (s.valid_from, s.valid_to))
                .collect(),
        ))
    }

    /// Keeps the association's member count with a change of one of its memberships from
    /// the days it held `before` to those it holds `after`: one more member from each day
    /// a span now begins, one fewer from each day it ends (a change that only splits a span
    /// cancels out), each applied to the count from that day on. The additions go first: the
    /// count never dips below what it ends as (a leaving recorded late adds a member back
    /// from the day the term would have ended, and takes one away from the day they left).
    pub(super) fn recount(&mut self, at: Moment, before: &HeldSpans, after: &HeldSpans) {
        let Some(association) = after.as_ref().or(before.as_ref()).map(|(a, _)| *a) else {
            return;
        };
        let mut deltas: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        for (spans, sign) in [(before, -1), (after, 1)] {
            for (from, to) in spans.iter().flat_map(|(_, spans)| spans) {
                *deltas.entry(*from).or_default() += sign;
                if let Some(to) = to {
                    *deltas.entry(*to).or_default() -= sign;
                }
            }
        }
        let (more, fewer): (Vec<_>, Vec<_>) = deltas
            .into_iter()
            .filter(|(_, d)| *d != 0)
            .partition(|(_, d)| *d > 0);
        for (day, delta) in more.into_iter().chain(fewer) {
            self.add_members(at, association, day, delta);
        }
    }

    /// `delta` members more from `day` on. The count begins the day the first membership
    /// does, and a membership dated before it adds the days in between.
    fn add_members(&mut self, at: Moment, association: AssociationId, day: NaiveDate, delta: i64) {
        let scope = association.to_string();
        let key: FactKey = (kind::MEMBER_COUNT, scope.clone());
        let add = move |body: &mut FactBody| {
            if let FactBody::MemberCount(count) = body {
                count.members = count.members.saturating_add_signed(delta);
            }
        };
        let first = self
            .segments(&key)
            .and_then(|segments| segments.first())
            .map(|s| s.valid_from);
        let count = FactBody::MemberCount(MemberCountFact {
            association,
            members: delta.max(0) as u64,
        });
        self.edit(at, &key, true, |fact| match first {
            None => fact.start(&scope, day, None, count),
            Some(first) if day < first => {
                fact.change(first, &add);
                fact.start(&scope, day, Some(first), count);
            }
            Some(_) => {
                fact.change(day, &add);
            }
        });
    }
}

/// The key of a membership's fact: its association, then the member. A person's
/// memberships are found by it, one key per association (a membership is kept under its
/// association, not under its member).
pub fn membership_key(association: AssociationId, member: Member) -> String {
    format!("{association}:{}", member_key(member))
}

fn member_key(member: Member) -> String {
    match member {
        Member::Person(p) => format!("person:{p}"),
        Member::Organization(o) => format!("organization:{o}"),
    }
}
