//! The grounds on which personal data is destroyed (152-FZ), each with its wording and the
//! clause that obliges the operator to destroy.

use std::fmt;
use std::str::FromStr;

/// Why a person's personal data is destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErasureGround {
    /// The person withdrew their consent to the processing.
    ConsentWithdrawn,
    /// The purpose of the processing is achieved.
    PurposeAchieved,
    /// The keeping period is over.
    RetentionExpired,
}

/// 152-FZ, as the clauses below cite it.
const LAW: &str = "Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных»";

impl ErasureGround {
    pub const ALL: [ErasureGround; 3] = [
        ErasureGround::ConsentWithdrawn,
        ErasureGround::PurposeAchieved,
        ErasureGround::RetentionExpired,
    ];

    /// The name typed on the command line and sent to the API.
    pub fn name(self) -> &'static str {
        match self {
            ErasureGround::ConsentWithdrawn => "consent-withdrawn",
            ErasureGround::PurposeAchieved => "purpose-achieved",
            ErasureGround::RetentionExpired => "retention-expired",
        }
    }

    /// The ground in words, as the erasure event records it.
    pub fn in_russian(self) -> &'static str {
        match self {
            ErasureGround::ConsentWithdrawn => {
                "отзыв субъектом согласия на обработку персональных данных"
            }
            ErasureGround::PurposeAchieved => "достижение цели обработки персональных данных",
            ErasureGround::RetentionExpired => "истечение срока хранения персональных данных",
        }
    }

    /// The clause of 152-FZ that obliges the operator to destroy the data on this ground.
    pub fn clause(self) -> String {
        let part = match self {
            ErasureGround::ConsentWithdrawn => "ч. 5 ст. 21",
            ErasureGround::PurposeAchieved => "ч. 4 ст. 21",
            ErasureGround::RetentionExpired => "ч. 7 ст. 5",
        };
        format!("{part} {LAW}")
    }

    /// The ground an erasure event's wording names, if it is one of these.
    pub fn from_wording(wording: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.in_russian() == wording)
    }
}

impl fmt::Display for ErasureGround {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ErasureGround {
    /// The names there are, for the refusal.
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|g| g.name() == text.trim())
            .ok_or_else(|| {
                Self::ALL
                    .iter()
                    .map(|g| g.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ground_reads_back_from_its_name_and_its_wording() {
        for ground in ErasureGround::ALL {
            assert_eq!(ground.name().parse::<ErasureGround>(), Ok(ground));
            assert_eq!(
                ErasureGround::from_wording(ground.in_russian()),
                Some(ground)
            );
            assert!(ground.clause().contains("152-ФЗ"), "{}", ground.clause());
        }
        assert_eq!(
            "forgotten".parse::<ErasureGround>(),
            Err("consent-withdrawn, purpose-achieved, retention-expired".to_string())
        );
        assert!(ErasureGround::ConsentWithdrawn
            .clause()
            .starts_with("ч. 5 ст. 21 "));
        assert!(ErasureGround::PurposeAchieved
            .clause()
            .starts_with("ч. 4 ст. 21 "));
        assert!(ErasureGround::RetentionExpired
            .clause()
            .starts_with("ч. 7 ст. 5 "));
    }
}
