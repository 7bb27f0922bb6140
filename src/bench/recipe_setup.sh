# Sourced by recipe_infer.sh and recipe_train.sh (from the repository root, with WORK and THREADS set):
# resolves RECIPE (default ../shared/recipe beside the repository, else /work/shared/recipe) and VENV
# (default target/recipe-venv, made by recipe_venv.sh from the local wheels), empties WORK and makes
# WORK/raw (RAW), builds the plugin once and copies its jar so that later source edits do not
# rebuild it mid-run (CP: the class path on that copy), and sets OMP_NUM_THREADS to THREADS.
RECIPE=${RECIPE:-$( [ -d ../shared/recipe ] && echo ../shared/recipe || echo /work/shared/recipe )}
RECIPE=$(cd "$RECIPE" && pwd)
VENV=${VENV:-target/recipe-venv}
rm -rf "$WORK"
mkdir -p "$WORK/raw"
WORK=$(cd "$WORK" && pwd)
RAW="$WORK/raw"

src/bench/recipe_venv.sh "$VENV"
PY="$VENV/bin/python"
echo "== build (the jar is copied: later source edits do not rebuild it mid-run)"
mvn -B -q -o -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
cp target/unet3p-fiji.jar "$WORK/unet3p-fiji.jar"
CP="$WORK/unet3p-fiji.jar:$(cat target/classpath.txt)"
export OMP_NUM_THREADS=$THREADS
