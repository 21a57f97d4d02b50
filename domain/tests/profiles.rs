//! The regulation profiles in `profiles/`: every file loads, its rules carry the clauses of
//! the seed they come from, a new municipality is one more file, and a malformed file is
//! refused with a message that names the problem.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use domain::profile::{ApplicationForm, DocumentAuthor, FillMethod, IndicatorMeasure, Majority};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, CategoryLevel, DocumentType, Level, PositionKind,
};
use domain::{DomainError, MonthDay, RegulationProfile, SchoolYear};

/// The profiles shipped with the project and the seed each one encodes.
const EXPECTED: [(&str, &str); 5] = [
    ("novokuznetsk", "000"),
    ("kuznetsk", "001"),
    ("izhevsk", "002"),
    ("novosibirsk", "003"),
    ("pervouralsk", "004"),
];

fn profiles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../profiles")
}

/// Loads a profile file the way the application does: the file name is the origin.
fn load_file(path: &Path) -> Result<RegulationProfile, DomainError> {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let origin = path.display().to_string();
    RegulationProfile::from_toml(&origin, &text)
}

/// Every `*.toml` in `profiles/`, by file stem.
fn all_profiles() -> BTreeMap<String, RegulationProfile> {
    let mut profiles = BTreeMap::new();
    let entries = fs::read_dir(profiles_dir()).expect("profiles/ is readable");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        let profile = load_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        profiles.insert(stem, profile);
    }
    profiles
}

fn profile(name: &str) -> RegulationProfile {
    load_file(&profiles_dir().join(format!("{name}.toml")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn md(text: &str) -> MonthDay {
    MonthDay::parse(text).expect("a valid month-day")
}

// ---- (a) every file loads ------------------------------------------------------------

#[test]
fn every_profile_file_parses_and_is_named_after_its_file() {
    let profiles = all_profiles();
    for (stem, profile) in &profiles {
        assert_eq!(&profile.name, stem, "the name inside {stem}.toml");
        assert!(!profile.title.trim().is_empty(), "{stem}: title");
        assert!(!profile.source.trim().is_empty(), "{stem}: source");
    }
    for (name, seed) in EXPECTED {
        let profile = profiles
            .get(name)
            .unwrap_or_else(|| panic!("profiles/{name}.toml is missing"));
        assert_eq!(profile.seed, seed, "{name} encodes seed {seed}");
    }
}

#[test]
fn every_clause_of_a_profile_points_into_its_own_seed() {
    for (stem, profile) in all_profiles() {
        for line in profile.rule_lines() {
            assert!(
                line.clause.starts_with(&format!("{} §", profile.seed)),
                "{stem}: «{}» cites «{}», not seed {}",
                line.rule,
                line.clause,
                profile.seed
            );
        }
    }
}

// ---- (b) the rules, against the seeds ------------------------------------------------

#[test]
fn novokuznetsk_follows_seed_000() {
    let p = profile("novokuznetsk");

    assert_eq!(p.structure.levels, vec![Level::District, Level::City]);
    assert_eq!(p.structure.created_by, BodyKind::Department);
    assert_eq!(
        p.structure.list_reviewed_by,
        Some(BodyKind::CoordinationCouncil)
    );
    assert!(p.structure.created_by_clause.as_str().contains("§1.4"));
    let city_members = p
        .structure
        .city_members_are_district_heads
        .as_ref()
        .expect("000 §4.1: city members are district heads");
    assert!(city_members.as_str().contains("4.1"));

    // §4.2: city head reviewed by the Coordination council, approved by order of КОиН by
    // 15 September, every year.
    let city_head = p
        .role_rule(AssociationRole::Head, Level::City)
        .expect("city head rule");
    assert_eq!(city_head.method, FillMethod::Order);
    assert_eq!(city_head.issuer, Some(BodyKind::Department));
    assert_eq!(city_head.review_by, Some(BodyKind::CoordinationCouncil));
    assert_eq!(city_head.deadline, Some(md("09-15")));
    assert!(city_head.yearly);
    assert_eq!(city_head.clause.as_str(), "000 §4.2");

    // §7.4, §1.5: district heads approved by orders of the district departments.
    let district_head = p
        .role_rule(AssociationRole::Head, Level::District)
        .expect("district head rule");
    assert_eq!(district_head.method, FillMethod::Order);
    assert_eq!(district_head.issuer, Some(BodyKind::DistrictDepartment));
    assert_eq!(district_head.deadline, Some(md("09-15")));
    assert!(district_head.clause.as_str().contains("§7.4"));

    // §4.3, §10.2: the secretary, every year, open vote, majority of the members.
    for level in [Level::District, Level::City] {
        let secretary = p
            .role_rule(AssociationRole::Secretary, level)
            .expect("secretary rule");
        assert_eq!(secretary.method, FillMethod::Election);
        assert_eq!(secretary.majority, Some(Majority::OfAllMembers));
        assert!(secretary.yearly);
        assert!(secretary.clause.as_str().contains("4.3"));
        assert!(secretary.clause.as_str().contains("10.2"));
    }

    // §4.4, §10.1: at least 4 meetings; a decision on every question.
    assert_eq!(p.meetings.min_per_school_year, Some(4));
    assert!(p.meetings.min_clause.as_str().contains("4.4"));
    assert!(p.meetings.every_question_decided);
    assert!(p.meetings.decisions_clause.as_str().contains("4.4"));

    // §4.7: city plan and analysis agreed by the deputy chair by 15 May.
    for document in [DocumentType::WorkPlan, DocumentType::AnnualAnalysis] {
        let city = p.document_rule(document, Level::City).expect("city rule");
        assert_eq!(city.due, Some(md("05-15")));
        assert_eq!(city.clause.as_str(), "000 §4.7");
        assert!(city
            .due_action
            .as_deref()
            .expect("what is due")
            .contains("заместителем председателя КОиН"));

        // §10.5: district plan and analysis agreed by the city head by 5 May.
        let district = p
            .document_rule(document, Level::District)
            .expect("district rule");
        assert_eq!(district.due, Some(md("05-05")));
        assert_eq!(district.clause.as_str(), "000 §10.5");
        assert!(district
            .due_action
            .as_deref()
            .expect("what is due")
            .contains("руководителем ГПМО"));
    }

    // §4.6, §10.4; §4.8, §10.6.
    let database = p.member_database.as_ref().expect("member database rule");
    assert_eq!(database.due, md("10-01"));
    assert!(database.clause.as_str().contains("4.6"));
    let retention = p.retention.as_ref().expect("retention rule");
    assert_eq!(retention.years, 3);
    assert!(retention.clause.as_str().contains("4.8"));

    assert!(!p.membership.applications);
}

#[test]
fn kuznetsk_follows_seed_001() {
    let p = profile("kuznetsk");

    assert_eq!(p.structure.levels, vec![Level::City]);
    assert!(p.structure.city_members_are_district_heads.is_none());

    let head = p
        .role_rule(AssociationRole::Head, Level::City)
        .expect("head rule");
    assert_eq!(head.method, FillMethod::Order);
    assert_eq!(head.issuer, Some(BodyKind::Department));
    assert!(head.clause.as_str().starts_with("001 §1.3"));

    // The seed is silent on the number of meetings.
    assert_eq!(p.meetings.min_per_school_year, None);
    assert!(!p.membership.applications);

    let plan = p
        .document_rule(DocumentType::WorkPlan, Level::City)
        .expect("plan rule");
    assert_eq!(plan.authors, vec![DocumentAuthor::Head]);

    // §4.1.1–4.1.3: one entry per indicator, with stable distinct codes.
    let by_clause = |clause: &str| {
        p.indicators
            .iter()
            .filter(|i| i.clause.as_str() == clause)
            .count()
    };
    assert_eq!(by_clause("001 §4.1.1"), 1);
    assert_eq!(by_clause("001 §4.1.2"), 3);
    assert_eq!(by_clause("001 §4.1.3"), 4);
    let mut codes: Vec<_> = p.indicators.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes.len(),
        p.indicators.len(),
        "indicator codes are unique"
    );
    let measure = |code: &str| {
        p.indicators
            .iter()
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("indicator {code}"))
            .computed()
    };
    assert_eq!(
        measure("road_map_implemented"),
        Some(IndicatorMeasure::Presence)
    );
    assert_eq!(measure("diagnostics_share"), Some(IndicatorMeasure::Share));
    assert_eq!(
        measure("teachers_per_regional_methodist"),
        Some(IndicatorMeasure::Ratio)
    );
    // Every §4.1 indicator is computed from the log.
    assert!(p.indicators.iter().all(|i| i.not_computable.is_none()));
    assert!(p
        .indicators
        .iter()
        .all(|i| i.code.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
}

#[test]
fn izhevsk_follows_seed_002() {
    let p = profile("izhevsk");

    // §5.3: curator appointed by order of the Управление; highest category and 5 years, or
    // a specialist of the Center.
    let curator = p
        .role_rule(AssociationRole::Curator, Level::City)
        .expect("curator rule");
    assert_eq!(curator.method, FillMethod::Order);
    assert_eq!(curator.issuer, Some(BodyKind::Department));
    assert_eq!(curator.clause.as_str(), "002 §5.3");
    let eligibility = p
        .eligibility_rule(AssociationRole::Curator, Level::City)
        .expect("curator eligibility");
    assert_eq!(eligibility.categories, vec![CategoryLevel::Highest]);
    assert_eq!(eligibility.min_years_in_specialty, 5);
    assert_eq!(
        eligibility.qualifying_positions,
        vec![PositionKind::CenterSpecialist]
    );
    assert_eq!(eligibility.clause.as_str(), "002 §5.3");

    // §8.1: an order appointing the head.
    let head = p
        .role_rule(AssociationRole::Head, Level::City)
        .expect("head rule");
    assert_eq!(head.method, FillMethod::Order);
    assert_eq!(head.clause.as_str(), "002 §8.1");

    // §5.2 and appendices 1–2: applications to the methodical center, 1 Sep – 31 May.
    let m = &p.membership;
    assert!(m.applications);
    assert_eq!(
        m.forms,
        vec![ApplicationForm::Teacher, ApplicationForm::Organization]
    );
    assert_eq!(m.receiver, Some(BodyKind::MethodicalCenter));
    assert!(m.clause.as_str().contains("§5.2"));
    let year = SchoolYear::parse("2024/25").expect("school year");
    let (from, to) = p.application_period(year).expect("an application period");
    assert_eq!(from.to_string(), "2024-09-01");
    assert_eq!(to.to_string(), "2025-05-31");

    // §5.9: the road map sets how often meetings are held.
    assert_eq!(p.meetings.min_per_school_year, None);
    assert_eq!(p.meetings.min_clause.as_str(), "002 §5.9");

    let rule = |document| {
        p.document_rule(document, Level::City)
            .unwrap_or_else(|| panic!("{document:?}"))
    };
    let assignment = rule(DocumentType::TechnicalAssignment);
    assert_eq!(assignment.authors, vec![DocumentAuthor::MethodicalCenter]);
    assert_eq!(assignment.clause.as_str(), "002 §5.7, §4.1");
    assert_eq!(rule(DocumentType::WorkPlan).clause.as_str(), "002 §5.8");
    // §5.8, §4.1: the road map is developed on the technical assignment agreed with the
    // curator.
    let road_map = rule(DocumentType::WorkPlan);
    assert_eq!(road_map.requires, Some(DocumentType::TechnicalAssignment));
    assert_eq!(
        road_map.requires_clause.as_ref().map(|c| c.as_str()),
        Some("002 §5.8, §4.1")
    );
    assert!(p.rule_lines().iter().any(|l| l.clause == "002 §5.8, §4.1"
        && l.rule.contains("на основе документа «техническое задание»")));
    assert_eq!(
        rule(DocumentType::NetworkEventReport).clause.as_str(),
        "002 §5.11, §7.1"
    );
    assert_eq!(
        rule(DocumentType::AnnualAnalysis).clause.as_str(),
        "002 §5.12"
    );
    let report = rule(DocumentType::CuratorYearlyReport);
    assert_eq!(report.authors, vec![DocumentAuthor::Curator]);
    assert_eq!(report.clause.as_str(), "002 §5.13, §7.1");
}

#[test]
fn novosibirsk_follows_seed_003() {
    let p = profile("novosibirsk");

    assert_eq!(
        p.structure.kinds,
        vec![
            AssociationKind::MethodicalAssociation,
            AssociationKind::ProfessionalAssociation,
            AssociationKind::WorkingGroup
        ]
    );
    assert_eq!(p.structure.kinds_clause.as_str(), "003 §IV");
    assert_eq!(p.structure.created_by, BodyKind::Department);
    assert!(p.structure.created_by_clause.as_str().contains("§I.5"));
    assert!(p
        .structure
        .city_members_are_district_heads
        .as_ref()
        .expect("003 §7.1")
        .as_str()
        .contains("7.1"));

    // §7.4, §7.5: head and secretary elected by open vote.
    let head = p
        .role_rule(AssociationRole::Head, Level::City)
        .expect("head rule");
    assert_eq!(head.method, FillMethod::Election);
    assert_eq!(head.majority, Some(Majority::OfAllMembers));
    assert_eq!(head.clause.as_str(), "003 §7.4");
    let secretary = p
        .role_rule(AssociationRole::Secretary, Level::City)
        .expect("secretary rule");
    assert_eq!(secretary.method, FillMethod::Election);
    assert_eq!(secretary.clause.as_str(), "003 §7.5");

    // §7.3: the head has the first or the highest category and 5 years.
    let head_rule = p
        .eligibility_rule(AssociationRole::Head, Level::City)
        .expect("head eligibility");
    assert!(head_rule.categories.contains(&CategoryLevel::First));
    assert!(head_rule.categories.contains(&CategoryLevel::Highest));
    assert!(!head_rule.categories.contains(&CategoryLevel::None));
    assert_eq!(head_rule.min_years_in_specialty, 5);
    assert_eq!(head_rule.clause.as_str(), "003 §7.3");

    // §7.2: the curator, appointed by the curating institution's head.
    let curator = p
        .role_rule(AssociationRole::Curator, Level::City)
        .expect("curator rule");
    assert_eq!(curator.issuer, Some(BodyKind::CuratingInstitution));
    let curator_rule = p
        .eligibility_rule(AssociationRole::Curator, Level::City)
        .expect("curator eligibility");
    assert!(curator_rule.categories.contains(&CategoryLevel::First));
    assert!(curator_rule
        .category_route_positions
        .contains(&PositionKind::Methodist));
    assert!(curator_rule
        .qualifying_positions
        .contains(&PositionKind::DeputyHead));
    assert!(curator_rule
        .qualifying_positions
        .contains(&PositionKind::HeadOfUnit));
    assert_eq!(curator_rule.clause.as_str(), "003 §7.2");

    // §7.6: at least 3 meetings per school year, the secretary drafts the protocol.
    assert_eq!(p.meetings.min_per_school_year, Some(3));
    assert!(p.meetings.min_clause.as_str().contains("7.6"));
    assert_eq!(p.meetings.protocol_drafted_by, AssociationRole::Secretary);

    // §7.8: analysis (with the next plan) to the curator by 15 May; §7.9: plan approved by
    // 15 September.
    let analysis = p
        .document_rule(DocumentType::AnnualAnalysis, Level::City)
        .expect("analysis rule");
    assert_eq!(analysis.submit_by, Some(md("05-15")));
    assert!(analysis.clause.as_str().contains("7.8"));
    let plan = p
        .document_rule(DocumentType::WorkPlan, Level::City)
        .expect("plan rule");
    assert_eq!(plan.due, Some(md("09-15")));
    assert!(plan.clause.as_str().contains("7.9"));

    // §VI: one indicator per clause 6.1–6.10, in order, titled as the seed words it; those
    // the log holds what they need for are computed (§6.2, §6.5, §6.6), the others say why
    // not, and `profile show` lists every one with its clause.
    let seed = seed_text("003");
    let clauses: Vec<String> = (1..=10).map(|n| format!("003 §6.{n}")).collect();
    assert_eq!(
        p.indicators
            .iter()
            .map(|i| i.clause.to_string())
            .collect::<Vec<_>>(),
        clauses
    );
    for (n, indicator) in (1..=10).zip(&p.indicators) {
        let line = format!("6.{n}. {}", indicator.title);
        assert!(
            seed.lines()
                .any(|l| l.trim_end().trim_end_matches('.') == line),
            "003 §6.{n}: the seed does not word it «{}»",
            indicator.title
        );
    }
    let computed: Vec<(&str, Option<IndicatorMeasure>)> = p
        .indicators
        .iter()
        .filter(|i| i.not_computable.is_none())
        .map(|i| (i.clause.as_str(), i.computed()))
        .collect();
    assert_eq!(
        computed,
        [
            ("003 §6.2", Some(IndicatorMeasure::Share)),
            ("003 §6.5", Some(IndicatorMeasure::Share)),
            ("003 §6.6", Some(IndicatorMeasure::Share)),
        ]
    );
    let lines = p.rule_lines();
    for indicator in &p.indicators {
        let line = lines
            .iter()
            .find(|l| l.topic == "показатели" && l.clause == indicator.clause.as_str())
            .unwrap_or_else(|| panic!("{}: not shown", indicator.clause));
        assert!(line.rule.contains(&indicator.code), "{}", line.rule);
        match &indicator.not_computable {
            Some(reason) => {
                assert!(indicator.measure.is_none(), "{}", indicator.clause);
                assert!(
                    line.rule
                        .ends_with(&format!("не вычисляется по журналу: {reason}")),
                    "{}",
                    line.rule
                );
            }
            None => assert!(!line.rule.contains("не вычисляется"), "{}", line.rule),
        }
    }
}

/// The text of seed `number` (`../shared/seeds/<number>_*.txt`).
fn seed_text(number: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    let path = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seeds are not in {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{number}_")) && n.ends_with(".txt"))
        })
        .unwrap_or_else(|| panic!("no seed {number} in {}", dir.display()));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn pervouralsk_follows_seed_004() {
    let p = profile("pervouralsk");

    assert_eq!(p.structure.levels, vec![Level::School, Level::City]);
    assert_eq!(p.structure.levels_clause.as_str(), "004 §6");
    for kind in [
        AssociationKind::MethodicalAssociation,
        AssociationKind::CreativeLab,
        AssociationKind::WorkingGroup,
        AssociationKind::ExpertCommunity,
        AssociationKind::ProfessionalAssociation,
    ] {
        assert!(p.structure.kinds.contains(&kind), "{kind:?}");
    }
    assert_eq!(p.structure.kinds_clause.as_str(), "004 §8");
    // The seed is silent on meetings; heads follow who carries methodical support (§7): the
    // school's administration at the school level, the methodical center at the city level.
    assert_eq!(p.meetings.min_per_school_year, None);
    let school_head = p
        .role_rule(AssociationRole::Head, Level::School)
        .expect("school head rule");
    assert_eq!(
        school_head.issuer,
        Some(BodyKind::OrganizationAdministration)
    );
    assert_eq!(school_head.clause.as_str(), "004 §7");
    let city_head = p
        .role_rule(AssociationRole::Head, Level::City)
        .expect("city head rule");
    assert_eq!(city_head.issuer, Some(BodyKind::MethodicalCenter));
    assert_eq!(city_head.clause.as_str(), "004 §7");
    // §7 also says who the heads are: the school's director or deputy head, a worker of the
    // methodical center; and who creates: the school's administration, the center.
    let school_rule = p
        .eligibility_rule(AssociationRole::Head, Level::School)
        .expect("school head eligibility");
    assert_eq!(
        school_rule.qualifying_positions,
        vec![PositionKind::Director, PositionKind::DeputyHead]
    );
    assert_eq!(
        school_rule.works_at,
        Some(domain::profile::WorkPlace::OwnOrganization)
    );
    let city_rule = p
        .eligibility_rule(AssociationRole::Head, Level::City)
        .expect("city head eligibility");
    assert_eq!(
        city_rule.works_at,
        Some(domain::profile::WorkPlace::MethodicalCenter)
    );
    assert_eq!(
        p.structure.creation_for(Level::School).issuer,
        BodyKind::OrganizationAdministration
    );
    assert_eq!(
        p.structure.creation_for(Level::City).issuer,
        BodyKind::MethodicalCenter
    );
    assert_eq!(p.structure.created_by_clause.as_str(), "004 §7");
    assert!(!p.membership.applications);
}

/// 000 §4.4, §10.1 (at least 4 meetings a year) and 003 §7.6 (at least 3 per school year):
/// the domain does not refuse a meeting for the count — how many were held is known only at
/// the year's end, and a shortfall is the oversight question `query meetings` answers from
/// this number. So the profile carries the minimum with its exact clause, shows it in
/// `profile show`, and leaves it out where the seed sets none. Where the road map sets the
/// number (002 §5.9), the profile names that document instead (`planned_by`), with network
/// events too.
#[test]
fn minimum_meetings_per_school_year_carried_with_its_clause_000_4_4_10_1_003_7_6() {
    let none = "минимальное число заседаний положением не установлено";
    for (name, minimum, planned_by, clause, expected) in [
        (
            "novokuznetsk",
            Some(4),
            None,
            "000 §4.4, §10.1",
            "не менее 4 заседаний за учебный год",
        ),
        (
            "novosibirsk",
            Some(3),
            None,
            "003 §7.6",
            "не менее 3 заседаний за учебный год",
        ),
        (
            "izhevsk",
            None,
            Some(DocumentType::WorkPlan),
            "002 §5.9",
            "число заседаний и сетевых событий за учебный год устанавливает документ «план работы (дорожная карта)»: каждая версия их указывает",
        ),
        ("kuznetsk", None, None, "001 §1.3 (второй, раздел 2)", none),
        ("pervouralsk", None, None, "004 §8", none),
    ] {
        let p = profile(name);
        assert_eq!(p.meetings.min_per_school_year, minimum, "{name}");
        assert_eq!(p.meetings.planned_by, planned_by, "{name}");
        assert_eq!(
            p.meetings.planned_network_events,
            planned_by.is_some(),
            "{name}"
        );
        assert_eq!(p.meetings.min_clause.as_str(), clause, "{name}");
        let line = p
            .rule_lines()
            .into_iter()
            .find(|l| l.topic == "заседания" && l.clause == clause)
            .unwrap_or_else(|| panic!("{name}: no line on the number of meetings"));
        assert_eq!(line.rule, expected, "{name}");
    }
}

/// 002 §5.9: the document that sets the number of meetings is one the profile provides, and
/// replaces a fixed minimum rather than adding to it; network events are planned only with
/// it, where their reports are provided. A profile breaking any of these is refused naming
/// the clause.
#[test]
fn a_plan_setting_the_number_of_meetings_checked_when_the_profile_is_read_002_5_9() {
    let izhevsk = include_str!("../../profiles/izhevsk.toml");
    let refused = |text: String, problem: &str| {
        let error = RegulationProfile::from_toml("izhevsk.toml", &text)
            .expect_err("the profile is refused");
        let message = error.to_string();
        assert!(message.contains("(002 §5.9)"), "{message}");
        assert!(message.contains(problem), "{message}");
    };
    refused(
        izhevsk.replace(
            "planned_by = \"work_plan\"",
            "planned_by = \"work_plan\"\nmin_per_school_year = 4",
        ),
        "не оба",
    );
    // Only at a level the association is not of: not provided at every level.
    let at_school = |text: &str, document: &str| {
        text.replace(
            &format!("type = \"{document}\"\n"),
            &format!("type = \"{document}\"\nlevels = [\"school\"]\n"),
        )
    };
    refused(
        at_school(
            &izhevsk.replace(
                "planned_by = \"work_plan\"",
                "planned_by = \"annual_analysis\"",
            ),
            "annual_analysis",
        ),
        "должен быть предусмотрен профилем на каждом уровне",
    );
    refused(
        at_school(izhevsk, "network_event_report"),
        "отчёт о сетевом событии",
    );
    refused(
        izhevsk.replace("planned_by = \"work_plan\"\n", ""),
        "только вместе с planned_by",
    );
}

/// Refusals of what a profile does not provide cite the regulation's own provision: its
/// list of documentation (000 §4.5, §10.3; 002 §8.1; 003 §7.10) and its clause on
/// effectiveness indicators (001 §4.1; 003 §VI), or the nearest clause where it has none.
#[test]
fn documentation_and_indicators_cite_each_profiles_own_clauses() {
    for (name, documentation, indicators) in [
        ("novokuznetsk", "000 §4.5, §10.3", "000 §4.5, §10.3"),
        ("kuznetsk", "001 §1.3 (второй, раздел 2)", "001 §4.1"),
        ("izhevsk", "002 §8.1", "002 §8.1"),
        ("novosibirsk", "003 §7.10", "003 §VI"),
        ("pervouralsk", "004 §8", "004 §10"),
    ] {
        let p = profile(name);
        for level in &p.structure.levels {
            assert_eq!(
                p.documentation_clause(*level).as_str(),
                documentation,
                "{name}"
            );
        }
        assert_eq!(p.indicators_clause().as_str(), indicators, "{name}");
    }
}

// ---- (c) a sixth municipality is one more file ----------------------------------------

/// A made-up municipality: two levels, an elected head, applications, its own deadlines.
const ZARECHNY: &str = r#"
# Заречный — a made-up profile, to show that a municipality is data.
name = "zarechny"
title = "Город Заречный"
seed = "999"
source = "Положение о методических объединениях города Заречного (приказ от 01.09.2025 № 1)"

[structure]
levels = ["school", "city"]
levels_clause = "999 §1.2"
kinds = ["methodical_association", "creative_lab"]
kinds_clause = "999 §1.3"
created_by = "department"
created_by_clause = "999 §1.4"

[[roles]]
role = "head"
method = "election"
majority = "of_all_members"
deadline = "09-20"
yearly = true
clause = "999 §2.1"

[[roles]]
role = "curator"
method = "order"
issuer = "methodical_center"
clause = "999 §2.2"

[[eligibility]]
role = "head"
categories = ["highest"]
min_years_in_specialty = 3
clause = "999 §2.3"

[membership]
applications = true
forms = ["teacher"]
receiver = "methodical_center"
period_from = "09-10"
period_to = "06-15"
clause = "999 §3.1"

[meetings]
min_per_school_year = 2
min_clause = "999 §4.1"
every_question_decided = true
decisions_clause = "999 §4.2"
protocol_drafted_by = "secretary"
protocol_signed_by = "head"
protocol_clause = "999 §4.3"

[[documents]]
type = "work_plan"
authors = ["head", "curator"]
due = "06-01"
due_action = "утверждение куратором"
clause = "999 §5.1"

[retention]
years = 5
clause = "999 §6.1"
"#;

#[test]
fn a_sixth_municipality_loads_from_its_file_without_code() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("zarechny.toml");
    fs::write(&path, ZARECHNY).expect("write the profile");

    let p = load_file(&path).expect("the made-up profile loads");
    assert_eq!(
        Some(p.name.as_str()),
        path.file_stem().and_then(|s| s.to_str())
    );
    assert_eq!(p.seed, "999");
    let head = p
        .role_rule(AssociationRole::Head, Level::School)
        .expect("head rule for every level");
    assert_eq!(head.method, FillMethod::Election);
    assert_eq!(head.deadline, Some(md("09-20")));
    assert_eq!(p.meetings.min_per_school_year, Some(2));
    assert_eq!(p.retention.as_ref().map(|r| r.years), Some(5));
    let year = SchoolYear::parse("2025/26").expect("school year");
    let (from, to) = p.application_period(year).expect("an application period");
    assert_eq!(
        (from.to_string(), to.to_string()),
        ("2025-09-10".to_string(), "2026-06-15".to_string())
    );
    assert!(p.rule_lines().iter().all(|l| l.clause.starts_with("999 §")));
}

// ---- (d) malformed profiles -----------------------------------------------------------

/// Loads `text` as a profile and returns the reason it is refused.
fn refusal(text: &str) -> String {
    match RegulationProfile::from_toml("broken.toml", text) {
        Ok(_) => panic!("a malformed profile was accepted:\n{text}"),
        Err(DomainError::InvalidProfile { origin, reason }) => {
            assert_eq!(origin, "broken.toml");
            let shown = DomainError::InvalidProfile {
                origin: origin.clone(),
                reason: reason.clone(),
            }
            .to_string();
            assert!(shown.contains("broken.toml"), "{shown}");
            reason
        }
        Err(other) => panic!("expected InvalidProfile, got {other:?}"),
    }
}

fn replaced(from: &str, to: &str) -> String {
    assert!(ZARECHNY.contains(from), "the template contains «{from}»");
    ZARECHNY.replacen(from, to, 1)
}

/// The line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let offset = text.find(needle).expect("needle in text");
    text[..offset].matches('\n').count() + 1
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let text = replaced("years = 5", "years = 5\nforever = true");
    let reason = refusal(&text);
    assert!(reason.contains("forever"), "{reason}");
    assert!(
        reason.contains(&format!("строка {}", line_of(&text, "forever"))),
        "{reason}"
    );

    let reason = refusal(&replaced("[retention]", "[retension]"));
    assert!(reason.contains("retension"), "{reason}");
}

#[test]
fn a_clause_without_seed_or_paragraph_sign_is_refused() {
    for bad in ["§4.1", "999 4.1", "99 §4.1", "abc §4.1"] {
        let text = replaced("\"999 §4.1\"", &format!("\"{bad}\""));
        let reason = refusal(&text);
        assert!(reason.contains(bad), "{bad}: {reason}");
        assert!(
            reason.contains("000 §4.7"),
            "the expected form is shown: {reason}"
        );
        assert!(
            reason.contains(&format!("строка {}", line_of(&text, "min_clause"))),
            "{reason}"
        );
    }
}

#[test]
fn an_order_without_an_issuer_is_refused() {
    let reason = refusal(&replaced("issuer = \"methodical_center\"\n", ""));
    assert!(reason.contains("issuer"), "{reason}");
    assert!(reason.contains("999 §2.2"), "names the rule: {reason}");
}

/// A document developed on the basis of another (`requires`, 002 §5.8) names the clause, and
/// the basis is another document the profile provides.
#[test]
fn a_required_basis_needs_its_clause_and_a_document_the_profile_provides() {
    let reason = refusal(&replaced(
        "due_action = \"утверждение куратором\"\n",
        "due_action = \"утверждение куратором\"\nrequires = \"technical_assignment\"\n",
    ));
    assert!(reason.contains("requires_clause"), "{reason}");
    assert!(reason.contains("999 §5.1"), "{reason}");
    let reason = refusal(&replaced(
        "due_action = \"утверждение куратором\"\n",
        "due_action = \"утверждение куратором\"\nrequires = \"technical_assignment\"\nrequires_clause = \"999 §5.2\"\n",
    ));
    assert!(reason.contains("техническое задание"), "{reason}");
    assert!(reason.contains("999 §5.1"), "{reason}");
}

#[test]
fn an_election_without_a_majority_is_refused() {
    let reason = refusal(&replaced("majority = \"of_all_members\"\n", ""));
    assert!(reason.contains("majority"), "{reason}");
    assert!(reason.contains("999 §2.1"), "{reason}");
}

#[test]
fn a_bad_month_day_is_refused() {
    for bad in ["9-20", "09-31", "20-09", "09/20"] {
        let text = replaced("\"09-20\"", &format!("\"{bad}\""));
        let reason = refusal(&text);
        assert!(reason.contains(bad), "{bad}: {reason}");
        assert!(reason.contains("ММ-ДД"), "{reason}");
        assert!(
            reason.contains(&format!("строка {}", line_of(&text, "deadline"))),
            "{reason}"
        );
    }
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = replaced("years = 5", "years = = 5");
    let reason = refusal(&text);
    assert!(
        reason.contains(&format!("строка {}", line_of(&text, "years = = 5"))),
        "{reason}"
    );
}

#[test]
fn unknown_values_and_missing_parts_are_refused() {
    let reason = refusal(&replaced("\"creative_lab\"", "\"book_club\""));
    assert!(reason.contains("book_club"), "{reason}");

    let reason = refusal(&replaced("name = \"zarechny\"", "name = \"Заречный\""));
    assert!(reason.contains("Заречный"), "{reason}");

    let reason = refusal(&replaced("forms = [\"teacher\"]\n", ""));
    assert!(reason.contains("forms"), "{reason}");
    assert!(reason.contains("999 §3.1"), "{reason}");

    let reason = refusal(&replaced("[meetings]", "[meetingz]"));
    assert!(reason.contains("meetingz"), "{reason}");
}

/// An indicator is either computed — a code `metod query indicators` counts, with a measure —
/// or tracked but not computable, with the reason and no measure (003 §VI); codes are
/// distinct.
#[test]
fn an_indicator_is_computed_or_says_why_not() {
    let with = |fields: &str| {
        format!(
            "{ZARECHNY}\n[[indicators]]\ntitle = \"Показатель\"\nclause = \"999 §7.1\"\n{fields}"
        )
    };
    let accepted = |fields: &str| {
        RegulationProfile::from_toml("zarechny.toml", &with(fields))
            .unwrap_or_else(|e| panic!("{fields}: {e}"))
    };
    let p = accepted("code = \"diagnostics_share\"\nmeasure = \"share\"\n");
    assert_eq!(p.indicators[0].computed(), Some(IndicatorMeasure::Share));
    let p = accepted("code = \"satisfaction\"\nnot_computable = \"опросов нет\"\n");
    assert_eq!(p.indicators[0].computed(), None);

    for (fields, expected) in [
        (
            "code = \"satisfaction\"\nmeasure = \"share\"\n",
            "not_computable",
        ),
        ("code = \"satisfaction\"\n", "measure"),
        (
            "code = \"satisfaction\"\nmeasure = \"share\"\nnot_computable = \"опросов нет\"\n",
            "measure",
        ),
        ("code = \"satisfaction\"\nnot_computable = \" \"\n", "пуста"),
        (
            "code = \"Удовлетворённость\"\nnot_computable = \"нет\"\n",
            "код",
        ),
    ] {
        let reason = refusal(&with(fields));
        assert!(reason.contains(expected), "{fields}: {reason}");
        assert!(reason.contains("999 §7.1"), "names the rule: {reason}");
    }
    let twice = with("code = \"satisfaction\"\nnot_computable = \"нет\"\n")
        + "\n[[indicators]]\ncode = \"satisfaction\"\ntitle = \"Ещё\"\nclause = \"999 §7.1\"\nnot_computable = \"нет\"\n";
    assert!(refusal(&twice).contains("повторяется"));
}

// ---- (e) every rule shows its clause ---------------------------------------------------

#[test]
fn every_rule_line_carries_a_clause() {
    for (stem, profile) in all_profiles() {
        let lines = profile.rule_lines();
        assert!(!lines.is_empty(), "{stem}: no rules");
        for line in &lines {
            assert!(
                !line.clause.trim().is_empty(),
                "{stem}: «{}» has no clause",
                line.rule
            );
            assert!(!line.rule.trim().is_empty(), "{stem}: an empty rule");
        }
    }
}

/// Issue 23 (routes as written): a step the municipality adds that its regulation lacks is
/// written in its own profile file as `local = true` and shown as the municipality's, not the
/// regulation's: Izhevsk with its analysis (002 §5.12 sends it nowhere) given to the curator
/// by a local step.
#[test]
fn a_local_step_is_shown_as_the_municipalitys_not_the_regulations() {
    let built_in = fs::read_to_string(profiles_dir().join("izhevsk.toml")).expect("izhevsk");
    let needle = "chain = []\nclause = \"002 §5.12\"";
    assert!(built_in.contains(needle), "the analysis goes nowhere");
    let local = built_in.replacen(
        needle,
        "chain = [{ role = \"curator\", local = true }]\nclause = \"002 §5.12\"",
        1,
    );
    let profile = RegulationProfile::from_toml("izhevsk.toml", &local).expect("loads");
    let analysis = profile
        .rule_lines()
        .into_iter()
        .find(|l| l.topic == "согласование" && l.rule.contains("анализ работы"))
        .expect("the analysis line");
    assert!(
        analysis
            .rule
            .contains("куратор [местный шаг муниципалитета, не по положению]"),
        "{}",
        analysis.rule
    );
    let as_built = RegulationProfile::from_toml("izhevsk.toml", &built_in).expect("loads");
    assert!(as_built
        .rule_lines()
        .iter()
        .all(|l| !l.rule.contains("местный шаг")));
}
