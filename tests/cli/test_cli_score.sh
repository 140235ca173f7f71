#!/usr/bin/env bash
# `scorelab score` (the field at given points, x,y,sx,sy) and train.sigma end to end: the exact score
# of a single Gaussian against its formula at the default (clean), --sigma and --t levels; a model
# trained at sigma = 0 (and one at 0.5) queried at the level it was trained at by default; every
# refusal: exit != 0, one line on stderr, no output file.
# Usage: test_cli_score.sh <scorelab binary> <source dir>
set -uo pipefail
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

# One Gaussian N((1, -2), diag(0.5, 2)): at noise s its score is (-(x-1)/(0.5+s²), -(y+2)/(2+s²)).
scene=$tmp/gauss.json
cat >"$scene" <<'JSON'
{"version": 1,
 "data": {"kind": "mixture", "weights": [1], "means": [[1, -2]], "covs": [[[0.5, 0], [0, 2]]], "count": 2000},
 "noise": {"kind": "geometric", "sigma_max": 8, "sigma_min": 0.5, "levels": 6},
 "train": {"objective": "ssm_vr", "sigma": 0, "steps": 40, "batch": 64},
 "model": {"hidden": [16, 16]}}
JSON
printf 'x,y\n0,0\n1.5,-3.25\n-2,4\n1,-2\n' >"$tmp/p.csv"

# check_field <csv> <s²>: header, 4 rows, the points echoed, the score within 1e-12 relative.
check_field() {
  local csv=$1 s2=$2
  [[ $(head -1 "$csv") == "x,y,sx,sy" ]] || fail "$csv: header is $(head -1 "$csv")"
  [[ $(wc -l <"$csv") -eq 5 ]] || fail "$csv: expected 4 rows"
  diff <(cut -d, -f1,2 "$csv" | tail -4) <(tail -4 "$tmp/p.csv") >/dev/null || fail "$csv: points not echoed"
  awk -F, -v s2="$s2" 'NR>1 { ex = -($1-1)/(0.5+s2); ey = -($2+2)/(2+s2)
       if (($3-ex)^2 + ($4-ey)^2 > 1e-24 * (1 + ex*ex + ey*ey)) { print "row " NR ": " $3 "," $4 " vs " ex "," ey; bad=1 } }
       END { exit bad }' "$csv" || fail "$csv: the score differs from the formula at s^2 = $s2"
}

"$bin" score --scene "$scene" --exact --points "$tmp/p.csv" --out "$tmp/clean.csv" 2>"$tmp/err" ||
  fail "score --exact exited non-zero: $(cat "$tmp/err")"
check_field "$tmp/clean.csv" 0  # default for a density: the clean data
"$bin" score --scene "$scene" --exact --points "$tmp/p.csv" --sigma 1 --out "$tmp/s1.csv" 2>/dev/null
check_field "$tmp/s1.csv" 1
"$bin" score --scene "$scene" --exact --points "$tmp/p.csv" --t 0 --out "$tmp/t0.csv" 2>/dev/null
check_field "$tmp/t0.csv" 0.25  # geometric → VE: s(0) = sigma_min = 0.5
[[ $failures -eq 0 ]] && ok "score --exact matches the Gaussian's score at s = 0, --sigma 1, --t 0"

# --- a model trained at sigma = 0 records it and is queried there by default ----------------------
"$bin" train --scene "$scene" --seed 2 --out "$tmp/m0.json" 2>"$tmp/err" || fail "train at sigma 0: $(cat "$tmp/err")"
grep -o '"train":{[^}]*}' "$tmp/m0.json" | grep -q '"sigma":0' || fail "the model does not record train.sigma = 0"
"$bin" score --scene "$scene" --model "$tmp/m0.json" --points "$tmp/p.csv" --out "$tmp/m0.csv" 2>"$tmp/err" ||
  fail "score --model exited non-zero: $(cat "$tmp/err")"
grep -q "s = 0 ->" "$tmp/err" || fail "score --model should default to the trained level s = 0: $(cat "$tmp/err")"
"$bin" score --scene "$scene" --model "$tmp/m0.json" --points "$tmp/p.csv" --sigma 0 --out "$tmp/m0b.csv" 2>/dev/null
cmp -s "$tmp/m0.csv" "$tmp/m0b.csv" || fail "the default level differs from --sigma 0 for a model trained at 0"
awk -F, 'NR>1 && !($3 == $3+0 && $4 == $4+0 && $3*$3 < 1e12 && $4*$4 < 1e12) {exit 1}' "$tmp/m0.csv" ||
  fail "the sigma = 0 model gives non-finite or absurd scores"
[[ $(wc -l <"$tmp/m0.csv") -eq 5 ]] || fail "score --model should write 4 rows"
# Plain Langevin with it follows the level it was trained at (s = 0, output scale 1): finite samples.
"$bin" sample --scene "$scene" --model "$tmp/m0.json" --sampler langevin --particles 200 --out "$tmp/lv.csv" 2>/dev/null ||
  fail "sample --sampler langevin with the sigma = 0 model exited non-zero"
sed 's/"objective": "ssm_vr", "sigma": 0/"objective": "dsm", "sigma": 0.5/' "$scene" >"$tmp/dsm.json"
"$bin" train --scene "$tmp/dsm.json" --out "$tmp/m5.json" 2>/dev/null || fail "train dsm at 0.5 exited non-zero"
"$bin" score --scene "$tmp/dsm.json" --model "$tmp/m5.json" --points "$tmp/p.csv" --out "$tmp/m5.csv" 2>"$tmp/err"
grep -q "s = 0.5 ->" "$tmp/err" || fail "a dsm model at 0.5 should be queried at s = 0.5: $(cat "$tmp/err")"
[[ $failures -eq 0 ]] && ok "score --model: trained at sigma 0 and 0.5, queried at that level by default"
for preset in sliced_clean_score dsm_noised_score; do  # the lecture presets train as they are
  "$bin" train --scene "$2/assets/scenes/$preset.json" --steps 20 --out "$tmp/$preset.json" 2>"$tmp/err" ||
    fail "$preset does not train: $(cat "$tmp/err")"
done

# --- refusals -----------------------------------------------------------------------------------------
printf 'x,y\n0,0\n1\n' >"$tmp/bad.csv"
mkdir -p "$tmp/adir"
echo '{"version": 1, "data": {"kind": "points", "file": "pts.csv"}, "train": {"objective": "ism", "sigma": 0}}' >"$tmp/pts.json"
cp "$tmp/p.csv" "$tmp/pts.csv"
sed 's/"sigma": 0,/"sigma": 0, "objective": "dsm",/; s/"objective": "ssm_vr", //' "$scene" >"$tmp/dsm0.json"
sed 's/"objective": "ssm_vr", //' "$scene" >"$tmp/ncsn.json"
sed 's/"sigma_min": 0.5/"sigma_min": 0.25/' "$scene" >"$tmp/other.json"
expect_error "no score source" "--exact" "$tmp/e1.csv" -- score --scene "$scene" --points "$tmp/p.csv" --out "$tmp/e1.csv"
expect_error "--sigma with --t" "--t" "$tmp/e2.csv" -- score --scene "$scene" --exact --points "$tmp/p.csv" --sigma 1 --t 0.5 --out "$tmp/e2.csv"
expect_error "negative --sigma" "--sigma" "$tmp/e3.csv" -- score --scene "$scene" --exact --points "$tmp/p.csv" --sigma -1 --out "$tmp/e3.csv"
expect_error "--t beyond 1" "--t" "$tmp/e4.csv" -- score --scene "$scene" --exact --points "$tmp/p.csv" --t 2 --out "$tmp/e4.csv"
expect_error "missing points" "--points" "$tmp/e5.csv" -- score --scene "$scene" --exact --points "$tmp/none.csv" --out "$tmp/e5.csv"
expect_error "malformed points" "bad.csv:3" "$tmp/e6.csv" -- score --scene "$scene" --exact --points "$tmp/bad.csv" --out "$tmp/e6.csv"
expect_error "missing output folder" "does not exist" "$tmp/no/e7.csv" -- score --scene "$scene" --exact --points "$tmp/p.csv" --out "$tmp/no/e7.csv"
expect_error "output is a folder" "is a directory" "$tmp/adir/x" -- score --scene "$scene" --exact --points "$tmp/p.csv" --out "$tmp/adir"
expect_error "point set at noise 0" "sum of spikes" "$tmp/e9.csv" -- score --scene "$tmp/pts.json" --exact --points "$tmp/p.csv" --sigma 0 --out "$tmp/e9.csv"
expect_error "model of another schedule" "trained with noise" "$tmp/e10.csv" -- score --scene "$tmp/other.json" --model "$tmp/m0.json" --points "$tmp/p.csv" --out "$tmp/e10.csv"
expect_error "train: sigma 0 on points" "scene.train.sigma: 0 needs data with a density" "$tmp/e11.json" -- train --scene "$tmp/pts.json" --out "$tmp/e11.json"
expect_error "train: dsm at sigma 0" "scene.train.sigma: dsm needs sigma > 0" "$tmp/e12.json" -- train --scene "$tmp/dsm0.json" --out "$tmp/e12.json"
expect_error "train: ncsn with sigma" "scene.train.sigma: ncsn trains at every" "$tmp/e13.json" -- train --scene "$tmp/ncsn.json" --out "$tmp/e13.json"

# Far out (issue 17): at (1e300, -1e300) the score is still -(x-1)/0.5, -(y+2)/2, not NaN; where even
# that overflows double, the point is named and nothing is written.
printf 'x,y\n1e300,-1e300\n' >"$tmp/far.csv"
"$bin" score --scene "$scene" --exact --points "$tmp/far.csv" --out "$tmp/far_s.csv" 2>"$tmp/err" || fail "score at 1e300: $(cat "$tmp/err")"
awk -F, 'NR==2 { exit !($3 > -2.0001e300 && $3 < -1.9999e300 && $4 > 4.9999e299 && $4 < 5.0001e299) }' "$tmp/far_s.csv" &&
  ok "score at (1e300, -1e300) is finite and exact" || fail "score at 1e300: $(tail -1 "$tmp/far_s.csv")"
printf 'x,y\n0,0\n1e308,0\n' >"$tmp/over.csv"
expect_error "score beyond double" "the score at point 2 (1e+308, 0) is not finite" "$tmp/e14.csv" -- score --scene "$scene" --exact --points "$tmp/over.csv" --out "$tmp/e14.csv"

finish "score / train.sigma CLI test passed"
