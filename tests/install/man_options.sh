#!/usr/bin/env bash
# man_options.sh - each program's man page (docs/man/*.md, made by pandoc)
# describes in OPTIONS the options its --help lists, no more and no fewer:
# an option added to, renamed in or removed from one and not the other
# fails here.
source "$(dirname "$0")/../e2e/lib.sh"

# The options of a list of option lines ("  -d, --db DB   database"): the
# words before the description that begin with a dash.
options_of()
{
    sed -E 's/^ +//; s/  .*//' | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' |
        sort -u
}

# --help's option lines: indented, a long option first (after its short one).
help_options()
{
    "$1" --help | grep -E '^ {2,}(-[A-Za-z], )?--[A-Za-z]' | options_of
}

# The tags of the man page's OPTIONS section, as man shows them.
man_options()
{
    groff -man -Tutf8 -P-cbou "$1" 2>/dev/null |
        sed -e 's/\xe2\x80\x90/-/g' -e 's/\xe2\x88\x92/-/g' |
        awk '/^[A-Z]/ { section = $0; next } section == "OPTIONS"' | grep -E '^ {7}-' | options_of
}

for page in indexer.1 search.1 searchd.8; do
    prog=${page%.*}
    man=$BUILD_DIR/man/$page
    [ -f "$man" ] || fail "$man is not built"
    from_help=$(help_options "$BUILD_DIR/$prog")
    from_man=$(man_options "$man")
    [ "$(wc -l <<<"$from_help")" -ge 5 ] || fail "$prog --help: too few options found: $from_help"
    assert_eq "$from_help" "$from_man" \
        "the options of $prog --help (expected) and of docs/man/$page.md (got)"
done
echo "PASS"
