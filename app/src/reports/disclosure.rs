//! Statistical disclosure control for the ministry's tables: no count of one to four is shown,
//! and no such count can be worked out from what is shown. Pure: no database.
//!
//! **Primary rule.** A cell (or total) of 1 to 4 is shown as `<5`. Zero is shown: it says
//! nothing about a person.
//!
//! **Secondary rule.** A table is shown with its row totals, column totals and grand total, so
//! every row and every column is a sum, and a reader knows that `<5` is 1 to 4 and `x` is 5 or
//! more (zero is always shown). A hidden count is safe when another table fits everything shown
//! and gives it another value. Four hidden counts at the corners of a rectangle (rows and
//! columns, totals included) can each change by one, up at two opposite corners and down at the
//! other two (a total moving with its cells), without changing any sum; if every corner still
//! fits its label, that other table exists. So every hidden count must lie on such a rectangle,
//! and while one does not, the cheapest rectangle that gives it one is hidden too: counts
//! already hidden cost nothing, zeros cannot be used, and a total costs more than any cell.
//! Where no rectangle can (a table of one line, or a few small counts bound by a small total),
//! the whole table is withheld: every entry, zeros too, is shown as `–`, so nothing bounds it.
//!
//! **Linked tables.** Tables that publish the same total (signals by region and by organisation
//! kind share the national figures) hide it in both; such a shared total must move the same
//! way in each, on a rectangle without other shared totals, so that the tables can change
//! together.
//!
//! **Comparisons.** A difference between two periods or regions is shown only when both of its
//! terms are: a shown difference with one hidden term would give that term away.
//!
//! A national figure is the total of the regions' figures, so the regions and the nation form
//! one table (the nation as the totals row) and the secondary rule covers them together.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A count as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    Count(u64),
    /// 1 to 4: shown as `<5`.
    Small,
    /// Hidden so that a small count elsewhere cannot be worked out.
    Hidden,
    /// The whole table is withheld (zeros and small counts too): no protection could keep its
    /// small counts from being worked out. Shown as `–`.
    Withheld,
}

impl Shown {
    pub fn is_shown(self) -> bool {
        matches!(self, Shown::Count(_))
    }

    /// The text a page and a CSV file show.
    pub fn text(self) -> String {
        match self {
            Shown::Count(n) => n.to_string(),
            Shown::Small => "<5".into(),
            Shown::Hidden => "x".into(),
            Shown::Withheld => "–".into(),
        }
    }
}

/// A table after disclosure control: its cells, row totals, column totals and grand total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protected {
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub column_totals: Vec<Shown>,
    pub total: Shown,
}

fn small(n: u64) -> bool {
    (1..=4).contains(&n)
}

/// The bounds a reader knows of a hidden count from its label: `<5` is 1 to 4, `x` is 5 or
/// more (zero is always shown, and so is every other count of 1 to 4).
fn bounds(v: u64) -> (u64, u64) {
    if small(v) { (1, 4) } else { (5, u64::MAX) }
}

/// How an entry of the table with its totals moves when a cycle's alternating change is
/// applied: every line (a row with its total, a column with its total) must keep its sum, so
/// an entry in the totals row or column moves against the cells (the grand total, in both,
/// moves with them).
fn orientation(r: usize, c: usize, rows: usize, columns: usize) -> i64 {
    if (r == rows) != (c == columns) { -1 } else { 1 }
}

/// Whether the four hidden entries `(r, c)`, `(r, c2)`, `(r2, c)`, `(r2, c2)` can all change by
/// one (in the direction `step` for `(r, c)`, or either when `step` is 0) and still fit their
/// labels: then another table fits everything shown, and none of the four follows from it.
#[allow(clippy::too_many_arguments)]
fn movable(full: &[Vec<u64>], (r, c): (usize, usize), (r2, c2): (usize, usize), step: i64) -> bool {
    let rows = full.len() - 1;
    let columns = full[0].len() - 1;
    let corners = [((r, c), 1), ((r, c2), -1), ((r2, c), -1), ((r2, c2), 1)];
    let orient = orientation(r, c, rows, columns);
    let steps: &[i64] = match step {
        0 => &[1, -1],
        1 => &[1],
        _ => &[-1],
    };
    steps.iter().any(|delta| {
        // `delta` is the change of `(r, c)` itself.
        corners.iter().all(|&((a, b), sign)| {
            let change = delta * orient * sign * orientation(a, b, rows, columns);
            let v = full[a][b];
            let (low, high) = bounds(v);
            let moved = v as i128 + change as i128;
            v > 0 && moved >= low as i128 && moved <= high as i128
        })
    })
}

/// Totals that must be hidden whatever their value, because a linked table (one that
/// publishes the same total) hides them: row totals by row, column totals by column, and the
/// grand total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forced {
    pub rows: BTreeSet<usize>,
    pub columns: BTreeSet<usize>,
    pub total: bool,
}

impl Forced {
    /// The totals `p` hides.
    pub fn hidden_in(p: &Protected) -> Forced {
        let hidden = |list: &[Shown]| -> BTreeSet<usize> {
            (0..list.len()).filter(|i| !list[*i].is_shown()).collect()
        };
        Forced {
            rows: hidden(&p.row_totals),
            columns: hidden(&p.column_totals),
            total: !p.total.is_shown(),
        }
    }
}

/// Applies the primary and secondary rules to `cells` (rows of equal length).
pub fn protect(cells: &[Vec<u64>]) -> Protected {
    protect_with(cells, &Forced::default())
}

/// Protects tables that publish the same totals together: `links` says, for each pair of
/// tables, which totals they share (see [`Link`]). A total hidden in one is hidden in the
/// other, and both are protected again until nothing changes (see the module's linked tables).
pub fn protect_linked(tables: &[&[Vec<u64>]], links: &[Link]) -> Vec<Protected> {
    let mut forced = vec![Forced::default(); tables.len()];
    loop {
        let protected: Vec<Protected> = tables
            .iter()
            .zip(&forced)
            .map(|(t, f)| protect_with(t, f))
            .collect();
        let hidden: Vec<Forced> = protected.iter().map(Forced::hidden_in).collect();
        let mut next = forced.clone();
        for link in links {
            let (a, b) = (link.first, link.second);
            let mut share = |from: usize, to: usize, from_side: Side, to_side: Side| {
                let h = &hidden[from];
                let f = &mut next[to];
                let source = match from_side {
                    Side::Rows => &h.rows,
                    Side::Columns => &h.columns,
                };
                let target = match to_side {
                    Side::Rows => &mut f.rows,
                    Side::Columns => &mut f.columns,
                };
                target.extend(source.iter().copied());
            };
            for (first, second) in &link.totals {
                share(a, b, *first, *second);
                share(b, a, *second, *first);
            }
            if hidden[a].total || hidden[b].total {
                next[a].total = true;
                next[b].total = true;
            }
        }
        if next == forced {
            return protected;
        }
        forced = next;
    }
}

/// Which of a table's totals another table publishes too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The row totals.
    Rows,
    /// The column totals.
    Columns,
}

/// Two tables (by index) that share their grand total and the listed totals, in the same
/// order (`(Columns, Columns)`: the first's column totals are the second's column totals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub first: usize,
    pub second: usize,
    pub totals: Vec<(Side, Side)>,
}

/// [`protect`], with some totals hidden from the start.
pub fn protect_with(cells: &[Vec<u64>], forced: &Forced) -> Protected {
    let rows = cells.len();
    let columns = cells.first().map_or(0, Vec::len);
    // The table with its totals: row `rows` holds the column totals, column `columns` the row
    // totals, and the corner the grand total.
    let mut full = vec![vec![0u64; columns + 1]; rows + 1];
    for (r, row) in cells.iter().enumerate() {
        for (c, v) in row.iter().enumerate().take(columns) {
            full[r][c] = *v;
            full[r][columns] += v;
            full[rows][c] += v;
            full[rows][columns] += v;
        }
    }
    let mut hidden: Vec<Vec<bool>> = full
        .iter()
        .map(|row| row.iter().map(|v| small(*v)).collect())
        .collect();
    for r in forced.rows.iter().filter(|r| **r < rows) {
        hidden[*r][columns] = true;
    }
    for c in forced.columns.iter().filter(|c| **c < columns) {
        hidden[rows][*c] = true;
    }
    if forced.total {
        hidden[rows][columns] = true;
    }
    let forced_entries: Vec<(usize, usize)> = (0..=rows)
        .flat_map(|r| (0..=columns).map(move |c| (r, c)))
        .filter(|(r, c)| {
            (*c == columns && *r < rows && forced.rows.contains(r))
                || (*r == rows && *c < columns && forced.columns.contains(c))
                || (*r == rows && *c == columns && forced.total)
        })
        .collect();
    let is_forced = |e: (usize, usize)| forced_entries.contains(&e);
    // A total that a linked table publishes too must move the same way in both: up, unless it
    // is a 4 (then down). Any other entry may move either way.
    let step = |e: (usize, usize)| -> i64 {
        match (is_forced(e), full[e.0][e.1]) {
            (false, _) => 0,
            (true, 4) => -1,
            (true, _) => 1,
        }
    };
    // The rectangle through `e` with the other corner `(r2, c2)`, if every corner is hidden,
    // none but `e` is a shared total, and it can move.
    let shields = |hidden: &[Vec<bool>], e: (usize, usize), (r2, c2): (usize, usize)| {
        let (r, c) = e;
        let others = [(r, c2), (r2, c), (r2, c2)];
        others.iter().all(|o| hidden[o.0][o.1] && !is_forced(*o))
            && movable(&full, e, (r2, c2), step(e))
    };
    let corners = |(r, c): (usize, usize)| {
        (0..=rows).filter(move |r2| *r2 != r).flat_map(move |r2| {
            (0..=columns)
                .filter(move |c2| *c2 != c)
                .map(move |c2| (r2, c2))
        })
    };
    // Every hidden count needs a rectangle of hidden counts through it that can change by one
    // and still fit every label and sum: then the reader cannot tell its value. While one has
    // none, the cheapest rectangle that gives it one is hidden too. Counts already hidden cost
    // nothing, zeros cannot be used, and a total costs more than any cell, so that national
    // and regional totals stay where they can.
    const TOTAL: u64 = 1 << 40;
    let mut withheld = false;
    loop {
        let entries: Vec<(usize, usize)> = (0..=rows)
            .flat_map(|r| (0..=columns).map(move |c| (r, c)))
            .filter(|(r, c)| hidden[*r][*c])
            .collect();
        let Some(&e) = entries
            .iter()
            .find(|e| !corners(**e).any(|corner| shields(&hidden, **e, corner)))
        else {
            break;
        };
        let (r, c) = e;
        let cost = |(a, b): (usize, usize)| -> Option<u64> {
            match (hidden[a][b], full[a][b]) {
                (true, _) => Some(0),
                (false, 0) => None,
                (false, v) => Some(v + if a == rows || b == columns { TOTAL } else { 0 }),
            }
        };
        let best = corners(e)
            .filter_map(|(r2, c2)| {
                let others = [(r, c2), (r2, c), (r2, c2)];
                if others.iter().any(|o| is_forced(*o)) {
                    return None;
                }
                let total = cost(others[0])? + cost(others[1])? + cost(others[2])?;
                movable(&full, e, (r2, c2), step(e)).then_some((total, r2, c2))
            })
            .min();
        match best {
            Some((_, r2, c2)) => {
                hidden[r][c2] = true;
                hidden[r2][c] = true;
                hidden[r2][c2] = true;
            }
            None => {
                // No rectangle can protect it (a table of one line, a few small counts bound
                // by a small total, or a total shared with another table that cannot move):
                // the whole table is withheld, zeros and all, so that nothing bounds any count.
                withheld = true;
                break;
            }
        }
    }
    let shown = |r: usize, c: usize| {
        let v = full[r][c];
        match (withheld, hidden[r][c], small(v)) {
            (true, _, _) => Shown::Withheld,
            (false, false, _) => Shown::Count(v),
            (false, true, true) => Shown::Small,
            (false, true, false) => Shown::Hidden,
        }
    };
    Protected {
        cells: (0..rows)
            .map(|r| (0..columns).map(|c| shown(r, c)).collect())
            .collect(),
        row_totals: (0..rows).map(|r| shown(r, columns)).collect(),
        column_totals: (0..columns).map(|c| shown(rows, c)).collect(),
        total: shown(rows, columns),
    }
}

/// `now - before`, shown only when both are.
pub fn difference(now: Shown, before: Shown) -> Option<i64> {
    match (now, before) {
        (Shown::Count(a), Shown::Count(b)) => Some(a as i64 - b as i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
