# peer_pcalg_pc.R: pcalg's PC on a CSV, timed in phases, for bench_pc.c.
#   Rscript bench/peer_pcalg_pc.R DATA.csv ALPHA OUT_EDGES
# Prints one line: load_s cor_s pc_s n_skeleton_edges n_tests
# and writes the skeleton ("A B" per adjacency, column indices, 1-based, A < B) to OUT_EDGES.
# pc() runs with skel.method = "stable.fast" (pcalg's C++ order-independent skeleton) and
# gaussCItest: the same algorithm and test as causa's default PC.
suppressMessages(library(pcalg))
args <- commandArgs(trailingOnly = TRUE)
alpha <- as.numeric(args[2])
t0 <- proc.time()[["elapsed"]]
X <- as.matrix(read.csv(args[1]))
t1 <- proc.time()[["elapsed"]]
C <- cor(X)
t2 <- proc.time()[["elapsed"]]
fit <- pc(suffStat = list(C = C, n = nrow(X)), indepTest = gaussCItest, alpha = alpha,
          p = ncol(X), skel.method = "stable.fast")
t3 <- proc.time()[["elapsed"]]
A <- as(fit@graph, "matrix")
S <- (A + t(A)) > 0
idx <- which(S & upper.tri(S), arr.ind = TRUE)
writeLines(sprintf("%d %d", idx[, 1], idx[, 2]), args[3])
cat(sprintf("%.6f %.6f %.6f %d %.0f\n", t1 - t0, t2 - t1, t3 - t2, nrow(idx), sum(fit@n.edgetests)))
