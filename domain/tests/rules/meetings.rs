//! Meetings and protocols (000 §4.4, §4.5; 003 §7.6): a decision on every question, who records
//! a meeting, who drafts and signs its protocol, corrections of a signed one.

use super::*;
use domain::commands::{CorrectProtocol, DraftProtocol, HoldMeeting, SignProtocol};

fn hold(by: PersonId, association: AssociationId, attendance: &[PersonId], decision: &str) -> When {
    When::by(
        by,
        meeting_day(),
        Command::HoldMeeting(HoldMeeting {
            meeting: meeting_id("held"),
            association,
            attendance: attendance.to_vec(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", decision),
            ],
            recommendations: vec![],
        }),
    )
}

/// 000 §4.4, §10.1: every question discussed at a meeting gets a decision.
#[test]
fn every_question_needs_a_decision_000_4_4() {
    let (town, association, members) = novokuznetsk_district();
    check(
        &town,
        hold(members[1], association, &members, "  "),
        Then::Refused(DomainError::QuestionWithoutDecision {
            question: "О конкурсе".into(),
            clause: clause("000 §4.4, §10.1"),
        }),
    );
    check(
        &town,
        hold(
            members[1],
            association,
            &members,
            "Провести конкурс в марте",
        ),
        Then::Events(vec![MeetingHeld {
            meeting: meeting_id("held"),
            association,
            date: meeting_day(),
            school_year: year_2024(),
            attendance: members.clone(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", "Провести конкурс в марте"),
            ],
            recommendations: vec![],
        }
        .into()]),
    );
}

/// 003 §7.6: the Novosibirsk regulation does not require a decision on every question.
#[test]
fn question_without_decision_accepted_where_the_profile_does_not_require_one_003_7_6() {
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0]);
    check(
        &town,
        hold(members[0], association, &members, ""),
        Then::Events(vec![MeetingHeld {
            meeting: meeting_id("held"),
            association,
            date: meeting_day(),
            school_year: year_2024(),
            attendance: members.clone(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", ""),
            ],
            recommendations: vec![],
        }
        .into()]),
    );
}

/// 000 §4.3, §4.5: a meeting is recorded by its head or secretary, not by an ordinary member
/// or the operator.
#[test]
fn meeting_recorded_only_by_head_or_secretary_000_4_5() {
    let (town, association, members) = novokuznetsk_district();
    check(
        &town,
        hold(members[2], association, &members, "Провести"),
        Then::RefusedWith("not_authorized"),
    );
    let mut by_operator = hold(members[2], association, &members, "Провести");
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::RefusedWith("not_authorized"));
}

fn draft(by: PersonId, meeting: MeetingId, tag: &str) -> When {
    When::by(
        by,
        date(2024, 9, 11),
        Command::DraftProtocol(DraftProtocol {
            meeting,
            number: "1".into(),
            content_hash: hash_of(tag),
        }),
    )
}

fn sign(by: PersonId, meeting: MeetingId) -> When {
    When::by(
        by,
        date(2024, 9, 12),
        Command::SignProtocol(SignProtocol { meeting }),
    )
}

/// 003 §7.6: the secretary draws up the protocol; the head does not.
#[test]
fn protocol_drafted_only_by_the_secretary_003_7_6() {
    let (town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    check(
        &town,
        draft(head, meeting, "protocol-1"),
        Then::Refused(DomainError::ProtocolDrafterMismatch {
            role: "секретарь",
            clause: clause("003 §7.6"),
        }),
    );
    check(
        &town,
        draft(secretary, meeting, "protocol-1"),
        Then::Events(vec![ProtocolDrafted {
            meeting,
            association,
            number: "1".into(),
            drafted_by: secretary,
            content_hash: hash_of("protocol-1"),
        }
        .into()]),
    );
}

/// 003 §7.6: the head signs the protocol the secretary drew up; the secretary and the
/// operator do not sign.
#[test]
fn protocol_signed_only_by_the_head_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let refused = DomainError::ProtocolSignerMismatch {
        role: "руководитель",
        clause: clause("003 §7.6"),
    };
    check(
        &town,
        sign(secretary, meeting),
        Then::Refused(refused.clone()),
    );
    let mut by_operator = sign(head, meeting);
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::Refused(refused));
    let decision = check(
        &town,
        sign(head, meeting),
        Then::Events(vec![ProtocolSigned {
            meeting,
            association,
            signed_by: head,
            content_hash: hash_of("protocol-1"),
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.basis,
        Some(BasisRef {
            kind: BasisKindRef::Protocol,
            number: "1".into(),
            date: meeting_day(),
            issuer: "МО math-central".into(),
        })
    );
}

/// 003 §7.6: a signed protocol is final: it is neither signed again nor drawn up anew.
#[test]
fn signed_protocol_cannot_be_resigned_or_redrafted_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11))
        .protocol_signed(meeting, association, head, date(2024, 9, 12));
    check(
        &town,
        sign(head, meeting),
        Then::Refused(DomainError::ProtocolAlreadySigned),
    );
    check(
        &town,
        draft(secretary, meeting, "protocol-2"),
        Then::Refused(DomainError::ProtocolAlreadySigned),
    );
}

/// 003 §7.6: a signed protocol is corrected by a separate record that references the hash of
/// the signed text; an unsigned one is not "corrected".
#[test]
fn protocol_correction_references_the_signed_text_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let correct = When::by(
        head,
        date(2024, 9, 20),
        Command::CorrectProtocol(CorrectProtocol {
            meeting,
            content_hash: hash_of("protocol-1-corrected"),
            reason: "Опечатка в фамилии".into(),
        }),
    );
    check(
        &town,
        correct.clone(),
        Then::Refused(DomainError::MeetingState {
            state: "протокол оформлен, не подписан",
            action: "исправление подписанного протокола",
        }),
    );
    town.protocol_signed(meeting, association, head, date(2024, 9, 12));
    check(
        &town,
        correct,
        Then::Events(vec![ProtocolCorrected {
            meeting,
            association,
            corrects: hash_of("protocol-1"),
            content_hash: hash_of("protocol-1-corrected"),
            reason: "Опечатка в фамилии".into(),
            corrected_by: head,
        }
        .into()]),
    );
}

/// 003 §7.6: a protocol is drawn up after the meeting was held, not for a scheduled one.
#[test]
fn protocol_of_a_meeting_not_held_refused_003_7_6() {
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0])
        .secretary(association, members[1]);
    let meeting = meeting_id("planned");
    town.fact(
        MeetingScheduled {
            meeting,
            association,
            date: date(2024, 10, 1),
            agenda: vec!["О плане работы".into()],
        },
        meeting_day(),
    );
    check(
        &town,
        draft(members[1], meeting, "protocol-1"),
        Then::Refused(DomainError::MeetingState {
            state: "запланировано",
            action: "оформление протокола",
        }),
    );
}

/// 003 §7.6: a draft may be redone until the head signs it; the last draft is what is signed.
#[test]
fn protocol_redrafted_before_signing_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let redraft = accept(&mut town, draft(secretary, meeting, "protocol-1b"));
    assert_eq!(redraft.events.len(), 1);
    check(
        &town,
        sign(head, meeting),
        Then::Events(vec![ProtocolSigned {
            meeting,
            association,
            signed_by: head,
            content_hash: hash_of("protocol-1b"),
        }
        .into()]),
    );
}
