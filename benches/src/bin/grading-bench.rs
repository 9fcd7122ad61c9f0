//! `grading-bench [--runs N]`: how long a checker takes to compile, and the
//! median and 99th percentile of one grading (fresh store and instance, plus
//! the call) of a 50-record zone, zone parsing excluded.
//!
//! Uses the `zone-basics` exercise's checker, built from source with cargo
//! for wasm32-unknown-unknown. Run through `benches/grading.sh`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use grader_core::exercise::Exercise;
use grader_core::grade::checker_zone;
use grader_core::sandbox::{RunLimits, Sandbox, wit};
use grader_core::zone::{self, Options};
use hickory_proto::rr::Name;

fn checker_wasm(exercise: &Exercise) -> Result<PathBuf, String> {
    let manifest = exercise
        .dir
        .join(&exercise.def.checker.source)
        .join("Cargo.toml");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "build",
            "--release",
            "--quiet",
            "--target",
            "wasm32-unknown-unknown",
            "--manifest-path",
        ])
        .arg(&manifest)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building {} failed", manifest.display()));
    }
    let name = format!("{}_checker.wasm", exercise.def.id.replace('-', "_"));
    let path = exercise
        .dir
        .join("../target/wasm32-unknown-unknown/release")
        .join(name);
    path.is_file()
        .then_some(path.clone())
        .ok_or_else(|| format!("{} was not built", path.display()))
}

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
    let wasm =
        match checker_wasm(&exercise).and_then(|p| std::fs::read(&p).map_err(|e| e.to_string())) {
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
    // A 50-record lab zone.
    let mut text = String::from(
        "$ORIGIN grp7.lab.example.\n$TTL 3600\n@ SOA ns1 hostmaster 2026112901 14400 3600 604800 3600\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n@ MX 10 mail\nmail A 192.0.2.25\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@grp7.lab.example\"\nwww A 192.0.2.80\nwww AAAA 2001:db8::80\n",
    );
    for i in 0..37 {
        text.push_str(&format!("host{i} A 192.0.2.{}\n", 100 + i));
    }
    let origin = Name::from_ascii("grp7.lab.example.").expect("name");
    let z = zone::check(
        text.as_bytes(),
        &Options {
            origin: Some(origin),
            ..Options::default()
        },
    );
    assert_eq!(z.records.len(), 50);
    let input = wit::Submission {
        exercise_id: exercise.def.id.clone(),
        exercise_version: exercise.def.version.clone(),
        learner: "grp7".into(),
        grading_time: 1_795_000_000,
        params: exercise.params_json(),
        zone: checker_zone("grp7.lab.example.", &z),
        ds: Vec::new(),
    };
    let l = &exercise.def.limits;
    let limits = RunLimits {
        fuel: l.fuel,
        memory_mib: l.memory_mib,
        wall_clock_ms: l.wall_clock_ms,
        max_output_bytes: l.max_output_bytes,
    };
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
        "grading, 50-record zone, fresh store + instance + call ({runs} runs after 200 warm-up):"
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
