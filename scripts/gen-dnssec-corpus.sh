#!/usr/bin/env bash
# Generates the DNSSEC differential corpus in tests/zones/dnssec/:
#
#   1. a small unsigned source zone written here (corpus.test.: SOA, NS with
#      in-zone addresses, A/AAAA/MX/TXT/SRV/CNAME, a wildcard, empty
#      non-terminals, a secure delegation with DS and glue, an insecure one
#      with glue);
#   2. fresh keys (dnssec-keygen, ldns-keygen) in a temporary directory —
#      private keys are never written into the repository;
#   3. the zone signed by dnssec-signzone and by ldns-signzone with
#      algorithms 8, 13 and 15, each with NSEC, NSEC3 (iterations 0, no salt)
#      and NSEC3 opt-out, plus the DS of each zone's KSK (dnssec-dsfromkey -2);
#   4. broken variants, each a deliberate scripted edit of a signed zone (or
#      a signing with a wrong window or without a KSK), and DS files that do
#      not fit;
#   5. corpus.toml, the manifest tests/dnssec_differential.rs reads: per zone
#      the file, origin, DS file, expected verdict, the grader codes a correct
#      validator must report, and the reference tools' known misses.
#
# Output is the same on every run except keys, key tags and signatures.
# Validity windows are fixed, so the committed zones keep their verdicts
# until 2037: the good zones are signed from 2025-01-01 to 2037-12-31, the
# not-yet-valid variants from 2037-06-01. Move the windows (and rerun) before
# mid-2037. Not later than 2037: ldns 1.8.3 reads RRSIG times as signed
# 32-bit numbers and reports every expiration after 2038-01-19 as "earlier
# than inception", so ldns-verify-zone could not judge the zones.
#
# Needs bind9-utils, ldnsutils and python3 (bash scripts/test.sh installs
# the Debian packages). Usage: bash scripts/gen-dnssec-corpus.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/env.sh
. scripts/env.sh
for t in dnssec-keygen dnssec-signzone dnssec-dsfromkey dnssec-verify nsec3hash \
    ldns-keygen ldns-signzone ldns-verify-zone python3; do
    command -v "$t" >/dev/null || {
        echo "error: \`$t\` is missing; run \`bash scripts/test.sh\` (installs bind9-utils and ldnsutils)" >&2
        exit 2
    }
done

OUT=tests/zones/dnssec
ORIGIN=corpus.test.
INCEPTION=20250101000000
EXPIRATION=20371231000000
# Signatures that expired long ago, and ones not valid before mid-2037.
PAST_INCEPTION=20200101000000
PAST_EXPIRATION=20210101000000
FUTURE_INCEPTION=20370601000000
FUTURE_EXPIRATION=20371231000000

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$OUT"
rm -f "$OUT"/*.zone "$OUT"/*.ds "$OUT"/corpus.toml

# --- 1. The source zone ------------------------------------------------------
SRC="$work/source.zone"
cat >"$SRC" <<'EOF'
$ORIGIN corpus.test.
$TTL 3600
@             SOA   ns1 hostmaster 2025010101 14400 3600 604800 3600
@             NS    ns1
@             NS    ns2
@             A     192.0.2.10
@             AAAA  2001:db8::10
@             MX    10 mail
@             MX    20 mail2
@             TXT   "v=spf1 mx -all"
ns1           A     192.0.2.1
ns1           AAAA  2001:db8::1
ns2           A     192.0.2.2
ns2           AAAA  2001:db8::2
mail          A     192.0.2.25
mail2         A     192.0.2.26
www           A     192.0.2.80
www           AAAA  2001:db8::80
ftp           CNAME www
info    300   TXT   "a shorter TTL"
info    300   TXT   "and a second string"
*.wild        TXT   "wildcard"
*.wild        A     192.0.2.99
host.a.ent    A     192.0.2.50
_sip._tcp     SRV   0 5 5060 www
secure        NS    ns1.secure
secure        NS    ns2
secure        DS    12345 13 2 1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F809
ns1.secure    A     192.0.2.53
insecure      NS    ns1.insecure
insecure      NS    ns.example.net.
ns1.insecure  A     192.0.2.54
EOF

# --- 2. Keys -----------------------------------------------------------------
# KEYS[signer-alg] = "KSK-base ZSK-base" (paths without .key/.private).
declare -A KEYS
keygen_args() {
    case $1 in
        8) echo "-a RSASHA256 -b 2048" ;;
        13) echo "-a ECDSAP256SHA256" ;;
        15) echo "-a ED25519" ;;
    esac
}
for alg in 8 13 15; do
    d="$work/keys-bind-$alg"
    mkdir -p "$d"
    # shellcheck disable=SC2046
    ksk=$(dnssec-keygen -q -K "$d" $(keygen_args $alg) -f KSK -L 3600 "$ORIGIN")
    # shellcheck disable=SC2046
    zsk=$(dnssec-keygen -q -K "$d" $(keygen_args $alg) -L 3600 "$ORIGIN")
    KEYS[bind-$alg]="$d/$ksk $d/$zsk"

    d="$work/keys-ldns-$alg"
    mkdir -p "$d"
    # shellcheck disable=SC2046
    ksk=$(cd "$d" && ldns-keygen $(keygen_args $alg) -k "$ORIGIN")
    # shellcheck disable=SC2046
    zsk=$(cd "$d" && ldns-keygen $(keygen_args $alg) "$ORIGIN")
    KEYS[ldns-$alg]="$d/$ksk $d/$zsk"
done
# A lone ZSK per signer, for the zones signed without a KSK.
d="$work/keys-zsk-only"
mkdir -p "$d"
BIND_ZSK_ONLY="$d/$(dnssec-keygen -q -K "$d" -a ECDSAP256SHA256 -L 3600 "$ORIGIN")"
LDNS_ZSK_ONLY="$d/$(cd "$d" && ldns-keygen -a ECDSAP256SHA256 "$ORIGIN")"

# --- Signing -----------------------------------------------------------------
# denial_args TOOL DENIAL: the NSEC/NSEC3 options of a signer.
denial_args() {
    case "$1-$2" in
        bind-nsec) ;;
        bind-nsec3) echo "-3 - -H 0" ;;
        bind-optout) echo "-3 - -H 0 -A" ;;
        ldns-nsec) ;;
        ldns-nsec3) echo "-n -a 1 -t 0" ;;
        ldns-optout) echo "-n -a 1 -t 0 -p" ;;
    esac
}

# sign_bind OUT DENIAL INCEPTION EXPIRATION FORMAT [KSK] ZSK
# Key arguments are base names. -P (no self-check) for the windows and key
# sets dnssec-signzone would refuse to write.
sign_bind() {
    local out=$1 denial=$2 from=$3 to=$4 format=$5
    shift 5
    local input="$work/bind-input.zone" ksk=() check=()
    cat "$SRC" >"$input"
    for k in "$@"; do cat "$k.key" >>"$input"; done
    (($# == 1)) || ksk=(-k "$1")
    [[ $from == "$INCEPTION" && $# == 2 ]] || check=(-P)
    # shellcheck disable=SC2046
    dnssec-signzone -q -d "$work" "${check[@]}" -O "$format" -o "$ORIGIN" -N keep -s "$from" -e "$to" \
        $(denial_args bind "$denial") -f "$out.tmp" "${ksk[@]}" "$input" "${@: -1}" >/dev/null
    canonical_order "$out.tmp" "$out"
    rm -f "$out.tmp"
}

# canonical_order IN OUT: dnssec-signzone writes the names of a zone in a
# different order on every run. This puts them in canonical order (RFC 4034
# 6.1), moving each name's lines as they are, so that reruns differ only in
# keys and signatures. It also drops the first line, the time of the run.
canonical_order() {
    python3 - "$1" "$2" <<'PY'
import sys

head, blocks = [], []
for line in open(sys.argv[1]):
    if line.startswith("; File written on "):
        continue
    if line[0] in ";\n \t" or line.startswith("$"):
        if line.startswith("$"):
            sys.exit(f"{sys.argv[1]}: a directive in dnssec-signzone output: {line.strip()}")
        (blocks[-1][1] if blocks else head).append(line)
        continue
    owner = line.split()[0].lower().rstrip(".")
    blocks.append(([label.encode() for label in reversed(owner.split("."))], [line]))
blocks.sort(key=lambda b: b[0])  # stable: a name's blocks keep their order
with open(sys.argv[2], "w") as out:
    out.writelines(head)
    for _, lines in blocks:
        out.writelines(lines)
PY
}

# sign_ldns OUT DENIAL INCEPTION EXPIRATION KEYBASE...
sign_ldns() {
    local out=$1 denial=$2 from=$3 to=$4
    shift 4
    # shellcheck disable=SC2046
    ldns-signzone -o "$ORIGIN" -i "$from" -e "$to" $(denial_args ldns "$denial") \
        -f "$out" "$SRC" "$@"
}

# with_header OUT LINE... < zone: the zone with comment lines on top.
with_header() {
    local out=$1
    shift
    {
        echo "; origin: $ORIGIN"
        printf '; %s\n' "$@"
        echo "; generated by scripts/gen-dnssec-corpus.sh: do not edit"
        cat
    } >"$out"
}

# ds_of ZONEFILE: the DS (SHA-256) of every KSK in the zone.
ds_of() {
    dnssec-dsfromkey -2 -f "$1" "$ORIGIN" | sed 's/[[:space:]]\+/ /g'
}

# --- Manifest ----------------------------------------------------------------
MANIFEST="$OUT/corpus.toml"
cat >"$MANIFEST" <<EOF
# The DNSSEC differential corpus, generated by scripts/gen-dnssec-corpus.sh
# (do not edit; rerun the script). tests/dnssec_differential.rs runs
# dnssec-verify, ldns-verify-zone and \`grader zone check --dnssec\` on every
# zone, live, at the current time, and requires the same verdict.
#
# Per zone: name, about, file, origin, ds (a DS file handed in with the zone, passed
# to the grader as --ds and to ldns-verify-zone as -k), kind (the fault, or
# "signed"), signer, verdict ("valid" or "invalid"), codes (grader codes a
# correct validator must report; warnings count), and known: the reference
# tools documented and measured to miss this fault, with the verdict they
# give and why. Only those tools may disagree with the verdict.
#
# Signatures are valid from ${INCEPTION} to ${EXPIRATION} (UTC).
EOF

# toml_str TEXT: TEXT as a TOML basic string.
toml_str() {
    local s=${1//\\/\\\\}
    printf '"%s"' "${s//\"/\\\"}"
}

# entry NAME FILE KIND SIGNER VERDICT CODES DS ABOUT [TOOL VERDICT WHY]...
entry() {
    local name=$1 file=$2 kind=$3 signer=$4 verdict=$5 codes=$6 ds=$7 about=$8
    shift 8
    {
        echo
        echo "[[zone]]"
        echo "name = \"$name\""
        echo "file = \"$file\""
        echo "origin = \"$ORIGIN\""
        [[ -z $ds ]] || echo "ds = \"$ds\""
        echo "kind = \"$kind\""
        echo "signer = \"$signer\""
        echo "about = $(toml_str "$about")"
        echo "verdict = \"$verdict\""
        echo "codes = [$codes]"
        if (($# > 0)); then
            echo "known = ["
            while (($# > 0)); do
                echo "    { tool = \"$1\", verdict = \"$2\", why = $(toml_str "$3") },"
                shift 3
            done
            echo "]"
        fi
    } >>"$MANIFEST"
}

# --- 3. Good zones -----------------------------------------------------------
declare -A FULL # one-record-per-line signings, the bases of the broken variants
for signer in bind ldns; do
    for alg in 8 13 15; do
        for denial in nsec nsec3 optout; do
            name="$signer-$alg-$denial"
            read -r ksk zsk <<<"${KEYS[$signer-$alg]}"
            case $denial in
                nsec) what="NSEC" ;;
                nsec3) what="NSEC3 (SHA-1, 0 iterations, no salt)" ;;
                optout) what="NSEC3 opt-out (SHA-1, 0 iterations, no salt)" ;;
            esac
            if [[ $denial == optout && $signer == bind ]]; then
                what="$what: the insecure delegation has no NSEC3"
            elif [[ $denial == optout ]]; then
                what="$what: ldns-signzone -p sets the flag but still hashes the insecure delegation"
            fi
            if [[ $signer == bind ]]; then
                sign_bind "$work/$name.zone" "$denial" "$INCEPTION" "$EXPIRATION" text "$ksk" "$zsk"
                sign_bind "$work/$name.full" "$denial" "$INCEPTION" "$EXPIRATION" full "$ksk" "$zsk"
                tool=dnssec-signzone
            else
                sign_ldns "$work/$name.zone" "$denial" "$INCEPTION" "$EXPIRATION" "$zsk" "$ksk"
                cp "$work/$name.zone" "$work/$name.full"
                tool=ldns-signzone
            fi
            FULL[$name]="$work/$name.full"
            about="signed by $tool: algorithm $alg, KSK and ZSK, $what"
            with_header "$OUT/$name.zone" "$about" <"$work/$name.zone"
            ds_of "$work/$name.zone" >"$OUT/$name.ds"
            entry "$name" "$name.zone" signed "$tool" valid "" "$name.ds" "$about"
        done
    done
done

# --- 4. Broken variants ------------------------------------------------------
# edit IN OUT OP... — scripted breakage of a one-record-per-line signed zone.
# Every op must change at least one record, or the script fails. Ops:
#   rdata OWNER TYPE OLD NEW   replace text OLD by NEW in the data of OWNER/TYPE
#   ttl OWNER TYPE TTL         set the TTL of the OWNER/TYPE records
#   drop OWNER TYPE            drop the OWNER/TYPE records and their RRSIGs
#   dropsig OWNER TYPE         drop the RRSIGs covering OWNER/TYPE only
#   droprr OWNER TYPE PREFIX   drop the OWNER/TYPE records whose data starts with PREFIX
#   dropname OWNER             drop every record of OWNER
#   nsec3 OWNER                (prefix) the NSEC3 owner of OWNER: hash.ORIGIN
#   add RECORD                 append a record
edit() {
    local in=$1 out=$2
    shift 2
    python3 - "$in" "$out" "$ORIGIN" "$@" <<'PY'
import re, subprocess, sys

src, dst, origin, *ops = sys.argv[1:]
lines = open(src).read().rstrip("\n").split("\n")

def fields(line):
    if not line or line[0] in ";$ \t":
        return None
    f = line.split()
    if len(f) < 5 or f[2] != "IN":
        return None
    return f

def name(owner):
    if owner.startswith("nsec3:"):
        out = subprocess.run(["nsec3hash", "-", "1", "0", owner[6:]],
                             check=True, capture_output=True, text=True).stdout
        return (out.split()[0] + "." + origin).lower()
    return owner.lower()

def covers(f, owner, rtype):
    return f[0].lower() == owner and f[3] == rtype

def sig_of(f, owner, rtype):
    return f[0].lower() == owner and f[3] == "RRSIG" and f[4] == rtype

i = 0
while i < len(ops):
    op = ops[i]
    arity = {"rdata": 4, "ttl": 3, "drop": 2, "dropsig": 2, "droprr": 3,
             "dropname": 1, "add": 1}[op]
    args = ops[i + 1:i + 1 + arity]
    i += 1 + arity
    hits = 0
    new = []
    if op == "add":
        lines.append(args[0])
        continue
    owner = name(args[0])
    for line in lines:
        f = fields(line)
        if f is None:
            new.append(line)
            continue
        keep = True
        # owner, TTL, class, type (with the blanks after them), data
        m = re.match(r"(\S+\s+)(\S+)(\s+\S+\s+\S+\s+)(.*)$", line)
        if op == "rdata" and covers(f, owner, args[1]) and args[2] in m[4]:
            line = m[1] + m[2] + m[3] + m[4].replace(args[2], args[3])
            hits += 1
        elif op == "ttl" and covers(f, owner, args[1]):
            line = m[1] + args[2] + m[3] + m[4]
            hits += 1
        elif op == "drop" and (covers(f, owner, args[1]) or sig_of(f, owner, args[1])):
            keep = False
        elif op == "dropsig" and sig_of(f, owner, args[1]):
            keep = False
        elif op == "droprr" and covers(f, owner, args[1]) and " ".join(f[4:]).startswith(args[2]):
            keep = False
        elif op == "dropname" and f[0].lower() == owner:
            keep = False
        if keep:
            new.append(line)
        else:
            hits += 1
    if hits == 0:
        sys.exit(f"edit {op} {args}: no record of {src} matched")
    lines = new
open(dst, "w").write("\n".join(lines) + "\n")
PY
}

# broken NAME BASE KIND VERDICT CODES DS DESCRIPTION [edit ops...] -- [TOOL VERDICT WHY]...
# BASE is a good zone's name (the edit applies to its one-line signing) or a
# file path already produced.
broken() {
    local name=$1 base=$2 kind=$3 verdict=$4 codes=$5 ds=$6 description=$7
    shift 7
    local ops=()
    while (($# > 0)) && [[ $1 != -- ]]; do
        ops+=("$1")
        shift
    done
    (($# == 0)) || shift
    local in=${FULL[$base]:-$base} signer
    case $base in bind-*) signer=dnssec-signzone ;; ldns-*) signer=ldns-signzone ;; *) signer=${SIGNER:?} ;; esac
    if ((${#ops[@]} > 0)); then
        edit "$in" "$work/$name.zone" "${ops[@]}"
    else
        cp "$in" "$work/$name.zone"
    fi
    with_header "$OUT/$name.zone" "broken: $description" <"$work/$name.zone"
    entry "$name" "$name.zone" "$kind" "$signer" "$verdict" "$codes" "$ds" "$description" "$@"
}

LDNS_NO_TTL_CHECK="ldns-verify-zone verifies the signature with the RRSIG's original TTL and never compares it with the TTL of the records (research dns-validation.md 2.8)"
LDNS_NO_BITMAP_CHECK="ldns-verify-zone checks the NSEC chain and signatures but not that every type in the bitmap exists at the name (research dns-validation.md 2.8)"
LDNS_NO_KSK_CHECK="ldns-verify-zone accepts a DNSKEY set signed by any key of the set; it does not require a key with the SEP flag (research dns-validation.md 2.8)"
DSV_NO_DS="dnssec-verify takes no trust anchor: it cannot compare a DS with the zone's keys"

# Tampered data: the record changed after signing, its RRSIG kept.
broken tampered-data bind-13-nsec tampered-data invalid '"rrsig-bad-signature"' "" \
    "www A changed from 192.0.2.80 to 192.0.2.81 after signing; its RRSIG kept" \
    rdata www.$ORIGIN A 192.0.2.80 192.0.2.81
broken tampered-data-rsa ldns-8-nsec3 tampered-data invalid '"rrsig-bad-signature"' "" \
    "mail A changed from 192.0.2.25 to 192.0.2.125 after signing; its RRSIG kept" \
    rdata mail.$ORIGIN A 192.0.2.25 192.0.2.125
broken tampered-data-ed25519 bind-15-optout tampered-data invalid '"rrsig-bad-signature"' "" \
    "apex TXT changed after signing (-all to ~all); its RRSIG kept" \
    rdata $ORIGIN TXT "mx -all" "mx ~all"

# Missing RRSIG.
broken missing-rrsig bind-13-nsec missing-rrsig invalid '"rrsig-missing"' "" \
    "the RRSIG of mail A deleted" \
    dropsig mail.$ORIGIN A
broken missing-rrsig-nsec3 ldns-15-nsec3 missing-rrsig invalid '"rrsig-missing"' "" \
    "the RRSIG of the NSEC3 record of www deleted" \
    dropsig nsec3:www.$ORIGIN NSEC3

# Expired and not-yet-valid signatures: signed with a window in the past or
# in the future.
read -r ksk zsk <<<"${KEYS[bind-13]}"
sign_bind "$work/expired.base" nsec "$PAST_INCEPTION" "$PAST_EXPIRATION" full "$ksk" "$zsk"
SIGNER=dnssec-signzone broken expired "$work/expired.base" expired invalid '"rrsig-expired"' "" \
    "signed by dnssec-signzone with the window $PAST_INCEPTION-$PAST_EXPIRATION"
sign_bind "$work/not-yet-valid.base" nsec3 "$FUTURE_INCEPTION" "$FUTURE_EXPIRATION" full "$ksk" "$zsk"
SIGNER=dnssec-signzone broken not-yet-valid "$work/not-yet-valid.base" not-yet-valid invalid '"rrsig-not-yet-valid"' "" \
    "signed by dnssec-signzone with the window $FUTURE_INCEPTION-$FUTURE_EXPIRATION"
read -r ksk zsk <<<"${KEYS[ldns-8]}"
sign_ldns "$work/expired-ldns.base" nsec3 "$PAST_INCEPTION" "$PAST_EXPIRATION" "$zsk" "$ksk"
SIGNER=ldns-signzone broken expired-ldns "$work/expired-ldns.base" expired invalid '"rrsig-expired"' "" \
    "signed by ldns-signzone with the window $PAST_INCEPTION-$PAST_EXPIRATION"
sign_ldns "$work/not-yet-valid-ldns.base" nsec "$FUTURE_INCEPTION" "$FUTURE_EXPIRATION" "$zsk" "$ksk"
SIGNER=ldns-signzone broken not-yet-valid-ldns "$work/not-yet-valid-ldns.base" not-yet-valid invalid '"rrsig-not-yet-valid"' "" \
    "signed by ldns-signzone with the window $FUTURE_INCEPTION-$FUTURE_EXPIRATION"

# NSEC and NSEC3 gaps: a name deleted with all its records, so the previous
# NSEC (NSEC3) points at a name (hash) that is no longer in the zone.
broken nsec-gap ldns-13-nsec nsec-gap invalid '"nsec-chain-broken"' "" \
    "every record of ftp deleted after signing: the NSEC of the previous name points at ftp" \
    dropname ftp.$ORIGIN
broken nsec3-gap bind-13-nsec3 nsec3-gap invalid '"nsec3-chain-broken"' "" \
    "every record of ftp deleted after signing, its NSEC3 too: the previous NSEC3 points at its hash" \
    dropname ftp.$ORIGIN dropname nsec3:ftp.$ORIGIN
# A name that keeps its data but loses its NSEC (NSEC3).
broken nsec-missing bind-8-nsec nsec-missing invalid '"nsec-missing"' "" \
    "the NSEC record of www and its RRSIG deleted" \
    drop www.$ORIGIN NSEC
broken nsec3-missing ldns-13-nsec3 nsec3-missing invalid '"nsec3-missing"' "" \
    "the NSEC3 record of www and its RRSIG deleted" \
    drop nsec3:www.$ORIGIN NSEC3

# Wrong bitmaps: an RRset (with its RRSIG) deleted after signing, so the
# NSEC (NSEC3) bitmap lists a type that is not there.
broken nsec-bitmap bind-13-nsec nsec-bitmap invalid '"nsec-bitmap"' "" \
    "www AAAA and its RRSIG deleted after signing: the NSEC bitmap of www still lists AAAA" \
    drop www.$ORIGIN AAAA \
    -- ldns-verify-zone valid "$LDNS_NO_BITMAP_CHECK"
broken nsec-bitmap-ldns ldns-15-nsec nsec-bitmap invalid '"nsec-bitmap"' "" \
    "ns2 AAAA and its RRSIG deleted after signing: the NSEC bitmap of ns2 still lists AAAA" \
    drop ns2.$ORIGIN AAAA \
    -- ldns-verify-zone valid "$LDNS_NO_BITMAP_CHECK"
broken nsec3-bitmap bind-13-nsec3 nsec3-bitmap invalid '"nsec3-bitmap"' "" \
    "www AAAA and its RRSIG deleted after signing: the NSEC3 bitmap of www still lists AAAA" \
    drop www.$ORIGIN AAAA \
    -- ldns-verify-zone valid "$LDNS_NO_BITMAP_CHECK"

# Missing DNSKEY: the whole DNSKEY set, or only the ZSK that signed the data.
broken missing-dnskey bind-13-nsec missing-dnskey invalid '"dnskey-missing"' "" \
    "the DNSKEY set and its RRSIGs deleted" \
    drop $ORIGIN DNSKEY
broken missing-zsk ldns-13-nsec missing-dnskey invalid '"rrsig-no-key"' "" \
    "the ZSK (flags 256) deleted from the DNSKEY set; its signatures kept" \
    droprr $ORIGIN DNSKEY "256 "

# Missing KSK: signed with a single key without the SEP flag.
sign_bind "$work/missing-ksk.base" nsec "$INCEPTION" "$EXPIRATION" full "$BIND_ZSK_ONLY"
SIGNER=dnssec-signzone broken missing-ksk "$work/missing-ksk.base" missing-ksk invalid '"ksk-missing"' "" \
    "signed by dnssec-signzone with one ECDSA key with flags 256 (no SEP key)" \
    -- ldns-verify-zone valid "$LDNS_NO_KSK_CHECK"
sign_ldns "$work/missing-ksk-ldns.base" nsec3 "$INCEPTION" "$EXPIRATION" "$LDNS_ZSK_ONLY"
SIGNER=ldns-signzone broken missing-ksk-ldns "$work/missing-ksk-ldns.base" missing-ksk invalid '"ksk-missing"' "" \
    "signed by ldns-signzone with one ECDSA key with flags 256 (no SEP key)" \
    -- ldns-verify-zone valid "$LDNS_NO_KSK_CHECK"

# Wrong original TTL: the TTL of a signed RRset changed after signing.
broken original-ttl bind-13-nsec original-ttl invalid '"rrsig-original-ttl"' "" \
    "the TTL of www A changed from 3600 to 7200 after signing; the RRSIG says 3600" \
    ttl www.$ORIGIN A 7200 \
    -- ldns-verify-zone valid "$LDNS_NO_TTL_CHECK"
broken original-ttl-ldns ldns-8-nsec original-ttl invalid '"rrsig-original-ttl"' "" \
    "the TTL of info TXT changed from 300 to 3600 after signing; the RRSIG says 300" \
    ttl info.$ORIGIN TXT 3600 \
    -- ldns-verify-zone valid "$LDNS_NO_TTL_CHECK"

# Unsigned addition: a record added after signing, without RRSIG or NSEC.
broken unsigned-addition bind-13-nsec unsigned-addition invalid '"rrsig-missing", "nsec-missing"' "" \
    "new.$ORIGIN A added after signing" \
    add "new.$ORIGIN 3600 IN A 192.0.2.123"
broken unsigned-addition-nsec3 ldns-13-nsec3 unsigned-addition invalid '"rrsig-missing", "nsec3-missing"' "" \
    "new.$ORIGIN A added after signing" \
    add "new.$ORIGIN	3600	IN	A	192.0.2.123"

# DS files that do not fit a good zone.
ds_of "$OUT/ldns-13-nsec.zone" >"$OUT/ds-mismatch.ds"
entry ds-mismatch bind-13-nsec.zone ds-mismatch dnssec-signzone invalid '"ds-no-match"' ds-mismatch.ds \
    "the good zone bind-13-nsec with the DS of another zone's KSK (same owner and algorithm)" \
    dnssec-verify valid "$DSV_NO_DS"
# The DS of the ZSK instead of the KSK (RFC 4034 allows it; a warning).
dnssec-dsfromkey -2 -A -f "$OUT/bind-13-nsec.zone" "$ORIGIN" | sed 's/[[:space:]]\+/ /g' |
    grep -v -F -x -f "$OUT/bind-13-nsec.ds" >"$OUT/ds-zsk.ds"
entry ds-zsk bind-13-nsec.zone ds-not-sep dnssec-signzone valid '"ds-not-sep"' ds-zsk.ds \
    "the good zone bind-13-nsec with the DS of its ZSK, which also signs the DNSKEY set"
# A SHA-1 DS of the right key (valid; a warning).
# (dnssec-dsfromkey 9.18 warns "DS digest type 0 is deprecated" here: a
# wrong number in its message; the record has digest type 1.)
dnssec-dsfromkey -1 -f "$OUT/bind-8-nsec.zone" "$ORIGIN" 2>/dev/null | sed 's/[[:space:]]\+/ /g' >"$OUT/ds-sha1.ds"
entry ds-sha1 bind-8-nsec.zone ds-sha1 dnssec-signzone valid '"ds-sha1"' ds-sha1.ds \
    "the good zone bind-8-nsec with the SHA-1 DS of its KSK"

# --- 5. What the reference tools say -----------------------------------------
now=$(date -u +%Y%m%d%H%M%S)
echo "zone                          dnssec-verify  ldns-verify-zone  (at $now UTC)"
python3 - "$MANIFEST" <<'PY' | while read -r name file ds; do
import sys, tomllib
for z in tomllib.load(open(sys.argv[1], "rb"))["zone"]:
    print(z["name"], z["file"], z.get("ds", "-"))
PY
    k=()
    [[ $ds == - ]] || k=(-k "$OUT/$ds")
    if dnssec-verify -q -o "$ORIGIN" "$OUT/$file" >/dev/null 2>&1; then dv=valid; else dv=invalid; fi
    if ldns-verify-zone -V 0 -t "$now" "${k[@]}" "$OUT/$file" >/dev/null 2>&1; then lv=valid; else lv=invalid; fi
    printf '%-29s %-14s %s\n' "$name" "$dv" "$lv"
done
