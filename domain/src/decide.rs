//! `decide`: a command, the states it reads and the profile in force → the events to append,
//! or the rule it breaks. Pure: no clock, no store, no randomness.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::eligibility;
use crate::error::DomainError;
use crate::events::*;
use crate::ids::{AssociationId, OrderId, PersonId};
use crate::profile::{ApplicationForm, FillMethod, Majority, RegulationProfile};
use crate::state::{
    vote_adds_up, ApplicationStatus, AssociationState, MeetingState, MeetingStatus,
    MunicipalityState, OrderState,
};
use crate::values::DevelopmentMilestone;
use crate::values::{
    required_text, AssociationRole, BodyKind, Clause, DocumentType, Level, Office, Sealed,
};
use crate::world::World;

/// Who is acting: a person of the registry, or an operator of the methodical service who
/// enters paper records (orders, registry data) on behalf of the bodies that issued them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    Operator,
    Person(PersonId),
}

impl Acting {
    /// `operator` or `person:<uuid>` (a bare uuid is a person too).
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        if text == "operator" {
            return Ok(Acting::Operator);
        }
        let id = text.strip_prefix("person:").unwrap_or(text);
        PersonId::parse(id).map(Acting::Person)
    }

    pub fn id(&self) -> String {
        match self {
            Acting::Operator => "operator".into(),
            Acting::Person(p) => format!("person:{p}"),
        }
    }
}

/// Personal fields after the vault sealed them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealedPersonalFields {
    pub full_name: Option<Sealed>,
    pub birth_date: Option<Sealed>,
    pub position_title: Option<Sealed>,
}

/// How far back a person may date an action they record themselves; older records are
/// entered by the operator, from paper, on their legal basis.
pub const PERSON_BACKDATING_DAYS: u64 = 31;

/// What a decision reads.
pub struct Context<'a> {
    pub profile: &'a RegulationProfile,
    pub acting: Acting,
    pub effective: NaiveDate,
    /// The day the command is recorded (from the injected clock).
    pub today: NaiveDate,
    pub world: &'a World,
    pub sealed: SealedPersonalFields,
}

/// The legal basis the envelope of the events carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisRef {
    pub kind: BasisKindRef,
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasisKindRef {
    Order,
    Protocol,
}

/// The outcome of a command: the events, the role the actor acted in, and the legal basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub events: Vec<Event>,
    /// The role the actor acted in, e.g. `head`, `secretary`, `official`, `operator`.
    pub acted_as: String,
    pub basis: Option<BasisRef>,
}

/// Decides `command` in `ctx`.
pub fn decide(command: &Command, ctx: &Context) -> Result<Decision, DomainError> {
    check_effective_date(ctx)?;
    let mut d = Decider {
        ctx,
        acted_as: String::new(),
        basis: None,
    };
    let events = d.run(command)?;
    Ok(Decision {
        events,
        acted_as: d.acted_as,
        basis: d.basis,
    })
}

pub(crate) struct Decider<'a> {
    pub(crate) ctx: &'a Context<'a>,
    pub(crate) acted_as: String,
    pub(crate) basis: Option<BasisRef>,
}

/// Nothing takes effect after the day it is recorded, nor outside the years the calendar
/// knows; a person dates their own actions at most a month back.
fn check_effective_date(ctx: &Context) -> Result<(), DomainError> {
    let effective = ctx.effective;
    if !(1990..=2200).contains(&chrono::Datelike::year(&effective)) {
        return Err(DomainError::EffectiveOutOfRange { effective });
    }
    if effective > ctx.today {
        return Err(DomainError::EffectiveInFuture {
            effective,
            today: ctx.today,
        });
    }
    if let Acting::Person(_) = ctx.acting {
        let earliest = ctx
            .today
            .checked_sub_days(chrono::Days::new(PERSON_BACKDATING_DAYS))
            .unwrap_or(ctx.today);
        if effective < earliest {
            return Err(DomainError::BackdatedTooFar {
                effective,
                earliest,
            });
        }
    }
    Ok(())
}

pub(crate) fn not_found(what: &'static str, id: impl ToString) -> DomainError {
    DomainError::NotFound {
        what,
        id: id.to_string(),
    }
}

pub(crate) fn exists(what: &'static str, id: impl ToString) -> DomainError {
    DomainError::AlreadyExists {
        what,
        id: id.to_string(),
    }
}

impl<'a> Decider<'a> {
    pub(crate) fn date(&self) -> NaiveDate {
        self.ctx.effective
    }

    pub(crate) fn profile(&self) -> &'a RegulationProfile {
        self.ctx.profile
    }

    pub(crate) fn municipality(&self) -> Result<&'a MunicipalityState, DomainError> {
        self.ctx
            .world
            .municipality()
            .ok_or_else(|| not_found("муниципалитет", "(не зарегистрирован)"))
    }

    pub(crate) fn person_id(&self) -> Option<PersonId> {
        match self.ctx.acting {
            Acting::Person(p) => Some(p),
            Acting::Operator => None,
        }
    }

    // ---- authorization --------------------------------------------------------------

    pub(crate) fn operator_only(&mut self, what: &str) -> Result<(), DomainError> {
        match self.ctx.acting {
            Acting::Operator => {
                self.acted_as = "operator".into();
                Ok(())
            }
            Acting::Person(_) => Err(DomainError::NotAuthorized {
                reason: format!("{what} вносит оператор методической службы"),
            }),
        }
    }

    /// The operator, or an official of a body of one of `kinds`.
    pub(crate) fn operator_or_official(
        &mut self,
        kinds: &[BodyKind],
        what: &str,
    ) -> Result<(), DomainError> {
        match self.ctx.acting {
            Acting::Operator => {
                self.acted_as = "operator".into();
                Ok(())
            }
            Acting::Person(p) => {
                let municipality = self.municipality()?;
                if let Some((body, _, office)) = municipality
                    .offices_of(p, self.date())
                    .find(|(b, _, _)| kinds.contains(&b.kind))
                {
                    self.acted_as = format!(
                        "official:{}:{}",
                        serde_plain(&body.kind),
                        serde_plain(&office)
                    );
                    Ok(())
                } else {
                    Err(DomainError::NotAuthorized {
                        reason: format!(
                            "{what}: действует оператор или должностное лицо органа ({}) на {}",
                            kinds
                                .iter()
                                .map(|k| k.in_russian())
                                .collect::<Vec<_>>()
                                .join(", "),
                            self.date()
                        ),
                    })
                }
            }
        }
    }

    /// The actor must hold `role` in `association` on the effective date.
    pub(crate) fn role_holder(
        &mut self,
        association: &AssociationState,
        roles: &[AssociationRole],
        what: &str,
    ) -> Result<PersonId, DomainError> {
        let Some(person) = self.person_id() else {
            return Err(DomainError::NotAuthorized {
                reason: format!(
                    "{what}: действует {} объединения лично, не оператор",
                    roles
                        .iter()
                        .map(|r| r.in_russian())
                        .collect::<Vec<_>>()
                        .join(" или ")
                ),
            });
        };
        for role in roles {
            if association.holder(*role, self.date()) == Some(person) {
                self.acted_as = serde_plain(role);
                return Ok(person);
            }
        }
        Err(DomainError::NotAuthorized {
            reason: format!(
                "{what}: {person} не является ({}) объединения «{}» на {}",
                roles
                    .iter()
                    .map(|r| r.in_russian())
                    .collect::<Vec<_>>()
                    .join(" или "),
                association.title,
                self.date()
            ),
        })
    }

    /// An order of a body of kind `issuer`, dated no later than the effective date, entered
    /// by the operator or signed by an official of that body. Sets the legal basis.
    pub(crate) fn order_basis(
        &mut self,
        order: OrderId,
        issuer: BodyKind,
        rule: &Clause,
    ) -> Result<&'a OrderState, DomainError> {
        let state = self
            .ctx
            .world
            .order(order)
            .ok_or_else(|| not_found("приказ", order))?;
        if self.ctx.world.home.is_some() && state.municipality != self.ctx.world.home {
            return Err(DomainError::OrderOfAnotherMunicipality {
                number: state.number.clone(),
            });
        }
        let actual = state.issuer_kind.unwrap_or(BodyKind::Department);
        if actual != issuer {
            return Err(DomainError::WrongOrderIssuer {
                number: state.number.clone(),
                expected: issuer.in_russian(),
                actual: actual.in_russian(),
                clause: rule.clone(),
            });
        }
        let order_date = state.date.unwrap_or(self.date());
        if order_date > self.date() {
            return Err(DomainError::OrderAfterEffectiveDate {
                number: state.number.clone(),
                order_date,
                effective: self.date(),
            });
        }
        match self.ctx.acting {
            Acting::Operator => self.acted_as = "operator".into(),
            Acting::Person(p) => {
                let municipality = self.municipality()?;
                let body = state
                    .issuer
                    .ok_or_else(|| not_found("орган", "издатель приказа"))?;
                match municipality.is_official_of(p, body, self.date()) {
                    Some(office) => self.acted_as = format!("official:{}:{}", serde_plain(&actual), serde_plain(&office)),
                    None => {
                        return Err(DomainError::NotAuthorized {
                            reason: format!(
                                "записать действие по приказу {} может оператор или должностное лицо органа, издавшего приказ",
                                state.number
                            ),
                        })
                    }
                }
            }
        }
        let issuer_title = state
            .issuer
            .and_then(|b| self.municipality().ok().and_then(|m| m.bodies.get(&b)))
            .map(|b| b.title.clone())
            .unwrap_or_else(|| actual.in_russian().to_string());
        self.basis = Some(BasisRef {
            kind: BasisKindRef::Order,
            number: state.number.clone(),
            date: order_date,
            issuer: issuer_title,
        });
        Ok(state)
    }

    /// The clause that makes a city association of the district heads of its subject: the
    /// profile's, or the digest's where the profile has none.
    pub(crate) fn city_link_clause(&self) -> Clause {
        self.profile()
            .structure
            .city_members_are_district_heads
            .clone()
            .unwrap_or_else(|| Clause::parse("000 §1.5, §4.1; 003 §7.1").expect("a valid clause"))
    }

    pub(crate) fn protocol_basis(
        &mut self,
        meeting: &MeetingState,
        association: &AssociationState,
    ) {
        if let Some(date) = meeting.date {
            self.basis = Some(BasisRef {
                kind: BasisKindRef::Protocol,
                // A protocol not numbered yet is «б/н» (без номера), dated by its sitting.
                number: meeting
                    .protocol_number
                    .clone()
                    .unwrap_or_else(|| "б/н".to_string()),
                date,
                issuer: association.title.clone(),
            });
        }
    }

    /// An order of a body of kind `issuer` (see `order_basis`), of that body's own district or
    /// organization where the body has one (000 §7.4: a district department acts in its own
    /// district), after the review of a council of kind `review_by` where the rule asks for one
    /// (000 §1.4, §4.2).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn scoped_order(
        &mut self,
        order: OrderId,
        issuer: BodyKind,
        review_by: Option<BodyKind>,
        review: Option<&CouncilReview>,
        district: Option<crate::ids::DistrictId>,
        organization: Option<crate::ids::OrganizationId>,
        rule: &Clause,
    ) -> Result<&'a OrderState, DomainError> {
        let order_state = self.order_basis(order, issuer, rule)?;
        let issuing_body = order_state
            .issuer
            .and_then(|b| self.municipality().ok().and_then(|m| m.bodies.get(&b)));
        match issuer {
            BodyKind::DistrictDepartment if issuing_body.and_then(|b| b.district) != district => {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "районный отдел образования того же района",
                    actual: "районный отдел образования другого района",
                    clause: rule.clone(),
                });
            }
            BodyKind::OrganizationAdministration
                if issuing_body.and_then(|b| b.organization) != organization =>
            {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "администрация той же образовательной организации",
                    actual: "администрация другой организации",
                    clause: rule.clone(),
                });
            }
            _ => {}
        }
        if let Some(council) = review_by {
            let reviewed = review.is_some_and(|r| {
                self.municipality()
                    .ok()
                    .and_then(|m| m.bodies.get(&r.council))
                    .is_some_and(|b| b.kind == council)
                    && order_state.date.is_none_or(|d| r.date <= d)
            });
            if !reviewed {
                return Err(DomainError::CouncilReviewRequired {
                    council: council.in_russian(),
                    clause: rule.clone(),
                });
            }
        }
        Ok(order_state)
    }

    /// The profile's rule for filling `role` in this association, which must be filled the
    /// way `method` says.
    fn fill_rule(
        &self,
        role: AssociationRole,
        state: &AssociationState,
        method: FillMethod,
    ) -> Result<&'a crate::profile::RoleRule, DomainError> {
        let level = state.level.unwrap_or(Level::City);
        let rule = self.profile().role_rule(role, level).ok_or_else(|| {
            let (provided, clause) = self.profile().roles_at(level);
            DomainError::NoRoleRule {
                role: role.in_russian(),
                level: level.in_russian(),
                provided: if provided.is_empty() {
                    "ни одной роли".to_string()
                } else {
                    provided
                        .iter()
                        .map(|r| r.in_russian())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                clause,
            }
        })?;
        if rule.method != method {
            return Err(DomainError::WrongFillMethod {
                role: role.in_russian(),
                level: level.in_russian(),
                how: match rule.method {
                    FillMethod::Election => {
                        "избирается членами открытым голосованием, а не назначается приказом"
                    }
                    FillMethod::Order => "назначается приказом, а не избирается",
                },
                clause: rule.clause.clone(),
            });
        }
        Ok(rule)
    }

    /// An order of the body that creates associations of this one's level (the profile's
    /// `creation` rule, or `created_by`), within its own district or school; refusals cite
    /// `clause`, or the creation rule's own.
    fn creating_body_order(
        &mut self,
        order: OrderId,
        state: &AssociationState,
        clause: Option<Clause>,
    ) -> Result<&'a OrderState, DomainError> {
        let creation = self
            .profile()
            .structure
            .creation_for(state.level.unwrap_or(Level::City));
        let clause = clause.unwrap_or_else(|| creation.clause.clone());
        self.scoped_order(
            order,
            creation.issuer,
            None,
            None,
            state.district,
            state.organization,
            &clause,
        )
    }

    /// A member's step of professional growth for the indicators (001 §4.1.2–4.1.3): the
    /// operator enters it from the records, or the association's head; only where the profile
    /// has the indicator, only for a member on the day, once per year; a route is completed
    /// only after it was developed.
    fn record_development(
        &mut self,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        milestone: DevelopmentMilestone,
    ) -> Result<Vec<Event>, DomainError> {
        let state = self.live_association(association)?;
        if self.person_id().is_some() {
            self.role_holder(
                state,
                &[AssociationRole::Head],
                "запись показателей эффективности",
            )?;
        } else {
            self.acted_as = "operator".into();
        }
        let Some(indicator) = self
            .profile()
            .indicators
            .iter()
            .find(|i| i.code == milestone.indicator_code())
        else {
            return Err(DomainError::IndicatorNotProvided {
                milestone: milestone.in_russian().into(),
                clause: self.profile().indicators_clause(),
            });
        };
        let on = self.date();
        if !school_year.contains(on) {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: school_year.to_string(),
            });
        }
        if !state.is_member(Member::Person(person), on) {
            return Err(DomainError::NotAMember {
                member: Member::Person(person).to_string(),
                date: on,
                clause: indicator.clause.clone(),
            });
        }
        if state
            .developments
            .iter()
            .any(|(p, m, y)| *p == person && *m == milestone && *y == school_year)
        {
            return Err(DomainError::DevelopmentAlreadyRecorded {
                milestone: milestone.in_russian().into(),
                person: person.to_string(),
                year: school_year.to_string(),
            });
        }
        if milestone == DevelopmentMilestone::IndividualRouteCompleted
            && !state.developments.iter().any(|(p, m, _)| {
                *p == person && *m == DevelopmentMilestone::IndividualRouteDeveloped
            })
        {
            return Err(DomainError::IndividualRouteNotDeveloped {
                person: person.to_string(),
                clause: indicator.clause.clone(),
            });
        }
        Ok(vec![DevelopmentRecorded {
            association,
            person,
            school_year,
            milestone,
        }
        .into()])
    }

    pub(crate) fn live_association(
        &self,
        id: AssociationId,
    ) -> Result<&'a AssociationState, DomainError> {
        let state = self
            .ctx
            .world
            .association(id)
            .ok_or_else(|| not_found("объединение", id))?;
        if let Some(since) = state.liquidated_on {
            if since <= self.date() {
                return Err(DomainError::AssociationLiquidated {
                    since,
                    clause: self.profile().structure.created_by_clause.clone(),
                });
            }
        }
        Ok(state)
    }

    // ---- the commands ---------------------------------------------------------------

    fn run(&mut self, command: &Command) -> Result<Vec<Event>, DomainError> {
        use Command::*;
        let world = self.ctx.world;
        let on = self.date();
        match command {
            RegisterMunicipality {
                municipality,
                title,
                profile,
            } => {
                self.operator_only("регистрацию муниципалитета")?;
                if world
                    .municipalities
                    .get(municipality)
                    .is_some_and(|m| m.exists())
                {
                    return Err(exists("муниципалитет", municipality));
                }
                Ok(vec![MunicipalityRegistered {
                    municipality: *municipality,
                    title: required_text("название муниципалитета", title, 300)?,
                    profile: profile.clone(),
                }
                .into()])
            }
            AddDistrict {
                municipality,
                district,
                title,
            } => {
                let m = self.registry(*municipality)?;
                self.operator_or_official(&[BodyKind::Department], "добавление района")?;
                if m.districts.contains_key(district) {
                    return Err(exists("район", district));
                }
                Ok(vec![DistrictAdded {
                    municipality: *municipality,
                    district: *district,
                    title: required_text("название района", title, 300)?,
                }
                .into()])
            }
            RegisterOrganization {
                municipality,
                organization,
                title,
                kind,
                district,
            } => {
                let m = self.registry(*municipality)?;
                self.operator_or_official(&[BodyKind::Department], "регистрацию организации")?;
                if m.organizations.contains_key(organization) {
                    return Err(exists("организация", organization));
                }
                if let Some(d) = district {
                    if !m.districts.contains_key(d) {
                        return Err(not_found("район", d));
                    }
                }
                Ok(vec![OrganizationRegistered {
                    municipality: *municipality,
                    organization: *organization,
                    title: required_text("название организации", title, 500)?,
                    kind: *kind,
                    district: *district,
                }
                .into()])
            }
            EstablishBody {
                municipality,
                body,
                kind,
                title,
                district,
                organization,
            } => {
                let m = self.registry(*municipality)?;
                self.operator_only("учреждение органа")?;
                if m.bodies.contains_key(body) {
                    return Err(exists("орган", body));
                }
                match (kind, district) {
                    (BodyKind::DistrictDepartment, None) => {
                        return Err(DomainError::InvalidStructure {
                            reason: "у районного отдела образования должен быть указан район"
                                .into(),
                        })
                    }
                    (_, Some(d)) if !m.districts.contains_key(d) => {
                        return Err(not_found("район", d))
                    }
                    _ => {}
                }
                if let Some(o) = organization {
                    if !m.organizations.contains_key(o) {
                        return Err(not_found("организация", o));
                    }
                }
                Ok(vec![BodyEstablished {
                    municipality: *municipality,
                    body: *body,
                    kind: *kind,
                    title: required_text("название органа", title, 500)?,
                    district: *district,
                    organization: *organization,
                }
                .into()])
            }
            AssignOfficial {
                municipality,
                body,
                person,
                office,
            } => {
                let m = self.registry(*municipality)?;
                self.operator_only("назначение должностного лица")?;
                if !m.bodies.contains_key(body) {
                    return Err(not_found("орган", body));
                }
                world
                    .person(*person)
                    .ok_or_else(|| not_found("лицо", person))?;
                if m.is_official_of(*person, *body, on) == Some(*office) {
                    return Err(exists("должность лица в органе", person));
                }
                Ok(vec![OfficialAssigned {
                    municipality: *municipality,
                    body: *body,
                    person: *person,
                    office: *office,
                }
                .into()])
            }
            RelieveOfficial {
                municipality,
                body,
                person,
            } => {
                let m = self.registry(*municipality)?;
                self.operator_only("освобождение должностного лица")?;
                if m.is_official_of(*person, *body, on).is_none() {
                    return Err(not_found("должностное лицо органа", person));
                }
                Ok(vec![OfficialRelieved {
                    municipality: *municipality,
                    body: *body,
                    person: *person,
                }
                .into()])
            }
            RegisterPerson {
                person,
                municipality,
                organization,
                position_kind,
                category,
                specialty_since,
                subjects,
                ..
            } => {
                let m = self.registry(*municipality)?;
                self.operator_or_official(
                    &[BodyKind::Department, BodyKind::MethodicalCenter],
                    "регистрацию лица",
                )?;
                if world.persons.get(person).is_some_and(|p| p.exists()) {
                    return Err(exists("лицо", person));
                }
                if !m.organizations.contains_key(organization) {
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
                Ok(vec![PersonRegistered {
                    person: *person,
                    municipality: *municipality,
                    organization: *organization,
                    position_kind: *position_kind,
                    full_name,
                    birth_date,
                    position_title,
                    category: *category,
                    specialty_since: *specialty_since,
                    subjects: subjects.clone(),
                }
                .into()])
            }
            ChangeCategory { person, category } => {
                world
                    .person(*person)
                    .ok_or_else(|| not_found("лицо", person))?;
                self.operator_or_official(
                    &[BodyKind::Department, BodyKind::MethodicalCenter],
                    "изменение квалификационной категории",
                )?;
                category.validate()?;
                Ok(vec![CategoryChanged {
                    person: *person,
                    category: *category,
                }
                .into()])
            }
            TransferPerson {
                person,
                organization,
                position_kind,
                ..
            } => {
                world
                    .person(*person)
                    .ok_or_else(|| not_found("лицо", person))?;
                self.operator_or_official(
                    &[BodyKind::Department, BodyKind::MethodicalCenter],
                    "перевод лица",
                )?;
                if !self
                    .municipality()?
                    .organizations
                    .contains_key(organization)
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
                Ok(vec![PersonTransferred {
                    person: *person,
                    organization: *organization,
                    position_kind: *position_kind,
                    position_title,
                }
                .into()])
            }
            IssueOrder {
                order,
                municipality,
                issuer,
                kind,
                number,
                date,
                title,
                decides,
                signed_by,
            } => {
                let m = self.registry(*municipality)?;
                if world.orders.get(order).is_some_and(|o| o.exists()) {
                    return Err(exists("приказ", order));
                }
                let body = m
                    .bodies
                    .get(issuer)
                    .ok_or_else(|| not_found("орган", issuer))?;
                if body.kind.is_council() {
                    return Err(DomainError::InvalidStructure {
                        reason: format!("совет («{}») не издаёт приказов: он рассматривает, решение принимает орган", body.title),
                    });
                }
                // A person signs only as the chief or deputy of the issuing body.
                let signer = match self.ctx.acting {
                    Acting::Operator => {
                        self.acted_as = "operator".into();
                        *signed_by
                    }
                    Acting::Person(p) => {
                        match m.is_official_of(p, *issuer, *date) {
                            Some(office) if office.signs_orders() => {
                                self.acted_as = format!(
                                    "official:{}:{}",
                                    serde_plain(&body.kind),
                                    serde_plain(&office)
                                );
                            }
                            _ => return Err(DomainError::OrderSignerNotAuthorized),
                        }
                        Some(p)
                    }
                };
                if let Some(s) = signer {
                    if !m
                        .is_official_of(s, *issuer, *date)
                        .is_some_and(Office::signs_orders)
                    {
                        return Err(DomainError::OrderSignerNotAuthorized);
                    }
                }
                if *date > on {
                    return Err(DomainError::OrderAfterEffectiveDate {
                        number: number.clone(),
                        order_date: *date,
                        effective: on,
                    });
                }
                let decides = decides
                    .iter()
                    .map(|d| required_text("пункт приказа", d, 2000))
                    .collect::<Result<Vec<_>, _>>()?;
                self.basis = Some(BasisRef {
                    kind: BasisKindRef::Order,
                    number: number.trim().to_string(),
                    date: *date,
                    issuer: body.title.clone(),
                });
                Ok(vec![OrderIssued {
                    order: *order,
                    municipality: *municipality,
                    issuer: *issuer,
                    issuer_kind: body.kind,
                    kind: *kind,
                    number: required_text("номер приказа", number, 50)?,
                    date: *date,
                    title: required_text("название приказа", title, 1000)?,
                    decides,
                    signed_by: signer,
                }
                .into()])
            }
            CreateAssociation {
                association,
                title,
                subject,
                level,
                kind,
                group_membership,
                district,
                organization,
                order,
                review,
                curating_organization,
            } => self.create_association(
                *association,
                title,
                subject,
                *level,
                *kind,
                (*group_membership, *district, *organization),
                *order,
                review.clone(),
                *curating_organization,
            ),
            ReorganizeAssociation {
                association,
                title,
                subject,
                kind,
                order,
            } => {
                let state = self.live_association(*association)?;
                self.creating_body_order(*order, state, None)?;
                if let Some(k) = kind {
                    self.kind_provided(*k)?;
                }
                // A district association stays of its city association's subject while they
                // are linked (000 §1.5, §4.1, §7.5; 003 §7.1): the link is the chain its
                // documents travel and the city association its head belongs to.
                let changes_subject = subject
                    .as_ref()
                    .is_some_and(|s| Some(s) != state.subject.as_ref());
                if let (true, Some(city)) = (changes_subject, state.city_association) {
                    return Err(DomainError::CityLinkMismatch {
                        reason: format!(
                            "«{}» связано с городским объединением {city} своего предмета, и предмет районного объединения, пока связь есть, не меняется",
                            state.title
                        ),
                        clause: self.city_link_clause(),
                    });
                }
                if title.is_none() && subject.is_none() && kind.is_none() {
                    return Err(DomainError::InvalidStructure {
                        reason: "реорганизация должна что-то менять: название, предмет или вид"
                            .into(),
                    });
                }
                Ok(vec![AssociationReorganized {
                    association: *association,
                    title: title
                        .as_deref()
                        .map(|t| required_text("название объединения", t, 500))
                        .transpose()?,
                    subject: subject.clone(),
                    kind: *kind,
                    order: *order,
                }
                .into()])
            }
            LiquidateAssociation { association, order } => {
                let state = self.live_association(*association)?;
                self.creating_body_order(*order, state, None)?;
                Ok(vec![AssociationLiquidated {
                    association: *association,
                    order: *order,
                }
                .into()])
            }
            LinkDistrictAssociation {
                city_association,
                district_association,
            } => {
                let city = self.live_association(*city_association)?;
                let district = self.live_association(*district_association)?;
                let clause = self.city_link_clause();
                self.operator_or_official(
                    &[BodyKind::Department, BodyKind::MethodicalCenter],
                    "связь районного объединения с городским",
                )?;
                if city.level != Some(Level::City) {
                    return Err(DomainError::CityLinkMismatch {
                        reason: format!("«{}» не городское объединение", city.title),
                        clause: clause.clone(),
                    });
                }
                if district.level != Some(Level::District) {
                    return Err(DomainError::CityLinkMismatch {
                        reason: format!("«{}» не районное объединение", district.title),
                        clause: clause.clone(),
                    });
                }
                if city.subject != district.subject {
                    return Err(DomainError::CityLinkMismatch {
                        reason: format!(
                            "предмет «{}» не совпадает с «{}»",
                            district.subject.as_ref().map(|s| s.as_str()).unwrap_or(""),
                            city.subject.as_ref().map(|s| s.as_str()).unwrap_or("")
                        ),
                        clause: clause.clone(),
                    });
                }
                if let Some(linked) = district.city_association {
                    return Err(exists("связь районного объединения с городским", linked));
                }
                Ok(vec![DistrictAssociationLinked {
                    city_association: *city_association,
                    district_association: *district_association,
                }
                .into()])
            }
            AdmitMember {
                association,
                member,
                basis,
                district_association,
            } => self.admit_member(*association, *member, *basis, *district_association),
            RemoveMember {
                association,
                member,
                reason,
            } => {
                let state = self.live_association(*association)?;
                if !state.is_member(*member, on) {
                    return Err(DomainError::NotAMember {
                        member: member.to_string(),
                        date: on,
                        clause: self.profile().membership.clause.clone(),
                    });
                }
                match self.ctx.acting {
                    Acting::Operator => self.acted_as = "operator".into(),
                    Acting::Person(p) if Member::Person(p) == *member => {
                        self.acted_as = "member".into()
                    }
                    Acting::Person(_) => {
                        self.role_holder(
                            state,
                            &[AssociationRole::Head, AssociationRole::Secretary],
                            "исключение из состава",
                        )?;
                    }
                }
                Ok(vec![MemberLeft {
                    association: *association,
                    member: *member,
                    reason: required_text("причина выхода", reason, 1000)?,
                }
                .into()])
            }
            AppointHead {
                association,
                person,
                school_year,
                order,
                review,
            } => self.appoint(
                AssociationRole::Head,
                *association,
                *person,
                *school_year,
                *order,
                review.clone(),
            ),
            AppointCurator {
                association,
                person,
                school_year,
                order,
            } => self.appoint(
                AssociationRole::Curator,
                *association,
                *person,
                *school_year,
                *order,
                None,
            ),
            ElectHead {
                association,
                person,
                school_year,
                vote,
            } => self.elect(
                AssociationRole::Head,
                *association,
                *person,
                *school_year,
                vote,
            ),
            ElectSecretary {
                association,
                person,
                school_year,
                vote,
            } => self.elect(
                AssociationRole::Secretary,
                *association,
                *person,
                *school_year,
                vote,
            ),
            UpdateMemberDatabase {
                association,
                school_year,
            } => {
                let state = self.live_association(*association)?;
                self.role_holder(
                    state,
                    &[AssociationRole::Head, AssociationRole::Secretary],
                    "актуализация банка данных членов",
                )?;
                if !school_year.contains(on) {
                    return Err(DomainError::DateOutsideSchoolYear {
                        date: on,
                        year: school_year.to_string(),
                    });
                }
                Ok(vec![MemberDatabaseUpdated {
                    association: *association,
                    school_year: *school_year,
                    member_count: state.member_count_on(on),
                }
                .into()])
            }
            RecordDevelopment {
                association,
                person,
                school_year,
                milestone,
            } => self.record_development(*association, *person, *school_year, *milestone),
            SubmitMembershipApplication {
                application,
                association,
                form,
                applicant,
                theme,
                school_year,
                period_from,
                period_to,
            } => self.submit_application(
                *application,
                *association,
                *form,
                *applicant,
                theme,
                *school_year,
                *period_from,
                *period_to,
            ),
            ApproveMembershipApplication { application } => {
                let (_, association) = self.decidable_application(*application)?;
                Ok(vec![MembershipApplicationApproved {
                    application: *application,
                    association,
                }
                .into()])
            }
            RejectMembershipApplication {
                application,
                reason,
            } => {
                let (_, association) = self.decidable_application(*application)?;
                Ok(vec![MembershipApplicationRejected {
                    application: *application,
                    association,
                    reason: required_text("причина отказа", reason, 2000)?,
                }
                .into()])
            }
            ReturnMembershipApplication {
                application,
                comment,
            } => {
                let (_, association) = self.decidable_application(*application)?;
                if comment.trim().is_empty() {
                    return Err(DomainError::DecisionTextRequired {
                        action: "возврат заявки на доработку",
                        what: "комментарий: что доработать",
                    });
                }
                Ok(vec![MembershipApplicationReturned {
                    application: *application,
                    association,
                    comment: required_text("комментарий к возврату", comment, 2000)?,
                }
                .into()])
            }
            OpenDocument {
                document,
                association,
                document_type,
                school_year,
                title,
                nomination,
            } => {
                if world.documents.get(document).is_some_and(|d| d.exists()) {
                    return Err(exists("документ", document));
                }
                let state = self.live_association(*association)?;
                self.document_author(state, *document_type)?;
                match (document_type, nomination) {
                    (DocumentType::Nomination, Some(n)) => {
                        world
                            .person(n.person)
                            .ok_or_else(|| not_found("лицо", n.person))?;
                        if n.role == AssociationRole::Secretary {
                            return Err(DomainError::InvalidStructure {
                                reason:
                                    "секретарь избирается членами, а не назначается по кандидатуре"
                                        .into(),
                            });
                        }
                    }
                    (DocumentType::Nomination, None) => {
                        return Err(DomainError::InvalidStructure {
                            reason: "в кандидатуре нужно указать лицо и роль (nomination)".into(),
                        })
                    }
                    (_, Some(_)) => {
                        return Err(DomainError::InvalidStructure {
                            reason: "лицо и роль указываются только в кандидатуре на назначение"
                                .into(),
                        })
                    }
                    (_, None) => {}
                }
                Ok(vec![DocumentOpened {
                    document: *document,
                    association: *association,
                    document_type: *document_type,
                    school_year: *school_year,
                    title: required_text("название документа", title, 500)?,
                    nomination: *nomination,
                }
                .into()])
            }
            SubmitDocumentVersion {
                document,
                content_hash,
                network_event,
                based_on,
            } => {
                let doc = world
                    .document(*document)
                    .ok_or_else(|| not_found("документ", document))?;
                let association_id = doc
                    .association
                    .ok_or_else(|| not_found("объединение", "документа"))?;
                let state = self.live_association(association_id)?;
                let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
                let author = self.document_author(state, document_type)?;
                self.submittable(doc)?;
                let rule = self.document_rule(document_type, state.level.unwrap_or(Level::City))?;
                let based_on = self.basis_document(doc, rule, *based_on)?;
                let network_event = match (document_type, network_event) {
                    (DocumentType::NetworkEventReport, Some(details)) => Some(check_network_event(details)?),
                    (DocumentType::NetworkEventReport, None) => {
                        return Err(DomainError::NetworkEventReportIncomplete {
                            missing: "сведения о событии (тема, дата, цель, аудитория, лист регистрации, фото)".into(),
                        })
                    }
                    (_, Some(_)) => {
                        return Err(DomainError::InvalidStructure {
                            reason: "сведения о сетевом событии прикладываются только к отчёту о сетевом событии".into(),
                        })
                    }
                    (_, None) => None,
                };
                let mut events: Vec<Event> = vec![DocumentVersionSubmitted {
                    document: *document,
                    association: association_id,
                    version: doc.last_version() + 1,
                    author,
                    content_hash: content_hash.clone(),
                    network_event,
                    based_on,
                }
                .into()];
                if !doc.chain_assigned {
                    events.push(self.assign_chain(doc, state)?.into());
                }
                Ok(events)
            }
            ApproveStep {
                document,
                step,
                comment,
                meeting,
                order,
                protocol_number,
            } => self.approve_step(
                *document,
                *step,
                comment.as_deref(),
                *meeting,
                *order,
                protocol_number.as_deref(),
            ),
            ReturnDocument {
                document,
                step,
                comment,
            } => self.return_document(*document, *step, comment),
            RejectDocument {
                document,
                step,
                reason,
            } => self.reject_document(*document, *step, reason),
            FinalizeDocument { document } => self.finalize_document(*document),
            RecordDeadlineMissed {
                deadline,
                association,
                document,
                due,
                version,
                step,
                document_type,
            } => self.record_deadline_missed(
                *deadline,
                *association,
                *document,
                *due,
                *version,
                *step,
                *document_type,
            ),
            DesignateDeputy {
                association,
                role,
                deputy,
                until,
                order,
            } => self.designate_deputy(*association, *role, *deputy, *until, *order),
            ScheduleMeeting {
                meeting,
                association,
                date,
                agenda,
            } => {
                if world.meetings.get(meeting).is_some_and(|m| m.exists()) {
                    return Err(exists("заседание", meeting));
                }
                let state = self.live_association(*association)?;
                self.role_holder(
                    state,
                    &[AssociationRole::Head, AssociationRole::Secretary],
                    "планирование заседания",
                )?;
                if *date < on {
                    return Err(DomainError::DateTooEarly {
                        what: "дата заседания",
                        date: *date,
                        earliest: on,
                    });
                }
                let agenda = agenda
                    .iter()
                    .map(|q| required_text("вопрос повестки", q, 2000))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(vec![MeetingScheduled {
                    meeting: *meeting,
                    association: *association,
                    date: *date,
                    agenda,
                }
                .into()])
            }
            HoldMeeting {
                meeting,
                association,
                attendance,
                questions,
                recommendations,
            } => self.hold_meeting(
                *meeting,
                *association,
                attendance,
                questions,
                recommendations,
            ),
            DraftProtocol {
                meeting,
                number,
                content_hash,
            } => {
                let (m, state) = self.meeting_with_association(*meeting)?;
                if let Some(held_on) = m.date.filter(|d| m.is_held() && on < *d) {
                    return Err(DomainError::DateTooEarly {
                        what: "протокол оформляется, подписывается и исправляется после заседания",
                        date: on,
                        earliest: held_on,
                    });
                }
                let rules = &self.profile().meetings;
                // A draft may be redone until it is signed; the last draft is what gets signed.
                if !matches!(
                    m.status,
                    MeetingStatus::Held | MeetingStatus::ProtocolDrafted
                ) {
                    return Err(match m.status {
                        MeetingStatus::ProtocolSigned => DomainError::ProtocolAlreadySigned,
                        other => DomainError::MeetingState {
                            state: other.in_russian(),
                            action: "оформление протокола",
                        },
                    });
                }
                let drafter_role = rules.protocol_drafted_by;
                let drafter = self
                    .role_holder(state, &[drafter_role], "оформление протокола")
                    .map_err(|_| DomainError::ProtocolDrafterMismatch {
                        role: drafter_role.in_russian(),
                        clause: rules.protocol_clause.clone(),
                    })?;
                Ok(vec![ProtocolDrafted {
                    meeting: *meeting,
                    association: state.id.unwrap_or(*association_of(m)),
                    number: required_text("номер протокола", number, 50)?,
                    drafted_by: drafter,
                    content_hash: content_hash.clone(),
                }
                .into()])
            }
            SignProtocol { meeting } => {
                let (m, state) = self.meeting_with_association(*meeting)?;
                if let Some(held_on) = m.date.filter(|d| m.is_held() && on < *d) {
                    return Err(DomainError::DateTooEarly {
                        what: "протокол оформляется, подписывается и исправляется после заседания",
                        date: on,
                        earliest: held_on,
                    });
                }
                let rules = &self.profile().meetings;
                match m.status {
                    MeetingStatus::ProtocolDrafted => {}
                    MeetingStatus::ProtocolSigned => {
                        return Err(DomainError::ProtocolAlreadySigned)
                    }
                    other => {
                        return Err(DomainError::MeetingState {
                            state: other.in_russian(),
                            action: "подписание протокола",
                        })
                    }
                }
                let signer_role = rules.protocol_signed_by;
                let signer = self
                    .role_holder(state, &[signer_role], "подписание протокола")
                    .map_err(|_| DomainError::ProtocolSignerMismatch {
                        role: signer_role.in_russian(),
                        clause: rules.protocol_clause.clone(),
                    })?;
                self.protocol_basis(m, state);
                Ok(vec![ProtocolSigned {
                    meeting: *meeting,
                    association: *association_of(m),
                    signed_by: signer,
                    content_hash: m
                        .protocol_hash
                        .clone()
                        .ok_or_else(|| not_found("проект протокола", meeting))?,
                }
                .into()])
            }
            CorrectProtocol {
                meeting,
                content_hash,
                reason,
            } => {
                let (m, state) = self.meeting_with_association(*meeting)?;
                if let Some(held_on) = m.date.filter(|d| m.is_held() && on < *d) {
                    return Err(DomainError::DateTooEarly {
                        what: "протокол оформляется, подписывается и исправляется после заседания",
                        date: on,
                        earliest: held_on,
                    });
                }
                let rules = &self.profile().meetings;
                if m.status != MeetingStatus::ProtocolSigned {
                    return Err(DomainError::MeetingState {
                        state: m.status.in_russian(),
                        action: "исправление подписанного протокола",
                    });
                }
                let signer_role = rules.protocol_signed_by;
                let by = self
                    .role_holder(state, &[signer_role], "исправление протокола")
                    .map_err(|_| DomainError::ProtocolSignerMismatch {
                        role: signer_role.in_russian(),
                        clause: rules.protocol_clause.clone(),
                    })?;
                // Every correction refers to the signed text it corrects.
                let corrects = m
                    .protocol_hash
                    .clone()
                    .ok_or_else(|| not_found("протокол", meeting))?;
                self.protocol_basis(m, state);
                Ok(vec![ProtocolCorrected {
                    meeting: *meeting,
                    association: *association_of(m),
                    corrects,
                    content_hash: content_hash.clone(),
                    reason: required_text("причина исправления", reason, 2000)?,
                    corrected_by: by,
                }
                .into()])
            }
        }
    }

    fn registry(
        &self,
        id: crate::ids::MunicipalityId,
    ) -> Result<&'a MunicipalityState, DomainError> {
        self.ctx
            .world
            .municipalities
            .get(&id)
            .filter(|m| m.exists())
            .ok_or_else(|| not_found("муниципалитет", id))
    }

    fn kind_provided(&self, kind: crate::values::AssociationKind) -> Result<(), DomainError> {
        let s = &self.profile().structure;
        if !s.kinds.contains(&kind) {
            return Err(DomainError::KindNotProvided {
                kind: kind.in_russian(),
                clause: s.kinds_clause.clone(),
            });
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn create_association(
        &mut self,
        association: AssociationId,
        title: &str,
        subject: &crate::values::Subject,
        level: Level,
        kind: crate::values::AssociationKind,
        (group_membership, district, organization): (
            Option<crate::values::GroupMembership>,
            Option<crate::ids::DistrictId>,
            Option<crate::ids::OrganizationId>,
        ),
        order: OrderId,
        review: Option<CouncilReview>,
        curating_organization: Option<crate::ids::OrganizationId>,
    ) -> Result<Vec<Event>, DomainError> {
        if self
            .ctx
            .world
            .associations
            .get(&association)
            .is_some_and(|a| a.exists())
        {
            return Err(exists("объединение", association));
        }
        let s = &self.profile().structure;
        if !s.levels.contains(&level) {
            return Err(DomainError::LevelNotProvided {
                level: level.in_russian(),
                clause: s.levels_clause.clone(),
            });
        }
        self.kind_provided(kind)?;
        let creation = s.creation_for(level);
        let order_state = self.scoped_order(
            order,
            creation.issuer,
            creation.review_by,
            review.as_ref(),
            district,
            organization,
            creation.clause,
        )?;
        let municipality = self.municipality()?;
        if order_state.municipality != municipality.id {
            return Err(DomainError::InvalidStructure {
                reason: "приказ издан в другом муниципалитете".into(),
            });
        }
        match (level, district, organization) {
            (Level::District, None, _) => {
                return Err(DomainError::InvalidStructure {
                    reason: "у районного объединения должен быть указан район".into(),
                })
            }
            (Level::School, _, None) => {
                return Err(DomainError::InvalidStructure {
                    reason: "у школьного объединения должна быть указана организация".into(),
                })
            }
            _ => {}
        }
        if let Some(d) = district {
            if !municipality.districts.contains_key(&d) {
                return Err(not_found("район", d));
            }
        }
        if let Some(o) = organization {
            if !municipality.organizations.contains_key(&o) {
                return Err(not_found("организация", o));
            }
        }
        if let Some(o) = curating_organization {
            if !municipality.organizations.contains_key(&o) {
                return Err(not_found("курирующая организация", o));
            }
        }
        if group_membership.is_some() && kind != crate::values::AssociationKind::WorkingGroup {
            return Err(DomainError::InvalidStructure {
                reason: "постоянный или сменный состав указывается только для рабочих (проблемных) групп (003 §IV)".into(),
            });
        }
        Ok(vec![AssociationCreated {
            association,
            municipality: municipality
                .id
                .ok_or_else(|| not_found("муниципалитет", "?"))?,
            title: required_text("название объединения", title, 500)?,
            subject: subject.clone(),
            level,
            kind,
            group_membership,
            district,
            organization,
            order,
            review,
            curating_organization,
        }
        .into()])
    }

    fn admit_member(
        &mut self,
        association: AssociationId,
        member: Member,
        basis: AdmissionBasis,
        district_association: Option<AssociationId>,
    ) -> Result<Vec<Event>, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let state = self.live_association(association)?;
        if let Some(existing) = state.membership_of(member, on) {
            return Err(DomainError::AlreadyMember {
                member: member.to_string(),
                since: existing.term.from,
            });
        }
        let membership = &self.profile().membership;
        let (mut school_year, mut until, mut from) = (None, None, None);
        match basis {
            AdmissionBasis::Application(id) => {
                let application = world
                    .application(id)
                    .ok_or_else(|| not_found("заявка", id))?;
                if application.status != ApplicationStatus::Approved
                    || application.association != Some(association)
                    || application.applicant != Some(member)
                {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                self.operator_or_official(
                    &[
                        membership.receiver.unwrap_or(BodyKind::MethodicalCenter),
                        BodyKind::Department,
                    ],
                    "включение в состав по заявке",
                )?;
                if application.period_to.is_some_and(|to| to < on) {
                    return Err(DomainError::ApplicationPeriodOver {
                        to: application.period_to.unwrap_or(on),
                        clause: membership.clause.clone(),
                    });
                }
                school_year = application.school_year;
                until = application.period_to;
                from = application.period_from.filter(|from| *from > on);
            }
            AdmissionBasis::Order(order) => {
                if membership.applications {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                // The composition is set by the body that creates associations of this level,
                // within its own district or school (003 §I.4; 000 §7.4).
                self.creating_body_order(order, state, Some(membership.clause.clone()))?;
            }
            AdmissionBasis::Meeting(meeting) => {
                if membership.applications {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                let m = world
                    .meeting(meeting)
                    .ok_or_else(|| not_found("заседание", meeting))?;
                if m.association != Some(association) || !m.is_held() {
                    return Err(DomainError::MembershipBasisRequired {
                        clause: membership.clause.clone(),
                    });
                }
                self.role_holder(
                    state,
                    &[AssociationRole::Head, AssociationRole::Secretary],
                    "включение в состав по решению заседания",
                )?;
                self.protocol_basis(m, state);
            }
        }
        if let Member::Person(p) = member {
            let person = world.person(p).ok_or_else(|| not_found("лицо", p))?;
            if let (Some(Level::District), Some(district)) = (state.level, state.district) {
                let works_in = person
                    .position_on(on)
                    .and_then(|(org, _)| self.municipality().ok()?.organizations.get(&org))
                    .and_then(|o| o.district);
                if works_in != Some(district) {
                    return Err(DomainError::NotOfTheDistrict {
                        person: p.to_string(),
                        clause: membership.clause.clone(),
                    });
                }
            }
            // 000 §4.1: a city association is made of the district heads of its subject.
            if let (Some(Level::City), Some(rule)) = (
                state.level,
                &self.profile().structure.city_members_are_district_heads,
            ) {
                let heads_a_district = district_association.is_some_and(|d| {
                    world.association(d).is_some_and(|d| {
                        d.city_association == Some(association)
                            && d.holder(AssociationRole::Head, on) == Some(p)
                    })
                });
                if !heads_a_district {
                    return Err(DomainError::NotADistrictHead {
                        person: p.to_string(),
                        date: on,
                        clause: rule.clone(),
                    });
                }
                // Membership lasts as long as the district headship it comes from.
                until = district_association
                    .and_then(|d| world.association(d))
                    .and_then(|d| {
                        d.roles
                            .iter()
                            .filter(|r| {
                                r.role == AssociationRole::Head
                                    && r.person == p
                                    && r.term.covers(on)
                            })
                            .filter_map(|r| r.term.to)
                            .max()
                    });
            }
        }
        Ok(vec![MemberAdmitted {
            association,
            member,
            school_year,
            until,
            from,
            basis,
        }
        .into()])
    }

    fn appoint(
        &mut self,
        role: AssociationRole,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        order: OrderId,
        review: Option<CouncilReview>,
    ) -> Result<Vec<Event>, DomainError> {
        let state = self.live_association(association)?;
        let rule = self.fill_rule(role, state, FillMethod::Order)?;
        let issuer = rule.issuer.unwrap_or(BodyKind::Department);
        let order_state = self.scoped_order(
            order,
            issuer,
            rule.review_by,
            review.as_ref(),
            state.district,
            state.organization,
            &rule.clause,
        )?;
        // The curator is appointed by the head of the institution that curates this
        // association (003 §I.4, §7.2), not by any curating institution.
        if let (BodyKind::CuratingInstitution, Some(curating)) =
            (issuer, state.curating_organization)
        {
            let issued_by = order_state
                .issuer
                .and_then(|b| self.municipality().ok()?.bodies.get(&b))
                .and_then(|b| b.organization);
            if issued_by != Some(curating) {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "учреждение, курирующее это объединение",
                    actual: "другое учреждение",
                    clause: rule.clause.clone(),
                });
            }
        }
        if !school_year.contains(self.date()) && school_year.first_day() < self.date() {
            return Err(DomainError::DateOutsideSchoolYear {
                date: self.date(),
                year: school_year.to_string(),
            });
        }
        self.check_eligibility(role, person)?;
        let until = rule.yearly.then(|| school_year.last_day());
        Ok(vec![match role {
            AssociationRole::Head => HeadAppointed {
                association,
                person,
                school_year,
                until,
                order,
                review,
            }
            .into(),
            _ => CuratorAppointed {
                association,
                person,
                school_year,
                until,
                order,
            }
            .into(),
        }])
    }

    fn check_eligibility(
        &self,
        role: AssociationRole,
        person: PersonId,
    ) -> Result<(), DomainError> {
        let person_state = self
            .ctx
            .world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        if let Some(rule) = self.profile().eligibility_rule(role) {
            let organization_kind = person_state
                .position_on(self.date())
                .and_then(|(org, _)| self.municipality().ok()?.organizations.get(&org))
                .map(|o| o.kind);
            if let Err(why) = eligibility::check(rule, person_state, organization_kind, self.date())
            {
                return Err(match role {
                    AssociationRole::Curator => DomainError::CuratorNotEligible {
                        requirement: why.requirement,
                        found: why.found,
                        clause: rule.clause.clone(),
                    },
                    _ => DomainError::HeadNotEligible {
                        requirement: why.requirement,
                        found: why.found,
                        clause: rule.clause.clone(),
                    },
                });
            }
        }
        Ok(())
    }

    fn elect(
        &mut self,
        role: AssociationRole,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        vote: &Vote,
    ) -> Result<Vec<Event>, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let state = self.live_association(association)?;
        let rule = self.fill_rule(role, state, FillMethod::Election)?;
        let meeting = world
            .meeting(vote.meeting)
            .ok_or_else(|| not_found("заседание", vote.meeting))?;
        if meeting.association != Some(association) || !meeting.is_held() {
            return Err(DomainError::VoteMeetingInvalid {
                reason: "заседание не проведено или проведено другим объединением".into(),
                clause: rule.clause.clone(),
            });
        }
        if meeting.date != Some(on) {
            return Err(DomainError::VoteMeetingInvalid {
                reason: format!("дата избрания {on} не совпадает с датой заседания"),
                clause: rule.clause.clone(),
            });
        }
        // The actor records the vote: a member present at that meeting.
        match self.ctx.acting {
            Acting::Person(p)
                if meeting.attendance.contains(&p) && state.is_member(Member::Person(p), on) =>
            {
                self.acted_as = "member".into();
            }
            _ => {
                return Err(DomainError::VoteRecorderNotAMember {
                    clause: rule.clause.clone(),
                })
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for voter in &vote.present {
            if !seen.insert(voter) {
                return Err(DomainError::VoteMeetingInvalid {
                    reason: format!("{voter} указан(а) дважды"),
                    clause: rule.clause.clone(),
                });
            }
            if !state.is_member(Member::Person(*voter), on) {
                return Err(DomainError::VoterNotAMember {
                    clause: rule.clause.clone(),
                    person: voter.to_string(),
                    date: on,
                });
            }
            if !meeting.attendance.contains(voter) {
                return Err(DomainError::VoteMeetingInvalid {
                    reason: format!("{voter} не присутствовал(а) на заседании"),
                    clause: rule.clause.clone(),
                });
            }
        }
        // The members present are everyone of them who attended: leaving someone out of the
        // count would let a minority pass for a majority (003 §7.4).
        let attending_members: std::collections::BTreeSet<&PersonId> = meeting
            .attendance
            .iter()
            .filter(|p| state.is_member(Member::Person(**p), on))
            .collect();
        if seen != attending_members {
            return Err(DomainError::VoteMeetingInvalid {
                reason: format!(
                    "в голосовании указаны {} из {} членов, присутствовавших на заседании",
                    seen.len(),
                    attending_members.len()
                ),
                clause: rule.clause.clone(),
            });
        }
        if !vote_adds_up(vote) {
            return Err(DomainError::VoteCountMismatch {
                clause: rule.clause.clone(),
                votes_for: vote.votes_for,
                against: vote.against,
                abstained: vote.abstained,
                present: vote.present.len() as u32,
            });
        }
        let majority = rule.majority.unwrap_or(Majority::OfAllMembers);
        let base = match majority {
            Majority::OfAllMembers => state
                .memberships
                .iter()
                .filter(|m| m.term.covers(on) && matches!(m.member, Member::Person(_)))
                .count() as u32,
            Majority::OfMembersPresent => vote.present.len() as u32,
        };
        if u64::from(vote.votes_for) * 2 <= u64::from(base) {
            return Err(DomainError::NoMajority {
                votes_for: vote.votes_for,
                base,
                majority: majority.in_russian(),
                clause: rule.clause.clone(),
            });
        }
        // Elected from the members («руководитель ... избирается ... членов»).
        if !state.is_member(Member::Person(person), on) {
            return Err(DomainError::NotAMember {
                member: format!("кандидат {person}"),
                date: on,
                clause: rule.clause.clone(),
            });
        }
        if !school_year.contains(on) {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: school_year.to_string(),
            });
        }
        if role == AssociationRole::Head {
            self.check_eligibility(role, person)?;
        }
        self.protocol_basis(meeting, state);
        let vote = vote.clone();
        let until = rule.yearly.then(|| school_year.last_day());
        Ok(vec![match role {
            AssociationRole::Head => HeadElected {
                association,
                person,
                school_year,
                until,
                vote,
            }
            .into(),
            _ => SecretaryElected {
                association,
                person,
                school_year,
                until,
                vote,
            }
            .into(),
        }])
    }

    #[allow(clippy::too_many_arguments)]
    fn submit_application(
        &mut self,
        application: crate::ids::ApplicationId,
        association: AssociationId,
        form: ApplicationForm,
        applicant: Member,
        theme: &str,
        school_year: SchoolYear,
        period_from: NaiveDate,
        period_to: NaiveDate,
    ) -> Result<Vec<Event>, DomainError> {
        let world = self.ctx.world;
        // A returned application comes back under its own id, for the same applicant and
        // association; any other application id is new.
        if let Some(earlier) = world.applications.get(&application).filter(|a| a.exists()) {
            if earlier.status != ApplicationStatus::Returned {
                return Err(exists("заявка", application));
            }
            if earlier.association != Some(association)
                || earlier.applicant != Some(applicant)
                || earlier.form != Some(form)
            {
                return Err(DomainError::InvalidStructure {
                    reason: "доработанная заявка подаётся тем же заявителем, по той же форме и в то же объединение".into(),
                });
            }
        }
        let rules = &self.profile().membership;
        if !rules.applications {
            return Err(DomainError::ApplicationsNotProvided {
                clause: rules.clause.clone(),
            });
        }
        if !rules.forms.contains(&form) {
            return Err(DomainError::ApplicationFormNotProvided {
                form: match form {
                    ApplicationForm::Teacher => "на педагогического работника (форма 1)",
                    ApplicationForm::Organization => "на образовательное учреждение (форма 2)",
                },
                clause: rules.clause.clone(),
            });
        }
        let state = self.live_association(association)?;
        let municipality = self.municipality()?;
        match (form, applicant) {
            (ApplicationForm::Teacher, Member::Person(p)) => {
                world.person(p).ok_or_else(|| not_found("лицо", p))?;
                match self.ctx.acting {
                    Acting::Operator => self.acted_as = "operator".into(),
                    Acting::Person(actor) if actor == p => self.acted_as = "applicant".into(),
                    Acting::Person(actor) => {
                        // The head of the teacher's organization signs form 1 (М.П.).
                        let org = world
                            .person(p)
                            .and_then(|s| s.position_on(self.date()))
                            .map(|(o, _)| o);
                        let signer = world.person(actor).and_then(|s| s.position_on(self.date()));
                        if !(signer.is_some_and(|(o, k)| {
                            Some(o) == org && k == crate::values::PositionKind::Director
                        })) {
                            return Err(DomainError::NotAuthorized {
                                reason: "заявку по форме 1 подаёт сам педагог или руководитель его организации".into(),
                            });
                        }
                        self.acted_as = "director".into();
                    }
                }
            }
            (ApplicationForm::Organization, Member::Organization(o)) => {
                if !municipality.organizations.contains_key(&o) {
                    return Err(not_found("организация", o));
                }
                match self.ctx.acting {
                    Acting::Operator => self.acted_as = "operator".into(),
                    Acting::Person(actor) => {
                        let signer = world.person(actor).and_then(|s| s.position_on(self.date()));
                        if !signer.is_some_and(|(org, k)| {
                            org == o && k == crate::values::PositionKind::Director
                        }) {
                            return Err(DomainError::NotAuthorized {
                                reason: "заявку по форме 2 подаёт руководитель образовательного учреждения".into(),
                            });
                        }
                        self.acted_as = "director".into();
                    }
                }
            }
            _ => return Err(DomainError::InvalidStructure {
                reason:
                    "форма 1 подаётся на педагога, форма 2 — на организацию (002, приложения 1 и 2)"
                        .into(),
            }),
        }
        // An application is for the school year under way or the coming one.
        let current = SchoolYear::containing(self.date());
        if school_year != current && school_year != current.next() {
            return Err(DomainError::DateOutsideSchoolYear {
                date: self.date(),
                year: school_year.to_string(),
            });
        }
        if let Some((expected_from, expected_to)) = self.profile().application_period(school_year) {
            if period_from != expected_from || period_to != expected_to {
                return Err(DomainError::ApplicationPeriodMismatch {
                    from: period_from,
                    to: period_to,
                    expected_from,
                    expected_to,
                    clause: rules.clause.clone(),
                });
            }
        }
        let _ = state;
        Ok(vec![MembershipApplicationSubmitted {
            application,
            association,
            form,
            applicant,
            theme: required_text("тема", theme, 1000)?,
            school_year,
            period_from,
            period_to,
        }
        .into()])
    }

    fn decidable_application(
        &mut self,
        id: crate::ids::ApplicationId,
    ) -> Result<(&'a crate::state::ApplicationState, AssociationId), DomainError> {
        let state = self
            .ctx
            .world
            .application(id)
            .ok_or_else(|| not_found("заявка", id))?;
        if state.status != ApplicationStatus::Submitted {
            return Err(DomainError::ApplicationAlreadyDecided {
                clause: self.profile().membership.clause.clone(),
                state: state.status.in_russian(),
            });
        }
        if let Some(association) = state.association {
            self.live_association(association)?;
        }
        let receiver = self
            .profile()
            .membership
            .receiver
            .unwrap_or(BodyKind::MethodicalCenter);
        self.operator_or_official(&[receiver], "решение по заявке")?;
        let association = state
            .association
            .ok_or_else(|| not_found("объединение", "заявки"))?;
        Ok((state, association))
    }

    /// The profile's rule for a document of this type at this level; refused, citing the
    /// regulation's list of documentation, where the profile provides none.
    pub(crate) fn document_rule(
        &self,
        document_type: DocumentType,
        level: Level,
    ) -> Result<&'a crate::profile::DocumentRule, DomainError> {
        self.profile()
            .document_rule(document_type, level)
            .ok_or_else(|| DomainError::DocumentNotProvided {
                document: document_type.in_russian(),
                level: level.in_russian(),
                clause: self.profile().documentation_clause(level),
            })
    }

    /// The document a version cites as its basis, where its rule `requires` one (002 §5.8,
    /// §4.1: the road map is developed on the technical assignment agreed with the curator).
    /// The command names it, so the handler loads it with the document: the association's
    /// own stream does not know its documents, and a cited id is also what the version
    /// records. It must be of the required type, of the same association and school year, and
    /// approved (or, where its chain is empty, recorded) by the day of the version.
    fn basis_document(
        &self,
        doc: &crate::state::DocumentState,
        rule: &crate::profile::DocumentRule,
        cited: Option<crate::ids::DocumentId>,
    ) -> Result<Option<crate::ids::DocumentId>, DomainError> {
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        let (Some(required), Some(clause)) = (rule.requires, rule.requires_clause.as_ref()) else {
            return match cited {
                None => Ok(None),
                Some(_) => Err(DomainError::InvalidStructure {
                    reason: format!(
                        "документ «{}» не разрабатывается на основе другого: основание (based_on) не указывается",
                        document_type.in_russian()
                    ),
                }),
            };
        };
        let refused = |reason: String| DomainError::BasisDocumentRequired {
            document: document_type.in_russian(),
            basis: required.in_russian(),
            reason,
            clause: clause.clone(),
        };
        let Some(id) = cited else {
            return Err(refused("основание не указано (based_on)".into()));
        };
        let Some(basis) = self.ctx.world.document(id) else {
            return Err(refused(format!("документ {id} не найден")));
        };
        if basis.document_type != Some(required) {
            return Err(refused(format!(
                "документ {id} — «{}»",
                basis
                    .document_type
                    .map(DocumentType::in_russian)
                    .unwrap_or("?")
            )));
        }
        if basis.association != doc.association {
            return Err(refused(format!("документ {id} другого объединения")));
        }
        if basis.school_year != doc.school_year {
            return Err(refused(format!(
                "документ {id} на {} учебный год, а этот — на {}",
                basis.school_year.map(|y| y.to_string()).unwrap_or_default(),
                doc.school_year.map(|y| y.to_string()).unwrap_or_default()
            )));
        }
        let on = self.date();
        let since = match basis.status {
            crate::state::DocumentStatus::Approved => basis.closed_on,
            crate::state::DocumentStatus::Recorded => basis.first_submitted_on(),
            _ => None,
        };
        match since {
            Some(since) if since <= on => Ok(Some(id)),
            Some(since) => Err(refused(format!(
                "документ {id} утверждён только {since}, позже {on}"
            ))),
            None => Err(refused(format!(
                "документ {id} не утверждён: {}",
                basis.status.in_russian()
            ))),
        }
    }

    /// The actor may author a document of this type for this association; returns the author.
    pub(crate) fn document_author(
        &mut self,
        state: &AssociationState,
        document_type: DocumentType,
    ) -> Result<PersonId, DomainError> {
        let level = state.level.unwrap_or(Level::City);
        let rule = self.document_rule(document_type, level)?;
        let person = self.person_id();
        let on = self.date();
        for author in &rule.authors {
            let ok = match (author, person) {
                (crate::profile::DocumentAuthor::Head, Some(p)) => {
                    state.holder(AssociationRole::Head, on) == Some(p)
                }
                (crate::profile::DocumentAuthor::Curator, Some(p)) => {
                    state.holder(AssociationRole::Curator, on) == Some(p)
                }
                (crate::profile::DocumentAuthor::MethodicalCenter, Some(p)) => self
                    .municipality()
                    .is_ok_and(|m| m.is_official_of_kind(p, BodyKind::MethodicalCenter, on)),
                (_, None) => false,
            };
            if ok {
                self.acted_as = serde_plain(author);
                return person.ok_or(DomainError::PersonalDataNotSealed);
            }
        }
        Err(DomainError::DocumentAuthorMismatch {
            document: document_type.in_russian(),
            authors: rule
                .authors
                .iter()
                .map(|a| a.in_russian())
                .collect::<Vec<_>>()
                .join(" или "),
            clause: rule.clause.clone(),
        })
    }

    fn hold_meeting(
        &mut self,
        meeting: crate::ids::MeetingId,
        association: AssociationId,
        attendance: &[PersonId],
        questions: &[QuestionDecision],
        recommendations: &[String],
    ) -> Result<Vec<Event>, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        if let Some(existing) = world.meeting(meeting) {
            if existing.status != MeetingStatus::Scheduled {
                return Err(DomainError::MeetingState {
                    state: existing.status.in_russian(),
                    action: "проведение заседания",
                });
            }
            if existing.association != Some(association) {
                return Err(DomainError::InvalidStructure {
                    reason: "заседание запланировано другим объединением".into(),
                });
            }
        }
        let state = self.live_association(association)?;
        let head_or_secretary = [AssociationRole::Head, AssociationRole::Secretary]
            .iter()
            .any(|role| state.holder(*role, on).is_some());
        // Only where the members elect their head can a meeting be held before anyone holds
        // office (003 §7.4); where an order appoints the head, a meeting waits for one.
        let heads_elected = self
            .profile()
            .role_rule(AssociationRole::Head, state.level.unwrap_or(Level::City))
            .is_some_and(|r| r.method == FillMethod::Election);
        match self.ctx.acting {
            // The first meeting of a new association, before anyone is elected (003 §7.4):
            // a member present records it.
            Acting::Person(p)
                if !head_or_secretary
                    && heads_elected
                    && attendance.contains(&p)
                    && state.is_member(Member::Person(p), on) =>
            {
                self.acted_as = "member".into();
            }
            _ => {
                self.role_holder(
                    state,
                    &[
                        AssociationRole::Head,
                        AssociationRole::Secretary,
                        AssociationRole::Curator,
                    ],
                    "запись о проведённом заседании",
                )?;
            }
        }
        if questions.is_empty() {
            return Err(DomainError::InvalidStructure {
                reason: "на заседании должен быть рассмотрен хотя бы один вопрос".into(),
            });
        }
        let rules = &self.profile().meetings;
        let mut checked = Vec::with_capacity(questions.len());
        for q in questions {
            let question = required_text("вопрос заседания", &q.question, 2000)?;
            if rules.every_question_decided && q.decision.trim().is_empty() {
                return Err(DomainError::QuestionWithoutDecision {
                    question,
                    clause: rules.decisions_clause.clone(),
                });
            }
            checked.push(QuestionDecision {
                question,
                decision: q.decision.trim().to_string(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for person in attendance {
            if !seen.insert(person) {
                return Err(DomainError::InvalidStructure {
                    reason: format!("{person} дважды указан(а) в списке присутствующих"),
                });
            }
        }
        let recommendations = recommendations
            .iter()
            .map(|r| required_text("рекомендация", r, 2000))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(vec![MeetingHeld {
            meeting,
            association,
            date: on,
            school_year: SchoolYear::containing(on),
            attendance: attendance.to_vec(),
            questions: checked,
            recommendations,
        }
        .into()])
    }

    pub(crate) fn meeting_with_association(
        &self,
        meeting: crate::ids::MeetingId,
    ) -> Result<(&'a MeetingState, &'a AssociationState), DomainError> {
        let m = self
            .ctx
            .world
            .meeting(meeting)
            .ok_or_else(|| not_found("заседание", meeting))?;
        let association = m
            .association
            .ok_or_else(|| not_found("объединение", "заседания"))?;
        Ok((m, self.live_association(association)?))
    }
}

fn association_of(m: &MeetingState) -> &AssociationId {
    // Every existing meeting has its association (set by its first event).
    m.association.as_ref().unwrap_or(&NIL_ASSOCIATION)
}

static NIL_ASSOCIATION: AssociationId = AssociationId::from_uuid(uuid::Uuid::nil());

/// 002 §5.11: topic, date, goal, audience, attendance list and photo/screenshot are required.
fn check_network_event(details: &NetworkEventDetails) -> Result<NetworkEventDetails, DomainError> {
    let mut missing = Vec::new();
    if details.topic.trim().is_empty() {
        missing.push("тема");
    }
    if details.goal.trim().is_empty() {
        missing.push("цель");
    }
    if details.audience.trim().is_empty() {
        missing.push("целевая аудитория");
    }
    if details.attendance_count == 0 || details.attendance_count < details.attendees.len() as u32 {
        missing.push("лист регистрации участников (число участников)");
    }
    if details.evidence.is_empty() {
        missing.push("фото или скриншот");
    }
    if !missing.is_empty() {
        return Err(DomainError::NetworkEventReportIncomplete {
            missing: missing.join(", "),
        });
    }
    let mut clean = details.clone();
    clean.topic = details.topic.trim().to_string();
    clean.goal = details.goal.trim().to_string();
    clean.audience = details.audience.trim().to_string();
    Ok(clean)
}

/// The snake_case wire name of a unit enum value.
pub(crate) fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
