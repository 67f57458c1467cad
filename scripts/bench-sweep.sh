#!/bin/sh
# The Fig 9 sweep (3 theta x 12 rates x 20 runs = 720 jobs) with --jobs 1, --jobs 2 and,
# when built (make MPI=1), under mpirun -n 2: median wall time of 5 runs each.
set -eu
cd "$(dirname "$0")/.."
R=50,100,150,200,250,300,400,600,800,1000,1500,2000
out=$(mktemp -d /tmp/vmitn-bench-sweep.XXXXXX)
trap 'rm -rf "$out"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
time_of() { # prints the wall time of "$@" in seconds
  s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in jobs1 jobs2 mpi2; do
  [ $mode = mpi2 ] && { [ -x build/mpi/vmitn ] && command -v mpirun >/dev/null || continue; }
  for k in 1 2 3 4 5; do
    rm -rf "$out/s"
    case $mode in
      jobs1) time_of ./vmitn sweep flood -p theta=100,200,300 -p rate=$R --runs 20 --jobs 1 -q --out "$out/s" ;;
      jobs2) time_of ./vmitn sweep flood -p theta=100,200,300 -p rate=$R --runs 20 --jobs 2 -q --out "$out/s" ;;
      mpi2) time_of mpirun -n 2 build/mpi/vmitn sweep flood -p theta=100,200,300 -p rate=$R --runs 20 -q --out "$out/s" ;;
    esac
  done | median | sed "s/^/$mode: /"
done
