//! The profiles with one municipal level: Kuznetsk (001: an ММО of all the teachers of a
//! subject, heads by the Управление's order, a plan published by the Управление, the
//! effectiveness indicators of §4.1), Izhevsk (002: ГМО by the Center's order after its
//! council, yearly applications on forms 1 and 2 for 1 Sep – 31 May, curators by order
//! with the §5.3 rule, the technical assignment and the road map agreed by the curator,
//! network-event reports, the year's analysis and the curator's report) and Pervouralsk
//! (004: school and city subject associations, heads by the school's and the methodical
//! center's orders, meetings and protocols — the seed sets no documents).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::commands::{
    AdmitMember, AppointCurator, AppointHead, ApproveMembershipApplication, ChangeCategory,
    CreateAssociation, DismissPerson, OpenDocument, PublishDocument, RecordDevelopment,
    RejectDocument, RejectMembershipApplication, RemoveMember, SubmitDocumentVersion,
    SubmitMembershipApplication, TransferPerson,
};
use domain::events::{AdmissionBasis, CouncilReview, Member, NetworkEventDetails};
use domain::ids::{ApplicationId, AssociationId, BodyId, DocumentId, OrganizationId, PersonId};
use domain::profile::{ApplicationForm, FillMethod, WorkPlace};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, Category, CategoryLevel, DevelopmentMilestone,
    DocumentType, Level, Office, PositionKind,
};
use domain::{Acting, Command, RegulationProfile, SchoolYear};

use super::{content, day, decided, plus, subject_name, Association, Generator, Turn};

/// Cross-subject themes of ГМО where members come by application (002 §5.1: the topics are
/// set by the Center's council), besides one ГМО per subject.
const THEMES: &[&str] = &[
    "функциональная грамотность",
    "школа молодого педагога",
    "инклюзивное образование",
    "проектная и исследовательская деятельность",
    "наставничество",
    "классное руководство",
    "работа с одарёнными детьми",
    "цифровая образовательная среда",
    "подготовка к государственной итоговой аттестации",
    "профориентация и профильное обучение",
    "воспитание и социализация",
    "удмуртский язык и литература",
];

/// The school associations of Pervouralsk (004 §8): one per cycle of subjects.
const CYCLES: &[&str] = &[
    "ШМО учителей естественно-математического цикла",
    "ШМО учителей гуманитарного цикла",
    "ШМО учителей начальных классов",
    "ШМО учителей эстетического цикла и физической культуры",
    "ШМО специалистов сопровождения",
];

/// The cycle of a subject (an index into `SUBJECTS`).
fn cycle_of(subject: usize) -> usize {
    match subject {
        0 | 5..=9 => 0,
        1 | 3 | 4 | 15 => 1,
        2 => 2,
        10..=14 => 3,
        _ => 4,
    }
}

/// Topics of network events (002 §5.4: seminars, round tables, master classes…).
const EVENTS: &[&str] = &[
    "Семинар «Формирующее оценивание на уроке»",
    "Круглый стол «Обновлённые ФГОС: первые итоги»",
    "Мастер-класс «Цифровые инструменты учителя»",
    "Педагогическая мастерская «Смысловое чтение»",
    "Консультация «Подготовка к государственной итоговой аттестации»",
    "Взаимопосещение уроков «Лучшие практики»",
];

/// How the year of a one-level profile goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    /// Members by yearly application (002 §5.2), else by the creating body's order.
    applications: bool,
    /// Members by the registry, no admission (001 §1.3): a teacher who leaves is dismissed
    /// in the registry.
    from_registry: bool,
    /// Curators by order, with their rule (002 §5.3).
    curators: bool,
    /// School associations under the city ones (004 §6, §8).
    school_level: bool,
    /// Development records for the indicators (001 §4.1.2–4.1.3).
    indicators: bool,
    /// The council that reviews the list before the creating order (002 §5.1).
    review: Option<BodyKind>,
    /// Whether that council decides each application at a sitting (002 §5.1).
    council_decides_applications: bool,
    /// Who creates the associations and sets their composition.
    creator: BodyKind,
    /// Who appoints the city heads.
    head_issuer: BodyKind,
    /// School associations created, and their composition set, by the order of each
    /// school's own administration (004 §7).
    school_by_administration: bool,
    /// School heads are the school's director or deputy heads (004 §7).
    school_heads_from_administration: bool,
    /// City heads work at the methodical center (004 §7).
    city_heads_from_center: bool,
}

/// Who curates a ГМО (002 §5.3): a specialist of the Center, or a teacher of the highest
/// category with five years in the specialty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curator {
    Specialist(usize),
    Teacher(usize),
}

/// Who heads an association: a teacher of the generator, or someone of the staff (004 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Teacher(usize),
    Staff(PersonId),
}

/// A member's growth recorded so far (001 §4.1.2–4.1.3).
#[derive(Debug, Clone, Copy, Default)]
struct Growth {
    route_developed: bool,
    route_completed: bool,
    regional_methodist: bool,
    /// The school year (its first year) of the last training from the federal register.
    trained_in: Option<i32>,
}

/// The one-level profile's style and what the generator keeps of it between years.
#[derive(Debug, Clone, Default)]
pub(super) struct OneLevel {
    style: Option<Style>,
    /// School associations (004), by school and cycle.
    pub(super) schools: Vec<Vec<Association>>,
    /// The administration of each school, whose orders appoint its associations' heads.
    administrations: Vec<BodyId>,
    /// The directors, who sign the organizations' applications (002, appendix 2).
    directors: Vec<PersonId>,
    center: Option<BodyId>,
    center_chief: Option<PersonId>,
    /// The director and deputy heads of each school, where they head its associations
    /// (004 §7).
    school_staff: Vec<Vec<PersonId>>,
    /// Heads who are not teachers of the generator (004 §7: the school's administration,
    /// the methodical center's specialists), by school (None: the city) and association.
    staff_heads: BTreeMap<(Option<usize>, usize), PersonId>,
    curators: BTreeMap<usize, Curator>,
    growth: BTreeMap<usize, Growth>,
    applications: u64,
}

impl OneLevel {
    /// The style of a profile with one municipal level (and maybe schools below it), heads by
    /// order and protocols kept by the head; None for any other.
    pub(super) fn of(profile: &RegulationProfile) -> Option<Self> {
        use domain::profile::DocumentAuthor;
        let levels = &profile.structure.levels;
        let heads_by_order = profile
            .roles
            .iter()
            .filter(|r| r.role == AssociationRole::Head)
            .all(|r| r.method == FillMethod::Order);
        let head_rule = |level| {
            profile
                .role_rule(AssociationRole::Head, level)
                .map(|r| r.issuer.unwrap_or(BodyKind::Department))
        };
        let school_level = levels.contains(&Level::School);
        let shaped = levels.contains(&Level::City)
            && !levels.contains(&Level::District)
            && heads_by_order
            && profile.meetings.protocol_drafted_by == AssociationRole::Head
            && profile.meetings.protocol_signed_by == AssociationRole::Head
            && (!school_level
                || head_rule(Level::School) == Some(BodyKind::OrganizationAdministration));
        let head_issuer = head_rule(Level::City)?;
        // Documents written by the Center need its officials; the generator knows these.
        let known = profile.documents.iter().all(|d| {
            d.authors.iter().all(|a| {
                *a != DocumentAuthor::MethodicalCenter
                    || d.document_type == DocumentType::TechnicalAssignment
                    || d.document_type == DocumentType::Nomination
            })
        });
        // An application decided by a council is decided by the one that reviews the list.
        let decided_by = profile.membership.decided_by;
        let council_known =
            decided_by.is_none() || decided_by == profile.structure.list_reviewed_by;
        if !shaped || !known || !council_known {
            return None;
        }
        let curators = profile
            .roles
            .iter()
            .any(|r| r.role == AssociationRole::Curator && r.method == FillMethod::Order);
        let works_at = |level| {
            profile
                .eligibility_rule(AssociationRole::Head, level)
                .and_then(|r| r.works_at)
        };
        Some(OneLevel {
            style: Some(Style {
                applications: profile.membership.applications
                    && profile.membership.forms.contains(&ApplicationForm::Teacher),
                from_registry: profile.membership.from_registry,
                curators,
                school_level,
                indicators: !profile.indicators.is_empty(),
                review: profile.structure.list_reviewed_by,
                council_decides_applications: decided_by.is_some(),
                creator: profile.structure.created_by,
                head_issuer,
                school_by_administration: school_level
                    && profile.structure.creation_for(Level::School).issuer
                        == BodyKind::OrganizationAdministration,
                school_heads_from_administration: school_level
                    && works_at(Level::School) == Some(WorkPlace::OwnOrganization),
                city_heads_from_center: works_at(Level::City) == Some(WorkPlace::MethodicalCenter),
            }),
            ..OneLevel::default()
        })
    }

    pub(super) fn is_some(&self) -> bool {
        self.style.is_some()
    }

    fn style(&self) -> Style {
        self.style.unwrap_or(Style {
            applications: false,
            from_registry: false,
            curators: false,
            school_level: false,
            indicators: false,
            review: None,
            council_decides_applications: false,
            creator: BodyKind::Department,
            head_issuer: BodyKind::Department,
            school_by_administration: false,
            school_heads_from_administration: false,
            city_heads_from_center: false,
        })
    }
}

impl Generator {
    fn one(&self) -> Style {
        self.one.style()
    }

    /// The body of the methodical center, where there is one, else the department.
    fn body_of(&self, kind: BodyKind) -> BodyId {
        match kind {
            BodyKind::MethodicalCenter => self.one.center.unwrap_or(self.department),
            _ => self.department,
        }
    }

    /// The municipality, the department, the methodical center where the profile names one,
    /// its council and specialists, the schools with their directors or administrations, and
    /// the teachers. There are no districts: the associations are the town's.
    pub(super) fn plan_one_level_registry(&mut self, first: i32, profile: &RegulationProfile) {
        let on = day(first, 8, 15);
        let style = self.one();
        self.register_municipality(on, profile);
        let department_organization = OrganizationId::derived(&self.namespace, "department");
        self.institution(
            on,
            (department_organization, self.department),
            BodyKind::Department,
            "Управление образования",
        );
        self.register_schools(on);
        self.register_staff(
            on,
            self.deputy_chief,
            department_organization,
            PositionKind::Official,
            "заместитель начальника Управления образования",
            (Category::none(), day(2001, 9, 1)),
            Some((self.department, Office::DeputyChief)),
        );
        let needs_center = style.creator == BodyKind::MethodicalCenter
            || style.head_issuer == BodyKind::MethodicalCenter
            || style.applications;
        if needs_center {
            let organization = OrganizationId::derived(&self.namespace, "methodical-center");
            let body = BodyId::derived(&self.namespace, "methodical-center");
            let title = "МАУ «Информационно-методический центр»";
            self.institution(on, (organization, body), BodyKind::MethodicalCenter, title);
            self.one.center = Some(body);
            if let Some(council) = style.review {
                self.establish(
                    on,
                    self.planning_council,
                    council,
                    "Методический совет Центра",
                    None,
                );
            }
            let chief = PersonId::derived(&self.namespace, "center-chief");
            self.register_staff(
                on,
                chief,
                organization,
                PositionKind::Director,
                "директор информационно-методического центра",
                (Category::none(), day(1998, 9, 1)),
                Some((body, Office::Chief)),
            );
            self.one.center_chief = Some(chief);
            if style.applications || style.curators || style.city_heads_from_center {
                let count = self.spec.scale.subjects().div_ceil(2).max(2);
                self.register_methodists(
                    on,
                    organization,
                    (
                        PositionKind::CenterSpecialist,
                        "специалист информационно-методического центра",
                    ),
                    count,
                    Some(body),
                );
            }
        }
        for index in 0..self.schools.len() {
            let organization = self.schools[index].id;
            if style.applications {
                let person = PersonId::derived(&self.namespace, &format!("director-{index}"));
                self.register_staff(
                    on,
                    person,
                    organization,
                    PositionKind::Director,
                    "директор",
                    (Category::none(), day(first - 20, 9, 1)),
                    None,
                );
                self.one.directors.push(person);
            }
            if style.school_heads_from_administration {
                // 004 §7: the director and the deputy heads carry the school's methodical
                // support, and head its associations.
                let mut staff = Vec::new();
                for (n, (kind, title)) in [
                    (PositionKind::Director, "директор"),
                    (
                        PositionKind::DeputyHead,
                        "заместитель директора по учебно-методической работе",
                    ),
                    (
                        PositionKind::DeputyHead,
                        "заместитель директора по учебно-воспитательной работе",
                    ),
                ]
                .into_iter()
                .enumerate()
                {
                    let person =
                        PersonId::derived(&self.namespace, &format!("school-{index}-staff-{n}"));
                    self.register_staff(
                        on,
                        person,
                        organization,
                        kind,
                        title,
                        (Category::none(), day(first - 18 - n as i32, 9, 1)),
                        None,
                    );
                    staff.push(person);
                }
                self.one.school_staff.push(staff);
            }
            if style.school_level {
                let body = BodyId::derived(&self.namespace, &format!("administration-{index}"));
                let title = format!("Администрация МБОУ «СОШ № {}»", index + 1);
                self.establish(
                    on,
                    body,
                    BodyKind::OrganizationAdministration,
                    &title,
                    Some(organization),
                );
                self.one.administrations.push(body);
            }
        }
        self.register_teachers(first);
        let themes = if style.applications {
            THEMES.len().min(self.spec.scale.subjects() / 2).max(1)
        } else {
            0
        };
        self.city = vec![Association::default(); self.spec.scale.subjects() + themes];
        if style.school_level {
            self.one.schools = vec![vec![Association::default(); CYCLES.len()]; self.schools.len()];
        }
    }

    fn city_title(&self, index: usize) -> String {
        let subjects = self.spec.scale.subjects();
        let topic = if index < subjects {
            subject_name(index)
        } else {
            THEMES[(index - subjects) % THEMES.len()]
        };
        let style = self.one();
        if style.applications {
            format!("ГМО «{topic}»")
        } else if style.school_level {
            format!("ГМО учителей: {topic}")
        } else {
            format!("ММО: {topic}")
        }
    }

    /// The associations, by the creating body's order (after its council where the profile
    /// asks for one, 002 §5.1).
    fn plan_one_level_associations(&mut self, start: i32) {
        let style = self.one();
        let review = style.review.map(|_| CouncilReview {
            council: self.planning_council,
            protocol_number: "1".into(),
            date: day(start, 8, 22),
        });
        let on = day(start, 8, 26);
        let order = self.order(
            self.body_of(style.creator),
            style.creator,
            on,
            "Об утверждении перечня методических объединений",
        );
        for index in 0..self.city.len() {
            let association = AssociationId::derived(&self.namespace, &format!("city-{index}"));
            let title = self.city_title(index);
            let subject = match index < self.spec.scale.subjects() {
                true => self.subject(index),
                false => domain::values::Subject::parse(&title).unwrap_or_else(|_| self.subject(0)),
            };
            self.op(
                on,
                Command::CreateAssociation(CreateAssociation {
                    association,
                    title,
                    subject,
                    level: Level::City,
                    kind: AssociationKind::MethodicalAssociation,
                    group_membership: None,
                    district: None,
                    organization: None,
                    order,
                    review: review.clone(),
                    curating_organization: None,
                    ends_on: None,
                    task: None,
                }),
            );
            self.city[index].id = Some(association);
        }
        for school in 0..self.one.schools.len() {
            let organization = self.schools[school].id;
            // 004 §7: a school association by its own school's administration's order.
            let order = if style.school_by_administration {
                self.order(
                    self.one.administrations[school],
                    BodyKind::OrganizationAdministration,
                    on,
                    "О школьных методических объединениях",
                )
            } else {
                order
            };
            for (cycle, name) in CYCLES.iter().enumerate() {
                let association =
                    AssociationId::derived(&self.namespace, &format!("school-{school}-{cycle}"));
                let subject =
                    domain::values::Subject::parse(name).unwrap_or_else(|_| self.subject(0));
                self.op(
                    on,
                    Command::CreateAssociation(CreateAssociation {
                        association,
                        title: format!("{name} МБОУ «СОШ № {}»", school + 1),
                        subject,
                        level: Level::School,
                        kind: AssociationKind::MethodicalAssociation,
                        group_membership: None,
                        district: None,
                        organization: Some(organization),
                        order,
                        review: None,
                        curating_organization: None,
                        ends_on: None,
                        task: None,
                    }),
                );
                self.one.schools[school][cycle].id = Some(association);
            }
        }
    }

    /// Teachers who leave or move before the year begins, and the young ones who arrive.
    /// A member by order leaves the associations (001 §1.3; 004 §8); one who moves leaves
    /// the school's association, and joins the new school's with the next composition order.
    fn plan_one_level_turnover(&mut self, start: i32) {
        let on = day(start, 8, 20);
        let active: Vec<usize> = (0..self.teachers.len())
            .filter(|t| self.teachers[*t].active)
            .collect();
        for teacher in active {
            let turn = self.turn(teacher);
            if turn == Turn::Stays {
                continue;
            }
            let id = self.teachers[teacher].id;
            let subject = self.teachers[teacher].subject;
            let reason = match turn {
                Turn::Leaves => "увольнение",
                _ => "перевод в другую организацию",
            };
            if let Turn::Moves(school) = turn {
                let record_on = self.maybe_late(10, on);
                self.push(
                    record_on,
                    on,
                    Acting::Operator,
                    Command::TransferPerson(TransferPerson {
                        person: id,
                        organization: self.schools[school].id,
                        position_kind: PositionKind::Teacher,
                        position_title: format!("учитель ({})", subject_name(subject)),
                    }),
                );
            }
            // The school reports a departure when it gets to it: a quarter are entered up to
            // three weeks late.
            let record_on = match turn {
                Turn::Leaves => self.maybe_late_within(25, 21, on),
                _ => on,
            };
            let old_school = self.teachers[teacher].school;
            if let Some(association) = self.one.schools.get_mut(old_school) {
                let association = &mut association[cycle_of(subject)];
                if association.members.remove(&teacher).is_some() {
                    association.vacate(teacher);
                    let id_of = association.id();
                    self.push(
                        record_on,
                        on,
                        Acting::Operator,
                        Command::RemoveMember(RemoveMember {
                            association: id_of,
                            member: Member::Person(id),
                            reason: reason.into(),
                        }),
                    );
                }
            }
            match turn {
                Turn::Moves(school) => self.teachers[teacher].school = school,
                _ => {
                    self.teachers[teacher].active = false;
                    let from_registry = self.one().from_registry;
                    if from_registry {
                        self.push(
                            record_on,
                            on,
                            Acting::Operator,
                            Command::DismissPerson(DismissPerson {
                                person: id,
                                reason: reason.into(),
                            }),
                        );
                    }
                    let by_order = !self.one().applications && !from_registry;
                    let city = &mut self.city[subject];
                    city.vacate(teacher);
                    if city.members.remove(&teacher).is_some() && by_order {
                        let association = city.id();
                        self.push(
                            record_on,
                            on,
                            Acting::Operator,
                            Command::RemoveMember(RemoveMember {
                                association,
                                member: Member::Person(id),
                                reason: reason.into(),
                            }),
                        );
                    }
                    self.one
                        .curators
                        .retain(|_, c| *c != Curator::Teacher(teacher));
                }
            }
        }
        self.arrivals(start);
    }

    /// One school year of a one-level profile.
    pub(super) fn plan_one_level_year(&mut self, start: i32, first: bool) {
        let style = self.one();
        if first {
            self.plan_one_level_associations(start);
        } else {
            self.plan_one_level_turnover(start);
        }
        let year = SchoolYear::containing(day(start, 9, 1));
        if style.applications {
            self.plan_applications(start, year);
        } else {
            self.plan_composition(start);
        }
        if style.curators {
            self.plan_one_level_curators(start, year);
        }
        let head_days = self.plan_one_level_heads(start, year);
        for index in 0..self.city.len() {
            let Some(&head_day) = head_days.get(&index) else {
                continue;
            };
            if style.applications {
                self.plan_gmo_year(index, start, year, head_day);
            } else {
                let first_day = plus(head_day, self.rng.between(4, 12));
                self.plan_one_level_meetings(None, index, start, first_day);
                if style.indicators {
                    self.plan_published_plan(index, start, year, head_day);
                }
            }
        }
        for school in 0..self.one.schools.len() {
            for cycle in 0..CYCLES.len() {
                if self.one_level_head(Some(school), cycle).is_none() {
                    continue;
                }
                let first_day = day(start, 9, self.rng.between(12, 26));
                self.plan_one_level_meetings(Some(school), cycle, start, first_day);
            }
        }
        if style.indicators {
            self.plan_development(start, year, &head_days);
        }
        // Attestation, then (in May, after it) a few lapses of teachers curating.
        self.plan_category_changes(start);
        if style.curators {
            self.plan_curator_lapses(start);
        }
    }

    fn one_level_association(&mut self, school: Option<usize>, index: usize) -> &mut Association {
        match school {
            Some(s) => &mut self.one.schools[s][index],
            None => &mut self.city[index],
        }
    }

    /// The composition by the creating body's order (001 §1.3: all the teachers of the
    /// subject; 004 §8: the school's and the town's subject associations): the newcomers of
    /// the year, mostly entered on the day, some within the week.
    fn plan_composition(&mut self, start: i32) {
        let style = self.one();
        let on = day(start, 9, 2);
        // Where the registry makes the composition (001 §1.3) no order sets it.
        let order = (!style.from_registry || style.school_level).then(|| {
            self.order(
                self.body_of(style.creator),
                style.creator,
                on,
                "О составе методических объединений",
            )
        });
        // 004 §7: each school's administration sets its own associations' composition.
        let mut school_orders: BTreeMap<usize, domain::ids::OrderId> = BTreeMap::new();
        for teacher in 0..self.teachers.len() {
            if !self.teachers[teacher].active {
                continue;
            }
            let id = self.teachers[teacher].id;
            let (school, subject) = (
                self.teachers[teacher].school,
                self.teachers[teacher].subject,
            );
            let mut targets = vec![(None, subject)];
            if style.school_level {
                targets.push((Some(school), cycle_of(subject)));
            }
            for (school, index) in targets {
                if self
                    .one_level_association(school, index)
                    .members
                    .contains_key(&teacher)
                {
                    continue;
                }
                let Some(order) = order.filter(|_| school.is_some() || !style.from_registry) else {
                    // A member from the day the registry holds it: nothing to record.
                    self.one_level_association(school, index)
                        .members
                        .insert(teacher, on);
                    continue;
                };
                let association = self.one_level_association(school, index).id();
                let order = match school {
                    Some(school) if style.school_by_administration => {
                        match school_orders.get(&school) {
                            Some(order) => *order,
                            None => {
                                let order = self.order(
                                    self.one.administrations[school],
                                    BodyKind::OrganizationAdministration,
                                    on,
                                    "О составе школьных методических объединений",
                                );
                                school_orders.insert(school, order);
                                order
                            }
                        }
                    }
                    _ => order,
                };
                let record_on = self.maybe_late_within(3, 6, on);
                self.push(
                    record_on,
                    on,
                    Acting::Operator,
                    Command::AdmitMember(AdmitMember {
                        association,
                        member: Member::Person(id),
                        basis: AdmissionBasis::Order(order),
                        district_association: None,
                    }),
                );
                self.one_level_association(school, index)
                    .members
                    .insert(teacher, record_on.max(on));
            }
        }
    }

    /// Yearly applications (002 §5.2, appendices 1–2) for 1 Sep – 31 May: form 1 by the
    /// teacher (or entered from paper), form 2 by a school's director; decided by a specialist
    /// of the Center within the week, a few rejected; the workflow admits the approved.
    fn plan_applications(&mut self, start: i32, year: SchoolYear) {
        let period = (day(start, 9, 1), day(start + 1, 5, 31));
        let subjects = self.spec.scale.subjects();
        for association in &mut self.city {
            association.members.clear();
        }
        for teacher in 0..self.teachers.len() {
            if !self.teachers[teacher].active {
                continue;
            }
            let subject = self.teachers[teacher].subject;
            let heads_it = self.city[subject].head == Some(teacher);
            // The ГМО of the subject mostly; one or two of the themes (002 §5.1) besides.
            let mut targets = Vec::new();
            if heads_it || self.rng.percent(90) {
                targets.push(subject);
            }
            let themes = self.city.len() - subjects;
            if themes > 0 && self.rng.percent(65) {
                let first = self.rng.below(themes);
                targets.push(subjects + first);
                if themes > 1 && self.rng.percent(30) {
                    let second = (first + 1 + self.rng.below(themes - 1)) % themes;
                    targets.push(subjects + second);
                }
            }
            for index in targets {
                let submitted = match self.rng.below(100) {
                    0..=84 => plus(day(start, 8, 27), self.rng.between(0, 16)),
                    85..=96 => plus(day(start, 9, 13), self.rng.between(0, 32)),
                    _ => plus(day(start, 11, 1), self.rng.between(0, 80)),
                };
                let id = self.teachers[teacher].id;
                let by_teacher = self.rng.percent(75);
                let acting = if by_teacher {
                    Acting::Person(id)
                } else {
                    Acting::Operator
                };
                // Paper forms reach the operator's desk, often days after they are signed.
                let record_on = if by_teacher {
                    submitted
                } else {
                    self.maybe_late_within(35, 14, submitted)
                };
                let joined = self.application(
                    (record_on, submitted, acting),
                    index,
                    (ApplicationForm::Teacher, Member::Person(id)),
                    year,
                    period,
                );
                if let Some(joined) = joined {
                    self.city[index].members.insert(teacher, joined);
                }
            }
        }
        // Form 2: some schools ask for the whole organization to take part.
        for school in 0..self.one.directors.len() {
            if !self.rng.percent(35) {
                continue;
            }
            let director = self.one.directors[school];
            let organization = self.schools[school].id;
            let index = self.rng.below(self.city.len());
            let submitted = plus(day(start, 8, 27), self.rng.between(0, 14));
            self.application(
                (submitted, submitted, Acting::Person(director)),
                index,
                (
                    ApplicationForm::Organization,
                    Member::Organization(organization),
                ),
                year,
                period,
            );
        }
    }

    /// One application and its decision; the day the applicant joins, if approved.
    fn application(
        &mut self,
        (record_on, submitted, acting): (NaiveDate, NaiveDate, Acting),
        index: usize,
        (form, applicant): (ApplicationForm, Member),
        year: SchoolYear,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Option<NaiveDate> {
        self.one.applications += 1;
        let application = ApplicationId::derived(
            &self.namespace,
            &format!("application-{}", self.one.applications),
        );
        let association = self.city[index].id();
        let theme = self.city_title(index);
        self.push(
            record_on,
            submitted,
            acting,
            Command::SubmitMembershipApplication(SubmitMembershipApplication {
                application,
                association,
                form,
                applicant,
                theme,
                school_year: year,
                period_from: from,
                period_to: to,
            }),
        );
        let specialist = self.methodists[self.rng.below(self.methodists.len())].0;
        let decided_on = plus(record_on, self.rng.between(1, 7)).min(to);
        // The council sits on the day of the decision; the specialist records its protocol.
        let review = self
            .one()
            .council_decides_applications
            .then(|| CouncilReview {
                council: self.planning_council,
                protocol_number: format!("МС-{}", decided_on.format("%y%m%d")),
                date: decided_on,
            });
        if self.rng.percent(3) {
            let reason = *self.rng.pick(&[
                "Заявка оформлена не по форме приложения",
                "Тема заявки не соответствует направлению ГМО",
                "Заявка не подписана руководителем учреждения",
            ]);
            self.by(
                specialist,
                decided_on,
                Command::RejectMembershipApplication(RejectMembershipApplication {
                    application,
                    reason: reason.into(),
                    review,
                }),
            );
            return None;
        }
        self.by(
            specialist,
            decided_on,
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review,
            }),
        );
        Some(decided_on.max(from))
    }

    /// A specialist of the Center other than `person` (who may curate, or have written it).
    fn specialist_other_than(&mut self, person: PersonId) -> PersonId {
        let count = self.methodists.len();
        let first = self.rng.below(count);
        (0..count)
            .map(|i| self.methodists[(first + i) % count].0)
            .find(|p| *p != person)
            .unwrap_or(self.methodists[first].0)
    }

    /// Whether a teacher meets the curator's rule on `on` (002 §5.3).
    fn may_curate(&self, teacher: usize, on: NaiveDate) -> bool {
        let t = &self.teachers[teacher];
        t.active
            && t.category == CategoryLevel::Highest
            && on.years_since(t.since).is_some_and(|years| years >= 5)
    }

    fn curator_id(&self, curator: Curator) -> PersonId {
        match curator {
            Curator::Specialist(m) => self.methodists[m].0,
            Curator::Teacher(t) => self.teachers[t].id,
        }
    }

    /// Curators by the Управление's order (002 §5.3): where there is none, or the teacher
    /// curating no longer meets the rule, or now and then anew — a specialist of the Center
    /// mostly, else a teacher of the subject who meets the rule.
    fn plan_one_level_curators(&mut self, start: i32, year: SchoolYear) {
        let on = day(start, 9, 2);
        let mut order = None;
        for index in 0..self.city.len() {
            let current = self.one.curators.get(&index).copied();
            let keep = current.filter(|c| match c {
                Curator::Specialist(_) => !self.rng.percent(5),
                Curator::Teacher(t) => self.may_curate(*t, on) && !self.rng.percent(10),
            });
            if keep.is_some() {
                continue;
            }
            let subject = index % self.spec.scale.subjects();
            let teachers: Vec<usize> = if self.rng.percent(30) {
                (0..self.teachers.len())
                    .filter(|t| self.teachers[*t].subject == subject && self.may_curate(*t, on))
                    .take(50)
                    .collect()
            } else {
                Vec::new()
            };
            let curator = if teachers.is_empty() {
                Curator::Specialist(self.rng.below(self.methodists.len()))
            } else {
                Curator::Teacher(*self.rng.pick(&teachers))
            };
            let order = *order.get_or_insert_with(|| {
                self.order(
                    self.department,
                    BodyKind::Department,
                    on,
                    "О назначении кураторов городских методических объединений",
                )
            });
            let association = self.city[index].id();
            let person = self.curator_id(curator);
            self.op(
                on,
                Command::AppointCurator(AppointCurator {
                    association,
                    person,
                    school_year: year,
                    order,
                }),
            );
            self.one.curators.insert(index, curator);
        }
    }

    /// A few teachers curating lose the highest category in May (the eligibility question
    /// finds them until they are replaced in September).
    fn plan_curator_lapses(&mut self, start: i32) {
        let teachers: Vec<usize> = self
            .one
            .curators
            .values()
            .filter_map(|c| match c {
                Curator::Teacher(t) => Some(*t),
                Curator::Specialist(_) => None,
            })
            .collect();
        for teacher in teachers {
            if self.attested.contains(&teacher) || !self.rng.percent(20) {
                continue;
            }
            let on = day(start + 1, 5, self.rng.between(1, 20));
            let person = self.teachers[teacher].id;
            let category =
                Category::granted(CategoryLevel::First, on).unwrap_or_else(|_| Category::none());
            self.op(
                on,
                Command::ChangeCategory(ChangeCategory { person, category }),
            );
            self.teachers[teacher].category = CategoryLevel::First;
            self.teachers[teacher].granted = Some(on);
        }
    }

    /// The heads by order (001 §1.3; 002 §8.1; 004 §7): kept while they remain members, else
    /// the most experienced member of the highest category; most by mid-September, some
    /// later. Where 004 §7 says who heads (the school's director or deputy heads, the
    /// methodical center's specialists), one of those. Returns the day each city
    /// association's head holds office.
    fn plan_one_level_heads(&mut self, start: i32, year: SchoolYear) -> BTreeMap<usize, NaiveDate> {
        let style = self.one();
        let on = day(start, 9, 10);
        let late_on = day(start, 9, 24);
        let issuer = self.body_of(style.head_issuer);
        let mut orders: [Option<domain::ids::OrderId>; 2] = [None, None];
        let mut days = BTreeMap::new();
        let specialists: Vec<PersonId> = self.methodists.iter().map(|m| m.0).collect();
        for index in 0..self.city.len() {
            let late = self.rng.percent(8);
            let when = if late { late_on } else { on };
            let chosen = if style.city_heads_from_center {
                self.choose_staff_head(None, index, when, &specialists)
            } else {
                self.choose_head(None, index, when)
                    .map(|(h, changed)| (Head::Teacher(h), changed))
            };
            let Some((head, changed)) = chosen else {
                continue;
            };
            if !changed {
                days.insert(index, on);
                continue;
            }
            let slot = usize::from(late);
            let order = match orders[slot] {
                Some(order) => order,
                None => {
                    let order = self.order(
                        issuer,
                        style.head_issuer,
                        when,
                        if late {
                            "О руководителях методических объединений (дополнительно)"
                        } else {
                            "О руководителях методических объединений"
                        },
                    );
                    orders[slot] = Some(order);
                    order
                }
            };
            let record_on = self.maybe_late(5, when);
            let association = self.city[index].id();
            let person = self.head_id(head);
            self.push(
                record_on,
                when,
                Acting::Operator,
                Command::AppointHead(AppointHead {
                    association,
                    person,
                    school_year: year,
                    order,
                    review: None,
                }),
            );
            self.seat(None, index, head);
            days.insert(index, record_on);
        }
        // The school associations' heads, by the order of the school's own administration.
        for school in 0..self.one.schools.len() {
            let when = day(start, 9, self.rng.between(3, 9));
            let mut order = None;
            let staff = self
                .one
                .school_staff
                .get(school)
                .cloned()
                .unwrap_or_default();
            for cycle in 0..CYCLES.len() {
                let chosen = if style.school_heads_from_administration {
                    self.choose_staff_head(Some(school), cycle, when, &staff)
                } else {
                    self.choose_head(Some(school), cycle, when)
                        .map(|(h, changed)| (Head::Teacher(h), changed))
                };
                let Some((head, true)) = chosen else {
                    continue;
                };
                let body = self.one.administrations[school];
                let order = *order.get_or_insert_with(|| {
                    self.order(
                        body,
                        BodyKind::OrganizationAdministration,
                        when,
                        "О руководителях школьных методических объединений",
                    )
                });
                let association = self.one.schools[school][cycle].id();
                let person = self.head_id(head);
                self.op(
                    when,
                    Command::AppointHead(AppointHead {
                        association,
                        person,
                        school_year: year,
                        order,
                        review: None,
                    }),
                );
                self.seat(Some(school), cycle, head);
            }
        }
        days
    }

    fn head_id(&self, head: Head) -> PersonId {
        match head {
            Head::Teacher(t) => self.teachers[t].id,
            Head::Staff(p) => p,
        }
    }

    /// Records who heads the association now.
    fn seat(&mut self, school: Option<usize>, index: usize, head: Head) {
        match head {
            Head::Teacher(t) => self.one_level_association(school, index).make_head(t),
            Head::Staff(p) => {
                self.one.staff_heads.insert((school, index), p);
            }
        }
    }

    /// Who heads the association, if anyone: a teacher of the generator or one of the staff.
    fn one_level_head(&self, school: Option<usize>, index: usize) -> Option<PersonId> {
        if let Some(p) = self.one.staff_heads.get(&(school, index)) {
            return Some(*p);
        }
        let association = match school {
            Some(s) => &self.one.schools[s][index],
            None => &self.city[index],
        };
        association.head.map(|t| self.teachers[t].id)
    }

    /// A head from the staff 004 §7 names (`candidates`): the sitting one mostly, else one of
    /// them; none while the association has no members. Whether it changes.
    fn choose_staff_head(
        &mut self,
        school: Option<usize>,
        index: usize,
        on: NaiveDate,
        candidates: &[PersonId],
    ) -> Option<(Head, bool)> {
        let has_members = self
            .one_level_association(school, index)
            .members
            .values()
            .any(|joined| *joined <= on);
        if !has_members || candidates.is_empty() {
            return None;
        }
        let sitting = self.one.staff_heads.get(&(school, index)).copied();
        if let Some(head) = sitting.filter(|h| candidates.contains(h)) {
            if self.rng.percent(88) {
                return Some((Head::Staff(head), false));
            }
        }
        let pick = candidates[(index + self.rng.below(candidates.len())) % candidates.len()];
        Some((Head::Staff(pick), sitting != Some(pick)))
    }

    /// The head for the year: the sitting one while a member (mostly), else the member of
    /// the highest category with the longest service. Whether it changes.
    fn choose_head(
        &mut self,
        school: Option<usize>,
        index: usize,
        on: NaiveDate,
    ) -> Option<(usize, bool)> {
        let state = self.one_level_association(school, index).clone();
        let members: Vec<usize> = state
            .members
            .iter()
            .filter(|(_, joined)| **joined <= on)
            .map(|(m, _)| *m)
            .collect();
        if let Some(head) = state.head.filter(|h| members.contains(h)) {
            if self.rng.percent(88) {
                return Some((head, false));
            }
        }
        let best = members
            .iter()
            .copied()
            .filter(|m| Some(*m) != state.head)
            .max_by_key(|t| {
                let teacher = &self.teachers[*t];
                (teacher.category as u8, std::cmp::Reverse(teacher.since), *t)
            })?;
        Some((best, true))
    }

    /// An association's meetings with their protocols, kept by the head (001, 004 — the
    /// seeds set no number: four mostly, fewer now and then).
    fn plan_one_level_meetings(
        &mut self,
        school: Option<usize>,
        index: usize,
        start: i32,
        first_day: NaiveDate,
    ) {
        let state = self.one_level_association(school, index).clone();
        let Some(head) = self.one_level_head(school, index) else {
            return;
        };
        let count = match self.rng.below(100) {
            0..=59 => 4,
            60..=79 => 5,
            80..=92 => 3,
            _ => 2,
        };
        let slots = [
            first_day,
            day(start, 11, self.rng.between(5, 25)),
            day(start + 1, 1, self.rng.between(15, 30)),
            day(start + 1, 3, self.rng.between(5, 25)),
            day(start + 1, 5, self.rng.between(12, 25)),
        ];
        for (number, on) in (1..).zip(slots.iter().copied().take(count)) {
            let members: Vec<usize> = state
                .members
                .iter()
                .filter(|(_, joined)| **joined <= on)
                .map(|(m, _)| *m)
                .collect();
            let questions = vec![if number == 1 {
                decided("План работы на учебный год", "Принять к исполнению")
            } else {
                decided(
                    "Обмен опытом и методические рекомендации",
                    "Рекомендовать практику к распространению",
                )
            }];
            let record_on = self.maybe_late_within(4, 10, on);
            let (meeting, _) = if number == 1 {
                self.plan_meeting(state.id(), &members, head, on, record_on, questions)
            } else {
                self.plan_announced_meeting(state.id(), &members, head, (on, record_on), questions)
            };
            self.plan_protocol(meeting, head, head, on, record_on, number);
        }
    }

    /// The ММО's plan for the year (001 §1.3, section 2): recorded as the head submits it —
    /// nobody approves it — and placed on the Управление's site within two weeks; the second
    /// ММО's and a few others are never placed, for `metod query unpublished` to find.
    fn plan_published_plan(
        &mut self,
        index: usize,
        start: i32,
        year: SchoolYear,
        head_day: NaiveDate,
    ) {
        let Some(head) = self.city[index].head else {
            return;
        };
        let head_id = self.teachers[head].id;
        let association = self.city[index].id();
        let document = DocumentId::derived(&self.namespace, &format!("plan-{index}-{start}"));
        let submitted = plus(head_day.max(day(start, 9, 12)), self.rng.between(2, 14));
        self.write_document(
            head_id,
            submitted,
            (document, association),
            (DocumentType::WorkPlan, year),
            format!("План работы ММО на {year}"),
            None,
        );
        // The second ММО never places its plans; now and then another forgets one.
        if index == 1 || self.rng.percent(5) {
            return;
        }
        let published = plus(submitted, self.rng.between(0, 14));
        self.by(
            head_id,
            published,
            Command::PublishDocument(PublishDocument {
                document,
                address: format!("https://uo.example/mms/plan-{index}-{start}"),
            }),
        );
    }

    /// A step decided: mostly approved within the week, now and then after its ten days;
    /// some returned and approved in the next version, a few rejected (`reject_reason`).
    /// Returns the day the step was approved, `None` when it was rejected.
    fn decide_document(
        &mut self,
        (document, step): (DocumentId, u32),
        (author, decider): (PersonId, PersonId),
        submitted: NaiveDate,
        (return_comment, reject_reason): (&str, Option<&str>),
        details: Option<NetworkEventDetails>,
    ) -> Option<NaiveDate> {
        let roll = self.rng.below(100);
        let decided_on = if roll < 5 {
            plus(submitted, self.rng.between(11, 16))
        } else {
            plus(submitted, self.rng.between(1, 7))
        };
        match (roll, reject_reason) {
            (5..=13, _) => {
                self.send_back(decider, decided_on, (document, step), return_comment);
                let again = plus(decided_on, self.rng.between(2, 6));
                self.resubmit(author, again, (document, 2), details);
                let approved = plus(again, self.rng.between(1, 6));
                self.by(decider, approved, super::approval(document, step, None));
                Some(approved)
            }
            (14..=16, Some(reason)) => {
                self.by(
                    decider,
                    decided_on,
                    Command::RejectDocument(RejectDocument {
                        document,
                        step,
                        reason: reason.into(),
                    }),
                );
                None
            }
            _ => {
                self.by(decider, decided_on, super::approval(document, step, None));
                Some(decided_on)
            }
        }
    }

    /// A ГМО's year (002 §5.6–5.13): the Center's technical assignment agreed by the
    /// curator; the road map reviewed at the ГМО's meeting and approved by the curator there;
    /// meetings with protocols; network events with their reports to the Center; the year's
    /// analysis to the curator and the curator's report to the Center.
    fn plan_gmo_year(&mut self, index: usize, start: i32, year: SchoolYear, head_day: NaiveDate) {
        let Some(head) = self.city[index].head else {
            return;
        };
        let Some(curator) = self.one.curators.get(&index).copied() else {
            return;
        };
        let head_id = self.teachers[head].id;
        let curator_id = self.curator_id(curator);
        let association = self.city[index].id();
        let title = self.city_title(index);
        // The technical assignment, drawn up by the Center (002 §5.7).
        let author = self.specialist_other_than(curator_id);
        let assignment = DocumentId::derived(&self.namespace, &format!("ta-{index}-{start}"));
        let written = day(start, 9, self.rng.between(3, 8));
        self.write_document(
            author,
            written,
            (assignment, association),
            (DocumentType::TechnicalAssignment, year),
            format!("Техническое задание {title} на {year}"),
            None,
        );
        // Its only step is the curator's, never rejected here: approved on that day, and
        // the workflow records the approval the same evening.
        let agreed = self
            .decide_document(
                (assignment, 1),
                (author, curator_id),
                written,
                ("Уточнить ожидаемые результаты и сроки", None),
                None,
            )
            .unwrap_or(written);
        // The road map, developed on the agreed assignment (§5.8, §4.1) — so from the day
        // after its approval — reviewed at the first meeting and approved by the curator.
        let road_map = DocumentId::derived(&self.namespace, &format!("road-map-{index}-{start}"));
        let submitted = plus(
            head_day.max(day(start, 9, 12)).max(plus(agreed, 1)),
            self.rng.between(2, 6),
        );
        self.by(
            head_id,
            submitted,
            Command::OpenDocument(OpenDocument {
                document: road_map,
                association,
                document_type: DocumentType::WorkPlan,
                school_year: year,
                title: format!("Дорожная карта {title} на {year}"),
                nomination: None,
            }),
        );
        // How many meetings (3–5) and network events (2–4) the year holds (§5.9): taken from
        // the ГМО and the year, not drawn, so the rest of the history stays as it was.
        let seed = index as u32 + start.unsigned_abs();
        let planned = (3 + seed % 3, 2 + (seed + index as u32) % 3);
        self.submit_road_map(head_id, submitted, (road_map, 1), (assignment, planned));
        // A few members leave during the year of their own accord (their application's
        // period had not run out), entered by themselves.
        let mut left: BTreeMap<usize, NaiveDate> = BTreeMap::new();
        let curating_teacher = match curator {
            Curator::Teacher(t) => Some(t),
            Curator::Specialist(_) => None,
        };
        let joined: Vec<(usize, NaiveDate)> = self.city[index]
            .members
            .iter()
            .map(|(m, d)| (*m, *d))
            .collect();
        for (member, joined_on) in joined {
            if member == head || Some(member) == curating_teacher || !self.rng.percent(3) {
                continue;
            }
            let on = plus(day(start, 12, 1), self.rng.between(0, 110)).max(plus(joined_on, 30));
            if on >= day(start + 1, 5, 31) {
                continue;
            }
            let id = self.teachers[member].id;
            self.by(
                id,
                on,
                Command::RemoveMember(RemoveMember {
                    association,
                    member: Member::Person(id),
                    reason: "по собственному желанию".into(),
                }),
            );
            left.insert(member, on);
        }
        let members_on = |g: &Generator, on: NaiveDate| -> Vec<usize> {
            g.city[index]
                .members
                .iter()
                .filter(|(m, joined)| **joined <= on && left.get(m).is_none_or(|l| *l > on))
                .map(|(m, _)| *m)
                .collect()
        };
        let first_day = plus(submitted, self.rng.between(2, 7));
        let review = vec![decided(
            "Рассмотрение дорожной карты на учебный год",
            "Одобрить, направить куратору на утверждение",
        )];
        let present = members_on(self, first_day);
        let (first, _) = self.plan_meeting(
            association,
            &present,
            head_id,
            first_day,
            first_day,
            review.clone(),
        );
        self.plan_protocol(first, head_id, head_id, first_day, first_day, 1);
        let mut number = 1;
        if self.rng.percent(10) {
            self.send_back(
                curator_id,
                first_day,
                (road_map, 1),
                "Согласовать мероприятия с техническим заданием",
            );
            let again = plus(first_day, self.rng.between(3, 7));
            self.submit_road_map(head_id, again, (road_map, 2), (assignment, planned));
            let second_day = plus(again, self.rng.between(2, 8));
            let present = members_on(self, second_day);
            let (second, _) = self.plan_meeting(
                association,
                &present,
                head_id,
                second_day,
                second_day,
                review,
            );
            number += 1;
            self.plan_protocol(second, head_id, head_id, second_day, second_day, number);
            self.by(
                curator_id,
                second_day,
                super::approval(road_map, 1, Some(second)),
            );
        } else {
            self.by(
                curator_id,
                first_day,
                super::approval(road_map, 1, Some(first)),
            );
        }
        // Meetings through the year, as the road map sets them (§5.9–5.10).
        let mut dates = self.further_meetings(start, [55, 80, 92], (5, 25), (15, 30));
        dates.sort();
        for on in dates {
            let present = members_on(self, on);
            let record_on = self.maybe_late_within(4, 10, on);
            let questions = vec![decided(
                "Выполнение дорожной карты и обмен опытом",
                "Рекомендовать практики к распространению",
            )];
            let (meeting, _) = self.plan_announced_meeting(
                association,
                &present,
                head_id,
                (on, record_on),
                questions,
            );
            number += 1;
            self.plan_protocol(meeting, head_id, head_id, on, record_on, number);
        }
        // Network events and their reports to the Center (§5.11, §7.1).
        let events = self.rng.between(2, 5);
        for n in 0..events {
            let held_on = plus(day(start, 10, 1), self.rng.between(0, 200));
            let present = members_on(self, held_on);
            let attendees: Vec<PersonId> = present
                .iter()
                .filter(|_| self.rng.percent(30))
                .take(40)
                .map(|t| self.teachers[*t].id)
                .collect();
            let topic = (*self.rng.pick(EVENTS)).to_string();
            let details = NetworkEventDetails {
                topic: topic.clone(),
                held_on,
                goal: "Распространение лучших педагогических практик".into(),
                audience: format!("Педагоги — участники {title}"),
                programme: Some("Выступления участников, мастер-классы, обсуждение".into()),
                attendance_count: attendees.len() as u32 + self.rng.between(5, 40),
                attendees,
                attendance_sheet: content(&format!("{association} {n} {held_on} sheet")),
                evidence: vec![content(&format!("{association} {n} {held_on} photo"))],
            };
            let author = if self.rng.percent(80) {
                head_id
            } else {
                curator_id
            };
            let report =
                DocumentId::derived(&self.namespace, &format!("network-{index}-{start}-{n}"));
            let written = plus(held_on, self.rng.between(1, 10));
            self.write_document(
                author,
                written,
                (report, association),
                (DocumentType::NetworkEventReport, year),
                format!("Отчёт о сетевом событии: {topic}"),
                Some(details.clone()),
            );
            let specialist = self.specialist_other_than(author);
            self.decide_document(
                (report, 1),
                (author, specialist),
                written,
                (
                    "Приложить лист регистрации участников и фотоматериалы",
                    None,
                ),
                Some(details),
            );
        }
        // The analysis of the year, recorded (§5.12 sends it nowhere); the curator's report
        // (§5.13).
        let analysis = DocumentId::derived(&self.namespace, &format!("analysis-{index}-{start}"));
        let written = day(start + 1, 5, self.rng.between(12, 31));
        self.write_document(
            head_id,
            written,
            (analysis, association),
            (DocumentType::AnnualAnalysis, year),
            format!("Анализ деятельности {title} за {year}"),
            None,
        );
        let Some(chief) = self.one.center_chief else {
            return;
        };
        let report = DocumentId::derived(&self.namespace, &format!("curator-{index}-{start}"));
        let written = plus(day(start + 1, 5, 25), self.rng.between(0, 25));
        self.write_document(
            curator_id,
            written,
            (report, association),
            (DocumentType::CuratorYearlyReport, year),
            format!("Отчёт куратора о деятельности {title} за {year}"),
            None,
        );
        self.decide_document(
            (report, 1),
            (curator_id, chief),
            written,
            (
                "Привести количественные итоги по сетевым событиям",
                Some("Отчёт не соответствует дорожной карте"),
            ),
            None,
        );
    }

    /// A version of the road map, citing the technical assignment it is developed on (002
    /// §5.8, §4.1), with the meetings and network events it plans for the year (§5.9):
    /// `planned`, the same in every version.
    fn submit_road_map(
        &mut self,
        head: PersonId,
        on: NaiveDate,
        (road_map, version): (DocumentId, u32),
        (assignment, planned): (DocumentId, (u32, u32)),
    ) {
        self.by(
            head,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document: road_map,
                content_hash: content(&format!("{road_map} v{version}")),
                network_event: None,
                based_on: Some(assignment),
                planned_meetings: Some(planned.0),
                planned_network_events: Some(planned.1),
            }),
        );
    }

    /// The members' growth for the indicators (001 §4.1.2–4.1.3), entered by the head or by
    /// the operator from the records: diagnostics, training from the federal register after
    /// them, individual routes developed and later completed, a few regional methodists, the
    /// young teachers supported.
    fn plan_development(
        &mut self,
        start: i32,
        year: SchoolYear,
        head_days: &BTreeMap<usize, NaiveDate>,
    ) {
        for index in 0..self.city.len() {
            let state = self.city[index].clone();
            // The head enters records once their appointment is (entered and) in force.
            let head = state
                .head
                .zip(head_days.get(&index))
                .map(|(h, since)| (self.teachers[h].id, *since));
            let association = state.id();
            for (&teacher, &joined) in &state.members {
                if !self.teachers[teacher].active {
                    continue;
                }
                let person = self.teachers[teacher].id;
                let mut growth = self.one.growth.get(&teacher).copied().unwrap_or_default();
                let mut steps = Vec::new();
                let young = day(start, 9, 1)
                    .checked_sub_months(chrono::Months::new(30))
                    .is_some_and(|d| self.teachers[teacher].since > d);
                // The yearly diagnostics of professional deficits (most members); training
                // from the federal register once in three years (001 §4.1.2), mostly after
                // them; an individual route for the year drawn up on the deficits found and,
                // mostly, completed by May.
                let mut diagnosed = None;
                if self.rng.percent(72) {
                    let on = day(start, 10, 1) + chrono::Days::new(self.rng.below(100) as u64);
                    steps.push((DevelopmentMilestone::Diagnostics, on));
                    diagnosed = Some(on);
                }
                let trained_lately = growth.trained_in.is_some_and(|y| start - y < 3);
                if self.rng.percent(if trained_lately { 6 } else { 40 }) {
                    let after = diagnosed.unwrap_or(day(start, 10, 15));
                    let on = plus(after, self.rng.between(20, 120));
                    steps.push((DevelopmentMilestone::FederalRegisterTraining, on));
                    growth.trained_in = Some(start);
                }
                let mut developed_now = None;
                if let Some(diagnosed) = diagnosed.filter(|_| self.rng.percent(50)) {
                    let on = plus(diagnosed.max(day(start, 10, 15)), self.rng.between(5, 40));
                    steps.push((DevelopmentMilestone::IndividualRouteDeveloped, on));
                    growth.route_developed = true;
                    developed_now = Some(on);
                }
                let completes = match developed_now {
                    Some(_) => self.rng.percent(75),
                    None => {
                        growth.route_developed && !growth.route_completed && self.rng.percent(20)
                    }
                };
                if completes {
                    let on = day(start + 1, 4, 1) + chrono::Days::new(self.rng.below(55) as u64);
                    if developed_now.is_none_or(|d| d < on) {
                        steps.push((DevelopmentMilestone::IndividualRouteCompleted, on));
                        growth.route_completed = true;
                    }
                }
                if !growth.regional_methodist
                    && self.teachers[teacher].category == CategoryLevel::Highest
                    && self.rng.percent(3)
                {
                    let on = day(start + 1, 2, 1) + chrono::Days::new(self.rng.below(60) as u64);
                    steps.push((DevelopmentMilestone::RegionalMethodist, on));
                    growth.regional_methodist = true;
                }
                if young && self.rng.percent(80) {
                    let on = day(start, 10, 1) + chrono::Days::new(self.rng.below(40) as u64);
                    steps.push((DevelopmentMilestone::YoungTeacherSupported, on));
                }
                self.one.growth.insert(teacher, growth);
                for (milestone, on) in steps {
                    let on = on.max(joined).min(day(start + 1, 5, 31));
                    let command = Command::RecordDevelopment(RecordDevelopment {
                        association,
                        person,
                        school_year: year,
                        milestone,
                    });
                    match head {
                        Some((head, since)) if on >= since && self.rng.percent(55) => {
                            self.by(head, on, command)
                        }
                        _ => {
                            let record_on = self.maybe_late(5, on);
                            self.push(record_on, on, Acting::Operator, command);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subject_has_a_cycle() {
        for subject in 0..super::super::SUBJECTS.len() {
            assert!(cycle_of(subject) < CYCLES.len());
        }
        // Mathematics and physics share the science cycle; primary classes are their own.
        assert_eq!(cycle_of(0), cycle_of(5));
        assert_ne!(cycle_of(2), cycle_of(0));
    }

    #[test]
    fn only_one_level_profiles_have_a_one_level_style() {
        let profiles = commands::ProfileSet::built_in().expect("profiles");
        for (name, one_level) in [
            ("novokuznetsk", false),
            ("novosibirsk", false),
            ("kuznetsk", true),
            ("izhevsk", true),
            ("pervouralsk", true),
        ] {
            let profile = profiles.get(name).expect("profile");
            assert_eq!(OneLevel::of(profile).is_some(), one_level, "{name}");
        }
        let izhevsk = OneLevel::of(profiles.get("izhevsk").expect("profile")).expect("style");
        let style = izhevsk.style();
        assert!(style.applications && style.curators && !style.school_level);
        assert_eq!(style.review, Some(BodyKind::MethodicalCouncil));
        let pervouralsk = OneLevel::of(profiles.get("pervouralsk").expect("p")).expect("style");
        assert!(pervouralsk.style().school_level && !pervouralsk.style().applications);
        let kuznetsk = OneLevel::of(profiles.get("kuznetsk").expect("p")).expect("style");
        assert!(kuznetsk.style().indicators && !kuznetsk.style().curators);
    }
}
