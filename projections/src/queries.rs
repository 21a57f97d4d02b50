//! The department's oversight questions, answered from the read models at one point of both
//! time axes: the hierarchy with its office holders, too few meetings, late or stuck
//! documents, heads and curators who do not meet their rule, member databases not updated in
//! time. Each answer names the profile rules (with clauses) it applied.
//!
//! Each question is answered in a file of its own under `queries/`; this module holds what
//! they share: the question asked, the answer's shape, and the names of persons.

mod csv;
mod eligibility;
mod hierarchy;
mod holders;
mod indicators;
mod late;
mod meetings;
mod member_db;
mod monitoring;
mod programmes;
mod retention;
mod row;
mod unpublished;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use domain::ids::{DistrictId, PersonId};
use domain::profile::RegulationProfile;
use domain::values::Level;
use store::{MetodStore, SealedField, TimePoint};

use crate::error::ProjectionError;
use crate::facts::AssociationFact;
use crate::snapshot::{Needs, Snapshot};

pub use csv::cell_text;
pub use eligibility::eligibility;
pub use hierarchy::hierarchy;
pub use holders::{current_holder, document_holder, StepHolder};
pub use indicators::indicators;
pub(crate) use indicators::{indicator_value, Count};
pub use late::late;
pub use meetings::meetings;
pub use member_db::member_db;
pub use monitoring::monitoring;
pub use programmes::programmes;
pub use retention::{kept_until, retention};
pub use row::Row;
pub use unpublished::unpublished;

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
    Retention,
    Unpublished,
    Programmes,
    Monitoring,
}

impl QueryKind {
    /// Every question, in the order they are listed and measured.
    pub const ALL: [QueryKind; 10] = [
        QueryKind::Hierarchy,
        QueryKind::Meetings,
        QueryKind::Late,
        QueryKind::Eligibility,
        QueryKind::MemberDb,
        QueryKind::Indicators,
        QueryKind::Retention,
        QueryKind::Unpublished,
        QueryKind::Programmes,
        QueryKind::Monitoring,
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
            QueryKind::Retention => "retention",
            QueryKind::Unpublished => "unpublished",
            QueryKind::Programmes => "programmes",
            QueryKind::Monitoring => "monitoring",
        }
    }

    /// Whether `profile` has the rule this question checks: without it the answer is the
    /// rule's absence and nothing is looked up (Kuznetsk, 001, sets no number of meetings;
    /// Izhevsk, 002, no member-database date — its number of meetings is the road map's, 002
    /// §5.9; Novokuznetsk, 000, no requirements for heads and no indicators).
    pub fn profile_has_rule(self, profile: &RegulationProfile) -> bool {
        match self {
            QueryKind::Hierarchy => true,
            QueryKind::Meetings => {
                profile.meetings.min_per_school_year.is_some()
                    || profile.meetings.planned_by.is_some()
            }
            QueryKind::Late => !profile.documents.is_empty(),
            QueryKind::Eligibility => !profile.eligibility.is_empty(),
            QueryKind::MemberDb => profile.member_database.is_some(),
            QueryKind::Indicators => !profile.indicators.is_empty(),
            QueryKind::Retention => profile.retention.is_some(),
            QueryKind::Unpublished => profile.documents.iter().any(|d| d.publish_on.is_some()),
            QueryKind::Programmes => profile.programmes.is_some(),
            QueryKind::Monitoring => profile.monitoring.is_some(),
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
    pub rows: Vec<Row>,
    /// The persons whose sealed data this answer opened through the vault — names, and the
    /// birth dates the young teachers' indicator counts by (001 §4.1.3) —: not part of the
    /// answer, for the server's journal of openings of personal data (152-FZ).
    #[serde(skip)]
    pub opened: Vec<PersonId>,
}

impl Report {
    /// The same answer, noting the names `names` opened.
    pub(crate) fn opened_by(mut self, names: &Names) -> Self {
        let mut opened: Vec<PersonId> = names.0.keys().copied().collect();
        opened.sort();
        self.opened = opened;
        self
    }
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

fn row(cells: Vec<(&'static str, Value)>) -> Row {
    cells.into_iter().collect()
}

fn report(
    query: QueryKind,
    title: &str,
    question: &Question<'_>,
    rules: Vec<RuleApplied>,
    columns: Vec<Column>,
    rows: Vec<Row>,
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
        opened: Vec::new(),
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
pub(crate) struct Names(HashMap<PersonId, String>);

impl Names {
    pub(crate) async fn load(
        store: &dyn MetodStore,
        snapshot: &Snapshot,
        persons: impl IntoIterator<Item = PersonId>,
    ) -> Result<Self, ProjectionError> {
        let mut wanted: Vec<PersonId> = persons.into_iter().collect();
        wanted.sort();
        wanted.dedup();
        // a holder's name is also kept on the role they hold, a member's on the membership
        let carried = snapshot.carried_names();
        let mut ids = Vec::new();
        let mut fields = Vec::new();
        for person in wanted {
            let sealed = match snapshot.persons.get(&person) {
                Some((_, fact)) => fact.full_name.field::<SealedField>(),
                None => carried
                    .get(&person)
                    .and_then(|name| name.field::<SealedField>()),
            };
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

    /// The opened name of `person`, if it was opened.
    pub(crate) fn name_of(&self, person: PersonId) -> Option<String> {
        self.0.get(&person).cloned()
    }

    /// The persons whose names were opened, in order.
    pub(crate) fn persons(&self) -> Vec<PersonId> {
        let mut persons: Vec<PersonId> = self.0.keys().copied().collect();
        persons.sort();
        persons
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
    pub(crate) fn keeps(&self, snapshot: &Snapshot, association: &AssociationFact) -> bool {
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
        QueryKind::Retention => retention(store, question).await,
        QueryKind::Unpublished => unpublished(store, question).await,
        QueryKind::Programmes => programmes(store, question).await,
        QueryKind::Monitoring => monitoring(store, question).await,
    }
}
