# Sourced by the project's scripts (after they cd to the repository root):
# the DNS tools in /usr/sbin (nsd-checkzone, dnssec-keygen, ...) are not on
# every user's PATH, and rustup puts cargo in ~/.cargo/bin, which a fresh
# shell may lack.
for dir in /usr/sbin /sbin; do
    case ":$PATH:" in *":$dir:"*) ;; *) PATH="$PATH:$dir" ;; esac
done
if ! command -v cargo >/dev/null && [[ -f "$HOME/.cargo/env" ]]; then
    # shellcheck source=/dev/null
    . "$HOME/.cargo/env"
fi
export PATH
