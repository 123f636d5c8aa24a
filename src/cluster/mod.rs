//! Clustering stage: Leiden community detection on the weighted unit graph,
//! run over several seeds into a consensus with confidences, and a search for
//! the resolution that yields a requested number of services.
//!
//! Self-contained: depends only on std, rayon and serde, and on no other
//! module of the crate, so it can be tested and benchmarked on its own.
//! See `docs/clustering.md` for the method, formulas and measurements.

mod consensus;
mod graph;
mod leiden;
mod measures;
mod rng;

#[cfg(test)]
mod tests;

pub use consensus::{consensus, search_resolution, Consensus};
pub use graph::Graph;
pub use leiden::{leiden, LeidenOptions, Quality};
pub use measures::{adjusted_rand_index, count_communities, cpm_quality, modularity};
