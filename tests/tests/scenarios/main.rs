//! One school year per regulation profile, walked through the real command handlers on a
//! real SQLite file and on PostgreSQL: the hierarchy by orders, membership (by order or by
//! application), heads appointed or elected, secretaries elected, meetings and protocols,
//! documents submitted, the member database updated — and the rules refusing what the
//! regulation forbids, each refusal writing nothing. At the end the log verifies and holds no
//! personal field in clear.
//!
//! One module per profile; the tests keep their names (`sqlite::izhevsk_school_year`).

#[path = "../scenario_support/mod.rs"]
mod scenario_support;

mod izhevsk;
mod kuznetsk;
mod novokuznetsk;
mod novosibirsk;
mod pervouralsk;

use domain::events::{AdmissionBasis, CouncilReview, Member, NetworkEventDetails};
use domain::ids::{ApplicationId, AssociationId, DocumentId};
use domain::profile::ApplicationForm;
use domain::values::{
    AssociationRole, BodyKind, CategoryLevel, DocumentType, Level, Office, OrganizationKind,
    PositionKind,
};
use domain::{Acting, Command};
use izhevsk::izhevsk_school_year;
use kuznetsk::kuznetsk_school_year;
use novokuznetsk::novokuznetsk_school_year;
use novosibirsk::novosibirsk_school_year;
use pervouralsk::pervouralsk_school_year;
use scenario_support::*;
use store::{Backend, BasisKind, StreamId};

store::on_every_backend!(
    novokuznetsk_school_year,
    kuznetsk_school_year,
    izhevsk_school_year,
    novosibirsk_school_year,
    pervouralsk_school_year,
);
