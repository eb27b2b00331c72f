//! A stable, readable layout for the bipartite map: organisations in the left column, joint
//! ventures in the right one, each column ordered so that lines cross little. Computed on the
//! server, deterministic (the same data gives the same picture), no randomness.
//!
//! Method: joint ventures start in the given order (by theme, then name); then, a few times,
//! organisations are ordered by the mean position of their joint ventures and joint ventures by
//! the mean position of their organisations (the barycenter heuristic of Sugiyama et al.). The
//! sweep with the fewest crossings is kept, since a later sweep can undo an earlier gain. Ties
//! keep the previous order, so the result depends only on the input order.

use serde::{Deserialize, Serialize};

/// Vertical distance between two nodes of a column, in SVG units.
pub const ROW: f64 = 32.0;
pub const TOP: f64 = 24.0;
/// The organisations are labelled with their short names, so their column sits near the left
/// edge and the lines get most of the width: a wide gap between the columns is what keeps
/// a dozen joint ventures sharing the same few organisations from turning into a knot.
pub const LEFT_X: f64 = 110.0;
pub const RIGHT_X: f64 = 600.0;
pub const WIDTH: f64 = 980.0;
/// Barycenter sweeps tried; the best one is kept.
const SWEEPS: usize = 6;

/// Where each node goes: `left_y[i]` for input node `i` of the left column, likewise right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub left_y: Vec<f64>,
    pub right_y: Vec<f64>,
    pub height: f64,
}

/// Orders `items` (indices) by the mean of `position` over each one's neighbours. Items
/// without neighbours go last. Ties keep the current order.
fn by_barycenter(items: &[usize], neighbours: &[Vec<usize>], position: &[usize]) -> Vec<usize> {
    let mut keyed: Vec<(Option<f64>, usize, usize)> = items
        .iter()
        .enumerate()
        .map(|(rank, &item)| {
            let n = &neighbours[item];
            let mean = (!n.is_empty())
                .then(|| n.iter().map(|&o| position[o] as f64).sum::<f64>() / n.len() as f64);
            (mean, rank, item)
        })
        .collect();
    keyed.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    keyed.into_iter().map(|(_, _, item)| item).collect()
}

fn positions(order: &[usize]) -> Vec<usize> {
    let mut position = vec![0; order.len()];
    for (rank, &item) in order.iter().enumerate() {
        position[item] = rank;
    }
    position
}

/// How many pairs of edges cross, for nodes at the given ranks of their columns.
fn crossings_at(
    left_position: &[usize],
    right_position: &[usize],
    edges: &[(usize, usize)],
) -> usize {
    let mut count = 0;
    for (i, &(a, b)) in edges.iter().enumerate() {
        for &(c, d) in &edges[i + 1..] {
            let (la, lc) = (left_position[a], left_position[c]);
            let (rb, rd) = (right_position[b], right_position[d]);
            if (la < lc && rb > rd) || (la > lc && rb < rd) {
                count += 1;
            }
        }
    }
    count
}

/// Places `left` and `right` nodes joined by `edges` (left index, right index).
pub fn place(left: usize, right: usize, edges: &[(usize, usize)]) -> Placement {
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|&(l, r)| l < left && r < right)
        .collect();
    let mut left_neighbours = vec![Vec::new(); left];
    let mut right_neighbours = vec![Vec::new(); right];
    for &(l, r) in &edges {
        left_neighbours[l].push(r);
        right_neighbours[r].push(l);
    }
    let mut right_order: Vec<usize> = (0..right).collect();
    let initial_left: Vec<usize> = (0..left).collect();
    let mut left_order = by_barycenter(&initial_left, &left_neighbours, &positions(&right_order));
    let score = |left_order: &[usize], right_order: &[usize]| {
        crossings_at(&positions(left_order), &positions(right_order), &edges)
    };
    let mut best = (
        score(&left_order, &right_order),
        left_order.clone(),
        right_order.clone(),
    );
    for _ in 0..SWEEPS {
        if best.0 == 0 {
            break;
        }
        right_order = by_barycenter(&right_order, &right_neighbours, &positions(&left_order));
        left_order = by_barycenter(&left_order, &left_neighbours, &positions(&right_order));
        let count = score(&left_order, &right_order);
        if count < best.0 {
            best = (count, left_order.clone(), right_order.clone());
        }
    }
    let (_, left_order, right_order) = best;

    let rows = left.max(right).max(1) as f64;
    let height = TOP * 2.0 + (rows - 1.0) * ROW;
    // The shorter column is centred against the longer one.
    let column = |order: &[usize], count: usize| {
        let offset = (rows - count as f64) * ROW / 2.0;
        let position = positions(order);
        (0..count)
            .map(|i| TOP + offset + position[i] as f64 * ROW)
            .collect::<Vec<_>>()
    };
    Placement {
        left_y: column(&left_order, left),
        right_y: column(&right_order, right),
        height,
    }
}

/// How many pairs of edges cross: a measure of readability, for tests and the bench.
pub fn crossings(placement: &Placement, edges: &[(usize, usize)]) -> usize {
    let mut count = 0;
    for (i, &(a, b)) in edges.iter().enumerate() {
        for &(c, d) in &edges[i + 1..] {
            let (la, rb) = (placement.left_y[a], placement.right_y[b]);
            let (lc, rd) = (placement.left_y[c], placement.right_y[d]);
            if (la - lc) * (rb - rd) < 0.0 {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graph_that_can_be_drawn_without_crossings_is() {
        // Left 0..4 each joined to right 3 - i: the input order is fully crossed.
        let edges = [(0, 3), (1, 2), (2, 1), (3, 0)];
        let placement = place(4, 4, &edges);
        let unordered = Placement {
            left_y: vec![0.0, 1.0, 2.0, 3.0],
            right_y: vec![0.0, 1.0, 2.0, 3.0],
            height: 0.0,
        };
        assert_eq!(crossings(&unordered, &edges), 6);
        assert_eq!(crossings(&placement, &edges), 0);
    }

    #[test]
    fn the_same_input_gives_the_same_picture_and_no_two_nodes_share_a_place() {
        let edges = [(0, 1), (1, 1), (2, 0), (3, 2), (0, 2), (4, 0)];
        let first = place(6, 3, &edges);
        assert_eq!(first, place(6, 3, &edges));
        let mut ys = first.left_y.clone();
        ys.sort_by(f64::total_cmp);
        ys.dedup();
        assert_eq!(ys.len(), 6);
    }

    #[test]
    fn the_shorter_column_is_centred_and_unconnected_nodes_go_last() {
        let placement = place(5, 1, &[(4, 0)]);
        assert_eq!(placement.right_y, vec![TOP + 2.0 * ROW]);
        assert_eq!(
            placement.left_y[4], TOP,
            "the only connected organisation comes first"
        );
        assert!(placement.left_y[..4].iter().all(|y| *y > TOP));
    }
}
