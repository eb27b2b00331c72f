use super::*;
use Shown::*;
use std::collections::BTreeSet;

type Grid = Vec<Vec<u64>>;

/// Whether `from` and `to` (nodes: rows `0..rows`, then columns) are joined by hidden
/// edges other than `skip`.
fn joined(hidden: &[Vec<bool>], skip: (usize, usize), from: usize, to: usize) -> bool {
    let rows = hidden.len();
    let columns = hidden.first().map_or(0, Vec::len);
    let mut seen = vec![false; rows + columns];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        let neighbours: Vec<usize> = if node < rows {
            (0..columns)
                .filter(|c| hidden[node][*c] && (node, *c) != skip)
                .map(|c| rows + c)
                .collect()
        } else {
            let c = node - rows;
            (0..rows)
                .filter(|r| hidden[*r][c] && (*r, c) != skip)
                .collect()
        };
        for n in neighbours {
            if !seen[n] {
                seen[n] = true;
                stack.push(n);
            }
        }
    }
    false
}

/// Whether hidden entry `(r, c)` lies on no cycle of hidden entries: the sums fix it.
fn bridge(hidden: &[Vec<bool>], (r, c): (usize, usize)) -> bool {
    !joined(hidden, (r, c), r, hidden.len() + c)
}

/// The published table with its totals as one grid (totals in the last row and column).
fn grid(p: &Protected) -> Vec<Vec<Shown>> {
    let mut full: Vec<Vec<Shown>> = p
        .cells
        .iter()
        .zip(&p.row_totals)
        .map(|(row, total)| row.iter().copied().chain([*total]).collect())
        .collect();
    full.push(p.column_totals.iter().copied().chain([p.total]).collect());
    full
}

/// Whether a candidate grid fits what `p` publishes: shown counts exactly, `<5` as 1 to
/// 4, `x` as 5 or more.
fn fits(shown: Shown, v: u64) -> bool {
    match shown {
        Count(n) => v == n,
        Small => (1..=4).contains(&v),
        Hidden => v >= 5,
        Withheld => true,
    }
}

/// Every table of cells up to `limit` that fits all `p` publishes (labels and sums), as
/// grids with totals; `None` when there would be more than `budget` candidates to try.
fn readings(p: &Protected, limit: u64, budget: u64) -> Option<Vec<Vec<Vec<u64>>>> {
    let full = grid(p);
    let rows = p.cells.len();
    let columns = p.column_totals.len();
    let domain = |s: Shown| -> Vec<u64> {
        match s {
            Count(n) => vec![n],
            Small => (1..=4).collect(),
            Hidden => (5..=limit.max(5)).collect(),
            Withheld => (0..=limit).collect(),
        }
    };
    let domains: Vec<Vec<u64>> = p.cells.iter().flatten().map(|s| domain(*s)).collect();
    let size: u64 = domains.iter().map(|d| d.len() as u64).product();
    if size > budget {
        return None;
    }
    let mut found = Vec::new();
    let mut pick = vec![0usize; domains.len()];
    loop {
        let values: Vec<u64> = pick.iter().zip(&domains).map(|(i, d)| d[*i]).collect();
        let mut g = vec![vec![0u64; columns + 1]; rows + 1];
        for r in 0..rows {
            for c in 0..columns {
                let v = values[r * columns + c];
                g[r][c] = v;
                g[r][columns] += v;
                g[rows][c] += v;
                g[rows][columns] += v;
            }
        }
        if (0..=rows).all(|r| (0..=columns).all(|c| fits(full[r][c], g[r][c]))) {
            found.push(g);
        }
        // The next combination.
        let mut i = 0;
        loop {
            if i == pick.len() {
                return Some(found);
            }
            pick[i] += 1;
            if pick[i] < domains[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn linked_tables_together_give_no_hidden_count_away() {
    // Signals by region and nature (`a`) and by organisation kind and nature (`b`): the
    // same signals, so the national figures by nature (the column totals) and the grand
    // total are one and the same in both. Every pair of tables that fits what both publish
    // is enumerated; each hidden count must take two values over them.
    let mut seed = 5u64;
    let mut checked = 0;
    for _ in 0..250 {
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % 7
        };
        let a: Vec<Vec<u64>> = (0..2).map(|_| (0..2).map(|_| next()).collect()).collect();
        let mut b: Vec<Vec<u64>> = vec![vec![0; 2]; 2];
        for c in 0..2 {
            let total: u64 = a.iter().map(|r| r[c]).sum();
            b[0][c] = next().min(total);
            b[1][c] = total - b[0][c];
        }
        let p = protect_linked(
            &[&a, &b],
            &[Link {
                first: 0,
                second: 1,
                totals: vec![(Side::Columns, Side::Columns)],
            }],
        );
        let total: u64 = a.iter().flatten().sum();
        let (Some(ra), Some(rb)) = (
            readings(&p[0], total + 4, 40_000),
            readings(&p[1], total + 4, 40_000),
        ) else {
            continue;
        };
        // Pairs of readings that agree on the shared national row.
        let mut by_national: std::collections::HashMap<&Vec<u64>, Vec<&Vec<Vec<u64>>>> =
            std::collections::HashMap::new();
        for y in &rb {
            by_national.entry(&y[2]).or_default().push(y);
        }
        let pairs: Vec<(&Grid, &Grid)> = ra
            .iter()
            .flat_map(|x| {
                by_national
                    .get(&x[2])
                    .into_iter()
                    .flatten()
                    .map(move |y| (x, *y))
            })
            .collect();
        if pairs.len() > 200_000 {
            continue;
        }
        checked += 1;
        assert!(!pairs.is_empty(), "the true tables fit: {a:?} {b:?} {p:?}");
        for (t, published) in [(0, grid(&p[0])), (1, grid(&p[1]))] {
            for (r, row) in published.iter().enumerate() {
                for (c, shown) in row.iter().enumerate() {
                    if !shown.is_shown() {
                        let values: BTreeSet<u64> = pairs
                            .iter()
                            .map(|(x, y)| if t == 0 { x[r][c] } else { y[r][c] })
                            .collect();
                        assert!(
                            values.len() >= 2,
                            "{a:?} and {b:?} gave {p:?}: table {t} entry ({r}, {c}) is always {values:?}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        checked > 80,
        "only {checked} pairs were small enough to check"
    );
}

#[test]
fn no_hidden_count_follows_from_the_labels_and_the_sums() {
    // The reviewer's table: `<5` and `x` in a row whose total is shown give 1 and 5 away
    // when `x` is a 5; the protection must choose differently.
    let mut tables = vec![vec![vec![1, 5, 20], vec![8, 9, 30]]];
    let mut seed = 3u64;
    for _ in 0..400 {
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % 8
        };
        let rows = 1 + (next() % 2) as usize;
        let columns = 1 + (next() % 3) as usize;
        tables.push(
            (0..rows)
                .map(|_| (0..columns).map(|_| next()).collect())
                .collect(),
        );
    }
    let mut checked = 0;
    for table in &tables {
        let p = protect(table);
        let total: u64 = table.iter().flatten().sum();
        let Some(readings) = readings(&p, total + 4, 2_000_000) else {
            continue;
        };
        checked += 1;
        let published = grid(&p);
        for (r, row) in published.iter().enumerate() {
            for (c, s) in row.iter().enumerate() {
                if !s.is_shown() {
                    let values: BTreeSet<u64> = readings.iter().map(|g| g[r][c]).collect();
                    assert!(
                        values.len() >= 2,
                        "{table:?} gave {p:?}: entry ({r}, {c}) is always {values:?}"
                    );
                }
            }
        }
    }
    assert!(
        checked > 300,
        "only {checked} tables were small enough to check"
    );
}

/// Whether any hidden count follows from the shown ones: the table with its totals, hidden
/// counts as edges, and any bridge among them.
fn leaks(p: &Protected) -> bool {
    let full = grid(p);
    let hidden: Vec<Vec<bool>> = full
        .iter()
        .map(|row| row.iter().map(|s| !s.is_shown()).collect())
        .collect();
    (0..hidden.len()).any(|r| (0..hidden[r].len()).any(|c| hidden[r][c] && bridge(&hidden, (r, c))))
}

#[test]
fn small_counts_are_shown_as_below_five_and_zero_and_five_are_shown() {
    let p = protect(&[vec![0, 5, 12], vec![7, 9, 30]]);
    assert_eq!(p.cells[0], [Count(0), Count(5), Count(12)]);
    assert!(!leaks(&p));
    assert_eq!(p.total, Count(63));
}

#[test]
fn one_small_cell_in_a_row_takes_another_cell_with_it() {
    // Without the second suppression, 3 = 20 - 10 - 7.
    let p = protect(&[vec![3, 10, 7], vec![8, 11, 6]]);
    assert_eq!(p.cells[0][0], Small);
    assert_eq!(p.cells[0][2], Hidden, "the smallest other cell of the row");
    assert!(!leaks(&p), "{p:?}");
    assert_eq!(p.row_totals[0], Count(20));
}

#[test]
fn the_regions_and_the_nation_cannot_be_differenced() {
    // Rows are regions, the column totals the nation: one small region in a column would
    // follow from the national figure and the other regions.
    let regions = vec![vec![2, 40], vec![15, 33], vec![21, 18]];
    let p = protect(&regions);
    assert_eq!(p.cells[0][0], Small);
    assert!(!leaks(&p), "{p:?}");
    assert!(
        p.column_totals[0].is_shown(),
        "the national figure stays: {p:?}"
    );
}

#[test]
fn a_small_total_is_protected_like_a_cell() {
    let p = protect(&[vec![1, 2], vec![0, 0]]);
    assert_eq!(p.row_totals[0], Small);
    assert_eq!(p.total, Small);
    assert!(!leaks(&p), "{p:?}");
}

#[test]
fn crafted_tables_never_leak() {
    // A deterministic sweep of small tables with many small counts.
    let mut seed = 7u64;
    for _ in 0..500 {
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % 9
        };
        let rows = 1 + (next() % 4) as usize;
        let columns = 1 + (next() % 4) as usize;
        let table: Vec<Vec<u64>> = (0..rows)
            .map(|_| (0..columns).map(|_| next()).collect())
            .collect();
        let p = protect(&table);
        assert!(!leaks(&p), "{table:?} gave {p:?}");
        for (r, row) in table.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if small(*v) {
                    assert_eq!(p.cells[r][c], Small, "{table:?}");
                }
            }
        }
    }
}

#[test]
fn linked_tables_hide_the_totals_either_hides() {
    // Signals by region and nature, and by organisation kind and nature: the national
    // figures by nature are both tables' column totals. The second table alone would show
    // the hard total that the first hides.
    let regions = vec![vec![3, 20], vec![0, 31], vec![1, 17]];
    let kinds = vec![vec![2, 40], vec![2, 28]];
    let p = protect_linked(
        &[&regions, &kinds],
        &[Link {
            first: 0,
            second: 1,
            totals: vec![(Side::Columns, Side::Columns)],
        }],
    );
    assert!(!leaks(&p[0]) && !leaks(&p[1]), "{p:?}");
    for c in 0..2 {
        assert_eq!(
            p[0].column_totals[c].is_shown(),
            p[1].column_totals[c].is_shown(),
            "column {c}: {p:?}"
        );
    }
    assert_eq!(p[0].total.is_shown(), p[1].total.is_shown());
    // Joined into one system (the shared totals as one), a hidden count that a cycle
    // holds in each table is held in both: checked by sweeping small linked tables.
    let mut seed = 11u64;
    for _ in 0..300 {
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % 8
        };
        let a: Vec<Vec<u64>> = (0..3).map(|_| (0..2).map(|_| next()).collect()).collect();
        let mut b: Vec<Vec<u64>> = (0..2).map(|_| (0..2).map(|_| next()).collect()).collect();
        // Make the column totals agree, as they do for one set of signals.
        for c in 0..2 {
            let total: u64 = a.iter().map(|r| r[c]).sum();
            b[0][c] = b[0][c].min(total);
            b[1][c] = total - b[0][c];
        }
        let p = protect_linked(
            &[&a, &b],
            &[Link {
                first: 0,
                second: 1,
                totals: vec![(Side::Columns, Side::Columns)],
            }],
        );
        assert!(!leaks(&p[0]) && !leaks(&p[1]), "{a:?} {b:?} gave {p:?}");
        for c in 0..2 {
            assert_eq!(
                p[0].column_totals[c].is_shown(),
                p[1].column_totals[c].is_shown()
            );
        }
    }
}

#[test]
fn a_difference_needs_both_terms_shown() {
    assert_eq!(difference(Count(12), Count(9)), Some(3));
    assert_eq!(difference(Count(12), Small), None);
    assert_eq!(difference(Hidden, Count(9)), None);
}
