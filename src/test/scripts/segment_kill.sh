#!/usr/bin/env bash
# Kill -9 UNet3+ Segment Files (once right after a probability map is written, then at 5+ random
# moments), resuming each time with skip_existing=true: the output folder must only ever hold complete
# files equal to an uninterrupted run's (or lack them), and a rerun with skip_existing=true must end
# byte-identical to the uninterrupted run (so segmentation must be deterministic). Two concurrent runs
# into one folder (they make the reference): one is refused with the lock message, the other
# finishes. A lock left by a killed run blocks nothing.
#
#   src/test/scripts/segment_kill.sh            (seed 7; KILL_SEED=n for other kill moments)
#
# Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
# Runs the launcher's main class (the one ./unet3p starts) on target/classes. The JUnit wrapper
# SegmentKillScriptTest passes its class path in UNET3P_TEST_CLASSPATH; by hand the script compiles
# the project (mvn -o test-compile) and writes target/segment-kill-classpath.txt.
# 40-100 s on 2 busy cores (12 short JVMs).
set -uo pipefail
# NB: one PyTorch intra-op thread, as in kill_resume.sh: the byte-for-byte comparisons need
# process-to-process reproducibility, which PyTorch's CPU kernels promise only on one thread.
export OMP_NUM_THREADS=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
RANDOM="${KILL_SEED:-7}"
work="$(mktemp -d "${TMPDIR:-/tmp}/unet3p-segkill.XXXXXX")"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
passed=0
failed=0
t_start=$(date +%s%N)
say() { printf '%s\n' "$*"; }
pass() { passed=$((passed + 1)); say "PASS  $*"; }
fail() { failed=$((failed + 1)); say "FAIL  $*"; }
now_tenths() { echo $(( ($(date +%s%N) - t_start) / 100000000 )); }

# ---- class path: the test run's, or compile by hand ---------------------------------------------------
if [ -n "${UNET3P_TEST_CLASSPATH:-}" ]; then
	cp="$UNET3P_TEST_CLASSPATH"
else
	(cd "$root" && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/segment-kill-classpath.txt) >/dev/null ||
		{ say "FAIL  cannot compile the project"; exit 1; }
	cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/segment-kill-classpath.txt")"
fi
jvm() { exec java -Dai.djl.offline=true -Djava.awt.headless=true -Xmx1g -cp "$cp" "$@"; }
run() { (jvm io.github.unet3p.fiji.launcher.Launcher --headless --run "$@"); }
# Starts Segment Files in the background with extra keys $2 into folder $1, log $3; sets $pid (the
# JVM itself: the subshell execs java).
start_segment() {
	(jvm io.github.unet3p.fiji.launcher.Launcher --headless --run "UNet3+ Segment Files" \
		"model='$work/model',input='$work/lits',output='$1',probabilities=true$2" >"$3" 2>&1) &
	pid=$!
	pids+=("$pid")
}
lock_name=".unet3p.lock"

# Checks that every file in folder $1 is complete and equal to the reference's file of that name;
# hidden files may only be the lock file and AtomicFiles' temporary .<name>.<n>.part files.
# Prints a summary; returns 1 on any bad file.
check_partial() {
	local dir=$1 f n complete=0 parts=0 lock=0 bad=""
	for f in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$f" ] || continue
		n=$(basename "$f")
		if [ "$n" = "$lock_name" ]; then lock=1
		elif [[ "$n" =~ ^\.(.+)\.[0-9]+\.part$ ]] && [ -f "$work/ref/${BASH_REMATCH[1]}" ]; then parts=$((parts + 1))
		elif [ ! -f "$work/ref/$n" ]; then bad="$bad unexpected:$n"
		elif ! gzip -t "$f" 2>/dev/null; then bad="$bad torn:$n"
		elif ! cmp -s "$f" "$work/ref/$n"; then bad="$bad differs:$n"
		else complete=$((complete + 1)); fi
	done
	echo "$complete of $ref_count complete file(s), $parts temporary file(s), lock file $([ "$lock" -eq 1 ] && echo left || echo absent)${bad:+; BAD:$bad}"
	[ -z "$bad" ]
}
labels_done() { local c=0 f; for f in "$1"/segmentation-*.nii.gz; do [[ "$f" == *-prob-* ]] || { [ -e "$f" ] && c=$((c + 1)); }; done; echo "$c"; }

# ---- data: 6 synthetic CTs (64 px, 8 slices) and an untrained tiny model (32 px, 2 filters) -----------
say "work folder: $work (seed ${KILL_SEED:-7})"
run "UNet3+ Synthetic CT" "output='$work/data',count=6,size=64,slices=8,seed=5" >"$work/synth.log" 2>&1 || { fail "synthetic data: $(tail -2 "$work/synth.log")"; exit 1; }
mkdir -p "$work/lits" && mv "$work"/data/volume-*.nii.gz "$work/lits/"
(jvm io.github.unet3p.reliability.TinyModel "$work/model" 2 32) >"$work/model.log" 2>&1 || { fail "tiny model: $(tail -2 "$work/model.log")"; exit 1; }

# ---- the uninterrupted reference, and a second run into the same folder while the first holds its ----
# ---- lock: the second is refused by the lock; the first's segmenting time sets the kill window -------
# NB: the second run starts only once the first holds the lock, and the first is stopped (SIGSTOP)
# until the second has exited: two runs merely started together need not overlap (with ONNX Runtime
# the first finished these tiny volumes before the second JVM was up, and the second then met the
# finished outputs instead of the lock: seen in a CI rehearsal, 2026-12-08).
start_segment "$work/ref" "" "$work/ref1.log"; p1=$pid
t_lock=""
while kill -0 "$p1" 2>/dev/null && [ -z "$t_lock" ]; do
	grep -qsE "process $p1," "$work/ref/$lock_name" && t_lock=$(now_tenths)
	sleep 0.05
done
paused=0
if [ -n "$t_lock" ] && kill -STOP "$p1" 2>/dev/null; then
	t_pause=$(now_tenths)
	start_segment "$work/ref" "" "$work/ref2.log"; p2=$pid
	s2=0; wait "$p2" || s2=$?
	kill -CONT "$p1"
	paused=$(( $(now_tenths) - t_pause ))
else s2=-1; : >"$work/ref2.log"; fi
s1=0; wait "$p1" || s1=$?
t_end=$(( $(now_tenths) - paused ))
if [ "$s1" -eq 0 ] && [ "$s2" -eq 1 ]; then loser="$work/ref2.log"; elif [ "$s1" -eq 1 ] && [ "$s2" -eq 0 ]; then loser="$work/ref1.log"; else loser=""; fi
if [ -n "$loser" ] && grep -q "Another UNet3+ run is writing into $work/ref" "$loser" && ! grep -q $'\tat ' "$loser" &&
	[ "$(grep -c 'ERROR' "$loser")" -eq 1 ]; then
	pass "two concurrent runs into one folder: one exits 1 with '$(grep -o 'Another UNet3+ run[^;]*' "$loser" | head -1)', the other exits 0"
else fail "two concurrent runs: exit $s1 and $s2 (want 0 and 1 with the lock message): $(grep -h 'ERROR' "$work/ref1.log" "$work/ref2.log" | head -2)"; fi
seg_tenths=$(( t_end - ${t_lock:-$t_end} ))
[ "$seg_tenths" -ge 5 ] || seg_tenths=5
ref_count=$(ls "$work/ref" | wc -l)
bad_gzip=""
for f in "$work"/ref/*; do gzip -t "$f" 2>/dev/null || bad_gzip="$bad_gzip $(basename "$f")"; done
if [ "$ref_count" -eq 18 ] && [ -z "$(ls -A "$work/ref" | grep '^\.')" ] && [ -z "$bad_gzip" ]; then
	pass "reference (the run that got the lock): 6 volumes -> 18 valid .nii.gz (labels + 2 probability maps each), no hidden file left, segmenting took $((seg_tenths / 10)).$((seg_tenths % 10)) s"
else fail "reference run left: $(ls -A "$work/ref" | tr '\n' ' ')${bad_gzip:+; not gzip:$bad_gzip}"; [ "$ref_count" -gt 0 ] || exit 1; fi

# ---- the first kill is aimed between a volume's probability maps and its label file --------------------
kills=0
chain=1
out="$work/out$chain"
start_segment "$out" ",skip_existing=true" "$work/aimed.log"
aimed=""
for _ in $(seq 1 3000); do
	for f in "$out"/segmentation-*-prob-0.nii.gz; do
		[ -e "$f" ] && [ ! -e "${f%-prob-0.nii.gz}.nii.gz" ] && aimed=$f && break
	done
	[ -n "$aimed" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.01
done
if [ -n "$aimed" ] && kill -9 "$pid" 2>/dev/null; then
	wait "$pid" 2>/dev/null
	kills=$((kills + 1))
	orphans=0
	for f in "$out"/segmentation-*-prob-*.nii.gz; do
		[ -e "$f" ] && [ ! -e "${f%-prob-*}.nii.gz" ] && orphans=$((orphans + 1))
	done
	if summary=$(check_partial "$out"); then pass "kill $kills, aimed after $(basename "$aimed") was written: $summary; $orphans probability map(s) without their label file"; else
		fail "kill $kills, aimed after $(basename "$aimed"): $summary"; fi
else
	wait "$pid" 2>/dev/null
	say "      the aimed kill found no probability map without its label file in time; not counted"
fi

# ---- then kill -9 at random moments; every killed run resumes the same folder with skip_existing=true ---
# A kill lands a random time after the run took the lock (model loaded, segmenting begins), within
# half the reference's segmenting time (measured beside the refused run) scaled to the volumes still
# missing. A folder that got complete is checked and a new one started, until 6 kills have landed.
attempts=0
stale_checked=0
while [ "$kills" -lt 6 ] && [ "$attempts" -lt 12 ]; do
	attempts=$((attempts + 1))
	missing=$(( 6 - $(labels_done "$out") ))
	stale=0
	[ -e "$out/$lock_name" ] && stale=1
	start_segment "$out" ",skip_existing=true" "$work/kill$attempts.log"
	for _ in $(seq 1 1200); do grep -qs "process $pid," "$out/$lock_name" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	window=$(( seg_tenths * missing * 5 / 60 ))
	[ "$window" -ge 2 ] || window=2
	tenths=$(( RANDOM % window ))
	sleep "$((tenths / 10)).$((tenths % 10))"
	if kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null
		kills=$((kills + 1))
		if [ "$stale" -eq 1 ]; then
			stale_checked=$((stale_checked + 1))
			if grep -q "Another UNet3+ run" "$work/kill$attempts.log"; then fail "kill $kills: the lock file left by the previous kill -9 blocked this run"; fi
		fi
		if summary=$(check_partial "$out"); then pass "kill $kills (folder $chain, ${tenths}00 ms into segmenting, $missing volume(s) to go): $summary"; else
			fail "kill $kills (folder $chain): $summary"; fi
		continue
	fi
	st=0
	wait "$pid" || st=$?
	say "      run $attempts finished (exit $st) before the kill at ${tenths}00 ms; folder $chain is complete"
	if [ "$st" -eq 0 ] && diff -r "$work/ref" "$out" >/dev/null; then pass "folder $chain, completed by a skip_existing run, equals the reference"; else
		fail "folder $chain after a completed run (exit $st): $(diff -rq "$work/ref" "$out" | head -3 | tr '\n' ' ') $(grep ERROR "$work/kill$attempts.log" | head -1)"; fi
	chain=$((chain + 1))
	out="$work/out$chain"
done
if [ "$kills" -ge 6 ]; then pass "$kills runs were killed with kill -9 while segmenting ($((attempts + 1)) runs started)"; else
	fail "only $kills kills landed in $((attempts + 1)) runs (segmenting window $((seg_tenths / 10)).$((seg_tenths % 10)) s)"; fi
if [ "$stale_checked" -ge 1 ]; then pass "$stale_checked run(s) started beside a lock file left by kill -9 and were not blocked"; else
	fail "no run started beside a lock file left by a kill (cannot tell whether stale locks block)"; fi

# ---- the rerun with skip_existing=true finishes the last folder, equal to the reference -----------------
if [ -d "$out" ]; then
	before=$(labels_done "$out")
	st=0
	run "UNet3+ Segment Files" "model='$work/model',input='$work/lits',output='$out',probabilities=true,skip_existing=true" >"$work/final.log" 2>&1 || st=$?
	skipped=$(grep -c "Skipped volume-" "$work/final.log")
	if [ "$st" -eq 0 ] && [ "$skipped" -eq "$before" ] && diff -r "$work/ref" "$out" >/dev/null; then
		pass "rerun with skip_existing=true: skipped $skipped finished volume(s), wrote the rest; folder $chain equals the reference byte for byte, no temporary or lock file left"
	else fail "rerun with skip_existing=true: exit $st, skipped $skipped (want $before): $(diff -rq "$work/ref" "$out" | head -3 | tr '\n' ' ') $(grep ERROR "$work/final.log" | head -1)"; fi
fi

t=$(now_tenths)
say "$passed passed, $failed failed ($kills kills, $((t / 10)).$((t % 10)) s)"
[ "$failed" -eq 0 ]
