/* smtp-auth.c: SASL mechanisms for AUTH (RFC 4954): PLAIN, LOGIN, CRAM-MD5, XOAUTH2
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-auth"

#include "config.h"

#include "smtp-auth.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (smtp-auth-error-quark, smtp_auth_error)

G_DEFINE_ENUM_TYPE (SmtpAuthMechanism, smtp_auth_mechanism,
                    G_DEFINE_ENUM_VALUE (SMTP_AUTH_MECHANISM_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (SMTP_AUTH_MECHANISM_PLAIN, "plain"),
                    G_DEFINE_ENUM_VALUE (SMTP_AUTH_MECHANISM_LOGIN, "login"),
                    G_DEFINE_ENUM_VALUE (SMTP_AUTH_MECHANISM_CRAM_MD5, "cram-md5"),
                    G_DEFINE_ENUM_VALUE (SMTP_AUTH_MECHANISM_XOAUTH2, "xoauth2"))

struct _SmtpSasl
{
  SmtpAuthMechanism  mechanism;
  char              *user;
  char              *secret;   /* wiped in smtp_sasl_free() */
  guint              n_steps;  /* challenges answered */
  gboolean           started;
};

/**
 * smtp_auth_mechanism_to_name:
 * @mechanism: a mechanism
 *
 * Returns: (nullable): the SASL name, such as "CRAM-MD5", or %NULL for
 *   %SMTP_AUTH_MECHANISM_AUTO, which has none
 */
const char *
smtp_auth_mechanism_to_name (SmtpAuthMechanism mechanism)
{
  switch (mechanism)
    {
    case SMTP_AUTH_MECHANISM_PLAIN:
      return "PLAIN";
    case SMTP_AUTH_MECHANISM_LOGIN:
      return "LOGIN";
    case SMTP_AUTH_MECHANISM_CRAM_MD5:
      return "CRAM-MD5";
    case SMTP_AUTH_MECHANISM_XOAUTH2:
      return "XOAUTH2";
    case SMTP_AUTH_MECHANISM_AUTO:
    default:
      return NULL;
    }
}

/**
 * smtp_auth_mechanism_to_id:
 * @mechanism: a mechanism
 *
 * Returns: the stable id used on the command line and in settings, such as
 *   "cram-md5" (the nick of %SMTP_TYPE_AUTH_MECHANISM)
 */
const char *
smtp_auth_mechanism_to_id (SmtpAuthMechanism mechanism)
{
  switch (mechanism)
    {
    case SMTP_AUTH_MECHANISM_AUTO:
      return "auto";
    case SMTP_AUTH_MECHANISM_PLAIN:
      return "plain";
    case SMTP_AUTH_MECHANISM_LOGIN:
      return "login";
    case SMTP_AUTH_MECHANISM_CRAM_MD5:
      return "cram-md5";
    case SMTP_AUTH_MECHANISM_XOAUTH2:
      return "xoauth2";
    default:
      g_return_val_if_reached ("auto");
    }
}

/**
 * smtp_auth_mechanism_from_id:
 * @id: an id such as "cram-md5"; the SASL name ("CRAM-MD5") is accepted too
 * @mechanism: (out): return location for the mechanism
 *
 * Returns: %TRUE when @id names a mechanism; @mechanism is left alone
 *   otherwise
 */
gboolean
smtp_auth_mechanism_from_id (const char        *id,
                             SmtpAuthMechanism *mechanism)
{
  static const SmtpAuthMechanism all[] = {
    SMTP_AUTH_MECHANISM_AUTO, SMTP_AUTH_MECHANISM_PLAIN, SMTP_AUTH_MECHANISM_LOGIN,
    SMTP_AUTH_MECHANISM_CRAM_MD5, SMTP_AUTH_MECHANISM_XOAUTH2,
  };

  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (g_ascii_strcasecmp (id, smtp_auth_mechanism_to_id (all[i])) == 0)
        {
          *mechanism = all[i];
          return TRUE;
        }
    }

  return FALSE;
}

static void
set_unsupported_error (GError                 **error,
                       const SmtpCapabilities  *caps,
                       SmtpAuthMechanism        wanted)
{
  g_autofree char *offered = NULL;
  gboolean any = caps->auth != NULL && caps->auth[0] != NULL;

  /* The names went through smtp_capabilities_parse(), which keeps only
   * [A-Z0-9_-], so they are safe to show even when they came before TLS. */
  if (any)
    offered = g_strjoinv (", ", caps->auth);

  if (wanted != SMTP_AUTH_MECHANISM_AUTO && any)
    g_set_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
                 /* Translators: the first %s is a sign-in method such as
                  * CRAM-MD5, the second a list such as "PLAIN, LOGIN". */
                 _("The server does not offer the sign-in method %s. It offers: %s."),
                 smtp_auth_mechanism_to_name (wanted), offered);
  else if (wanted != SMTP_AUTH_MECHANISM_AUTO)
    g_set_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
                 /* Translators: %s is a sign-in method such as CRAM-MD5. */
                 _("The server does not offer the sign-in method %s, nor any other."),
                 smtp_auth_mechanism_to_name (wanted));
  else if (any)
    g_set_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
                 /* Translators: %s is a list of sign-in methods such as
                  * "GSSAPI, NTLM". */
                 _("The server offers no sign-in method this app can use. It offers: %s."),
                 offered);
  else
    g_set_error_literal (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
                         _("The server does not offer any sign-in method."));
}

/**
 * smtp_auth_choose:
 * @caps: the server's capabilities, from its EHLO reply after TLS
 * @wanted: the mechanism the user chose, or %SMTP_AUTH_MECHANISM_AUTO
 * @have_token: whether an OAuth 2.0 access token is available
 * @error: return location for a #SMTP_AUTH_ERROR
 *
 * Picks the mechanism to sign in with. A mechanism chosen by the user must
 * be offered by the server. Automatic choice takes XOAUTH2 when a token is
 * available and the server offers it; otherwise PLAIN, then LOGIN, then
 * CRAM-MD5. The connection is already protected by TLS, so PLAIN gives
 * nothing away, works with the most servers and takes the fewest round
 * trips; CRAM-MD5 needs the server to keep the plain password and is the
 * last resort. When @have_token is %TRUE but XOAUTH2 is not offered, the
 * password mechanisms are chosen as without a token: the caller must then
 * have a password to give.
 *
 * Returns: the mechanism, or %SMTP_AUTH_MECHANISM_AUTO with @error set
 *   (%SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED, whose message lists what the
 *   server offers)
 */
SmtpAuthMechanism
smtp_auth_choose (const SmtpCapabilities  *caps,
                  SmtpAuthMechanism        wanted,
                  gboolean                 have_token,
                  GError                 **error)
{
  static const SmtpAuthMechanism preference[] = {
    SMTP_AUTH_MECHANISM_PLAIN, SMTP_AUTH_MECHANISM_LOGIN, SMTP_AUTH_MECHANISM_CRAM_MD5,
  };

  g_return_val_if_fail (caps != NULL, SMTP_AUTH_MECHANISM_AUTO);
  g_return_val_if_fail (error == NULL || *error == NULL, SMTP_AUTH_MECHANISM_AUTO);

  if (wanted != SMTP_AUTH_MECHANISM_AUTO)
    {
      const char *name = smtp_auth_mechanism_to_name (wanted);

      g_return_val_if_fail (name != NULL, SMTP_AUTH_MECHANISM_AUTO);

      if (smtp_capabilities_has_auth (caps, name))
        return wanted;

      set_unsupported_error (error, caps, wanted);
      return SMTP_AUTH_MECHANISM_AUTO;
    }

  if (have_token && smtp_capabilities_has_auth (caps, "XOAUTH2"))
    return SMTP_AUTH_MECHANISM_XOAUTH2;

  for (guint i = 0; i < G_N_ELEMENTS (preference); i++)
    {
      if (smtp_capabilities_has_auth (caps, smtp_auth_mechanism_to_name (preference[i])))
        return preference[i];
    }

  set_unsupported_error (error, caps, SMTP_AUTH_MECHANISM_AUTO);
  return SMTP_AUTH_MECHANISM_AUTO;
}

static void
wipe_and_free (char   *buffer,
               gsize   length)
{
  if (buffer == NULL)
    return;

  explicit_bzero (buffer, length);
  g_free (buffer);
}

/**
 * smtp_sasl_line_free:
 * @line: (nullable): a string from smtp_sasl_initial_command() or
 *   smtp_sasl_step()
 *
 * Overwrites @line with zeros and frees it. Use it for every line a
 * #SmtpSasl returns, as most of them carry the password or the token.
 */
void
smtp_sasl_line_free (char *line)
{
  if (line != NULL)
    wipe_and_free (line, strlen (line));
}

static gboolean
check_credential (const char  *text,
                  gboolean     allow_ctrl_a,
                  GError     **error)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      /* CR and LF would end the AUTH line early; ^A separates the fields of
       * XOAUTH2 and would let a value forge another field. NUL cannot be
       * inside a C string, so it cannot reach the wire either. */
      if (*p == '\r' || *p == '\n' || (*p == '\001' && !allow_ctrl_a))
        {
          g_set_error_literal (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_INVALID_CREDENTIALS,
                               _("The user name or password contains a line break or another "
                                 "character that cannot be sent."));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * smtp_sasl_new:
 * @mechanism: the mechanism; not %SMTP_AUTH_MECHANISM_AUTO (see smtp_auth_choose())
 * @user: the user name
 * @secret: the password, or the OAuth 2.0 access token for
 *   %SMTP_AUTH_MECHANISM_XOAUTH2
 * @error: return location for a #SMTP_AUTH_ERROR
 *
 * Prepares one AUTH exchange. @secret is copied; the copy is wiped when the
 * exchange is freed, so the caller may wipe its own at once.
 *
 * Returns: (transfer full) (nullable): the exchange, or %NULL with
 *   %SMTP_AUTH_ERROR_INVALID_CREDENTIALS when @user or @secret hold CR or LF
 *   (or ^A, for XOAUTH2)
 */
SmtpSasl *
smtp_sasl_new (SmtpAuthMechanism   mechanism,
               const char         *user,
               const char         *secret,
               GError            **error)
{
  SmtpSasl *sasl;
  gboolean allow_ctrl_a = mechanism != SMTP_AUTH_MECHANISM_XOAUTH2;

  g_return_val_if_fail (smtp_auth_mechanism_to_name (mechanism) != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_credential (user, allow_ctrl_a, error) ||
      !check_credential (secret, allow_ctrl_a, error))
    return NULL;

  sasl = g_new0 (SmtpSasl, 1);
  sasl->mechanism = mechanism;
  sasl->user = g_strdup (user);
  sasl->secret = g_strdup (secret);

  return sasl;
}

/**
 * smtp_sasl_free:
 * @sasl: (nullable): an exchange
 *
 * Wipes the copy of the secret and frees @sasl.
 */
void
smtp_sasl_free (SmtpSasl *sasl)
{
  if (sasl == NULL)
    return;

  wipe_and_free (sasl->secret, strlen (sasl->secret));
  wipe_and_free (sasl->user, strlen (sasl->user));
  g_free (sasl);
}

/**
 * smtp_sasl_get_mechanism:
 * @sasl: an exchange
 *
 * Returns: the mechanism of @sasl
 */
SmtpAuthMechanism
smtp_sasl_get_mechanism (SmtpSasl *sasl)
{
  g_return_val_if_fail (sasl != NULL, SMTP_AUTH_MECHANISM_AUTO);

  return sasl->mechanism;
}

/* Returns @prefix followed by the base64 of @data ("=" when @data is empty,
 * RFC 4954 §4), or the base64 alone when @prefix is NULL. Every
 * intermediate copy is wiped. */
static char *
encode_response (const char   *prefix,
                 const guchar *data,
                 gsize         length)
{
  char *encoded = g_base64_encode (data, length);
  gsize encoded_length = strlen (encoded);
  gsize prefix_length = prefix != NULL ? strlen (prefix) : 0;
  char *line;

  if (prefix == NULL)
    return encoded;

  line = g_malloc (prefix_length + MAX (encoded_length, 1) + 1);
  memcpy (line, prefix, prefix_length);
  if (encoded_length > 0)
    memcpy (line + prefix_length, encoded, encoded_length);
  else
    line[prefix_length + encoded_length++] = '=';
  line[prefix_length + encoded_length] = '\0';

  wipe_and_free (encoded, strlen (encoded));

  return line;
}

/**
 * smtp_sasl_initial_command:
 * @sasl: an exchange
 *
 * Gives the AUTH command that starts the exchange. PLAIN and XOAUTH2 carry
 * their credentials in it as an initial response (RFC 4954 §4); LOGIN and
 * CRAM-MD5 wait for the server's challenges. Calling it again starts the
 * exchange over.
 *
 * Returns: (transfer full): the command line, without CRLF. It holds the
 *   password or token for PLAIN and XOAUTH2: free it with
 *   smtp_sasl_line_free(), and never log it
 */
char *
smtp_sasl_initial_command (SmtpSasl *sasl)
{
  gsize user_length, secret_length, length;
  guchar *buffer;
  char *line = NULL;

  g_return_val_if_fail (sasl != NULL, NULL);

  sasl->started = TRUE;
  sasl->n_steps = 0;

  user_length = strlen (sasl->user);
  secret_length = strlen (sasl->secret);

  switch (sasl->mechanism)
    {
    case SMTP_AUTH_MECHANISM_PLAIN:
      /* RFC 4616 §2: [authzid] NUL authcid NUL passwd, with no authzid. */
      length = 1 + user_length + 1 + secret_length;
      buffer = g_malloc (length);
      buffer[0] = '\0';
      memcpy (buffer + 1, sasl->user, user_length);
      buffer[1 + user_length] = '\0';
      memcpy (buffer + 2 + user_length, sasl->secret, secret_length);
      line = encode_response ("AUTH PLAIN ", buffer, length);
      wipe_and_free ((char *) buffer, length);
      break;

    case SMTP_AUTH_MECHANISM_XOAUTH2:
      {
        static const char user_key[] = "user=";
        static const char auth_key[] = "\001auth=Bearer ";
        static const char end[] = "\001\001";
        gsize pos = 0;

        length = strlen (user_key) + user_length + strlen (auth_key) + secret_length +
                 strlen (end);
        buffer = g_malloc (length);
        memcpy (buffer + pos, user_key, strlen (user_key));
        pos += strlen (user_key);
        memcpy (buffer + pos, sasl->user, user_length);
        pos += user_length;
        memcpy (buffer + pos, auth_key, strlen (auth_key));
        pos += strlen (auth_key);
        memcpy (buffer + pos, sasl->secret, secret_length);
        pos += secret_length;
        memcpy (buffer + pos, end, strlen (end));
        pos += strlen (end);
        g_assert (pos == length);
        line = encode_response ("AUTH XOAUTH2 ", buffer, length);
        wipe_and_free ((char *) buffer, length);
      }
      break;

    case SMTP_AUTH_MECHANISM_LOGIN:
      line = g_strdup ("AUTH LOGIN");
      break;

    case SMTP_AUTH_MECHANISM_CRAM_MD5:
      line = g_strdup ("AUTH CRAM-MD5");
      break;

    case SMTP_AUTH_MECHANISM_AUTO:
    default:
      g_assert_not_reached ();
    }

  return line;
}

/* Strict base64 (RFC 4648 §4), padding optional, blanks around allowed.
 * g_base64_decode() skips what it does not understand, which would hide a
 * server that does not speak AUTH. */
static guchar *
decode_challenge (const char  *challenge,
                  gsize       *out_length)
{
  g_autofree char *text = g_strstrip (g_strdup (challenge));
  gsize length = strlen (text), padding = 0;
  g_autoptr(GString) padded = NULL;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
    }

  if (padding > 2 || (padding > 0 && length % 4 != 0) || (padding == 0 && length % 4 == 1))
    return NULL;

  padded = g_string_new (text);
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');

  return g_base64_decode (padded->str, out_length);
}

static char *
bad_challenge (GError **error)
{
  g_set_error_literal (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_BAD_CHALLENGE,
                       _("The server sent an unexpected request while signing in."));
  return NULL;
}

/**
 * smtp_sasl_step:
 * @sasl: an exchange that has been started with smtp_sasl_initial_command()
 * @challenge: the text of the server's 334 reply: base64, possibly empty
 * @error: return location for a #SMTP_AUTH_ERROR
 *
 * Answers one challenge. LOGIN answers the user name, then the password,
 * by the order of the challenges and not by their words ("Username:" is
 * worded differently by some servers). CRAM-MD5 answers the user name and
 * the HMAC-MD5 of the challenge keyed with the password (RFC 2195). A 334
 * after XOAUTH2 carries the server's error as JSON; the answer is an empty
 * line, after which the server sends its final error reply.
 *
 * Returns: (transfer full) (nullable): the line to send, without CRLF; it
 *   may hold the password, so free it with smtp_sasl_line_free(). %NULL
 *   with %SMTP_AUTH_ERROR_BAD_CHALLENGE when @challenge is not base64 or
 *   no challenge was expected
 */
char *
smtp_sasl_step (SmtpSasl    *sasl,
                const char  *challenge,
                GError     **error)
{
  g_autofree guchar *decoded = NULL;
  gsize decoded_length = 0;
  char *line = NULL;

  g_return_val_if_fail (sasl != NULL, NULL);
  g_return_val_if_fail (sasl->started, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  decoded = decode_challenge (challenge != NULL ? challenge : "", &decoded_length);
  if (decoded == NULL)
    return bad_challenge (error);

  switch (sasl->mechanism)
    {
    case SMTP_AUTH_MECHANISM_PLAIN:
      /* The credentials went with the command already. */
      return bad_challenge (error);

    case SMTP_AUTH_MECHANISM_LOGIN:
      if (sasl->n_steps == 0)
        line = encode_response (NULL, (const guchar *) sasl->user, strlen (sasl->user));
      else if (sasl->n_steps == 1)
        line = encode_response (NULL, (const guchar *) sasl->secret, strlen (sasl->secret));
      else
        return bad_challenge (error);
      break;

    case SMTP_AUTH_MECHANISM_CRAM_MD5:
      {
        g_autoptr(GHmac) hmac = NULL;
        gsize user_length = strlen (sasl->user);
        const char *digest;
        gsize response_length;
        char *response;

        /* RFC 2195 §2: the challenge is a msg-id, never empty. */
        if (sasl->n_steps > 0 || decoded_length == 0)
          return bad_challenge (error);

        hmac = g_hmac_new (G_CHECKSUM_MD5, (const guchar *) sasl->secret, strlen (sasl->secret));
        g_hmac_update (hmac, decoded, decoded_length);
        digest = g_hmac_get_string (hmac);

        response_length = user_length + 1 + strlen (digest);
        response = g_malloc (response_length + 1);
        memcpy (response, sasl->user, user_length);
        response[user_length] = ' ';
        memcpy (response + user_length + 1, digest, strlen (digest) + 1);
        line = encode_response (NULL, (const guchar *) response, response_length);
        wipe_and_free (response, response_length);
      }
      break;

    case SMTP_AUTH_MECHANISM_XOAUTH2:
      if (sasl->n_steps > 0)
        return bad_challenge (error);
      line = g_strdup ("");
      break;

    case SMTP_AUTH_MECHANISM_AUTO:
    default:
      g_assert_not_reached ();
    }

  sasl->n_steps++;

  return line;
}
