//! The orders' decision: an order entered by the operator from paper, or by its signer — the
//! chief or a deputy of the issuing body; a council reviews and does not issue orders.

use chrono::NaiveDate;

use crate::commands::Command;
use crate::decider::{
    exists, misrouted, not_found, ActedAs, Acting, BasisKindRef, BasisRef, Decider, Ruling,
};
use crate::error::DomainError;
use crate::ids::{BodyId, MunicipalityId, OrderId, PersonId};
use crate::values::{required_text, Office, OrderKind};

use super::commands::*;
use super::events::*;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::IssueOrder(IssueOrder {
            order,
            municipality,
            issuer,
            kind,
            number,
            date,
            title,
            decides,
            signed_by,
        }) => d.issue_order(
            *order,
            *municipality,
            (*issuer, *kind),
            (number, *date, title),
            decides,
            *signed_by,
        ),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn issue_order(
        &mut self,
        order: OrderId,
        municipality: MunicipalityId,
        (issuer, kind): (BodyId, OrderKind),
        (number, date, title): (&str, NaiveDate, &str),
        decides: &[String],
        signed_by: Option<PersonId>,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let m = self.registry(municipality)?;
        if world.orders.get(&order).is_some_and(|o| o.exists()) {
            return Err(exists("приказ", order));
        }
        let body = m
            .bodies
            .get(&issuer)
            .ok_or_else(|| not_found("орган", issuer))?;
        if body.kind.is_council() {
            return Err(DomainError::InvalidStructure {
                reason: format!(
                    "совет («{}») не издаёт приказов: он рассматривает, решение принимает орган",
                    body.title
                ),
            });
        }
        // A person signs only as the chief or deputy of the issuing body.
        let (signer, acted_as) = match self.ctx.acting {
            Acting::Operator => (signed_by, ActedAs::Operator),
            Acting::Person(p) => match m.is_official_of(p, issuer, date) {
                Some(office) if office.signs_orders() => (
                    Some(p),
                    ActedAs::Official {
                        body: body.kind,
                        office,
                    },
                ),
                _ => return Err(DomainError::OrderSignerNotAuthorized),
            },
        };
        if let Some(s) = signer {
            if !m
                .is_official_of(s, issuer, date)
                .is_some_and(Office::signs_orders)
            {
                return Err(DomainError::OrderSignerNotAuthorized);
            }
        }
        if date > on {
            return Err(DomainError::OrderAfterEffectiveDate {
                number: number.to_string(),
                order_date: date,
                effective: on,
            });
        }
        let decides = decides
            .iter()
            .map(|d| required_text("пункт приказа", d, 2000))
            .collect::<Result<Vec<_>, _>>()?;
        self.basis = Some(BasisRef {
            kind: BasisKindRef::Order,
            number: number.trim().to_string(),
            date,
            issuer: body.title.clone(),
        });
        Ok(Ruling::new(
            acted_as,
            vec![OrderIssued {
                order,
                municipality,
                issuer,
                issuer_kind: body.kind,
                kind,
                number: required_text("номер приказа", number, 50)?,
                date,
                title: required_text("название приказа", title, 1000)?,
                decides,
                signed_by: signer,
            }
            .into()],
        ))
    }
}
