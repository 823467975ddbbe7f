/* smtp-json.h: a tiny JSON writer for the command line's --json output
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Members are written with a leading comma unless they open the object:
 * call smtp_json_begin_object, then the member functions, then
 * smtp_json_end_object. Arrays likewise. */
typedef struct
{
  GString  *out;
  gboolean  need_comma;
} SmtpJson;

void  smtp_json_init          (SmtpJson   *json);
char *smtp_json_finish        (SmtpJson   *json);
void  smtp_json_append_string (GString    *out,
                               const char *value);
void  smtp_json_begin_object  (SmtpJson   *json,
                               const char *key);
void  smtp_json_end_object    (SmtpJson   *json);
void  smtp_json_begin_array   (SmtpJson   *json,
                               const char *key);
void  smtp_json_end_array     (SmtpJson   *json);
void  smtp_json_string        (SmtpJson   *json,
                               const char *key,
                               const char *value);
void  smtp_json_int           (SmtpJson   *json,
                               const char *key,
                               gint64      value);
void  smtp_json_boolean       (SmtpJson   *json,
                               const char *key,
                               gboolean    value);
void  smtp_json_null          (SmtpJson   *json,
                               const char *key);

G_END_DECLS
