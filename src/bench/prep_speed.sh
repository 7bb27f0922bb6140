#!/bin/bash
# Preprocessing speed, ours against the seed's Python, on the 512x512x200 int16 `bigvolume` at 320:
# ROUNDS alternating runs of PrepareMain and `seed_parity.py seed` (fresh output folders), each
# with its in-process slices/s and /usr/bin/time's wall and CPU seconds, then the pixel comparison
# of the last outputs. Usage (repository root): src/bench/prep_speed.sh [work-folder [rounds]]
# With BASELINE=<folder of another checkout, test-compiled> its PrepareMain runs in every round too
# (before/after on the same load).
# Needs python3-opencv, python3-nibabel, python3-numpy for /usr/bin/python3 (see seed_parity.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/prep-speed}
ROUNDS=${2:-3}
PY=/usr/bin/python3
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
CP="target/classes:target/test-classes:$(cat target/cp.txt)"
[ -f "$WORK/lits/volume-1.nii" ] || $PY src/bench/seed_parity.py bigvolume "$WORK/lits"
for r in $(seq 1 "$ROUNDS"); do
	echo "== round $r ($(uptime | sed 's/.*load/load/'))"
	rm -rf "$WORK/java" "$WORK/python" "$WORK/baseline"
	if [ -n "${BASELINE:-}" ]; then
		/usr/bin/time -f "  baseline: %e s wall, %U s user + %S s sys" java -cp "$BASELINE/target/classes:$BASELINE/target/test-classes:$(cat target/cp.txt)" \
			io.github.unet3p.bench.PrepareMain "$WORK/lits" "$WORK/baseline" 320 | tail -1
	fi
	/usr/bin/time -f "  ours: %e s wall, %U s user + %S s sys" java -cp "$CP" io.github.unet3p.bench.PrepareMain "$WORK/lits" "$WORK/java" 320 | tail -1
	/usr/bin/time -f "  seed: %e s wall, %U s user + %S s sys" $PY src/bench/seed_parity.py seed "$WORK/lits" "$WORK/python" 320
done
$PY src/bench/seed_parity.py compare "$WORK/python" "$WORK/java"
du -sk "$WORK/java/images" "$WORK/java/mask" "$WORK/python/images" "$WORK/python/mask"
