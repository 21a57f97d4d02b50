//! The registry projected: the municipality, its districts, organizations and bodies, the
//! officials of the bodies, and people with their position and category, each counting from
//! its own day.

use domain::events::{
    BodyEstablished, CategoryChanged, DistrictAdded, MunicipalityRegistered, OfficialAssigned,
    OfficialRelieved, OrganizationRegistered, PersonDismissed, PersonRegistered, PersonTransferred,
};

use crate::facts::{
    kind, BodyFact, DistrictFact, FactBody, MunicipalityFact, OfficialFact, OrganizationFact,
    PersonFact, SealedText,
};

use super::{Moment, Projector};

impl Projector {
    pub(super) fn municipality_registered(
        &mut self,
        e: &MunicipalityRegistered,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
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
        )
    }

    pub(super) fn district_added(&mut self, e: &DistrictAdded, at: Moment) -> Result<(), String> {
        let on = at.effective;
        self.start(
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
        )
    }

    pub(super) fn organization_registered(
        &mut self,
        e: &OrganizationRegistered,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            e.organization.to_string(),
            e.district.map(|d| d.to_string()).unwrap_or_default(),
            on,
            None,
            FactBody::Organization(OrganizationFact {
                organization: e.organization,
                municipality: e.municipality,
                title: e.title.clone(),
                kind: e.kind,
                district: e.district,
            }),
        )
    }

    pub(super) fn body_established(
        &mut self,
        e: &BodyEstablished,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
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
                organization: e.organization,
            }),
        )
    }

    pub(super) fn official_assigned(
        &mut self,
        e: &OfficialAssigned,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        let body_kind = match self.last_body(kind::BODY, &e.body.to_string()) {
            Some(FactBody::Body(b)) => b.kind,
            _ => return Err(format!("орган {} не учреждён", e.body)),
        };
        self.start(
            at,
            format!("{}:{}", e.body, e.person),
            e.person.to_string(),
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

    pub(super) fn official_relieved(
        &mut self,
        e: &OfficialRelieved,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.end(at, kind::OFFICIAL, &format!("{}:{}", e.body, e.person), on)
    }

    pub(super) fn person_registered(
        &mut self,
        e: &PersonRegistered,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            e.person.to_string(),
            e.organization.to_string(),
            on,
            None,
            FactBody::Person(Box::new(PersonFact {
                person: e.person,
                organization: e.organization,
                position_kind: e.position_kind,
                position_since: on,
                category: e.category,
                // As in the domain: a category counts from the day it was granted.
                category_since: e.category.granted.unwrap_or(on),
                specialty_since: e.specialty_since,
                full_name: SealedText::of(&e.full_name)?,
                birth_date: SealedText::of(&e.birth_date)?,
                subjects: e.subjects.as_slice().into(),
                dismissed: false,
            })),
        )
    }

    pub(super) fn category_changed(
        &mut self,
        e: &CategoryChanged,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
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

    pub(super) fn person_transferred(
        &mut self,
        e: &PersonTransferred,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(at, kind::PERSON, &e.person.to_string(), on, |body| {
            if let FactBody::Person(p) = body {
                if p.position_since <= on {
                    p.organization = e.organization;
                    p.position_kind = e.position_kind;
                    p.position_since = on;
                    p.dismissed = false;
                }
            }
        })
    }

    /// As the domain reads it: dismissed from the day, unless a position began later.
    pub(super) fn person_dismissed(
        &mut self,
        e: &PersonDismissed,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(at, kind::PERSON, &e.person.to_string(), on, |body| {
            if let FactBody::Person(p) = body {
                if p.position_since < on {
                    p.dismissed = true;
                }
            }
        })
    }
}
