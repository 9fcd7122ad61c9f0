//! `grading-bench [--runs N]`: how long a checker takes to compile, and the
//! median and 99th percentile of one grading (fresh store and instance, plus
//! the call) of a 50-record zone, zone parsing excluded.
//!
//! Uses the `zone-basics` exercise's checker, built from source with cargo
//! for wasm32-unknown-unknown. Run through `benches/grading.sh`.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use grader_core::exercise::Exercise;
use grader_core::sandbox::Sandbox;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> ExitCode {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let exercise = match Exercise::load(&root.join("exercises/zone-basics")) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let wasm = match grader_benches::grading::checker_wasm(&exercise) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("grading-bench: {e}");
            return ExitCode::from(2);
        }
    };
    // Compile time: a fresh sandbox without cache each time.
    let mut compile = Vec::new();
    for _ in 0..3 {
        let sandbox = Sandbox::new(1, None).expect("sandbox");
        let t = Instant::now();
        sandbox.load(&wasm).expect("the checker loads");
        compile.push(t.elapsed());
    }
    compile.sort();
    let sandbox = Sandbox::new(1, None).expect("sandbox");
    let checker = sandbox.load(&wasm).expect("the checker loads");
    let input = grader_benches::grading::lab_input(&exercise);
    let zone_records = input.zone.records.len();
    let limits = exercise.def.limits.run_limits();
    let mut times = Vec::with_capacity(runs);
    let mut fuel = 0;
    for i in 0..runs + 200 {
        let run = sandbox.run(&checker, &input, limits);
        assert!(run.outcome.is_ok(), "{:?}", run.outcome);
        fuel = run.fuel_used;
        if i >= 200 {
            times.push(run.duration);
        }
    }
    times.sort();
    println!("checker: zone-basics ({} bytes of wasm)", wasm.len());
    println!(
        "compile (componentize + Cranelift, no cache): best {:.1} ms, median {:.1} ms",
        ms(compile[0]),
        ms(compile[1])
    );
    println!(
        "grading, {zone_records}-record zone, fresh store + instance + call ({runs} runs after 200 warm-up):"
    );
    println!(
        "  median {:.1} µs, p99 {:.1} µs, max {:.1} µs, fuel {fuel}",
        us(percentile(&times, 0.5)),
        us(percentile(&times, 0.99)),
        us(times[times.len() - 1])
    );
    ExitCode::SUCCESS
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
