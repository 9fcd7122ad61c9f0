//! Zones signed live by BIND's tools for the DNSSEC tests: keys made with
//! dnssec-keygen, signed with dnssec-signzone, DS records from
//! dnssec-dsfromkey.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::{root, run, tool};

pub const ORIGIN: &str = "cli.test.";
/// The signatures' window: valid from 2025 to 2080.
pub const INCEPTION: &str = "20250101000000";
pub const EXPIRATION: &str = "20801231000000";

/// The files one signing run makes.
pub struct Signed {
    pub dir: PathBuf,
    pub zone: PathBuf,
    /// DS (SHA-256) of the KSK.
    pub ds: PathBuf,
    /// DS (SHA-1) of the KSK.
    pub ds_sha1: PathBuf,
    /// DS (SHA-256) of the ZSK.
    pub zsk_ds: PathBuf,
    /// DS of a key that is not in the zone.
    pub other_ds: PathBuf,
    pub unsigned: PathBuf,
}

fn unsigned_text(extra_hosts: usize) -> String {
    let mut text = format!(
        "$ORIGIN {ORIGIN}\n$TTL 3600\n@ SOA ns1 hostmaster 1 14400 3600 604800 3600\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\nwww A 192.0.2.10\nmail MX 10 www\nsub NS ns.sub\nns.sub A 192.0.2.53\n"
    );
    for i in 0..extra_hosts {
        text.push_str(&format!(
            "h{i} A 198.51.100.{}\nh{i} TXT \"host {i}\"\n",
            i % 250
        ));
    }
    text
}

fn sh(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Signs a zone of `extra_hosts` further hosts with a KSK and a ZSK
/// (ECDSA P-256, NSEC3 when `nsec3`; one record per line when `one_line`),
/// in a fresh directory under target/ named after the test.
pub fn sign(name: &str, extra_hosts: usize, nsec3: bool, one_line: bool) -> Signed {
    let dir = root().join("target/test-dnssec-cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the work directory");
    let unsigned = dir.join("unsigned.zone");
    std::fs::write(&unsigned, unsigned_text(extra_hosts)).expect("write the zone");
    let keygen = |args: &[&str]| -> String {
        let out = sh(Command::new(tool("dnssec-keygen"))
            .args(["-q", "-K"])
            .arg(&dir)
            .args(args)
            .arg(ORIGIN));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let ksk = keygen(&["-a", "13", "-f", "KSK"]);
    let zsk = keygen(&["-a", "13"]);
    let stray = keygen(&["-a", "13", "-f", "KSK"]);
    let zone = dir.join("signed.zone");
    let mut signer = Command::new(tool("dnssec-signzone"));
    signer
        .current_dir(&dir)
        .args(["-q", "-S", "-K"])
        .arg(&dir)
        .args(["-o", ORIGIN, "-s", INCEPTION, "-e", EXPIRATION, "-f"])
        .arg(&zone);
    if nsec3 {
        signer.args(["-3", "-"]);
    }
    if one_line {
        signer.args(["-O", "full"]);
    }
    signer.arg(&unsigned).args([&ksk, &zsk]);
    // -S takes every key of the directory; keep the stray key out of it.
    std::fs::rename(dir.join(format!("{stray}.key")), dir.join("stray.key")).expect("move");
    std::fs::rename(
        dir.join(format!("{stray}.private")),
        dir.join("stray.private"),
    )
    .expect("move");
    sh(&mut signer);
    let dsfromkey = |digest: &str, key: &str, file: &str| {
        let out = sh(Command::new(tool("dnssec-dsfromkey"))
            .arg(digest)
            .arg(dir.join(key)))
        .stdout;
        let path = dir.join(file);
        std::fs::write(&path, out).expect("write the DS");
        path
    };
    Signed {
        ds: dsfromkey("-2", &format!("{ksk}.key"), "ds.txt"),
        ds_sha1: dsfromkey("-1", &format!("{ksk}.key"), "ds-sha1.txt"),
        zsk_ds: dsfromkey("-2", &format!("{zsk}.key"), "zsk-ds.txt"),
        other_ds: dsfromkey("-2", "stray.key", "other-ds.txt"),
        dir,
        zone,
        unsigned,
    }
}
