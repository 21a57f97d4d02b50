//! Checks on the read models' rows themselves, shared by the tests that write them.

use std::collections::BTreeMap;

use store::FactRow;

/// The rows of one fact never overlap in valid time among those known at the same moment,
/// and none is empty: at every moment a row of the fact became known, the rows then known
/// follow one another.
pub fn assert_segments_never_overlap(rows: &[FactRow]) {
    let mut facts: BTreeMap<(&str, &str), Vec<&FactRow>> = BTreeMap::new();
    for row in rows {
        assert!(
            row.valid_to.is_none_or(|to| to > row.valid_from),
            "an empty segment: {row:?}"
        );
        facts
            .entry((row.kind.as_str(), row.key.as_str()))
            .or_default()
            .push(row);
    }
    for versions in facts.values() {
        for moment in versions.iter().map(|r| r.recorded_from) {
            let mut known: Vec<&&FactRow> = versions
                .iter()
                .filter(|r| r.recorded_from <= moment && r.recorded_to.is_none_or(|to| to > moment))
                .collect();
            known.sort_by_key(|r| r.valid_from);
            for pair in known.windows(2) {
                assert!(
                    pair[0].valid_to.is_some_and(|to| to <= pair[1].valid_from),
                    "segments known at {moment} overlap: {:?} and {:?}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }
}
