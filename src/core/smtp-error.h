/* smtp-error.h: error domains of the core
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SMTP_INPUT_ERROR (smtp_input_error_quark ())

/**
 * SmtpInputError:
 * @SMTP_INPUT_ERROR_EMPTY: a required field was left empty
 * @SMTP_INPUT_ERROR_CONTROL_CHARACTER: the text holds CR, LF, NUL or another control character
 * @SMTP_INPUT_ERROR_INVALID: the text does not have the expected form
 * @SMTP_INPUT_ERROR_TOO_LONG: the text is longer than the protocol allows
 *
 * Errors of values typed by a person or given on the command line, found
 * before anything reaches the network.
 */
typedef enum
{
  SMTP_INPUT_ERROR_EMPTY,
  SMTP_INPUT_ERROR_CONTROL_CHARACTER,
  SMTP_INPUT_ERROR_INVALID,
  SMTP_INPUT_ERROR_TOO_LONG,
} SmtpInputError;

GQuark smtp_input_error_quark (void);

G_END_DECLS
