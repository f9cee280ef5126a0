suppressMessages(library(pcalg))
args <- commandArgs(trailingOnly = TRUE)
for (f in args) {
  X <- as.matrix(read.csv(paste0(f, ".csv")))
  n <- nrow(X); V <- colnames(X)
  for (alpha in c(0.01, 0.05)) for (rule in c("cpc", "mpc")) {
    fit <- pc(suffStat = list(C = cor(X), n = n), indepTest = gaussCItest, alpha = alpha,
              labels = V, skel.method = "stable", conservative = (rule == "cpc"),
              maj.rule = (rule == "mpc"))
    A <- as(fit@graph, "matrix")
    out <- c()
    for (i in 1:ncol(A)) for (j in 1:ncol(A)) {
      if (A[i,j] == 1 && A[j,i] == 1 && i < j) out <- c(out, paste(V[i], "---", V[j]))
      if (A[i,j] == 1 && A[j,i] == 0) out <- c(out, paste(V[i], "-->", V[j]))
    }
    writeLines(sort(out), sprintf("%s.%s_stable_a%s.edges", basename(f), rule, alpha))
  }
}
