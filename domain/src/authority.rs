//! Who may act: the permission checks a decision runs — the operator, an official of a body,
//! the holder of a role in an association — and the order a decision rests on, which must come
//! from the right body, of this municipality, dated no later than the decision.

use crate::associations::state::AssociationState;
use crate::decider::{not_found, ActedAs, Acting, BasisKindRef, BasisRef, Decider};
use crate::error::DomainError;
use crate::ids::{OrderId, PersonId};
use crate::orders::state::OrderState;
use crate::roles::events::CouncilReview;
use crate::values::{AssociationRole, BodyKind, Clause};

impl<'a> Decider<'a> {
    /// The operator only: what is entered from paper.
    pub(crate) fn operator_only(&self, what: &str) -> Result<ActedAs, DomainError> {
        match self.ctx.acting {
            Acting::Operator => Ok(ActedAs::Operator),
            Acting::Person(_) => Err(DomainError::NotAuthorized {
                reason: format!("{what} вносит оператор методической службы"),
            }),
        }
    }

    /// The operator, or an official of a body of one of `kinds`.
    pub(crate) fn operator_or_official(
        &self,
        kinds: &[BodyKind],
        what: &str,
    ) -> Result<ActedAs, DomainError> {
        match self.ctx.acting {
            Acting::Operator => Ok(ActedAs::Operator),
            Acting::Person(p) => {
                let municipality = self.municipality()?;
                if let Some((body, _, office)) = municipality
                    .offices_of(p, self.date())
                    .find(|(b, _, _)| kinds.contains(&b.kind))
                {
                    Ok(ActedAs::Official {
                        body: body.kind,
                        office,
                    })
                } else {
                    Err(DomainError::NotAuthorized {
                        reason: format!(
                            "{what}: действует оператор или должностное лицо органа ({}) на {}",
                            kinds
                                .iter()
                                .map(|k| k.in_russian())
                                .collect::<Vec<_>>()
                                .join(", "),
                            self.date()
                        ),
                    })
                }
            }
        }
    }

    /// The actor must hold one of `roles` in `association` on the effective date: the
    /// person, and the role they hold.
    pub(crate) fn role_holder(
        &self,
        association: &AssociationState,
        roles: &[AssociationRole],
        what: &str,
    ) -> Result<(PersonId, ActedAs), DomainError> {
        let Some(person) = self.person_id() else {
            return Err(DomainError::NotAuthorized {
                reason: format!(
                    "{what}: действует {} объединения лично, не оператор",
                    roles
                        .iter()
                        .map(|r| r.in_russian())
                        .collect::<Vec<_>>()
                        .join(" или ")
                ),
            });
        };
        for role in roles {
            if association.holder(*role, self.date()) == Some(person) {
                return Ok((person, ActedAs::Role(*role)));
            }
        }
        Err(DomainError::NotAuthorized {
            reason: format!(
                "{what}: {person} не является ({}) объединения «{}» на {}",
                roles
                    .iter()
                    .map(|r| r.in_russian())
                    .collect::<Vec<_>>()
                    .join(" или "),
                association.title,
                self.date()
            ),
        })
    }

    /// An order of a body of kind `issuer`, dated no later than the effective date, entered
    /// by the operator or signed by an official of that body: the order, and the role of
    /// whoever records the action by it. Sets the legal basis.
    pub(crate) fn order_basis(
        &mut self,
        order: OrderId,
        issuer: BodyKind,
        rule: &Clause,
    ) -> Result<(&'a OrderState, ActedAs), DomainError> {
        let state = self
            .ctx
            .world
            .order(order)
            .ok_or_else(|| not_found("приказ", order))?;
        if self.ctx.world.home.is_some() && state.municipality != self.ctx.world.home {
            return Err(DomainError::OrderOfAnotherMunicipality {
                number: state.number.clone(),
            });
        }
        let actual = state.issuer_kind.unwrap_or(BodyKind::Department);
        if actual != issuer {
            return Err(DomainError::WrongOrderIssuer {
                number: state.number.clone(),
                expected: issuer.in_russian(),
                actual: actual.in_russian(),
                clause: rule.clone(),
            });
        }
        let order_date = state.date.unwrap_or(self.date());
        if order_date > self.date() {
            return Err(DomainError::OrderAfterEffectiveDate {
                number: state.number.clone(),
                order_date,
                effective: self.date(),
            });
        }
        let acted_as = match self.ctx.acting {
            Acting::Operator => ActedAs::Operator,
            Acting::Person(p) => {
                let municipality = self.municipality()?;
                let body = state
                    .issuer
                    .ok_or_else(|| not_found("орган", "издатель приказа"))?;
                match municipality.is_official_of(p, body, self.date()) {
                    Some(office) => ActedAs::Official {
                        body: actual,
                        office,
                    },
                    None => {
                        return Err(DomainError::NotAuthorized {
                            reason: format!(
                                "записать действие по приказу {} может оператор или должностное лицо органа, издавшего приказ",
                                state.number
                            ),
                        })
                    }
                }
            }
        };
        let issuer_title = state
            .issuer
            .and_then(|b| self.municipality().ok().and_then(|m| m.bodies.get(&b)))
            .map(|b| b.title.clone())
            .unwrap_or_else(|| actual.in_russian().to_string());
        self.basis = Some(BasisRef {
            kind: BasisKindRef::Order,
            number: state.number.clone(),
            date: order_date,
            issuer: issuer_title,
        });
        Ok((state, acted_as))
    }

    /// An order of a body of kind `issuer` (see `order_basis`), of that body's own district or
    /// organization where the body has one (000 §7.4: a district department acts in its own
    /// district), after the review of a council of kind `review_by` where the rule asks for one
    /// (000 §1.4, §4.2).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn scoped_order(
        &mut self,
        order: OrderId,
        issuer: BodyKind,
        review_by: Option<BodyKind>,
        review: Option<&CouncilReview>,
        district: Option<crate::ids::DistrictId>,
        organization: Option<crate::ids::OrganizationId>,
        rule: &Clause,
    ) -> Result<(&'a OrderState, ActedAs), DomainError> {
        let (order_state, acted_as) = self.order_basis(order, issuer, rule)?;
        let issuing_body = order_state
            .issuer
            .and_then(|b| self.municipality().ok().and_then(|m| m.bodies.get(&b)));
        match issuer {
            BodyKind::DistrictDepartment if issuing_body.and_then(|b| b.district) != district => {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "районный отдел образования того же района",
                    actual: "районный отдел образования другого района",
                    clause: rule.clone(),
                });
            }
            BodyKind::OrganizationAdministration
                if issuing_body.and_then(|b| b.organization) != organization =>
            {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "администрация той же образовательной организации",
                    actual: "администрация другой организации",
                    clause: rule.clone(),
                });
            }
            _ => {}
        }
        if let Some(council) = review_by {
            let reviewed = review.is_some_and(|r| {
                self.municipality()
                    .ok()
                    .and_then(|m| m.bodies.get(&r.council))
                    .is_some_and(|b| b.kind == council)
                    && order_state.date.is_none_or(|d| r.date <= d)
            });
            if !reviewed {
                return Err(DomainError::CouncilReviewRequired {
                    council: council.in_russian(),
                    clause: rule.clone(),
                });
            }
        }
        Ok((order_state, acted_as))
    }
}
