//! Criterion benchmarks of the zone reader and integrity checks on the
//! generated benchmark zone (the same generator as `benches/zone-check.sh`).
//!
//! `cargo bench -p grader-benches --bench zone_check`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use grader_core::zone::{self, Options};
use hickory_proto::rr::Name;

fn zone_text(records: u64) -> Vec<u8> {
    let mut text = Vec::new();
    grader_benches::write_zone(&mut text, "bench.test.", records)
        .expect("writing to a Vec cannot fail");
    text
}

fn bench(c: &mut Criterion) {
    let options = Options {
        origin: Some(Name::from_ascii("bench.test.").expect("a valid name")),
        ..Options::default()
    };
    let mut group = c.benchmark_group("zone");
    group.sample_size(20);
    for records in [50u64, 100_000] {
        let text = zone_text(records);
        assert!(
            zone::check(&text, &options).is_ok(),
            "the generated zone must be valid"
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("read/{records}"), |b| {
            b.iter(|| zone::read(&text, &options))
        });
        group.bench_function(format!("check/{records}"), |b| {
            b.iter(|| zone::check(&text, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
