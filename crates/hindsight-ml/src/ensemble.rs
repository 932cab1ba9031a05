//! Fitted trees laid out for scoring: predictions and exact Shapley contributions in f64.
//!
//! forust-ml grows the trees and stores them (its JSON is the model file), but its contribution
//! code allocates a path per node visited and recomputes each tree's expected value per row: about
//! 1 ms per row for 200 depth-4 trees, twenty times the scoring budget. This module copies the
//! fitted trees into flat nodes once, caches each tree's expected value, and runs the TreeSHAP
//! recursion (Lundberg, Erion & Lee 2018, Algorithm 2, as in the `shap` package's C++ code) in
//! one preallocated path buffer, in f64 throughout — forust keeps path weights in f32, which left
//! its contributions ~1e-8 away from its own predictions; here they agree to rounding.
//!
//! Shallow trees (at most [`FAST_PATH_FEATURES`] distinct features on any root-to-leaf path, as
//! in the default depth-4 boosting) take a faster exact route, "Fast TreeSHAP v2" (Yang 2021): a
//! leaf's contributions depend on the row only through which of its path's features the row
//! agrees with, so each leaf keeps a table of its contributions for every such pattern, computed
//! once when the model loads. Scoring a row is then, per leaf, one comparison per path edge and
//! one addition per path feature: ~20× faster than the recursion for 200 depth-4 trees.
//!
//! Routing is forust's: a missing value (NaN) follows the node's missing branch, otherwise
//! `value < split` goes left. Tests check predictions and contributions against forust's.

use forust_ml::gradientbooster::GradientBooster;
use forust_ml::tree::Tree;
use rayon::prelude::*;

use crate::data::FeatureMatrix;
use crate::error::Result;
use crate::explain::Explanation;
use crate::logistic::sigmoid;

const NO_FEATURE: usize = usize::MAX;

/// forust-ml's routing rule, in one place: a missing value (NaN) takes the missing branch,
/// otherwise `value < split` goes left. Written as selects, not branches: which way a row goes is
/// data, not a pattern the branch predictor can learn.
#[inline]
fn route(value: f64, split: f64, left: u32, right: u32, missing: u32) -> u32 {
    let side = if value < split { left } else { right };
    if value.is_nan() { missing } else { side }
}

/// Trees whose paths hold at most this many distinct features get per-leaf tables (2^d rows of
/// d contributions per leaf); deeper ones use the recursion.
const FAST_PATH_FEATURES: usize = 6;

/// A leaf's precomputed contributions (Fast TreeSHAP v2).
#[derive(Debug, Clone)]
struct LeafTable {
    /// The path's edges as (node, child taken, slot of the node's feature in `features`).
    edges: Vec<(u32, u32, u8)>,
    /// The distinct features on the path.
    features: Vec<usize>,
    /// `contributions[agreement * d + slot]`: the leaf's contribution to feature `slot` when the
    /// row agrees with the path on exactly the features whose bits are set in `agreement`.
    contributions: Vec<f64>,
}

/// `s! (d - s - 1)! / d!`: the Shapley weight of a coalition of `s` out of `d` other players.
fn shapley_weight(coalition: usize, players: usize) -> f64 {
    let factorial = |n: usize| (1..=n).map(|k| k as f64).product::<f64>();
    factorial(coalition) * factorial(players - coalition - 1) / factorial(players)
}

impl LeafTable {
    /// The table of a leaf of value `value` reached by `edges`, whose path features have
    /// `zero_fractions` (the share of training cover that follows the path at that feature's
    /// splits).
    fn new(edges: Vec<(u32, u32, u8)>, features: Vec<usize>, zero_fractions: &[f64], value: f64) -> LeafTable {
        let d = features.len();
        let mut contributions = vec![0.0; (1 << d) * d];
        for agreement in 0..(1usize << d) {
            for slot in 0..d {
                let one = ((agreement >> slot) & 1) as f64;
                // Coalitions S of the other features: the row's part of S must agree with the path
                // (indicator 1) and the rest of the features enter through their zero fractions.
                let others: Vec<usize> = (0..d).filter(|&other| other != slot).collect();
                let mut total = 0.0;
                for subset in 0..(1usize << others.len()) {
                    let mut product = 1.0;
                    let mut size = 0;
                    for (bit, &other) in others.iter().enumerate() {
                        if (subset >> bit) & 1 == 1 {
                            size += 1;
                            if (agreement >> other) & 1 == 0 {
                                product = 0.0;
                            }
                        } else {
                            product *= zero_fractions[other];
                        }
                    }
                    total += shapley_weight(size, d) * product;
                }
                contributions[agreement * d + slot] = value * (one - zero_fractions[slot]) * total;
            }
        }
        LeafTable { edges, features, contributions }
    }
}

#[derive(Debug, Clone, Copy)]
struct FlatNode {
    feature: usize,
    split: f64,
    left: u32,
    right: u32,
    missing: u32,
    /// Whether the missing branch is a third child (not left or right).
    missing_is_own_branch: bool,
    leaf: bool,
    /// The leaf weight (log-odds).
    value: f64,
    /// The training hessian sum: the share of rows that reached the node, for TreeSHAP.
    cover: f64,
}

/// A node as prediction walks it: a leaf's children are itself, so a walk of exactly the tree's
/// depth ends on the row's leaf whatever its depth, with no test for leaves on the way.
#[derive(Debug, Clone, Copy)]
struct WalkNode {
    feature: u32,
    left: u32,
    right: u32,
    missing: u32,
    split: f64,
    value: f64,
}

#[derive(Debug, Clone)]
struct FlatTree {
    nodes: Vec<FlatNode>,
    walk: Vec<WalkNode>,
    /// The cover-weighted mean leaf value: the tree's output before any feature is known.
    expected: f64,
    depth: usize,
}

impl FlatTree {
    fn from_forust(tree: &Tree) -> FlatTree {
        let nodes: Vec<FlatNode> = tree
            .nodes
            .iter()
            .map(|node| FlatNode {
                feature: node.split_feature,
                split: node.split_value,
                left: node.left_child as u32,
                right: node.right_child as u32,
                missing: node.missing_node as u32,
                missing_is_own_branch: node.has_missing_branch(),
                leaf: node.is_leaf,
                value: f64::from(node.weight_value),
                cover: f64::from(node.hessian_sum),
            })
            .collect();
        let walk = nodes
            .iter()
            .enumerate()
            .map(|(index, node)| match node.leaf {
                true => WalkNode {
                    feature: 0,
                    left: index as u32,
                    right: index as u32,
                    missing: index as u32,
                    split: f64::INFINITY,
                    value: node.value,
                },
                false => WalkNode {
                    feature: node.feature as u32,
                    left: node.left,
                    right: node.right,
                    missing: node.missing,
                    split: node.split,
                    value: 0.0,
                },
            })
            .collect();
        let mut tree = FlatTree { nodes, walk, expected: 0.0, depth: 0 };
        tree.expected = tree.expected_below(0);
        tree.depth = tree.depth_below(0);
        tree
    }

    /// Every leaf's contribution table, when every path is short enough for tables.
    fn leaf_tables(&self) -> Option<Vec<LeafTable>> {
        let mut tables = Vec::new();
        self.collect_leaf_tables(0, &mut Vec::new(), &mut tables).then_some(tables)
    }

    /// Walks to every leaf below `index` (the path so far in `path`: node, child taken), adding
    /// its table; false as soon as a path has more than [`FAST_PATH_FEATURES`] distinct features.
    fn collect_leaf_tables(&self, index: usize, path: &mut Vec<(usize, usize)>, tables: &mut Vec<LeafTable>) -> bool {
        let node = &self.nodes[index];
        if node.leaf {
            let (mut features, mut zero_fractions, mut edges) = (Vec::new(), Vec::new(), Vec::new());
            for &(parent, child) in path.iter() {
                let feature = self.nodes[parent].feature;
                let slot = features.iter().position(|&seen| seen == feature).unwrap_or_else(|| {
                    features.push(feature);
                    zero_fractions.push(1.0);
                    features.len() - 1
                });
                zero_fractions[slot] *= self.nodes[child].cover / self.nodes[parent].cover;
                edges.push((parent as u32, child as u32, slot as u8));
            }
            if features.len() > FAST_PATH_FEATURES {
                return false;
            }
            tables.push(LeafTable::new(edges, features, &zero_fractions, node.value));
            return true;
        }
        for child in self.children(index).collect::<Vec<_>>() {
            path.push((index, child));
            let fits = self.collect_leaf_tables(child, path, tables);
            path.pop();
            if !fits {
                return false;
            }
        }
        true
    }

    fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let node = &self.nodes[index];
        let third = node.missing_is_own_branch.then_some(node.missing as usize);
        [node.left as usize, node.right as usize].into_iter().chain(third)
    }

    fn expected_below(&self, index: usize) -> f64 {
        let node = &self.nodes[index];
        if node.leaf {
            return node.value;
        }
        self.children(index).map(|child| self.nodes[child].cover * self.expected_below(child)).sum::<f64>() / node.cover
    }

    fn depth_below(&self, index: usize) -> usize {
        if self.nodes[index].leaf {
            return 0;
        }
        1 + self.children(index).map(|child| self.depth_below(child)).max().unwrap_or(0)
    }

    fn next(&self, node: &FlatNode, row: &[f64]) -> usize {
        route(row[node.feature], node.split, node.left, node.right, node.missing) as usize
    }

    /// Adds the tree's output for each row of `rows` (row-major, `width` wide) to `totals`.
    fn predict_block(&self, rows: &[f64], width: usize, totals: &mut [f64]) {
        // Eight rows walk the tree side by side: their steps do not depend on each other, so the
        // processor overlaps them instead of waiting on one chain of loads.
        const LANES: usize = 8;
        for (lane_rows, lane_totals) in rows.chunks(width * LANES).zip(totals.chunks_mut(LANES)) {
            let mut at = [0usize; LANES];
            let lanes = lane_totals.len();
            for _ in 0..self.depth {
                for lane in 0..lanes {
                    let node = &self.walk[at[lane]];
                    let value = lane_rows[lane * width + node.feature as usize];
                    at[lane] = route(value, node.split, node.left, node.right, node.missing) as usize;
                }
            }
            for lane in 0..lanes {
                lane_totals[lane] += self.walk[at[lane]].value;
            }
        }
    }
}

/// Every tabled tree's leaves in flat arrays, contributions already multiplied by the ensemble's
/// scale: scoring a row reads them front to back instead of chasing a pointer per leaf.
#[derive(Debug, Clone, Default)]
struct FastTables {
    /// The tabled trees' splits (internal nodes only): feature, threshold, and the global ids of
    /// the left, right and missing children.
    splits: Vec<(usize, f64, u32, u32, u32)>,
    /// Per leaf: (first edge, edges, first feature, features, first contribution).
    leaves: Vec<(u32, u8, u32, u8, u32)>,
    /// (split, global id of the child taken, slot of the split's feature among the leaf's).
    edges: Vec<(u32, u32, u8)>,
    features: Vec<u32>,
    contributions: Vec<f64>,
    /// Nodes added so far, for global child ids.
    nodes: u32,
}

impl FastTables {
    fn add_tree(&mut self, tree: &FlatTree, tables: &[LeafTable], scale: f64) {
        let offset = self.nodes;
        self.nodes += tree.nodes.len() as u32;
        // A node's position among the splits, for the edges.
        let mut split_of = vec![u32::MAX; tree.nodes.len()];
        for (index, node) in tree.nodes.iter().enumerate() {
            if !node.leaf {
                split_of[index] = self.splits.len() as u32;
                self.splits.push((
                    node.feature,
                    node.split,
                    node.left + offset,
                    node.right + offset,
                    node.missing + offset,
                ));
            }
        }
        for table in tables {
            self.leaves.push((
                self.edges.len() as u32,
                table.edges.len() as u8,
                self.features.len() as u32,
                table.features.len() as u8,
                self.contributions.len() as u32,
            ));
            self.edges
                .extend(table.edges.iter().map(|&(node, child, slot)| (split_of[node as usize], child + offset, slot)));
            self.features.extend(table.features.iter().map(|&feature| feature as u32));
            self.contributions.extend(table.contributions.iter().map(|contribution| contribution * scale));
        }
    }

    /// Adds every tabled tree's contributions for `row`; `taken` is as long as `splits`, `banks`
    /// holds [`BANKS`] rows of scratch as wide as `row`.
    fn explain(&self, row: &[f64], phi: &mut [f64], taken: &mut [u32], banks: &mut [f64]) {
        // Each split is decided once for all the leaves below it (mispredicted branches on the
        // data-dependent comparisons were most of the cost of deciding them per leaf).
        for (&(feature, split, left, right, missing), taken) in self.splits.iter().zip(taken.iter_mut()) {
            *taken = route(row[feature], split, left, right, missing);
        }
        // Consecutive leaves add to the same few features; one accumulator would chain every
        // addition to the one before it through memory, so leaves take turns over four.
        let width = row.len();
        banks.fill(0.0);
        for (leaf, &(first_edge, edges, first_feature, features, first_contribution)) in self.leaves.iter().enumerate()
        {
            let bank = &mut banks[(leaf % BANKS) * width..(leaf % BANKS + 1) * width];
            let d = usize::from(features);
            let mut agreement = (1usize << d) - 1;
            for &(split, child, slot) in &self.edges[first_edge as usize..first_edge as usize + usize::from(edges)] {
                let disagrees = usize::from(taken[split as usize] != child);
                agreement &= !(disagrees << slot);
            }
            let start = first_contribution as usize + agreement * d;
            let features = &self.features[first_feature as usize..first_feature as usize + d];
            for (feature, contribution) in features.iter().zip(&self.contributions[start..start + d]) {
                bank[*feature as usize] += contribution;
            }
        }
        for bank in banks.chunks(width) {
            for (total, part) in phi.iter_mut().zip(bank) {
                *total += part;
            }
        }
    }
}

/// Accumulators [`FastTables::explain`] spreads its additions over.
const BANKS: usize = 4;

/// One element of a TreeSHAP path: a feature on the way down and the fractions of the rows that
/// follow the path without it (`zero`) and with it (`one`).
#[derive(Debug, Clone, Copy, Default)]
struct PathElement {
    feature: usize,
    zero: f64,
    one: f64,
    weight: f64,
}

fn extend_path(path: &mut [PathElement], depth: usize, zero: f64, one: f64, feature: usize) {
    path[depth] = PathElement { feature, zero, one, weight: if depth == 0 { 1.0 } else { 0.0 } };
    let length = (depth + 1) as f64;
    for i in (0..depth).rev() {
        path[i + 1].weight += one * path[i].weight * (i + 1) as f64 / length;
        path[i].weight = zero * path[i].weight * (depth - i) as f64 / length;
    }
}

fn unwind_path(path: &mut [PathElement], depth: usize, index: usize) {
    let (one, zero) = (path[index].one, path[index].zero);
    let length = (depth + 1) as f64;
    let mut next_one_portion = path[depth].weight;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let kept = path[i].weight;
            path[i].weight = next_one_portion * length / ((i + 1) as f64 * one);
            next_one_portion = kept - path[i].weight * zero * (depth - i) as f64 / length;
        } else {
            path[i].weight = path[i].weight * length / (zero * (depth - i) as f64);
        }
    }
    for i in index..depth {
        path[i].feature = path[i + 1].feature;
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
    }
}

fn unwound_path_sum(path: &[PathElement], depth: usize, index: usize) -> f64 {
    let (one, zero) = (path[index].one, path[index].zero);
    let length = (depth + 1) as f64;
    let mut next_one_portion = path[depth].weight;
    let mut total = 0.0;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let portion = next_one_portion * length / ((i + 1) as f64 * one);
            total += portion;
            next_one_portion = path[i].weight - portion * zero * (depth - i) as f64 / length;
        } else if zero != 0.0 {
            total += path[i].weight / zero / ((depth - i) as f64 / length);
        }
    }
    total
}

/// The recursion's fixed arguments.
struct Walk<'a> {
    tree: &'a FlatTree,
    row: &'a [f64],
    scale: f64,
}

impl Walk<'_> {
    /// Adds the contributions of the subtree at `index` to `phi`. `buffer[start..]` is this
    /// call's path segment; the parent's segment starts at `parent_start`.
    #[allow(clippy::too_many_arguments)] // the algorithm's state, kept out of allocations
    fn recurse(
        &self,
        phi: &mut [f64],
        buffer: &mut [PathElement],
        parent_start: usize,
        start: usize,
        index: usize,
        mut depth: usize,
        zero: f64,
        one: f64,
        feature: usize,
    ) {
        buffer.copy_within(parent_start..parent_start + depth, start);
        let path = &mut buffer[start..];
        extend_path(path, depth, zero, one, feature);
        let node = &self.tree.nodes[index];
        if node.leaf {
            for i in 1..=depth {
                let weight = unwound_path_sum(path, depth, i);
                let element = path[i];
                phi[element.feature] += self.scale * weight * (element.one - element.zero) * node.value;
            }
            return;
        }
        let hot = self.tree.next(node, self.row);
        let (mut incoming_zero, mut incoming_one) = (1.0, 1.0);
        if let Some(seen) = (0..=depth).find(|&i| path[i].feature == node.feature) {
            incoming_zero = path[seen].zero;
            incoming_one = path[seen].one;
            unwind_path(path, depth, seen);
            depth -= 1;
        }
        let next_start = start + depth + 1;
        for child in self.tree.children(index) {
            let share = self.tree.nodes[child].cover / node.cover;
            let child_one = if child == hot { incoming_one } else { 0.0 };
            self.recurse(
                phi,
                buffer,
                start,
                next_start,
                child,
                depth + 1,
                share * incoming_zero,
                child_one,
                node.feature,
            );
        }
    }
}

/// Trees whose outputs add up (boosting) or average (bagging) to log-odds.
#[derive(Debug, Clone)]
pub(crate) struct TreeEnsemble {
    trees: Vec<FlatTree>,
    /// The log-odds every prediction starts from.
    base: f64,
    /// Each tree's output is multiplied by this (1 for boosting, 1/trees for a forest).
    scale: f64,
    /// The features, in the order rows must have them.
    names: Vec<String>,
    /// Path buffer length enough for the deepest tree.
    buffer_length: usize,
    /// The leaf tables of the trees that have them.
    fast: FastTables,
    /// The trees explained by the recursion (too deep for tables).
    recursed: Vec<usize>,
}

impl TreeEnsemble {
    /// The trees of boosters that share one base score, each tree's output times `scale`, over
    /// the features `names`.
    pub(crate) fn from_boosters<'a>(
        boosters: impl IntoIterator<Item = &'a GradientBooster>,
        scale: f64,
        names: Vec<String>,
    ) -> TreeEnsemble {
        let mut base = None;
        let mut trees = Vec::new();
        for booster in boosters {
            base.get_or_insert(booster.base_score);
            trees.extend(booster.trees.iter().map(FlatTree::from_forust));
        }
        let deepest = trees.iter().map(|tree| tree.depth).max().unwrap_or(0);
        // Each recursion level's segment holds up to depth + 2 elements.
        let buffer_length = (deepest + 2) * (deepest + 3) / 2 + 1;
        let mut fast = FastTables::default();
        let mut recursed = Vec::new();
        for (index, tree) in trees.iter().enumerate() {
            if tree.nodes[0].leaf {
                continue;
            }
            match tree.leaf_tables() {
                Some(tables) => fast.add_tree(tree, &tables, scale),
                None => recursed.push(index),
            }
        }
        TreeEnsemble { trees, base: base.unwrap_or(0.0), scale, names, buffer_length, fast, recursed }
    }

    /// The features the trees were fitted on.
    pub(crate) fn feature_names(&self) -> &[String] {
        &self.names
    }

    /// Probability of a positive outcome, per row.
    pub(crate) fn predict_probability(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        Ok(self.predict_logit(features)?.into_iter().map(sigmoid).collect())
    }

    fn explain_row(
        &self,
        row: &[f64],
        buffer: &mut [PathElement],
        taken: &mut [u32],
        banks: &mut [f64],
    ) -> Explanation {
        let mut contributions = vec![0.0; row.len()];
        let baseline = self.base + self.scale * self.trees.iter().map(|tree| tree.expected).sum::<f64>();
        self.fast.explain(row, &mut contributions, taken, banks);
        for &index in &self.recursed {
            let walk = Walk { tree: &self.trees[index], row, scale: self.scale };
            walk.recurse(&mut contributions, buffer, 0, 0, 0, 0, 1.0, 1.0, NO_FEATURE);
        }
        // The root's sentinel feature takes no share: every contribution is a real feature's.
        let logit = baseline + contributions.iter().sum::<f64>();
        Explanation { baseline, contributions, logit }
    }

    /// Log-odds of every row.
    pub(crate) fn predict_logit(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        features.check_names(&self.names)?;
        const BLOCK: usize = 256;
        let width = features.width();
        let mut logits = vec![0.0; features.rows()];
        logits.par_chunks_mut(BLOCK).enumerate().for_each(|(block, logits)| {
            // A block of rows, row-major, then every tree over the block: each tree's nodes stay
            // in cache for all of its rows instead of being fetched again per row.
            let mut rows = vec![0.0; logits.len() * width];
            for (offset, row) in rows.chunks_mut(width).enumerate() {
                features.copy_row(block * BLOCK + offset, row);
            }
            let mut totals = vec![0.0; logits.len()];
            for tree in &self.trees {
                tree.predict_block(&rows, width, &mut totals);
            }
            for (logit, total) in logits.iter_mut().zip(totals) {
                *logit = self.base + self.scale * total;
            }
        });
        Ok(logits)
    }

    /// Exact Shapley contributions of every row.
    pub(crate) fn explain(&self, features: &FeatureMatrix) -> Result<Vec<Explanation>> {
        features.check_names(&self.names)?;
        let explain_rows = |rows: std::ops::Range<usize>| {
            let mut row = vec![0.0; features.width()];
            let mut buffer = vec![PathElement::default(); self.buffer_length];
            let mut taken = vec![0; self.fast.splits.len()];
            let mut banks = vec![0.0; BANKS * features.width()];
            rows.map(|index| {
                features.copy_row(index, &mut row);
                self.explain_row(&row, &mut buffer, &mut taken, &mut banks)
            })
            .collect::<Vec<_>>()
        };
        // A single row (a live request) is not worth a hand-off to other threads.
        if features.rows() <= 64 {
            return Ok(explain_rows(0..features.rows()));
        }
        Ok((0..features.rows())
            .into_par_iter()
            .chunks(64)
            .flat_map_iter(|rows| explain_rows(rows[0]..rows[rows.len() - 1] + 1))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::data::FeatureMatrix;
    use crate::gbm::GbmParams;

    /// Predictions equal forust's; contributions equal forust's Shapley values up to its f32 path
    /// weights, and sum to the log-odds to rounding.
    #[test]
    fn the_scoring_layout_reproduces_forust_predictions_and_shapley_values() {
        let rows: Vec<Vec<f64>> = (0..2_000)
            .map(|i| {
                let x = ((i * 37) % 101) as f64;
                let y = if i % 9 == 0 { f64::NAN } else { ((i * 13) % 17) as f64 };
                let z = ((i * 7) % 5) as f64;
                vec![x, y, z, x * 0.5 + z]
            })
            .collect();
        let labels: Vec<bool> =
            rows.iter().enumerate().map(|(i, r)| r[0] > 50.0 || (r[1] > 8.0 && i % 3 == 0)).collect();
        let names = ["x", "y", "z", "w"].map(String::from).to_vec();
        let matrix = FeatureMatrix::from_rows(names, &rows).expect("matrix");
        let model = GbmParams { iterations: 60, max_depth: 5, ..GbmParams::default() }
            .check()
            .expect("valid")
            .fit(&matrix, &labels)
            .expect("fits");
        let (forust_logits, forust_contributions) = model.forust_reference(&matrix);
        let logits = model.predict_logit(&matrix).expect("predicts");
        let explanations = model.explain(&matrix).expect("explains");
        for row in 0..rows.len() {
            assert!(
                (logits[row] - forust_logits[row]).abs() < 1e-12,
                "row {row}: {} vs {}",
                logits[row],
                forust_logits[row]
            );
            let explanation = &explanations[row];
            let sum = explanation.baseline + explanation.contributions.iter().sum::<f64>();
            assert!(
                (sum - logits[row]).abs() < 1e-12,
                "row {row}: contributions sum to {sum}, log-odds {}",
                logits[row]
            );
            let reference = &forust_contributions[row * 5..(row + 1) * 5];
            for (feature, contribution) in explanation.contributions.iter().enumerate() {
                assert!((contribution - reference[feature]).abs() < 1e-5, "row {row} feature {feature}");
            }
            assert!((explanation.baseline - reference[4]).abs() < 1e-9, "row {row}: baseline");
        }
        // One row on its own (the live path) is explained exactly as within a batch.
        let single = model.explain(&matrix.select(&[17])).expect("explains");
        assert_eq!(single[0], explanations[17]);
    }

    /// Both exact routes give the same contributions: deep trees (the recursion) and shallow
    /// ones (leaf tables), each checked against forust and against each other.
    #[test]
    fn leaf_tables_and_the_recursion_agree() {
        let rows: Vec<Vec<f64>> = (0..3_000)
            .map(|i| {
                (0..9).map(|j| if (i + j) % 23 == 0 { f64::NAN } else { ((i * (j + 3) * 7) % 41) as f64 }).collect()
            })
            .collect();
        let labels: Vec<bool> = rows
            .iter()
            .map(|r| r[0] + r[1] * 0.5 - r[2] + r[4] * 0.3 - r[5] * 0.2 + r[6] * r[7] / 40.0 > 20.0 || r[3] > 35.0)
            .collect();
        let names = (0..9).map(|j| format!("f{j}")).collect();
        let matrix = FeatureMatrix::from_rows(names, &rows).expect("matrix");
        for depth in [3, 9] {
            let model = GbmParams { iterations: 20, max_depth: depth, min_leaf_weight: 1.0, ..GbmParams::default() }
                .check()
                .expect("valid")
                .fit(&matrix, &labels)
                .expect("fits");
            let uses_tables = model.ensemble().recursed.is_empty();
            assert_eq!(uses_tables, depth == 3, "depth {depth}");
            let (_, reference) = model.forust_reference(&matrix);
            let mut buffer = vec![super::PathElement::default(); model.ensemble().buffer_length];
            for (row, explanation) in model.explain(&matrix).expect("explains").iter().enumerate().step_by(7) {
                for feature in 0..9 {
                    let forust = reference[row * 10 + feature];
                    assert!((explanation.contributions[feature] - forust).abs() < 1e-5, "depth {depth} row {row}");
                }
                // The recursion on the same row, bypassing the tables.
                let values = matrix.row(row);
                let mut recursed = vec![0.0; 9];
                for tree in &model.ensemble().trees {
                    if !tree.nodes[0].leaf {
                        let walk = super::Walk { tree, row: &values, scale: 1.0 };
                        walk.recurse(&mut recursed, &mut buffer, 0, 0, 0, 0, 1.0, 1.0, super::NO_FEATURE);
                    }
                }
                for (tabled, recursed) in explanation.contributions.iter().zip(&recursed) {
                    assert!((tabled - recursed).abs() < 1e-12, "depth {depth}");
                }
            }
        }
    }
}
