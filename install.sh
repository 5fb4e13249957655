#!/usr/bin/env bash
# The one installer of Error Surface Lab, safe to run again: it adds only what is missing.
#
#   ./install.sh          what the app needs: requirements.txt, and Debian's chromium and
#                         fonts-noto-cjk (kaleido finds chromium on PATH for static image export;
#                         the CJK fonts draw the Chinese captions)
#   ./install.sh test     the same, plus requirements-dev.txt (pytest, Hypothesis, the Playwright
#                         package that drives Debian's chromium in tests/browser)
#
# Playwright's own browser download (`playwright install`) is never used: the tests launch
# /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python}"
# Debian's packages the app needs; deb_installed says how each is found.
DEB_PACKAGES=(chromium fonts-noto-cjk)

die() {
    echo "install.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: ./install.sh [test]   (no argument: the app; test: the app and its test tools)"
}

case "${1:-app}" in
    app) requirements=requirements.txt ;;
    test) requirements=requirements-dev.txt ;;  # it includes requirements.txt
    -h | --help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
[[ $# -le 1 ]] || { usage >&2; exit 2; }

deb_installed() {
    case "$1" in
        chromium) command -v chromium >/dev/null 2>&1 ;;
        *) [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]] ;;
    esac
}

missing=()
for package in "${DEB_PACKAGES[@]}"; do
    deb_installed "$package" || missing+=("$package")
done

if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 ||
        die "missing ${missing[*]}, and there is no apt-get here: install them with this system's package manager"
    [[ "$(id -u)" == 0 ]] ||
        die "missing Debian packages: ${missing[*]}. Run as root, or first: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    echo "install.sh: installing ${missing[*]} (apt-get)"
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "apt-get could not install ${missing[*]} (its last lines are above)"
    fi
    for package in "${missing[@]}"; do
        deb_installed "$package" || die "apt-get ran, yet $package is still missing"
    done
fi

command -v "$PYTHON" >/dev/null 2>&1 || die "no '$PYTHON' on PATH (set PYTHON=/path/to/python3.11)"
"$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore -r "$requirements" ||
    die "pip could not install $requirements (see above)"
