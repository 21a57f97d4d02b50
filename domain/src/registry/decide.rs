//! The registry's decisions: a municipality registered by the operator; districts,
//! organizations and persons added by the operator or the department's officials; bodies and
//! officials by the operator, from the orders that establish and appoint them.

use chrono::NaiveDate;

use crate::commands::Command;
use crate::decider::{exists, misrouted, not_found, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{BodyId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use crate::values::{
    required_text, BodyKind, Category, Office, OrganizationKind, PositionKind, Sealed, Subject,
};

use super::commands::*;
use super::events::*;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::RegisterMunicipality(RegisterMunicipality {
            municipality,
            title,
            profile,
        }) => d.register_municipality(*municipality, title, profile),
        Command::AddDistrict(AddDistrict {
            municipality,
            district,
            title,
        }) => d.add_district(*municipality, *district, title),
        Command::RegisterOrganization(RegisterOrganization {
            municipality,
            organization,
            title,
            kind,
            district,
        }) => d.register_organization(*municipality, *organization, title, *kind, *district),
        Command::EstablishBody(EstablishBody {
            municipality,
            body,
            kind,
            title,
            district,
            organization,
        }) => d.establish_body(*municipality, *body, *kind, title, *district, *organization),
        Command::AssignOfficial(AssignOfficial {
            municipality,
            body,
            person,
            office,
        }) => d.assign_official(*municipality, *body, *person, *office),
        Command::RelieveOfficial(RelieveOfficial {
            municipality,
            body,
            person,
        }) => d.relieve_official(*municipality, *body, *person),
        Command::RegisterPerson(RegisterPerson {
            person,
            municipality,
            organization,
            position_kind,
            category,
            specialty_since,
            subjects,
            ..
        }) => d.register_person(
            *person,
            *municipality,
            (*organization, *position_kind),
            *category,
            *specialty_since,
            subjects,
        ),
        Command::ChangeCategory(ChangeCategory { person, category }) => {
            d.change_category(*person, *category)
        }
        Command::TransferPerson(TransferPerson {
            person,
            organization,
            position_kind,
            ..
        }) => d.transfer_person(*person, *organization, *position_kind),
        Command::DismissPerson(DismissPerson { person, reason }) => {
            d.dismiss_person(*person, reason)
        }
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn register_municipality(
        &mut self,
        municipality: MunicipalityId,
        title: &str,
        profile: &str,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let acted_as = self.operator_only("регистрацию муниципалитета")?;
        if world
            .municipalities
            .get(&municipality)
            .is_some_and(|m| m.exists())
        {
            return Err(exists("муниципалитет", municipality));
        }
        Ok(Ruling::new(
            acted_as,
            vec![MunicipalityRegistered {
                municipality,
                title: required_text("название муниципалитета", title, 300)?,
                profile: profile.to_string(),
            }
            .into()],
        ))
    }

    fn add_district(
        &mut self,
        municipality: MunicipalityId,
        district: DistrictId,
        title: &str,
    ) -> Result<Ruling, DomainError> {
        let m = self.registry(municipality)?;
        let acted_as = self.operator_or_official(&[BodyKind::Department], "добавление района")?;
        if m.districts.contains_key(&district) {
            return Err(exists("район", district));
        }
        Ok(Ruling::new(
            acted_as,
            vec![DistrictAdded {
                municipality,
                district,
                title: required_text("название района", title, 300)?,
            }
            .into()],
        ))
    }

    fn register_organization(
        &mut self,
        municipality: MunicipalityId,
        organization: OrganizationId,
        title: &str,
        kind: OrganizationKind,
        district: Option<DistrictId>,
    ) -> Result<Ruling, DomainError> {
        let m = self.registry(municipality)?;
        let acted_as =
            self.operator_or_official(&[BodyKind::Department], "регистрацию организации")?;
        if m.organizations.contains_key(&organization) {
            return Err(exists("организация", organization));
        }
        if let Some(d) = district {
            if !m.districts.contains_key(&d) {
                return Err(not_found("район", d));
            }
        }
        Ok(Ruling::new(
            acted_as,
            vec![OrganizationRegistered {
                municipality,
                organization,
                title: required_text("название организации", title, 500)?,
                kind,
                district,
            }
            .into()],
        ))
    }

    fn establish_body(
        &mut self,
        municipality: MunicipalityId,
        body: BodyId,
        kind: BodyKind,
        title: &str,
        district: Option<DistrictId>,
        organization: Option<OrganizationId>,
    ) -> Result<Ruling, DomainError> {
        let m = self.registry(municipality)?;
        let acted_as = self.operator_only("учреждение органа")?;
        if m.bodies.contains_key(&body) {
            return Err(exists("орган", body));
        }
        match (kind, district) {
            (BodyKind::DistrictDepartment, None) => {
                return Err(DomainError::InvalidStructure {
                    reason: "у районного отдела образования должен быть указан район".into(),
                })
            }
            (_, Some(d)) if !m.districts.contains_key(&d) => return Err(not_found("район", d)),
            _ => {}
        }
        if let Some(o) = organization {
            if !m.organizations.contains_key(&o) {
                return Err(not_found("организация", o));
            }
        }
        Ok(Ruling::new(
            acted_as,
            vec![BodyEstablished {
                municipality,
                body,
                kind,
                title: required_text("название органа", title, 500)?,
                district,
                organization,
            }
            .into()],
        ))
    }

    fn assign_official(
        &mut self,
        municipality: MunicipalityId,
        body: BodyId,
        person: PersonId,
        office: Office,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let m = self.registry(municipality)?;
        let acted_as = self.operator_only("назначение должностного лица")?;
        if !m.bodies.contains_key(&body) {
            return Err(not_found("орган", body));
        }
        world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        if m.is_official_of(person, body, on) == Some(office) {
            return Err(exists("должность лица в органе", person));
        }
        Ok(Ruling::new(
            acted_as,
            vec![OfficialAssigned {
                municipality,
                body,
                person,
                office,
            }
            .into()],
        ))
    }

    fn relieve_official(
        &mut self,
        municipality: MunicipalityId,
        body: BodyId,
        person: PersonId,
    ) -> Result<Ruling, DomainError> {
        let on = self.date();
        let m = self.registry(municipality)?;
        let acted_as = self.operator_only("освобождение должностного лица")?;
        if m.is_official_of(person, body, on).is_none() {
            return Err(not_found("должностное лицо органа", person));
        }
        Ok(Ruling::new(
            acted_as,
            vec![OfficialRelieved {
                municipality,
                body,
                person,
            }
            .into()],
        ))
    }

    /// The personal fields come sealed by the vault (152-FZ); the command's clear text is not read.
    fn register_person(
        &mut self,
        person: PersonId,
        municipality: MunicipalityId,
        (organization, position_kind): (OrganizationId, PositionKind),
        category: Category,
        specialty_since: NaiveDate,
        subjects: &[Subject],
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let m = self.registry(municipality)?;
        let acted_as = self.operator_or_official(
            &[BodyKind::Department, BodyKind::MethodicalCenter],
            "регистрацию лица",
        )?;
        if world.persons.get(&person).is_some_and(|p| p.exists()) {
            return Err(exists("лицо", person));
        }
        if !m.organizations.contains_key(&organization) {
            return Err(not_found("организация", organization));
        }
        category.validate()?;
        let sealed = &self.ctx.sealed;
        let (Some(full_name), Some(birth_date), Some(position_title)) = (
            sealed.full_name.clone(),
            sealed.birth_date.clone(),
            sealed.position_title.clone(),
        ) else {
            return Err(DomainError::PersonalDataNotSealed);
        };
        if ![&full_name, &birth_date, &position_title]
            .iter()
            .all(|s| s.is_sealed())
        {
            return Err(DomainError::PersonalDataNotSealed);
        }
        Ok(Ruling::new(
            acted_as,
            vec![PersonRegistered {
                person,
                municipality,
                organization,
                position_kind,
                full_name,
                birth_date,
                position_title,
                category,
                specialty_since,
                subjects: subjects.to_vec(),
            }
            .into()],
        ))
    }

    fn change_category(
        &mut self,
        person: PersonId,
        category: Category,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let acted_as = self.operator_or_official(
            &[BodyKind::Department, BodyKind::MethodicalCenter],
            "изменение квалификационной категории",
        )?;
        category.validate()?;
        Ok(Ruling::new(
            acted_as,
            vec![CategoryChanged { person, category }.into()],
        ))
    }

    fn transfer_person(
        &mut self,
        person: PersonId,
        organization: OrganizationId,
        position_kind: PositionKind,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let acted_as = self.operator_or_official(
            &[BodyKind::Department, BodyKind::MethodicalCenter],
            "перевод лица",
        )?;
        if !self
            .municipality()?
            .organizations
            .contains_key(&organization)
        {
            return Err(not_found("организация", organization));
        }
        let position_title = self
            .ctx
            .sealed
            .position_title
            .clone()
            .filter(Sealed::is_sealed)
            .ok_or(DomainError::PersonalDataNotSealed)?;
        Ok(Ruling::new(
            acted_as,
            vec![PersonTransferred {
                person,
                organization,
                position_kind,
                position_title,
            }
            .into()],
        ))
    }

    fn dismiss_person(&mut self, person: PersonId, reason: &str) -> Result<Ruling, DomainError> {
        let on = self.date();
        let state = self
            .ctx
            .world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let acted_as = self.operator_or_official(
            &[BodyKind::Department, BodyKind::MethodicalCenter],
            "увольнение лица",
        )?;
        if state.position_on(on).is_none() {
            return Err(DomainError::PersonNotEmployed {
                person: person.to_string(),
                date: on,
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![PersonDismissed {
                person,
                reason: required_text("причина", reason, 1000)?,
            }
            .into()],
        ))
    }
}
