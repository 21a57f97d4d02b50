//! The wire format of every event type, frozen: one representative instance of each type in
//! `Event::TYPES`, with fixed ids and dates, snapshotted as JSON (`event_type` + `payload`)
//! in `tests/snapshots/`. A changed payload fails here (under CI insta never rewrites a
//! snapshot); a new event type without a sample and a snapshot fails too. Each sample also
//! decodes back to itself from its wire name and payload.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use domain::calendar::SchoolYear;
use domain::events::*;
use domain::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId,
};
use domain::profile::{ApplicationForm, ChainStep, MeetingOf, StepRole};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, Category, CategoryLevel, Clause, ContentHash,
    DevelopmentMilestone, DocumentType, GroupMembership, Level, Office, OrderKind,
    OrganizationKind, PositionKind, Sealed, Subject,
};
use domain::Event;

const NS: &str = "test";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn year() -> SchoolYear {
    SchoolYear::parse("2024/25").expect("a valid school year")
}

fn municipality() -> MunicipalityId {
    MunicipalityId::derived(NS, "novokuznetsk")
}

fn district() -> DistrictId {
    DistrictId::derived(NS, "central")
}

fn school() -> OrganizationId {
    OrganizationId::derived(NS, "school-1")
}

fn department() -> BodyId {
    BodyId::derived(NS, "department")
}

fn council() -> BodyId {
    BodyId::derived(NS, "coordination-council")
}

fn ivanova() -> PersonId {
    PersonId::derived(NS, "ivanova")
}

fn petrova() -> PersonId {
    PersonId::derived(NS, "petrova")
}

fn order() -> OrderId {
    OrderId::derived(NS, "order-3246")
}

fn association() -> AssociationId {
    AssociationId::derived(NS, "math-city")
}

fn district_association() -> AssociationId {
    AssociationId::derived(NS, "math-central")
}

fn application() -> ApplicationId {
    ApplicationId::derived(NS, "application")
}

fn document() -> DocumentId {
    DocumentId::derived(NS, "plan")
}

fn meeting() -> MeetingId {
    MeetingId::derived(NS, "meeting-1")
}

fn subject() -> Subject {
    Subject::parse("математика").expect("a valid subject")
}

fn hash(digit: char) -> ContentHash {
    ContentHash::parse(&digit.to_string().repeat(64)).expect("64 hex digits")
}

fn sealed(person: PersonId, field: &str) -> Sealed {
    Sealed(json!({
        "sealed": {
            "person": person.to_string(),
            "field": field,
            "nonce": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
            "ciphertext": "c2VhbGVkIHRleHQ=",
        }
    }))
}

fn vote() -> Vote {
    Vote {
        meeting: meeting(),
        present: vec![ivanova(), petrova()],
        votes_for: 2,
        against: 0,
        abstained: 0,
    }
}

/// One representative instance of every event type, optional fields filled where the type
/// has them (so the snapshot shows them).
fn samples() -> Vec<Event> {
    vec![
        MunicipalityRegistered {
            municipality: municipality(),
            title: "Новокузнецкий городской округ".into(),
            profile: "novokuznetsk".into(),
        }
        .into(),
        DistrictAdded {
            municipality: municipality(),
            district: district(),
            title: "Центральный район".into(),
        }
        .into(),
        OrganizationRegistered {
            municipality: municipality(),
            organization: school(),
            title: "МБОУ «СОШ № 1»".into(),
            kind: OrganizationKind::School,
            district: Some(district()),
        }
        .into(),
        BodyEstablished {
            municipality: municipality(),
            body: BodyId::derived(NS, "central-department"),
            kind: BodyKind::DistrictDepartment,
            title: "Отдел образования Центрального района".into(),
            district: Some(district()),
            organization: None,
        }
        .into(),
        OfficialAssigned {
            municipality: municipality(),
            body: department(),
            person: petrova(),
            office: Office::DeputyChief,
        }
        .into(),
        OfficialRelieved {
            municipality: municipality(),
            body: department(),
            person: petrova(),
        }
        .into(),
        PersonRegistered {
            person: ivanova(),
            municipality: municipality(),
            organization: school(),
            position_kind: PositionKind::Teacher,
            full_name: sealed(ivanova(), "full_name"),
            birth_date: sealed(ivanova(), "birth_date"),
            position_title: sealed(ivanova(), "position_title"),
            category: Category::granted(CategoryLevel::Highest, date(2021, 12, 20))
                .expect("a valid category"),
            specialty_since: date(2008, 9, 1),
            subjects: vec![subject()],
        }
        .into(),
        CategoryChanged {
            person: ivanova(),
            category: Category::granted(CategoryLevel::First, date(2024, 10, 1))
                .expect("a valid category"),
        }
        .into(),
        PersonTransferred {
            person: ivanova(),
            organization: OrganizationId::derived(NS, "school-2"),
            position_kind: PositionKind::DeputyHead,
            position_title: sealed(ivanova(), "position_title"),
        }
        .into(),
        PersonDismissed {
            person: ivanova(),
            reason: "увольнение по собственному желанию".into(),
        }
        .into(),
        OrderIssued {
            order: order(),
            municipality: municipality(),
            issuer: department(),
            issuer_kind: BodyKind::Department,
            kind: OrderKind::Order,
            number: "3246".into(),
            date: date(2024, 9, 10),
            title: "Об утверждении руководителей ГПМО на 2024/25 учебный год".into(),
            decides: vec!["Утвердить руководителей ГПМО".into()],
            signed_by: Some(petrova()),
        }
        .into(),
        AssociationCreated {
            association: association(),
            municipality: municipality(),
            title: "ГПМО учителей математики".into(),
            subject: subject(),
            level: Level::City,
            kind: AssociationKind::WorkingGroup,
            group_membership: Some(GroupMembership::Rotating),
            district: None,
            organization: None,
            order: order(),
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }
        .into(),
        AssociationReorganized {
            association: association(),
            title: Some("ГПМО учителей математики и информатики".into()),
            subject: Some(Subject::parse("математика и информатика").expect("a subject")),
            kind: Some(AssociationKind::MethodicalAssociation),
            order: order(),
        }
        .into(),
        AssociationLiquidated {
            association: association(),
            order: order(),
        }
        .into(),
        DistrictAssociationLinked {
            city_association: association(),
            district_association: district_association(),
        }
        .into(),
        AssociationListApproved {
            municipality: municipality(),
            district: district(),
            school_year: year(),
            order: order(),
            associations: vec![district_association()],
        }
        .into(),
        MemberAdmitted {
            association: association(),
            member: Member::Person(ivanova()),
            school_year: Some(year()),
            until: Some(date(2025, 5, 31)),
            basis: AdmissionBasis::Application(application()),
            from: None,
        }
        .into(),
        MemberLeft {
            association: association(),
            member: Member::Organization(school()),
            reason: "Заявление организации".into(),
        }
        .into(),
        HeadAppointed {
            association: association(),
            person: ivanova(),
            school_year: year(),
            until: Some(date(2025, 8, 31)),
            order: order(),
            review: Some(CouncilReview {
                council: council(),
                protocol_number: "5".into(),
                date: date(2024, 9, 5),
            }),
        }
        .into(),
        HeadElected {
            association: district_association(),
            person: ivanova(),
            school_year: year(),
            until: None,
            vote: vote(),
        }
        .into(),
        CuratorAppointed {
            association: association(),
            person: petrova(),
            school_year: year(),
            until: None,
            order: order(),
        }
        .into(),
        SecretaryElected {
            association: association(),
            person: petrova(),
            school_year: year(),
            until: Some(date(2025, 8, 31)),
            vote: vote(),
        }
        .into(),
        MemberDatabaseUpdated {
            association: association(),
            school_year: year(),
            member_count: 12,
        }
        .into(),
        DevelopmentRecorded {
            association: association(),
            person: petrova(),
            school_year: year(),
            milestone: DevelopmentMilestone::IndividualRouteDeveloped,
        }
        .into(),
        IndividualProgrammeRecorded {
            person: petrova(),
            organization: school(),
            school_year: year(),
            title: "Формирующее оценивание на уроках математики".into(),
        }
        .into(),
        IndividualProgrammeCoordinated {
            person: petrova(),
            school_year: year(),
            note: Some("Согласовано с методистом по математике".into()),
        }
        .into(),
        EffectivenessMonitoringRecorded {
            municipality: municipality(),
            school_year: year(),
            road_map_order: order(),
            road_map_number: "412".into(),
            road_map_date: date(2024, 8, 30),
            findings: "Методическая работа в школах соответствует дорожной карте".into(),
        }
        .into(),
        MembershipApplicationSubmitted {
            application: application(),
            association: association(),
            form: ApplicationForm::Teacher,
            applicant: Member::Person(ivanova()),
            theme: "Функциональная грамотность".into(),
            school_year: year(),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }
        .into(),
        MembershipApplicationApproved {
            application: application(),
            association: association(),
            review: Some(CouncilReview {
                council: council(),
                protocol_number: "3".into(),
                date: date(2024, 9, 5),
            }),
        }
        .into(),
        MembershipApplicationRejected {
            application: application(),
            association: association(),
            reason: "Тема не соответствует направлению ГМО".into(),
            review: None,
        }
        .into(),
        MembershipApplicationReturned {
            application: application(),
            association: association(),
            comment: "Уточните тему работы в ГМО".into(),
            review: None,
        }
        .into(),
        DocumentOpened {
            document: document(),
            association: association(),
            document_type: DocumentType::WorkPlan,
            school_year: year(),
            title: "План работы ГПМО на 2024/25 учебный год".into(),
            nomination: None,
        }
        .into(),
        DocumentVersionSubmitted {
            document: document(),
            association: association(),
            version: 2,
            author: ivanova(),
            content_hash: hash('a'),
            network_event: Some(NetworkEventDetails {
                topic: "Формирующее оценивание".into(),
                held_on: date(2024, 11, 14),
                goal: "Обмен опытом".into(),
                audience: "Учителя математики".into(),
                programme: Some("Доклад, мастер-класс, обсуждение".into()),
                attendees: vec![ivanova(), petrova()],
                attendance_count: 24,
                attendance_sheet: hash('b'),
                evidence: vec![hash('c'), hash('d')],
            }),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }
        .into(),
        MeetingScheduled {
            meeting: meeting(),
            association: association(),
            date: date(2024, 9, 10),
            agenda: vec!["О плане работы".into(), "Выборы секретаря".into()],
        }
        .into(),
        MeetingHeld {
            meeting: meeting(),
            association: association(),
            date: date(2024, 9, 10),
            school_year: year(),
            attendance: vec![ivanova(), petrova()],
            questions: vec![QuestionDecision {
                question: "О плане работы".into(),
                decision: "Утвердить план работы".into(),
            }],
            recommendations: vec!["Провести открытые уроки".into()],
        }
        .into(),
        ProtocolDrafted {
            meeting: meeting(),
            association: association(),
            number: "1".into(),
            drafted_by: petrova(),
            content_hash: hash('e'),
        }
        .into(),
        ProtocolSigned {
            meeting: meeting(),
            association: association(),
            signed_by: ivanova(),
            content_hash: hash('e'),
        }
        .into(),
        ProtocolCorrected {
            meeting: meeting(),
            association: association(),
            corrects: hash('e'),
            content_hash: hash('f'),
            reason: "Опечатка в фамилии".into(),
            corrected_by: ivanova(),
        }
        .into(),
        ApprovalChainAssigned {
            document: document(),
            association: district_association(),
            steps: vec![
                AssignedStep {
                    step: ChainStep::of(StepRole::AssociationHead),
                    association: Some(district_association()),
                },
                AssignedStep {
                    step: ChainStep {
                        at_meeting: Some(MeetingOf::City),
                        ..ChainStep::of(StepRole::CityHead)
                    },
                    association: Some(association()),
                },
                AssignedStep {
                    step: ChainStep {
                        offices: vec![Office::DeputyChief, Office::Specialist],
                        ..ChainStep::of(StepRole::Department)
                    },
                    association: None,
                },
                AssignedStep {
                    step: ChainStep {
                        council: Some(BodyKind::OrganizationalMethodicalCouncil),
                        ..ChainStep::of(StepRole::Council)
                    },
                    association: None,
                },
            ],
            submit_by: Some(date(2024, 5, 15)),
            due: Some(date(2024, 5, 5)),
            local_review_days: Some(10),
            former_review_days: None,
            clause: Clause::parse("000 §10.5").expect("clause"),
        }
        .into(),
        StepApproved {
            document: document(),
            version: 2,
            step: 2,
            final_step: false,
            by: ivanova(),
            comment: Some("Согласовано на заседании ГПМО".into()),
            meeting: Some(meeting()),
            order: Some(order()),
            protocol_number: None,
        }
        .into(),
        DocumentReturned {
            document: document(),
            version: 1,
            step: 2,
            by: ivanova(),
            comment: "Уточнить сроки мероприятий".into(),
        }
        .into(),
        DocumentRejected {
            document: document(),
            version: 3,
            step: 3,
            by: petrova(),
            reason: "План не соответствует техническому заданию".into(),
        }
        .into(),
        DocumentApproved {
            document: document(),
            association: district_association(),
            version: 2,
        }
        .into(),
        DocumentPublished {
            document: document(),
            association: association(),
            version: 1,
            address: "https://uo-kuznetsk.ru/mms/plan-2024-25".into(),
        }
        .into(),
        DeadlineMissed {
            deadline: DeadlineKind::StepReview,
            due: date(2025, 4, 30),
            school_year: year(),
            document: Some(document()),
            association: district_association(),
            version: Some(2),
            step: Some(2),
            document_type: None,
            holder: Holder {
                role: "руководитель городского объединения".into(),
                persons: vec![ivanova()],
                body: Some(department()),
            },
            source: DeadlineSource::Local {
                setting: review_setting(10),
            },
        }
        .into(),
        DeputyDesignated {
            association: association(),
            role: AssociationRole::Head,
            deputy: petrova(),
            until: date(2025, 1, 31),
            order: order(),
        }
        .into(),
    ]
}

/// Snapshots sort map keys, so the frozen form does not depend on serde_json's map order.
fn wire(event: &Event) -> serde_json::Value {
    json!({
        "event_type": event.event_type(),
        "payload": event.payload(),
    })
}

#[test]
fn every_event_type_has_a_sample_and_no_type_is_sampled_twice() {
    let samples = samples();
    let sampled: Vec<&str> = samples.iter().map(Event::event_type).collect();
    let unique: BTreeSet<&str> = sampled.iter().copied().collect();
    assert_eq!(unique.len(), sampled.len(), "a type is sampled twice");
    let types: BTreeSet<&str> = Event::TYPES.iter().copied().collect();
    assert_eq!(unique, types, "the samples must cover exactly Event::TYPES");
}

#[test]
fn the_wire_format_of_every_event_type_is_frozen() {
    for event in samples() {
        insta::with_settings!({ sort_maps => true, prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(event.event_type(), wire(&event));
        });
    }
}

/// The snapshot files are exactly one per event type: a type without one, or a snapshot of a
/// type that no longer exists, fails.
#[test]
fn the_snapshotted_types_are_exactly_the_event_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let snapshotted: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| {
            name.to_str()
                .and_then(|n| n.strip_suffix(".snap"))
                .map(str::to_string)
        })
        .collect();
    let types: BTreeSet<String> = Event::TYPES.iter().map(|t| t.to_string()).collect();
    assert_eq!(snapshotted, types);
}

#[test]
fn every_event_decodes_back_from_its_wire_name_and_payload() {
    for event in samples() {
        let text = event.payload().to_string();
        let decoded = Event::decode(event.event_type(), event.schema(), &text);
        assert_eq!(decoded.as_ref(), Ok(&event), "{}", event.event_type());
    }
}

#[test]
fn an_unknown_type_or_schema_is_refused_on_decode() {
    assert_eq!(
        Event::decode("PlanTeleported", domain::FIRST_SCHEMA, "{}").map_err(|e| e.code()),
        Err("unknown_event_type")
    );
    let sample = &samples()[0];
    assert_eq!(
        Event::decode(
            sample.event_type(),
            sample.schema() + 1,
            &sample.payload().to_string()
        )
        .map_err(|e| e.code()),
        Err("malformed_event")
    );
}

/// An optional field added to a shipped type (`DocumentVersionSubmitted.based_on`, 002 §5.8)
/// leaves the frozen form alone: absent, it is not written, and a payload written before it
/// existed decodes; present, it is written under its name and decodes back.
#[test]
fn an_optional_field_added_later_is_written_only_when_present() {
    let without = samples()
        .into_iter()
        .find(|e| e.event_type() == "DocumentVersionSubmitted")
        .expect("a sample");
    assert!(without.payload().get("based_on").is_none());
    let Event::DocumentVersionSubmitted(mut version) = without else {
        panic!("the sample is a version");
    };
    let assignment = DocumentId::derived(NS, "technical-assignment");
    version.based_on = Some(assignment);
    let with: Event = version.into();
    let payload = with.payload();
    assert_eq!(payload["based_on"], json!(assignment.to_string()));
    let decoded = Event::decode(with.event_type(), with.schema(), &payload.to_string());
    assert_eq!(decoded.as_ref(), Ok(&with));
}

/// The numbers a road map plans (`planned_meetings`, `planned_network_events`, 002 §5.9),
/// added after `based_on`: absent, they are not written, so the frozen form and the hashes of
/// the events already in logs stay as they were; present, they are written under their names
/// and decode back.
#[test]
fn the_numbers_a_road_map_plans_are_written_only_when_present_002_5_9() {
    let Some(Event::DocumentVersionSubmitted(mut version)) = samples()
        .into_iter()
        .find(|e| e.event_type() == "DocumentVersionSubmitted")
    else {
        panic!("a sample version");
    };
    let without: Event = version.clone().into();
    let payload = without.payload();
    assert!(payload.get("planned_meetings").is_none(), "{payload}");
    assert!(payload.get("planned_network_events").is_none(), "{payload}");
    version.network_event = None;
    version.planned_meetings = Some(4);
    version.planned_network_events = Some(0);
    let with: Event = version.into();
    let payload = with.payload();
    assert_eq!(payload["planned_meetings"], json!(4));
    assert_eq!(payload["planned_network_events"], json!(0));
    let decoded = Event::decode(with.event_type(), with.schema(), &payload.to_string());
    assert_eq!(decoded.as_ref(), Ok(&with));
}

/// A road map's version recorded before versions gave the numbers they plan (002 §5.9), as
/// the log holds it: it still decodes, planning nothing.
#[test]
fn a_version_recorded_before_plans_gave_numbers_still_decodes() {
    let older = r#"{"association":"5cf8e16d-a461-5c97-9561-7a032b74e731","author":"8510fd75-119c-57fc-9350-324e891b759b","based_on":"c8f4f656-4eb2-5c46-81cb-f482114c370a","content_hash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","document":"5b3742bd-4da5-5583-a37f-6fbb320c95c5","version":1}"#;
    let Ok(Event::DocumentVersionSubmitted(version)) =
        Event::decode("DocumentVersionSubmitted", domain::FIRST_SCHEMA, older)
    else {
        panic!("a version without planned numbers decodes");
    };
    assert_eq!(version.version, 1);
    assert!(version.based_on.is_some());
    assert_eq!(
        (version.planned_meetings, version.planned_network_events),
        (None, None)
    );
}

/// Schema 1 payloads, as the log holds them: a chain with `review_days` always written (metod's
/// default of 10 then), a step's missed review citing the document's clause.
const CHAIN_AT_SCHEMA_1: &str = r#"{"association":"c0fa0a72-a7a3-5b48-9c22-106c1682910b","clause":"000 §10.5","document":"5b3742bd-4da5-5583-a37f-6fbb320c95c5","due":"2024-05-05","review_days":10,"steps":[{"association":"c0fa0a72-a7a3-5b48-9c22-106c1682910b","step":{"role":"association_head"}}],"submit_by":"2024-05-15"}"#;
const MISSED_AT_SCHEMA_1: &str = r#"{"association":"c0fa0a72-a7a3-5b48-9c22-106c1682910b","clause":"000 §10.5","deadline":"step_review","document":"5b3742bd-4da5-5583-a37f-6fbb320c95c5","due":"2025-04-30","holder":{"persons":[],"role":"руководитель городского объединения"},"school_year":"2024/25","step":2,"version":2}"#;

#[test]
fn a_deadline_and_a_chain_are_written_at_schema_2_and_the_rest_at_schema_1() {
    for event in samples() {
        let expected = match event.event_type() {
            "DeadlineMissed" | "ApprovalChainAssigned" => 2,
            _ => domain::FIRST_SCHEMA,
        };
        assert_eq!(event.schema(), expected, "{}", event.event_type());
    }
}

#[test]
fn a_step_review_missed_at_schema_1_reads_as_metods_former_default_not_as_its_clause() {
    let Ok(Event::DeadlineMissed(missed)) = Event::decode("DeadlineMissed", 1, MISSED_AT_SCHEMA_1)
    else {
        panic!("a schema 1 DeadlineMissed decodes");
    };
    let cited = Clause::parse("000 §10.5").expect("clause");
    assert_eq!(missed.source, DeadlineSource::Former { cited });
    assert_eq!(
        missed.clause(),
        None,
        "no clause set a step's review period"
    );
    assert_eq!(missed.source.kind(), "former_default");
}

#[test]
fn a_document_deadline_missed_at_schema_1_keeps_its_clause() {
    let approval = MISSED_AT_SCHEMA_1.replace("step_review", "approval");
    let Ok(Event::DeadlineMissed(missed)) = Event::decode("DeadlineMissed", 1, &approval) else {
        panic!("a schema 1 DeadlineMissed decodes");
    };
    let clause = Clause::parse("000 §10.5").expect("clause");
    assert_eq!(missed.clause(), Some(&clause));
    assert_eq!(missed.source.kind(), "regulation");
}

#[test]
fn a_chain_assigned_at_schema_1_keeps_its_days_as_former_and_binds_no_step() {
    let Ok(Event::ApprovalChainAssigned(chain)) =
        Event::decode("ApprovalChainAssigned", 1, CHAIN_AT_SCHEMA_1)
    else {
        panic!("a schema 1 ApprovalChainAssigned decodes");
    };
    assert_eq!(chain.former_review_days, Some(10));
    assert_eq!(chain.local_review_days, None);
}

#[test]
fn a_schema_2_payload_is_not_read_as_schema_1_nor_a_schema_1_one_as_schema_2() {
    let chain = samples()
        .into_iter()
        .find(|e| e.event_type() == "ApprovalChainAssigned")
        .expect("a sample chain");
    let at_2 = chain.payload().to_string();
    assert!(Event::decode("ApprovalChainAssigned", 1, &at_2).is_err());
    assert!(Event::decode("DeadlineMissed", 2, MISSED_AT_SCHEMA_1).is_err());
}

#[test]
fn an_application_decision_recorded_before_council_sittings_were_cited_still_decodes() {
    let older = r#"{"application":"a09b4419-14f5-563c-921f-8230d7e976bd","association":"c0fa0a72-a7a3-5b48-9c22-106c1682910b"}"#;
    let Ok(Event::MembershipApplicationApproved(approved)) =
        Event::decode("MembershipApplicationApproved", domain::FIRST_SCHEMA, older)
    else {
        panic!("an approval without a council's sitting decodes");
    };
    assert_eq!(approved.review, None);
}
