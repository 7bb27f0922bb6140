#!/usr/bin/env bash
# Kill -9 at random moments, then resume: UNet3+ Train must end bit-identical to an uninterrupted
# run, UNet3+ Preprocess must leave only complete PNGs and finish on a rerun, a second training
# into the same model folder must be refused while the first runs (and allowed once it is killed),
# and a SIGTERM stops a training cleanly after its current batch.
#
#   src/test/scripts/kill_resume.sh            (seed 5; KILL_SEED=n for other kill moments)
#
# Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
# Needs: java 17, maven (offline cache), the project's ./unet3p launcher. 3-5 minutes on 2 busy cores.
set -uo pipefail
# NB: one PyTorch intra-op thread keeps the script short on a busy 2-core machine. Training is
# bitwise reproducible from process to process at any fixed thread count (docs/reliability.md).
export OMP_NUM_THREADS=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
U="$root/unet3p"
RANDOM="${KILL_SEED:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/unet3p-kill.XXXXXX")"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
say() { printf '%s\n' "$*"; }
pass() { passed=$((passed + 1)); say "PASS  $*"; }
fail() { failed=$((failed + 1)); say "FAIL  $*"; }

# ---- build: the launcher's jar and the test classes (for the KillCheck main) ----------------------
"$U" --commands >/dev/null || { say "FAIL  cannot build the launcher"; exit 1; }
check_class="$root/target/test-classes/io/github/unet3p/reliability/KillCheck.class"
if [ ! -f "$check_class" ] || [ -n "$(find "$root/src/test/java" -newer "$check_class" -name '*.java' -print -quit)" ]; then
	(cd "$root" && mvn -B -q -o test-compile) >/dev/null || { say "FAIL  cannot compile the test classes"; exit 1; }
fi
killcheck() {
	java -Dai.djl.offline=true -Xmx2g -cp "$root/target/classes:$root/target/test-classes:$(cat "$root/target/classpath.txt")" \
		io.github.unet3p.reliability.KillCheck "$@" 2>/dev/null
}
run() { "$U" --headless --run "$@"; }

# A random whole number in [$1, $2), drawn from the seeded $RANDOM.
draw() { echo $(($1 + RANDOM % ($2 - $1))); }

# Waits until the running command ($pid) has made $2 units of progress, counted by the command
# $1 ("lines FILE" or "pngs FOLDER"), then a further random 0 to $4 tenths of a second, so that a
# training kill lands anywhere within a step (a batch, a checkpoint write). Kill moments measured in
# progress, not seconds, land mid-run however fast or loaded the machine is. Prints the progress at
# the kill. NB: Preprocess writes PNGs faster than a second's jitter: it is killed at once.
wait_progress() {
	local count=$1 target=$2 path=$3 jitter=$4 now=0
	while kill -0 "$pid" 2>/dev/null; do
		now=$($count "$path")
		[ "$now" -ge "$target" ] && break
		sleep 0.05
	done
	[ "$jitter" -gt 0 ] && sleep "0.$((RANDOM % (jitter + 1)))"
	echo "$now"
}
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
pngs() { find "$1" -name '*.png' 2>/dev/null | wc -l; }

# Starts a command in the background; sets $pid (the JVM: the launcher execs java).
start() {
	local log=$1
	shift
	"$U" --headless --run "$@" >"$log" 2>&1 &
	pid=$!
}

# Kills $pid with SIGKILL if it still runs; returns 0 if it was killed, 1 if it had already ended.
kill9() {
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 0
	fi
	wait "$pid" 2>/dev/null
	return 1
}

# ---- data: 3 synthetic CTs (48 px, 6 slices), 2 for training and 1 for validation, prepared at 32 px --
say "work folder: $work (seed ${KILL_SEED:-5})"
run "UNet3+ Synthetic CT" "output='$work/lits',count=3,size=48,slices=6,seed=5" >/dev/null 2>&1 || { fail "synthetic data"; exit 1; }
mkdir -p "$work/tr" "$work/va"
cp "$work"/lits/*-0.nii.gz "$work"/lits/*-1.nii.gz "$work/tr/"
cp "$work"/lits/*-2.nii.gz "$work/va/"
run "UNet3+ Preprocess" "input='$work/tr',output='$work/train',size=32" >/dev/null 2>&1 &&
	run "UNet3+ Preprocess" "input='$work/va',output='$work/val',size=32" >/dev/null 2>&1 || { fail "preprocess the training data"; exit 1; }

train_keys() { echo "train='$work/train',validation='$work/val',model='$1',backbone=unet3plus,filters=2,epochs=30,batch=4,seed=5$2"; }

# ---- the uninterrupted reference (and that training is reproducible at all) ------------------------
if run "UNet3+ Train" "$(train_keys "$work/ref" "")" >"$work/ref.log" 2>&1; then pass "reference training (30 epochs)"; else
	fail "reference training: $(tail -3 "$work/ref.log")"; exit 1; fi
# Kill moments are counted in batches of the reference run (training/batches.csv, one line per
# batch and a header): a first kill between 10 % and 50 % of the batches, a second one (runs 1 and 3)
# between 55 % and 90 %.
ref_batches=$(($(lines "$work/ref/training/batches.csv") - 1))
run "UNet3+ Train" "$(train_keys "$work/ref2" "")" >"$work/ref2.log" 2>&1
if cmp -s "$work/ref/weights.params" "$work/ref2/weights.params"; then pass "two uninterrupted runs give identical weights"; else
	fail "two uninterrupted runs differ: training itself is not reproducible, so resume cannot be bitwise"; fi

# ---- 5 runs killed at random moments and resumed until done -----------------------------------------
kills=0
for r in 1 2 3 4 5; do
	model="$work/run$r"
	attempts=0
	while :; do
		attempts=$((attempts + 1))
		start "$work/run$r-$attempts.log" "UNet3+ Train" "$(train_keys "$model" ",resume=true")"
		# runs 1 and 3 are killed twice, the others once
		if [ "$attempts" -le $((1 + (r == 1 || r == 3))) ]; then
			if [ "$attempts" -eq 1 ]; then at=$(draw $((ref_batches / 10)) $((ref_batches / 2))); else at=$(draw $((ref_batches * 55 / 100)) $((ref_batches * 9 / 10))); fi
			done_batches=$(wait_progress lines $((at + 1)) "$model/training/batches.csv" 9)
			if kill9; then
				kills=$((kills + 1))
				if out=$(killcheck model "$model"); then pass "run $r: killed 0-0.9 s after batch $((done_batches - 1)) of $ref_batches, left $out"; else
					fail "run $r: killed 0-0.9 s after batch $((done_batches - 1)) of $ref_batches: $out"; fi
				continue
			fi
			say "      run $r: finished before the kill at batch $at"
		else
			wait "$pid"
		fi
		status=$(tail -c 20000 "$work/run$r-$attempts.log" | grep -c "ERROR")
		if [ "$status" -ne 0 ]; then fail "run $r: resumed run failed: $(grep ERROR "$work/run$r-$attempts.log" | head -2)"; fi
		break
	done
	if cmp -s "$work/ref/weights.params" "$model/weights.params"; then pass "run $r: after $((attempts - 1)) kill(s), weights.params equals the reference byte for byte"; else
		fail "run $r: after $((attempts - 1)) kill(s), weights.params differs from the reference"; fi
	if cmp -s "$work/ref/training/batches.csv" "$model/training/batches.csv"; then pass "run $r: every batch loss (training/batches.csv) equals the reference"; else
		fail "run $r: batches.csv differs from the reference at line $(cmp "$work/ref/training/batches.csv" "$model/training/batches.csv" | sed 's/.*line //')"; fi
	if diff <(cut -d, -f1-4 "$work/ref/training/log.csv") <(cut -d, -f1-4 "$model/training/log.csv") >/dev/null; then pass "run $r: log.csv losses and Dice equal the reference"; else
		fail "run $r: log.csv differs from the reference: $(diff <(cut -d, -f1-4 "$work/ref/training/log.csv") <(cut -d, -f1-4 "$model/training/log.csv") | head -4 | tr '\n' ' ')"; fi
done
if [ "$kills" -eq 7 ]; then pass "$kills training runs were killed mid-way"; else fail "only $kills of 7 kills landed while training ran"; fi

# ---- a kill during Preprocess leaves only complete PNGs; a rerun with overwrite=true completes --------
run "UNet3+ Synthetic CT" "output='$work/big',count=3,size=128,slices=60,seed=7" >/dev/null 2>&1
run "UNet3+ Preprocess" "input='$work/big',output='$work/prep-ref',size=320" >/dev/null 2>&1
start "$work/prep.log" "UNet3+ Preprocess" "input='$work/big',output='$work/prep',size=320"
prep_total=$(pngs "$work/prep-ref")
written=$(wait_progress pngs "$(draw $((prep_total / 10)) $((prep_total * 6 / 10)))" "$work/prep" 0)
if kill9; then
	if out=$(killcheck pngs "$work/prep"); then pass "preprocess killed after $written of $prep_total PNGs left $out"; else fail "preprocess killed after $written of $prep_total PNGs: $out"; fi
else
	fail "preprocess finished before the kill"
fi
if run "UNet3+ Preprocess" "input='$work/big',output='$work/prep',size=320,overwrite=true" >"$work/prep2.log" 2>&1 &&
	diff -r "$work/prep-ref" "$work/prep" >/dev/null; then pass "preprocess rerun (overwrite=true) completes, equal to an uninterrupted run, no temporary file left"; else
	fail "preprocess rerun: $(tail -2 "$work/prep2.log") $(diff -rq "$work/prep-ref" "$work/prep" | head -3 | tr '\n' ' ')"; fi

# ---- two runs into one model folder: the second is refused; after a kill -9 the lock is free --------
lock_keys="train='$work/train',validation='$work/val',model='$work/locked',backbone=unet3plus,filters=2,batch=4,seed=5,resume=true"
start "$work/lock1.log" "UNet3+ Train" "$lock_keys,epochs=200"
for _ in $(seq 1 600); do [ -f "$work/locked/training/.unet3p.lock" ] && break; sleep 0.1; done
second=0
run "UNet3+ Train" "$lock_keys,epochs=200" >"$work/lock2.log" 2>&1 || second=$?
if [ "$second" -eq 1 ] && grep -q "Another training run is writing into" "$work/lock2.log" && ! grep -q $'\tat ' "$work/lock2.log"; then
	pass "a second training into the same model folder is refused: $(grep -o 'Another training run[^;]*' "$work/lock2.log" | head -1)"
else fail "second training into a locked folder: exit $second, $(tail -2 "$work/lock2.log")"; fi
if kill9; then :; else fail "the first (200-epoch) training ended before it could be killed"; fi
if run "UNet3+ Train" "$lock_keys,epochs=1" >"$work/lock3.log" 2>&1; then pass "after kill -9 of the holder, a third run takes the lock and finishes"; else
	fail "after kill -9 of the holder the lock is still taken: $(tail -2 "$work/lock3.log")"; fi

# ---- SIGTERM (a batch system's stop, Fiji quitting): the run stops after its current batch, ---------
# exits without a JVM crash, and leaves a checkpoint that resumes
term_keys="train='$work/train',validation='$work/val',model='$work/term',backbone=unet3plus,filters=2,batch=4,seed=5,resume=true"
start "$work/term.log" "UNet3+ Train" "$term_keys,epochs=200"
for _ in $(seq 1 1200); do [ -f "$work/term/training/checkpoint.json" ] && break; sleep 0.1; done
sleep 0.3
kill -TERM "$pid" 2>/dev/null
term_status=0
wait "$pid" || term_status=$?
if [ "$term_status" -ne 0 ] && grep -q "cancelled" "$work/term.log" && ! grep -qi "fatal error\|SIGSEGV" "$work/term.log" && ! ls hs_err_pid*.log >/dev/null 2>&1; then
	pass "SIGTERM during training: stopped after the current batch (exit $term_status, no JVM crash)"
else fail "SIGTERM during training: exit $term_status, $(grep -i 'cancelled\|fatal\|SIGSEGV' "$work/term.log" | head -2 | tr '\n' ' ')"; fi
if out=$(killcheck model "$work/term") && run "UNet3+ Train" "$term_keys,epochs=$(($(tail -n +2 "$work/term/training/log.csv" | wc -l) + 1))" >"$work/term2.log" 2>&1; then
	pass "after SIGTERM the model folder is intact ($out) and resumes"
else fail "after SIGTERM: $out $(tail -2 "$work/term2.log")"; fi

say "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
