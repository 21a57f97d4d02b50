//! The department's oversight questions, answered from the read models at one point of both
//! time axes: the hierarchy with its office holders, too few meetings, late or stuck
//! documents, heads and curators who do not meet their rule, member databases not updated in
//! time. Each answer names the profile rules (with clauses) it applied.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

use domain::approval::{document_deadline, returned_version_role, review_due, AUTHOR_SIDE_ROLE};
use domain::calendar::SchoolYear;
use domain::eligibility;
use domain::events::DeadlineMissed;
use domain::ids::{AssociationId, DistrictId, PersonId};
use domain::profile::{IndicatorMeasure, RegulationProfile, StepRole};
use domain::state::PersonState;
use domain::values::{AssociationRole, BodyKind, DevelopmentMilestone, DocumentType, Level};
use store::{MetodStore, SealedField, TimePoint};

use crate::error::ProjectionError;
use crate::facts::{kind, AssociationFact, DocumentFact, DocumentPhase, FactBody};
use crate::snapshot::{body_of, Needs, Snapshot};

/// The oversight questions. Each has one name, the same on the command line, in the answer's
/// `query` field and (later) in the HTTP path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKind {
    Hierarchy,
    Meetings,
    Late,
    Eligibility,
    MemberDb,
    Indicators,
}

impl QueryKind {
    /// Every question, in the order they are listed and measured.
    pub const ALL: [QueryKind; 6] = [
        QueryKind::Hierarchy,
        QueryKind::Meetings,
        QueryKind::Late,
        QueryKind::Eligibility,
        QueryKind::MemberDb,
        QueryKind::Indicators,
    ];

    /// The question's name.
    pub fn name(self) -> &'static str {
        match self {
            QueryKind::Hierarchy => "hierarchy",
            QueryKind::Meetings => "meetings",
            QueryKind::Late => "late",
            QueryKind::Eligibility => "eligibility",
            QueryKind::MemberDb => "member-db",
            QueryKind::Indicators => "indicators",
        }
    }

    /// Whether `profile` has the rule this question checks: without it the answer is the
    /// rule's absence and nothing is looked up (Izhevsk, 002, sets no number of meetings and
    /// no member-database date; Novokuznetsk, 000, no requirements for heads and no
    /// indicators).
    pub fn profile_has_rule(self, profile: &RegulationProfile) -> bool {
        match self {
            QueryKind::Hierarchy => true,
            QueryKind::Meetings => profile.meetings.min_per_school_year.is_some(),
            QueryKind::Late => !profile.documents.is_empty(),
            QueryKind::Eligibility => !profile.eligibility.is_empty(),
            QueryKind::MemberDb => profile.member_database.is_some(),
            QueryKind::Indicators => !profile.indicators.is_empty(),
        }
    }
}

impl std::fmt::Display for QueryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for QueryKind {
    type Err = ProjectionError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        QueryKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| ProjectionError::UnknownQuery(name.to_string()))
    }
}

/// The line an answer gives when the profile has no rule for its question.
pub fn no_rule_line(profile: &str) -> String {
    format!("в профиле {profile} нет правила для этого вопроса")
}

/// A rule an answer applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleApplied {
    pub clause: String,
    pub rule: String,
}

/// The clauses of `rules`, in order and without repeats, as one cell: "000 §1.1; 000 §1.4".
pub(crate) fn clauses_of(rules: &[RuleApplied]) -> String {
    let mut clauses: Vec<&str> = Vec::new();
    for rule in rules {
        if !clauses.contains(&rule.clause.as_str()) {
            clauses.push(&rule.clause);
        }
    }
    clauses.join("; ")
}

/// One column: its key in JSON and CSV, its header in a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
}

/// An answer: rows of named cells, and the rules behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub query: String,
    pub title: String,
    pub as_of: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
    pub profile: String,
    /// False when the profile has no rule for the question: the answer is that absence,
    /// said in `no_rule`, and there are no rows.
    pub profile_has_rule: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_rule: Option<String>,
    pub rules: Vec<RuleApplied>,
    pub columns: Vec<Column>,
    pub rows: Vec<Map<String, Value>>,
}

/// Narrows an answer to one district (id or title) or one subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub district: Option<String>,
    pub subject: Option<String>,
}

/// The question and the point in time it is asked about.
#[derive(Debug, Clone)]
pub struct Question<'a> {
    pub at: TimePoint,
    pub profile: &'a RegulationProfile,
    pub filters: Filters,
}

fn columns(list: &[(&'static str, &'static str)]) -> Vec<Column> {
    list.iter()
        .map(|(key, header)| Column { key, header })
        .collect()
}

fn row(cells: Vec<(&str, Value)>) -> Map<String, Value> {
    cells
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
}

fn report(
    query: QueryKind,
    title: &str,
    question: &Question<'_>,
    rules: Vec<RuleApplied>,
    columns: Vec<Column>,
    rows: Vec<Map<String, Value>>,
) -> Report {
    let has_rule = query.profile_has_rule(question.profile);
    Report {
        query: query.name().into(),
        title: title.into(),
        as_of: question.at.as_of,
        known_at: question.at.known_at,
        profile: question.profile.name.clone(),
        profile_has_rule: has_rule,
        no_rule: (!has_rule).then(|| no_rule_line(&question.profile.name)),
        rules,
        columns,
        rows,
    }
}

/// "есть: a, b, c" (sorted, without repeats), or `none` when the list is empty.
fn known_list(mut names: Vec<&str>, none: &str) -> String {
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        none.to_string()
    } else {
        format!("есть: {}", names.join(", "))
    }
}

fn level_rank(level: Level) -> u8 {
    match level {
        Level::City => 0,
        Level::District => 1,
        Level::School => 2,
    }
}

/// The names of `persons` (those among the snapshot's persons), opened through the vault.
pub(crate) async fn names_of(
    store: &dyn MetodStore,
    snapshot: &Snapshot,
    persons: impl IntoIterator<Item = PersonId>,
) -> Result<HashMap<PersonId, String>, ProjectionError> {
    Ok(Names::load(store, snapshot, persons).await?.0)
}

/// Names of persons, opened through the vault with one look-up of their keys.
struct Names(HashMap<PersonId, String>);

impl Names {
    async fn load(
        store: &dyn MetodStore,
        snapshot: &Snapshot,
        persons: impl IntoIterator<Item = PersonId>,
    ) -> Result<Self, ProjectionError> {
        let mut wanted: Vec<PersonId> = persons.into_iter().collect();
        wanted.sort();
        wanted.dedup();
        let mut ids = Vec::new();
        let mut fields = Vec::new();
        for person in wanted {
            let sealed = snapshot.persons.get(&person).and_then(|(_, fact)| {
                serde_json::from_value::<SealedField>(fact.full_name.0.clone()).ok()
            });
            if let Some(field) = sealed {
                ids.push(person);
                fields.push(field);
            }
        }
        let opened = store.reveal_many(&fields).await?;
        Ok(Self(
            ids.into_iter()
                .zip(opened)
                .map(|(person, name)| (person, name.to_string()))
                .collect(),
        ))
    }

    fn of(&self, person: Option<PersonId>) -> Value {
        match person {
            None => Value::Null,
            Some(person) => Value::String(
                self.0
                    .get(&person)
                    .cloned()
                    .unwrap_or_else(|| person.to_string()),
            ),
        }
    }
}

/// Whether `district` is the one `wanted` names: by its id or, ignoring case, its title.
fn district_named(snapshot: &Snapshot, district: DistrictId, wanted: &str) -> bool {
    let wanted = wanted.trim().to_lowercase();
    district.to_string() == wanted
        || snapshot
            .districts
            .get(&district)
            .is_some_and(|f| f.title.to_lowercase() == wanted)
}

fn subject_named(association: &AssociationFact, wanted: &str) -> bool {
    association.subject.as_str() == wanted.trim().to_lowercase()
}

impl Question<'_> {
    fn keeps(&self, snapshot: &Snapshot, association: &AssociationFact) -> bool {
        let district_fits = self.filters.district.as_ref().is_none_or(|wanted| {
            snapshot
                .district_of(association)
                .is_some_and(|d| district_named(snapshot, d, wanted))
        });
        let subject_fits = self
            .filters
            .subject
            .as_ref()
            .is_none_or(|wanted| subject_named(association, wanted));
        district_fits && subject_fits
    }

    /// Refuses a district or subject that names nothing on the date, so that an answer with
    /// no rows always means that nothing broke the rule.
    pub fn check_filters(&self, snapshot: &Snapshot) -> Result<(), ProjectionError> {
        let on = self.at.as_of.format("%d.%m.%Y").to_string();
        if let Some(wanted) = &self.filters.district {
            if !snapshot
                .districts
                .keys()
                .any(|d| district_named(snapshot, *d, wanted))
            {
                let titles: Vec<&str> = snapshot
                    .districts
                    .values()
                    .map(|d| d.title.as_str())
                    .collect();
                return Err(ProjectionError::UnknownDistrict {
                    wanted: wanted.trim().to_string(),
                    on,
                    known: known_list(titles, "в муниципалитете нет районов"),
                });
            }
        }
        if let Some(wanted) = &self.filters.subject {
            if !snapshot
                .associations
                .values()
                .any(|a| subject_named(a, wanted))
            {
                let subjects: Vec<&str> = snapshot
                    .associations
                    .values()
                    .map(|a| a.subject.as_str())
                    .collect();
                return Err(ProjectionError::UnknownSubject {
                    wanted: wanted.trim().to_string(),
                    on,
                    known: known_list(subjects, "объединений нет"),
                });
            }
        }
        Ok(())
    }

    /// The associations the answer covers, city first, then each city association's district
    /// associations, then school ones.
    fn associations<'s>(&self, snapshot: &'s Snapshot) -> Vec<&'s AssociationFact> {
        let mut list: Vec<&AssociationFact> = snapshot
            .associations
            .values()
            .filter(|a| self.keeps(snapshot, a))
            .collect();
        list.sort_by_cached_key(|a| {
            (
                a.subject.as_str().to_string(),
                level_rank(a.level),
                snapshot.district_title(snapshot.district_of(a)),
                a.title.clone(),
            )
        });
        list
    }
}

/// The tree: every association on the date with its head, secretary, curator and members.
pub async fn hierarchy(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let needs = Needs {
        registry: true,
        roles: true,
        member_counts: true,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    let holders: Vec<PersonId> = snapshot.roles.values().map(|r| r.person).collect();
    snapshot.load_persons(store, &holders).await?;
    let names = Names::load(store, &snapshot, holders).await?;
    let profile = question.profile;
    let rules = vec![
        RuleApplied {
            clause: profile.structure.levels_clause.to_string(),
            rule: "уровни объединений".into(),
        },
        RuleApplied {
            clause: profile.structure.created_by_clause.to_string(),
            rule: "объединения создаются, реорганизуются и ликвидируются приказом".into(),
        },
    ];
    let clauses = clauses_of(&rules);
    let mut rows = Vec::new();
    for association in question.associations(&snapshot) {
        let id = association.association;
        let city = association
            .city_association
            .and_then(|c| snapshot.associations.get(&c))
            .map(|c| Value::String(c.title.clone()))
            .unwrap_or(Value::Null);
        rows.push(row(vec![
            ("association", json!(id)),
            ("level", json!(association.level.in_russian())),
            ("subject", json!(association.subject.as_str())),
            (
                "district",
                json!(snapshot.district_title(snapshot.district_of(association))),
            ),
            ("title", json!(association.title)),
            ("kind", json!(association.kind.in_russian())),
            ("city_association", city),
            ("head", names.of(snapshot.holder(id, AssociationRole::Head))),
            (
                "secretary",
                names.of(snapshot.holder(id, AssociationRole::Secretary)),
            ),
            (
                "curator",
                names.of(snapshot.holder(id, AssociationRole::Curator)),
            ),
            (
                "members",
                json!(snapshot.member_counts.get(&id).copied().unwrap_or(0)),
            ),
            ("head_id", json!(snapshot.holder(id, AssociationRole::Head))),
            (
                "secretary_id",
                json!(snapshot.holder(id, AssociationRole::Secretary)),
            ),
            (
                "curator_id",
                json!(snapshot.holder(id, AssociationRole::Curator)),
            ),
            ("clause", json!(clauses)),
        ]));
    }
    Ok(report(
        QueryKind::Hierarchy,
        "Структура методических объединений",
        question,
        rules,
        columns(&[
            ("level", "Уровень"),
            ("subject", "Предмет"),
            ("district", "Район"),
            ("title", "Объединение"),
            ("kind", "Вид"),
            ("city_association", "Городское объединение"),
            ("head", "Руководитель"),
            ("secretary", "Секретарь"),
            ("curator", "Куратор"),
            ("members", "Членов"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// Associations that held fewer meetings in the school year of the date than the profile
/// requires (000 §4.4, §10.1: 4; 003 §7.6: 3), counting meetings held up to the date.
pub async fn meetings(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let year = SchoolYear::containing(question.at.as_of);
    let rules = vec![RuleApplied {
        clause: profile.meetings.min_clause.to_string(),
        rule: match profile.meetings.min_per_school_year {
            Some(n) => format!("не менее {n} заседаний в учебном году"),
            None => "число заседаний определяет план работы".into(),
        },
    }];
    let mut rows = Vec::new();
    if let Some(required) = profile.meetings.min_per_school_year {
        let needs = Needs {
            registry: true,
            ..Needs::default()
        };
        let mut snapshot = Snapshot::load(store, question.at, needs).await?;
        // A meeting of the year began (was scheduled or held) within it.
        snapshot
            .load_meetings_since(store, year.first_day())
            .await?;
        let mut held: HashMap<AssociationId, u32> = HashMap::new();
        for meeting in &snapshot.meetings {
            if meeting.held() && meeting.school_year == Some(year) {
                *held.entry(meeting.association).or_default() += 1;
            }
        }
        let year_over = question.at.as_of >= year.last_day();
        for association in question.associations(&snapshot) {
            let count = held.get(&association.association).copied().unwrap_or(0);
            if count < required {
                rows.push(row(vec![
                    ("association", json!(association.association)),
                    ("title", json!(association.title)),
                    ("level", json!(association.level.in_russian())),
                    (
                        "district",
                        json!(snapshot.district_title(snapshot.district_of(association))),
                    ),
                    ("school_year", json!(year.to_string())),
                    ("held", json!(count)),
                    ("required", json!(required)),
                    ("shortfall", json!(required - count)),
                    ("year_over", json!(year_over)),
                    ("clause", json!(profile.meetings.min_clause.to_string())),
                ]));
            }
        }
    }
    Ok(report(
        QueryKind::Meetings,
        "Объединения, проведшие меньше заседаний, чем требует положение",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("level", "Уровень"),
            ("district", "Район"),
            ("school_year", "Учебный год"),
            ("held", "Проведено"),
            ("required", "Требуется"),
            ("shortfall", "Не хватает"),
            ("year_over", "Год завершён"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// The holder of a role of an association on the snapshot's date, with the deputies
/// designated for it by order.
fn role_holders(
    snapshot: &Snapshot,
    association: AssociationId,
    role: AssociationRole,
) -> Vec<PersonId> {
    let mut persons: Vec<PersonId> = snapshot.holder(association, role).into_iter().collect();
    persons.extend(
        snapshot
            .deputies
            .iter()
            .filter(|d| d.association == association && d.role == role)
            .map(|d| d.deputy),
    );
    persons
}

/// Who must act on a waiting document on the date: the step's role and its holders.
pub(crate) fn document_holder(
    snapshot: &Snapshot,
    document: &DocumentFact,
) -> (String, Vec<PersonId>) {
    let association_holder = |association: AssociationId, role: AssociationRole| {
        role_holders(snapshot, association, role)
    };
    match document.current_step() {
        Some((_, assigned)) => {
            let step = &assigned.step;
            let scope = assigned.association.unwrap_or(document.association);
            let persons = match step.role {
                StepRole::AssociationHead | StepRole::CityHead => {
                    association_holder(scope, AssociationRole::Head)
                }
                StepRole::Curator => association_holder(scope, AssociationRole::Curator),
                StepRole::Department | StepRole::MethodicalCenter | StepRole::Council => {
                    let kind = match step.role {
                        StepRole::Department => BodyKind::Department,
                        StepRole::MethodicalCenter => BodyKind::MethodicalCenter,
                        _ => step.council.unwrap_or(BodyKind::CoordinationCouncil),
                    };
                    snapshot
                        .officials
                        .iter()
                        .filter(|o| o.body_kind == kind)
                        .filter(|o| step.offices.is_empty() || step.offices.contains(&o.office))
                        .map(|o| o.person)
                        .collect()
                }
            };
            (step.in_russian(), persons)
        }
        None => match (document.phase, document.author) {
            // A return goes back to the author of the returned version (DOMAIN.md §3).
            (DocumentPhase::Returned { .. }, Some(author)) => {
                (returned_version_role(document.version), vec![author])
            }
            _ => (
                AUTHOR_SIDE_ROLE.into(),
                association_holder(document.association, AssociationRole::Head),
            ),
        },
    }
}

/// Documents late or stuck on the date: a step past its review period, a chain past its
/// day, a document not submitted by its day — at whose step, since when, how many days over.
pub async fn late(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    // Without document rules there are no documents, so nothing to look up.
    let has_rule = QueryKind::Late.profile_has_rule(question.profile);
    let needs = Needs {
        registry: has_rule,
        roles: has_rule,
        open_documents: has_rule,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    let today = question.at.as_of;
    struct Late {
        document: usize,
        reason: &'static str,
        due: NaiveDate,
        clause: String,
    }
    let mut found = Vec::new();
    for (index, document) in snapshot.open_documents.iter().enumerate() {
        if !document.phase.open() {
            continue;
        }
        let Some(association) = snapshot.associations.get(&document.association) else {
            continue;
        };
        if !question.keeps(&snapshot, association) {
            continue;
        }
        let chain_clause = document
            .chain_clause
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut candidates = Vec::new();
        if let Some(review_ends) = document.current_step().and_then(|(_, assigned)| {
            review_due(&assigned.step, document.since, document.review_days)
        }) {
            candidates.push((
                "срок рассмотрения на шаге истёк",
                review_ends,
                chain_clause.clone(),
            ));
        }
        if let Some(due) = document.due {
            candidates.push(("срок согласования истёк", due, chain_clause.clone()));
        }
        if document.phase == DocumentPhase::Draft {
            if let Some(due) = document.submit_by {
                candidates.push(("документ не подан в срок", due, chain_clause.clone()));
            }
            // Before its first submission no chain is assigned: the profile's days apply.
            if document.chain_clause.is_none() {
                if let Some(rule) = question
                    .profile
                    .document_rule(document.document_type, association.level)
                {
                    let day =
                        |d| document_deadline(document.document_type, document.school_year, d);
                    let clause = rule.clause.to_string();
                    if let Some(submit_by) = rule.submit_by {
                        candidates.push((
                            "документ не подан в срок",
                            day(submit_by),
                            clause.clone(),
                        ));
                    }
                    if let Some(due) = rule.due {
                        candidates.push(("срок согласования истёк", day(due), clause));
                    }
                }
            }
        }
        // The most overdue reason speaks for the document.
        if let Some((reason, due, clause)) = candidates
            .into_iter()
            .filter(|(_, due, _)| *due < today)
            .min_by_key(|(_, due, _)| *due)
        {
            found.push(Late {
                document: index,
                reason,
                due,
                clause,
            });
        }
    }
    found.sort_by_key(|l| (l.due, snapshot.open_documents[l.document].document));
    let unopened = if has_rule {
        unopened_documents(store, question, &snapshot).await?
    } else {
        Vec::new()
    };
    let mut persons: Vec<PersonId> = Vec::new();
    let holders: Vec<(String, Vec<PersonId>)> = found
        .iter()
        .map(|l| document_holder(&snapshot, &snapshot.open_documents[l.document]))
        .collect();
    let unopened_holders: Vec<Vec<PersonId>> = unopened
        .iter()
        .map(|m| role_holders(&snapshot, m.association, AssociationRole::Head))
        .collect();
    for list in holders.iter().map(|(_, l)| l).chain(&unopened_holders) {
        persons.extend(list.iter().copied());
    }
    snapshot.load_persons(store, &persons).await?;
    let names = Names::load(store, &snapshot, persons.iter().copied()).await?;
    let mut rows = Vec::new();
    for (item, (role, holder_persons)) in found.iter().zip(holders) {
        let document = &snapshot.open_documents[item.document];
        let association = &snapshot.associations[&document.association];
        let holder_names = holder_persons
            .into_iter()
            .map(|p| names.of(Some(p)))
            .collect();
        rows.push((
            item.due,
            row(vec![
                ("document", json!(document.document)),
                ("title", json!(document.title)),
                ("type", json!(document.document_type.in_russian())),
                ("association", json!(association.title)),
                ("phase", json!(document.phase.in_russian())),
                ("holder_role", json!(role)),
                ("holders", Value::Array(holder_names)),
                ("since", json!(document.since)),
                ("due", json!(item.due)),
                ("days_overdue", json!((today - item.due).num_days())),
                ("reason", json!(item.reason)),
                ("clause", json!(item.clause)),
            ]),
        ));
    }
    for (missed, holder_persons) in unopened.iter().zip(unopened_holders) {
        let association = &snapshot.associations[&missed.association];
        let document_type = missed.document_type.map(DocumentType::in_russian);
        let holder_names = holder_persons
            .into_iter()
            .map(|p| names.of(Some(p)))
            .collect();
        rows.push((
            missed.due,
            row(vec![
                ("document", Value::Null),
                (
                    "title",
                    json!(format!(
                        "{} — {}",
                        document_type.unwrap_or_default(),
                        missed.school_year
                    )),
                ),
                ("type", json!(document_type)),
                ("association", json!(association.title)),
                ("phase", json!("не открыт")),
                ("holder_role", json!(AUTHOR_SIDE_ROLE)),
                ("holders", Value::Array(holder_names)),
                ("since", Value::Null),
                ("due", json!(missed.due)),
                ("days_overdue", json!((today - missed.due).num_days())),
                ("reason", json!("документ не открыт и не подан в срок")),
                ("clause", json!(missed.clause.to_string())),
            ]),
        ));
    }
    // Most overdue first, whether opened or not.
    rows.sort_by_key(|(due, _)| *due);
    let rows = rows.into_iter().map(|(_, r)| r).collect();
    let mut rules: Vec<RuleApplied> = question
        .profile
        .documents
        .iter()
        .map(|d| RuleApplied {
            clause: d.clause.to_string(),
            rule: format!("сроки и цепочка: {}", d.document_type.in_russian()),
        })
        .collect();
    rules.dedup();
    Ok(report(
        QueryKind::Late,
        "Просроченные и застрявшие документы",
        question,
        rules,
        columns(&[
            ("title", "Документ"),
            ("type", "Вид"),
            ("association", "Объединение"),
            ("phase", "Состояние"),
            ("holder_role", "У кого"),
            ("holders", "Кто"),
            ("since", "С"),
            ("due", "Срок"),
            ("days_overdue", "Дней просрочки"),
            ("reason", "Что нарушено"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// Documents nobody opened by their day, as the timers recorded them (`DeadlineMissed` with a
/// document type and no document): those of the question's school year, and those whose day
/// fell in it; a document of that type and year opened since takes the miss off the list
/// (while open it is listed on its own terms; once decided it is no longer late).
async fn unopened_documents(
    store: &dyn MetodStore,
    question: &Question<'_>,
    snapshot: &Snapshot,
) -> Result<Vec<DeadlineMissed>, ProjectionError> {
    let today = question.at.as_of;
    let current = SchoolYear::containing(today);
    let previous_start = current.previous().first_day();
    let mut unopened = Vec::new();
    for row in store
        .facts_since(kind::DEADLINE_MISSED, previous_start, question.at)
        .await?
    {
        let FactBody::DeadlineMissed(missed) = body_of(&row)? else {
            continue;
        };
        let wanted = missed.document.is_none()
            && missed.document_type.is_some()
            && missed.due < today
            && (missed.due >= current.first_day() || missed.school_year == current)
            && snapshot
                .associations
                .get(&missed.association)
                .is_some_and(|a| question.keeps(snapshot, a));
        if wanted {
            unopened.push(missed);
        }
    }
    if unopened.is_empty() {
        return Ok(unopened);
    }
    // A document of that year is opened at the earliest in the school year before it.
    let earliest = unopened
        .iter()
        .map(|m| m.school_year.previous().first_day())
        .min()
        .unwrap_or(previous_start);
    let mut opened = std::collections::HashSet::new();
    for row in store
        .facts_since(kind::DOCUMENT, earliest, question.at)
        .await?
    {
        if let FactBody::Document(d) = body_of(&row)? {
            opened.insert((d.association, d.document_type, d.school_year));
        }
    }
    unopened.retain(|m| {
        m.document_type
            .is_some_and(|t| !opened.contains(&(m.association, t, m.school_year)))
    });
    unopened.sort_by_key(|m| (m.due, m.association));
    Ok(unopened)
}

/// Heads and curators who do not meet their profile's rule on the date.
pub async fn eligibility(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let has_rule = QueryKind::Eligibility.profile_has_rule(question.profile);
    let needs = Needs {
        registry: has_rule,
        roles: has_rule,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    let holders: Vec<PersonId> = snapshot.roles.values().map(|r| r.person).collect();
    if !holders.is_empty() {
        snapshot.load_persons(store, &holders).await?;
    }
    let profile = question.profile;
    let date = question.at.as_of;
    let mut failing = Vec::new();
    for association in question.associations(&snapshot) {
        for role in [AssociationRole::Head, AssociationRole::Curator] {
            let Some(rule) = profile.eligibility.iter().find(|r| r.role == role) else {
                continue;
            };
            let Some(person) = snapshot.holder(association.association, role) else {
                continue;
            };
            let Some((_, fact)) = snapshot.persons.get(&person) else {
                continue;
            };
            // The position and the category with the days they count from, as the domain
            // keeps them (a category from the day it was granted).
            let state = PersonState {
                id: Some(person),
                municipality: Some(association.municipality),
                positions: vec![(fact.position_since, fact.organization, fact.position_kind)],
                categories: vec![(fact.category_since, fact.category)],
                specialty_since: Some(fact.specialty_since),
                subjects: Vec::new(),
            };
            let organization_kind = snapshot
                .organizations
                .get(&fact.organization)
                .map(|o| o.kind);
            if let Err(not) = eligibility::check(rule, &state, organization_kind, date) {
                failing.push((association, role, person, not, rule.clause.to_string()));
            }
        }
    }
    let names = Names::load(store, &snapshot, failing.iter().map(|f| f.2)).await?;
    let rows = failing
        .into_iter()
        .map(|(association, role, person, not, clause)| {
            row(vec![
                ("association", json!(association.association)),
                ("title", json!(association.title)),
                ("role", json!(role.in_russian())),
                ("person", names.of(Some(person))),
                ("requirement", json!(not.requirement)),
                ("found", json!(not.found)),
                ("clause", json!(clause)),
            ])
        })
        .collect();
    let rules = profile
        .eligibility
        .iter()
        .map(|r| RuleApplied {
            clause: r.clause.to_string(),
            rule: format!(
                "{}: {}",
                r.role.in_russian(),
                eligibility::requirement_text(r)
            ),
        })
        .collect();
    Ok(report(
        QueryKind::Eligibility,
        "Руководители и кураторы, не соответствующие требованиям",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("role", "Роль"),
            ("person", "Кто"),
            ("requirement", "Требование"),
            ("found", "Фактически"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// Associations whose member database was not updated by the profile's day (000 §4.6,
/// §10.4: 1 Oct) in the school year of the date; nothing is due before that day. The year's
/// first update counts, as known at the moment asked.
pub async fn member_db(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let year = SchoolYear::containing(question.at.as_of);
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    if let Some(rule) = &profile.member_database {
        let due = year.date_of(rule.due);
        rules.push(RuleApplied {
            clause: rule.clause.to_string(),
            rule: format!(
                "банк данных членов актуализируется ежегодно до {}",
                rule.due
            ),
        });
        if question.at.as_of > due {
            let needs = Needs {
                registry: true,
                member_databases: true,
                ..Needs::default()
            };
            let snapshot = Snapshot::load(store, question.at, needs).await?;
            // The year's first update counts: a later one does not undo that it was done.
            let mut updated: HashMap<AssociationId, NaiveDate> = HashMap::new();
            for update in &snapshot.member_databases {
                if update.school_year == year {
                    updated
                        .entry(update.association)
                        .and_modify(|on| *on = (*on).min(update.updated_on))
                        .or_insert(update.updated_on);
                }
            }
            for association in question.associations(&snapshot) {
                let on = updated.get(&association.association).copied();
                if on.is_none_or(|on| on > due) {
                    rows.push(row(vec![
                        ("association", json!(association.association)),
                        ("title", json!(association.title)),
                        ("level", json!(association.level.in_russian())),
                        (
                            "district",
                            json!(snapshot.district_title(snapshot.district_of(association))),
                        ),
                        ("school_year", json!(year.to_string())),
                        ("due", json!(due)),
                        ("updated_on", json!(on)),
                        ("clause", json!(rule.clause.to_string())),
                    ]));
                }
            }
        }
    }
    Ok(report(
        QueryKind::MemberDb,
        "Банк данных членов не актуализирован в срок",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("level", "Уровень"),
            ("district", "Район"),
            ("school_year", "Учебный год"),
            ("due", "Срок"),
            ("updated_on", "Актуализирован"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// One indicator's count for one association, or summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    pub numerator: u64,
    pub denominator: u64,
}

pub(crate) fn indicator_value(measure: IndicatorMeasure, count: Count) -> Value {
    if count.denominator == 0 {
        return Value::Null;
    }
    let ratio = count.numerator as f64 / count.denominator as f64;
    match measure {
        // A share in percent, to a tenth.
        IndicatorMeasure::Share => json!((ratio * 1000.0).round() / 10.0),
        IndicatorMeasure::Ratio => json!((ratio * 10.0).round() / 10.0),
        IndicatorMeasure::Presence => json!(count.numerator > 0),
    }
}

/// The effectiveness indicators of the profile (001 §4.1.1–4.1.3) for the school year of
/// the date, per association, per district and (where there are districts) for the whole
/// municipality, with numerator and denominator. Shares count the association's members on
/// the date: who passed diagnostics, completed a federal-register programme, has a route
/// (ИОМ) developed, got the regional methodist status (this year or before) — over all
/// members; who completed the route — over those with a route developed; the young teachers
/// supported — over the members in their first three years of work (their age is sealed
/// personal data the read models do not open). Teachers per regional methodist is members
/// over methodists; the road map is present when the year's work plan is approved.
pub async fn indicators(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let needs = Needs {
        registry: true,
        memberships: !profile.indicators.is_empty(),
        documents: !profile.indicators.is_empty(),
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    // Only the young teachers' share needs the members' own facts.
    if profile
        .indicators
        .iter()
        .any(|i| i.code == DevelopmentMilestone::YoungTeacherSupported.indicator_code())
    {
        let all_members: Vec<PersonId> = snapshot.members.values().flatten().copied().collect();
        snapshot.load_persons(store, &all_members).await?;
    }
    let date = question.at.as_of;
    let year = SchoolYear::containing(date);
    let young_since = date
        .checked_sub_months(chrono::Months::new(36))
        .unwrap_or(date);
    let mut recorded: HashMap<(AssociationId, PersonId, DevelopmentMilestone), SchoolYear> =
        HashMap::new();
    for development in &snapshot.developments {
        if development.school_year <= year {
            let key = (
                development.association,
                development.person,
                development.milestone,
            );
            let entry = recorded.entry(key).or_insert(development.school_year);
            *entry = (*entry).max(development.school_year);
        }
    }
    let has = |association: AssociationId,
               person: PersonId,
               milestone: DevelopmentMilestone,
               this_year_only: bool| {
        recorded
            .get(&(association, person, milestone))
            .is_some_and(|y| !this_year_only || *y == year)
    };
    let count_for = |association: AssociationId, code: &str| -> Count {
        let members = snapshot
            .members
            .get(&association)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let total = members.len() as u64;
        let with = |milestone, this_year_only| {
            members
                .iter()
                .filter(|p| has(association, **p, milestone, this_year_only))
                .count() as u64
        };
        match code {
            "diagnostics_share" => Count {
                numerator: with(DevelopmentMilestone::Diagnostics, true),
                denominator: total,
            },
            "federal_register_training_share" => Count {
                numerator: with(DevelopmentMilestone::FederalRegisterTraining, true),
                denominator: total,
            },
            "individual_route_share" => Count {
                numerator: with(DevelopmentMilestone::IndividualRouteDeveloped, false),
                denominator: total,
            },
            "regional_methodist_share" => Count {
                numerator: with(DevelopmentMilestone::RegionalMethodist, false),
                denominator: total,
            },
            "teachers_per_regional_methodist" => Count {
                numerator: total,
                denominator: with(DevelopmentMilestone::RegionalMethodist, false),
            },
            "individual_route_completed_share" => Count {
                numerator: with(DevelopmentMilestone::IndividualRouteCompleted, false),
                denominator: with(DevelopmentMilestone::IndividualRouteDeveloped, false),
            },
            "young_teachers_supported_share" => {
                let young: Vec<&PersonId> = members
                    .iter()
                    .filter(|p| {
                        snapshot
                            .persons
                            .get(p)
                            .is_some_and(|(_, f)| f.specialty_since > young_since)
                    })
                    .collect();
                Count {
                    numerator: young
                        .iter()
                        .filter(|p| {
                            has(
                                association,
                                ***p,
                                DevelopmentMilestone::YoungTeacherSupported,
                                true,
                            )
                        })
                        .count() as u64,
                    denominator: young.len() as u64,
                }
            }
            "road_map_implemented" => Count {
                numerator: snapshot
                    .documents
                    .iter()
                    .filter(|d| {
                        d.association == association
                            && d.school_year == year
                            && d.document_type == DocumentType::WorkPlan
                            && matches!(d.phase, DocumentPhase::Approved | DocumentPhase::Recorded)
                    })
                    .count()
                    .min(1) as u64,
                denominator: 1,
            },
            _ => Count::default(),
        }
    };
    let mut rows = Vec::new();
    let mut by_district: std::collections::BTreeMap<(String, usize), Count> =
        std::collections::BTreeMap::new();
    for association in question.associations(&snapshot) {
        let district = snapshot.district_title(snapshot.district_of(association));
        for (index, indicator) in profile.indicators.iter().enumerate() {
            let count = count_for(association.association, &indicator.code);
            let total = by_district.entry((district.clone(), index)).or_default();
            total.numerator += count.numerator;
            total.denominator += count.denominator;
            rows.push(row(vec![
                ("scope", json!("объединение")),
                ("association", json!(association.association)),
                ("name", json!(association.title)),
                ("district", json!(district)),
                ("school_year", json!(year.to_string())),
                ("indicator", json!(indicator.code)),
                ("numerator", json!(count.numerator)),
                ("denominator", json!(count.denominator)),
                ("value", indicator_value(indicator.measure, count)),
                ("clause", json!(indicator.clause.to_string())),
            ]));
        }
    }
    // Without districts the one group of associations is the whole municipality; with them,
    // the associations outside any district (the city's) are a group of their own and the
    // municipality's figures follow the districts'.
    let has_districts = by_district.keys().any(|(district, _)| !district.is_empty());
    let mut municipality = vec![Count::default(); profile.indicators.len()];
    for ((district, index), count) in by_district {
        let indicator = &profile.indicators[index];
        municipality[index].numerator += count.numerator;
        municipality[index].denominator += count.denominator;
        let name = match (district.is_empty(), has_districts) {
            (false, _) => district.clone(),
            (true, false) => "муниципалитет в целом".to_string(),
            (true, true) => "объединения вне районов".to_string(),
        };
        rows.push(row(vec![
            ("scope", json!("район")),
            ("association", Value::Null),
            ("name", json!(name)),
            ("district", json!(district)),
            ("school_year", json!(year.to_string())),
            ("indicator", json!(indicator.code)),
            ("numerator", json!(count.numerator)),
            ("denominator", json!(count.denominator)),
            ("value", indicator_value(indicator.measure, count)),
            ("clause", json!(indicator.clause.to_string())),
        ]));
    }
    // A district's answer is not the municipality's.
    if has_districts && question.filters.district.is_none() {
        for (indicator, count) in profile.indicators.iter().zip(municipality) {
            rows.push(row(vec![
                ("scope", json!("муниципалитет")),
                ("association", Value::Null),
                ("name", json!("муниципалитет в целом")),
                ("district", json!("")),
                ("school_year", json!(year.to_string())),
                ("indicator", json!(indicator.code)),
                ("numerator", json!(count.numerator)),
                ("denominator", json!(count.denominator)),
                ("value", indicator_value(indicator.measure, count)),
                ("clause", json!(indicator.clause.to_string())),
            ]));
        }
    }
    let rules = profile
        .indicators
        .iter()
        .map(|i| RuleApplied {
            clause: i.clause.to_string(),
            rule: i.title.clone(),
        })
        .collect();
    Ok(report(
        QueryKind::Indicators,
        "Показатели эффективности объединений",
        question,
        rules,
        columns(&[
            ("scope", "Уровень"),
            ("name", "Объединение / район"),
            ("school_year", "Учебный год"),
            ("indicator", "Показатель"),
            ("numerator", "Числитель"),
            ("denominator", "Знаменатель"),
            ("value", "Значение"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// Answers a question, after refusing a district or subject filter that names nothing on
/// the date.
pub async fn run(
    store: &dyn MetodStore,
    kind: QueryKind,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    if question.filters.district.is_some() || question.filters.subject.is_some() {
        let registry = Snapshot::load(store, question.at, Needs::default()).await?;
        question.check_filters(&registry)?;
    }
    match kind {
        QueryKind::Hierarchy => hierarchy(store, question).await,
        QueryKind::Meetings => meetings(store, question).await,
        QueryKind::Late => late(store, question).await,
        QueryKind::Eligibility => eligibility(store, question).await,
        QueryKind::MemberDb => member_db(store, question).await,
        QueryKind::Indicators => indicators(store, question).await,
    }
}
