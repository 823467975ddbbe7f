/* smtp-address.c: checks of email addresses, host names and wire-safe text
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-address"

#include "config.h"

#include "smtp-address.h"
#include "smtp-error.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* RFC 5321 §4.5.3.1: limits of the parts of a path. */
#define MAX_LOCAL_PART 64
#define MAX_DOMAIN 255
#define MAX_ADDRESS 254
#define MAX_LABEL 63

/**
 * smtp_text_check_wire_safe:
 * @text: text that will reach the SMTP conversation
 * @error: return location for a #SMTP_INPUT_ERROR
 *
 * Refuses CR, LF, NUL and the other ASCII control characters (except tab),
 * which could end a command early and inject another one.
 *
 * Returns: %TRUE when @text may be sent
 */
gboolean
smtp_text_check_wire_safe (const char  *text,
                           GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_CONTROL_CHARACTER,
                               _("This contains a line break or another invisible control "
                                 "character. Please type it again."));
          return FALSE;
        }
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("This contains characters that could not be read."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_domain (const char  *domain,
              gboolean     for_address,
              GError     **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  guint n;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || *ascii == '\0' || strlen (ascii) > MAX_DOMAIN)
    goto invalid;

  labels = g_strsplit (ascii, ".", -1);
  n = g_strv_length (labels);

  /* An address needs a dot in its domain: "me@localhost" is never what a
   * person means when setting up sending email. */
  if (for_address && n < 2)
    goto invalid;

  for (guint i = 0; i < n; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      /* One trailing dot (an absolute name) is allowed for host names. */
      if (len == 0 && i == n - 1 && i > 0 && !for_address)
        continue;
      if (len == 0 || len > MAX_LABEL)
        goto invalid;
      if (label[0] == '-' || label[len - 1] == '-')
        goto invalid;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isalnum (label[j]) && label[j] != '-' && label[j] != '_')
            goto invalid;
        }
    }

  return TRUE;

invalid:
  if (for_address)
    g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                         _("The part after “@” does not look like a domain, such as example.com."));
  else
    g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                         _("This does not look like a server name, such as smtp.example.com."));
  return FALSE;
}

/**
 * smtp_address_validate:
 * @address: an email address as a person typed it, such as "ada@example.com"
 * @error: return location for a #SMTP_INPUT_ERROR with a message fit to show
 *
 * Checks the form of an address (RFC 5321 §4.1.2 Mailbox, without quoted
 * local parts or address literals). Internationalised domains and local parts
 * are accepted.
 *
 * Returns: %TRUE when @address can be used
 */
gboolean
smtp_address_validate (const char  *address,
                       GError     **error)
{
  const char *at;
  g_autofree char *local = NULL;

  g_return_val_if_fail (address != NULL, FALSE);

  if (*address == '\0')
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY,
                           _("Please type your email address."));
      return FALSE;
    }

  if (!smtp_text_check_wire_safe (address, error))
    return FALSE;

  if (strchr (address, ' ') != NULL || strchr (address, '\t') != NULL)
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("An email address has no spaces."));
      return FALSE;
    }

  at = strrchr (address, '@');
  if (at == NULL)
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("An email address has an “@”, as in name@example.com."));
      return FALSE;
    }

  if (strlen (address) > MAX_ADDRESS)
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_TOO_LONG,
                           _("This address is too long to be a real email address."));
      return FALSE;
    }

  local = g_strndup (address, at - address);
  if (*local == '\0')
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("Something is missing before the “@”."));
      return FALSE;
    }
  if (*(at + 1) == '\0')
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("Something is missing after the “@”, such as example.com."));
      return FALSE;
    }

  /* Dot-atom (RFC 5322 §3.2.3) plus UTF-8 (RFC 6531). */
  if (strlen (local) > MAX_LOCAL_PART || local[0] == '.' || g_str_has_suffix (local, ".") ||
      strstr (local, "..") != NULL || strpbrk (local, "@()<>[]:;,\\\"") != NULL)
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("The part before “@” has characters an email address cannot have."));
      return FALSE;
    }

  return check_domain (at + 1, TRUE, error);
}

/**
 * smtp_address_get_domain:
 * @address: a valid address
 *
 * Returns: (transfer full) (nullable): the domain, lower-cased, or %NULL without “@”
 */
char *
smtp_address_get_domain (const char *address)
{
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL)
    return NULL;

  return g_utf8_strdown (at + 1, -1);
}

/**
 * smtp_address_get_local_part:
 * @address: a valid address
 *
 * Returns: (transfer full): the part before the last “@” (all of it without one)
 */
char *
smtp_address_get_local_part (const char *address)
{
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL)
    return g_strdup (address);

  return g_strndup (address, at - address);
}

/**
 * smtp_address_needs_utf8:
 * @address: an address
 *
 * Returns: %TRUE when the address is not plain ASCII, so sending to or from
 *   it needs the server's SMTPUTF8 extension (RFC 6531)
 */
gboolean
smtp_address_needs_utf8 (const char *address)
{
  g_return_val_if_fail (address != NULL, FALSE);

  for (const char *p = address; *p != '\0'; p++)
    {
      if ((unsigned char) *p >= 0x80)
        return TRUE;
    }

  return FALSE;
}

/**
 * smtp_host_validate:
 * @host: a server name or IP address
 * @error: return location for a #SMTP_INPUT_ERROR with a message fit to show
 *
 * Returns: %TRUE when @host can be looked up or connected to
 */
gboolean
smtp_host_validate (const char  *host,
                    GError     **error)
{
  g_return_val_if_fail (host != NULL, FALSE);

  if (*host == '\0')
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY,
                           _("Please type the server name."));
      return FALSE;
    }

  if (!smtp_text_check_wire_safe (host, error))
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  if (strchr (host, ' ') != NULL || strchr (host, '/') != NULL || strchr (host, ':') != NULL ||
      strchr (host, '@') != NULL)
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("Type only the server name, such as smtp.example.com, "
                             "without “https://”, a port or spaces."));
      return FALSE;
    }

  return check_domain (host, FALSE, error);
}
