//! Erasure of personal data through the `App`, on both backends: who may order it, what is
//! refused (each refusal writing nothing), the fields read as destroyed in the answers while
//! the chain and the Merkle proofs still verify, and the act of destruction with its log
//! extract — its content, no name in it, its issuance recorded once per text.

use app::{
    App, AppError, Config, ErasureBasis, ErasureGround, ErasureOrder, When, ACT_ISSUED_EVENT_TYPE,
};
use chrono::NaiveDate;
use domain::ids::{AssociationId, PersonId};
use domain::Acting;
use projections::queries::{Filters, QueryKind};
use sha2::{Digest, Sha256};
use store::testing::TestDatabase;
use store::{Backend, Verification, ERASED_TEXT};

fn id(n: u32) -> String {
    format!("7e57c0de-0000-4000-8000-{n:012}")
}

fn person(n: u32) -> PersonId {
    PersonId::parse(&id(n)).expect("a person id")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// "Now": 15 May 2025, noon.
const TODAY: &str = "2025-05-15";

const NAME: &str = "Кащенко Елена Юрьевна";
const DEPARTMENT: &str = "Департамент образования мэрии города Новосибирска";
const CENTER: &str = "МКУДПО «Городской центр развития образования»";

fn person_json(n: u32, name: &str, kind: &str, title: &str, born: &str) -> String {
    format!(
        r#"{{"command": "register_person", "effective": "2025-01-15", "person": "{}", "municipality": "{}",
            "organization": "{}", "position_kind": "{kind}", "full_name": "{name}", "birth_date": "{born}",
            "position_title": "{title}", "category": {{"level": "highest", "granted": "2019-03-01"}},
            "specialty_since": "2004-09-01"}}"#,
        id(n),
        id(1),
        id(4)
    )
}

/// A district chemistry association whose head (11) was elected; the department's chief
/// (12) and the methodical center's specialist (14) are officials; 13 is a teacher.
async fn town(db: &TestDatabase) -> App {
    let app = App::new(Config {
        db: db.url.clone(),
        profiles: None,
        clock: Some(TODAY.into()),
    });
    app.init().await.expect("init");
    let registry = format!(
        r#"[
        {{"command": "register_municipality", "effective": "2025-01-15", "municipality": "{m}", "title": "Город Новосибирск", "profile": "novosibirsk"}},
        {{"command": "add_district", "effective": "2025-01-15", "municipality": "{m}", "district": "{d}", "title": "Ленинский район"}},
        {{"command": "register_organization", "effective": "2025-01-15", "municipality": "{m}", "organization": "{o}", "title": "Гимназия № 1", "kind": "school", "district": "{d}"}},
        {{"command": "register_organization", "effective": "2025-01-15", "municipality": "{m}", "organization": "{c}", "title": "{CENTER}", "kind": "municipal_institution"}},
        {{"command": "establish_body", "effective": "2025-01-15", "municipality": "{m}", "body": "{dep}", "kind": "department", "title": "{DEPARTMENT}"}},
        {{"command": "establish_body", "effective": "2025-01-15", "municipality": "{m}", "body": "{mc}", "kind": "methodical_center", "title": "{CENTER}", "organization": "{c}"}},
        {t11}, {t12}, {t13}, {t14},
        {{"command": "assign_official", "effective": "2025-01-15", "municipality": "{m}", "body": "{dep}", "person": "{p12}", "office": "chief"}},
        {{"command": "assign_official", "effective": "2025-01-15", "municipality": "{m}", "body": "{mc}", "person": "{p14}", "office": "specialist"}},
        {{"command": "issue_order", "effective": "2025-01-20", "order": "{order}", "municipality": "{m}", "issuer": "{dep}", "kind": "order", "number": "0615-од", "date": "2025-01-20", "title": "О перечне"}},
        {{"command": "create_association", "effective": "2025-01-20", "association": "{a}", "title": "РМО учителей химии Ленинского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": "{d}", "order": "{order}"}},
        {{"command": "admit_member", "effective": "2025-01-21", "association": "{a}", "member": {{"person": "{p11}"}}, "basis": {{"order": "{order}"}}}},
        {{"command": "admit_member", "effective": "2025-01-21", "association": "{a}", "member": {{"person": "{p13}"}}, "basis": {{"order": "{order}"}}}}
        ]"#,
        m = id(1),
        d = id(2),
        o = id(4),
        c = id(5),
        dep = id(6),
        mc = id(9),
        order = id(7),
        a = id(8),
        p11 = id(11),
        p12 = id(12),
        p13 = id(13),
        p14 = id(14),
        t11 = person_json(11, NAME, "teacher", "учитель химии", "1979-05-04"),
        t12 = person_json(
            12,
            "Петров Пётр Петрович",
            "official",
            "начальник департамента",
            "1970-01-01"
        ),
        t13 = person_json(
            13,
            "Гусев Артём Романович",
            "teacher",
            "учитель химии",
            "1985-02-02"
        ),
        t14 = person_json(
            14,
            "Орлова Ольга Олеговна",
            "center_specialist",
            "методист",
            "1982-03-03"
        ),
    );
    let election = format!(
        r#"[
        {{"command": "hold_meeting", "effective": "2025-04-21", "meeting": "{meeting}", "association": "{a}",
          "attendance": ["{p11}", "{p13}"], "questions": [{{"question": "Выборы руководителя", "decision": "Избрать"}}]}},
        {{"command": "elect_head", "effective": "2025-04-21", "association": "{a}", "person": "{p11}", "school_year": "2024/25",
          "vote": {{"meeting": "{meeting}", "present": ["{p11}", "{p13}"], "votes_for": 2, "against": 0, "abstained": 0}}}}
        ]"#,
        meeting = id(20),
        a = id(8),
        p11 = id(11),
        p13 = id(13),
    );
    for (acting, json) in [
        (Acting::Operator, registry),
        (Acting::Person(person(13)), election),
    ] {
        let recorded = app.record(acting, &json).await.expect("recorded");
        assert!(recorded.stopped.is_none(), "{:?}", recorded.stopped);
    }
    app
}

async fn log_size(app: &App) -> u64 {
    app.store()
        .await
        .expect("store")
        .last_position()
        .await
        .expect("size")
}

fn order(n: u32, ground: ErasureGround, acting: Acting) -> ErasureOrder {
    ErasureOrder {
        person: person(n),
        ground,
        effective: date(2025, 5, 14),
        acting,
        basis: None,
    }
}

async fn refused(app: &App, order: ErasureOrder, code: &str) -> String {
    let before = log_size(app).await;
    let error = app
        .erase_personal_data(order)
        .await
        .expect_err("the erasure is refused");
    assert_eq!(error.code(), code, "{error}");
    assert!(matches!(error, AppError::PersonalData(_)), "{error:?}");
    assert_eq!(log_size(app).await, before, "a refusal writes nothing");
    error.to_string()
}

async fn head_of_the_association(app: &App) -> String {
    let when = When {
        as_of: Some(date(2025, 5, 15)),
        known_at: None,
    };
    let report = app
        .query(QueryKind::Hierarchy, when, Filters::default())
        .await
        .expect("hierarchy");
    report.rows[0]["head"]
        .as_str()
        .expect("the head's name")
        .to_string()
}

/// The member names the association's page shows, names opened (as the web page does).
async fn members_on_the_page(app: &App) -> Vec<String> {
    let when = When {
        as_of: Some(date(2025, 5, 15)),
        known_at: None,
    };
    let page = app
        .association(AssociationId::parse(&id(8)).expect("an id"), when, true)
        .await
        .expect("the page")
        .expect("the association");
    let mut names: Vec<String> = page
        .member_names
        .into_iter()
        .map(|(_, name)| name.expect("a name opened"))
        .collect();
    names.sort();
    names
}

async fn only_the_operator_of_personal_data_may_order_an_erasure_and_refusals_write_nothing(
    backend: Backend,
) {
    let db = TestDatabase::new(backend).await;
    let app = town(&db).await;
    let consent = ErasureGround::ConsentWithdrawn;

    // A teacher, and the person herself, are not the operator of personal data.
    for who in [13, 11] {
        let line = refused(
            &app,
            order(11, consent, Acting::Person(person(who))),
            "erasure_not_authorized",
        )
        .await;
        assert!(
            line.contains("ч. 5 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ"),
            "{line}"
        );
        assert!(line.contains(&format!("person:{}", id(who))), "{line}");
    }
    let line = refused(
        &app,
        order(
            11,
            ErasureGround::RetentionExpired,
            Acting::Person(person(13)),
        ),
        "erasure_not_authorized",
    )
    .await;
    assert!(line.contains("ч. 7 ст. 5"), "{line}");
    // The official's office is checked on the effective date: before it began, refused.
    let before_office = ErasureOrder {
        effective: date(2025, 1, 10),
        ..order(
            11,
            ErasureGround::PurposeAchieved,
            Acting::Person(person(12)),
        )
    };
    let line = refused(&app, before_office, "erasure_not_authorized").await;
    assert!(line.contains("ч. 4 ст. 21"), "{line}");

    refused(
        &app,
        order(99, consent, Acting::Operator),
        "person_not_in_registry",
    )
    .await;
    let tomorrow = ErasureOrder {
        effective: date(2025, 5, 16),
        ..order(11, consent, Acting::Operator)
    };
    refused(&app, tomorrow, "erasure_date_in_future").await;
    let late_order = ErasureOrder {
        basis: Some(ErasureBasis {
            number: "12-од".into(),
            date: date(2025, 5, 15),
            issuer: DEPARTMENT.into(),
        }),
        ..order(11, consent, Acting::Operator)
    };
    refused(&app, late_order, "erasure_order_after_effective_date").await;
    let no_number = ErasureOrder {
        basis: Some(ErasureBasis {
            number: "  ".into(),
            date: date(2025, 5, 14),
            issuer: DEPARTMENT.into(),
        }),
        ..order(11, consent, Acting::Operator)
    };
    refused(&app, no_number, "erasure_basis_incomplete").await;
    // Nothing was erased by any of them.
    assert_eq!(head_of_the_association(&app).await, NAME);
    let store = app.store().await.expect("store");
    assert!(!store.is_erased(&id(11)).await.expect("erased?"));

    // The methodical center's specialist may; then a second order is refused.
    let erased = app
        .erase_personal_data(order(
            11,
            ErasureGround::RetentionExpired,
            Acting::Person(person(14)),
        ))
        .await
        .expect("erased by the methodical center");
    assert_eq!(erased.actor.role, "official:methodical_center:specialist");
    let line = refused(
        &app,
        order(11, consent, Acting::Person(person(12))),
        "personal_data_already_erased",
    )
    .await;
    assert!(
        line.contains(&format!("позиция журнала {}", erased.position)),
        "{line}"
    );
    // The system operator may, too.
    app.erase_personal_data(order(13, ErasureGround::PurposeAchieved, Acting::Operator))
        .await
        .expect("erased by the operator");
}

async fn erased_fields_read_as_destroyed_and_the_log_and_its_proofs_still_verify(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let app = town(&db).await;
    assert_eq!(head_of_the_association(&app).await, NAME);
    assert_eq!(
        members_on_the_page(&app).await,
        ["Гусев Артём Романович", NAME]
    );
    let store = app.store().await.expect("store").clone();
    let size_before = log_size(&app).await;
    let root_before = store.tree_root(size_before).await.expect("root");
    let registration = app
        .events(&app::EventsPage {
            stream: Some(store::StreamId::parse(person(11).stream()).expect("stream")),
            from: 1,
            limit: 10,
        })
        .await
        .expect("the person's events")[0]
        .clone();
    assert!(!registration.payload.contains("Кащенко"), "sealed before");

    let basis = ErasureBasis {
        number: "12-од".into(),
        date: date(2025, 5, 14),
        issuer: DEPARTMENT.into(),
    };
    let erased = app
        .erase_personal_data(ErasureOrder {
            basis: Some(basis),
            ..order(
                11,
                ErasureGround::ConsentWithdrawn,
                Acting::Person(person(12)),
            )
        })
        .await
        .expect("erased");
    assert_eq!(erased.position, size_before + 1);
    assert_eq!(erased.event_type, "PersonalDataErased");
    assert_eq!(erased.stream.as_str(), format!("personal-data-{}", id(11)));
    assert_eq!(erased.actor.id, format!("person:{}", id(12)));
    assert_eq!(erased.actor.role, "official:department:chief");
    assert_eq!(
        erased.basis.as_ref().map(|b| b.number.as_str()),
        Some("12-од")
    );
    assert_eq!(erased.effective, date(2025, 5, 14));

    // The answers: the head's name reads as destroyed; the other people's do not.
    assert_eq!(head_of_the_association(&app).await, ERASED_TEXT);
    assert_eq!(
        members_on_the_page(&app).await,
        ["Гусев Артём Романович", ERASED_TEXT]
    );
    let payload = store
        .reveal_payload(&registration.payload_value().expect("json"))
        .await
        .expect("revealed");
    assert_eq!(payload["full_name"], ERASED_TEXT);
    assert_eq!(payload["birth_date"], ERASED_TEXT);
    assert_eq!(payload["position_title"], ERASED_TEXT);
    let page = app
        .events(&app::EventsPage {
            stream: None,
            from: 1,
            limit: 1_000,
        })
        .await
        .expect("events");
    assert!(page.iter().all(|e| !e.payload.contains("Кащенко")));

    // The chain, the stored event's bytes and the Merkle proofs over the ciphertext.
    match app.verify().await.expect("verify") {
        Verification::Intact { events, .. } => assert_eq!(events, size_before + 1),
        broken => panic!("{broken:?}"),
    }
    let same = app
        .events(&app::EventsPage {
            stream: None,
            from: registration.position,
            limit: 1,
        })
        .await
        .expect("the registration again");
    assert_eq!(
        same[0], registration,
        "the erasure leaves the event as it was"
    );
    let size = log_size(&app).await;
    let root = store.tree_root(size).await.expect("root");
    let proof = store
        .inclusion_proof(registration.position, size)
        .await
        .expect("inclusion proof");
    tlog::verify_inclusion(
        &tlog::leaf_hash(&registration.hash),
        registration.position - 1,
        size,
        &proof,
        &root,
    )
    .expect("the erased person's registration is still in the log");
    let consistency = store
        .consistency_proof(size_before, size)
        .await
        .expect("consistency proof");
    tlog::verify_consistency(size_before, size, &root_before, &root, &consistency)
        .expect("the log after the erasure extends the log before it");
}

async fn the_act_of_destruction_names_no_one_and_is_recorded_once_per_text(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let app = town(&db).await;
    let not_yet = app
        .destruction_act(person(11), Acting::Operator)
        .await
        .expect_err("nothing erased yet");
    assert_eq!(not_yet.code(), "personal_data_not_erased");

    let erased = app
        .erase_personal_data(ErasureOrder {
            basis: Some(ErasureBasis {
                number: "12-од".into(),
                date: date(2025, 5, 14),
                issuer: DEPARTMENT.into(),
            }),
            ..order(
                11,
                ErasureGround::ConsentWithdrawn,
                Acting::Person(person(12)),
            )
        })
        .await
        .expect("erased");
    let before = log_size(&app).await;
    let refused = app
        .destruction_act(person(11), Acting::Person(person(13)))
        .await
        .expect_err("a teacher issues no act");
    assert_eq!(refused.code(), "erasure_not_authorized");
    assert!(refused
        .to_string()
        .contains("приказом Роскомнадзора от 28.10.2022 № 179"));
    assert_eq!(log_size(&app).await, before);

    let issued = app
        .destruction_act(person(11), Acting::Operator)
        .await
        .expect("the act");
    assert!(issued.recorded);
    let text = &issued.text;
    for expected in [
        "АКТ\nоб уничтожении персональных данных",
        "ВЫГРУЗКА\nиз журнала регистрации событий в информационной системе персональных данных",
        &format!("лицо с идентификатором в реестре {}", id(11)),
        "фамилия, имя, отчество; дата рождения; должность",
        "отзыв субъектом согласия на обработку персональных данных (ч. 5 ст. 21 Федерального закона от 27.07.2006 № 152-ФЗ",
        "приказ № 12-од от 14 мая 2025 г.",
        "Дата уничтожения: 15 мая 2025 г.",
        "действует с 14 мая 2025 г.",
        &format!("руководитель, {DEPARTMENT} (в журнале — person:{})", id(12)),
        &format!("Оператор персональных данных: {DEPARTMENT} (Город Новосибирск)"),
        "Информационная система «metod»",
        "криптографическое уничтожение",
        &format!("{}; ", erased.position),
        &hex::encode(erased.hash),
    ] {
        assert!(text.contains(expected), "the act lacks «{expected}»:\n{text}");
    }
    for personal in ["Кащенко", "Елена", "Юрьевна", "1979-05-04", "учитель химии"]
    {
        assert!(!text.contains(personal), "the act names «{personal}»");
        assert!(
            !issued.html().contains(personal),
            "the HTML names «{personal}»"
        );
    }
    let html = issued.html();
    for expected in [
        "@page",
        "@media print",
        "15 мая 2025 г.",
        issued.sha256.as_str(),
    ] {
        assert!(html.contains(expected), "the HTML lacks «{expected}»");
    }

    // Recorded: the text's hash, the erasure's position, who issued it; no personal data.
    assert_eq!(log_size(&app).await, before + 1);
    let record = &issued.issuance;
    assert_eq!(record.event_type, ACT_ISSUED_EVENT_TYPE);
    assert_eq!(record.stream, erased.stream);
    assert_eq!(record.actor.id, "operator");
    let payload = record.payload_value().expect("json");
    assert_eq!(
        payload["act_sha256"],
        hex::encode(Sha256::digest(text.as_bytes()))
    );
    assert_eq!(payload["erasure_position"], erased.position);
    assert_eq!(payload["erasure_hash"], hex::encode(erased.hash));
    assert_eq!(payload["person"], id(11));
    assert!(!record.payload.contains("Кащенко"));

    // The same act again, by another operator of personal data: the same text, nothing new.
    let again = app
        .destruction_act(person(11), Acting::Person(person(14)))
        .await
        .expect("the act again");
    assert!(!again.recorded);
    assert_eq!(again.text, issued.text);
    assert_eq!(again.issuance.position, record.position);
    assert_eq!(log_size(&app).await, before + 1);
    match app.verify().await.expect("verify") {
        Verification::Intact { events, .. } => assert_eq!(events, before + 1),
        broken => panic!("{broken:?}"),
    }
}

/// The act names the operator whose official ordered it and the ground's own clause.
async fn an_erasure_by_the_methodical_center_on_retention_names_its_clause(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let app = town(&db).await;
    app.erase_personal_data(order(
        13,
        ErasureGround::RetentionExpired,
        Acting::Person(person(14)),
    ))
    .await
    .expect("erased");
    let issued = app
        .destruction_act(person(13), Acting::Person(person(12)))
        .await
        .expect("the act");
    let text = &issued.text;
    assert!(
        text.contains(&format!(
            "Оператор персональных данных: {CENTER} (Город Новосибирск)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("ответственный специалист, {CENTER}")),
        "{text}"
    );
    assert!(
        text.contains("истечение срока хранения персональных данных (ч. 7 ст. 5 "),
        "{text}"
    );
    assert!(
        !text.contains("Гусев") && !text.contains("основание: приказ"),
        "{text}"
    );
    assert_eq!(
        issued.issuance.actor.role, "official:department:chief",
        "who issued it"
    );
}

store::on_every_backend!(
    only_the_operator_of_personal_data_may_order_an_erasure_and_refusals_write_nothing,
    erased_fields_read_as_destroyed_and_the_log_and_its_proofs_still_verify,
    the_act_of_destruction_names_no_one_and_is_recorded_once_per_text,
    an_erasure_by_the_methodical_center_on_retention_names_its_clause,
);
