//! The grader's library: zone files ([`zone`]), DNSSEC validation
//! ([`dnssec`]), exercise definitions
//! ([`exercise`]), the WebAssembly sandbox for checkers ([`sandbox`]) and
//! grading ([`grade`]). See ARCHITECTURE.md for the map and the invariants.

pub mod catalog;
mod codes;
pub mod dnssec;
pub mod exercise;
pub mod grade;
pub mod message;
pub mod probe;
pub mod response;
pub mod sample;
pub mod sandbox;
pub mod zone;
