# Runs pcalg's own shd() on graph pairs; called by gen_peers.py (see README.md).
#   Rscript shd_pcalg.R PCALG_DIR INPUT
# PCALG_DIR: a checkout of cran/pcalg. Its functions wgtMatrix() and shd() are read from
# R/pcalg.R there and evaluated as they are (nothing of pcalg is copied into causa).
# INPUT: per case a line p, a line of p node names, p rows of the estimate's 0/1 matrix,
# p rows of the truth's (m[x, y] = 1 iff x -> y; both 1 for x --- y).
# Prints per case "shd(est, truth) shd(truth, est)".
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(graph))
src <- readLines(file.path(args[1], "R", "pcalg.R"))
load_fn <- function(name) {
    start <- grep(paste0("^", name, " <- function"), src)
    stopifnot(length(start) == 1)
    end <- start - 1 + which(grepl("^}", src[start:length(src)]))[1]
    eval(parse(text = src[start:end]), envir = globalenv())
}
load_fn("wgtMatrix")
load_fn("shd")

tok <- scan(args[2], what = "", quiet = TRUE)
pos <- 1
take <- function(n) {
    v <- tok[pos:(pos + n - 1)]
    pos <<- pos + n
    v
}
while (pos <= length(tok)) {
    p <- as.integer(take(1))
    nm <- take(p)
    m1 <- matrix(as.numeric(take(p * p)), p, p, byrow = TRUE, dimnames = list(nm, nm))
    m2 <- matrix(as.numeric(take(p * p)), p, p, byrow = TRUE, dimnames = list(nm, nm))
    g1 <- as(m1, "graphNEL")
    g2 <- as(m2, "graphNEL")
    cat(shd(g1, g2), shd(g2, g1), "\n")
}
