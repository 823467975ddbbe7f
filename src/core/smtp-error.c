/* smtp-error.c: error domains of the core
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-error"

#include "config.h"

#include "smtp-error.h"

G_DEFINE_QUARK (smtp-input-error-quark, smtp_input_error)
