/* bench-startup.c: spawn to first frame, and memory then, of SMTP Setup
 * against a bare libadwaita window measured the same way
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each program runs RUNS times in turn; the medians are compared. The app
 * should stay within 1.3x the bare window's time and memory.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#define RUNS 7
#define LIMIT 1.3

static int
compare (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
run_once (const char *program,
          gint64     *startup_us,
          gint64     *rss_kb)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *t0 = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "SMTP_SETUP_STARTUP_PROBE", t0, TRUE);
  const char *argv[] = { program, NULL };
  const char *line;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error))
    {
      g_printerr ("%s: %s\n", program, error->message);
      return FALSE;
    }

  line = out != NULL ? g_strrstr (out, "startup_us=") : NULL;
  if (line == NULL || sscanf (line, "startup_us=%" G_GINT64_FORMAT " rss_kb=%" G_GINT64_FORMAT,
                              startup_us, rss_kb) != 2)
    {
      g_printerr ("%s printed no measurement: %s\n", program, out ? out : "");
      return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  const char *programs[2];
  gint64 times[2][RUNS], memory[2][RUNS];
  double t_ratio, m_ratio;

  if (argc != 3)
    {
      g_printerr ("usage: %s SMTP-SETUP BARE-WINDOW\n", argv[0]);
      return 2;
    }
  programs[0] = argv[1];
  programs[1] = argv[2];

  /* Alternate, so that a busy moment of the machine hits both. */
  for (int i = 0; i < RUNS; i++)
    for (int p = 0; p < 2; p++)
      if (!run_once (programs[p], &times[p][i], &memory[p][i]))
        return 1;

  for (int p = 0; p < 2; p++)
    {
      qsort (times[p], RUNS, sizeof (gint64), compare);
      qsort (memory[p], RUNS, sizeof (gint64), compare);
    }

  t_ratio = (double) times[0][RUNS / 2] / times[1][RUNS / 2];
  m_ratio = (double) memory[0][RUNS / 2] / memory[1][RUNS / 2];
  g_print ("bare window: %6.1f ms to first frame, %6" G_GINT64_FORMAT " KiB\n",
           times[1][RUNS / 2] / 1000.0, memory[1][RUNS / 2]);
  g_print ("SMTP Setup:  %6.1f ms to first frame, %6" G_GINT64_FORMAT " KiB\n",
           times[0][RUNS / 2] / 1000.0, memory[0][RUNS / 2]);
  g_print ("ratio: time %.2fx, memory %.2fx (aim: at most %.1fx; medians of %d runs)\n",
           t_ratio, m_ratio, LIMIT, RUNS);

  return t_ratio <= LIMIT && m_ratio <= LIMIT ? 0 : 1;
}
