/*
 * progress.c: a one-line progress bar on stderr with rate and ETA. It appears only when
 * stderr is a terminal and the work has already taken about a second, so quick runs and
 * logs stay clean.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double started = -1.0, last_draw;
static int drawn;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress(void *ud, const char *what, double done, double total) {
    (void)ud;
    static int tty = -1;
    if (tty < 0) tty = isatty(2);
    if (!tty) return;
    double t = now();
    if (started < 0 || done <= 0) {
        started = t;
        last_draw = 0;
    }
    double elapsed = t - started;
    if (elapsed < 1.0 || t - last_draw < 0.1) return;
    last_draw = t;
    double frac = total > 0 ? done / total : 0;
    if (frac > 1) frac = 1;
    double rate = elapsed > 0 ? done / elapsed : 0;
    double eta = rate > 0 && total > done ? (total - done) / rate : 0;
    char bar[31];
    int filled = (int)(frac * 30);
    for (int i = 0; i < 30; i++) bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%-20.20s [%s] %5.1f%%  %.3g/s  ETA %.0fs ", what, bar, 100 * frac, rate, eta);
    drawn = 1;
    if (done >= total) cli_progress_end();
}

void cli_progress_end(void) {
    if (drawn) fprintf(stderr, "\r%79s\r", "");
    drawn = 0;
    started = -1.0;
}
