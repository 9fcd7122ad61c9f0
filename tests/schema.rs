//! `schemas/zone-check.schema.json` describes `grader zone check --format json`:
//! its code lists must be exactly the codes the library can emit, by severity.

use grader_core::zone::{self, Code, Options, Severity};
use grader_tests::root;
use serde_json::Value;

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schemas/zone-check.schema.json"))
        .expect("read the schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn enum_of(schema: &Value, def: &str) -> Vec<String> {
    let mut codes: Vec<String> = schema["$defs"][def]["properties"]["code"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("$defs.{def} has a code enum"))
        .iter()
        .map(|v| v.as_str().expect("codes are strings").to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn schema_lists_every_code_with_its_severity() {
    let schema = schema();
    for (def, severity) in [("error", Severity::Error), ("warning", Severity::Warning)] {
        let mut want: Vec<String> = Code::ALL
            .iter()
            .filter(|c| c.severity() == severity)
            .map(|c| c.as_str().to_string())
            .collect();
        want.sort();
        assert_eq!(
            enum_of(&schema, def),
            want,
            "schema $defs.{def} and Code::ALL differ"
        );
    }
}

#[test]
fn report_has_exactly_the_schema_properties() {
    let schema = schema();
    let text = b"$TTL 1h\n@ SOA ns1 hostmaster 1 4h 1h 1w 1h\n@ NS ns1\nns1 A 192.0.2.300\n";
    let origin = hickory_proto::rr::Name::from_ascii("example.").expect("a name");
    let z = zone::check(
        text,
        &Options {
            origin: Some(origin),
            ..Options::default()
        },
    );
    let report = serde_json::to_value(z.report()).expect("the report serialises");
    let mut keys: Vec<&String> = report.as_object().expect("an object").keys().collect();
    keys.sort();
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("str"))
        .collect();
    required.sort();
    assert_eq!(keys, required);
    assert_eq!(report["origin"], "example.");
    let diag_keys: Vec<&str> = schema["$defs"]["error"]["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("str"))
        .collect();
    for d in report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .chain(report["warnings"].as_array().expect("warnings"))
    {
        let obj = d.as_object().expect("a diagnostic object");
        assert_eq!(
            obj.len(),
            diag_keys.len(),
            "diagnostic {d} has extra or missing keys"
        );
        for k in &diag_keys {
            assert!(obj.contains_key(*k), "diagnostic {d} lacks `{k}`");
        }
        assert!(
            d["line"].as_u64().is_some_and(|l| l >= 1)
                && d["column"].as_u64().is_some_and(|c| c >= 1)
        );
    }
    let codes: Vec<&Value> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(
        codes.iter().any(|c| *c == "bad-ipv4"),
        "errors {codes:?} lack bad-ipv4"
    );
}
