#!/usr/bin/env bash
# End-to-end CLI contract (DESIGN.md): `sample` and `nll` with --exact work and give sensible numbers;
# bad scenes, files and flags give exit != 0, one clear line on stderr, and no output file.
# Usage: test_cli.sh <scorelab binary> <source dir>
set -uo pipefail
bin=$1
src=$2
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

scene=$src/assets/scenes/default.json  # 8gaussians, VP

# --- sample: the right number of finite rows, deterministic for a seed --------------------------
"$bin" sample --scene "$scene" --exact --sampler em --particles 3000 --seed 4 --out "$tmp/a.csv" \
  --trajectory "$tmp/traj.csv" 2>/dev/null || fail "sample exited non-zero"
[[ $(head -1 "$tmp/a.csv") == "x,y" ]] || fail "samples.csv header"
[[ $(wc -l <"$tmp/a.csv") -eq 3001 ]] || fail "samples.csv should have 3000 rows"
[[ $(head -1 "$tmp/traj.csv") == "step,particle,x,y" ]] || fail "trajectory header"
last_frame=$(tail -1 "$tmp/traj.csv" | cut -d, -f1)
[[ "$last_frame" == "$(awk -F, 'NR>1{s=$1} END{print s}' "$tmp/traj.csv")" ]] || fail "trajectory last step"
# The final trajectory frame is the sample set itself.
diff <(tail -3000 "$tmp/traj.csv" | cut -d, -f3,4) <(tail -3000 "$tmp/a.csv") >/dev/null ||
  fail "last trajectory frame differs from the samples"
"$bin" sample --scene "$scene" --exact --sampler em --particles 3000 --seed 4 --out "$tmp/b.csv" 2>/dev/null
cmp -s "$tmp/a.csv" "$tmp/b.csv" || fail "same seed gave different samples"
"$bin" sample --scene "$scene" --exact --sampler em --particles 3000 --seed 5 --out "$tmp/c.csv" 2>/dev/null
cmp -s "$tmp/a.csv" "$tmp/c.csv" && fail "different seeds gave the same samples"
# 8gaussians sits on a circle of radius 4/1.414 = 2.83 (component sd 0.35): mean radius within 0.05.
awk -F, 'NR>1{r+=sqrt($1*$1+$2*$2); n++} END{m=r/n; exit !(m>2.78 && m<2.88)}' "$tmp/a.csv" ||
  fail "sampled radius is off: $(awk -F, 'NR>1{r+=sqrt($1*$1+$2*$2); n++} END{print r/n}' "$tmp/a.csv")"

# --- nll: one row per point; mean over true samples ≈ the entropy 2.831 ---------------------------
"$bin" nll --scene "$scene" --exact --points "$tmp/a.csv" --out "$tmp/nll.csv" 2>/dev/null || fail "nll exited non-zero"
[[ $(head -1 "$tmp/nll.csv") == "nll" ]] || fail "nll.csv header"
[[ $(wc -l <"$tmp/nll.csv") -eq 3001 ]] || fail "nll.csv should have 3000 rows"
# Standard error of the mean NLL at n = 3000 is about 1/sqrt(3000) = 0.018 nats; allow 0.1.
awk 'NR>1{s+=$1; n++} END{m=s/n; exit !(m>2.73 && m<2.93)}' "$tmp/nll.csv" ||
  fail "mean NLL is off: $(awk 'NR>1{s+=$1; n++} END{print s/n}' "$tmp/nll.csv")"

# --- train, then sample and nll with the model --------------------------------------------------------
ncsn=$src/assets/scenes/ncsn_annealed.json
"$bin" train --scene "$ncsn" --steps 300 --seed 1 --out "$tmp/model.json" 2>"$tmp/train.err" ||
  fail "train exited non-zero: $(cat "$tmp/train.err")"
grep -q '"format": *"scorelab-model"' "$tmp/model.json" || fail "model file lacks its format tag"
grep -q "300/300" "$tmp/train.err" || fail "train did not report progress as plain lines off a terminal"
"$bin" sample --scene "$ncsn" --model "$tmp/model.json" --particles 500 --out "$tmp/m.csv" 2>/dev/null ||
  fail "sample --model exited non-zero"
[[ $(wc -l <"$tmp/m.csv") -eq 501 ]] || fail "sample --model should write 500 rows"
"$bin" nll --scene "$ncsn" --model "$tmp/model.json" --points "$tmp/m.csv" --steps 20 --out "$tmp/mnll.csv" 2>/dev/null ||
  fail "nll --model exited non-zero"
[[ $(wc -l <"$tmp/mnll.csv") -eq 501 ]] || fail "nll --model should write 500 rows"
# Plain Langevin at σ = 0 with a network: run at the smallest level it learned (σ_min = 1), say so, stay finite.
"$bin" sample --scene "$ncsn" --model "$tmp/model.json" --sampler langevin --sigma 0 --steps 200 --particles 500 \
  --out "$tmp/l0.csv" 2>"$tmp/l0.err" || fail "langevin sigma 0 with a network exited non-zero: $(cat "$tmp/l0.err")"
grep -q "note: Langevin ran at sigma = 1, the smallest level the network learned" "$tmp/l0.err" ||
  fail "langevin sigma 0: no note of the level that ran: $(cat "$tmp/l0.err")"
awk -F, 'NR>1 && !($1+0==$1 && $2+0==$2 && $1<1e6 && $1>-1e6){exit 1}' "$tmp/l0.csv" || fail "langevin sigma 0: non-finite rows"
# DDPM and PC at step counts where β(t)·h ≥ 1 (N ≤ 19): finite, exact discrete steps.
for n in 1 2 5 10 19; do
  for s in ddpm pc; do
    "$bin" sample --scene "$scene" --exact --sampler $s --steps $n --particles 500 --out "$tmp/few.csv" 2>"$tmp/few.err" ||
      fail "$s with $n steps exited non-zero: $(cat "$tmp/few.err")"
  done
done
head -c 200 "$tmp/model.json" >"$tmp/truncated.json"
expect_error "truncated model" "truncated.json" "$tmp/o16.csv" -- sample --scene "$ncsn" --model "$tmp/truncated.json" --out "$tmp/o16.csv"
expect_error "model of another schedule" "trained with noise" "$tmp/o17.csv" -- sample --scene "$scene" --model "$tmp/model.json" --out "$tmp/o17.csv"
expect_error "train without --out" "--out" "$tmp/none" -- train --scene "$ncsn"
# Far-away points: exact where double can hold the density (NLL ≈ ‖x‖²/(2·0.125) = 8e28 at (1e14, 1e14)),
# a clear line where it cannot.
printf 'x,y\n1e14,1e14\n' >"$tmp/far.csv"
"$bin" nll --scene "$scene" --exact --points "$tmp/far.csv" --out "$tmp/far_nll.csv" 2>/dev/null || fail "nll at 1e14 exited non-zero"
awk 'NR==2{exit !($1 > 7.9e28 && $1 < 8.1e28)}' "$tmp/far_nll.csv" || fail "nll at (1e14, 1e14) is $(tail -1 "$tmp/far_nll.csv"), not ~8e28"
printf 'x,y\n0,0\n1e300,1e300\n' >"$tmp/overflow.csv"
expect_error "nll out of double range" "point 2 (1e+300, 1e+300) is not finite" "$tmp/o18.csv" -- nll --scene "$scene" --exact --points "$tmp/overflow.csv" --out "$tmp/o18.csv"

# --- errors ---------------------------------------------------------------------------------------
echo '{"version": 1, "data": {"kind": "toy", "name": "moons"}, "sampler": {"eps": -1}}' >"$tmp/bad_eps.json"
echo '{"version": 1, "data": {"kind": "toy", "name": "moons"}, "noise": {"kind": "vp", "beta_max": "twenty"}}' >"$tmp/bad_type.json"
echo '{"version": 1, "data": {"kind": "toy", "name": "moons"}, "sampler": {"stepz": 3}}' >"$tmp/typo.json"
printf '{"version": 1,\n "data": {"kind": "toy" "name": "moons"}}' >"$tmp/syntax.json"
echo '{"version": 1, "data": {"kind": "points", "file": "missing.csv"}}' >"$tmp/points.json"
printf 'x,y\n1,2\n3\n' >"$tmp/bad_points.csv"
expect_error "out-of-range value" "scene.sampler.eps" "$tmp/o1.csv" -- sample --scene "$tmp/bad_eps.json" --exact --out "$tmp/o1.csv"
expect_error "wrong type" "scene.noise.beta_max" "$tmp/o2.csv" -- sample --scene "$tmp/bad_type.json" --exact --out "$tmp/o2.csv"
expect_error "unknown key" "stepz" "$tmp/o3.csv" -- sample --scene "$tmp/typo.json" --exact --out "$tmp/o3.csv"
expect_error "JSON syntax" "line 2" "$tmp/o4.csv" -- sample --scene "$tmp/syntax.json" --exact --out "$tmp/o4.csv"
expect_error "missing points file" "scene.data.file" "$tmp/o5.csv" -- sample --scene "$tmp/points.json" --exact --out "$tmp/o5.csv"
expect_error "missing scene" "--scene" "$tmp/o6.csv" -- sample --scene "$tmp/nope.json" --exact --out "$tmp/o6.csv"
expect_error "no score source" "--exact" "$tmp/o7.csv" -- sample --scene "$scene" --out "$tmp/o7.csv"
expect_error "both score sources" "--exact" "$tmp/o8.csv" -- sample --scene "$scene" --exact --model m.json --out "$tmp/o8.csv"
expect_error "unknown sampler" "--sampler" "$tmp/o9.csv" -- sample --scene "$scene" --exact --sampler magic --out "$tmp/o9.csv"
expect_error "absurd particle count" "--particles" "$tmp/o10.csv" -- sample --scene "$scene" --exact --particles 0 --out "$tmp/o10.csv"
expect_error "not a number" "--seed" "$tmp/o11.csv" -- sample --scene "$scene" --exact --seed abc --out "$tmp/o11.csv"
expect_error "unwritable output" "cannot write" "$tmp/no/dir/o12.csv" -- sample --scene "$scene" --exact --out "$tmp/no/dir/o12.csv"
expect_error "malformed points" "bad_points.csv:3" "$tmp/o13.csv" -- nll --scene "$scene" --exact --points "$tmp/bad_points.csv" --out "$tmp/o13.csv"
expect_error "missing --points" "--points" "$tmp/o14.csv" -- nll --scene "$scene" --exact --out "$tmp/o14.csv"
expect_error "unknown subcommand flag" "--bogus" "$tmp/o15.csv" -- sample --scene "$scene" --exact --bogus --out "$tmp/o15.csv"

# --- conditional sampling (THEORY.md §6) -----------------------------------------------------------
mix=$src/assets/scenes/score_field.json  # three Gaussians at (-2,-1), (2,-1), (0,2)
"$bin" sample --scene "$mix" --exact --sampler pc --steps 200 --particles 1000 --condition class=2,w=1 \
  --out "$tmp/class.csv" 2>/dev/null || fail "sample --condition exited non-zero"
# Every sample of p(x | 2) lies in the upper mode (y > 0.5); plain sampling puts about 80 % elsewhere.
awk -F, 'NR > 1 && $2 < 0.5 { bad++ } END { exit bad > 5 }' "$tmp/class.csv" && ok "class guidance w=1 stays in its mode" \
  || fail "class guidance put samples outside component 2"
"$bin" sample --scene "$mix" --exact --sampler pc --steps 200 --particles 1000 --observe "A=[1,0],y=1.5,sigma=0.2" \
  --out "$tmp/obs.csv" 2>/dev/null || fail "sample --observe exited non-zero"
awk -F, 'NR > 1 { s += $1; n++ } END { m = s / n; exit !(m > 1.0 && m < 2.0) }' "$tmp/obs.csv" \
  && ok "observation guidance: mean x1 near the observed 1.5" || fail "observation guidance mean x1 off"
expect_error "class guidance without a mixture" "needs --exact and mixture data" "$tmp/o16.csv" -- sample --scene "$src/assets/scenes/moons_ddpm.json" --exact --condition class=0 --out "$tmp/o16.csv"
expect_error "class out of range" "class=7" "$tmp/o17.csv" -- sample --scene "$mix" --exact --condition class=7 --out "$tmp/o17.csv"
expect_error "bad observation" "--observe: A=[0,0]: must not be zero" "$tmp/o18.csv" -- sample --scene "$mix" --exact --observe "A=[0,0],y=1" --out "$tmp/o18.csv"
expect_error "conditions on the GPU" "run on the CPU only" "$tmp/o19.csv" -- sample --scene "$mix" --exact --backend gpu --condition class=1 --out "$tmp/o19.csv"
# Classifier-free guidance: `train` on the conditional preset writes a model that keeps its 3 classes, and
# `sample --model --condition` guides it (a short smoke run; the quality bar is tests/core/test_guided_network.cpp).
cfg=$src/assets/scenes/classifier_free_guidance.json
"$bin" train --scene "$cfg" --steps 300 --out "$tmp/cfg_model.json" 2>/dev/null || fail "train (conditional) exited non-zero"
grep -q '"classes":3' "$tmp/cfg_model.json" && ok "a conditional model file records its 3 classes" \
  || fail "the conditional model file lacks \"classes\": 3"
"$bin" sample --scene "$cfg" --model "$tmp/cfg_model.json" --steps 50 --particles 200 --condition class=1,w=2 \
  --out "$tmp/cfg.csv" 2>/dev/null || fail "sample --model --condition (classifier-free) exited non-zero"
[[ $(wc -l <"$tmp/cfg.csv") -eq 201 ]] || fail "classifier-free samples: expected 200 rows"
expect_error "class of a conditional model out of range" "class=5" "$tmp/o19b.csv" -- sample --scene "$cfg" --model "$tmp/cfg_model.json" --condition class=5 --out "$tmp/o19b.csv"

# --- hostile outputs and inputs (issue 17) ----------------------------------------------------------
# A device or FIFO is written through and stays what it was; a symlink is followed, never replaced.
"$bin" sample --scene "$scene" --exact --particles 50 --steps 20 --out /dev/null 2>/dev/null || fail "sample --out /dev/null exited non-zero"
[[ -c /dev/null ]] && ok "--out /dev/null leaves /dev/null a character device" || fail "/dev/null is no longer a device"
expect_error "--out /dev/full" "cannot write /dev/full: No space left on device" "$tmp/o27.csv" -- \
  sample --scene "$scene" --exact --particles 50 --steps 20 --out /dev/full
[[ -c /dev/full ]] && ok "--out /dev/full leaves /dev/full a character device" || fail "/dev/full is no longer a device"
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from_fifo" &
reader=$!
"$bin" sample --scene "$scene" --exact --particles 50 --steps 20 --out "$tmp/fifo" 2>/dev/null || fail "sample --out FIFO exited non-zero"
wait "$reader"
[[ -p "$tmp/fifo" && $(wc -l <"$tmp/from_fifo") -eq 51 ]] && ok "--out FIFO: the reader got 50 rows, the FIFO stays" ||
  fail "FIFO output: $(wc -l <"$tmp/from_fifo") lines"
rm -f "$tmp/fifo" "$tmp/from_fifo"
mkdir "$tmp/real"
ln -s real/linked.csv "$tmp/link.csv"
"$bin" sample --scene "$scene" --exact --particles 50 --steps 20 --out "$tmp/link.csv" 2>/dev/null || fail "sample --out symlink exited non-zero"
[[ -L "$tmp/link.csv" && $(wc -l <"$tmp/real/linked.csv") -eq 51 ]] && ok "--out symlink writes its target, the link stays" ||
  fail "symlink output replaced the link or missed its target"
rm -rf "$tmp/real" "$tmp/link.csv"
mkdir "$tmp/outdir"
expect_error "--out a directory" "is a directory" "$tmp/outdir/x" -- sample --scene "$scene" --exact --out "$tmp/outdir"
rmdir "$tmp/outdir"
expect_error "--out empty" "--out: empty path" "$tmp/o20.csv" -- sample --scene "$scene" --exact --out ""
expect_error "--trajectory empty" "empty path" "$tmp/o20.csv" -- sample --scene "$scene" --exact --out "$tmp/o20.csv" --trajectory ""
# Every output is checked before the work: a bad --trajectory leaves no --out, a bad train --out costs no training.
expect_error "bad --trajectory" "--trajectory: cannot write $tmp/bad/t.csv: folder $tmp/bad does not exist" "$tmp/o21.csv" -- \
  sample --scene "$scene" --exact --particles 50 --out "$tmp/o21.csv" --trajectory "$tmp/bad/t.csv"
start=$SECONDS
expect_error "train --out in a missing folder" "--out: cannot write $tmp/bad/m.json" "$tmp/bad/m.json" -- train --scene "$ncsn" --steps 100000 --out "$tmp/bad/m.json"
[[ $((SECONDS - start)) -le 2 ]] || fail "train --out was checked only after $((SECONDS - start)) s"
expect_error "nll --out in a missing folder" "folder $tmp/bad does not exist" "$tmp/bad/n.csv" -- nll --scene "$scene" --exact --points "$tmp/a.csv" --out "$tmp/bad/n.csv"
# Inputs that would eat memory: deep nesting, /dev/zero, /dev/urandom.
python3 -c "print('[' * 100000 + ']' * 100000)" >"$tmp/deep.json"
expect_error "deeply nested scene" "nesting deeper than 64 levels" "$tmp/o22.csv" -- sample --scene "$tmp/deep.json" --exact --out "$tmp/o22.csv"
expect_error "/dev/zero as a scene" "not a text file" "$tmp/o23.csv" -- sample --scene /dev/zero --exact --out "$tmp/o23.csv"
expect_error "/dev/zero as points" "not a text file" "$tmp/o24.csv" -- nll --scene "$scene" --exact --points /dev/zero --out "$tmp/o24.csv"
expect_error "/dev/urandom as points" "not a text file" "$tmp/o25.csv" -- nll --scene "$scene" --exact --points /dev/urandom --out "$tmp/o25.csv"
# Trajectories stream to the file: 11 frames of 200000 particles (35 MB if kept) add little to the peak memory.
peak_mb() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }
plain=$(peak_mb "$bin" sample --scene "$scene" --exact --sampler em --steps 10 --particles 200000 --out "$tmp/big.csv")
streamed=$(peak_mb "$bin" sample --scene "$scene" --exact --sampler em --steps 10 --particles 200000 --record-every 1 \
  --out "$tmp/big.csv" --trajectory "$tmp/big_traj.csv")
[[ -n "$plain" && -n "$streamed" && $streamed -lt $((plain + 15)) && $(wc -l <"$tmp/big_traj.csv") -eq 2200001 ]] &&
  ok "trajectory streamed: peak $streamed MB vs $plain MB without it" || fail "trajectory peak memory $streamed MB vs $plain MB"
rm -f "$tmp/big.csv" "$tmp/big_traj.csv"
# The GPU path streams its frames too now (issue 17), so it no longer refuses a large trajectory:
# tests/gpu/test_gpu_cli.sh checks its peak memory and that its frames match the CPU's.

finish "CLI contract test passed"
