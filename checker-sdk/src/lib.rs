//! SDK for writing grader checkers in Rust.
//!
//! A checker is a WebAssembly component that exports one function, `check`
//! (see `schemas/wit/checker.wit`), and imports nothing. This crate generates
//! the bindings for that world, re-exports its types, and adds the helpers a
//! DNS checker needs: name comparison and repair hints ([`names_equal`],
//! [`is_subdomain`], [`names`]), zone look-ups ([`ZoneExt`] for a few,
//! [`ZoneIndex`] for many), record-data parsers ([`rdata`]), SPF and DMARC
//! syntax ([`mail`]), the grader's DNSSEC validation of the zone
//! ([`dnssec`]: keys by role, bogus RRsets, signature expiry, DS matches),
//! the DNS responses to the exercise's probes, for server and resolver
//! labs ([`responses`]: [`Responses`] by probe id, with a reason the student
//! can act on when there is no answer; rcodes, flags, sections, RRSIGs and
//! NSEC/NSEC3 proofs on [`Message`]),
//! the exercise's params ([`Params`]) and result builders
//! ([`CheckResult::passed`], [`Feedback`], which keeps results under the
//! grader's output limit).
//!
//! # The interface version
//!
//! The bindings are those of `grader:checker@1.2.0`
//! (`schemas/wit/checker.wit`). 1.1.0 added `zone.dnssec`, a
//! [`DnssecReport`]; 1.2.0 adds `submission.target` and
//! `submission.responses`, one [`Response`] per probe. A checker built with
//! this SDK needs a grader that serves 1.2.0; the grader keeps running
//! checkers built for 1.0.0 and 1.1.0.
//!
//! # Writing a checker
//!
//! A checker is a `cdylib` crate that depends on this one:
//!
//! ```
//! use grader_checker_sdk::prelude::*;
//!
//! struct MyChecker;
//!
//! impl Checker for MyChecker {
//!     fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
//!         let zone = &s.zone;
//!         let soa = match zone.apex_soa() {
//!             Some(_) => CheckResult::passed("soa"),
//!             None => CheckResult::failed("soa", "the zone has no SOA record at its apex"),
//!         };
//!         Ok(vec![soa])
//!     }
//! }
//!
//! grader_checker_sdk::export_checker!(MyChecker);
//! # fn main() {}
//! ```
//!
//! and is built for `wasm32-unknown-unknown`; the core module is then turned
//! into a component (`wit-component`). Do not build for `wasm32-wasip2`: its
//! standard library imports WASI, and the grader refuses checkers with imports.
//!
//! A panic in a checker (with `panic = "abort"`) traps, which the grader
//! reports to the instructor as a checker error. Return `Err(message)` for
//! the same outcome with a readable message: [`Params`] does, naming the
//! key, when the exercise's params are missing or of the wrong type.
//!
//! # Within the budget
//!
//! A checker runs on a fixed budget of fuel (WebAssembly instructions) and
//! returns at most `max_output_bytes` of feedback, and a student's zone may
//! hold thousands of records. Look names up in a [`ZoneIndex`], built once,
//! rather than with [`ZoneExt`], which scans the zone on every call; and
//! build feedback with [`Feedback`], which caps what it keeps.
//!
//! # Testing a checker on the host
//!
//! Everything here, including [`export_checker!`], also compiles for the host,
//! so `cargo test` works on a checker crate; [`testing`] builds zones,
//! DNS responses and submissions for such tests, and
//! [`testing::judge_odd_zones`] and [`testing::judge_odd_responses`] run a
//! checker on malformed zones and odd responses.

// The generated export macro names this crate by its package name, also from
// inside the crate itself (in its tests and doc examples).
extern crate self as grader_checker_sdk;

/// The bindings generated from `schemas/wit/checker.wit` (world `checker`).
///
/// Authors rarely need this module directly: the [`prelude`] re-exports its
/// types, and [`export_checker!`] refers to it.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../schemas/wit",
        world: "checker",
        pub_export_macro: true,
        export_macro_name: "export_checker",
        // `export_checker!(MyChecker)` finds the bindings here, from any crate.
        default_bindings_module: "grader_checker_sdk::bindings",
        // The generated code (also the part expanded in the author's crate)
        // reaches wit-bindgen's runtime through this crate, so authors need
        // no direct wit-bindgen dependency.
        runtime_path: "grader_checker_sdk::__rt",
        additional_derives: [PartialEq, Eq, Clone],
    });
}

#[doc(hidden)]
pub use wit_bindgen::rt as __rt;

/// Exports a type implementing [`Checker`] as the component's `check`.
///
/// ```ignore
/// grader_checker_sdk::export_checker!(MyChecker);
/// // equivalent, with the bindings module spelled out:
/// grader_checker_sdk::export_checker!(MyChecker with_types_in grader_checker_sdk::bindings);
/// ```
///
/// Use it once per checker crate, at the crate's top level; the type must be
/// a plain identifier in scope. If the crate renames its dependency on this
/// SDK, use the second form with the renamed path.
pub use bindings::export_checker;

/// The WIT types of `grader:checker/types@1.2.0`.
pub mod types {
    pub use crate::bindings::grader::checker::types::{
        CheckResult, Denial, Diagnostic, Dnskey, DnssecReport, DsStatus, Edns, EdnsOption,
        Fraction, HeaderFlags, Message, NamedZone, Nsec3Params, Outcome, Query, Question, Response,
        Rr, RrsetStatus, Security, Severity, Source, Status, Submission, TimingClass, Transport,
        Zone, ZoneRecord,
    };
}

/// The trait a checker implements (the generated `Guest` trait of the world).
pub use bindings::Guest as Checker;

pub mod dnssec;
mod index;
pub mod mail;
pub mod names;
pub mod params;
pub mod rdata;
pub mod responses;
mod results;
pub mod testing;
mod zone;

/// The JSON library [`params`] reads with, for checkers that need more of it.
pub use serde_json;

pub use dnssec::KeyRole;
pub use index::ZoneIndex;
pub use names::{is_subdomain, names_equal};
pub use params::Params;
pub use responses::{Responses, Section};
pub use results::Feedback;
pub use types::*;
pub use zone::{CnameError, MAX_CNAME_CHAIN, ZoneExt};

/// Everything a checker usually needs: `use grader_checker_sdk::prelude::*;`.
pub mod prelude {
    pub use crate::Checker;
    pub use crate::dnssec::{DAY, KeyRole, format_days, format_time};
    pub use crate::index::ZoneIndex;
    pub use crate::names::{is_subdomain, names_equal};
    pub use crate::params::Params;
    pub use crate::rdata::{self, DnskeyRdata, Rrsig, Soa, Srv};
    pub use crate::responses::{self, Responses, Section, rcode};
    pub use crate::results::Feedback;
    pub use crate::types::{
        CheckResult, Denial, Diagnostic, Dnskey, DnssecReport, DsStatus, Edns, EdnsOption,
        Fraction, HeaderFlags, Message, NamedZone, Nsec3Params, Outcome, Query, Question, Response,
        Rr, RrsetStatus, Security, Severity, Source, Status, Submission, TimingClass, Transport,
        Zone, ZoneRecord,
    };
    pub use crate::zone::{CnameError, ZoneExt};
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::testing;

    /// A checker exported exactly as an author would, to prove the macro
    /// expands on the host too.
    struct Example;

    impl Checker for Example {
        fn check(s: Submission) -> Result<Vec<CheckResult>, String> {
            if s.exercise_id.is_empty() {
                return Err("no exercise id".into());
            }
            let ns = s.zone.apex_rrset("NS");
            Ok(vec![if ns.len() >= 2 {
                CheckResult::passed("ns")
            } else {
                CheckResult::failed("ns", "fewer than two NS records")
            }])
        }
    }

    crate::export_checker!(Example);

    #[test]
    fn exported_checker_runs_on_host() {
        let zone = testing::zone(
            "example.",
            &[
                ("example.", "SOA", "ns1.example. h.example. 1 2 3 4 5"),
                ("example.", "NS", "ns1.example."),
                ("example.", "NS", "ns2.example."),
            ],
        );
        let mut s = testing::submission(zone);
        let out = Example::check(s.clone()).unwrap();
        assert_eq!(out, vec![CheckResult::passed("ns")]);
        s.exercise_id.clear();
        assert!(Example::check(s).is_err());
    }
}
