//! Two school years side by side: per association, its members and head at the end of the
//! teaching period (31 May), the meetings it held in the year against the profile's minimum,
//! and the state of its work plan for the year at the year's end (31 Aug) — with what changed;
//! and the same summed up for the whole municipality, with the indicators where the profile
//! has them.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

use domain::calendar::SchoolYear;
use domain::ids::{AssociationId, PersonId};
use domain::profile::RegulationProfile;
use domain::values::{AssociationRole, DocumentType};
use store::{MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::queries::{self, Column, Count, Filters, Question, Report, Row, RuleApplied};
use crate::snapshot::{Needs, Snapshot};

/// The end of the teaching period of a school year.
fn last_of_may(year: SchoolYear) -> NaiveDate {
    NaiveDate::from_ymd_opt(year.start_year() + 1, 5, 31).unwrap_or_else(|| year.last_day())
}

/// One year's figures for one association.
#[derive(Debug, Clone, Default, PartialEq)]
struct YearFigures {
    title: String,
    members: u64,
    head: Option<PersonId>,
    head_name: Option<String>,
    meetings: u32,
    plan: Option<String>,
}

/// One year's figures by association, the district or subject the year does not know (if
/// one was asked for), and the persons whose names were opened.
type Figures = (
    BTreeMap<AssociationId, YearFigures>,
    Option<ProjectionError>,
    Vec<PersonId>,
);

async fn figures(
    store: &dyn MetodStore,
    profile: &RegulationProfile,
    year: SchoolYear,
    known_at: Option<DateTime<Utc>>,
    today: NaiveDate,
    filters: &Filters,
) -> Result<Figures, ProjectionError> {
    let teaching_end = last_of_may(year).min(today);
    let year_end = year.last_day().min(today);
    let at_end_of_teaching = TimePoint {
        as_of: teaching_end,
        known_at,
    };
    let needs = Needs {
        registry: true,
        roles: true,
        member_counts: true,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, at_end_of_teaching, needs).await?;
    snapshot.members_from_registry(store, profile).await?;
    let question = Question {
        at: at_end_of_teaching,
        profile,
        filters: filters.clone(),
    };
    // a district or subject the year does not know: said when neither year knows it
    let unknown = question.check_filters(&snapshot).err();
    let kept: std::collections::BTreeSet<AssociationId> = snapshot
        .associations
        .values()
        .filter(|association| question.keeps(&snapshot, association))
        .map(|association| association.association)
        .collect();
    let heads: Vec<PersonId> = snapshot
        .roles
        .values()
        .filter(|r| r.role == AssociationRole::Head && kept.contains(&r.association))
        .map(|r| r.person)
        .collect();
    snapshot.load_persons(store, &heads).await?;
    let names = queries::names_of(store, &snapshot, heads.iter().copied()).await?;
    let mut result = BTreeMap::new();
    for (id, association) in &snapshot.associations {
        if !kept.contains(id) {
            continue;
        }
        let head = snapshot.holder(*id, AssociationRole::Head);
        result.insert(
            *id,
            YearFigures {
                title: association.title.clone(),
                members: snapshot.member_counts.get(id).copied().unwrap_or(0),
                head,
                head_name: head.and_then(|h| names.get(&h).cloned()),
                ..YearFigures::default()
            },
        );
    }
    let at_year_end = TimePoint {
        as_of: year_end,
        known_at,
    };
    let mut later = Snapshot::load(
        store,
        at_year_end,
        Needs {
            documents: true,
            ..Needs::default()
        },
    )
    .await?;
    later.load_meetings_since(store, year.first_day()).await?;
    for meeting in &later.meetings {
        if meeting.held() && meeting.school_year == Some(year) {
            if let Some(f) = result.get_mut(&meeting.association) {
                f.meetings += 1;
            }
        }
    }
    for document in &later.documents {
        if document.document_type == DocumentType::WorkPlan && document.school_year == year {
            if let Some(f) = result.get_mut(&document.association) {
                f.plan = Some(document.phase.in_russian());
            }
        }
    }
    Ok((result, unknown, names.into_keys().collect()))
}

/// Meetings held against the profile's minimum: "3 из 4", or the count alone where the
/// profile sets no minimum.
fn meetings_cell(held: u32, required: Option<u32>) -> Value {
    match required {
        Some(n) => json!(format!("{held} из {n}")),
        None => json!(format!("{held} (норма не установлена)")),
    }
}

/// The municipality's value of each indicator in an indicators answer: the numerators and
/// denominators of its district rows summed (without districts there is one such row, the
/// whole municipality; with them, one per district and one for the associations outside
/// any).
fn municipal_values(profile: &RegulationProfile, report: &Report) -> HashMap<String, Value> {
    let mut sums: HashMap<&str, Count> = HashMap::new();
    for row in report.rows.iter().filter(|r| r["scope"] == "район") {
        let code = row["indicator"].as_str().unwrap_or_default();
        let sum = sums.entry(code).or_default();
        sum.numerator += row["numerator"].as_u64().unwrap_or(0);
        sum.denominator += row["denominator"].as_u64().unwrap_or(0);
    }
    profile
        .indicators
        .iter()
        .filter_map(|i| {
            let sum = sums.get(i.code.as_str())?;
            Some((
                i.code.clone(),
                queries::indicator_value(i.computed()?, *sum),
            ))
        })
        .collect()
}

fn change_notes(a: Option<&YearFigures>, b: Option<&YearFigures>) -> Vec<String> {
    match (a, b) {
        (None, Some(_)) => vec!["создано".into()],
        (Some(_), None) => vec!["нет во втором году (ликвидировано)".into()],
        (None, None) => vec![],
        (Some(a), Some(b)) => {
            let mut notes = Vec::new();
            if a.members != b.members {
                notes.push(format!("членов {:+}", b.members as i64 - a.members as i64));
            }
            if a.head != b.head {
                notes.push(if b.head.is_none() {
                    "нет руководителя".into()
                } else {
                    "сменился руководитель".into()
                });
            }
            if a.meetings != b.meetings {
                notes.push(format!(
                    "заседаний {:+}",
                    i64::from(b.meetings) - i64::from(a.meetings)
                ));
            }
            if a.plan != b.plan {
                notes.push(format!(
                    "план: {} → {}",
                    a.plan.as_deref().unwrap_or("нет"),
                    b.plan.as_deref().unwrap_or("нет")
                ));
            }
            notes
        }
    }
}

/// Keeps the first of equal rules.
fn unique(rules: &mut Vec<RuleApplied>) {
    let mut seen: Vec<RuleApplied> = Vec::new();
    rules.retain(|r| {
        let new = !seen.contains(r);
        if new {
            seen.push(r.clone());
        }
        new
    });
}

/// The rules behind the figures compared, by figure.
struct Rules {
    meetings: Vec<RuleApplied>,
    levels: Vec<RuleApplied>,
    membership: Vec<RuleApplied>,
    heads: Vec<RuleApplied>,
    plans: Vec<RuleApplied>,
}

impl Rules {
    fn of(profile: &RegulationProfile) -> Self {
        let rule = |clause: String, rule: &str| RuleApplied {
            clause,
            rule: rule.into(),
        };
        let mut heads: Vec<RuleApplied> = profile
            .roles
            .iter()
            .filter(|r| r.role == AssociationRole::Head)
            .map(|r| rule(r.clause.to_string(), "руководитель объединения"))
            .collect();
        unique(&mut heads);
        let mut plans: Vec<RuleApplied> = profile
            .documents
            .iter()
            .filter(|d| d.document_type == DocumentType::WorkPlan)
            .map(|d| rule(d.clause.to_string(), "план работы на учебный год"))
            .collect();
        unique(&mut plans);
        Self {
            meetings: vec![rule(
                profile.meetings.min_clause.to_string(),
                &match profile.meetings.min_per_school_year {
                    Some(n) => format!("не менее {n} заседаний в учебном году"),
                    None => {
                        "норма заседаний не установлена: их число определяет план работы".into()
                    }
                },
            )],
            levels: vec![rule(
                profile.structure.levels_clause.to_string(),
                "уровни объединений",
            )],
            membership: vec![rule(
                profile.membership.clause.to_string(),
                "состав объединений",
            )],
            heads,
            plans,
        }
    }
}

/// `metod compare A B`: the two years side by side.
pub async fn compare(
    store: &dyn MetodStore,
    profile: &RegulationProfile,
    first: SchoolYear,
    second: SchoolYear,
    known_at: Option<DateTime<Utc>>,
    today: NaiveDate,
    filters: &Filters,
) -> Result<Report, ProjectionError> {
    let (a, _, mut opened) = figures(store, profile, first, known_at, today, filters).await?;
    let (b, unknown, opened_b) = figures(store, profile, second, known_at, today, filters).await?;
    opened.extend(opened_b);
    if let Some(unknown) = unknown {
        if a.is_empty() {
            return Err(unknown);
        }
    }
    let required = profile.meetings.min_per_school_year;
    let mut ids: Vec<AssociationId> = a.keys().chain(b.keys()).copied().collect();
    ids.sort();
    ids.dedup();
    let title_of = |id: &AssociationId| {
        b.get(id)
            .or_else(|| a.get(id))
            .map(|f| f.title.clone())
            .unwrap_or_default()
    };
    ids.sort_by_cached_key(|id| (title_of(id), *id));
    let cell =
        |f: Option<&YearFigures>, pick: &dyn Fn(&YearFigures) -> Value| f.map_or(Value::Null, pick);
    let mut rows: Vec<Row> = Vec::new();
    // The municipality in sum.
    let total = |figures: &BTreeMap<AssociationId, YearFigures>| {
        let members: u64 = figures.values().map(|f| f.members).sum();
        let headed = figures.values().filter(|f| f.head.is_some()).count();
        let meetings: u32 = figures.values().map(|f| f.meetings).sum();
        let short = required.map_or(0, |n| figures.values().filter(|f| f.meetings < n).count());
        let approved = figures
            .values()
            .filter(|f| f.plan.as_deref() == Some("утверждён"))
            .count();
        (figures.len(), members, headed, meetings, short, approved)
    };
    let (ta, tb) = (total(&a), total(&b));
    let rules = Rules::of(profile);
    let count = |v: usize| Some(v as i64);
    for (metric, va, vb, clause) in [
        ("объединений", count(ta.0), count(tb.0), &rules.levels),
        (
            "членов (на 31 мая)",
            Some(ta.1 as i64),
            Some(tb.1 as i64),
            &rules.membership,
        ),
        ("с руководителем", count(ta.2), count(tb.2), &rules.heads),
        (
            "заседаний проведено",
            Some(i64::from(ta.3)),
            Some(i64::from(tb.3)),
            &rules.meetings,
        ),
        (
            "объединений с недостаточным числом заседаний",
            required.and(count(ta.4)),
            required.and(count(tb.4)),
            &rules.meetings,
        ),
        ("планов утверждено", count(ta.5), count(tb.5), &rules.plans),
    ] {
        let mut row = Row::new();
        row.insert("scope", json!("итого"));
        row.insert("name", json!(metric));
        row.insert("first", json!(va));
        row.insert("second", json!(vb));
        let change = match (va, vb) {
            (Some(va), Some(vb)) => format!("{:+}", vb - va),
            // Only the shortfall has no figure: without a minimum nothing falls short.
            _ => "норма не установлена".into(),
        };
        row.insert("change", json!(change));
        row.insert("clause", json!(queries::clauses_of(clause)));
        rows.push(row);
    }
    // Indicators over the municipality, where the profile has them.
    if !profile.indicators.is_empty() {
        let mut values: HashMap<String, (Value, Value)> = HashMap::new();
        for (slot, year) in [(0, first), (1, second)] {
            let question = Question {
                at: TimePoint {
                    as_of: last_of_may(year).min(today),
                    known_at,
                },
                profile,
                filters: filters.clone(),
            };
            let report = queries::indicators(store, &question).await?;
            opened.extend(report.opened.iter().copied());
            for (code, value) in municipal_values(profile, &report) {
                let entry = values.entry(code).or_insert((Value::Null, Value::Null));
                if slot == 0 {
                    entry.0 = value;
                } else {
                    entry.1 = value;
                }
            }
        }
        for indicator in &profile.indicators {
            let (va, vb) = values
                .remove(&indicator.code)
                .unwrap_or((Value::Null, Value::Null));
            let change = match (&indicator.not_computable, va.as_f64(), vb.as_f64()) {
                // Tracked, but the log holds nothing it could be computed from (003 §6.1, say).
                (Some(_), _, _) => json!("не вычисляется по журналу"),
                (None, Some(x), Some(y)) => json!(format!("{:+.1}", y - x)),
                _ => Value::Null,
            };
            let mut row = Row::new();
            row.insert("scope", json!("показатель"));
            row.insert("name", json!(indicator.code));
            row.insert("first", va);
            row.insert("second", vb);
            row.insert("change", change);
            row.insert("clause", json!(indicator.clause.to_string()));
            rows.push(row);
        }
    }
    let association_clause = queries::clauses_of(
        &rules
            .meetings
            .iter()
            .chain(&rules.plans)
            .cloned()
            .collect::<Vec<_>>(),
    );
    for id in ids {
        let (fa, fb) = (a.get(&id), b.get(&id));
        let title = fb.or(fa).map(|f| f.title.clone()).unwrap_or_default();
        let mut row = Row::new();
        row.insert("scope", json!("объединение"));
        row.insert("association", json!(id));
        row.insert("name", json!(title));
        row.insert("first_members", cell(fa, &|f| json!(f.members)));
        row.insert("second_members", cell(fb, &|f| json!(f.members)));
        row.insert("first_head", cell(fa, &|f| json!(f.head_name)));
        row.insert("second_head", cell(fb, &|f| json!(f.head_name)));
        row.insert(
            "first_meetings",
            cell(fa, &|f| meetings_cell(f.meetings, required)),
        );
        row.insert(
            "second_meetings",
            cell(fb, &|f| meetings_cell(f.meetings, required)),
        );
        row.insert("first_plan", cell(fa, &|f| json!(f.plan)));
        row.insert("second_plan", cell(fb, &|f| json!(f.plan)));
        row.insert("change", json!(change_notes(fa, fb).join("; ")));
        row.insert("clause", json!(association_clause));
        rows.push(row);
    }
    let columns = [
        ("scope", "Что"),
        ("name", "Объединение / показатель"),
        ("first", "Год 1"),
        ("second", "Год 2"),
        ("first_members", "Членов 1"),
        ("second_members", "Членов 2"),
        ("first_head", "Руководитель 1"),
        ("second_head", "Руководитель 2"),
        ("first_meetings", "Заседаний 1"),
        ("second_meetings", "Заседаний 2"),
        ("first_plan", "План 1"),
        ("second_plan", "План 2"),
        ("change", "Что изменилось"),
        ("clause", "Пункт"),
    ]
    .iter()
    .map(|(key, header)| Column { key, header })
    .collect();
    // The minimum of meetings first, then what the other figures follow, then the indicators.
    let rules: Vec<RuleApplied> = rules
        .meetings
        .into_iter()
        .chain(rules.levels)
        .chain(rules.membership)
        .chain(rules.heads)
        .chain(rules.plans)
        .chain(profile.indicators.iter().map(|i| RuleApplied {
            clause: i.clause.to_string(),
            rule: i.title.clone(),
        }))
        .collect();
    opened.sort();
    opened.dedup();
    Ok(Report {
        query: "compare".into(),
        title: format!("Сравнение учебных лет: 1 — {first}, 2 — {second}"),
        as_of: second.last_day().min(today),
        known_at,
        profile: profile.name.clone(),
        profile_has_rule: true,
        no_rule: None,
        rules,
        columns,
        rows,
        // The heads' names and the young teachers' birth dates (001 §4.1.3) opened, for the
        // journal of the page that shows it (152-FZ).
        opened,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kuznetsk() -> RegulationProfile {
        RegulationProfile::from_toml(
            "kuznetsk.toml",
            include_str!("../../profiles/kuznetsk.toml"),
        )
        .expect("the built-in profile")
    }

    fn district_row(district: &str, code: &str, numerator: u64, denominator: u64) -> Row {
        let mut row = Row::new();
        row.insert("scope", json!("район"));
        row.insert("name", json!(district));
        row.insert("district", json!(district));
        row.insert("indicator", json!(code));
        row.insert("numerator", json!(numerator));
        row.insert("denominator", json!(denominator));
        row
    }

    fn answer(profile: &RegulationProfile, rows: Vec<Row>) -> Report {
        Report {
            query: "indicators".into(),
            title: String::new(),
            as_of: NaiveDate::from_ymd_opt(2025, 5, 31).expect("date"),
            known_at: None,
            profile: profile.name.clone(),
            profile_has_rule: true,
            no_rule: None,
            rules: Vec::new(),
            columns: Vec::new(),
            rows,
            opened: Vec::new(),
        }
    }

    /// With districts the municipality's share is all its districts' (and the city
    /// associations') members together, not the last district's share.
    #[test]
    fn the_municipal_indicator_sums_every_district() {
        let profile = kuznetsk();
        let mut rows = Vec::new();
        for (district, numerator, denominator) in [
            ("", 1, 4),
            ("Заводской район", 3, 4),
            ("Центральный район", 0, 2),
        ] {
            rows.push(district_row(
                district,
                "diagnostics_share",
                numerator,
                denominator,
            ));
            rows.push(district_row(district, "road_map_implemented", 0, 1));
        }
        // What the association rows say is not summed again.
        let mut association = district_row("Заводской район", "diagnostics_share", 3, 4);
        association.insert("scope", json!("объединение"));
        rows.insert(0, association);
        let values = municipal_values(&profile, &answer(&profile, rows));
        // 4 of 10 members: 40%, where the last district alone has 0%.
        assert_eq!(values["diagnostics_share"], json!(40.0));
        assert_eq!(values["road_map_implemented"], json!(false));
        assert!(!values.contains_key("individual_route_share"));
    }

    #[test]
    fn without_districts_the_one_group_is_the_municipality() {
        let profile = kuznetsk();
        let rows = vec![district_row("", "diagnostics_share", 3, 5)];
        let values = municipal_values(&profile, &answer(&profile, rows));
        assert_eq!(values["diagnostics_share"], json!(60.0));
    }

    #[test]
    fn meetings_without_a_minimum_are_counted_not_measured() {
        assert_eq!(meetings_cell(3, Some(4)), json!("3 из 4"));
        assert_eq!(meetings_cell(5, None), json!("5 (норма не установлена)"));
    }
}
