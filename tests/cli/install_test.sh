#!/bin/sh
# `cmake --install` into a temporary prefix puts toegang(1) in man1 and the
# bash completion in bash-completion's directory; both name every command
# that `toegang --help` lists (the same command table), the man page
# renders without warnings, and the completion completes.
#   install_test.sh CMAKE BUILD_DIR
set -eu
cmake=$1
build=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --build "$build" --target toegang_reference >/dev/null
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
man="$prefix/share/man/man1/toegang.1"
completion="$prefix/share/bash-completion/completions/toegang"
toegang="$prefix/bin/toegang"
[ -f "$man" ] || fail "no $man"
[ -f "$completion" ] || fail "no $completion"
[ -x "$toegang" ] || fail "no $toegang"

commands=$("$toegang" --help | awk '/^  [a-z]/ { print $1 }')
[ "$(echo "$commands" | wc -l)" -ge 20 ] || fail "too few commands: $commands"
for c in $commands; do
  grep -q "^\.SS \"$(echo "$c" | sed 's/-/\\\\-/g')" "$man" ||
    fail "the man page has no section for $c"
  grep -q " $c " "$completion" || grep -q " $c\"" "$completion" ||
    fail "the completion does not name $c"
done
# Every sub-command of a group, and its options.
for sub in "user grant" "subafdeling create" "import kbo"; do
  grep -q "^\.SS \"$(echo "$sub" | sed 's/-/\\\\-/g')\"" "$man" ||
    fail "the man page has no section for $sub"
  grep -q "\"$sub\")" "$completion" || fail "the completion lacks $sub"
done

# groff (Debian groff-base, installed by tools/setup-deps.sh) checks the
# page as man(1) will render it.
command -v groff >/dev/null 2>&1 ||
  fail "groff is missing: run tools/setup-deps.sh (package groff-base)"
warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1) || fail "groff: $warnings"
[ -z "$warnings" ] || fail "groff warns: $warnings"

complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
           _toegang; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@"
}
complete_words toegang us | grep -qx users || fail "toegang us<TAB>"
complete_words toegang user g | grep -qx grant || fail "toegang user g<TAB>"
complete_words toegang check --in | grep -qx -- --insz ||
  fail "toegang check --in<TAB>"
complete_words toegang --lang "" | grep -qx nl || fail "toegang --lang <TAB>"
echo "ok: $man, $completion"
