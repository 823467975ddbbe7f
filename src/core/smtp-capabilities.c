/* smtp-capabilities.c: the service extensions a server announces in its EHLO reply
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-capabilities"

#include "config.h"

#include "smtp-capabilities.h"

#include <string.h>

/* Real servers offer a handful; the bound keeps a hostile list small. */
#define MAX_MECHANISMS 64

/* RFC 4422 §3.1: a mechanism name is 1 to 20 upper-case letters, digits,
 * hyphens and underscores. Names are compared case-insensitively, so lower
 * case is accepted here and upper-cased when kept. Anything else is not a
 * mechanism this app could use, and is never worth repeating to a person. */
static gboolean
is_mechanism_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 20)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (name[i]) && name[i] != '-' && name[i] != '_')
        return FALSE;
    }

  return TRUE;
}

static void
add_mechanism (GPtrArray  *mechanisms,
               const char *name)
{
  if (!is_mechanism_name (name) || mechanisms->len >= MAX_MECHANISMS)
    return;

  for (guint i = 0; i < mechanisms->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (mechanisms, i), name) == 0)
        return;
    }

  g_ptr_array_add (mechanisms, g_ascii_strup (name, -1));
}

/* Splits at runs of blanks, without empty words. */
static char **
split_words (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, " \t", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] != '\0')
        g_ptr_array_add (words, g_strdup (parts[i]));
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

/**
 * smtp_capabilities_parse:
 * @ehlo_reply: the server's reply to EHLO
 *
 * Reads the EHLO keywords (RFC 5321 §4.1.1.1): the first line names the
 * server, each further line is one keyword with its parameters. Keywords
 * are case-insensitive; unknown ones are ignored. Both "AUTH mech ..." and
 * the old "AUTH=mech ..." form count, merged. A SIZE parameter that is not
 * a number that fits gives a @size_limit of 0.
 *
 * The reply code is not checked: the caller decides what a failed EHLO
 * means.
 *
 * Returns: (transfer full): the capabilities
 */
SmtpCapabilities *
smtp_capabilities_parse (const SmtpReply *ehlo_reply)
{
  g_autoptr(GPtrArray) mechanisms = NULL;
  SmtpCapabilities *caps;

  g_return_val_if_fail (ehlo_reply != NULL, NULL);

  caps = g_new0 (SmtpCapabilities, 1);
  mechanisms = g_ptr_array_new_with_free_func (g_free);

  if (ehlo_reply->lines != NULL && ehlo_reply->lines[0] != NULL)
    {
      g_auto(GStrv) words = split_words (ehlo_reply->lines[0]);

      caps->domain = g_strdup (words[0] != NULL ? words[0] : "");

      for (guint i = 1; ehlo_reply->lines[i] != NULL; i++)
        {
          g_auto(GStrv) line = split_words (ehlo_reply->lines[i]);
          const char *keyword = line[0];

          if (keyword == NULL)
            continue;

          if (g_ascii_strncasecmp (keyword, "AUTH=", 5) == 0 ||
              g_ascii_strcasecmp (keyword, "AUTH") == 0)
            {
              /* Old servers announce "AUTH=LOGIN PLAIN" for clients that
               * predate RFC 2554; many announce both forms. */
              if (keyword[4] == '=')
                add_mechanism (mechanisms, keyword + 5);
              for (guint j = 1; line[j] != NULL; j++)
                add_mechanism (mechanisms, line[j]);
            }
          else if (g_ascii_strcasecmp (keyword, "STARTTLS") == 0)
            caps->starttls = TRUE;
          else if (g_ascii_strcasecmp (keyword, "SIZE") == 0)
            {
              guint64 limit = 0;

              caps->size = TRUE;
              if (line[1] != NULL &&
                  g_ascii_string_to_unsigned (line[1], 10, 0, G_MAXUINT64, &limit, NULL))
                caps->size_limit = limit;
            }
          else if (g_ascii_strcasecmp (keyword, "PIPELINING") == 0)
            caps->pipelining = TRUE;
          else if (g_ascii_strcasecmp (keyword, "8BITMIME") == 0)
            caps->eightbitmime = TRUE;
          else if (g_ascii_strcasecmp (keyword, "SMTPUTF8") == 0)
            caps->smtputf8 = TRUE;
          else if (g_ascii_strcasecmp (keyword, "ENHANCEDSTATUSCODES") == 0)
            caps->enhancedstatuscodes = TRUE;
          else if (g_ascii_strcasecmp (keyword, "CHUNKING") == 0)
            caps->chunking = TRUE;
          else if (g_ascii_strcasecmp (keyword, "DSN") == 0)
            caps->dsn = TRUE;
          else if (g_ascii_strcasecmp (keyword, "REQUIRETLS") == 0)
            caps->requiretls = TRUE;
        }
    }
  else
    {
      caps->domain = g_strdup ("");
    }

  g_ptr_array_add (mechanisms, NULL);
  caps->auth = (char **) g_ptr_array_free (g_steal_pointer (&mechanisms), FALSE);

  return caps;
}

/**
 * smtp_capabilities_copy:
 * @caps: capabilities
 *
 * Returns: (transfer full): a copy of @caps
 */
SmtpCapabilities *
smtp_capabilities_copy (const SmtpCapabilities *caps)
{
  SmtpCapabilities *copy;

  g_return_val_if_fail (caps != NULL, NULL);

  copy = g_memdup2 (caps, sizeof *caps);
  copy->domain = g_strdup (caps->domain);
  copy->auth = g_strdupv (caps->auth);

  return copy;
}

/**
 * smtp_capabilities_free:
 * @caps: (nullable): capabilities
 */
void
smtp_capabilities_free (SmtpCapabilities *caps)
{
  if (caps == NULL)
    return;

  g_free (caps->domain);
  g_strfreev (caps->auth);
  g_free (caps);
}

/**
 * smtp_capabilities_has_auth:
 * @caps: capabilities
 * @mechanism: a SASL mechanism name, such as "PLAIN"; any case
 *
 * Returns: %TRUE when the server offers @mechanism
 */
gboolean
smtp_capabilities_has_auth (const SmtpCapabilities *caps,
                            const char             *mechanism)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; caps->auth != NULL && caps->auth[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (caps->auth[i], mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}
