//! `grader-worker`: the grading service. See `grader-worker --help` and
//! the README's "Running the worker" section.
//!
//! Exit status: 0 after a graceful shutdown (SIGTERM or SIGINT), 1 when the
//! broker refuses the topology, 2 for configuration, gradebook or exercise
//! problems found at start.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};
use tracing_subscriber::EnvFilter;

use grader_core::catalog::{self, Catalog};
use grader_core::sandbox::Sandbox;
use grader_gradebook::Gradebook;
use grader_worker::config::{Config, LogFormat, redact};
use grader_worker::intake::Grading;
use grader_worker::worker::Worker;
use grader_worker::{Shared, WorkerError, http};

fn main() -> ExitCode {
    let cfg = Config::parse();
    init_logs(cfg.log_format);
    let concurrency = cfg.concurrency();
    info!(
        broker = %redact(&cfg.amqp_url),
        exercises = ?cfg.exercises,
        concurrency,
        prefetch = cfg.prefetch,
        "starting"
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("grader-async")
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            error!(error = %e, "cannot start the async runtime");
            return ExitCode::from(2);
        }
    };
    // Before the exercises (whose checkers may take minutes to build): a
    // wrong location is found at once.
    let gradebook = match &cfg.gradebook {
        None => None,
        Some(location) => match runtime.block_on(Gradebook::open(location)) {
            Ok(book) => {
                info!(gradebook = %book.location(), "recording results in the gradebook");
                Some(book)
            }
            Err(e) => {
                error!("{}", WorkerError::from(e));
                return ExitCode::from(2);
            }
        },
    };
    let cache = cfg.cache_dir.clone().or_else(catalog::cache_dir);
    let sandbox = match Sandbox::new(concurrency, cache) {
        Ok(s) => s,
        Err(e) => {
            error!(error = %e, "cannot set up the WebAssembly sandbox");
            return ExitCode::from(2);
        }
    };
    let catalog = match Catalog::load(&cfg.exercises, &sandbox) {
        Ok(c) => c,
        Err(e) => {
            error!("cannot load the exercises: {e}");
            return ExitCode::from(2);
        }
    };
    for l in catalog.iter() {
        info!(
            exercise = %l.exercise.def.id,
            version = %l.exercise.def.version,
            checker_sha256 = %l.checker.sha256,
            "exercise loaded"
        );
    }
    let shared = Arc::new(Shared::default());
    shared.metrics.exercises.set(catalog.len() as i64);
    let grading = Grading {
        catalog,
        sandbox,
        max_message_bytes: cfg.max_message_bytes,
        delivery_limit: cfg.delivery_limit,
        allowlist: cfg.allowlist(),
    };
    runtime.block_on(serve(cfg, grading, shared, gradebook))
}

async fn serve(
    cfg: Config,
    grading: Grading,
    shared: Arc<Shared>,
    gradebook: Option<Gradebook>,
) -> ExitCode {
    let listener = match http::bind(cfg.http_addr).await {
        Ok(l) => l,
        Err(e) => {
            error!(addr = %cfg.http_addr, error = %e, "cannot listen for /healthz, /readyz and /metrics");
            return ExitCode::from(2);
        }
    };
    info!(addr = %cfg.http_addr, "serving /healthz, /readyz and /metrics");
    let shutdown = CancellationToken::new();
    let http_stop = CancellationToken::new();
    let http = tokio::spawn(http::serve(listener, shared.clone(), http_stop.clone()));
    tokio::spawn(signals(shutdown.clone()));
    let book = gradebook.clone();
    let worker = match Worker::new(cfg, grading, shared) {
        Ok(w) => match gradebook {
            Some(book) => w.with_gradebook(book),
            None => w,
        },
        Err(e) => {
            error!("{e}");
            http_stop.cancel();
            return ExitCode::from(2);
        }
    };
    let code = match worker.run(shutdown).await {
        Ok(()) => {
            info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            error!("{e}");
            ExitCode::from(1)
        }
    };
    http_stop.cancel();
    let _ = http.await;
    if let Some(book) = book {
        book.close().await;
    }
    code
}

/// Cancels `shutdown` on the first SIGTERM or SIGINT; a second one exits
/// at once (unacked submissions go back to the queue).
async fn signals(shutdown: CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        warn!("cannot listen for signals; stop the worker with SIGKILL");
        return;
    };
    tokio::select! {
        _ = term.recv() => info!("SIGTERM: finishing in-flight submissions, then stopping"),
        _ = int.recv() => info!("SIGINT: finishing in-flight submissions, then stopping (again to stop at once)"),
    }
    shutdown.cancel();
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    warn!("second signal: stopping now; unfinished submissions go back to the queue");
    std::process::exit(130);
}

fn init_logs(format: LogFormat) {
    // lapin logs a returned message whole (learner data): keep that out.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,lapin::returned_messages=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text => builder.init(),
    }
}
