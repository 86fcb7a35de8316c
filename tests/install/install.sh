#!/usr/bin/env bash
# install.sh - what `cmake --install` makes, as a program that embeds
# Fihris sees it: the programs; libfihris, its SONAME, exporting the public
# API and nothing else; the public headers, each compiling alone and
# including no header left uninstalled; fihris.pc, with which the example of
# docs/api.md, taken from it as it stands, builds against the installed
# tree (shared and static) and prints the output docs/api.md shows; the man
# pages, rendering without a warning; searchd's systemd unit and example
# configuration.  Then the same install into DESTDIR.
# Nothing is written outside the test's temporary directory.
source "$(dirname "$0")/../e2e/lib.sh"

CC=${CC:-cc}
SAN_FLAGS=()
[ -n "${FIHRIS_SANITIZED:-}" ] && SAN_FLAGS=(-fsanitize=address,undefined -fno-omit-frame-pointer)
PREFIX=$TMP/prefix

assert_exit 0 cmake --install "$BUILD_DIR" --prefix "$PREFIX"

# ---- programs ----
for p in indexer search searchd; do
    [ -x "$PREFIX/bin/$p" ] || fail "bin/$p is not installed"
    assert_exit 0 "$PREFIX/bin/$p" --help
    assert_contains "$OUT" "usage: $p" "$p --help"
done

# ---- searchd's systemd unit, naming searchd where it is installed, and
# the example of its configuration ----
unit=$PREFIX/lib/systemd/system/fihris-searchd.service
[ -f "$unit" ] || fail "lib/systemd/system/fihris-searchd.service is not installed"
assert_eq "ExecStart=$PREFIX/bin/searchd --config /etc/fihris/searchd.conf" \
    "$(grep '^ExecStart=' "$unit")" "the installed unit's ExecStart"
[ -f "$PREFIX/share/doc/fihris/examples/searchd.conf" ] ||
    fail "share/doc/fihris/examples/searchd.conf is not installed"

# ---- fihris.pc ----
pc=$(find "$PREFIX" -name fihris.pc)
[ -n "$pc" ] || fail "fihris.pc is not installed"
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH=$libdir/pkgconfig
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
assert_exit 0 pkg-config --variable=prefix fihris
assert_eq "$PREFIX" "$OUT" "the prefix fihris.pc names"
version=$(pkg-config --modversion fihris)

# ---- the library: its SONAME, and the public API exported, nothing else ----
IFS=. read -r major minor _ <<<"$version"
soversion=$major
[ "$major" = 0 ] && soversion=$major.$minor
[ -f "$libdir/libfihris.so.$version" ] || fail "libfihris.so.$version is not installed"
[ -f "$libdir/libfihris.a" ] || fail "libfihris.a is not installed"
assert_exit 0 readelf -d "$libdir/libfihris.so"
assert_contains "$OUT" "Library soname: [libfihris.so.$soversion]" "SONAME"
assert_eq "libfihris.so.$version" "$(basename "$(readlink -f "$libdir/libfihris.so.$soversion")")" \
    "the SONAME's link"

inc=$PREFIX/include/fihris
[ -f "$inc/fihris.h" ] || fail "include/fihris/fihris.h is not installed"
# A function a public header declares without FH_API would not be exported.
unmarked=$(grep -nE '^[a-z_][a-z0-9_ *]*\bfh_[a-z0-9_]+\(' "$inc"/*.h | grep -v ':typedef ' || true)
assert_eq "" "$unmarked" "public functions declared without FH_API"
declared=$(grep -hoE '^FH_API [^(]*\bfh_[a-z0-9_]+\(' "$inc"/*.h | grep -oE 'fh_[a-z0-9_]+\($' |
    tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$libdir/libfihris.so" | awk '{print $NF}' | sort -u)
[ "$(wc -l <<<"$declared")" -ge 40 ] || fail "too few FH_API declarations found: $declared"
assert_eq "$declared" "$exported" "the symbols libfihris exports (nm -D), against its FH_API functions"

# ---- the headers: those fihris.h includes, each complete alone ----
reached=" fihris.h "
todo=(fihris.h)
while [ ${#todo[@]} -gt 0 ]; do
    h=${todo[0]}
    todo=("${todo[@]:1}")
    for dep in $(sed -n 's|^#include "fihris/\(.*\)"$|\1|p' "$inc/$h"); do
        [ -f "$inc/$dep" ] || fail "public header $h includes fihris/$dep, which is not installed"
        case "$reached" in *" $dep "*) ;; *) reached+="$dep "; todo+=("$dep") ;; esac
    done
done
for f in "$inc"/*.h; do
    h=$(basename "$f")
    case "$reached" in *" $h "*) ;; *) fail "$h is installed but not reached from fihris.h" ;; esac
    printf '#include <fihris/%s>\n' "$h" >"$TMP/one.c"
    assert_exit 0 "$CC" -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$PREFIX/include" "$TMP/one.c"
done
if [ -n "${CXX:-}" ]; then
    printf '#include <fihris/fihris.h>\n' >"$TMP/one.cpp"
    assert_exit 0 "$CXX" -Wall -Wextra -Werror -fsyntax-only -I"$PREFIX/include" "$TMP/one.cpp"
fi

# ---- the example of docs/api.md, built with pkg-config only ----
block() # block WORD: the fenced block of docs/api.md that holds WORD
{
    awk -v word="$1" '/^```/ { if (inside) { if (index(text, word)) { printf "%s", text; exit } inside = 0 }
                              else { inside = 1; text = "" } next }
                      inside { text = text $0 "\n" }' "$SOURCE_DIR/docs/api.md"
}
block "int main(" >"$TMP/example.c"
grep -q 'fh_writer_put_fields' "$TMP/example.c" || fail "no example found in docs/api.md"
block "completes Open: openai" >"$TMP/expected"
[ -s "$TMP/expected" ] || fail "no example output found in docs/api.md"
scores() { sed -E 's/ [0-9]+\.[0-9]{3}$/ SCORE/'; }

check_example() # check_example BINARY: run it on a new database, as docs/api.md says
{
    rm -rf "$TMP/db"
    assert_exit 0 "$1" "$TMP/db"
    assert_eq "$(scores <"$TMP/expected")" "$(scores <<<"$OUT")" "the output of $1 against docs/api.md"
}

assert_exit 0 pkg-config --cflags --libs fihris
flags=$OUT
# shellcheck disable=SC2086 # the flags are words
assert_exit 0 "$CC" "${SAN_FLAGS[@]}" -o "$TMP/example" "$TMP/example.c" $flags
assert_exit 0 env LD_LIBRARY_PATH="$libdir" ldd "$TMP/example"
assert_contains "$OUT" "libfihris.so.$soversion => $libdir/libfihris.so.$soversion" "the example's libfihris"
LD_LIBRARY_PATH=$libdir check_example "$TMP/example"

# Static: libfihris.a, and what Requires.private and Libs.private name.
assert_exit 0 pkg-config --static --libs fihris
static=$(sed -E 's/-lfihris( |$)/-l:libfihris.a\1/' <<<"$OUT")
assert_exit 0 pkg-config --cflags fihris
# shellcheck disable=SC2086
assert_exit 0 "$CC" "${SAN_FLAGS[@]}" -o "$TMP/example-static" "$TMP/example.c" $OUT $static
assert_exit 0 readelf -d "$TMP/example-static"
assert_not_contains "$OUT" "libfihris" "the static example's libraries"
check_example "$TMP/example-static"

# ---- the man pages ----
if [ "${FIHRIS_MAN:-1}" != 0 ]; then
    for page in man1/indexer.1 man1/search.1 man8/searchd.8; do
        f=$PREFIX/share/man/$page
        [ -f "$f" ] || fail "share/man/$page is not installed"
        assert_exit 0 groff -man -Tutf8 -ww -P-cbou "$f" # -P: no overstriking
        assert_eq "" "$ERR" "groff's warnings on $page"
        name=$(basename "${page%.*}")
        grep -qE "^ +$name +- " <<<"$OUT" || fail "$page: no NAME line for $name"
        grep -q "^OPTIONS$" <<<"$OUT" || fail "$page: no OPTIONS"
    done
fi

# ---- DESTDIR: the files under it, fihris.pc naming the prefix without it ----
assert_exit 0 env DESTDIR="$TMP/stage" cmake --install "$BUILD_DIR" --prefix /opt/fihris
outside=$(grep -E '^-- (Installing|Up-to-date): ' <<<"$OUT" |
    grep -vE "^-- (Installing|Up-to-date): $TMP/stage/opt/fihris/" || true)
assert_eq "" "$outside" "files installed outside DESTDIR"
[ -x "$TMP/stage/opt/fihris/bin/search" ] || fail "DESTDIR: bin/search is not installed"
spc=$(find "$TMP/stage" -name fihris.pc)
assert_contains "$(cat "$spc")" "prefix=/opt/fihris" "fihris.pc under DESTDIR"
echo "PASS"
