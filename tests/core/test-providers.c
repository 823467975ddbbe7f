/* test-providers.c: the built-in provider list and its lookups
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-address.h"
#include "smtp-providers.h"

#include <string.h>

static void
test_providers_valid (void)
{
  SmtpProviders *providers = smtp_providers_get_default ();
  GPtrArray *all = smtp_providers_get_all (providers);
  guint n_domains = 0;

  g_test_summary ("Every entry of the built-in list has a valid host, port and security, "
                  "normalised domains, and notes; the list has at least 150 domains.");

  g_assert_cmpuint (all->len, >, 50);

  for (guint i = 0; i < all->len; i++)
    {
      SmtpProvider *provider = g_ptr_array_index (all, i);
      g_auto(GStrv) notes = smtp_provider_get_notes (provider);

      g_test_message ("%s", provider->id);
      g_assert_cmpstr (provider->id, !=, "");
      g_assert_cmpstr (provider->name, !=, "");
      g_assert_true (provider->domains[0] != NULL || provider->mx_patterns[0] != NULL);

      if (provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP)
        g_assert_cmpuint (provider->n_servers, ==, 0);
      else
        g_assert_cmpuint (provider->n_servers, >, 0);

      for (guint s = 0; s < provider->n_servers; s++)
        {
          const SmtpProviderServer *server = &provider->servers[s];
          g_autoptr(GError) error = NULL;

          g_assert_true (smtp_host_validate (server->host, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (server->port, >=, 1);
          g_assert_true (server->security == SMTP_SECURITY_TLS ||
                         server->security == SMTP_SECURITY_STARTTLS);
          /* Only a bridge on this computer may be an address. */
          if (g_hostname_is_ip_address (server->host))
            g_assert_true (provider->flags & SMTP_PROVIDER_FLAG_BRIDGE_ONLY);
        }

      for (guint d = 0; provider->domains[d] != NULL; d++)
        {
          g_autofree char *normalized = smtp_providers_normalize_domain (provider->domains[d]);
          g_autoptr(SmtpProvider) found = NULL;

          g_assert_cmpstr (normalized, ==, provider->domains[d]);
          g_assert_nonnull (strchr (provider->domains[d], '.'));
          g_assert_true (smtp_host_validate (provider->domains[d], NULL));
          found = smtp_providers_lookup_domain (providers, provider->domains[d]);
          g_assert_true (found == provider);
          n_domains++;
        }

      for (guint m = 0; provider->mx_patterns[m] != NULL; m++)
        {
          g_autoptr(SmtpProvider) found = smtp_providers_lookup_mx (providers,
                                                                  provider->mx_patterns[m]);

          g_assert_true (found == provider);
        }

      if (provider->help_uri != NULL)
        g_assert_true (g_str_has_prefix (provider->help_uri, "https://"));

      if (provider->flags & (SMTP_PROVIDER_FLAG_APP_PASSWORD | SMTP_PROVIDER_FLAG_NO_SMTP |
                             SMTP_PROVIDER_FLAG_BRIDGE_ONLY | SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS))
        {
          g_assert_nonnull (notes[0]);
          g_assert_nonnull (strstr (notes[0], provider->name));
        }
    }

  g_assert_cmpuint (n_domains, ==, smtp_providers_get_n_domains (providers));
  g_assert_cmpuint (n_domains, >=, 150);
}

static void
test_providers_source_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "providers",
                                                 "providers.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpProviders) parsed = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_test_summary ("The compiled-in list is the one in data/providers.");

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  parsed = smtp_providers_new_from_data (contents, length, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (smtp_providers_get_all (parsed)->len, ==,
                    smtp_providers_get_all (smtp_providers_get_default ())->len);
  g_assert_cmpuint (smtp_providers_get_n_domains (parsed), ==,
                    smtp_providers_get_n_domains (smtp_providers_get_default ()));
}

static const struct {
  const char   *domain;
  const char   *id;
  const char   *host;
  guint16       port;
  SmtpSecurity  security;
} domain_cases[] = {
  { "gmail.com", "gmail", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
  { "GMAIL.COM", "gmail", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
  { "Gmail.Com.", "gmail", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
  /* Full-width letters and an ideographic full stop: IDNA maps them to ASCII. */
  { "ＧＭＡＩＬ。ｃｏｍ", "gmail", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
  { "googlemail.com", "gmail", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
  { "outlook.com", "outlook", "smtp-mail.outlook.com", 587, SMTP_SECURITY_STARTTLS },
  { "Hotmail.co.uk", "outlook", "smtp-mail.outlook.com", 587, SMTP_SECURITY_STARTTLS },
  { "live.fr", "outlook", "smtp-mail.outlook.com", 587, SMTP_SECURITY_STARTTLS },
  { "msn.com", "outlook", "smtp-mail.outlook.com", 587, SMTP_SECURITY_STARTTLS },
  { "outlook.de", "outlook", "smtp-mail.outlook.com", 587, SMTP_SECURITY_STARTTLS },
  { "yahoo.com", "yahoo", "smtp.mail.yahoo.com", 465, SMTP_SECURITY_TLS },
  { "YAHOO.CO.UK", "yahoo", "smtp.mail.yahoo.com", 465, SMTP_SECURITY_TLS },
  { "ymail.com", "yahoo", "smtp.mail.yahoo.com", 465, SMTP_SECURITY_TLS },
  { "yahoo.co.jp", "yahoo-japan", "smtp.mail.yahoo.co.jp", 465, SMTP_SECURITY_TLS },
  { "aol.com", "aol", "smtp.aol.com", 465, SMTP_SECURITY_TLS },
  { "verizon.net", "verizon", "smtp.aol.com", 465, SMTP_SECURITY_TLS },
  { "icloud.com", "icloud", "smtp.mail.me.com", 587, SMTP_SECURITY_STARTTLS },
  { "me.com", "icloud", "smtp.mail.me.com", 587, SMTP_SECURITY_STARTTLS },
  { "mac.com", "icloud", "smtp.mail.me.com", 587, SMTP_SECURITY_STARTTLS },
  { "gmx.de", "gmx", "mail.gmx.net", 465, SMTP_SECURITY_TLS },
  { "GMX.at", "gmx", "mail.gmx.net", 465, SMTP_SECURITY_TLS },
  { "gmx.com", "gmx-com", "mail.gmx.com", 465, SMTP_SECURITY_TLS },
  { "web.de", "webde", "smtp.web.de", 465, SMTP_SECURITY_TLS },
  { "t-online.de", "t-online", "securesmtp.t-online.de", 465, SMTP_SECURITY_TLS },
  { "freenet.de", "freenet", "mx.freenet.de", 465, SMTP_SECURITY_TLS },
  { "mail.ru", "mail-ru", "smtp.mail.ru", 465, SMTP_SECURITY_TLS },
  { "bk.ru", "mail-ru", "smtp.mail.ru", 465, SMTP_SECURITY_TLS },
  { "yandex.ru", "yandex", "smtp.yandex.com", 465, SMTP_SECURITY_TLS },
  { "ya.ru", "yandex", "smtp.yandex.com", 465, SMTP_SECURITY_TLS },
  { "yandex.com", "yandex", "smtp.yandex.com", 465, SMTP_SECURITY_TLS },
  { "rambler.ru", "rambler", "smtp.rambler.ru", 465, SMTP_SECURITY_TLS },
  { "qq.com", "qq", "smtp.qq.com", 465, SMTP_SECURITY_TLS },
  { "163.com", "netease-163", "smtp.163.com", 465, SMTP_SECURITY_TLS },
  { "naver.com", "naver", "smtp.naver.com", 465, SMTP_SECURITY_TLS },
  { "hanmail.net", "daum", "smtp.daum.net", 465, SMTP_SECURITY_TLS },
  { "zoho.com", "zoho", "smtp.zoho.com", 465, SMTP_SECURITY_TLS },
  { "zoho.eu", "zoho-eu", "smtp.zoho.eu", 465, SMTP_SECURITY_TLS },
  { "fastmail.com", "fastmail", "smtp.fastmail.com", 465, SMTP_SECURITY_TLS },
  { "proton.me", "proton", "127.0.0.1", 1025, SMTP_SECURITY_STARTTLS },
  { "orange.fr", "orange", "smtp.orange.fr", 465, SMTP_SECURITY_TLS },
  { "wanadoo.fr", "orange", "smtp.orange.fr", 465, SMTP_SECURITY_TLS },
  { "free.fr", "free", "smtp.free.fr", 465, SMTP_SECURITY_TLS },
  { "libero.it", "libero", "smtp.libero.it", 465, SMTP_SECURITY_TLS },
  { "seznam.cz", "seznam", "smtp.seznam.cz", 465, SMTP_SECURITY_TLS },
  { "wp.pl", "wp", "smtp.wp.pl", 465, SMTP_SECURITY_TLS },
  { "btinternet.com", "bt", "mail.btinternet.com", 465, SMTP_SECURITY_TLS },
  { "comcast.net", "comcast", "smtp.comcast.net", 465, SMTP_SECURITY_TLS },
  { "sbcglobal.net", "att", "outbound.att.net", 465, SMTP_SECURITY_TLS },
  { "posteo.de", "posteo", "posteo.de", 465, SMTP_SECURITY_TLS },
  { "mailbox.org", "mailbox-org", "smtp.mailbox.org", 465, SMTP_SECURITY_TLS },
  { "uol.com.br", "uol", "smtps.uol.com.br", 587, SMTP_SECURITY_STARTTLS },
  { "ziggo.nl", "ziggo", "smtp.ziggo.nl", 587, SMTP_SECURITY_STARTTLS },
};

static void
test_providers_lookup_domain (void)
{
  SmtpProviders *providers = smtp_providers_get_default ();
  static const char *const unknown[] = {
    "example.com", "notgmail.com", "gmail.com.example.org", "mail.google.com", "google.com",
    "gmail", "", ".", "gmail..com", "gmail com",
  };

  g_test_summary ("Domains are found in any case, with a final dot and in Unicode form; "
                  "look-alikes are not.");

  for (guint i = 0; i < G_N_ELEMENTS (domain_cases); i++)
    {
      g_autoptr(SmtpProvider) provider = smtp_providers_lookup_domain (providers,
                                                                       domain_cases[i].domain);

      g_test_message ("%s", domain_cases[i].domain);
      g_assert_nonnull (provider);
      g_assert_cmpstr (provider->id, ==, domain_cases[i].id);
      g_assert_cmpuint (provider->n_servers, >, 0);
      g_assert_cmpstr (provider->servers[0].host, ==, domain_cases[i].host);
      g_assert_cmpuint (provider->servers[0].port, ==, domain_cases[i].port);
      g_assert_cmpint (provider->servers[0].security, ==, domain_cases[i].security);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(SmtpProvider) provider = smtp_providers_lookup_domain (providers, unknown[i]);

      g_test_message ("unknown: “%s”", unknown[i]);
      g_assert_null (provider);
    }
}

static void
test_providers_lookup_mx (void)
{
  SmtpProviders *providers = smtp_providers_get_default ();
  static const struct {
    const char   *mx;
    const char   *id;
    const char   *host;
    guint16       port;
    SmtpSecurity  security;
  } cases[] = {
    { "aspmx.l.google.com", "google-workspace", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
    { "ALT1.ASPMX.L.GOOGLE.COM.", "google-workspace", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
    { "smtp.google.com", "google-workspace", "smtp.gmail.com", 465, SMTP_SECURITY_TLS },
    { "alt2.gmail-smtp-in.l.google.com", "google-workspace", "smtp.gmail.com", 465,
      SMTP_SECURITY_TLS },
    { "contoso-com.mail.protection.outlook.com", "microsoft-365", "smtp.office365.com", 587,
      SMTP_SECURITY_STARTTLS },
    { "hotmail-com.olc.protection.outlook.com", "outlook", "smtp-mail.outlook.com", 587,
      SMTP_SECURITY_STARTTLS },
    { "mx.zoho.com", "zoho-org", "smtppro.zoho.com", 465, SMTP_SECURITY_TLS },
    { "mx2.zoho.eu", "zoho-org-eu", "smtppro.zoho.eu", 465, SMTP_SECURITY_TLS },
    { "mx.zoho.com.au", "zoho-org-au", "smtppro.zoho.com.au", 465, SMTP_SECURITY_TLS },
    { "mx.yandex.net", "yandex", "smtp.yandex.com", 465, SMTP_SECURITY_TLS },
    { "in1-smtp.messagingengine.com", "fastmail", "smtp.fastmail.com", 465, SMTP_SECURITY_TLS },
    { "mx01.mail.icloud.com", "icloud", "smtp.mail.me.com", 587, SMTP_SECURITY_STARTTLS },
    { "mailstore1.secureserver.net", "godaddy", "smtpout.secureserver.net", 465,
      SMTP_SECURITY_TLS },
    { "mail.protonmail.ch", "proton", "127.0.0.1", 1025, SMTP_SECURITY_STARTTLS },
    { "mx1.privateemail.com", "namecheap", "mail.privateemail.com", 465, SMTP_SECURITY_TLS },
    { "aspmx1.migadu.com", "migadu", "smtp.migadu.com", 465, SMTP_SECURITY_TLS },
    { "mx00.ionos.de", "ionos-de", "smtp.ionos.de", 465, SMTP_SECURITY_TLS },
    { "mxext1.mailbox.org", "mailbox-org", "smtp.mailbox.org", 465, SMTP_SECURITY_TLS },
    { "spool.mail.gandi.net", "gandi", "mail.gandi.net", 465, SMTP_SECURITY_TLS },
    { "mx1.mail.ovh.net", "ovh", "ssl0.ovh.net", 465, SMTP_SECURITY_TLS },
    { "smtpin.rzone.de", "strato", "smtp.strato.de", 465, SMTP_SECURITY_TLS },
    { "mx1.emailsrvr.com", "rackspace", "secure.emailsrvr.com", 465, SMTP_SECURITY_TLS },
    { "emx.mail.ru", "mail-ru", "smtp.mail.ru", 465, SMTP_SECURITY_TLS },
  };
  static const char *const unknown[] = {
    "notgoogle.com", "google.com.example.org", "mx.example.org", "protection.outlook.com",
    "outlook.com", "evilzoho.com", "mx1.qq.com", "",
  };

  g_test_summary ("MX hosts of hosted domains name their provider; suffixes match only at a "
                  "label boundary, the longest pattern winning.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpProvider) provider = smtp_providers_lookup_mx (providers, cases[i].mx);

      g_test_message ("%s", cases[i].mx);
      g_assert_nonnull (provider);
      g_assert_cmpstr (provider->id, ==, cases[i].id);
      g_assert_cmpstr (provider->servers[0].host, ==, cases[i].host);
      g_assert_cmpuint (provider->servers[0].port, ==, cases[i].port);
      g_assert_cmpint (provider->servers[0].security, ==, cases[i].security);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(SmtpProvider) provider = smtp_providers_lookup_mx (providers, unknown[i]);

      g_test_message ("unknown: “%s”", unknown[i]);
      g_assert_null (provider);
    }
}

static void
test_providers_username (void)
{
  SmtpProviders *providers = smtp_providers_get_default ();
  g_autoptr(SmtpProvider) free = smtp_providers_lookup_domain (providers, "free.fr");
  g_autoptr(SmtpProvider) gmail = smtp_providers_lookup_domain (providers, "gmail.com");
  g_autofree char *free_user = smtp_provider_make_username (free, "ada.lovelace@free.fr");
  g_autofree char *gmail_user = smtp_provider_make_username (gmail, "ada.lovelace@gmail.com");

  g_assert_cmpint (free->username_form, ==, SMTP_USERNAME_FORM_LOCAL_PART);
  g_assert_cmpstr (free_user, ==, "ada.lovelace");
  g_assert_cmpint (gmail->username_form, ==, SMTP_USERNAME_FORM_ADDRESS);
  g_assert_cmpstr (gmail_user, ==, "ada.lovelace@gmail.com");
}

static gboolean
notes_contain (char       **notes,
               const char  *text)
{
  for (guint i = 0; notes[i] != NULL; i++)
    {
      if (strstr (notes[i], text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_providers_notes (void)
{
  SmtpProviders *providers = smtp_providers_get_default ();
  g_autoptr(SmtpProvider) gmail = smtp_providers_lookup_domain (providers, "gmail.com");
  g_autoptr(SmtpProvider) tuta = smtp_providers_lookup_domain (providers, "tutanota.com");
  g_autoptr(SmtpProvider) proton = smtp_providers_lookup_domain (providers, "protonmail.com");
  g_autoptr(SmtpProvider) webde = smtp_providers_lookup_domain (providers, "web.de");
  g_autoptr(SmtpProvider) outlook = smtp_providers_lookup_domain (providers, "outlook.com");
  g_auto(GStrv) gmail_notes = smtp_provider_get_notes (gmail);
  g_auto(GStrv) tuta_notes = smtp_provider_get_notes (tuta);
  g_auto(GStrv) proton_notes = smtp_provider_get_notes (proton);
  g_auto(GStrv) webde_notes = smtp_provider_get_notes (webde);
  g_auto(GStrv) outlook_notes = smtp_provider_get_notes (outlook);

  g_assert_true (gmail->flags & SMTP_PROVIDER_FLAG_APP_PASSWORD);
  g_assert_nonnull (gmail->help_uri);
  g_assert_true (notes_contain (gmail_notes, "Gmail needs an app password"));

  g_assert_true (tuta->flags & SMTP_PROVIDER_FLAG_NO_SMTP);
  g_assert_cmpuint (tuta->n_servers, ==, 0);
  g_assert_cmpuint (g_strv_length (tuta_notes), ==, 1);
  g_assert_true (notes_contain (tuta_notes, "no outgoing (SMTP) server"));

  g_assert_true (proton->flags & SMTP_PROVIDER_FLAG_BRIDGE_ONLY);
  g_assert_true (notes_contain (proton_notes, "bridge"));

  g_assert_true (webde->flags & SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS);
  g_assert_true (notes_contain (webde_notes, "web mail settings"));

  g_assert_true (outlook->flags & SMTP_PROVIDER_FLAG_APP_PASSWORD_2FA);
  g_assert_true (notes_contain (outlook_notes, "two-step verification"));
}

#define PROVIDER_HEAD "<providers version=\"1\"><provider id=\"x\" name=\"X\">"
#define PROVIDER_TAIL "</provider></providers>"
#define SERVER "<server host=\"smtp.x.example\" port=\"465\" security=\"tls\"/>"

static void
test_providers_parse_errors (void)
{
  static const char *const broken[] = {
    "",
    "<providers",
    "<other/>",
    "<providers version=\"2\"/>",
    PROVIDER_HEAD "<domain>x.example</domain>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp.x.example\" port=\"0\" "
      "security=\"tls\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp.x.example\" port=\"70000\" "
      "security=\"tls\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp.x.example\" port=\"abc\" "
      "security=\"tls\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp.x.example\" port=\"25\" "
      "security=\"none\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp.x.example\" port=\"25\" "
      "security=\"ssl\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><server host=\"smtp x.example\" port=\"25\" "
      "security=\"tls\"/>" PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x .example</domain>" SERVER PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>localhost</domain>" SERVER PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><domain>X.Example</domain>" SERVER PROVIDER_TAIL,
    PROVIDER_HEAD "<domain>x.example</domain><port>25</port>" SERVER PROVIDER_TAIL,
    PROVIDER_HEAD SERVER PROVIDER_TAIL,
    "<providers><provider id=\"x\" name=\"X\" kind=\"no-smtp\"><domain>x.example</domain>"
      SERVER PROVIDER_TAIL,
    "<providers><provider id=\"x\" name=\"X\" help=\"http://x.example/\">"
      "<domain>x.example</domain>" SERVER PROVIDER_TAIL,
    "<providers><provider id=\"x\" name=\"X\" app-password=\"maybe\">"
      "<domain>x.example</domain>" SERVER PROVIDER_TAIL,
    "<providers><provider id=\"x\" name=\"X\"><domain>x.example</domain>" SERVER "</provider>"
      "<provider id=\"y\" name=\"Y\"><domain>x.example</domain>" SERVER PROVIDER_TAIL,
    "<providers><provider id=\"x\" name=\"X\"><domain>x.example</domain>" SERVER "</provider>"
      "<provider id=\"x\" name=\"Y\"><domain>y.example</domain>" SERVER PROVIDER_TAIL,
  };

  g_test_summary ("A broken list is refused with an error, never half loaded.");

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmtpProviders) providers = NULL;

      g_test_message ("%s", broken[i]);
      providers = smtp_providers_new_from_data (broken[i], -1, &error);
      g_assert_null (providers);
      g_assert_error (error, G_MARKUP_ERROR, error->code);
    }
}

static void
test_providers_idn (void)
{
  static const char list[] =
    "<providers version=\"1\">"
    "<provider id=\"books\" name=\"Books\" username=\"local-part\">"
    "<domain>bücher.example</domain>"
    "<mx>mx.bücher-hosting.example</mx>"
    "<server host=\"smtp.xn--bcher-kva.example\" port=\"587\" security=\"starttls\"/>"
    "</provider></providers>";
  static const char *const forms[] = {
    "bücher.example", "BÜCHER.example", "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE.",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpProviders) providers = smtp_providers_new_from_data (list, -1, &error);
  g_autoptr(SmtpProvider) by_mx = NULL;
  g_autofree char *user = NULL;

  g_test_summary ("Internationalised domains are stored in ASCII form and found in any form.");

  g_assert_no_error (error);
  g_assert_cmpstr (smtp_providers_get_all (providers)->len == 1 ?
                   ((SmtpProvider *) g_ptr_array_index (smtp_providers_get_all (providers), 0))
                   ->domains[0] : NULL, ==, "xn--bcher-kva.example");

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(SmtpProvider) provider = smtp_providers_lookup_domain (providers, forms[i]);

      g_test_message ("%s", forms[i]);
      g_assert_nonnull (provider);
      g_assert_cmpstr (provider->id, ==, "books");
    }

  by_mx = smtp_providers_lookup_mx (providers, "eu.MX.Bücher-Hosting.example");
  g_assert_nonnull (by_mx);
  user = smtp_provider_make_username (by_mx, "jörg@bücher.example");
  g_assert_cmpstr (user, ==, "jörg");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_bug ("6");

  g_test_add_func ("/providers/valid", test_providers_valid);
  g_test_add_func ("/providers/source-file", test_providers_source_file);
  g_test_add_func ("/providers/lookup/domain", test_providers_lookup_domain);
  g_test_add_func ("/providers/lookup/mx", test_providers_lookup_mx);
  g_test_add_func ("/providers/username", test_providers_username);
  g_test_add_func ("/providers/notes", test_providers_notes);
  g_test_add_func ("/providers/parse-errors", test_providers_parse_errors);
  g_test_add_func ("/providers/idn", test_providers_idn);

  return g_test_run ();
}
