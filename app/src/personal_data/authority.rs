//! Who may order the destruction of personal data and issue its act: the operator of
//! personal data — an official of the education authority or of the methodical center that
//! runs the system — or the system's operator acting on their behalf.

use chrono::NaiveDate;
use domain::registry::state::MunicipalityState;
use domain::values::{BodyKind, Office};
use domain::{ActedAs, Acting};

use crate::error::PersonalDataError;

/// The bodies whose officials act as the operator of personal data. A district department
/// is a part of the education authority, not an operator of its own.
pub(crate) const OPERATOR_BODIES: [BodyKind; 2] =
    [BodyKind::Department, BodyKind::MethodicalCenter];

/// The role `acting` acts in as the operator of personal data on `date`, or the refusal
/// citing `clause`.
pub(crate) fn operator_of_personal_data(
    municipality: &MunicipalityState,
    acting: Acting,
    date: NaiveDate,
    what: &'static str,
    clause: String,
) -> Result<ActedAs, PersonalDataError> {
    let person = match acting {
        Acting::Operator => return Ok(ActedAs::Operator),
        Acting::Person(person) => person,
    };
    municipality
        .offices_of(person, date)
        // A council member sits on a council, not in the body's staff.
        .find(|(body, _, office)| {
            OPERATOR_BODIES.contains(&body.kind) && *office != Office::CouncilMember
        })
        .map(|(body, _, office)| ActedAs::Official {
            body: body.kind,
            office,
        })
        .ok_or_else(|| PersonalDataError::NotAuthorized {
            what,
            actor: acting.id(),
            date,
            clause,
        })
}
