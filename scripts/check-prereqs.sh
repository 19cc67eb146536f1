#!/usr/bin/env sh
# Checks what `make run` and `make test` need from the machine before anything is
# installed, and says in one line what is missing and how to get it.
#
#   scripts/check-prereqs.sh                      Python 3.11 (with venv), Node.js 20+ and npm
#   scripts/check-prereqs.sh --system-libs        also WeasyPrint's system libraries; as root
#                                                 on Debian or Ubuntu they are installed
#
# PYTHON names the interpreter (default python3.11), as in the Makefile.
set -u

PYTHON="${PYTHON:-python3.11}"
missing=0

say_missing() {
    echo "Missing prerequisite: $*" >&2
    missing=1
}

# Python 3.11, able to make a virtual environment (Debian ships venv separately).
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    say_missing "Python 3.11 ('$PYTHON' not found): install it (Debian/Ubuntu: sudo apt-get install -y python3.11 python3.11-venv) or set PYTHON=/path/to/python3.11"
elif ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    found=$("$PYTHON" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo "not a working Python")
    say_missing "Python 3.11: '$PYTHON' is $found; install 3.11 or set PYTHON=/path/to/python3.11"
elif ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    say_missing "Python's venv module for '$PYTHON': sudo apt-get install -y python3.11-venv"
fi

# Node.js 20 or later and npm, for the GOV.UK Frontend, MOJ Frontend and htmx packages.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say_missing "Node.js 20 or later with npm: install them (Debian/Ubuntu: sudo apt-get install -y nodejs npm)"
else
    node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$node_major" -lt 20 ]; then
        say_missing "Node.js 20 or later: 'node' is version $(node --version); install a newer one"
    fi
fi

# WeasyPrint loads these libraries when it renders a PDF (weasyprint/text/ffi.py).
if [ "${1:-}" = "--system-libs" ]; then
    # Debian/Ubuntu package that provides each library WeasyPrint opens.
    packages=""
    for pair in \
        libgobject-2.0.so.0:libglib2.0-0 \
        libpango-1.0.so.0:libpango-1.0-0 \
        libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
        libharfbuzz.so.0:libharfbuzz0b \
        libharfbuzz-subset.so.0:libharfbuzz-subset0 \
        libfontconfig.so.1:libfontconfig1; do
        lib=${pair%%:*}
        if ! /sbin/ldconfig -p 2>/dev/null | grep -q "[[:space:]]$lib "; then
            packages="$packages ${pair#*:}"
        fi
    done
    if [ -n "$packages" ]; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
            echo "Installing WeasyPrint's system libraries:$packages fonts-liberation"
            apt-get update -qq \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages fonts-liberation >/dev/null \
                || say_missing "WeasyPrint's system libraries: 'apt-get install$packages' failed"
        else
            say_missing "WeasyPrint's system libraries for PDFs: sudo apt-get install -y$packages fonts-liberation"
        fi
    fi
fi

exit "$missing"
