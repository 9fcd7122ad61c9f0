//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub mod amqp;
pub mod gradebook;
pub mod report;
pub mod servers;
pub mod signing;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Finds a reference tool on PATH, /usr/sbin or /sbin. A missing tool fails
/// the test with instructions; it never skips.
pub fn tool(name: &str) -> PathBuf {
    if let Some(found) = on_path(name) {
        return found;
    }
    panic!(
        "the reference tool `{name}` is not installed; run `bash scripts/test.sh`, which installs it \
         (Debian packages bind9-utils, knot-dnssecutils, nsd, ldnsutils)"
    );
}

/// `name` on PATH, /usr/sbin, /sbin or /usr/bin, when it is there.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into(), "/usr/bin".into()])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Runs a command and returns its output; panics if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// The `; origin: NAME` header of a corpus zone.
pub fn origin_of(text: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with(';'))
        .find_map(|l| l.strip_prefix("; origin:").map(|o| o.trim().to_string()))
}

/// The zone files in `dir` (relative to the repository root), sorted.
pub fn zones_in(dir: &str) -> Vec<PathBuf> {
    let dir = root().join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "zone"))
        .collect();
    files.sort();
    files
}

/// A valid seven-line lab zone (SOA with good timers, two NS with glue),
/// as a string literal so tests can `concat!` lines after it: anything
/// appended starts on line 8.
#[macro_export]
macro_rules! base_zone {
    () => {
        "$ORIGIN lab.example.
$TTL 3600
@ SOA ns1 hostmaster 1 14400 3600 604800 3600
@ NS ns1
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
"
    };
}

/// Removes from `cmd`'s environment what cargo sets for this test
/// process (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, …). Cargo runs inside the
/// tests (building the worker, and the worker building checkers) must see
/// the environment of a shell: some build scripts (`ring`'s) rerun when
/// these change, and everything above them would be rebuilt twice per run.
pub fn shell_env(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let from_cargo = matches!(
            key,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_TARGET_TMPDIR"
                | "CARGO_RUSTC_CURRENT_DIR"
                | "OUT_DIR"
        ) || key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_BIN_EXE_");
        if from_cargo {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Builds the workspace's binaries (debug profile, with the environment of a
/// shell: see [`shell_env`]) and returns the path of `bin` of `package`.
///
/// It runs exactly the command `scripts/test.sh` runs before the tests
/// (`cargo build --workspace --bins`), so that the binaries are already up
/// to date there: building one package alone would resolve other features
/// and rebuild half the dependency tree while the tests run.
pub fn build_binary(package: &str, bin: &str) -> PathBuf {
    let output = shell_env(&mut Command::new(env!("CARGO")))
        .args(["build", "--quiet", "--workspace", "--bins", "--locked"])
        .current_dir(root())
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "cargo build --workspace --bins (for {package}) failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let binary = target
        .join("debug")
        .join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "{} was not built", binary.display());
    binary
}

/// The `grader` binary, built once per test process.
pub fn grader_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary("grader-cli", "grader"))
}

/// Runs `grader ARGS` from the repository root with `stdin` as its input,
/// without the caller's `AMQP_URL` or `GRADER_GRADEBOOK`.
pub fn grader_with_input(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = shell_env(&mut Command::new(grader_binary()))
        .args(args)
        .env_remove("AMQP_URL")
        .env_remove("GRADER_GRADEBOOK")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start grader");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("cannot write grader's input");
    drop(input);
    child.wait_with_output().expect("grader did not finish")
}
