//! The registry: persons registered with their personal data sealed (152-FZ), and orders
//! signed by a chief or deputy and not issued by councils (000 §4.2).

use super::*;
use domain::commands::{IssueOrder, RegisterPerson, TransferPerson};

fn register(person: PersonId, organization: OrganizationId) -> Command {
    Command::RegisterPerson(RegisterPerson {
        person,
        municipality: domain::ids::MunicipalityId::derived(NS, "novosibirsk"),
        organization,
        position_kind: PositionKind::Teacher,
        full_name: "Иванова Анна Сергеевна".into(),
        birth_date: date(1985, 4, 12),
        position_title: "учитель математики".into(),
        category: category(CategoryLevel::First, date(2021, 12, 20)),
        specialty_since: date(2008, 9, 1),
        subjects: vec![subject("Математика")],
    })
}

/// 152-FZ: a person's name, birth date and position title are written only as the vault
/// sealed them.
#[test]
fn person_registered_with_sealed_personal_fields_152_fz() {
    let town = Town::novosibirsk();
    let person = person_id("new-teacher");
    check(
        &town,
        When::operator(registry_day(), register(person, town.school)).sealed(sealed_fields(person)),
        Then::Events(vec![PersonRegistered {
            person,
            municipality: town.municipality,
            organization: town.school,
            position_kind: PositionKind::Teacher,
            full_name: sealed(person, "full_name"),
            birth_date: sealed(person, "birth_date"),
            position_title: sealed(person, "position_title"),
            category: category(CategoryLevel::First, date(2021, 12, 20)),
            specialty_since: date(2008, 9, 1),
            subjects: vec![subject("математика")],
        }
        .into()]),
    );
}

/// 152-FZ: clear text in a personal field, or a field the vault did not seal, is refused.
#[test]
fn clear_personal_data_refused_152_fz() {
    let town = Town::novosibirsk();
    let person = person_id("new-teacher");
    let clear = SealedPersonalFields {
        full_name: Some(Sealed(json!("Иванова Анна Сергеевна"))),
        ..sealed_fields(person)
    };
    let no_ciphertext = SealedPersonalFields {
        birth_date: Some(Sealed(
            json!({"sealed": {"person": person.to_string(), "field": "birth_date"}}),
        )),
        ..sealed_fields(person)
    };
    let missing = SealedPersonalFields {
        position_title: None,
        ..sealed_fields(person)
    };
    for sealed in [clear, no_ciphertext, missing] {
        check(
            &town,
            When::operator(registry_day(), register(person, town.school)).sealed(sealed),
            Then::Refused(DomainError::PersonalDataNotSealed),
        );
    }
    let teacher = person_id("school-director");
    check(
        &town,
        When::operator(
            date(2024, 9, 1),
            Command::TransferPerson(TransferPerson {
                person: teacher,
                organization: town.north_school,
                position_kind: PositionKind::DeputyHead,
                position_title: "заместитель директора".into(),
            }),
        )
        .sealed(SealedPersonalFields {
            position_title: Some(Sealed(json!("заместитель директора"))),
            ..SealedPersonalFields::default()
        }),
        Then::Refused(DomainError::PersonalDataNotSealed),
    );
}

fn issue(on: NaiveDate, issuer: domain::ids::BodyId) -> Command {
    Command::IssueOrder(IssueOrder {
        order: order_id("new-order"),
        municipality: domain::ids::MunicipalityId::derived(NS, "novokuznetsk"),
        issuer,
        kind: OrderKind::Order,
        number: "3246".into(),
        date: on,
        title: "Об утверждении руководителей ГПМО".into(),
        decides: vec![],
        signed_by: None,
    })
}

/// 000 §4.2: orders are signed by the chief or a deputy chief of the body; a specialist does
/// not sign, and a council reviews but does not issue orders.
#[test]
fn orders_signed_by_chief_or_deputy_and_not_issued_by_councils_000_4_2() {
    let town = Town::novokuznetsk();
    let on = date(2024, 9, 10);
    check(
        &town,
        When::by(town.department_chief, on, issue(on, town.department)),
        Then::Events(vec![OrderIssued {
            order: order_id("new-order"),
            municipality: town.municipality,
            issuer: town.department,
            issuer_kind: domain::values::BodyKind::Department,
            kind: OrderKind::Order,
            number: "3246".into(),
            date: on,
            title: "Об утверждении руководителей ГПМО".into(),
            decides: vec![],
            signed_by: Some(town.department_chief),
        }
        .into()]),
    );
    check(
        &town,
        When::by(town.department_specialist, on, issue(on, town.department)),
        Then::Refused(DomainError::OrderSignerNotAuthorized),
    );
    check(
        &town,
        When::operator(on, issue(on, town.coordination_council)),
        Then::Refused(DomainError::InvalidStructure {
            reason: "совет («Координационный совет ММС») не издаёт приказов: он рассматривает, \
                     решение принимает орган"
                .into(),
        }),
    );
}
