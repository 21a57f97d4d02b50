//! The difference between two texts, line by line: the longest common subsequence of their
//! lines kept, the rest shown as removed from the first or added in the second — what
//! «Документ» shows between two versions.

/// One line of a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

impl DiffLine {
    /// The CSS class and the mark a page shows the line with.
    pub fn class(&self) -> &'static str {
        match self {
            DiffLine::Same(_) => "same",
            DiffLine::Removed(_) => "removed",
            DiffLine::Added(_) => "added",
        }
    }

    pub fn mark(&self) -> &'static str {
        match self {
            DiffLine::Same(_) => " ",
            DiffLine::Removed(_) => "−",
            DiffLine::Added(_) => "+",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            DiffLine::Same(t) | DiffLine::Removed(t) | DiffLine::Added(t) => t,
        }
    }
}

/// The most lines of either text compared line by line; longer texts are compared as a whole
/// (every line of the first removed, every line of the second added) so that a page never
/// spends more than a few million steps on it.
pub const MOST_LINES: usize = 3_000;

/// The lines of `before` and `after`, in order, each kept, removed or added.
pub fn lines(before: &str, after: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len() > MOST_LINES || b.len() > MOST_LINES {
        return a
            .iter()
            .map(|l| DiffLine::Removed(l.to_string()))
            .chain(b.iter().map(|l| DiffLine::Added(l.to_string())))
            .collect();
    }
    // common[i][j]: the length of the longest common subsequence of a[i..] and b[j..]
    let width = b.len() + 1;
    let mut common = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i * width + j] = if a[i] == b[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l.to_string())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l.to_string())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(diff: &[DiffLine]) -> Vec<String> {
        diff.iter()
            .map(|l| format!("{}{}", l.mark(), l.text()))
            .collect()
    }

    #[test]
    fn a_changed_line_is_removed_and_added_the_rest_kept() {
        let before = "Раздел 1\nСроки: май\nРаздел 2";
        let after = "Раздел 1\nСроки: 15 апреля\nРаздел 2\nРаздел 3";
        assert_eq!(
            shown(&lines(before, after)),
            [
                " Раздел 1",
                "−Сроки: май",
                "+Сроки: 15 апреля",
                " Раздел 2",
                "+Раздел 3"
            ]
        );
    }

    #[test]
    fn equal_texts_differ_nowhere_and_empty_ones_in_every_line() {
        assert!(lines("а\nб", "а\nб")
            .iter()
            .all(|l| matches!(l, DiffLine::Same(_))));
        assert_eq!(shown(&lines("", "а")), ["+а"]);
        assert_eq!(shown(&lines("а", "")), ["−а"]);
    }

    #[test]
    fn every_line_of_both_texts_is_accounted_for() {
        let before = "a\nb\nc\nd\ne\nf";
        let after = "b\nx\nd\ne\ny\nf\nz";
        let diff = lines(before, after);
        let kept_or_removed: Vec<&str> = diff
            .iter()
            .filter(|l| !matches!(l, DiffLine::Added(_)))
            .map(DiffLine::text)
            .collect();
        let kept_or_added: Vec<&str> = diff
            .iter()
            .filter(|l| !matches!(l, DiffLine::Removed(_)))
            .map(DiffLine::text)
            .collect();
        assert_eq!(kept_or_removed, before.lines().collect::<Vec<_>>());
        assert_eq!(kept_or_added, after.lines().collect::<Vec<_>>());
        let same = diff
            .iter()
            .filter(|l| matches!(l, DiffLine::Same(_)))
            .count();
        assert_eq!(same, 4, "b, d, e, f are the longest common lines");
    }
}
