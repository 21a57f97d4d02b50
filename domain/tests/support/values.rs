//! The values every test of the workspace writes the same way: dates, school years, subjects,
//! content hashes, decided questions and votes. Shared by the domain's rules
//! (`domain/tests/support`) and the scenarios on real stores (`tests/tests/scenario_support`,
//! which includes this file by path: `domain`'s tests cannot depend on the `tests` crate, and
//! a file both include needs no crate of its own).

#![allow(dead_code)]

use chrono::NaiveDate;

use domain::events::{QuestionDecision, Vote};
use domain::ids::{MeetingId, PersonId};
use domain::values::{ContentHash, Subject};
use domain::SchoolYear;

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

pub fn year(text: &str) -> SchoolYear {
    SchoolYear::parse(text).expect("a valid school year")
}

pub fn subject(text: &str) -> Subject {
    Subject::parse(text).expect("a valid subject")
}

/// A content hash made from a label (the documents themselves live outside the log).
pub fn hash_of(label: &str) -> ContentHash {
    let mut hex = String::new();
    for (i, b) in label.bytes().cycle().take(32).enumerate() {
        hex.push_str(&format!("{:02x}", b.wrapping_add(i as u8)));
    }
    ContentHash::parse(&hex).expect("64 hex digits")
}

/// A question of an agenda with the decision taken on it.
pub fn decided(question: &str, decision: &str) -> QuestionDecision {
    QuestionDecision {
        question: question.into(),
        decision: decision.into(),
    }
}

/// An open vote at `meeting` among those `present`.
pub fn vote(
    meeting: MeetingId,
    present: &[PersonId],
    votes_for: u32,
    against: u32,
    abstained: u32,
) -> Vote {
    Vote {
        meeting,
        present: present.to_vec(),
        votes_for,
        against,
        abstained,
    }
}
