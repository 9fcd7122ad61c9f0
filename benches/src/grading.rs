//! Shared by the grading benchmarks: the `zone-basics` checker built from
//! source, and a 50-record lab zone as checker input.

use grader_core::exercise::Exercise;
use grader_core::grade::checker_zone_at;
use grader_core::sandbox::wit;
use grader_core::zone::{self, Options};
use hickory_proto::rr::Name;

/// Builds the exercise's checker and returns the module's bytes.
pub fn checker_wasm(exercise: &Exercise) -> Result<Vec<u8>, String> {
    let path = exercise.build_checker()?;
    std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A 50-record lab zone for `grp7.lab.example.`, read and turned into the
/// checker's input for `exercise`.
pub fn lab_input(exercise: &Exercise) -> wit::Submission {
    let mut text = String::from(
        "$ORIGIN grp7.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 2026112901 14400 3600 604800 3600\n\
         @ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n@ MX 10 mail\nmail A 192.0.2.25\n\
         @ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@grp7.lab.example\"\n\
         www A 192.0.2.80\nwww AAAA 2001:db8::80\n",
    );
    for i in 0..39 {
        text.push_str(&format!("host{i} A 192.0.2.{}\n", 100 + i));
    }
    let origin = Name::from_ascii("grp7.lab.example.").expect("a valid name");
    let z = zone::check(
        text.as_bytes(),
        &Options {
            origin: Some(origin),
            ..Options::default()
        },
    );
    assert_eq!(z.records.len(), 50, "the lab zone has 50 records");
    wit::Submission {
        exercise_id: exercise.def.id.clone(),
        exercise_version: exercise.def.version.clone(),
        learner: "grp7".into(),
        grading_time: 1_795_946_400,
        params: exercise.params_json(),
        zone: checker_zone_at("grp7.lab.example.", &z, 1_795_946_400, &[]),
        ds: Vec::new(),
        extra_zones: Vec::new(),
        target: None,
        responses: Vec::new(),
    }
}
