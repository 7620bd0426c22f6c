/*
 * A C program that embeds Duktape and runs a gencoro program from its own
 * main loop: examples/c-host/src, bundled into one ES5 file by
 *
 *     gencoro-es5 .tmp/c-host/js/main.js --expose app -o app.js
 *
 * so that the program's exports are the global `app`. Each turn of the loop
 * calls app.tick() (one iteration of the program's standalone IOLoop), which
 * returns how many ms the host may wait before the next call: 0 means call
 * again at once, -1 means nothing is scheduled. The host waits that long for
 * its own events (here: lines on standard input, with poll()) and hands each
 * one to the program with app.deliver(line). After a delivery the old wait
 * is stale, so the loop calls app.tick() again before waiting.
 *
 * Build:  cc -o host host.c $(pkg-config --cflags --libs duktape) -lm
 *         (Debian: apt-get install duktape-dev)
 * Run:    ./host app.js < input.txt
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "duktape.h"

/* print(...): what the bundle turns into console.log when the engine has no console. */
static duk_ret_t js_print(duk_context *ctx) {
  duk_push_string(ctx, " ");
  duk_insert(ctx, 0);
  duk_join(ctx, duk_get_top(ctx) - 1);
  printf("%s\n", duk_safe_to_string(ctx, -1));
  return 0;
}

/*
 * Calls app[name] with the `nargs` arguments on top of the stack and leaves
 * its result there. A JavaScript error ends the host.
 */
static void call_app(duk_context *ctx, const char *name, duk_idx_t nargs) {
  duk_get_global_string(ctx, "app");  /* [args app] */
  duk_insert(ctx, -(nargs + 1));      /* [app args] */
  duk_push_string(ctx, name);
  duk_insert(ctx, -(nargs + 1));      /* [app name args] */
  if (duk_pcall_prop(ctx, -(nargs + 2), nargs) != DUK_EXEC_SUCCESS) {
    fprintf(stderr, "host: app.%s() threw: %s\n", name, duk_safe_to_stacktrace(ctx, -1));
    exit(70);
  }
  duk_remove(ctx, -2);                /* [result] */
}

/* app.tick(): one iteration of the program's loop; returns the ms the host may wait, or -1. */
static double tick(duk_context *ctx) {
  double wait;
  call_app(ctx, "tick", 0);
  wait = duk_get_number(ctx, -1);
  duk_pop(ctx);
  return wait;
}

/* app.deliver(line), or app.deliver(null) when line is NULL (end of input). */
static void deliver(duk_context *ctx, const char *line, size_t length) {
  if (line == NULL) duk_push_null(ctx);
  else duk_push_lstring(ctx, line, length);
  call_app(ctx, "deliver", 1);
  duk_pop(ctx);
}

static void sleep_ms(double ms) {
  struct timespec t;
  t.tv_sec = (time_t)(ms / 1000);
  t.tv_nsec = (long)((ms - (double)t.tv_sec * 1000) * 1e6);
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

static char *read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  char *text;
  long n;
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) return NULL;
  text = malloc((size_t)n + 1);
  if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) return NULL;
  fclose(f);
  *length = (size_t)n;
  return text;
}

int main(int argc, char **argv) {
  duk_context *ctx;
  char *source;
  size_t source_length;
  char input[65536];
  size_t used = 0;
  int input_open = 1;
  int status;
  unsigned long ticks = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: %s app.js < input\n", argv[0]);
    return 64;
  }
  source = read_file(argv[1], &source_length);
  if (source == NULL) {
    fprintf(stderr, "host: cannot read %s\n", argv[1]);
    return 66;
  }

  ctx = duk_create_heap_default();
  duk_push_c_function(ctx, js_print, DUK_VARARGS);
  duk_put_global_string(ctx, "print");
  /* Runs the bundle: the runtime, then the program's modules; defines the global `app`. */
  if (duk_peval_lstring(ctx, source, source_length) != 0) {
    fprintf(stderr, "host: %s failed: %s\n", argv[1], duk_safe_to_stacktrace(ctx, -1));
    return 70;
  }
  duk_pop(ctx);
  free(source);

  for (;;) {
    double wait = tick(ctx);
    ticks++;
    if (!input_open) {
      if (wait < 0) break;       /* nothing scheduled and no event can come: done */
      if (wait > 0) sleep_ms(wait);
      continue;
    }
    /* Wait for input at most `wait` ms (forever when nothing is scheduled). */
    struct pollfd fd = { STDIN_FILENO, POLLIN, 0 };
    int ready = poll(&fd, 1, wait < 0 ? -1 : (int)ceil(wait));
    if (ready < 0 && errno != EINTR) {
      perror("host: poll");
      return 71;
    }
    if (ready <= 0) continue;    /* the wait is over: tick */
    ssize_t n = read(STDIN_FILENO, input + used, sizeof input - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {                /* end of input: the last line, then null */
      if (used > 0) deliver(ctx, input, used);
      deliver(ctx, NULL, 0);
      used = 0;
      input_open = 0;
      continue;
    }
    used += (size_t)n;
    size_t start = 0;
    for (size_t i = 0; i < used; i++) {
      if (input[i] != '\n') continue;
      size_t end = i > start && input[i - 1] == '\r' ? i - 1 : i;
      deliver(ctx, input + start, end - start);
      start = i + 1;
    }
    memmove(input, input + start, used - start);
    used -= start;
    if (used == sizeof input) {  /* a line longer than the buffer: deliver it in pieces */
      deliver(ctx, input, used);
      used = 0;
    }
  }

  call_app(ctx, "status", 0);
  status = duk_get_int(ctx, -1);
  duk_pop(ctx);
  fprintf(stderr, "host: %lu ticks, program status %d\n", ticks, status);
  duk_destroy_heap(ctx);
  return status;
}
