//! decompose: find the seams in a monolith and plan its extraction.
//!
//! The pipeline flows one way (docs/architecture.md):
//! [`discover`] → [`lang`] (parse) → [`resolve`] → [`graph`] → [`report`].
//! Each stage is a module that takes plain data and returns plain data.

pub mod analyze;
pub mod cache;
pub mod ci;
pub mod cli;
pub mod cluster;
pub mod discover;
pub mod frameworks;
pub mod graph;
pub mod history;
pub mod lang;
pub mod metrics;
pub mod numeric;
pub mod persistence;
pub mod pins;
pub mod plan;
pub mod progress;
pub mod report;
pub mod resolve;
pub mod seams;
pub mod signals;
