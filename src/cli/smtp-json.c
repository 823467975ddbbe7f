/* smtp-json.c: a tiny JSON writer for the command line's --json output
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-json"

#include "config.h"

#include "smtp-json.h"

void
smtp_json_init (SmtpJson *json)
{
  json->out = g_string_new (NULL);
  json->need_comma = FALSE;
}

/**
 * smtp_json_finish:
 * @json: a writer whose objects and arrays are all closed
 *
 * Returns: (transfer full): the JSON text
 */
char *
smtp_json_finish (SmtpJson *json)
{
  return g_string_free (g_steal_pointer (&json->out), FALSE);
}

/**
 * smtp_json_append_string:
 * @out: where to write
 * @value: (nullable): UTF-8 text; %NULL writes null
 *
 * Writes a JSON string (RFC 8259 §7): quotes, backslashes and control
 * characters escaped; invalid UTF-8 replaced, so the output always parses.
 */
void
smtp_json_append_string (GString    *out,
                         const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  valid = g_utf8_make_valid (value, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
member (SmtpJson   *json,
        const char *key)
{
  if (json->need_comma)
    g_string_append_c (json->out, ',');
  json->need_comma = TRUE;

  if (key != NULL)
    {
      smtp_json_append_string (json->out, key);
      g_string_append_c (json->out, ':');
    }
}

void
smtp_json_begin_object (SmtpJson   *json,
                        const char *key)
{
  member (json, key);
  g_string_append_c (json->out, '{');
  json->need_comma = FALSE;
}

void
smtp_json_end_object (SmtpJson *json)
{
  g_string_append_c (json->out, '}');
  json->need_comma = TRUE;
}

void
smtp_json_begin_array (SmtpJson   *json,
                       const char *key)
{
  member (json, key);
  g_string_append_c (json->out, '[');
  json->need_comma = FALSE;
}

void
smtp_json_end_array (SmtpJson *json)
{
  g_string_append_c (json->out, ']');
  json->need_comma = TRUE;
}

void
smtp_json_string (SmtpJson   *json,
                  const char *key,
                  const char *value)
{
  member (json, key);
  smtp_json_append_string (json->out, value);
}

void
smtp_json_int (SmtpJson   *json,
               const char *key,
               gint64      value)
{
  member (json, key);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
smtp_json_boolean (SmtpJson   *json,
                   const char *key,
                   gboolean    value)
{
  member (json, key);
  g_string_append (json->out, value ? "true" : "false");
}

void
smtp_json_null (SmtpJson   *json,
                const char *key)
{
  member (json, key);
  g_string_append (json->out, "null");
}
