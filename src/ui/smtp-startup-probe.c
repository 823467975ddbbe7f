/* smtp-startup-probe.c: reports start-up time and memory at the first frame,
 * for the start-up benchmark
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only when $SMTP_SETUP_STARTUP_PROBE holds the spawner's CLOCK_MONOTONIC
 * time in microseconds (g_get_monotonic_time() of the benchmark): at the
 * window's first painted frame, one line "startup_us=N rss_kb=N" goes to
 * standard output and the window closes. Otherwise nothing happens.
 */

#include "config.h"

#include "smtp-startup-probe.h"

#include <stdio.h>
#include <string.h>

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  gint64 t0 = g_ascii_strtoll (g_getenv ("SMTP_SETUP_STARTUP_PROBE"), NULL, 10);

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  printf ("startup_us=%" G_GINT64_FORMAT " rss_kb=%ld\n", g_get_monotonic_time () - t0, rss_kb ());
  fflush (stdout);
  gtk_window_destroy (window);
}

static void
map_cb (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), widget, 0);
}

/**
 * smtp_startup_probe_attach:
 * @window: the first window of the process
 *
 * Measures @window when the benchmark asked for it.
 */
void
smtp_startup_probe_attach (GtkWindow *window)
{
  if (g_getenv ("SMTP_SETUP_STARTUP_PROBE") == NULL)
    return;

  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
}
