//! Membership (000 §4.1; 002 §5.2): the members of a city association, applications (forms,
//! periods, decisions, rework) and admission on them, and the member database (000 §4.6, §10.4).

use super::*;
use domain::commands::{
    AdmitMember, ApproveMembershipApplication, DismissPerson, RecordDevelopment,
    RejectMembershipApplication, RemoveMember, ReturnMembershipApplication,
    SubmitMembershipApplication, UpdateMemberDatabase,
};

/// 000 §1.5, §4.1: the members of a city association are the heads of the district
/// associations of its subject; a teacher who heads none is refused.
#[test]
fn city_association_members_are_district_heads_000_4_1() {
    let (mut town, district, members) = novokuznetsk_district();
    let city = town.methodical_association("math-city", Level::City);
    town.link(city, district);
    let on = date(2024, 9, 12);
    let order = town.order("composition-city", town.department, on);
    let admit = |person: PersonId| {
        When::operator(
            on,
            Command::AdmitMember(AdmitMember {
                association: city,
                member: Member::Person(person),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district),
            }),
        )
    };
    check(
        &town,
        admit(members[0]),
        Then::Events(vec![MemberAdmitted {
            association: city,
            member: Member::Person(members[0]),
            school_year: None,
            until: None,
            basis: AdmissionBasis::Order(order),
            from: None,
        }
        .into()]),
    );
    check(
        &town,
        admit(members[1]),
        Then::Refused(DomainError::NotADistrictHead {
            person: members[1].to_string(),
            date: on,
            clause: clause("000 §1.5, §4.1"),
        }),
    );
}

/// 003 §7.1: a professional (city) association is formed of the heads of the district
/// associations: the elected head of a linked district association joins, for as long as
/// the headship; a member who heads none does not, nor does the head of a district
/// association linked to another city association.
#[test]
fn city_association_members_are_the_district_heads_003_7_1() {
    let (mut town, district, members) = novosibirsk_association();
    let city = town.methodical_association("math-city", Level::City);
    let other_city = town.methodical_association("math-city-2", Level::City);
    let other_district = town.methodical_association("math-central-2", Level::District);
    town.link(city, district).link(other_city, other_district);
    let orlova = town.person("orlova", Spec::teacher());
    town.admit(other_district, &[orlova]);
    let election = meeting_id("constituent");
    for (association, head) in [(district, members[0]), (other_district, orlova)] {
        town.fact(
            HeadElected {
                association,
                person: head,
                school_year: year_2024(),
                until: None,
                vote: vote(election, &[head], 1, 0, 0),
            },
            joined_day(),
        );
    }
    let on = date(2024, 9, 12);
    let order = town.order("composition-city", town.department, on);
    let admit = |person: PersonId, district_association: AssociationId| {
        When::operator(
            on,
            Command::AdmitMember(AdmitMember {
                association: city,
                member: Member::Person(person),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district_association),
            }),
        )
    };
    check(
        &town,
        admit(members[0], district),
        Then::Events(vec![MemberAdmitted {
            association: city,
            member: Member::Person(members[0]),
            school_year: None,
            until: None,
            basis: AdmissionBasis::Order(order),
            from: None,
        }
        .into()]),
    );
    for (person, through) in [(members[1], district), (orlova, other_district)] {
        check(
            &town,
            admit(person, through),
            Then::Refused(DomainError::NotADistrictHead {
                person: person.to_string(),
                date: on,
                clause: clause("003 §7.1"),
            }),
        );
    }
}

pub(super) fn submit_application(
    by: PersonId,
    association: AssociationId,
    form: ApplicationForm,
    applicant: Member,
    period: (NaiveDate, NaiveDate),
) -> When {
    When::by(
        by,
        date(2024, 9, 5),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: application_id("application"),
            association,
            form,
            applicant,
            theme: "Функциональная грамотность".into(),
            school_year: year_2024(),
            period_from: period.0,
            period_to: period.1,
        }),
    )
}

pub(super) fn school_year_period() -> (NaiveDate, NaiveDate) {
    (date(2024, 9, 1), date(2025, 5, 31))
}

fn application_submitted(
    association: AssociationId,
    form: ApplicationForm,
    applicant: Member,
) -> Event {
    MembershipApplicationSubmitted {
        application: application_id("application"),
        association,
        form,
        applicant,
        theme: "Функциональная грамотность".into(),
        school_year: year_2024(),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    }
    .into()
}

/// 002 §5.2, appendix 1: a teacher applies to the Center on form 1.
#[test]
fn membership_application_form_1_for_a_teacher_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let applicant = Member::Person(petrova);
    check(
        &town,
        submit_application(
            petrova,
            association,
            ApplicationForm::Teacher,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Teacher,
            applicant,
        )]),
    );
    // The head of her organization may sign it for her (М.П.).
    let director = town.school_director;
    check(
        &town,
        submit_application(
            director,
            association,
            ApplicationForm::Teacher,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Teacher,
            applicant,
        )]),
    );
    // Form 1 is for a teacher, not for an organization.
    check(
        &town,
        submit_application(
            director,
            association,
            ApplicationForm::Teacher,
            Member::Organization(town.school),
            school_year_period(),
        ),
        Then::RefusedWith("invalid_structure"),
    );
}

/// 002 §5.2, appendix 2: an organization applies on form 2, signed by its head.
#[test]
fn membership_application_form_2_for_an_organization_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let school: OrganizationId = town.school;
    let applicant = Member::Organization(school);
    check(
        &town,
        submit_application(
            town.school_director,
            association,
            ApplicationForm::Organization,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Organization,
            applicant,
        )]),
    );
    check(
        &town,
        submit_application(
            petrova,
            association,
            ApplicationForm::Organization,
            applicant,
            school_year_period(),
        ),
        Then::Refused(DomainError::NotAuthorized {
            reason: "заявку по форме 2 подаёт руководитель образовательного учреждения".into(),
        }),
    );
}

/// 002 §5.2, appendices 1–2: an application is for 1 September – 31 May of its school year.
#[test]
fn application_period_is_1_september_to_31_may_of_its_school_year_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    for (from, to) in [
        (date(2024, 9, 1), date(2025, 6, 30)),
        (date(2024, 10, 1), date(2025, 5, 31)),
        (date(2025, 9, 1), date(2026, 5, 31)),
    ] {
        check(
            &town,
            submit_application(
                petrova,
                association,
                ApplicationForm::Teacher,
                Member::Person(petrova),
                (from, to),
            ),
            Then::Refused(DomainError::ApplicationPeriodMismatch {
                from,
                to,
                expected_from: date(2024, 9, 1),
                expected_to: date(2025, 5, 31),
                clause: clause("002 §5.2, прил. 1, прил. 2"),
            }),
        );
    }
}

/// 002 §5.2: the Center approves an application, and the teacher is admitted on it until
/// 31 May.
#[test]
fn approved_application_admits_the_member_until_31_may_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let council = town.methodical_council;
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let specialist = town.center_specialist;
    let approve = When::by(
        specialist,
        date(2024, 9, 6),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application,
            review: sitting(council, date(2024, 9, 5)),
        }),
    );
    let decision = check(
        &town,
        approve.clone(),
        Then::Events(vec![MembershipApplicationApproved {
            application,
            association,
            review: sitting(council, date(2024, 9, 5)),
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.acted_as.to_string(),
        "official:methodical_center:specialist"
    );
    // The council's protocol is the decision's basis.
    let basis = decision.basis.as_ref().expect("a basis");
    assert_eq!(basis.number, "3");
    assert_eq!(basis.issuer, "методический совет центра");
    town.apply(&decision, approve.on);
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 7),
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            }),
        ),
        Then::Events(vec![MemberAdmitted {
            association,
            member: Member::Person(petrova),
            school_year: Some(year_2024()),
            until: Some(date(2025, 5, 31)),
            basis: AdmissionBasis::Application(application),
            from: None,
        }
        .into()]),
    );
}

/// 002 §5.2: no admission on an application that was not approved, nor without one.
#[test]
fn admission_without_approved_application_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let refused = DomainError::ApplicationNotApproved {
        clause: clause("002 §5.2, прил. 1, прил. 2"),
    };
    check(
        &town,
        When::by(
            town.center_specialist,
            date(2024, 9, 7),
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            }),
        ),
        Then::Refused(refused.clone()),
    );
    let order = town.order("composition", town.department, date(2024, 9, 7));
    check(
        &town,
        When::operator(
            date(2024, 9, 7),
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Order(order),
                district_association: None,
            }),
        ),
        Then::Refused(refused),
    );
}

/// 002 §5.2: an application is decided once.
#[test]
fn application_decided_twice_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let council = town.methodical_council;
    let petrova = town.person("petrova", Spec::teacher());
    let sidorova = town.person("sidorova", Spec::teacher());
    let approved = town.application("approved", association, petrova);
    let rejected = town.application("rejected", association, sidorova);
    let specialist = town.center_specialist;
    let on = date(2024, 9, 6);
    accept(
        &mut town,
        When::by(
            specialist,
            on,
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application: approved,
                review: sitting(council, on),
            }),
        ),
    );
    accept(
        &mut town,
        When::by(
            specialist,
            on,
            Command::RejectMembershipApplication(RejectMembershipApplication {
                application: rejected,
                reason: "Тема не соответствует направлению ГМО".into(),
                review: sitting(council, on),
            }),
        ),
    );
    for (application, state) in [(approved, "одобрена"), (rejected, "отклонена")] {
        for command in [
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(council, on),
            }),
            Command::RejectMembershipApplication(RejectMembershipApplication {
                application,
                reason: "Повторно".into(),
                review: sitting(council, on),
            }),
        ] {
            check(
                &town,
                When::by(specialist, on, command),
                Then::Refused(DomainError::ApplicationAlreadyDecided {
                    state,
                    clause: clause("002 §5.2, прил. 1, прил. 2"),
                }),
            );
        }
    }
}

/// 002 §5.2: applications go to the Center, which decides them; a teacher does not.
#[test]
fn application_decided_by_the_methodical_center_002_5_2() {
    let (mut town, association, head) = izhevsk_association();
    let council = town.methodical_council;
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    check(
        &town,
        When::by(
            head,
            date(2024, 9, 6),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(council, date(2024, 9, 6)),
            }),
        ),
        Then::RefusedWith("not_authorized"),
    );
}

/// 002 §5.2 with DOMAIN.md §3: the Center may return an application for rework with a
/// comment; the applicant resubmits it under the same id, and it waits for a decision again.
/// A return without a comment, a decision while it is back with the applicant and a
/// resubmission for someone else are refused.
#[test]
fn application_returned_for_rework_is_resubmitted_and_decided_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let council = town.methodical_council;
    let petrova = town.person("petrova", Spec::teacher());
    let sidorova = town.person("sidorova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let specialist = town.center_specialist;
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 6),
            Command::ReturnMembershipApplication(ReturnMembershipApplication {
                application,
                comment: "  ".into(),
                review: sitting(council, date(2024, 9, 6)),
            }),
        ),
        Then::RefusedWith("decision_text_required"),
    );
    accept(
        &mut town,
        When::by(
            specialist,
            date(2024, 9, 6),
            Command::ReturnMembershipApplication(ReturnMembershipApplication {
                application,
                comment: "Уточните тему работы в ГМО".into(),
                review: sitting(council, date(2024, 9, 6)),
            }),
        ),
    );
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 7),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(council, date(2024, 9, 7)),
            }),
        ),
        Then::Refused(DomainError::ApplicationAlreadyDecided {
            state: "возвращена на доработку",
            clause: clause("002 §5.2, прил. 1, прил. 2"),
        }),
    );
    let resubmit = |applicant| {
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application,
            association,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(applicant),
            theme: "Функциональная грамотность на уроках математики".into(),
            school_year: year_2024(),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        })
    };
    check(
        &town,
        When::by(sidorova, date(2024, 9, 9), resubmit(sidorova)),
        Then::RefusedWith("invalid_structure"),
    );
    accept(
        &mut town,
        When::by(petrova, date(2024, 9, 9), resubmit(petrova)),
    );
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 10),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(council, date(2024, 9, 8)),
            }),
        ),
        Then::Refused(DomainError::CouncilDecisionRequired {
            council: "методический совет центра",
            clause: clause("002 §5.1"),
        }),
    );
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 10),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(council, date(2024, 9, 10)),
            }),
        ),
        Then::Events(vec![MembershipApplicationApproved {
            application,
            association,
            review: sitting(council, date(2024, 9, 10)),
        }
        .into()]),
    );
}

/// The sitting of the Center's Methodical council on `on`, protocol № 3.
fn sitting(council: domain::ids::BodyId, on: NaiveDate) -> Option<CouncilReview> {
    Some(CouncilReview {
        council,
        protocol_number: "3".into(),
        date: on,
    })
}

/// 002 §5.1: the Center's Methodical council determines each association's composition —
/// given an application, when the Center's specialist decides it without a sitting of the
/// council, or with a sitting of another council, or one before the application or after the
/// decision, then it is refused, naming the council and the clause; with the council's
/// protocol it is decided, and a member of the council may record it too.
#[test]
fn an_application_is_decided_by_the_methodical_council_not_a_center_official_alone_002_5_1() {
    let (mut town, association, _) = izhevsk_association();
    let council = town.methodical_council;
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let specialist = town.center_specialist;
    let on = date(2024, 9, 6);
    let refused = DomainError::CouncilDecisionRequired {
        council: "методический совет центра",
        clause: clause("002 §5.1"),
    };
    let other_council = Some(CouncilReview {
        council: town.coordination_council,
        protocol_number: "3".into(),
        date: on,
    });
    for review in [
        None,
        other_council,
        sitting(council, date(2024, 9, 7)),
        sitting(council, date(2024, 8, 1)),
    ] {
        check(
            &town,
            When::by(
                specialist,
                on,
                Command::ApproveMembershipApplication(ApproveMembershipApplication {
                    application,
                    review,
                }),
            ),
            Then::Refused(refused.clone()),
        );
    }
    let member = town.person("council-member", Spec::teacher());
    town.fact(
        OfficialAssigned {
            municipality: town.municipality,
            body: town.methodical_council,
            person: member,
            office: domain::values::Office::Specialist,
        },
        on,
    );
    check(
        &town,
        When::by(
            member,
            on,
            Command::RejectMembershipApplication(RejectMembershipApplication {
                application,
                reason: "Тема не соответствует направлению ГМО".into(),
                review: sitting(council, on),
            }),
        ),
        Then::Events(vec![MembershipApplicationRejected {
            application,
            association,
            reason: "Тема не соответствует направлению ГМО".into(),
            review: sitting(council, on),
        }
        .into()]),
    );
}

/// 000 §4.6, §10.4: the head or the secretary updates the member database every year; the
/// update records how many members there were that day. An ordinary member may not.
#[test]
fn member_database_updated_by_head_or_secretary_with_member_count_000_4_6() {
    let (town, association, members) = novokuznetsk_district();
    let update = |by: PersonId, school_year| {
        When::by(
            by,
            date(2024, 9, 25),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association,
                school_year,
            }),
        )
    };
    for by in [members[0], members[1]] {
        check(
            &town,
            update(by, year_2024()),
            Then::Events(vec![MemberDatabaseUpdated {
                association,
                school_year: year_2024(),
                member_count: 5,
            }
            .into()]),
        );
    }
    check(
        &town,
        update(members[2], year_2024()),
        Then::RefusedWith("not_authorized"),
    );
    check(
        &town,
        update(members[0], year("2023/24")),
        Then::Refused(DomainError::DateOutsideSchoolYear {
            date: date(2024, 9, 25),
            year: "2023/24".into(),
        }),
    );
}

/// 002 §5.2: membership on an application is for its period; after 31 May there is nothing
/// left to admit on it.
#[test]
fn admission_after_the_application_period_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    town.fact(
        MembershipApplicationApproved {
            application,
            association,
            review: None,
        },
        date(2024, 9, 6),
    );
    check(
        &town,
        When::by(
            town.center_specialist,
            date(2025, 6, 2),
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            }),
        ),
        Then::Refused(DomainError::ApplicationPeriodOver {
            to: date(2025, 5, 31),
            clause: clause("002 §5.2, прил. 1, прил. 2"),
        }),
    );
}

/// 002 §5.2: membership on an application approved in August starts on 1 Sep, the first day
/// of its period, not on the day of admission.
#[test]
fn membership_on_an_application_starts_with_its_period_002_5_2() {
    use domain::state::AssociationState;
    use domain::Aggregate;
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    town.fact(
        MembershipApplicationApproved {
            application,
            association,
            review: None,
        },
        date(2024, 8, 20),
    );
    let specialist = town.center_specialist;
    let decision = accept(
        &mut town,
        When::by(
            specialist,
            date(2024, 8, 25),
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            }),
        ),
    );
    let Event::MemberAdmitted(admitted) = &decision.events[0] else {
        panic!("{decision:?}");
    };
    assert_eq!(admitted.from, Some(date(2024, 9, 1)));
    let facts: Vec<domain::Fact> = town
        .facts()
        .iter()
        .filter(|(event, _)| stream_of(event) == domain::Ref::Association(association))
        .map(|(event, on)| domain::Fact {
            event: event.clone(),
            effective: *on,
        })
        .collect();
    let state = AssociationState::from_facts(&facts);
    assert!(!state.is_member(Member::Person(petrova), date(2024, 8, 31)));
    assert!(state.is_member(Member::Person(petrova), date(2024, 9, 1)));
    assert!(!state.is_member(Member::Person(petrova), date(2025, 6, 1)));
}

/// 002 §5.2: an application is for the school year under way or the coming one.
#[test]
fn application_for_a_past_school_year_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    check(
        &town,
        When::by(
            petrova,
            date(2024, 9, 3),
            Command::SubmitMembershipApplication(SubmitMembershipApplication {
                application: application_id("old"),
                association,
                form: ApplicationForm::Teacher,
                applicant: Member::Person(petrova),
                theme: "Функциональная грамотность".into(),
                school_year: year("2022/23"),
                period_from: date(2022, 9, 1),
                period_to: date(2023, 5, 31),
            }),
        ),
        Then::RefusedWith("date_outside_school_year"),
    );
}

/// 000 §7.5: a district association unites the district's teachers of its subject. Given the
/// mathematics association of the Central district, when the district department's order
/// admits a physics teacher, or a teacher whose subjects the registry does not list, then it
/// is refused naming the subject and the clause; a mathematics teacher is admitted.
#[test]
fn district_members_teach_the_associations_subject_000_7_5() {
    let (mut town, district, _) = novokuznetsk_district();
    let physicist = town.person(
        "physicist",
        Spec {
            subjects: vec![subject("физика")],
            ..Spec::teacher()
        },
    );
    let unlisted = town.person(
        "unlisted",
        Spec {
            subjects: vec![],
            ..Spec::teacher()
        },
    );
    let mathematician = town.person("mathematician", Spec::teacher());
    let on = date(2024, 9, 12);
    let order = town.order("composition-central", town.central_department, on);
    let admit = |person: PersonId| {
        When::operator(
            on,
            Command::AdmitMember(AdmitMember {
                association: district,
                member: Member::Person(person),
                basis: AdmissionBasis::Order(order),
                district_association: None,
            }),
        )
    };
    for person in [physicist, unlisted] {
        check(
            &town,
            admit(person),
            Then::Refused(DomainError::NotATeacherOfTheSubject {
                person: person.to_string(),
                subject: "математика".into(),
                clause: clause("000 §7.5"),
            }),
        );
    }
    check(
        &town,
        admit(mathematician),
        Then::Events(vec![MemberAdmitted {
            association: district,
            member: Member::Person(mathematician),
            school_year: None,
            until: None,
            basis: AdmissionBasis::Order(order),
            from: None,
        }
        .into()]),
    );
}

/// 001 §1.3: the ММО «объединяет на территории города Кузнецка всех педагогов … преподающих
/// один предмет». Given Kuznetsk's ММО of mathematics, when its members are asked for, then
/// every teacher of mathematics at a school of the city is one without an admission — from
/// the day of registration until a dismissal — and nobody else: not a teacher of history, not
/// a specialist of the methodical center; an admission or a removal is refused, naming the
/// rule.
#[test]
fn the_mmo_unites_all_teachers_of_the_subject_by_the_registry_001_1_3() {
    let mut town = Town::kuznetsk();
    let mmo = town.methodical_association("math-mmo", Level::City);
    let teacher = town.person("ivanova", Spec::teacher());
    let historian = town.person(
        "petrova",
        Spec {
            subjects: vec![subject("история")],
            ..Spec::teacher()
        },
    );
    let center = town.center_organization;
    let specialist = town.person("sidorova", Spec::teacher().at(center));
    let on = date(2024, 10, 10);
    let support = |person| {
        When::operator(
            on,
            Command::RecordDevelopment(RecordDevelopment {
                association: mmo,
                person,
                school_year: year_2024(),
                milestone: DevelopmentMilestone::Diagnostics,
            }),
        )
    };
    let not_a_member = |person: PersonId| {
        Then::Refused(DomainError::NotAMember {
            member: Member::Person(person).to_string(),
            date: on,
            clause: clause("001 §4.1.2"),
        })
    };
    // A member by the registry: a step of growth is recorded for her, never admitted.
    check(
        &town,
        support(teacher),
        Then::Events(vec![DevelopmentRecorded {
            association: mmo,
            person: teacher,
            school_year: year_2024(),
            milestone: DevelopmentMilestone::Diagnostics,
        }
        .into()]),
    );
    check(&town, support(historian), not_a_member(historian));
    check(&town, support(specialist), not_a_member(specialist));
    // Neither admitted nor removed by a decision.
    let order = town.order("composition", town.department, on);
    let refused = || {
        Then::Refused(DomainError::MembershipFollowsFromRegistry {
            subject: "математика".into(),
            clause: clause("001 §1.3"),
        })
    };
    check(
        &town,
        When::operator(
            on,
            Command::AdmitMember(AdmitMember {
                association: mmo,
                member: Member::Person(historian),
                basis: AdmissionBasis::Order(order),
                district_association: None,
            }),
        ),
        refused(),
    );
    check(
        &town,
        When::operator(
            on,
            Command::RemoveMember(RemoveMember {
                association: mmo,
                member: Member::Person(teacher),
                reason: "по собственному желанию".into(),
            }),
        ),
        refused(),
    );
    // Dismissed on 1 Oct: no longer a member on 10 Oct; a second dismissal is refused.
    check(
        &town,
        When::operator(
            date(2024, 10, 1),
            Command::DismissPerson(DismissPerson {
                person: teacher,
                reason: "увольнение".into(),
            }),
        ),
        Then::Events(vec![PersonDismissed {
            person: teacher,
            reason: "увольнение".into(),
        }
        .into()]),
    );
    town.fact(
        PersonDismissed {
            person: teacher,
            reason: "увольнение".into(),
        },
        date(2024, 10, 1),
    );
    check(&town, support(teacher), not_a_member(teacher));
    check(
        &town,
        When::operator(
            on,
            Command::DismissPerson(DismissPerson {
                person: teacher,
                reason: "увольнение".into(),
            }),
        ),
        Then::RefusedWith("person_not_employed"),
    );
}
