#!/usr/bin/env bash
# python.sh - the fihris Python package (python/), installed as
# docs/python.md says, against libfihris installed from this build into a
# temporary prefix: into a virtual environment that sees Debian's
# python3-cffi (--system-site-packages), with pip --no-build-isolation,
# fihris.pc found through PKG_CONFIG_PATH; then the example of
# docs/python.md and the tests of python/tests under pytest.  Also: a build
# without fihris.pc stops with a message saying what to do; the package's
# version is the library's; the module finds the library it was built
# against without LD_LIBRARY_PATH; the tests run the installed indexer
# (FIHRIS_INDEXER) for a JSONL file.  pip is kept off the network
# (PIP_NO_INDEX): everything it needs is installed.
#
# Under the sanitizers, libfihris needs the AddressSanitizer runtime loaded
# before anything else: python runs with it (and libstdc++, whose exceptions
# it intercepts) preloaded, and without leak detection, which would report
# the interpreter's own allocations; a compiler whose runtime cannot be
# preloaded skips the test (77).  Nothing is written outside $TMP.
source "$(dirname "$0")/../e2e/lib.sh"

CC=${CC:-cc}
PREFIX=$TMP/prefix
SOURCE_DIR=$(cd "$SOURCE_DIR" && pwd) || fail "no $SOURCE_DIR"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd) || fail "no $BUILD_DIR"
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH PYTHONHOME PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR LD_LIBRARY_PATH

"$PYTHON" -c 'import cffi, ensurepip, pytest, setuptools, venv, wheel' 2>/dev/null ||
    fail "$PYTHON lacks cffi, pytest, setuptools, venv or wheel: install python3-cffi python3-dev" \
        "python3-pytest python3-venv python3-setuptools python3-wheel (scripts/lib.sh)"

PRELOAD=""
if [ -n "${FIHRIS_SANITIZED:-}" ]; then
    for lib in libasan.so libstdc++.so; do
        f=$("$CC" -print-file-name=$lib)
        if [ ! -f "$f" ]; then
            echo "SKIP: $CC has no $lib to preload into python (a sanitized libfihris needs it)"
            exit 77
        fi
        PRELOAD+="$f "
    done
fi
# py ARGS...: the environment's python, as the tests run it.
py()
{
    LD_PRELOAD=$PRELOAD ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        "$TMP/venv/bin/python" "$@"
}

assert_exit 0 cmake --install "$BUILD_DIR" --prefix "$PREFIX"
pc=$(find "$PREFIX" -name fihris.pc)
[ -n "$pc" ] || fail "fihris.pc is not installed"
libdir=$(dirname "$(dirname "$pc")")

# The sources as they stand, copied: pip builds in the tree it is given.
mkdir -p "$TMP/src" || fail "mkdir $TMP/src"
cp -r "$SOURCE_DIR/python" "$TMP/src/" || fail "cannot copy python/"
rm -rf "$TMP/src/python/build" "$TMP/src/python"/*.egg-info
cd "$TMP/src" || fail "cd $TMP/src"

assert_exit 0 "$PYTHON" -m venv --system-site-packages "$TMP/venv"

# Without fihris.pc: a message that says what to do, and nothing installed.
mkdir -p "$TMP/no-pc"
run env PKG_CONFIG_PATH="" PKG_CONFIG_LIBDIR="$TMP/no-pc" \
    "$TMP/venv/bin/pip" install --no-build-isolation ./python
[ "$RC" != 0 ] || fail "pip install succeeded without fihris.pc"
assert_contains "$OUT$ERR" "pkg-config cannot find fihris (fihris.pc): install Fihris first" \
    "pip install without fihris.pc"
assert_contains "$OUT$ERR" "PKG_CONFIG_PATH=PREFIX/lib/pkgconfig" "pip install without fihris.pc"

assert_exit 0 env PKG_CONFIG_PATH="$libdir/pkgconfig" \
    "$TMP/venv/bin/pip" install --no-build-isolation ./python
cd "$TMP" || fail "cd $TMP" # not where a fihris/ directory would shadow the installed one

# Installed into the environment, at the library's version, and loading the
# libfihris of the prefix (by its run path: no LD_LIBRARY_PATH).
assert_exit 0 env PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --modversion fihris
version=$OUT
check=$(py -c '
import fihris, sys
maps = open("/proc/self/maps").read()
print(fihris.__file__.startswith(sys.prefix), fihris.__version__,
      "'"$libdir"'/libfihris.so." in maps)' 2>&1) || fail "import fihris: $check"
assert_eq "True $version True" "$check" "the installed module: in the venv, version, libfihris"

# The example of docs/python.md, as it stands, and its output.
block() # block WORD: the fenced block of docs/python.md that holds WORD
{
    awk -v word="$1" '/^```/ { if (inside) { if (index(text, word)) { printf "%s", text; exit } inside = 0 }
                              else { inside = 1; text = "" } next }
                      inside { text = text $0 "\n" }' "$SOURCE_DIR/docs/python.md"
}
mkdir -p "$TMP/example" || fail "mkdir $TMP/example"
block "import fihris" >"$TMP/example/example.py"
grep -q 'iter_hits' "$TMP/example/example.py" || fail "no example found in docs/python.md"
expected=$(block "1 a3 AP Mark")
[ -n "$expected" ] || fail "no example output found in docs/python.md"
cd "$TMP/example" || fail "cd $TMP/example"
assert_exit 0 py example.py
assert_eq "$expected" "$OUT" "the output of the example of docs/python.md"
cd "$TMP" || fail "cd $TMP"

export FIHRIS_INDEXER=$PREFIX/bin/indexer
assert_exit 0 py -m pytest -q -p no:cacheprovider "$SOURCE_DIR/python/tests"
tail -1 <<<"$OUT"
grep -qE '^[0-9]+ passed' <<<"$(tail -1 <<<"$OUT")" || fail "pytest ran no test: $OUT"
echo "PASS"
