//! The pages people read, in Russian: server-rendered HTML from compile-checked templates
//! (`templates/`, askama, escaped by default), the view models they show, dates as people
//! write them («15 мая 2025 г.»), and the assets embedded in the binary (no CDN, no build
//! step). It renders what the application layer answered and knows nothing of sessions,
//! stores or rules: the server (`api`) decides who may see a page and hands it the answer.

pub mod assets;
pub mod diff;
pub mod export;
pub mod format;
pub mod forms;
pub mod meeting;
pub mod pages;
pub mod tables;

pub use meeting::{MeetingPage, MeetingView, ProtocolPrint, VoteRow};
pub use pages::{
    ApprovalSheet, AssociationPage, DocumentPage, InboxPage, InboxRow, JournalPage, LogRow,
    LoginPage, Nav, Notice, OversightPage, PageError, QuestionTab, RegistryPage, RegulationPage,
    SignatureLine, TimeTravel, TrailRow, VersionDiff, VersionRow,
};
pub use tables::{Page, Table, Tables};
