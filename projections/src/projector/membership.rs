//! Membership projected: admissions and leavings (a member who leaves also stops serving as
//! secretary or elected head), and each update of a member database. Applications change no
//! fact.

use domain::events::{Member, MemberAdmitted, MemberDatabaseUpdated, MemberLeft};
use domain::values::AssociationRole;

use crate::facts::{kind, FactBody, MemberDatabaseFact, MembershipFact};

use super::roles::role_key;
use super::{Moment, Projector};

impl Projector {
    pub(super) fn member_admitted(&mut self, e: &MemberAdmitted, at: Moment) -> Result<(), String> {
        let on = at.effective;
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

    pub(super) fn member_left(&mut self, e: &MemberLeft, at: Moment) -> Result<(), String> {
        let on = at.effective;
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

pub(super) fn member_key(member: Member) -> String {
    match member {
        Member::Person(p) => format!("person:{p}"),
        Member::Organization(o) => format!("organization:{o}"),
    }
}
