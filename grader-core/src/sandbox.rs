//! The WebAssembly sandbox that runs untrusted checkers (wasmtime 48).
//!
//! - **Component model, no imports.** The linker offers nothing: a checker
//!   that imports anything (WASI files, clocks, sockets) is refused when it
//!   is loaded, naming the imports.
//! - **Fuel is the budget**: deterministic, so the same checker and
//!   submission end the same way every time. An **epoch deadline** is a
//!   wall-clock backstop for the case fuel cannot cover.
//! - **Memory** is capped per grading by a [`wasmtime::ResourceLimiter`];
//!   tables and instances too. The native stack of wasm is capped.
//! - **A fresh store per grading**, instantiated from a cached `InstancePre`
//!   with the pooling allocator; nothing survives from one grading to the next.
//! - **Compiled code is cached on disk**, keyed by the component's SHA-256 and
//!   the engine's compatibility hash, in a directory private to the user
//!   (mode 700, owned by them); only regular files owned by the user and not
//!   writable by others are loaded back, and new ones are written with
//!   `O_EXCL` and mode 600.
//! - Threads, GC, exceptions, component-model async and stack switching are
//!   not compiled in (wasmtime's features for them are off); relaxed SIMD is
//!   turned off, NaNs are canonicalised (determinism).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap};

/// Bindings of the current interface, `grader:checker@1.2.0`.
mod current {
    wasmtime::component::bindgen!({
        path: "../schemas/wit/checker.wit",
        world: "checker",
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
}

/// Bindings of `grader:checker@1.1.0`, for checkers built before 1.2.0:
/// they get the same submission without `target` and `responses`.
mod v1_1 {
    wasmtime::component::bindgen!({
        path: "../schemas/wit/1.1.0/checker.wit",
        world: "checker",
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
}

/// Bindings of `grader:checker@1.0.0`, for checkers built before 1.1.0:
/// they get the same submission without `zone.dnssec` either.
mod v1_0 {
    wasmtime::component::bindgen!({
        path: "../schemas/wit/1.0.0/checker.wit",
        world: "checker",
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
}

pub use current::grader::checker::types as wit;

/// The interface versions the sandbox serves, newest first.
pub const INTERFACE_VERSIONS: &[&str] = &["1.2.0", "1.1.0", "1.0.0"];

/// How often the epoch advances: the resolution of the wall-clock backstop.
const EPOCH_TICK: Duration = Duration::from_millis(10);
/// Stack available to WebAssembly code.
const MAX_WASM_STACK: usize = 512 << 10;
/// Largest memory any checker may have (per-exercise limits are lower).
const MAX_MEMORY: usize = 1 << 30;

/// Why a checker could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Not a valid WebAssembly component (or module that could be wrapped).
    #[error("the checker is not a valid WebAssembly component: {0}")]
    Invalid(String),
    /// The component imports something the sandbox does not offer.
    #[error(
        "the checker imports {0}; checkers may import nothing (build for wasm32-unknown-unknown with the checker SDK)"
    )]
    Imports(String),
    /// It does not export the `checker` world of any version the sandbox
    /// serves ([`INTERFACE_VERSIONS`]).
    #[error("the checker implements none of grader:checker@1.2.0, @1.1.0 and @1.0.0: {0}")]
    World(String),
    /// The compiled-code cache could not be used.
    #[error("compiled-code cache {}: {message}", path.display())]
    Cache {
        /// The cache file or directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Why a grading run ended without results: always the checker's fault (or
/// the platform's), never the student's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// The fuel budget ran out.
    #[error("the checker used all its fuel ({0} units)")]
    OutOfFuel(u64),
    /// The wall-clock backstop fired.
    #[error("the checker ran longer than {0} ms")]
    Timeout(u64),
    /// The memory cap was hit.
    #[error("the checker tried to use more than {0} MiB of memory")]
    Memory(u32),
    /// The wasm stack overflowed (deep recursion).
    #[error("the checker overflowed its stack (too deep recursion)")]
    StackOverflow,
    /// Any other trap (a panic in the checker, unreachable, bad memory access).
    #[error("the checker trapped: {0}")]
    Trap(String),
    /// The checker returned `err(message)`.
    #[error("the checker reported an error: {0}")]
    Reported(String),
    /// The checker's output is larger than allowed.
    #[error("the checker returned {0} bytes of output, more than the limit of {1}")]
    OutputTooLarge(usize, u32),
}

/// Limits of one run.
#[derive(Clone, Copy, Debug)]
pub struct RunLimits {
    /// Fuel units.
    pub fuel: u64,
    /// Memory cap in MiB.
    pub memory_mib: u32,
    /// Wall-clock backstop in milliseconds.
    pub wall_clock_ms: u64,
    /// Largest total output in bytes.
    pub max_output_bytes: u32,
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    /// The results, or why there are none.
    pub outcome: Result<Vec<wit::CheckResult>, Fault>,
    /// Fuel consumed (deterministic).
    pub fuel_used: u64,
    /// Wall time of instantiation and call.
    pub duration: Duration,
}

/// The per-store state: the resource limiter.
struct State {
    memory_max: usize,
    memory_denied: bool,
}

impl wasmtime::ResourceLimiter for State {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= self.memory_max;
        if !ok {
            self.memory_denied = true;
        }
        Ok(ok)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        16
    }

    fn tables(&self) -> usize {
        16
    }

    fn memories(&self) -> usize {
        4
    }
}

/// The sandbox: one engine per process, shared by every checker.
pub struct Sandbox {
    engine: Engine,
    cache_dir: Option<PathBuf>,
    compat: String,
    ticking: Arc<AtomicBool>,
}

/// A loaded checker, ready to run many times.
pub struct LoadedChecker {
    pre: Pre,
    /// SHA-256 of the component bytes (hex).
    pub sha256: String,
}

/// A checker instantiated for the interface version it was built for.
enum Pre {
    Current(current::CheckerPre<State>),
    V1_1(v1_1::CheckerPre<State>),
    V1_0(v1_0::CheckerPre<State>),
}

impl LoadedChecker {
    /// The `grader:checker` version the checker was built for.
    pub fn interface_version(&self) -> &'static str {
        match self.pre {
            Pre::Current(_) => INTERFACE_VERSIONS[0],
            Pre::V1_1(_) => INTERFACE_VERSIONS[1],
            Pre::V1_0(_) => INTERFACE_VERSIONS[2],
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.ticking.store(false, Ordering::Relaxed);
    }
}

impl Sandbox {
    /// Creates the engine (pooling allocator sized for `concurrency` gradings
    /// at once) and its epoch ticker thread. `cache_dir` holds compiled code.
    pub fn new(concurrency: u32, cache_dir: Option<PathBuf>) -> wasmtime::Result<Sandbox> {
        let slots = concurrency.clamp(1, 1 << 20) * 4;
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(slots)
            .total_core_instances(slots)
            .total_memories(slots)
            .total_tables(slots)
            .max_memory_size(MAX_MEMORY)
            .linear_memory_keep_resident(4 << 20)
            .table_keep_resident(64 << 10);
        let mut config = Config::new();
        config
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
            .consume_fuel(true)
            .epoch_interruption(true)
            .max_wasm_stack(MAX_WASM_STACK)
            .wasm_relaxed_simd(false)
            .cranelift_nan_canonicalization(true);
        let engine = Engine::new(&config)?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let compat = format!("{:016x}", hasher.finish());
        let ticking = Arc::new(AtomicBool::new(true));
        let (weak_engine, flag) = (engine.weak(), ticking.clone());
        std::thread::Builder::new()
            .name("grader-epoch".into())
            .spawn(move || {
                while flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    match weak_engine.upgrade() {
                        Some(e) => e.increment_epoch(),
                        None => break,
                    }
                }
            })?;
        Ok(Sandbox {
            engine,
            cache_dir,
            compat,
            ticking,
        })
    }

    /// Loads a checker from component (or core module) bytes: compiles it,
    /// or takes the compiled code from the cache, and checks its interface.
    pub fn load(&self, bytes: &[u8]) -> Result<LoadedChecker, LoadError> {
        let bytes = if is_core_module(bytes) {
            componentize(bytes)?
        } else {
            bytes.to_vec()
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let component = self.compile(&bytes, &sha256)?;
        // The world's `use types.{...}` shows up as an import of an instance
        // that holds only types: nothing callable, so it is allowed. Any
        // function, resource or module import is refused.
        let imports: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .filter(|(_, item)| match &item.ty {
                ComponentItem::Type(_) => false,
                ComponentItem::ComponentInstance(i) => !i
                    .exports(&self.engine)
                    .all(|(_, e)| matches!(e.ty, ComponentItem::Type(_))),
                _ => true,
            })
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if !imports.is_empty() {
            return Err(LoadError::Imports(imports.join(", ")));
        }
        let linker: Linker<State> = Linker::new(&self.engine);
        let pre = linker
            .instantiate_pre(&component)
            .map_err(|e| LoadError::World(format!("{e:#}")))?;
        let pre = match current::CheckerPre::new(pre.clone()) {
            Ok(p) => Pre::Current(p),
            Err(new) => match v1_1::CheckerPre::new(pre.clone()) {
                Ok(p) => Pre::V1_1(p),
                Err(_) => match v1_0::CheckerPre::new(pre) {
                    Ok(p) => Pre::V1_0(p),
                    Err(_) => return Err(LoadError::World(format!("{new:#}"))),
                },
            },
        };
        Ok(LoadedChecker { pre, sha256 })
    }

    fn compile(&self, bytes: &[u8], sha256: &str) -> Result<Component, LoadError> {
        let Some(dir) = &self.cache_dir else {
            return Component::new(&self.engine, bytes)
                .map_err(|e| LoadError::Invalid(format!("{e:#}")));
        };
        let cache_err = |path: &Path, e: &dyn std::fmt::Display| LoadError::Cache {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        private_dir(dir).map_err(|m| cache_err(dir, &m))?;
        let path = dir.join(format!("{sha256}-{}.cwasm", self.compat));
        if private_file(&path) {
            // SAFETY: the cache directory is private to this user (checked
            // above: owned by us, no access for others, entries regular
            // files owned by us and written only by `precompile_component`
            // of an engine with this compatibility hash, which is in the
            // name). wasmtime also checks the header and refuses files from
            // another version or configuration.
            if let Ok(c) = unsafe { Component::deserialize_file(&self.engine, &path) } {
                return Ok(c);
            }
        }
        let compiled = self
            .engine
            .precompile_component(bytes)
            .map_err(|e| LoadError::Invalid(format!("{e:#}")))?;
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let tmp = dir.join(format!(
            ".{sha256}-{}.{}.{}.tmp",
            self.compat,
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        write_new(&tmp, &compiled).map_err(|e| cache_err(&tmp, &e))?;
        std::fs::rename(&tmp, &path).map_err(|e| cache_err(&path, &e))?;
        // SAFETY: `compiled` was just produced by this engine.
        unsafe { Component::deserialize(&self.engine, &compiled) }
            .map_err(|e| LoadError::Invalid(format!("{e:#}")))
    }

    /// Runs `checker` on `submission` in a fresh store within `limits`.
    pub fn run(
        &self,
        checker: &LoadedChecker,
        submission: &wit::Submission,
        limits: RunLimits,
    ) -> Run {
        let start = Instant::now();
        let memory_max = (limits.memory_mib as usize) << 20;
        let mut store = Store::new(
            &self.engine,
            State {
                memory_max,
                memory_denied: false,
            },
        );
        store.limiter(|s| s);
        let ticks = limits
            .wall_clock_ms
            .div_ceil(EPOCH_TICK.as_millis() as u64)
            .max(1);
        store.set_epoch_deadline(ticks);
        let fuel_set = store.set_fuel(limits.fuel);
        let outcome = match fuel_set {
            Err(e) => Err(Fault::Trap(format!("{e:#}"))),
            Ok(()) => match call(&checker.pre, &mut store, submission) {
                Err(e) => Err(classify(&e, &store, limits)),
                Ok(Err(message)) => Err(Fault::Reported(truncate(message, 2000))),
                Ok(Ok(results)) => {
                    // Every result counts its text plus a fixed overhead, so that
                    // a flood of empty results is too large as well.
                    let size: usize = results
                        .iter()
                        .map(|r| 64 + r.id.len() + r.feedback.len() + 4 * r.lines.len())
                        .sum();
                    if size > limits.max_output_bytes as usize {
                        Err(Fault::OutputTooLarge(size, limits.max_output_bytes))
                    } else {
                        Ok(results)
                    }
                }
            },
        };
        let fuel_used = limits.fuel - store.get_fuel().unwrap_or(0);
        Run {
            outcome,
            fuel_used,
            duration: start.elapsed(),
        }
    }
}

/// Instantiates the checker and calls its `check`, in the interface version
/// it was built for.
fn call(
    pre: &Pre,
    store: &mut Store<State>,
    submission: &wit::Submission,
) -> wasmtime::Result<Result<Vec<wit::CheckResult>, String>> {
    match pre {
        Pre::Current(pre) => pre.instantiate(&mut *store)?.call_check(store, submission),
        Pre::V1_1(pre) => {
            let old = older(submission)?;
            let out = pre.instantiate(&mut *store)?.call_check(store, &old)?;
            Ok(match out {
                Ok(results) => Ok(older(&results)?),
                Err(message) => Err(message),
            })
        }
        Pre::V1_0(pre) => {
            let old = older(submission)?;
            let out = pre.instantiate(&mut *store)?.call_check(store, &old)?;
            Ok(match out {
                Ok(results) => Ok(older(&results)?),
                Err(message) => Err(message),
            })
        }
    }
}

/// A value of one interface version in the types of another.
///
/// Minor versions only add fields and cases, under the same names, so the
/// serde form of a submission read as an older version's type drops the
/// fields that version does not know, and check results (unchanged since
/// 1.0.0) read back into the current types as they are.
fn older<T: serde::Serialize, U: serde::de::DeserializeOwned>(value: &T) -> wasmtime::Result<U> {
    let json = serde_json::to_value(value)?;
    Ok(serde_json::from_value(json)?)
}

fn classify(e: &wasmtime::Error, store: &Store<State>, limits: RunLimits) -> Fault {
    match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => Fault::OutOfFuel(limits.fuel),
        Some(Trap::Interrupt) => Fault::Timeout(limits.wall_clock_ms),
        Some(Trap::StackOverflow) => Fault::StackOverflow,
        _ if store.data().memory_denied => Fault::Memory(limits.memory_mib),
        Some(t) => Fault::Trap(t.to_string()),
        None => Fault::Trap(truncate(format!("{e:#}"), 2000)),
    }
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// Makes sure the cache directory exists and only its owner, this user, can
/// use it: compiled code in it is run as native code.
fn private_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| e.to_string())?;
        let meta = std::fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if !meta.is_dir() || meta.uid() != me {
            return Err("must be a directory owned by the user running the grader".into());
        }
        if meta.mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())
    }
}

/// Whether `path` is a regular file (not a link) that only its owner, this
/// user, can write.
fn private_file(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        meta.is_file() && meta.uid() == me && meta.mode() & 0o022 == 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Writes a new file (never through an existing file or link), readable
/// and writable by its owner only.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Wraps a core module built with the checker SDK (wit-bindgen's component
/// type section inside) into a component.
pub fn componentize(core: &[u8]) -> Result<Vec<u8>, LoadError> {
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(core)
        .and_then(|enc| enc.encode())
        .map_err(|e| LoadError::Invalid(format!("cannot make a component of this module: {e:#}")))
}

/// Whether `bytes` is a core WebAssembly module (version 1) rather than a
/// component (the layer field of the header tells them apart).
fn is_core_module(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\0asm\x01\x00\x00\x00")
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
