/* test-address.c: checks of addresses, host names and wire-safe text
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

static void
test_address_table (void)
{
  static const struct {
    const char *address;
    gboolean valid;
    int code;
  } cases[] = {
    { "ada@example.com", TRUE, 0 },
    { "ada.lovelace+smtp@mail.example.co.uk", TRUE, 0 },
    { "ÿ@bücher.de", TRUE, 0 },
    { "用户@例子.广告", TRUE, 0 },
    { "", FALSE, SMTP_INPUT_ERROR_EMPTY },
    { "ada", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "@example.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@localhost", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@exa mple.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@example..com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@-example.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { ".ada@example.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "a..da@example.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "ada@example.com\r\nRCPT TO:<x@y.z>", FALSE, SMTP_INPUT_ERROR_CONTROL_CHARACTER },
    { "ada\n@example.com", FALSE, SMTP_INPUT_ERROR_CONTROL_CHARACTER },
    { "a<da@example.com", FALSE, SMTP_INPUT_ERROR_INVALID },
    { "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com", FALSE,
      SMTP_INPUT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = smtp_address_validate (cases[i].address, &error);

      g_test_message ("%s", cases[i].address);
      g_assert_cmpint (ok, ==, cases[i].valid);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
        }
      else
        {
          g_assert_error (error, SMTP_INPUT_ERROR, cases[i].code);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_address_parts (void)
{
  g_autofree char *domain = smtp_address_get_domain ("Ada@Example.COM");
  g_autofree char *local = smtp_address_get_local_part ("Ada@Example.COM");

  g_assert_cmpstr (domain, ==, "example.com");
  g_assert_cmpstr (local, ==, "Ada");
  g_assert_false (smtp_address_needs_utf8 ("ada@example.com"));
  g_assert_true (smtp_address_needs_utf8 ("ada@bücher.de"));
}

static void
test_host_table (void)
{
  static const struct {
    const char *host;
    gboolean valid;
  } cases[] = {
    { "smtp.example.com", TRUE },
    { "localhost", TRUE },
    { "127.0.0.1", TRUE },
    { "::1", TRUE },
    { "mail.bücher.de", TRUE },
    { "smtp.example.com.", TRUE },
    { "", FALSE },
    { "smtp.example.com:587", FALSE },
    { "https://smtp.example.com", FALSE },
    { "smtp example.com", FALSE },
    { "smtp..example.com", FALSE },
    { "smtp.example.com\r\n", FALSE },
    { "-smtp.example.com", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].host);
      g_assert_cmpint (smtp_host_validate (cases[i].host, &error), ==, cases[i].valid);
      g_assert_true ((error == NULL) == cases[i].valid);
    }
}

static void
test_wire_safe (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (smtp_text_check_wire_safe ("Ada Lovelace\tÜ", NULL));
  g_assert_false (smtp_text_check_wire_safe ("a\rb", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
  g_assert_false (smtp_text_check_wire_safe ("\x7f", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
  g_assert_false (smtp_text_check_wire_safe ("\xff\xfe", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("Email addresses, server names and text that reaches the wire are checked "
                  "before use, with a message a person understands.");

  g_test_add_func ("/address/validate", test_address_table);
  g_test_add_func ("/address/parts", test_address_parts);
  g_test_add_func ("/address/host", test_host_table);
  g_test_add_func ("/address/wire-safe", test_wire_safe);

  return g_test_run ();
}
