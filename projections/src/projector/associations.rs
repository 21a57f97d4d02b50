//! Associations projected: created, reorganized, linked to a city association, and
//! liquidated with everything of theirs.

use domain::events::{
    AssociationCreated, AssociationLiquidated, AssociationReorganized, DistrictAssociationLinked,
};

use crate::facts::{kind, AssociationFact, FactBody};

use super::{FactKey, Moment, Projector};

impl Projector {
    pub(super) fn association_created(
        &mut self,
        e: &AssociationCreated,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        // A temporary association (004 §8: a working group) holds until its last day: as of
        // any later date it has ended, as its members and roles have (their terms end
        // with it).
        self.start(
            at,
            e.association.to_string(),
            e.district.map(|d| d.to_string()).unwrap_or_default(),
            on,
            e.ends_on.and_then(|last| last.succ_opt()),
            FactBody::Association(Box::new(AssociationFact {
                association: e.association,
                municipality: e.municipality,
                title: e.title.clone(),
                subject: e.subject.clone(),
                level: e.level,
                kind: e.kind,
                district: e.district,
                organization: e.organization,
                city_association: None,
            })),
        )
    }

    pub(super) fn association_reorganized(
        &mut self,
        e: &AssociationReorganized,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(
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
        )
    }

    pub(super) fn association_liquidated(
        &mut self,
        e: &AssociationLiquidated,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        // Liquidation ends every membership, role and deputy on its day, as in the
        // domain also those that were to begin later. It is rare: a scan of the
        // facts finds them, ordered by key so that a rebuild and a resumed catch-up
        // end them (and number the rows) alike.
        self.ensure_owned_by(e.association);
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

    pub(super) fn district_association_linked(
        &mut self,
        e: &DistrictAssociationLinked,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(
            at,
            kind::ASSOCIATION,
            &e.district_association.to_string(),
            on,
            |body| {
                if let FactBody::Association(a) = body {
                    a.city_association = Some(e.city_association);
                }
            },
        )
    }
}
