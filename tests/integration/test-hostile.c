/* test-hostile.c: the SMTP client against hostile servers from published STARTTLS research
 *
 * Every case is one scenario from a published source (named next to it): STARTTLS
 * stripping and negotiation tricks and response buffering from Poddebniak et al., "Why
 * TLS is better without STARTTLS" (USENIX Security 2021) and their test cases
 * (Email-Analysis-Toolkit/fake-mail-server, testcases/smtp), the response-injection CVEs
 * (Postfix CVE-2011-0411 in reverse, curl CVE-2021-22947, Exim CVE-2021-38371,
 * libetpan #386, nodemailer's partial-line variant), STARTTLS stripping proxies
 * (striptls, Python CVE-2016-0772), certificate test sets (badssl.com, RFC 6125 /
 * RFC 9525 name matching, x509-limbo style chains) and stalls, floods and drips.
 *
 * Each asserts the invariants through what the server recorded and what the client
 * returned: no password and no MAIL FROM over plaintext unless the person allowed it,
 * nothing from before the TLS handshake taken as said after it nor shown, no hang past
 * the overall deadline, and no success that was not proven.
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"

#include <stdlib.h>
#include <string.h>

#define USER "ada@example.test"
#define PASSWORD "Sup3r-secret pässword"
#define FROM "ada@example.test"
#define TO "bob@example.test"
/* Every text a hostile server sends before the handshake carries this, so
 * the tests can prove that none of it reaches the person. */
#define SPOOF "evil.example"

#define STEP_MS 2000
#define DEADLINE_MS 3000
#define MARGIN_MS 1500

static char *certs;

/* Under valgrind everything runs ten times slower, under the sanitizers a few
 * times: so do the budgets (as in test-client.c). */
static guint
scaled (guint ms)
{
  const char *slow = g_getenv ("SMTP_TEST_SLOW");

  if (g_getenv ("SMTP_TEST_VALGRIND") != NULL)
    return ms * 10;
  return slow != NULL ? ms * MAX (1, atoi (slow)) : ms;
}

typedef enum
{
  EXPECT_OK,          /* success, and the message arrived unless check-only */
  EXPECT_ANY_ERROR,   /* any failure */
  EXPECT_TIMED_OUT,   /* G_IO_ERROR_TIMED_OUT */
  EXPECT_BAD_CERT,    /* G_TLS_ERROR_BAD_CERTIFICATE */
  EXPECT_TLS_FAILED,  /* any failure at the TLS stage */
  EXPECT_CLIENT,      /* SMTP_CLIENT_ERROR, @code */
} Expect;

typedef struct
{
  const char        *path;
  const char        *source;
  SmtpTestSecurity   server;        /* the server's mode */
  const char        *cert;          /* NULL: "server" */
  const char        *rules;         /* script lines, as smtp-test-server --script takes */
  const char *const *before_tls;    /* NULL: the server's defaults */
  const char *const *after_tls;
  SmtpSecurity       security;      /* the client's mode */
  const char        *host;          /* NULL: "localhost" */
  const char        *ca;            /* NULL: "ca.pem"; "": none */
  gboolean           no_password;
  gboolean           allow_plaintext;
  gboolean           check_only;
  guint              step_ms;       /* 0: STEP_MS */
  guint              deadline_ms;   /* 0: DEADLINE_MS */

  Expect             expect;
  int                code;          /* for EXPECT_CLIENT */
  SmtpStage          stage;         /* SMTP_STAGE_NONE: any */
  const char        *category;      /* NULL: not checked */
  gboolean           may_deliver;   /* a failure after the message went in */
  GTlsCertificateFlags cert_flags;  /* at least these failed checks, when set */
  SmtpAuthMechanism  mechanism;     /* with EXPECT_OK: the one used, unless AUTO */
} HostileCase;

static const char *const caps_no_starttls[] = { "PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME", NULL };
static const char *const caps_spoof_keyword[] = {
  "PIPELINING", "X-HELP https://" SPOOF "/fix", "AUTH PLAIN", NULL
};
static const char *const caps_forged_before[] = {
  "PIPELINING", "SIZE 100", "STARTTLS", "AUTH PLAIN LOGIN", NULL
};
static const char *const caps_cram_only[] = { "PIPELINING", "SIZE 10240000", "AUTH CRAM-MD5", NULL };
static const char *const caps_no_auth[] = { "PIPELINING", "8BITMIME", NULL };
static const char *const caps_odd_auth[] = {
  "PIPELINING", "AUTH GSSAPI NTLM SCRAM-SHA-256 X-0THROOT OTP", NULL
};

/* The cases ------------------------------------------------------------------------- */

static const HostileCase cases[] = {
  /* STARTTLS stripping and negotiation: Poddebniak et al. 2021, §5 "Negotiation"
   * (fake-mail-server testcases/smtp/Negotiation O_1..O_4, D_1, others/starttls),
   * striptls (StripFromCapabilities, StripWithError, StripWithTemporaryError,
   * StripWithInvalidResponseCode) and Python smtplib CVE-2016-0772. */
  { "/hostile/strip/keyword-removed", "Poddebniak O_1 / striptls StripFromCapabilities",
    SMTP_TEST_SECURITY_STARTTLS, .before_tls = caps_no_starttls,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
    .stage = SMTP_STAGE_STARTTLS, .category = "starttls-not-offered" },
  { "/hostile/strip/keyword-removed-plaintext-allowed",
    "Poddebniak O_1 with the plaintext-password consent given (it covers no encryption only)",
    SMTP_TEST_SECURITY_STARTTLS, .before_tls = caps_no_starttls, .allow_plaintext = TRUE,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/keyword-removed-no-password", "Poddebniak O_1, sending without sign-in",
    SMTP_TEST_SECURITY_STARTTLS, .before_tls = caps_no_starttls, .no_password = TRUE,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-502", "Poddebniak O_2 / striptls StripWithError",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 REPLY 0 502 5.5.1 Not implemented\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-454", "Poddebniak O_3 / striptls StripWithTemporaryError",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 454 4.7.0 TLS not available due to temporary reason\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-354", "Poddebniak O_4 / striptls StripWithInvalidResponseCode",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 REPLY 0 354 do something else\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-250", "fake-mail-server others/starttls (a 2xx that is not 220)",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 REPLY 0 250 2.0.0 Go on in plaintext\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-221", "fake-mail-server others/starttls/221.ron",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 REPLY 0 221 2.0.0 Bye\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/reply-530", "fake-mail-server others/starttls/530.ron",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 530 5.7.0 Authentication required\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/strip/ehlo-unknown", "Poddebniak D_1 (hide EHLO and STARTTLS: no HELO fallback)",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "EHLO 0 REPLY 0 500 5.5.2 Command unrecognized\\r\\n"
    "HELO 0 REPLY 0 250 localhost\\r\\n", .no_password = TRUE,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED, .stage = SMTP_STAGE_EHLO },
  { "/hostile/strip/ehlo-answered-220", "fake-mail-server others/ehlo/220.ron",
    SMTP_TEST_SECURITY_STARTTLS, "server", "EHLO 1 REPLY 0 220-localhost\\r\\n220 STARTTLS\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED, .stage = SMTP_STAGE_EHLO },
  { "/hostile/strip/plaintext-on-tls-port", "STARTTLS stripping against implicit TLS (RFC 8314 §3)",
    SMTP_TEST_SECURITY_PLAIN, .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_TLS_FAILED, .stage = SMTP_STAGE_TLS },
  { "/hostile/strip/tls-port-hangs-up", "implicit TLS, the connection closed at the handshake",
    SMTP_TEST_SECURITY_PLAIN, NULL, "GREETING 0 CLOSE 0 ", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_ANY_ERROR, .stage = SMTP_STAGE_TLS },

  /* Response injection, "buffering": Poddebniak B_1 (fake-mail-server
   * testcases/smtp/Buffering/B_1.ron), CVE-2011-0411 in reverse, curl CVE-2021-22947,
   * Exim CVE-2021-38371, libetpan #386, nodemailer #1835 (partial line). */
  { "/hostile/inject/ehlo-reply-behind-220", "Poddebniak B_1 (post-TLS EHLO unanswered)",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 220 Ready to start TLS\\r\\n250-" SPOOF "\\r\\n250 AUTH LOGIN\\r\\n\n"
    "EHLO 2 SILENCE 0 ",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/inject/auth-success-behind-220", "curl CVE-2021-22947 / Exim CVE-2021-38371",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 220 Go ahead\\r\\n250 ok\\r\\n235 2.7.0 Authentication successful\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/inject/whole-session-behind-220", "libetpan #386 (a whole forged session)",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 220 Go ahead\\r\\n250 AUTH PLAIN\\r\\n235 ok\\r\\n250 ok\\r\\n250 ok\\r\\n"
    "354 go\\r\\n250 queued\\r\\n221 bye\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/inject/partial-line-behind-220", "nodemailer #1835 (no line end behind the 220)",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 REPLY 0 220 Go ahead\\r\\n250-AUTH PLA",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/inject/later-segment", "CVE-2011-0411 reverse, injected bytes in later segments",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 DRIP 20 220 Ready\\r\\n250-x\\r\\n250 AUTH PLAIN\\r\\n",
    .expect = EXPECT_ANY_ERROR },
  { "/hostile/inject/starttls-answered-early", "RFC 3207 §5 / RFC 2920: STARTTLS answered unasked",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "EHLO 1 REPLY 0 250-localhost\\r\\n250 STARTTLS\\r\\n220 Ready to start TLS\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL },
  { "/hostile/inject/stripped-ehlo-behind-greeting",
    "striptls + buffering: a forged EHLO reply without STARTTLS behind the greeting",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "GREETING 0 REPLY 0 220 hi\\r\\n250-localhost\\r\\n250 AUTH PLAIN\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL },
  { "/hostile/inject/auth-preanswered-after-tls", "Poddebniak \"tampering\": 235 ahead of AUTH",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "EHLO 2 REPLY 0 250-localhost\\r\\n250 AUTH PLAIN\\r\\n235 2.7.0 ok\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL },
  { "/hostile/inject/pre-tls-capabilities-forgotten",
    "RFC 3207 §4.2: forget what EHLO said before TLS (a forged SIZE 100 and AUTH PLAIN)",
    SMTP_TEST_SECURITY_STARTTLS, .before_tls = caps_forged_before, .after_tls = caps_cram_only,
    .expect = EXPECT_OK, .mechanism = SMTP_AUTH_MECHANISM_CRAM_MD5 },
  { "/hostile/inject/message-preaccepted-tls", "false success: 250 ahead of the message (TLS)",
    SMTP_TEST_SECURITY_TLS, "server", "DATA 0 REPLY 0 354 go ahead\\r\\n250 2.0.0 queued\\r\\n",
    .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL },

  /* UI spoofing: Poddebniak §6 "UI spoofing" (testcases/imap/UI Spoofing, applied to SMTP) and DESIGN.md:
   * words from before the handshake are never shown. */
  { "/hostile/spoof/starttls-refusal-link", "Poddebniak UI spoofing, link in a STARTTLS refusal",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "STARTTLS 0 REPLY 0 454 4.7.0 Sign in again at https://" SPOOF "/login\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/spoof/greeting-text", "Poddebniak UI spoofing, greeting (greeting/no/01_alert)",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "GREETING 0 REPLY 0 554-5.7.1 Your password expired\\r\\n554 5.7.1 Call " SPOOF "\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_GREETING },
  { "/hostile/spoof/ehlo-keyword-link", "Poddebniak UI spoofing, a link as an EHLO keyword",
    SMTP_TEST_SECURITY_STARTTLS, .before_tls = caps_spoof_keyword,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED },

  /* False success: DESIGN.md "Security rules", RFC 5321 §4.3.2 (the only success
   * replies), RFC 4954 (235), fake-mail-server testcases/smtp/others (odd codes). */
  { "/hostile/false-success/auth-250", "RFC 4954 §4: only 235 means signed in",
    SMTP_TEST_SECURITY_STARTTLS, "server", "AUTH 0 REPLY 0 250 2.7.0 Fine\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED, .stage = SMTP_STAGE_AUTH },
  { "/hostile/false-success/auth-dropped-check-only", "DESIGN: AUTH gone after TLS is a failure",
    SMTP_TEST_SECURITY_STARTTLS, .after_tls = caps_no_auth, .check_only = TRUE,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED,
    .stage = SMTP_STAGE_AUTH },
  { "/hostile/false-success/auth-unusable-mechanisms", "fake-mail-server others/X_1.ron",
    SMTP_TEST_SECURITY_STARTTLS, .after_tls = caps_odd_auth,
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED,
    .stage = SMTP_STAGE_AUTH },
  { "/hostile/false-success/auth-endless-challenges", "RFC 4954: a 334 loop",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "AUTH 0 REPLY 0 334 \\r\\n\nAUTH-RESPONSE 0 REPLY 0 334 \\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL, .stage = SMTP_STAGE_AUTH },
  { "/hostile/false-success/mail-221", "RFC 5321 §4.3.2: MAIL succeeds with 250 only",
    SMTP_TEST_SECURITY_STARTTLS, "server", "MAIL 0 REPLY 0 221 2.0.0 Bye\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED, .stage = SMTP_STAGE_MAIL },
  { "/hostile/false-success/data-250", "RFC 5321 §4.3.2: DATA goes on with 354 only",
    SMTP_TEST_SECURITY_STARTTLS, "server", "DATA 0 REPLY 0 250 2.0.0 Ok\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED, .stage = SMTP_STAGE_DATA },
  { "/hostile/false-success/message-221", "RFC 5321 §4.3.2: end of data succeeds with 250 only",
    SMTP_TEST_SECURITY_STARTTLS, "server", "MESSAGE 0 REPLY 0 221 2.0.0 Bye\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_REJECTED,
    .stage = SMTP_STAGE_MESSAGE, .may_deliver = TRUE },
  { "/hostile/false-success/message-unfinished-reply", "a 250- reply that never ends",
    SMTP_TEST_SECURITY_STARTTLS, "server", "MESSAGE 0 REPLY 0 250-2.0.0 Queued\\r\\n",
    .expect = EXPECT_ANY_ERROR, .stage = SMTP_STAGE_MESSAGE, .may_deliver = TRUE },
  { "/hostile/false-success/message-hang-up", "connection lost after end of data",
    SMTP_TEST_SECURITY_STARTTLS, "server", "MESSAGE 0 CLOSE 0 ",
    .expect = EXPECT_ANY_ERROR, .stage = SMTP_STAGE_MESSAGE, .may_deliver = TRUE },

  /* Certificates: badssl.com, RFC 6125 §6.4.3 / RFC 9525 §6.3 (names, wildcards,
   * no CN fallback), x509-limbo style chains, GnuTLS's insecure-algorithm checks. */
  { "/hostile/cert/no-san-cn-only", "badssl.com no-subject / RFC 9525 §6.3 (no CN fallback)",
    SMTP_TEST_SECURITY_STARTTLS, "cnonly",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/ip-only-for-name", "RFC 6125 §6.4: an address does not name a host",
    SMTP_TEST_SECURITY_TLS, "iponly", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/name-only-for-ip", "RFC 6125 §1.7.2: an address needs an IP SAN",
    SMTP_TEST_SECURITY_TLS, "dnsonly", .security = SMTP_SECURITY_TLS, .host = "127.0.0.1",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/ip-written-as-name", "RFC 6125 §1.7.2: DNS:127.0.0.1 is no IP SAN",
    SMTP_TEST_SECURITY_TLS, "ipindns", .security = SMTP_SECURITY_TLS, .host = "127.0.0.1",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-valid", "RFC 6125 §6.4.3: *.mail.localhost names smtp.mail.localhost",
    SMTP_TEST_SECURITY_TLS, "wildcard", .security = SMTP_SECURITY_TLS,
    .host = "smtp.mail.localhost", .expect = EXPECT_OK },
  { "/hostile/cert/wildcard-bare-domain", "RFC 6125 §6.4.3: *.mail.localhost is not mail.localhost",
    SMTP_TEST_SECURITY_TLS, "wildcard", .security = SMTP_SECURITY_TLS, .host = "mail.localhost",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-two-labels", "RFC 6125 §6.4.3: a wildcard covers one label",
    SMTP_TEST_SECURITY_TLS, "wildcard", .security = SMTP_SECURITY_TLS,
    .host = "a.smtp.mail.localhost", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-top-level", "RFC 6125 §7.2: *.localhost (a whole top-level name)",
    SMTP_TEST_SECURITY_TLS, "wildcard-tld", .security = SMTP_SECURITY_TLS,
    .host = "mail.localhost", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-star", "RFC 6125 §6.4.3: DNS:* names nothing",
    SMTP_TEST_SECURITY_TLS, "wildcard-star", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-partial-label", "RFC 9525 §6.3: no partial-label wildcards",
    SMTP_TEST_SECURITY_TLS, "wildcard-partial", .security = SMTP_SECURITY_TLS,
    .host = "smtp.mail.localhost", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/wildcard-not-leftmost", "RFC 6125 §6.4.3: the wildcard must be leftmost",
    SMTP_TEST_SECURITY_TLS, "wildcard-inner", .security = SMTP_SECURITY_TLS,
    .host = "smtp.mail.localhost", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "/hostile/cert/sha1-signature", "badssl.com sha1-intermediate / SHAttered",
    SMTP_TEST_SECURITY_STARTTLS, "sha1", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/md5-signature", "CVE-2004-2761 (MD5 collisions, rogue CA)",
    SMTP_TEST_SECURITY_TLS, "md5", .security = SMTP_SECURITY_TLS, .ca = "ca-bundle.pem",
    .expect = EXPECT_TLS_FAILED, .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/rsa-512", "badssl.com rsa512 / weak keys",
    SMTP_TEST_SECURITY_TLS, "rsa512", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_TLS_FAILED, .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/client-auth-only", "x509-limbo: extendedKeyUsage without serverAuth",
    SMTP_TEST_SECURITY_STARTTLS, "clientauth", .expect = EXPECT_BAD_CERT,
    .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/issuer-not-a-ca", "x509-limbo / CVE-2002-0862: an issuer without CA:TRUE",
    SMTP_TEST_SECURITY_STARTTLS, "notca-leaf", .expect = EXPECT_BAD_CERT,
    .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/forged-issuer-name", "a chain whose issuer only has the trusted CA's name",
    SMTP_TEST_SECURITY_TLS, "forged", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS },
  { "/hostile/cert/untrusted-ca-in-chain", "badssl.com untrusted-root (the root sent along)",
    SMTP_TEST_SECURITY_STARTTLS, "unknownca", .expect = EXPECT_BAD_CERT,
    .stage = SMTP_STAGE_TLS, .cert_flags = G_TLS_CERTIFICATE_UNKNOWN_CA },
  { "/hostile/cert/self-signed-no-extra-ca", "badssl.com self-signed",
    SMTP_TEST_SECURITY_TLS, "selfsigned", .security = SMTP_SECURITY_TLS, .ca = "",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_UNKNOWN_CA, .category = "certificate-untrusted" },
  { "/hostile/cert/expired", "badssl.com expired", SMTP_TEST_SECURITY_STARTTLS, "expired",
    .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_EXPIRED, .category = "certificate-expired" },
  { "/hostile/cert/wrong-host", "badssl.com wrong.host", SMTP_TEST_SECURITY_STARTTLS,
    "wronghost", .expect = EXPECT_BAD_CERT, .stage = SMTP_STAGE_TLS,
    .cert_flags = G_TLS_CERTIFICATE_BAD_IDENTITY, .category = "certificate-hostname-mismatch" },

  /* Stalls, drips and floods: DESIGN.md (overall deadline, bounded reads) and the
   * "hanging" STARTTLS handshakes of Poddebniak et al. */
  { "/hostile/stall/handshake-after-220", "a 220 to STARTTLS, then no handshake",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 TLS_STALL 0 ",
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_TLS },
  { "/hostile/stall/implicit-handshake", "implicit TLS: TCP accepted, no handshake",
    SMTP_TEST_SECURITY_TLS, "server", "GREETING 0 TLS_STALL 0 ", .security = SMTP_SECURITY_TLS,
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_TLS },
  { "/hostile/stall/starttls-unanswered", "no answer to STARTTLS (a stripping proxy that drops it)",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 SILENCE 0 ",
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/stall/ehlo-after-tls", "no answer to the EHLO after the handshake",
    SMTP_TEST_SECURITY_STARTTLS, "server", "EHLO 2 SILENCE 0 ",
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_EHLO },
  { "/hostile/stall/after-message", "no answer after end of data",
    SMTP_TEST_SECURITY_STARTTLS, "server", "MESSAGE 0 SILENCE 0 ",
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_MESSAGE, .may_deliver = TRUE },
  { "/hostile/drip/endless-greeting", "a multi-line greeting dripped a byte at a time",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "GREETING 0 DRIP 50 220-a\\r\\n220-b\\r\\n220-c\\r\\n220-d\\r\\n220-e\\r\\n220-f\\r\\n"
    "220-g\\r\\n220-h\\r\\n220-i\\r\\n220-j\\r\\n220-k\\r\\n220-l\\r\\n220-m\\r\\n220-n\\r\\n"
    "220-o\\r\\n220-p\\r\\n220-q\\r\\n220-r\\r\\n220-s\\r\\n220-t\\r\\n220-u\\r\\n220-v\\r\\n"
    "220-w\\r\\n220-x\\r\\n220-y\\r\\n220-z\\r\\n220-aa\\r\\n220-bb\\r\\n220-cc\\r\\n220 zz\\r\\n",
    .expect = EXPECT_TIMED_OUT, .stage = SMTP_STAGE_GREETING },
  { "/hostile/drip/every-step-just-in-time", "every reply just inside its step, over the deadline",
    SMTP_TEST_SECURITY_STARTTLS, "server",
    "GREETING 0 REPLY 900 220 slow\\r\\n\nEHLO 0 REPLY 900 250-localhost\\r\\n250-STARTTLS\\r\\n"
    "250 AUTH PLAIN\\r\\n\nSTARTTLS 0 REPLY 900 220 go\\r\\n",
    .step_ms = 1500, .deadline_ms = 2000,
    .expect = EXPECT_TIMED_OUT },
  { "/hostile/flood/greeting", "an endless multi-line greeting",
    SMTP_TEST_SECURITY_STARTTLS, "server", "GREETING 0 FLOOD 0 ",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_TOO_LONG,
    .stage = SMTP_STAGE_GREETING },
  { "/hostile/flood/ehlo-after-tls", "an endless EHLO reply after the handshake",
    SMTP_TEST_SECURITY_STARTTLS, "server", "EHLO 2 FLOOD 0 ",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_REPLY_TOO_LONG, .stage = SMTP_STAGE_EHLO },
  { "/hostile/flood/long-starttls-line", "a megabyte line without an end for STARTTLS",
    SMTP_TEST_SECURITY_STARTTLS, "server", "STARTTLS 0 LONG_LINE 0 220 ",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_LINE_TOO_LONG,
    .stage = SMTP_STAGE_STARTTLS },
  { "/hostile/garbage/tls-record-as-greeting", "a TLS record where the greeting belongs",
    SMTP_TEST_SECURITY_STARTTLS, "server", "GREETING 0 REPLY 0 \x16\x03\x01\x02\x05hello\\r\\n",
    .expect = EXPECT_CLIENT, .code = SMTP_CLIENT_ERROR_PROTOCOL, .stage = SMTP_STAGE_GREETING },
};

/* Running one case ----------------------------------------------------------------------- */

typedef struct
{
  SmtpTestResult *result;
} Run;

static char *
cert_path (const char *name)
{
  return g_build_filename (certs, name, NULL);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->result = smtp_client_run_finish (SMTP_CLIENT (source), result);
}

static gboolean
has_result_cb (gpointer user_data)
{
  return ((Run *) user_data)->result != NULL;
}

static SmtpTestResult *
run_client (const SmtpTestOptions *options,
            gint64                *wall_ms)
{
  g_autoptr(SmtpClient) client = smtp_client_new ();
  Run run = { NULL };
  gint64 start = g_get_monotonic_time ();

  smtp_client_run_async (client, options, NULL, run_cb, &run);
  smtp_test_wait_until (has_result_cb, &run, 60000, "the test session to end");
  *wall_ms = (g_get_monotonic_time () - start) / 1000;

  g_test_message ("transcript:\n%s", run.result->transcript);
  if (run.result->error != NULL)
    g_test_message ("error at %s: %s", smtp_stage_to_id (run.result->stage),
                    run.result->error->message);

  return run.result;
}

static SmtpTestOptions *
make_options (const HostileCase *c,
              guint16            port)
{
  g_autoptr(GError) error = NULL;
  SmtpTestOptions *options = smtp_test_options_new ();
  const char *ca = c->ca != NULL ? c->ca : "ca.pem";

  options->host = g_strdup (c->host != NULL ? c->host : "localhost");
  options->port = port;
  options->security = c->security;
  options->user = g_strdup (USER);
  if (!c->no_password)
    options->password = g_strdup (PASSWORD);
  options->allow_plaintext_auth = c->allow_plaintext;
  options->check_only = c->check_only;
  options->from = g_strdup (FROM);
  options->to = g_strdup (TO);
  if (*ca != '\0')
    {
      g_autofree char *path = cert_path (ca);

      options->ca_database = g_tls_file_database_new (path, &error);
      g_assert_no_error (error);
    }
  options->step_timeout_ms = scaled (c->step_ms != 0 ? c->step_ms : STEP_MS);
  options->deadline_ms = scaled (c->deadline_ms != 0 ? c->deadline_ms : DEADLINE_MS);
  options->helo_name = g_strdup ("client.example.test");

  return options;
}

static void
replace_str (char       **str,
                  const char  *value)
{
  g_free (*str);
  *str = g_strdup (value);
}

static SmtpTestServer *
make_server (const HostileCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  SmtpTestServer *server;

  if (c->server != SMTP_TEST_SECURITY_PLAIN)
    {
      const char *name = c->cert != NULL ? c->cert : "server";
      g_autofree char *pem = g_strdup_printf ("%s.pem", name);
      g_autofree char *key = g_strdup_printf ("%s.key", name);

      /* Some certificates are served with their issuers: notca-leaf with the
       * certificate that is not a CA, unknownca with its untrusted root. */
      if (g_str_equal (name, "notca-leaf"))
        replace_str (&pem, "notca-chain.pem");
      else if (g_str_equal (name, "unknownca"))
        replace_str (&pem, "unknownca-chain.pem");
      cert_file = cert_path (pem);
      key_file = cert_path (key);
    }

  server = smtp_test_server_new (c->server, cert_file, key_file, &error);
  g_assert_no_error (error);
  smtp_test_server_set_credentials (server, USER, PASSWORD);
  smtp_test_server_set_capabilities (server, c->before_tls, c->after_tls);

  if (c->rules != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (c->rules, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          /* COMMAND NTH ACTION DELAY_MS TEXT: the delay slows down with the
           * budgets, or a drip would fit in a slowed-down step. */
          g_auto(GStrv) fields = g_strsplit (lines[i], " ", 5);
          g_autofree char *line = NULL;

          g_assert_cmpuint (g_strv_length (fields), ==, 5);
          line = g_strdup_printf ("%s %s %s %u %s", fields[0], fields[1], fields[2],
                                  scaled (atoi (fields[3])), fields[4]);
          smtp_test_server_add_rule_from_line (server, line, &error);
          g_assert_no_error (error);
        }
    }

  return server;
}

/* No credential, no sender and no message went out where they must not go. */
static void
assert_nothing_leaked (const HostileCase    *c,
                       SmtpTestServer       *server,
                       const SmtpTestResult *result)
{
  g_autofree char *plain = g_strdup_printf ("%c%s%c%s", 0, USER, 0, PASSWORD);
  g_autofree char *b64 = g_base64_encode ((const guchar *) plain,
                                          2 + strlen (USER) + strlen (PASSWORD));
  g_autofree char *b64_pass = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  g_autoptr(GPtrArray) commands = smtp_test_server_get_commands (server);
  gboolean plaintext_ok = c->security == SMTP_SECURITY_NONE;

  /* The transcript and the error never hold the password. */
  g_assert_null (strstr (result->transcript, PASSWORD));
  g_assert_null (strstr (result->transcript, b64));
  g_assert_null (strstr (result->transcript, b64_pass));
  if (result->error != NULL)
    g_assert_null (strstr (result->error->message, PASSWORD));

  /* Nothing secret and no mail went out before TLS, or without it when TLS was asked. */
  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = g_ptr_array_index (commands, i);

      if (!g_str_has_prefix (line, "C: "))
        continue;
      g_assert_null (strstr (line, b64));
      g_assert_null (strstr (line, b64_pass));
      if (!(plaintext_ok && c->allow_plaintext))
        g_assert_false (g_ascii_strncasecmp (line + 3, "AUTH", 4) == 0);
      if (!plaintext_ok)
        {
          g_assert_false (g_ascii_strncasecmp (line + 3, "MAIL", 4) == 0);
          g_assert_false (g_ascii_strncasecmp (line + 3, "RCPT", 4) == 0);
          g_assert_false (g_ascii_strncasecmp (line + 3, "DATA", 4) == 0);
          g_assert_false (g_ascii_strncasecmp (line + 3, "HELO", 4) == 0);
        }
    }
  if (!plaintext_ok)
    {
      g_assert_false (smtp_test_server_received_plaintext (server, "MAIL"));
      g_assert_false (smtp_test_server_received_plaintext (server, "Subject:"));
    }
  if (!(plaintext_ok && c->allow_plaintext))
    g_assert_false (smtp_test_server_received_plaintext (server, "AUTH"));
}

/* Words from before the handshake never reach the person. */
static void
assert_nothing_spoofed (const HostileCase     *c,
                        const SmtpTestOptions *options,
                        const SmtpTestResult  *result)
{
  g_autoptr(SmtpExplanation) explanation = NULL;
  g_autofree char *shown = NULL;

  if (c->security != SMTP_SECURITY_STARTTLS)
    return;

  g_assert_null (strstr (result->transcript, SPOOF));
  if (result->error != NULL)
    g_assert_null (strstr (result->error->message, SPOOF));
  shown = smtp_test_result_dup_reply_text (result, options);
  if (shown != NULL && !result->reply_authenticated)
    g_assert_null (strstr (shown, SPOOF));

  if (result->ok)
    return;
  explanation = smtp_explain_result (result, options);
  g_assert_nonnull (explanation);
  g_assert_null (strstr (explanation->title, SPOOF));
  g_assert_null (strstr (explanation->explanation, SPOOF));
  g_assert_null (strstr (explanation->advice, SPOOF));
  if (explanation->help_uri != NULL)
    g_assert_null (strstr (explanation->help_uri, SPOOF));
}

static void
assert_expectation (const HostileCase     *c,
                    const SmtpTestOptions *options,
                    SmtpTestServer        *server,
                    const SmtpTestResult  *result)
{
  if (c->expect == EXPECT_OK)
    {
      g_assert_no_error (result->error);
      g_assert_true (result->ok);
      g_assert_cmpint (result->stage, ==, SMTP_STAGE_DONE);
      if (!c->check_only)
        g_assert_cmpuint (smtp_test_server_get_messages (server), ==, 1);
      if (c->mechanism != SMTP_AUTH_MECHANISM_AUTO)
        g_assert_cmpint (result->auth_mechanism, ==, c->mechanism);
      return;
    }

  /* Never a success that was not proven. */
  g_assert_false (result->ok);
  g_assert_nonnull (result->error);
  g_assert_cmpint (result->stage, !=, SMTP_STAGE_DONE);
  if (!c->may_deliver)
    {
      g_autofree char *message = smtp_test_server_get_message (server);

      /* RFC 2920 §3.1: after a refused MAIL or RCPT, a DATA that was
       * accepted anyway is ended at once: an empty message is no mail. */
      g_assert_true (message == NULL || *message == '\0');
    }

  switch (c->expect)
    {
    case EXPECT_TIMED_OUT:
      g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      break;
    case EXPECT_BAD_CERT:
      g_assert_error (result->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
      g_assert_nonnull (result->certificate);
      g_assert_cmpuint (result->certificate->errors, !=, 0);
      g_assert_false (result->certificate->pinned);
      g_assert_cmpuint (result->certificate->errors & c->cert_flags, ==, c->cert_flags);
      break;
    case EXPECT_TLS_FAILED:
      g_assert_cmpint (result->stage, ==, SMTP_STAGE_TLS);
      break;
    case EXPECT_CLIENT:
      g_assert_error (result->error, SMTP_CLIENT_ERROR, c->code);
      break;
    case EXPECT_ANY_ERROR:
    case EXPECT_OK:
    default:
      break;
    }

  if (c->stage != SMTP_STAGE_NONE)
    g_assert_cmpstr (smtp_stage_to_id (result->stage), ==, smtp_stage_to_id (c->stage));

  if (c->category != NULL)
    {
      g_autoptr(SmtpExplanation) explanation = smtp_explain_result (result, options);

      g_assert_cmpstr (explanation->category, ==, c->category);
    }
}

static void
test_case (gconstpointer data)
{
  const HostileCase *c = data;
  g_autoptr(SmtpTestServer) server = NULL;
  g_autoptr(SmtpTestOptions) options = NULL;
  g_autoptr(SmtpTestResult) result = NULL;
  gint64 wall_ms;
  guint bound;

  g_test_summary (c->source);
  g_test_message ("source: %s", c->source);

  server = make_server (c);
  options = make_options (c, smtp_test_server_get_port (server));
  result = run_client (options, &wall_ms);

  /* Never a hang past the overall deadline. */
  bound = options->deadline_ms + scaled (MARGIN_MS);
  g_assert_cmpint (result->elapsed_ms, <=, bound);
  g_assert_cmpint (wall_ms, <=, bound);

  assert_expectation (c, options, server, result);
  assert_nothing_leaked (c, server, result);
  assert_nothing_spoofed (c, options, result);

  smtp_test_server_stop (server);
}

/* Cases that need more than the table -------------------------------------------------- */

/* DESIGN.md / RFC 8996: a server that speaks only TLS 1.0 or 1.1. The server runs
 * in a process of its own, so that its TLS priority string does not touch the client. */
static void
test_old_tls_version (gconstpointer data)
{
  const char *priority = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SmtpTestOptions) options = NULL;
  g_autoptr(SmtpTestResult) result = NULL;
  g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "servers", "smtp-test-server",
                                                NULL);
  g_autofree char *cert = cert_path ("server.pem");
  g_autofree char *key = cert_path ("server.key");
  g_autofree char *line = NULL;
  HostileCase c = { .security = SMTP_SECURITY_TLS };
  guint64 port = 0;
  gint64 wall_ms;

  g_test_summary ("RFC 8996 (TLS 1.0 and 1.1 deprecated); DESIGN.md: TLS 1.2 is the minimum");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_TLS_GNUTLS_PRIORITY", priority, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, exe, "--security", "tls",
                                         "--cert", cert, "--key", key, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL));

  options = make_options (&c, port);
  result = run_client (options, &wall_ms);

  g_assert_cmpint (wall_ms, <=, options->deadline_ms + scaled (MARGIN_MS));
  g_assert_false (result->ok);
  g_assert_nonnull (result->error);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_TLS);
  if (result->error->domain == SMTP_CLIENT_ERROR)
    g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD);
  g_assert_true (result->tls_version == NULL ||
                 g_str_equal (result->tls_version, "TLS 1.0") ||
                 g_str_equal (result->tls_version, "TLS 1.1"));
  g_assert_null (strstr (result->transcript, "AUTH"));

  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("The SMTP client against hostile servers from published STARTTLS and "
                  "certificate research: stripping, injection, spoofing, false success, "
                  "certificate tricks, stalls, drips and floods.");

  certs = smtp_test_make_hostile_certs ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);

  g_test_add_data_func ("/hostile/tls/version-1.0-only",
                        "NORMAL:-VERS-ALL:+VERS-TLS1.0", test_old_tls_version);
  g_test_add_data_func ("/hostile/tls/version-1.1-only",
                        "NORMAL:-VERS-ALL:+VERS-TLS1.1", test_old_tls_version);

  status = g_test_run ();

  if (certs != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", certs);
      (void) !system (cmd);
      g_free (certs);
    }

  return status;
}
