//! Elections of heads and secretaries (003 §7.4, §7.5; 000 §4.3, §10.2): a majority of all
//! members, votes that add up and count everyone present, voters and recorders who are members.

use super::*;
use domain::commands::ElectSecretary;

/// 003 §7.4: the head is elected by a majority of the votes of the association's members —
/// more than half of all five, whoever attends.
#[test]
fn head_elected_by_majority_of_all_members_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 1, 0);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote.clone(),
        ),
        Then::Events(vec![head_elected(association, members[2], vote)]),
    );
}

/// 003 §7.4: a majority of those present that is not one of all members is refused (two of
/// three present, of five members); so is half.
#[test]
fn head_without_majority_of_all_members_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let few = &members[..3];
    let small = town.meeting_held(association, "small", meeting_day(), few);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(small, few, 2, 1, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: half of the votes is not a majority.
#[test]
fn head_with_half_of_the_votes_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, present, 2, 2, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: for, against and abstained add up to the members who voted.
#[test]
fn vote_counts_that_do_not_add_up_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, present, 2, 0, 0),
        ),
        Then::Refused(DomainError::VoteCountMismatch {
            votes_for: 2,
            against: 0,
            abstained: 0,
            present: 3,
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: only members vote («большинством голосов членов»).
#[test]
fn voter_who_is_not_a_member_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let guest = town.person("guest", Spec::teacher());
    let present = [members[0], members[1], guest];
    let meeting = town.meeting_held(association, "election", meeting_day(), &present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[1],
            vote(meeting, &present, 3, 0, 0),
        ),
        Then::Refused(DomainError::VoterNotAMember {
            person: guest.to_string(),
            date: meeting_day(),
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: the result is recorded by a member present at the meeting — not by a guest, not
/// by the operator; the refusal cites the election rule applied (000 §4.3, §10.2 for a
/// secretary in Novokuznetsk).
#[test]
fn vote_recorded_by_a_non_member_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let guest = town.person("guest", Spec::teacher());
    let mut attendance = members.clone();
    attendance.push(guest);
    let meeting = town.meeting_held(association, "election", meeting_day(), &attendance);
    let vote = vote(meeting, &members, 5, 0, 0);
    let refused = DomainError::VoteRecorderNotAMember {
        clause: clause("003 §7.4"),
    };
    assert_eq!(refused.code(), "not_authorized");
    check(
        &town,
        elect_head(guest, meeting_day(), association, members[1], vote.clone()),
        Then::Refused(refused.clone()),
    );
    let mut by_operator = elect_head(guest, meeting_day(), association, members[1], vote);
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::Refused(refused));

    let (mut town, association, members) = novokuznetsk_district();
    let guest = town.person("guest", Spec::teacher());
    let mut attendance = members.clone();
    attendance.push(guest);
    let meeting = town.meeting_held(association, "election", meeting_day(), &attendance);
    let refused = DomainError::VoteRecorderNotAMember {
        clause: clause("000 §4.3, §10.2"),
    };
    assert!(
        refused.to_string().ends_with("(000 §4.3, §10.2)"),
        "{refused}"
    );
    check(
        &town,
        elect_secretary(
            guest,
            association,
            members[2],
            support::vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(refused),
    );
}

/// 003 §7.4, §7.5 (000 §4.3, §10.2): the head and the secretary are elected from the members;
/// the refusal cites the rule of that election.
#[test]
fn head_candidate_must_be_a_member_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let outsider = town.person("outsider", Spec::teacher());
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            outsider,
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("003 §7.4"),
        }),
    );
    check(
        &town,
        When::by(
            members[0],
            meeting_day(),
            Command::ElectSecretary(ElectSecretary {
                association,
                person: outsider,
                school_year: year_2024(),
                vote: vote(meeting, &members, 5, 0, 0),
            }),
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("003 §7.5"),
        }),
    );
    let (mut town, association, members) = novokuznetsk_district();
    let outsider = town.person("outsider", Spec::teacher());
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_secretary(
            members[0],
            association,
            outsider,
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("000 §4.3, §10.2"),
        }),
    );
}

/// 003 §7.4: an open vote is taken at a meeting that was held, on its day.
#[test]
fn election_at_a_meeting_not_held_that_day_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            date(2024, 9, 12),
            association,
            members[1],
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::VoteMeetingInvalid {
            reason: "дата избрания 2024-09-12 не совпадает с датой заседания".into(),
            clause: clause("003 §7.4"),
        }),
    );
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[1],
            vote(meeting_id("never-held"), &members, 5, 0, 0),
        ),
        Then::RefusedWith("not_found"),
    );
}

/// 003 §7.5: the secretary is elected by a majority of the members' votes (three of five),
/// with no yearly term.
#[test]
fn secretary_elected_by_majority_of_all_members_003_7_5() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 0, 1);
    check(
        &town,
        When::by(
            members[0],
            meeting_day(),
            Command::ElectSecretary(ElectSecretary {
                association,
                person: members[1],
                school_year: year_2024(),
                vote: vote.clone(),
            }),
        ),
        Then::Events(vec![SecretaryElected {
            association,
            person: members[1],
            school_year: year_2024(),
            until: None,
            vote,
        }
        .into()]),
    );
}

pub(super) fn elect_secretary(
    by: PersonId,
    association: AssociationId,
    person: PersonId,
    vote: Vote,
) -> When {
    When::by(
        by,
        meeting_day(),
        Command::ElectSecretary(ElectSecretary {
            association,
            person,
            school_year: year_2024(),
            vote,
        }),
    )
}

/// 000 §4.3, §10.2: the secretary is elected every year by a majority of all the members
/// («большинством членов»): three of five is a majority even when only three came.
#[test]
fn secretary_elected_every_year_by_majority_of_all_members_000_4_3_10_2() {
    let (mut town, association, members) = novokuznetsk_district();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 0, 0);
    check(
        &town,
        elect_secretary(members[0], association, members[2], vote.clone()),
        Then::Events(vec![SecretaryElected {
            association,
            person: members[2],
            school_year: year_2024(),
            until: Some(date(2025, 8, 31)),
            vote,
        }
        .into()]),
    );
}

/// 000 §4.3, §10.2: a majority of those present that is not a majority of all members is
/// refused.
#[test]
fn secretary_without_majority_of_all_members_refused_000_4_3_10_2() {
    let (mut town, association, members) = novokuznetsk_district();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_secretary(
            members[0],
            association,
            members[2],
            vote(meeting, present, 2, 1, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("000 §4.3, §10.2"),
        }),
    );
}

/// 003 §7.4: the members present who vote are every member who attended; leaving some out
/// of the count cannot turn a minority into a majority.
#[test]
fn vote_must_count_every_member_present_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    // Two "for" out of the three listed would be a majority of those three, not of the five
    // who attended.
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, &members[..3], 2, 1, 0),
        ),
        Then::RefusedWith("vote_meeting_invalid"),
    );
}
