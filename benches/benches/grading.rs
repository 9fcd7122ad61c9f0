//! Criterion benchmarks of one grading (fresh store and instance, plus the
//! call) with the `zone-basics` checker on a 50-record zone, and of the zone
//! reading it excludes. `bash benches/grading.sh` prints median and p99.
//!
//! `cargo bench -p grader-benches --bench grading`

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use grader_core::exercise::Exercise;
use grader_core::sandbox::Sandbox;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let exercise =
        Exercise::load(&root.join("exercises/zone-basics")).unwrap_or_else(|e| panic!("{e}"));
    let wasm = grader_benches::grading::checker_wasm(&exercise).unwrap_or_else(|e| panic!("{e}"));
    let sandbox = Sandbox::new(1, None).expect("a sandbox");
    let checker = sandbox.load(&wasm).expect("the checker loads");
    let input = grader_benches::grading::lab_input(&exercise);
    let limits = exercise.def.limits.run_limits();
    let mut group = c.benchmark_group("grading");
    group.bench_function("zone-basics/50-records", |b| {
        b.iter(|| {
            let run = sandbox.run(&checker, &input, limits);
            assert!(run.outcome.is_ok());
            run.fuel_used
        })
    });
    group.sample_size(10);
    group.bench_function("compile/zone-basics", |b| {
        b.iter(|| {
            Sandbox::new(1, None)
                .expect("a sandbox")
                .load(&wasm)
                .map(|c| c.sha256)
                .expect("loads")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
