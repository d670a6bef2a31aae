#!/usr/bin/env bash
# The demo federation: walks the manual's whole procedure (handleiding
# toegangsbeheer e-loket AMA WVG, chapter 2 and 3) with the toegang CLI,
# then asks the access questions a gateway and a helpdesk ask: check,
# explain (in Dutch and English), who (an enterprise, a person), --help,
# managed-by, users, graph, and where the helpdesk's web page is.
#
#   tools/demo.sh [PATH-TO-toegang]     (make demo builds it first)
#
# The database is written to $DEMO_DIR (default: demo-out/) and replaced on
# every run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
toegang="${1:-$here/../build/tools/toegang}"
data="$here/demo"
out="${DEMO_DIR:-demo-out}"
mkdir -p "$out"
export TOEGANG_DB="$out/demo.db"
rm -f "$TOEGANG_DB" "$TOEGANG_DB-wal" "$TOEGANG_DB-shm"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
  printf '$ toegang %s\n' "$*"
  "$toegang" "$@"
}
# A command whose refusal or denial is the point of the step.
run_expect() {
  local want="$1"; shift
  printf '$ toegang %s\n' "$*"
  local rc=0
  "$toegang" "$@" 2>&1 || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "demo: expected exit $want, got $rc" >&2
    exit 1
  fi
  echo "(exit $rc)"
}
# run_expect, and the output must also hold every pattern given after --.
run_expect_text() {
  local want="$1"; shift
  local args=() patterns=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  patterns=("$@")
  printf '$ toegang %s\n' "${args[*]}"
  local rc=0 text
  text="$("$toegang" "${args[@]}" 2>&1)" || rc=$?
  printf '%s\n' "$text"
  if [ "$rc" -ne "$want" ]; then
    echo "demo: expected exit $want, got $rc" >&2
    exit 1
  fi
  for p in "${patterns[@]}"; do
    if ! grep -qF -- "$p" <<<"$text"; then
      echo "demo: expected the output to say: $p" >&2
      exit 1
    fi
  done
  [ "$want" -eq 0 ] || echo "(exit $rc)"
}

WV=78051212326      # Greet Willems, WV of vzw Broeders van Bijstand
HTB=82010124596     # Koen Maes, employee
TB=69072331112      # Sofie Jacobs, employee
COTB=90031540289    # Pieter Smet
USER1=75113051741   # Lotte Aerts
USER2=88080862668   # Jonas Wuyts
NOBODY=95021473380  # Elif Yilmaz
KBO=0412.345.614
OCMW=0456.789.034
OCMW_WV=03090114280

step "Set-up: a new database and the registries (KBO, persons, functions, CoBRHA)"
run init
run import kbo --enterprises "$data/enterprise.csv" --denominations "$data/denomination.csv"
run import persons "$data/persons.csv"
run import functions "$data/functions.csv"
run import facilities "$data/facilities.csv"

step "Manual 3.2: the legal representative (WV) appoints the HTB"
run htb appoint --kbo "$KBO" --insz "$HTB" --email koen.maes@broeders.example \
  --phone "+32 9 123 45 67" --by "$WV"

step "Manual 3.4: the HTB activates the hoedanigheid \"eHealth Gezondheidszorg\""
run hoedanigheid activate --kbo "$KBO" --hoedanigheid "eHealth Gezondheidszorg" --by "$HTB"

step "Manual 3.5: the HTB appoints a TB and a co-TB for the domain"
run tb set --kbo "$KBO" --subdivisie Gezondheidszorg --insz "$TB" --by "$HTB"
run tb add-co --kbo "$KBO" --insz "$COTB" --by "$HTB"

step "Manual 3.6: the TB activates the facility as a subafdeling, authorized for e-loket AMA WVG"
# Manual 2.1 step 2C: the list of the enterprise's facilities to choose from.
run facilities --kbo "$KBO"
run subafdeling create --kbo "$KBO" --hco 1100234 --email toegang@broeders.example \
  --app ama-wvg --by "$TB"

step "Manual 3.7: the TB adds users with the right to e-loket AMA WVG"
run user add --hco 1100234 --insz "$USER1" --app ama-wvg --by "$TB"
run user add --hco 1100234 --insz "$USER2" --by "$COTB"
run user grant --hco 1100234 --insz "$USER2" \
  --app "Departement Welzijn, Volksgezondheid en Gezin: Aanbod van arbeidsmatige activiteiten" --by "$COTB"

step "The gateway asks: may these people use e-loket AMA WVG?"
run check --insz "$USER1" --app ama-wvg
run --json check --insz 88.08.08-626.68 --app ama-wvg --hco 1100234
run_expect 1 check --insz "$NOBODY" --app ama-wvg
run_expect 1 --lang nl check --insz "$USER1" --app ama-wvg --hco 1100235

step "The rules refuse what the manual does not allow, and say who can fix it"
echo "# A user who is not an access manager tries to add a colleague:"
run_expect 3 user add --hco 1100234 --insz "$NOBODY" --app ama-wvg --by "$USER1"
echo "# An OCMW may carry e-loket AMA WVG only on its 009/010 facility (manual 1.1):"
run htb appoint --kbo "$OCMW" --insz "$OCMW_WV" --by "$OCMW_WV"
run hoedanigheid activate --kbo "$OCMW" --by "$OCMW_WV"
run_expect 3 subafdeling create --kbo "$OCMW" --hco 2200102 --email ocmw@zonnedorp.example \
  --app ama-wvg --by "$OCMW_WV"
echo "# A stopped enterprise cannot appoint anyone:"
run_expect 3 htb appoint --kbo 0812.345.603 --insz "$NOBODY" --by "$NOBODY"

step "Asking first: may the co-TB revoke Jonas's right? (changes nothing)"
run may --action user.revoke --hco 1100234 --insz "$USER2" --app ama-wvg --by "$COTB"

step "Revoking takes effect at once"
run user revoke --hco 1100234 --insz "$USER2" --app ama-wvg --by "$COTB"
run_expect 1 check --insz "$USER2" --app ama-wvg
echo "# What a removal would take with it, stated before anything happens:"
run_expect_text 0 may --action subafdeling.remove --hco 1100234 --by "$COTB" -- \
  "subafdeling.remove would also:" "revoke 1 right:" "remove 2 users:"
echo "# A refusal in Dutch: the code's meaning and remedy, then the particulars:"
run_expect_text 3 --lang nl user add --hco 1100234 --insz "$NOBODY" --app ama-wvg --by "$USER1" -- \
  "U mag deze wijziging niet uitvoeren" "details:"

step "The helpdesk: why can't they log in, and who can fix it? (manual 2.1, 3.8)"
run_expect 1 --lang nl explain --insz "$USER2" --app ama-wvg
run_expect 1 explain --insz "$USER1" --app ama-wvg --hco 1100235
echo "# Allowed: the chain, then what to check if logging in still fails (manual 1.3, 3.8):"
run_expect_text 0 explain --insz "$USER1" --app ama-wvg -- \
  "Chain:" "Logging in still fails?" "Use Google Chrome" \
  "every working day from 7:00 to 20:00" "0412.345.614" "1100234"

step "The helpdesk: one person's whole picture (who --insz)"
run_expect_text 0 who --insz "$USER1" -- \
  "Memberships:" "ama-wvg    allowed through HCO 1100234" "Decisions:"
echo "# Every command explains itself:"
run_expect_text 0 who --help -- "usage: toegang who" "Examples:"

step "The helpdesk: who is the HTB / TB of the enterprise?"
run who --kbo "$KBO"
run managed-by --insz "$COTB"
run users --hco 1100234 --app ama-wvg
run graph --kbo "$KBO" > "$out/broeders.dot"
echo "(the delegation graph in GraphViz DOT: $out/broeders.dot; render it with: dot -Tsvg $out/broeders.dot)"

step "The KBO, as published: the monthly full extract, then a daily update"
echo "# The full extract lists the active enterprises (the stopped one is absent):"
run import kbo-open-data "$data/KboOpenData_0140_2026_12_Full"
echo "# The next day's update extract, as downloaded (a zip), deletes Broeders van Bijstand."
echo "# First the dry run: what would change, and who would lose access (nothing written):"
update_zip="$(cd "$out" && pwd)/KboOpenData_0141_2026_12_Update.zip"
rm -f "$update_zip"
(cd "$data/KboOpenData_0141_2026_12_Update" && python3 -m zipfile -c "$update_zip" ./*.csv)
run_expect_text 0 import kbo-open-data "$update_zip" --dry-run -- \
  "1 enterprises stopped" "impact on ama-wvg: 1 persons lose access" \
  "losing: 75.11.30-***.**" "nothing was written"
run_expect_text 0 check --insz "$USER1" --app ama-wvg -- "ALLOWED"
echo "# Applied: the enterprise stops, and with it every access it gave:"
run_expect_text 0 import kbo-open-data "$update_zip" -- \
  "update extract 141" "1 enterprises stopped" "impact on ama-wvg: 1 persons lose access"
run_expect_text 1 check --insz "$USER1" --app ama-wvg -- "DENIED"
echo "# The helpdesk sees why: the enterprise is stopped in the KBO:"
run_expect_text 1 explain --insz "$USER1" --app ama-wvg -- \
  "Reason: enterprise_inactive" "is stopped in the KBO"
echo "# Applying the same extract again changes nothing:"
run_expect_text 0 import kbo-open-data "$update_zip" -- "was applied before: nothing to do"
echo "# The next day's update lists the enterprise again: its users are allowed again."
run_expect_text 0 import kbo-open-data "$data/KboOpenData_0142_2026_12_Update" -- \
  "update extract 142" "0 enterprises stopped, 1 active again" \
  "impact on ama-wvg: 0 persons lose access, 1 gain"
run_expect_text 0 check --insz "$USER1" --app ama-wvg -- "ALLOWED"

step "The audit log of the enterprise, and a consistency check"
run audit --kbo "$KBO"
run verify
run stats
echo
echo "The demo database is $TOEGANG_DB; try: TOEGANG_DB=$TOEGANG_DB $toegang --help"
echo "The helpdesk's web page (docs/helpdesk.md): run"
echo "  $toegang --db $TOEGANG_DB serve --listen 127.0.0.1:8089 --admin-listen 127.0.0.1:8090"
echo "and open http://127.0.0.1:8090/ (search 75.11.30-517.41, Lotte Aerts)"
