//! An order's state: who issued it, its number and date — what a decision citing it checks.

use chrono::NaiveDate;

use crate::aggregate::Aggregate;
use crate::events::{Event, Fact};
use crate::ids::{BodyId, MunicipalityId, OrderId};
use crate::values::{BodyKind, OrderKind};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderState {
    pub id: Option<OrderId>,
    pub municipality: Option<MunicipalityId>,
    pub issuer: Option<BodyId>,
    pub issuer_kind: Option<BodyKind>,
    pub kind: Option<OrderKind>,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub title: String,
}

impl OrderState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }
}

impl Aggregate for OrderState {
    fn evolve(&mut self, fact: &Fact) {
        if let Event::OrderIssued(e) = &fact.event {
            self.id = Some(e.order);
            self.municipality = Some(e.municipality);
            self.issuer = Some(e.issuer);
            self.issuer_kind = Some(e.issuer_kind);
            self.kind = Some(e.kind);
            self.number = e.number.clone();
            self.date = Some(e.date);
            self.title = e.title.clone();
        }
    }
}
