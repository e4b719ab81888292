#!/bin/bash
# An experiment (or a sweep) on a Slurm cluster with Open MPI: one MPI rank
# per node plus one for the coordinator. Rank 0 hands points to the other
# ranks as they become free and writes every output (the same bytes as one
# process); each worker rank runs a point's replications on its node's
# cores with oneTBB. The output folder must be on a shared filesystem only
# for rank 0, which is the only writer.
#
#   sbatch --nodes=4 scripts/slurm_experiment.sh scenarios/experiments/cambodia_policies.yaml results/cambodia
#
# A job stopped by its time limit (or a failed node) loses only the points
# under way: submit the same command again and the completed points are
# kept. For several jobs at once without MPI, give each `--shard I/N` into
# one --out, then run once without --shard to merge (docs/experiments.md).
#SBATCH --job-name=readmit-experiment
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=16
#SBATCH --time=04:00:00
#SBATCH --output=readmit-experiment-%j.log
set -euo pipefail

experiment=${1:?usage: sbatch scripts/slurm_experiment.sh EXPERIMENT_FILE OUT_DIR}
out=${2:?usage: sbatch scripts/slurm_experiment.sh EXPERIMENT_FILE OUT_DIR}
readmit=${READMIT:-build/release/readmit}
threads=${SLURM_CPUS_PER_TASK:-1}

# The coordinator mostly waits: it shares the first node with a worker
# (one task more than nodes, allowed to overcommit that node's cores).
ranks=$((SLURM_JOB_NUM_NODES + 1))
mpirun -n "$ranks" --oversubscribe --map-by node "$readmit" experiment "$experiment" \
  --out "$out" --threads "$threads" --progress "jsonl=$out.progress.jsonl"
