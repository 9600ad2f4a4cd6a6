#!/usr/bin/env bash
# The long concurrency runs of the engine (the short versions run in `mvn verify`):
#   jcstress  every JVM configuration jcstress can probe (interpreter, C1, C2, C2 with stress
#             randomizers, split per-actor compilation), mode JCSTRESS_MODE (default | tough | stress);
#   lincheck  model checking and stress with LINCHECK_SCALE times the CI effort;
#   model     the randomized model test for MODEL_MINUTES minutes per configuration;
#   stall     the stalled-threads model test (threads put to sleep at the engine's stall points)
#             for MODEL_MINUTES minutes per configuration.
# Environment: JCSTRESS_MODE (default), LINCHECK_SCALE (10), MODEL_MINUTES (10), ONLY (all | jcstress |
# lincheck | model | stall), JCSTRESS_ARGS (extra jcstress options, e.g. "-t Relocation"), MAVEN_ARGS (e.g.
# "-Pskip-known-defects"). Exits non-zero if any part failed; reports land in stress/target.
set -euo pipefail
cd "$(dirname "$0")/.."

JCSTRESS_MODE=${JCSTRESS_MODE:-default}
LINCHECK_SCALE=${LINCHECK_SCALE:-10}
MODEL_MINUTES=${MODEL_MINUTES:-10}
ONLY=${ONLY:-all}
JCSTRESS_ARGS=${JCSTRESS_ARGS:-}
MAVEN_ARGS="${MAVEN_ARGS:-} -Dferrite.test.forkTimeoutSeconds=0"  # long runs outlast CI's hang limit
# The engine's run-time flags, from the parent pom, for every forked JVM.
FLAGS=$(sed -n 's:.*<ferrite.jvm.flags>\(.*\)</ferrite.jvm.flags>.*:\1:p' pom.xml)

mvn -B -q -pl stress -am package -DskipTests $MAVEN_ARGS

status=0
if [[ $ONLY == all || $ONLY == jcstress ]]; then
    echo "== jcstress, mode $JCSTRESS_MODE, all JVM configurations"
    # From stress/target: jcstress leaves its raw results file in the working directory.
    # shellcheck disable=SC2086
    (cd stress/target && java -jar jcstress.jar -m "$JCSTRESS_MODE" -r jcstress-long \
        -jvmArgsPrepend "$FLAGS" $JCSTRESS_ARGS) || status=1
fi

tests=()
[[ $ONLY == all || $ONLY == lincheck ]] && tests+=(FerriteCacheLincheckTest)
[[ $ONLY == all || $ONLY == model ]] && tests+=(RandomizedModelTest)
if ((${#tests[@]})); then
    echo "== ${tests[*]}: Lincheck scale $LINCHECK_SCALE, model test $MODEL_MINUTES min per configuration"
    # shellcheck disable=SC2086
    mvn -B -pl stress -am test -Djcstress.skip=true -Dsurefire.failIfNoSpecifiedTests=false \
        -Dtest="$(IFS=,; echo "${tests[*]}")" \
        -Dferrite.stress.lincheckScale="$LINCHECK_SCALE" \
        -Dferrite.stress.modelSeconds=$((MODEL_MINUTES * 60)) $MAVEN_ARGS || status=1
fi
if [[ $ONLY == all || $ONLY == stall ]]; then
    echo "== StalledThreadsModelTest: $MODEL_MINUTES min per configuration"
    # Its own surefire execution runs it (stress/pom.xml); -Dtest keeps the default execution to it too.
    # shellcheck disable=SC2086
    mvn -B -pl stress -am test -Djcstress.skip=true -Dsurefire.failIfNoSpecifiedTests=false \
        -Dtest=StalledThreadsModelTest -Dferrite.stress.stallSeconds=$((MODEL_MINUTES * 60)) $MAVEN_ARGS || status=1
fi
exit $status
