//! The effectiveness indicators (001 §4.1.1–4.1.3; 003 §VI) of the school year of the date.
//! The steps: collect what the year's counts are taken from (the milestones the members
//! reached, the meetings held, the associations as the year began), count each computed
//! indicator per association, sum the counts per district and for the municipality, render a
//! row for each, and list each indicator the log cannot give with the reason why.

mod young;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde_json::{json, Value};

use domain::calendar::SchoolYear;
use domain::ids::{AssociationId, PersonId};
use domain::profile::{IndicatorMeasure, IndicatorRule, RegulationProfile};
use domain::values::{AssociationRole, DevelopmentMilestone, DocumentType};
use store::{MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::facts::{AssociationFact, DocumentPhase};
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, Row, RuleApplied};
use young::{Age, YoungTeachers};

/// One indicator's count for one association, or summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    pub numerator: u64,
    pub denominator: u64,
    /// Those left out of both because what decides whether they count is not known: for the
    /// young teachers (001 §4.1.3), members in their first three years of work whose birth
    /// date was erased (152-FZ).
    pub unknown: u64,
}

impl Count {
    fn of(numerator: u64, denominator: u64) -> Self {
        Count {
            numerator,
            denominator,
            unknown: 0,
        }
    }

    /// Adds another association's or district's count to this sum.
    fn add(&mut self, other: Count) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
        self.unknown += other.unknown;
    }
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

/// The effectiveness indicators of the profile (001 §4.1.1–4.1.3; 003 §VI) for the school
/// year of the date, per association, per district and (where there are districts) for the
/// whole municipality, with numerator and denominator. Shares count the association's members
/// on the date: who passed diagnostics, completed a federal-register programme, has a route
/// (ИОМ) developed, got the regional methodist status (this year or before) — over all
/// members; who completed the route — over those with a route developed. The young teachers
/// (001 §4.1.3) are the members who on the date are under 35 and in their first three years
/// of work: those of them who took part in a form of support in the school year, over all of
/// them; their birth dates are opened through the vault for this count only (`young.rs`), and
/// the members in their first three years whose birth date was erased are in neither figure
/// but in a column of their own, «возраст неизвестен». Teachers per regional methodist is
/// members over methodists; the road map is present when the year's work plan is approved.
///
/// Novosibirsk's (003 §VI) are of the association as a whole: a stable structure (§6.2) is
/// one association of one that has worked since the year began with the same subject and kind
/// and has every role its profile fills held on the date; activity (§6.5) is those present at
/// the meetings held in the year up to the date over the members times those meetings; the
/// regularity of events (§6.6) is the meetings held up to the date, at most the minimum of
/// the year, over that minimum. An indicator the log cannot give (`not_computable`) has one
/// row with no figure and the reason, whatever the filters.
pub async fn indicators(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let year = SchoolYear::containing(question.at.as_of);
    let snapshot = load(store, question, year).await?;
    let young = if tracks(profile, YOUNG_TEACHERS) {
        // Collected before the await: a future holding the closures would not be `Send`.
        let members: Vec<PersonId> = question
            .associations(&snapshot)
            .into_iter()
            .filter_map(|a| snapshot.members.get(&a.association))
            .flatten()
            .copied()
            .collect();
        YoungTeachers::on(store, &snapshot, &members, question.at.as_of).await?
    } else {
        YoungTeachers::default()
    };
    let at_year_start = if tracks(profile, STABLE_STRUCTURE) {
        let first_day = TimePoint {
            as_of: year.first_day(),
            known_at: question.at.known_at,
        };
        Snapshot::load(store, first_day, Needs::default())
            .await?
            .associations
    } else {
        BTreeMap::new()
    };
    let milestones =
        Milestones::collect(&snapshot, profile, question.at.as_of, at_year_start, &young);
    let (mut rows, by_district) = association_rows(question, &milestones);
    rows.extend(district_rows(question, milestones.year, by_district));
    rows.extend(not_computable_rows(profile, milestones.year));
    let rules = profile
        .indicators
        .iter()
        .map(|i| RuleApplied {
            clause: i.clause.to_string(),
            rule: i.title.clone(),
        })
        .collect();
    let mut columns_of = vec![
        ("scope", "Уровень"),
        ("name", "Объединение / район"),
        ("school_year", "Учебный год"),
        ("indicator", "Показатель"),
        ("numerator", "Числитель"),
        ("denominator", "Знаменатель"),
        ("value", "Значение"),
    ];
    // Only a profile counting the young teachers says how many it could not place.
    if tracks(profile, YOUNG_TEACHERS) {
        columns_of.push(("unknown", UNKNOWN_HEADER));
    }
    columns_of.push(("clause", "Пункт"));
    // Only a profile with an indicator the log cannot give has the column that says why.
    if profile.indicators.iter().any(|i| i.computed().is_none()) {
        columns_of.push(("note", "Примечание"));
    }
    let mut answer = report(
        QueryKind::Indicators,
        "Показатели эффективности объединений",
        question,
        rules,
        columns(&columns_of),
        rows,
    );
    // The birth dates opened are personal data opened as names are: for the journal.
    answer.opened = young.opened().to_vec();
    Ok(answer)
}

/// The header of the column of the young teachers whose age is unknown (001 §4.1.3).
const UNKNOWN_HEADER: &str = "Не учтены: возраст неизвестен (данные удалены)";

/// The codes of 003 §6.2, §6.5 and §6.6, which read more than the members and documents.
const STABLE_STRUCTURE: &str = "stable_structure_share";
const MEETING_ATTENDANCE: &str = "meeting_attendance_share";
const REQUIRED_MEETINGS: &str = "required_meetings_held_share";
/// The code of 001 §4.1.3's share of the young teachers supported, which reads their ages.
const YOUNG_TEACHERS: &str = "young_teachers_supported_share";

/// Whether the profile computes the indicator `code`.
fn tracks(profile: &RegulationProfile, code: &str) -> bool {
    profile
        .indicators
        .iter()
        .any(|i| i.code == code && i.computed().is_some())
}

/// The snapshot the indicators count from: the registry, and where the profile computes
/// indicators the members and the documents; the roles for a stable structure; the meetings
/// of the year for the meetings' indicators.
async fn load(
    store: &dyn MetodStore,
    question: &Question<'_>,
    year: SchoolYear,
) -> Result<Snapshot, ProjectionError> {
    let profile = question.profile;
    let computes = profile.indicators.iter().any(|i| i.computed().is_some());
    let needs = Needs {
        registry: true,
        roles: tracks(profile, STABLE_STRUCTURE),
        memberships: computes,
        documents: computes,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    // 001 §1.3: the shares are over all the teachers of the subject, as the registry lists them.
    if computes {
        snapshot.members_from_registry(store, profile).await?;
    }
    // Only the young teachers' share needs the members' own facts.
    if tracks(profile, YOUNG_TEACHERS) {
        let all_members: Vec<PersonId> = snapshot.members.values().flatten().copied().collect();
        snapshot.load_persons(store, &all_members).await?;
    }
    if tracks(profile, MEETING_ATTENDANCE) || tracks(profile, REQUIRED_MEETINGS) {
        // A meeting of the year began (was scheduled or held) within it.
        snapshot
            .load_meetings_since(store, year.first_day())
            .await?;
    }
    Ok(snapshot)
}

/// The meetings an association held in the school year up to the date, and how many their
/// records list as present in all.
#[derive(Debug, Clone, Copy, Default)]
struct Held {
    meetings: u64,
    present: u64,
}

/// What the year's counts are taken from: the snapshot on the date, and for each member of
/// an association each milestone reached there up to the school year of the date, with the
/// latest school year it was recorded in; the meetings each association held in the year;
/// the associations as they stood on the year's first day; the ages on the date of the
/// members in their first three years of work.
struct Milestones<'s> {
    snapshot: &'s Snapshot,
    profile: &'s RegulationProfile,
    year: SchoolYear,
    young: &'s YoungTeachers,
    recorded: HashMap<(AssociationId, PersonId, DevelopmentMilestone), SchoolYear>,
    held: HashMap<AssociationId, Held>,
    at_year_start: BTreeMap<AssociationId, AssociationFact>,
}

impl<'s> Milestones<'s> {
    fn collect(
        snapshot: &'s Snapshot,
        profile: &'s RegulationProfile,
        date: NaiveDate,
        at_year_start: BTreeMap<AssociationId, AssociationFact>,
        young: &'s YoungTeachers,
    ) -> Self {
        let year = SchoolYear::containing(date);
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
        let mut held: HashMap<AssociationId, Held> = HashMap::new();
        for meeting in &snapshot.meetings {
            if meeting.held() && meeting.school_year == Some(year) && meeting.date <= date {
                let entry = held.entry(meeting.association).or_default();
                entry.meetings += 1;
                entry.present += u64::from(meeting.attendance);
            }
        }
        Self {
            snapshot,
            profile,
            year,
            young,
            recorded,
            held,
            at_year_start,
        }
    }

    /// Whether `person` reached `milestone` in `association` by the year (or in it, if
    /// `this_year_only`).
    fn has(
        &self,
        association: AssociationId,
        person: PersonId,
        milestone: DevelopmentMilestone,
        this_year_only: bool,
    ) -> bool {
        self.recorded
            .get(&(association, person, milestone))
            .is_some_and(|y| !this_year_only || *y == self.year)
    }

    /// The count of the indicator `code` for one association; `None` for a code this query
    /// does not compute (`IndicatorRule::COMPUTED` lists those it does).
    fn count(&self, association: &AssociationFact, code: &str) -> Option<Count> {
        let id = association.association;
        let members = self
            .snapshot
            .members
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let total = members.len() as u64;
        let with = |milestone, this_year_only| {
            members
                .iter()
                .filter(|p| self.has(id, **p, milestone, this_year_only))
                .count() as u64
        };
        let held = self.held.get(&id).copied().unwrap_or_default();
        Some(match code {
            "diagnostics_share" => Count::of(with(DevelopmentMilestone::Diagnostics, true), total),
            "federal_register_training_share" => Count::of(
                with(DevelopmentMilestone::FederalRegisterTraining, true),
                total,
            ),
            "individual_route_share" => Count::of(
                with(DevelopmentMilestone::IndividualRouteDeveloped, false),
                total,
            ),
            "regional_methodist_share" => {
                Count::of(with(DevelopmentMilestone::RegionalMethodist, false), total)
            }
            "teachers_per_regional_methodist" => {
                Count::of(total, with(DevelopmentMilestone::RegionalMethodist, false))
            }
            "individual_route_completed_share" => Count::of(
                with(DevelopmentMilestone::IndividualRouteCompleted, false),
                with(DevelopmentMilestone::IndividualRouteDeveloped, false),
            ),
            YOUNG_TEACHERS => self.young_teachers_supported(id, members),
            "road_map_implemented" => self.road_map(id),
            STABLE_STRUCTURE => Count::of(u64::from(self.stable(association)), 1),
            MEETING_ATTENDANCE => Count::of(held.present, total * held.meetings),
            REQUIRED_MEETINGS => {
                let required = u64::from(self.profile.meetings.min_per_school_year.unwrap_or(0));
                Count::of(held.meetings.min(required), required)
            }
            _ => return None,
        })
    }

    /// 003 §6.2: the association stood on the year's first day with the same subject and
    /// kind, and on the date every role the profile fills at its level has a holder.
    fn stable(&self, association: &AssociationFact) -> bool {
        let since_year_start = self
            .at_year_start
            .get(&association.association)
            .is_some_and(|then| {
                then.subject == association.subject && then.kind == association.kind
            });
        let roles_held = [
            AssociationRole::Head,
            AssociationRole::Secretary,
            AssociationRole::Curator,
        ]
        .into_iter()
        .filter(|role| self.profile.role_rule(*role, association.level).is_some())
        .all(|role| {
            self.snapshot
                .holder(association.association, role)
                .is_some()
        });
        since_year_start && roles_held
    }

    /// 001 §4.1.3: the members under 35 in their first three years of work on the date who
    /// took part in a form of support in the school year, over all the members under 35 in
    /// their first three years; those in their first three years whose age is unknown (their
    /// birth date erased) are in neither figure, counted apart.
    fn young_teachers_supported(&self, association: AssociationId, members: &[PersonId]) -> Count {
        let mut count = Count::default();
        for person in members {
            match self.young.age(*person) {
                Some(Age::Under35) => {
                    count.denominator += 1;
                    if self.has(
                        association,
                        *person,
                        DevelopmentMilestone::YoungTeacherSupported,
                        true,
                    ) {
                        count.numerator += 1;
                    }
                }
                Some(Age::Unknown) => count.unknown += 1,
                Some(Age::NotUnder35) | None => {}
            }
        }
        count
    }

    /// One if the association's work plan of the year is approved (or recorded), else zero.
    fn road_map(&self, association: AssociationId) -> Count {
        Count {
            numerator: self
                .snapshot
                .documents
                .iter()
                .filter(|d| {
                    d.association == association
                        && d.school_year == self.year
                        && d.document_type == DocumentType::WorkPlan
                        && matches!(d.phase, DocumentPhase::Approved | DocumentPhase::Recorded)
                })
                .count()
                .min(1) as u64,
            denominator: 1,
            unknown: 0,
        }
    }
}

/// Counts summed by district title (empty for the associations outside any district) and
/// the indicator's place in the profile.
type ByDistrict = BTreeMap<(String, usize), Count>;

/// A row for each association asked about and each indicator computed, and the counts summed
/// by district.
fn association_rows(
    question: &Question<'_>,
    milestones: &Milestones<'_>,
) -> (Vec<Row>, ByDistrict) {
    let snapshot = milestones.snapshot;
    let mut rows = Vec::new();
    let mut by_district = ByDistrict::new();
    for association in question.associations(snapshot) {
        let district = snapshot.district_title(snapshot.district_of(association));
        for (index, indicator) in question.profile.indicators.iter().enumerate() {
            let Some(measure) = indicator.computed() else {
                continue;
            };
            let count = milestones
                .count(association, &indicator.code)
                .unwrap_or_default();
            let total = by_district.entry((district.clone(), index)).or_default();
            total.add(count);
            rows.push(indicator_row(
                "объединение",
                json!(association.association),
                &association.title,
                &district,
                milestones.year,
                (indicator, measure),
                count,
            ));
        }
    }
    (rows, by_district)
}

/// A row for each district and indicator computed, then (where there are districts and the
/// answer is not narrowed to one) for the municipality.
fn district_rows(question: &Question<'_>, year: SchoolYear, by_district: ByDistrict) -> Vec<Row> {
    let profile = question.profile;
    let mut rows = Vec::new();
    // Without districts the one group of associations is the whole municipality; with them,
    // the associations outside any district (the city's) are a group of their own and the
    // municipality's figures follow the districts'.
    let has_districts = by_district.keys().any(|(district, _)| !district.is_empty());
    let mut municipality = vec![Count::default(); profile.indicators.len()];
    for ((district, index), count) in by_district {
        let indicator = &profile.indicators[index];
        let Some(measure) = indicator.computed() else {
            continue;
        };
        municipality[index].add(count);
        let name = match (district.is_empty(), has_districts) {
            (false, _) => district.clone(),
            (true, false) => "муниципалитет в целом".to_string(),
            (true, true) => "объединения вне районов".to_string(),
        };
        rows.push(indicator_row(
            "район",
            Value::Null,
            &name,
            &district,
            year,
            (indicator, measure),
            count,
        ));
    }
    // A district's answer is not the municipality's.
    if has_districts && question.filters.district.is_none() {
        for (indicator, count) in profile.indicators.iter().zip(municipality) {
            let Some(measure) = indicator.computed() else {
                continue;
            };
            rows.push(indicator_row(
                "муниципалитет",
                Value::Null,
                "муниципалитет в целом",
                "",
                year,
                (indicator, measure),
                count,
            ));
        }
    }
    rows
}

/// One indicator's row for an association, a district or the municipality (`scope`), with
/// the association's id if it is one.
fn indicator_row(
    scope: &str,
    association: Value,
    name: &str,
    district: &str,
    year: SchoolYear,
    (indicator, measure): (&IndicatorRule, IndicatorMeasure),
    count: Count,
) -> Row {
    let mut cells = vec![
        ("scope", json!(scope)),
        ("association", association),
        ("name", json!(name)),
        ("district", json!(district)),
        ("school_year", json!(year.to_string())),
        ("indicator", json!(indicator.code)),
        ("numerator", json!(count.numerator)),
        ("denominator", json!(count.denominator)),
        ("value", indicator_value(measure, count)),
    ];
    // Only the young teachers' rows have members left out for want of their age.
    if indicator.code == YOUNG_TEACHERS {
        cells.push(("unknown", json!(count.unknown)));
    }
    cells.push(("clause", json!(indicator.clause.to_string())));
    row(cells)
}

/// One row for each indicator the log cannot give: its title, no figure, and why.
fn not_computable_rows(profile: &RegulationProfile, year: SchoolYear) -> Vec<Row> {
    profile
        .indicators
        .iter()
        .filter_map(|indicator| {
            let reason = indicator.not_computable.as_ref()?;
            Some(row(vec![
                ("scope", json!("показатель")),
                ("association", Value::Null),
                ("name", json!(indicator.title)),
                ("district", json!("")),
                ("school_year", json!(year.to_string())),
                ("indicator", json!(indicator.code)),
                ("numerator", Value::Null),
                ("denominator", Value::Null),
                ("value", Value::Null),
                ("clause", json!(indicator.clause.to_string())),
                (
                    "note",
                    json!(format!("не вычисляется по журналу: {reason}")),
                ),
            ]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the profiles' check takes as computed (`IndicatorRule::COMPUTED`) is one
    /// this query counts, and no other.
    #[test]
    fn the_query_computes_every_code_the_profiles_check_takes_as_computed() {
        let profile = RegulationProfile::from_toml(
            "novosibirsk.toml",
            include_str!("../../../profiles/novosibirsk.toml"),
        )
        .expect("the built-in profile");
        let snapshot = Snapshot::default();
        let date = NaiveDate::from_ymd_opt(2025, 3, 1).expect("date");
        let young = YoungTeachers::default();
        let milestones = Milestones::collect(&snapshot, &profile, date, BTreeMap::new(), &young);
        let association: AssociationFact = serde_json::from_value(json!({
            "association": "00000000-0000-4000-8000-000000000001",
            "municipality": "00000000-0000-4000-8000-000000000002",
            "title": "ГПМО",
            "subject": "химия",
            "level": "city",
            "kind": "methodical_association",
        }))
        .expect("an association fact");
        for code in IndicatorRule::COMPUTED {
            assert!(milestones.count(&association, code).is_some(), "{code}");
        }
        assert!(milestones
            .count(&association, "education_quality_dynamics")
            .is_none());
    }
}
