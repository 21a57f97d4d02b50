//! «Заседание» and its printed protocol: the agenda, who attended, the questions with their
//! decisions, the votes, the protocol's drafting and signing — and, on paper, each event's
//! position and hash in the log with the log's head, so a copy can be checked against it.

use askama::Template;

use crate::pages::{rendered, Nav, Notice, PageError, SignatureLine, TimeTravel};

/// One vote taken at the meeting.
#[derive(Debug, Clone)]
pub struct VoteRow {
    pub question: String,
    pub votes_for: u32,
    pub against: u32,
    pub abstained: u32,
}

/// What a meeting's page and its protocol both show.
#[derive(Debug, Clone, Default)]
pub struct MeetingView {
    pub id: String,
    pub association_id: String,
    /// «Заседание 15 мая 2026 г.»
    pub title: String,
    pub date: String,
    pub status: String,
    pub agenda: Vec<String>,
    pub attendance: Vec<String>,
    /// (question, decision)
    pub questions: Vec<(String, String)>,
    pub recommendations: Vec<String>,
    pub votes: Vec<VoteRow>,
    pub protocol_number: String,
    pub protocol_hash: String,
    /// The protocol's text, where it was kept beside the log (drafted on the page).
    pub protocol_text: Option<String>,
    pub drafted_by: String,
    pub signed_by: String,
    pub lines: Vec<SignatureLine>,
    pub verifies: bool,
    pub verification: String,
}

/// «Заседание»: the meeting, and in place the secretary's drafting of its protocol and the
/// head's signing (the rules say who may; a refusal is shown with its clause).
#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    pub nav: Nav,
    pub when: TimeTravel,
    pub meeting: MeetingView,
    pub notice: Option<Notice>,
    /// Whether the forms are offered: a person's account, today, a protocol to draft or sign.
    pub may_draft: bool,
    pub may_sign: bool,
}

impl MeetingPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// The protocol of a meeting as printed: dates as documents write them, each signature line
/// with the event's position and hash, and the head of the log.
#[derive(Template)]
#[template(path = "protocol.html")]
pub struct ProtocolPrint {
    pub meeting: MeetingView,
    pub printed: String,
}

impl ProtocolPrint {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}
