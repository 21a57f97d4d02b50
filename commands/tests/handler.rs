//! The command handler on a real store (SQLite file and PostgreSQL): idempotency by command
//! id, retries on concurrent conflicts, no partial writes and no vault keys for refusals.

use chrono::NaiveDate;
use commands::{CommandHandler, ProfileSet, Submission};
use domain::commands::{
    AddDistrict, AdmitMember, AssignOfficial, ChangeCategory, CreateAssociation, EstablishBody,
    IssueOrder, RegisterMunicipality, RegisterOrganization, RegisterPerson,
};
use domain::events::{AdmissionBasis, Member};
use domain::ids::*;
use domain::values::{
    BodyKind, Category, Level, OrderKind, OrganizationKind, PositionKind, Subject,
};
use domain::{Acting, Command};
use store::testing::TestDatabase;
use store::{Backend, CommandId};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn municipality() -> MunicipalityId {
    MunicipalityId::derived("handler-test", "town")
}

fn register(id: CommandId) -> Submission {
    Submission::new(
        Command::RegisterMunicipality(RegisterMunicipality {
            municipality: municipality(),
            title: "Город Кузнецк".into(),
            profile: "kuznetsk".into(),
        }),
        Acting::Operator,
        date(2024, 8, 1),
        id,
    )
}

/// A handler whose "today" is 10 Sep 2024, the days these tests act on.
async fn handler(db: &TestDatabase) -> CommandHandler {
    let clock = std::sync::Arc::new(store::FixedClock::new(
        date(2024, 9, 10)
            .and_hms_opt(12, 0, 0)
            .expect("noon")
            .and_utc(),
    ));
    CommandHandler::with_clock(db.open_with(clock.clone()).await, profiles(), clock)
}

/// The built-in profiles, with Kuznetsk's as a municipality's own file may amend it: the
/// composition set by orders instead of by the registry (001 §1.3), so that these tests have
/// many admissions to race on one stream.
fn profiles() -> ProfileSet {
    let mut profiles = ProfileSet::built_in().expect("profiles");
    let text = include_str!("../../profiles/kuznetsk.toml");
    assert!(text.contains("from_registry = true\n"), "the rule to amend");
    let amended = text.replace("from_registry = true\n", "");
    profiles.insert(
        domain::RegulationProfile::from_toml("kuznetsk.toml (amended)", &amended)
            .expect("the amended profile"),
    );
    profiles
}

async fn a_repeated_command_id_returns_the_first_result_without_deciding_again(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let handler = handler(&db).await;
    let id = CommandId::derived("handler-test", "register");
    let first = handler.handle(register(id)).await.expect("first");
    assert!(!first.result.deduplicated);
    // Deciding again would refuse (the municipality exists); the repeat is answered instead.
    let repeat = handler.handle(register(id)).await.expect("repeat");
    assert!(repeat.result.deduplicated);
    assert_eq!(repeat.result.positions(), first.result.positions());
    assert_eq!(repeat.events, first.events);
    assert_eq!(handler.store().last_position().await.expect("last"), 1);
    // A new command id is a new command, and the rule refuses it.
    let again = handler
        .handle(register(CommandId::derived(
            "handler-test",
            "register-again",
        )))
        .await
        .expect_err("already registered");
    assert_eq!(again.code(), "already_exists");
    // The same id for a command on another stream is refused, not silently answered.
    let other = Submission::new(
        Command::AddDistrict(AddDistrict {
            municipality: MunicipalityId::derived("handler-test", "elsewhere"),
            district: DistrictId::derived("handler-test", "d"),
            title: "Район".into(),
        }),
        Acting::Operator,
        date(2024, 8, 1),
        id,
    );
    assert_eq!(
        handler.handle(other).await.expect_err("reused id").code(),
        "command_id_reused"
    );
}

async fn concurrent_commands_on_one_stream_all_land_through_retries(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let handler = handler(&db).await;
    handler
        .handle(register(CommandId::random()))
        .await
        .expect("register");
    let m = municipality();
    let org = OrganizationId::derived("handler-test", "school");
    let department = BodyId::derived("handler-test", "department");
    let order = OrderId::derived("handler-test", "order");
    let association = AssociationId::derived("handler-test", "association");
    let setup = vec![
        Command::RegisterOrganization(RegisterOrganization {
            municipality: m,
            organization: org,
            title: "Гимназия".into(),
            kind: OrganizationKind::School,
            district: None,
        }),
        Command::EstablishBody(EstablishBody {
            municipality: m,
            body: department,
            kind: BodyKind::Department,
            title: "Департамент".into(),
            district: None,
            organization: None,
        }),
        Command::IssueOrder(IssueOrder {
            order,
            municipality: m,
            issuer: department,
            kind: OrderKind::Order,
            number: "1".into(),
            date: date(2024, 8, 26),
            title: "О составе".into(),
            decides: vec![],
            signed_by: None,
        }),
        Command::CreateAssociation(CreateAssociation {
            association,
            title: "ММО".into(),
            subject: Subject::parse("химия").expect("subject"),
            level: Level::City,
            kind: domain::values::AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: None,
            organization: None,
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
    ];
    for command in setup {
        handler
            .handle(Submission::new(
                command,
                Acting::Operator,
                date(2024, 8, 26),
                CommandId::random(),
            ))
            .await
            .expect("setup");
    }
    let writers = 6;
    let mut people = Vec::new();
    for i in 0..writers {
        let person = PersonId::derived("handler-test", &format!("p{i}"));
        handler
            .handle(Submission::new(
                Command::RegisterPerson(RegisterPerson {
                    person,
                    municipality: m,
                    organization: org,
                    position_kind: PositionKind::Teacher,
                    full_name: format!("Учитель {i}"),
                    birth_date: date(1990, 1, 1),
                    position_title: "учитель".into(),
                    category: Category::none(),
                    specialty_since: date(2015, 9, 1),
                    subjects: vec![],
                }),
                Acting::Operator,
                date(2024, 8, 26),
                CommandId::random(),
            ))
            .await
            .expect("person");
        people.push(person);
    }
    let tasks: Vec<_> = people
        .iter()
        .map(|person| {
            let handler = handler.clone();
            let command = Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(*person),
                basis: AdmissionBasis::Order(order),
                district_association: None,
            });
            tokio::spawn(async move {
                handler
                    .handle(Submission::new(
                        command,
                        Acting::Operator,
                        date(2024, 9, 2),
                        CommandId::random(),
                    ))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("every admission lands");
    }
    let stream = store::StreamId::parse(association.stream()).expect("stream");
    let events = handler
        .store()
        .read_stream(&stream, 1, 100)
        .await
        .expect("read");
    let versions: Vec<u64> = events.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=1 + writers as u64).collect::<Vec<_>>());
    let admitted = events
        .iter()
        .filter(|e| e.event_type == "MemberAdmitted")
        .count();
    assert_eq!(admitted, writers);
}

async fn a_refused_registration_writes_nothing_and_creates_no_key(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let handler = handler(&db).await;
    handler
        .handle(register(CommandId::random()))
        .await
        .expect("register");
    let person = PersonId::derived("handler-test", "nobody");
    let refused = handler
        .handle(Submission::new(
            Command::RegisterPerson(RegisterPerson {
                person,
                municipality: municipality(),
                organization: OrganizationId::derived("handler-test", "no-such-school"),
                position_kind: PositionKind::Teacher,
                full_name: "Никто Никтович".into(),
                birth_date: date(1990, 1, 1),
                position_title: "учитель".into(),
                category: Category::none(),
                specialty_since: date(2015, 9, 1),
                subjects: vec![],
            }),
            Acting::Operator,
            date(2024, 8, 26),
            CommandId::random(),
        ))
        .await
        .expect_err("unknown organization");
    assert_eq!(refused.code(), "not_found");
    assert!(refused.to_string().contains("организация"), "{refused}");
    assert_eq!(handler.store().last_position().await.expect("last"), 1);
    assert!(
        handler
            .store()
            .key_slot(&person.to_string())
            .await
            .expect("vault")
            .is_none(),
        "no key is made for a refused command"
    );
}

/// A command sent with the version its sender saw lands only while the stream is there, and
/// is not decided again on a state the sender has not seen.
async fn a_stale_expected_version_is_refused_and_writes_nothing(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let handler = handler(&db).await;
    let mut first = register(CommandId::random());
    first.expected_version = Some(0);
    handler
        .handle(first)
        .await
        .expect("the stream was empty, as seen");
    let district = |name: &str, seen: u64| {
        let mut submission = Submission::new(
            Command::AddDistrict(AddDistrict {
                municipality: municipality(),
                district: DistrictId::derived("handler-test", name),
                title: format!("Район {name}"),
            }),
            Acting::Operator,
            date(2024, 8, 2),
            CommandId::random(),
        );
        submission.expected_version = Some(seen);
        submission
    };
    handler
        .handle(district("a", 1))
        .await
        .expect("at version 1, as seen");
    let size = handler.store().last_position().await.expect("size");
    let stale = handler
        .handle(district("b", 1))
        .await
        .expect_err("the stream moved to 2");
    assert_eq!(stale.code(), "stale_expected_version");
    assert!(stale.to_string().contains("версии 1"), "{stale}");
    assert_eq!(handler.store().last_position().await.expect("size"), size);
    handler
        .handle(district("b", 2))
        .await
        .expect("sent again with the version read");
}

store::on_every_backend!(
    a_stale_expected_version_is_refused_and_writes_nothing,
    a_repeated_command_id_returns_the_first_result_without_deciding_again,
    concurrent_commands_on_one_stream_all_land_through_retries,
    a_refused_registration_writes_nothing_and_creates_no_key,
    authority_and_orders_stay_within_their_municipality,
);

/// An office held in one municipality gives no authority in another, and its orders are no
/// basis there.
async fn authority_and_orders_stay_within_their_municipality(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let handler = handler(&db).await;
    let on = date(2024, 9, 2);
    let run = |command: Command, acting: Acting| {
        let handler = handler.clone();
        async move {
            handler
                .handle(Submission::new(command, acting, on, CommandId::random()))
                .await
        }
    };
    let mut towns = Vec::new();
    for name in ["here", "there"] {
        let m = MunicipalityId::derived("handler-test", name);
        let org = OrganizationId::derived(name, "school");
        let department = BodyId::derived(name, "department");
        let chief = PersonId::derived(name, "chief");
        let setup = vec![
            Command::RegisterMunicipality(RegisterMunicipality {
                municipality: m,
                title: format!("Город {name}"),
                profile: "kuznetsk".into(),
            }),
            Command::RegisterOrganization(RegisterOrganization {
                municipality: m,
                organization: org,
                title: "Школа".into(),
                kind: OrganizationKind::School,
                district: None,
            }),
            Command::EstablishBody(EstablishBody {
                municipality: m,
                body: department,
                kind: BodyKind::Department,
                title: "Управление".into(),
                district: None,
                organization: None,
            }),
            Command::RegisterPerson(RegisterPerson {
                person: chief,
                municipality: m,
                organization: org,
                position_kind: PositionKind::Official,
                full_name: format!("Начальник {name}"),
                birth_date: date(1970, 1, 1),
                position_title: "начальник".into(),
                category: Category::none(),
                specialty_since: date(1995, 9, 1),
                subjects: vec![],
            }),
            Command::AssignOfficial(AssignOfficial {
                municipality: m,
                body: department,
                person: chief,
                office: domain::values::Office::Chief,
            }),
        ];
        for command in setup {
            run(command, Acting::Operator).await.expect("setup");
        }
        towns.push((m, org, department, chief));
    }
    let (here, here_org, _, _) = towns[0];
    let (_, _, there_department, there_chief) = towns[1];
    let teacher = PersonId::derived("here", "teacher");
    run(
        Command::RegisterPerson(RegisterPerson {
            person: teacher,
            municipality: here,
            organization: here_org,
            position_kind: PositionKind::Teacher,
            full_name: "Учитель".into(),
            birth_date: date(1990, 1, 1),
            position_title: "учитель".into(),
            category: Category::none(),
            specialty_since: date(2015, 9, 1),
            subjects: vec![],
        }),
        Acting::Operator,
    )
    .await
    .expect("teacher");
    let change = Command::ChangeCategory(ChangeCategory {
        person: teacher,
        category: Category::granted(domain::values::CategoryLevel::First, on).expect("category"),
    });
    let refused = run(change, Acting::Person(there_chief))
        .await
        .expect_err("another town's chief");
    assert_eq!(refused.code(), "not_authorized", "{refused}");
    // An order of the other town does not create an association here.
    let foreign_order = OrderId::derived("there", "order");
    run(
        Command::IssueOrder(IssueOrder {
            order: foreign_order,
            municipality: towns[1].0,
            issuer: there_department,
            kind: OrderKind::Order,
            number: "9".into(),
            date: on,
            title: "О создании".into(),
            decides: vec![],
            signed_by: None,
        }),
        Acting::Operator,
    )
    .await
    .expect("order there");
    let (_, _, here_department, _) = towns[0];
    let here_order = OrderId::derived("here", "order");
    run(
        Command::IssueOrder(IssueOrder {
            order: here_order,
            municipality: here,
            issuer: here_department,
            kind: OrderKind::Order,
            number: "1".into(),
            date: on,
            title: "О создании ММО".into(),
            decides: vec![],
            signed_by: None,
        }),
        Acting::Operator,
    )
    .await
    .expect("order here");
    let mmo = AssociationId::derived("here", "mmo");
    run(
        Command::CreateAssociation(CreateAssociation {
            association: mmo,
            title: "ММО".into(),
            subject: Subject::parse("химия").expect("subject"),
            level: Level::City,
            kind: domain::values::AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: None,
            organization: None,
            order: here_order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
        Acting::Operator,
    )
    .await
    .expect("association here");
    let admit = |order| {
        Command::AdmitMember(AdmitMember {
            association: mmo,
            member: Member::Person(teacher),
            basis: AdmissionBasis::Order(order),
            district_association: None,
        })
    };
    let refused = run(admit(foreign_order), Acting::Operator)
        .await
        .expect_err("a foreign order");
    assert_eq!(refused.code(), "order_of_another_municipality", "{refused}");
    run(admit(here_order), Acting::Operator)
        .await
        .expect("admitted on the town's own order");
}
