/* smtp-startup-probe.h: reports start-up time and memory at the first frame,
 * for the start-up benchmark
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void smtp_startup_probe_attach (GtkWindow *window);

G_END_DECLS
