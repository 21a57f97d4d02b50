//! What a regulation does not provide is refused, citing the clauses of what it does provide:
//! a head elected where the profile appoints one and the reverse, a role the profile has no
//! rule for, applications, a level, a kind of association or a document it does not know.
//!
//! One table: each row names its profile, builds its town and command, and says the refusal.
//! `refusals!` turns every row into a test of its own (so a failing row is reported by name
//! and the other rows still run); the row's name and profile are also in its failure message.

use super::*;
use domain::commands::OpenDocument;

use super::associations::create;
use super::elections::elect_secretary;
use super::eligibility::appoint_curator;
use super::heads::appoint_head;
use super::membership::{school_year_period, submit_application};

/// Decides the row's command in the row's town and expects exactly `refused`.
fn check_row(row: &str, profile: &str, (town, when): (Town, When), refused: DomainError) {
    assert_eq!(
        town.profile.name, profile,
        "row {row}: the town is not under the profile the row names"
    );
    match run(&town, &when) {
        Err(e) => assert_eq!(
            e, refused,
            "row {row} ({profile}): refused otherwise\nwhen {:?}",
            when.command
        ),
        Ok(decision) => panic!(
            "row {row} ({profile}): expected a refusal, got events {:?}\nwhen {:?}",
            decision.events, when.command
        ),
    }
}

/// The table: `row: profile, the town and the command => the refusal;`.
macro_rules! refusals {
    ($($(#[$doc:meta])* $row:ident: $profile:literal, $given:expr => $refused:expr;)*) => {
        $(
            $(#[$doc])*
            #[test]
            fn $row() {
                check_row(stringify!($row), $profile, $given, $refused)
            }
        )*
    };
}

refusals! {
    /// 000 §7.4: where the profile appoints the head by order, an election does not fill it.
    novokuznetsk_head_is_not_elected_000_7_4: "novokuznetsk", head_elected()
        => DomainError::WrongFillMethod {
            role: "руководитель",
            level: "районный",
            how: "назначается приказом, а не избирается",
            clause: clause("000 §7.4, §1.5"),
        };
    /// 003 §7.4: where the profile elects the head, an order does not appoint one.
    novosibirsk_head_is_not_appointed_by_order_003_7_4: "novosibirsk", head_appointed()
        => DomainError::WrongFillMethod {
            role: "руководитель",
            level: "районный",
            how: "избирается членами открытым голосованием, а не назначается приказом",
            clause: clause("003 §7.4"),
        };
    /// 000 §7.4, §4.3, §10.2: the regulation fills a district association's head and
    /// secretary and has no curators; appointing one cites the clauses of the roles it fills.
    novokuznetsk_has_no_curators_000_7_4_4_3_10_2: "novokuznetsk", curator_appointed()
        => DomainError::NoRoleRule {
            role: "куратор",
            level: "районный",
            provided: "руководитель, секретарь".into(),
            clause: clause("000 §7.4, §1.5, §4.3, §10.2"),
        };
    /// 002 §8.1, §5.3: Izhevsk names no secretary.
    izhevsk_has_no_secretaries_002_8_1_5_3: "izhevsk", secretary_elected()
        => DomainError::NoRoleRule {
            role: "секретарь",
            level: "городской (муниципальный)",
            provided: "руководитель, куратор".into(),
            clause: clause("002 §8.1, §5.3"),
        };
    /// 000 §4.1, §7.5: the composition is not made by applications there.
    novokuznetsk_has_no_applications_000_4_1: "novokuznetsk", application_submitted()
        => DomainError::ApplicationsNotProvided {
            clause: clause("000 §4.1, §7.5"),
        };
    /// 001 §1.1, §1.3: Kuznetsk has one municipal level; a district association is refused.
    kuznetsk_has_no_district_level_001_1_1: "kuznetsk", district_association_created()
        => DomainError::LevelNotProvided {
            level: "районный",
            clause: clause("001 §1.1, §1.3"),
        };
    /// 002 §1.1, §1.2: Izhevsk has methodical associations only; a creative lab is refused
    /// (Pervouralsk provides one: `associations::creative_lab_provided_by_pervouralsk_004_8`).
    izhevsk_has_no_creative_labs_002_1_1: "izhevsk", creative_lab_created("izhevsk")
        => DomainError::KindNotProvided {
            kind: "творческая лаборатория",
            clause: clause("002 §1.1, §1.2"),
        };
    /// 000 §4.5, §10.3: the Novokuznetsk regulation has no network-event reports.
    novokuznetsk_has_no_network_event_reports_000_4_5: "novokuznetsk", network_event_report_opened()
        => DomainError::DocumentNotProvided {
            document: "отчёт о сетевом событии",
            level: "районный",
            clause: clause("000 §4.5, §10.3"),
        };
    /// 004 lists no documentation of an association: the nearest clause (§8) is cited.
    pervouralsk_has_no_work_plans_004_8: "pervouralsk", work_plan_opened()
        => DomainError::DocumentNotProvided {
            document: "план работы (дорожная карта)",
            level: "городской (муниципальный)",
            clause: clause("004 §8"),
        };
}

// ---- the towns and commands of the rows ----------------------------------------------------

fn head_elected() -> (Town, When) {
    let (mut town, association, members) = novokuznetsk_district();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    let when = elect_head(
        members[0],
        meeting_day(),
        association,
        members[2],
        vote(meeting, &members, 5, 0, 0),
    );
    (town, when)
}

fn head_appointed() -> (Town, When) {
    let (mut town, association, members) = novosibirsk_association();
    let on = date(2024, 9, 5);
    let order = town.order("heads", town.department, on);
    let when = appoint_head(on, association, members[0], order, None);
    (town, when)
}

fn curator_appointed() -> (Town, When) {
    let (mut town, association, members) = novokuznetsk_district();
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.department, on);
    let when = appoint_curator(on, association, members[0], order);
    (town, when)
}

fn secretary_elected() -> (Town, When) {
    let (mut town, association, head) = izhevsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &[head]);
    let when = elect_secretary(head, association, head, vote(meeting, &[head], 1, 0, 0));
    (town, when)
}

fn application_submitted() -> (Town, When) {
    let (mut town, association, _) = novokuznetsk_district();
    let orlova = town.person("orlova", Spec::teacher());
    let when = submit_application(
        orlova,
        association,
        ApplicationForm::Teacher,
        Member::Person(orlova),
        school_year_period(),
    );
    (town, when)
}

fn district_association_created() -> (Town, When) {
    let mut town = Town::kuznetsk();
    let on = date(2024, 9, 1);
    let order = town.order("create", town.department, on);
    let central = town.central;
    let when = create(
        on,
        "district",
        Level::District,
        AssociationKind::MethodicalAssociation,
        Some(central),
        order,
    );
    (town, when)
}

/// A creative lab of the city, created by an order of the town's methodical center.
pub(super) fn creative_lab_created(profile: &str) -> (Town, When) {
    let mut town = Town::new(profile);
    let on = date(2024, 9, 1);
    let order = town.order("create", town.center, on);
    // A creative lab is of one organization's teachers (004 §8): it names the school.
    let when = When::operator(
        on,
        Command::CreateAssociation(domain::commands::CreateAssociation {
            association: association_id("lab"),
            title: "Объединение lab".into(),
            subject: subject("математика"),
            level: Level::City,
            kind: AssociationKind::CreativeLab,
            group_membership: None,
            district: None,
            organization: Some(town.school),
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
    );
    (town, when)
}

fn network_event_report_opened() -> (Town, When) {
    let (town, association, members) = novokuznetsk_district();
    let when = When::by(
        members[0],
        date(2024, 10, 1),
        Command::OpenDocument(OpenDocument {
            document: document_id("report"),
            association,
            document_type: DocumentType::NetworkEventReport,
            school_year: year_2024(),
            title: "Отчёт о семинаре".into(),
            nomination: None,
        }),
    );
    (town, when)
}

fn work_plan_opened() -> (Town, When) {
    let mut town = Town::pervouralsk();
    let association = town.methodical_association("math-city", Level::City);
    let head = town.person("ivanova", Spec::teacher());
    town.admit(association, &[head]).head(association, head);
    let when = When::by(
        head,
        date(2024, 10, 1),
        Command::OpenDocument(OpenDocument {
            document: document_id("plan"),
            association,
            document_type: DocumentType::WorkPlan,
            school_year: year_2024(),
            title: "План работы".into(),
            nomination: None,
        }),
    );
    (town, when)
}
