/* test-explain.c: failures, replies of real servers, and their explanations
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

#define GMAIL_APP_PASSWORD_URI "https://support.google.com/mail/answer/185833"
#define MS_SMTP_AUTH_URI       "https://aka.ms/smtp_auth_disabled"

/* The categories of DESIGN.md, "Failure categories", in its order. */
static const char * const design_categories[] = {
  "dns-failed", "connection-refused", "connection-timeout", "connection-lost",
  "server-not-responding", "tls-handshake-failed", "certificate-untrusted",
  "certificate-hostname-mismatch", "certificate-expired", "starttls-not-offered",
  "plaintext-auth-refused", "auth-mechanism-unsupported", "protocol-error",
  "keyring-unavailable", "cancelled",
  "auth-failed", "app-password-required", "auth-method-disabled", "auth-required",
  "encryption-required", "tls-unavailable", "sender-rejected", "relay-denied",
  "recipient-unknown", "mailbox-unavailable-temporarily", "message-too-large", "rate-limited",
  "spam-or-policy-rejected", "client-host-rejected", "greylisted", "server-temporary-failure",
  "server-permanent-failure", "syntax-or-protocol-error", "account-suspended-or-blocked",
  NULL
};

/* Every category an explanation of this program returned. */
static GHashTable *reached;

static const char * const allowed_help_uris[] = {
  GMAIL_APP_PASSWORD_URI,
  MS_SMTP_AUTH_URI,
  "https://help.yahoo.com/kb/SLN15241.html",
  "https://support.apple.com/en-us/102654",
  NULL
};

/* The checks every explanation must pass, whatever it explains. */
static void
check_explanation (const SmtpExplanation *explanation)
{
  const char **ids = smtp_explain_list_categories ();

  g_assert_nonnull (explanation);
  g_assert_true (g_strv_contains (ids, explanation->category));
  g_hash_table_add (reached, (gpointer) g_intern_string (explanation->category));

  g_assert_nonnull (explanation->title);
  g_assert_cmpstr (explanation->title, !=, "");
  g_assert_nonnull (explanation->explanation);
  g_assert_cmpstr (explanation->explanation, !=, "");
  g_assert_nonnull (explanation->advice);
  g_assert_cmpstr (explanation->advice, !=, "");
  g_assert_nonnull (explanation->fixes);

  /* Our own sentences carry no links: a link is help_uri, from our list. */
  g_assert_null (strstr (explanation->title, "://"));
  g_assert_null (strstr (explanation->explanation, "://"));
  g_assert_null (strstr (explanation->advice, "://"));
  if (explanation->help_uri != NULL)
    g_assert_true (g_strv_contains (allowed_help_uris, explanation->help_uri));

  for (guint i = 0; i < explanation->fixes->len; i++)
    {
      const SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

      g_assert_nonnull (fix->id);
      g_assert_nonnull (fix->label);
      g_assert_cmpstr (fix->label, !=, "");
    }
}

static const SmtpFix *
find_fix (const SmtpExplanation *explanation,
          const char            *id)
{
  for (guint i = 0; i < explanation->fixes->len; i++)
    {
      const SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

      if (g_str_equal (fix->id, id))
        return fix;
    }

  return NULL;
}

/* Replies ------------------------------------------------------------------ */

#define G SMTP_STAGE_GREETING
#define E SMTP_STAGE_EHLO
#define S SMTP_STAGE_STARTTLS
#define A SMTP_STAGE_AUTH
#define M SMTP_STAGE_MAIL
#define R SMTP_STAGE_RCPT
#define D SMTP_STAGE_DATA
#define B SMTP_STAGE_MESSAGE

typedef struct
{
  const char *source;    /* who sends this reply */
  const char *host;      /* (nullable) the server tested */
  SmtpStage   stage;
  const char *reply;
  const char *category;
  const char *provider;  /* (nullable) the provider expected, when checked */
} ReplyCase;

/* Replies as servers send them: from provider help pages, MTA sources and
 * reports where people pasted them. Addresses and host names are changed to
 * example ones; the wording is the server's. */
static const ReplyCase reply_cases[] = {
  /* Gmail / Google Workspace */
  { "Gmail", "smtp.gmail.com", A,
    "535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
    "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1sm1234567wrb.12 - gsmtp",
    "auth-failed", "Gmail" },
  { "Gmail", "smtp.gmail.com", A,
    "534-5.7.9 Application-specific password required. Learn more at\r\n"
    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2sm1234567qkb.12 - gsmtp",
    "app-password-required", "Gmail" },
  { "Gmail", "smtp.gmail.com", A,
    "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs0>\r\n"
    "534-5.7.14 Please log in via your web browser and\r\n"
    "534-5.7.14 then try again.\r\n"
    "534-5.7.14  Learn more at\r\n"
    "534 5.7.14  https://support.google.com/mail/answer/78754 t1sm1234wrs.1 - gsmtp",
    "app-password-required", "Gmail" },
  { "Gmail", "smtp.gmail.com", M,
    "530-5.7.0 Authentication Required. Learn more at\r\n"
    "530 5.7.0  https://support.google.com/mail/?p=WantAuthError h5sm1234567wrc.3 - gsmtp",
    "auth-required", NULL },
  { "Gmail", "smtp.gmail.com", M,
    "530-5.5.1 Authentication Required. Learn more at\r\n"
    "530 5.5.1  https://support.google.com/mail/?p=WantAuthError k8sm1234567wmb.1 - gsmtp",
    "auth-required", NULL },
  { "Gmail", "smtp.gmail.com", M,
    "530 5.7.0 Must issue a STARTTLS command first. x2sm1234567pgv.12 - gsmtp",
    "encryption-required", NULL },
  { "Gmail", "aspmx.l.google.com", R,
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. Learn more at\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser f3si1234567qkj.1 - gsmtp",
    "recipient-unknown", "Gmail" },
  { "Gmail", "smtp.gmail.com", M,
    "550-5.4.5 Daily user sending quota exceeded. Learn more at\r\n"
    "550 5.4.5  https://support.google.com/mail/?p=ReachedLimit q5sm1234567wrx.5 - gsmtp",
    "rate-limited", NULL },
  { "Gmail", "smtp.gmail.com", B,
    "552-5.2.3 Your message exceeded Google's message size limits. Please visit\r\n"
    "552-5.2.3  https://support.google.com/mail/?p=MaxSizeError to view our size\r\n"
    "552 5.2.3 guidelines. 188si2003456wmj.12 - gsmtp",
    "message-too-large", NULL },
  { "Gmail", "aspmx.l.google.com", B,
    "550-5.7.1 [203.0.113.5      12] Our system has detected that this message is\r\n"
    "550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,\r\n"
    "550-5.7.1 this message has been blocked. Please visit\r\n"
    "550-5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError\r\n"
    "550 5.7.1  for more information. a1si1234567wrb.12 - gsmtp",
    "spam-or-policy-rejected", NULL },
  { "Gmail", "aspmx.l.google.com", R,
    "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to\r\n"
    "550-5.7.1 send email directly to our servers. Please use the SMTP relay at your\r\n"
    "550-5.7.1 service provider instead. Learn more at\r\n"
    "550 5.7.1  https://support.google.com/mail/?p=NotAuthorizedError e9si1234wmc.1 - gsmtp",
    "client-host-rejected", NULL },
  { "Gmail", "aspmx.l.google.com", G,
    "421-4.7.0 [203.0.113.5      15] Our system has detected an unusual rate of\r\n"
    "421-4.7.0 unsolicited mail originating from your IP address. To protect our\r\n"
    "421-4.7.0 users from spam, mail sent from your IP address has been temporarily\r\n"
    "421-4.7.0 rate limited. Please visit\r\n"
    "421-4.7.0  https://support.google.com/mail/?p=UnsolicitedRateLimitError to\r\n"
    "421 4.7.0 review our Bulk Email Senders Guidelines. n5si1234wrp.2 - gsmtp",
    "rate-limited", NULL },
  { "Gmail", "aspmx.l.google.com", R,
    "452-4.2.2 The email account that you tried to reach is over quota. Please direct\r\n"
    "452-4.2.2 the recipient to\r\n"
    "452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp j1si1234qtx.3 - gsmtp",
    "mailbox-unavailable-temporarily", NULL },
  { "Gmail", "aspmx.l.google.com", R,
    "550-5.2.1 The email account that you tried to reach is disabled. Learn more at\r\n"
    "550 5.2.1  https://support.google.com/mail/?p=DisabledUser z6si1234567pgi.2 - gsmtp",
    "recipient-unknown", NULL },
  { "Gmail", "aspmx.l.google.com", B,
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the\r\n"
    "550-5.7.26 sender and Gmail users, and has been blocked. The sender must\r\n"
    "550-5.7.26 authenticate with at least one of SPF or DKIM. For this message,\r\n"
    "550-5.7.26 DKIM checks did not pass and SPF check for [example.com] did not\r\n"
    "550-5.7.26 pass with ip: [203.0.113.5]. Learn more at\r\n"
    "550 5.7.26  https://support.google.com/mail/answer/81126#authentication a2si1 - gsmtp",
    "spam-or-policy-rejected", NULL },
  { "Gmail", "aspmx.l.google.com", R,
    "450-4.2.1 The user you are trying to contact is receiving mail at a rate that\r\n"
    "450-4.2.1 prevents additional messages from being delivered. Please resend your\r\n"
    "450-4.2.1 message at a later time. If the user is able to receive mail at that\r\n"
    "450-4.2.1 time, your message will be delivered. Learn more at\r\n"
    "450 4.2.1  https://support.google.com/mail/?p=ReceivingRate v4si1234qkd.9 - gsmtp",
    "mailbox-unavailable-temporarily", NULL },
  { "Gmail", "smtp.gmail.com", E,
    "421 4.7.0 Try again later, closing connection. (EHLO) s1-20020a05600c0000si1wmq.0 - gsmtp",
    "rate-limited", NULL },
  { "Gmail", "smtp.gmail.com", A,
    "501 5.5.2 Cannot Decode response s7sm1234567wrn.8 - gsmtp",
    "syntax-or-protocol-error", NULL },
  { "Gmail", "smtp.gmail.com", M,
    "555 5.5.2 Syntax error. h1sm1234567wrs.4 - gsmtp",
    "syntax-or-protocol-error", NULL },
  { "Gmail", "smtp.gmail.com", G,
    "502 5.5.1 Too many unrecognized commands, goodbye. p7sm1234wml.1 - gsmtp",
    "syntax-or-protocol-error", NULL },

  /* Microsoft 365, Outlook.com and Exchange Online */
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[MN2PR01CA0012.prod.exchangelabs.com 2023-01-01T00:00:00.000Z 08DAE123456789AB]",
    "auth-method-disabled", "Microsoft 365 / Outlook.com" },
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[BL1PR13CA0101.namprd13.prod.outlook.com]",
    "auth-method-disabled", NULL },
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. "
    "[SN4PR0501CA0054.namprd05.prod.outlook.com]",
    "auth-failed", NULL },
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. "
    "[BN9PR03CA0123.namprd03.prod.outlook.com 2024-03-01T10:11:12.123Z 08DC1234567890AB]",
    "auth-method-disabled", NULL },
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security "
    "defaults policy. Contact your administrator. [DM6PR02CA0045.namprd02.prod.outlook.com]",
    "auth-method-disabled", NULL },
  { "Microsoft 365", "smtp.office365.com", A,
    "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be "
    "authenticated successfully. Contact your administrator. "
    "[MW4PR03CA0158.namprd03.prod.outlook.com]",
    "auth-method-disabled", NULL },
  { "Outlook.com", "smtp-mail.outlook.com", A,
    "535 5.7.3 Authentication unsuccessful [BN6PR1101CA0001.namprd11.prod.outlook.com]",
    "auth-failed", "Microsoft 365 / Outlook.com" },
  { "Microsoft 365", "smtp.office365.com", M,
    "530 5.7.57 Client not authenticated to send mail. [DM6PR11CA0001.namprd11.prod.outlook.com "
    "2024-05-01T12:00:00.000Z 08DC6A1B2C3D4E5F]",
    "auth-required", NULL },
  { "Microsoft 365", "smtp.office365.com", M,
    "530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM "
    "[BY5PR04CA0012.namprd04.prod.outlook.com]",
    "auth-required", NULL },
  { "Microsoft 365", "smtp.office365.com", B,
    "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; "
    "Failed to process message due to a permanent exception with message Cannot submit "
    "message. 0.35250:0A000000, 1.36674:0A000000 [Hostname=BY5PR04MB6994.namprd04.prod.outlook.com]",
    "sender-rejected", NULL },
  { "Microsoft 365", "smtp.office365.com", M,
    "550 5.7.60 SMTP; Client does not have permissions to send as this sender "
    "[DM5PR0102MB3456.prod.exchangelabs.com]",
    "sender-rejected", NULL },
  { "Microsoft 365", "smtp.office365.com", B,
    "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to "
    "process message due to a permanent exception with message Cannot submit message. "
    "[Hostname=AM6PR10MB2345.EURPRD10.PROD.OUTLOOK.COM]",
    "rate-limited", NULL },
  { "Outlook.com", "smtp-mail.outlook.com", B,
    "554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message "
    "due to a permanent exception with message WASCL UserAction verdict is not None. Actual "
    "verdict is RefuseQuota, ShowTierUpgrade. OutboundSpamException: WASCL UserAction verdict "
    "is not None. [Hostname=DB7PR02MB1234.eurprd02.prod.outlook.com]",
    "account-suspended-or-blocked", NULL },
  { "Microsoft 365", "smtp.office365.com", M,
    "550 5.1.8 Access denied, bad outbound sender AS(42004) "
    "[CO1NAM11FT012.eop-nam11.prod.protection.outlook.com]",
    "account-suspended-or-blocked", NULL },
  { "Exchange Online Protection", "example-com.mail.protection.outlook.com", R,
    "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
    "[DB5EUR03FT018.eop-EUR03.prod.protection.outlook.com]",
    "recipient-unknown", NULL },
  { "Exchange Online Protection", "example-com.mail.protection.outlook.com", G,
    "550 5.7.606 Access denied, banned sending IP [203.0.113.5]. To request removal from this "
    "list please visit https://sender.office.com/ and follow the directions. For more "
    "information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)",
    "client-host-rejected", NULL },
  { "Exchange Online Protection", "example-com.mail.protection.outlook.com", M,
    "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For "
    "more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)",
    "client-host-rejected", NULL },
  { "Microsoft 365", "smtp.office365.com", M,
    "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains. "
    "For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653",
    "account-suspended-or-blocked", NULL },
  { "Exchange Online", "smtp.office365.com", M,
    "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded "
    "[Hostname=BN8PR04MB5923.namprd04.prod.outlook.com]",
    "rate-limited", NULL },
  { "Outlook.com", "outlook-com.olc.protection.outlook.com", R,
    "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
    "[DM6NAM12FT012.eop-nam12.prod.protection.outlook.com]",
    "recipient-unknown", NULL },

  /* Exchange Server on premises */
  { "Exchange", "mail.example.com", A,
    "504 5.7.4 Unrecognized authentication type [EXCH01.corp.example.com]",
    "auth-mechanism-unsupported", NULL },
  { "Exchange", "mail.example.com", R,
    "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
    "relay-denied", NULL },
  { "Exchange 2010", "mail.example.com", R,
    "550 5.7.1 Unable to relay",
    "relay-denied", NULL },
  { "Exchange", "mail.example.com", M,
    "530 5.7.1 Client was not authenticated",
    "auth-required", NULL },
  { "Exchange", "mail.example.com", R,
    "451 4.7.0 Temporary server error. Please try again later. PRX4",
    "server-temporary-failure", NULL },
  { "Exchange", "mail.example.com", M,
    "452 4.3.1 Insufficient system resources",
    "server-temporary-failure", NULL },
  { "Exchange", "mail.example.com", R,
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@example.com not found by SMTP "
    "address lookup",
    "recipient-unknown", NULL },
  { "Exchange", "mail.example.com", B,
    "552 5.3.4 Message size exceeds fixed maximum message size",
    "message-too-large", NULL },
  { "Exchange", "mail.example.com", G,
    "421 4.3.2 Service not available",
    "server-temporary-failure", NULL },

  /* Yahoo and AOL */
  { "Yahoo", "smtp.mail.yahoo.com", A,
    "535 5.7.0 (#AUTH005) Too many bad auth attempts.",
    "auth-failed", "Yahoo Mail" },
  { "Yahoo", "smtp.mail.yahoo.com", A,
    "535 5.7.0 (#MBR1212) Incorrect username or password.",
    "auth-failed", "Yahoo Mail" },
  { "Yahoo", "mta5.am0.yahoodns.net", G,
    "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume "
    "or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "rate-limited", NULL },
  { "Yahoo", "mta5.am0.yahoodns.net", B,
    "554 5.7.9 Message not accepted for policy reasons.  See "
    "https://postmaster.yahooinc.com/error-codes",
    "spam-or-policy-rejected", NULL },
  { "Yahoo", "mta5.am0.yahoodns.net", G,
    "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip is in "
    "Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
    "client-host-rejected", NULL },
  { "Yahoo", "mta5.am0.yahoodns.net", R,
    "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] "
    "- mta1234.mail.ne1.yahoo.com",
    "recipient-unknown", NULL },
  { "Yahoo", "mta5.am0.yahoodns.net", M,
    "451 Message temporarily deferred - [160]",
    "rate-limited", NULL },
  { "AOL", "smtp.aol.com", A,
    "535 5.7.0 (#AUTH005) Too many bad auth attempts.",
    "auth-failed", "AOL Mail" },

  /* iCloud */
  { "iCloud", "smtp.mail.me.com", A,
    "535 5.7.8 Authentication failed",
    "auth-failed", "iCloud Mail" },
  { "iCloud", "smtp.mail.me.com", M,
    "553 5.7.0 Error: From address is not one of your addresses",
    "sender-rejected", NULL },
  { "iCloud", "mx01.mail.icloud.com", R,
    "550 5.1.1 <nobody@icloud.com>: user does not exist",
    "recipient-unknown", NULL },
  { "iCloud", "mx01.mail.icloud.com", B,
    "554 5.7.1 [HME1] This message was blocked for security reasons. See "
    "https://support.apple.com/en-us/HT204137 for more information.",
    "spam-or-policy-rejected", NULL },

  /* Zoho */
  { "Zoho", "smtp.zoho.com", A,
    "535 Authentication Failed",
    "auth-failed", "Zoho Mail" },
  { "Zoho", "smtp.zoho.eu", M,
    "553 Relaying disallowed as boss@example.net",
    "sender-rejected", "Zoho Mail" },
  { "Zoho", "smtp.zoho.com", M,
    "554 5.1.8 Email Outgoing Blocked.",
    "account-suspended-or-blocked", NULL },
  { "Zoho", "smtp.zoho.com", B,
    "550 5.4.6 Unusual sending activity detected. Please try after sometime.",
    "account-suspended-or-blocked", NULL },

  /* Yandex */
  { "Yandex", "smtp.yandex.ru", A,
    "535 5.7.8 Error: authentication failed: Invalid user or password!",
    "auth-failed", "Yandex Mail" },
  { "Yandex", "smtp.yandex.com", A,
    "535 5.7.8 Error: authentication failed: This user does not have access rights to this "
    "service",
    "auth-method-disabled", "Yandex Mail" },
  { "Yandex", "smtp.yandex.ru", M,
    "553 5.7.1 Sender address rejected: not owned by auth user.",
    "sender-rejected", NULL },
  { "Yandex", "smtp.yandex.ru", B,
    "554 5.7.1 Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1700000000-abcdef",
    "spam-or-policy-rejected", NULL },
  { "Yandex", "mx.yandex.ru", R,
    "550 5.7.1 No such user!",
    "recipient-unknown", NULL },
  { "Yandex", "mx.yandex.ru", R,
    "451 4.7.1 Sorry, the service is currently unavailable. Please come back later.",
    "server-temporary-failure", NULL },

  /* Mail.ru */
  { "Mail.ru", "smtp.mail.ru", A,
    "535 5.7.0 NEOBHODIM parol prilozheniya https://help.mail.ru/mail/security/protection/external "
    "/ Application password is REQUIRED",
    "app-password-required", "Mail.ru" },
  { "Mail.ru", "smtp.mail.ru", A,
    "535 5.7.0 Invalid login or password",
    "auth-failed", "Mail.ru" },
  { "Mail.ru", "smtp.mail.ru", M,
    "550 not local sender over smtp",
    "sender-rejected", NULL },
  { "Mail.ru", "mxs.mail.ru", R,
    "550 Message was not accepted -- invalid mailbox.  Local mailbox nobody@mail.ru is "
    "unavailable: user not found",
    "recipient-unknown", NULL },
  { "Mail.ru", "mxs.mail.ru", B,
    "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=AbCdEf "
    "or report details to abuse@corp.mail.ru. Error code: 1234567.",
    "spam-or-policy-rejected", NULL },

  /* GMX and WEB.DE */
  { "GMX", "mail.gmx.net", A,
    "535 Authentication credentials invalid",
    "auth-failed", "GMX" },
  { "WEB.DE", "smtp.web.de", A,
    "535 Authentication credentials invalid",
    "auth-failed", "WEB.DE" },
  { "GMX", "mx00.emig.gmx.net", G,
    "554-gmx.net (mxgmx117) Nemesis ESMTP Service not available\r\n"
    "554-No SMTP service\r\n"
    "554-IP address is block listed.\r\n"
    "554 For explanation visit https://www.gmx.net/mail/senderguidelines?ip=203.0.113.5&c=bl",
    "client-host-rejected", NULL },
  { "WEB.DE", "mx-ha03.web.de", B,
    "554-Transaction failed\r\n"
    "554-Reject due to policy restrictions.\r\n"
    "554 For explanation visit https://web.de/email/senderguidelines?ip=203.0.113.5&c=hi",
    "spam-or-policy-rejected", NULL },
  { "GMX", "mail.gmx.net", M,
    "550-Requested action not taken: mailbox unavailable\r\n"
    "550 invalid DNS MX or A/AAAA resource record",
    "sender-rejected", NULL },

  /* Fastmail */
  { "Fastmail", "smtp.fastmail.com", A,
    "535 5.7.0 Incorrect username or password.",
    "auth-failed", "Fastmail" },
  { "Fastmail", "smtp.fastmail.com", M,
    "550 5.7.1 Sending address not permitted for this user",
    "sender-rejected", NULL },

  /* QQ Mail and NetEase (163/126) */
  { "QQ Mail", "smtp.qq.com", A,
    "535 Login Fail. Please enter your authorization code to login. More information in "
    "https://service.mail.qq.com/detail/0/53",
    "app-password-required", "QQ Mail" },
  { "QQ Mail", "smtp.qq.com", A,
    "535 Error: authentication failed, system busy",
    "auth-failed", "QQ Mail" },
  { "QQ Mail", "smtp.qq.com", A,
    "535 Login Fail. Account is abnormal, service is not open, password is incorrect, login "
    "frequency limited, or system is busy. More information at "
    "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256",
    "auth-failed", NULL },
  { "QQ Mail", "smtp.qq.com", M,
    "501 mail from address must be same as authorization user",
    "sender-rejected", NULL },
  { "QQ Mail", "mx3.qq.com", B,
    "550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726",
    "spam-or-policy-rejected", NULL },
  { "NetEase 163", "smtp.163.com", A,
    "535 Error: authentication failed",
    "auth-failed", "NetEase Mail (163/126)" },
  { "NetEase 163", "smtp.163.com", M,
    "553 Mail from must equal authorized user",
    "sender-rejected", NULL },
  { "NetEase 163", "smtp.163.com", B,
    "554 DT:SPM 163 smtp13,EcCowAC7NLvxYQ1lQ9JkBw--.1234S2 1700000000, please see "
    "http://mail.163.com/help/help_spam_16.htm?ip=203.0.113.5&hostid=smtp13&time=1700000000",
    "spam-or-policy-rejected", NULL },
  { "NetEase 126", "smtp.126.com", A,
    "550 User has no permission",
    "auth-method-disabled", "NetEase Mail (163/126)" },
  { "NetEase 163", "smtp.163.com", M,
    "550 User suspended",
    "account-suspended-or-blocked", NULL },

  /* Amazon SES */
  { "Amazon SES", "email-smtp.us-east-1.amazonaws.com", A,
    "535 Authentication Credentials Invalid",
    "auth-failed", "Amazon SES" },
  { "Amazon SES", "email-smtp.eu-west-1.amazonaws.com", B,
    "554 Message rejected: Email address is not verified. The following identities failed the "
    "check in region EU-WEST-1: sender@example.com",
    "sender-rejected", "Amazon SES" },
  { "Amazon SES", "email-smtp.us-east-1.amazonaws.com", B,
    "454 Throttling failure: Maximum sending rate exceeded.",
    "rate-limited", NULL },
  { "Amazon SES", "email-smtp.us-east-1.amazonaws.com", B,
    "454 Throttling failure: Daily message quota exceeded.",
    "rate-limited", NULL },
  { "Amazon SES", "email-smtp.us-west-2.amazonaws.com", M,
    "554 Access denied: Sending suspended for this account. For more information, please check "
    "the inbox of the email address associated with your AWS account.",
    "account-suspended-or-blocked", NULL },
  { "Amazon SES", "email-smtp.us-east-1.amazonaws.com", M,
    "530 Authentication required",
    "auth-required", NULL },
  { "Amazon SES", "email-smtp.us-east-1.amazonaws.com", A,
    "530 Must issue a STARTTLS command first",
    "encryption-required", NULL },

  /* SendGrid */
  { "SendGrid", "smtp.sendgrid.net", A,
    "535 Authentication failed: Bad username / password",
    "auth-failed", "SendGrid" },
  { "SendGrid", "smtp.sendgrid.net", A,
    "535 Authentication failed: The provided authorization grant is invalid, expired, or revoked",
    "auth-failed", NULL },
  { "SendGrid", "smtp.sendgrid.net", B,
    "550 The from address does not match a verified Sender Identity. Mail cannot be sent until "
    "this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/"
    "sender-identity/ to see the Sender Identity requirements",
    "sender-rejected", "SendGrid" },
  { "SendGrid", "smtp.sendgrid.net", M,
    "550 Unauthenticated senders not allowed",
    "auth-required", NULL },
  { "SendGrid", "smtp.sendgrid.net", A,
    "451 Authentication failed: Maximum credits exceeded",
    "rate-limited", NULL },

  /* Mailgun */
  { "Mailgun", "smtp.mailgun.org", A,
    "535 Authentication failed",
    "auth-failed", "Mailgun" },
  { "Mailgun", "smtp.mailgun.org", R,
    "421 Domain sandbox0123456789abcdef.mailgun.org is not allowed to send: Free accounts are "
    "for test purposes only. Please upgrade or add the address to authorized recipients in "
    "Account Settings.",
    "account-suspended-or-blocked", NULL },
  { "Mailgun", "smtp.eu.mailgun.org", M,
    "421 Domain example.com is not allowed to send: Please activate your Mailgun account. Check "
    "your inbox or log in to your control panel to resend the activation email.",
    "account-suspended-or-blocked", "Mailgun" },

  /* Brevo (formerly Sendinblue) */
  { "Brevo", "smtp-relay.brevo.com", A,
    "535 5.7.8 Authentication failed",
    "auth-failed", "Brevo" },
  { "Sendinblue", "smtp-relay.sendinblue.com", A,
    "535 5.7.8 Authentication failed",
    "auth-failed", "Brevo" },
  { "Brevo", "smtp-relay.brevo.com", M,
    "525 5.7.1 Unauthorized IP address - 203.0.113.5",
    "client-host-rejected", NULL },

  /* Postmark */
  { "Postmark", "smtp.postmarkapp.com", A,
    "535 5.7.8 Authentication credentials invalid",
    "auth-failed", "Postmark" },
  { "Postmark", "smtp.postmarkapp.com", B,
    "550 5.7.1 The 'From' address you supplied (noreply@example.com) is not a Sender Signature "
    "on your account. Please add and confirm this address in order to be able to use it in "
    "the 'From' field of your messages.",
    "sender-rejected", "Postmark" },

  /* Postfix */
  { "Postfix", "mail.example.com", R,
    "554 5.7.1 <friend@example.org>: Relay access denied",
    "relay-denied", NULL },
  { "Postfix", "mail.example.com", R,
    "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual "
    "mailbox table",
    "recipient-unknown", NULL },
  { "Postfix", "mail.example.com", R,
    "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local "
    "recipient table",
    "recipient-unknown", NULL },
  { "Postfix", "mail.example.com", M,
    "553 5.7.1 <boss@example.com>: Sender address rejected: not owned by user ada@example.com",
    "sender-rejected", NULL },
  { "Postfix", "mail.example.com", M,
    "530 5.7.0 Must issue a STARTTLS command first",
    "encryption-required", NULL },
  { "Postfix + Cyrus SASL", "mail.example.com", A,
    "535 5.7.8 Error: authentication failed: authentication failure",
    "auth-failed", NULL },
  { "Postfix + Dovecot SASL", "mail.example.com", A,
    "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6",
    "auth-failed", NULL },
  { "Postfix", "mail.example.com", A,
    "503 5.5.1 Error: authentication not enabled",
    "auth-mechanism-unsupported", NULL },
  { "Postfix", "mail.example.com", D,
    "503 5.5.1 Error: need RCPT command",
    "syntax-or-protocol-error", NULL },
  { "Postfix", "mail.example.com", R,
    "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; "
    "https://www.spamhaus.org/query/ip/203.0.113.5",
    "client-host-rejected", NULL },
  { "Postfix + Postgrey", "mail.example.com", R,
    "450 4.2.0 <ada@example.com>: Recipient address rejected: Greylisted, see "
    "http://postgrey.schweikert.ch/help/example.com.html",
    "greylisted", NULL },
  { "Postfix + old Postgrey", "mail.example.com", R,
    "450 4.7.1 <ada@example.com>: Recipient address rejected: Greylisted for 300 seconds (see "
    "http://isg.ee.ethz.ch/tools/postgrey/help/example.com.html)",
    "greylisted", NULL },
  { "Postfix", "mail.example.com", B,
    "552 5.3.4 Message size exceeds fixed limit",
    "message-too-large", NULL },
  { "Postfix", "mail.example.com", G,
    "421 4.3.2 Service currently unavailable",
    "server-temporary-failure", NULL },
  { "Postfix", "mail.example.com", R,
    "450 4.1.8 <ada@nonexistent.invalid>: Sender address rejected: Domain not found",
    "sender-rejected", NULL },
  { "Postfix", "mail.example.com", R,
    "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
    "client-host-rejected", NULL },
  { "Postfix", "mail.example.com", R,
    "450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]",
    "client-host-rejected", NULL },
  { "Postfix", "mail.example.com", R,
    "452 4.5.3 Error: too many recipients",
    "rate-limited", NULL },
  { "Postfix", "mail.example.com", B,
    "451 4.3.0 Error: queue file write error",
    "server-temporary-failure", NULL },
  { "Postfix", "mail.example.com", M,
    "452 4.3.1 Insufficient system storage",
    "server-temporary-failure", NULL },
  { "Postfix", "mail.example.com", S,
    "454 4.7.0 TLS not available due to local problem",
    "tls-unavailable", NULL },
  { "Postfix", "mail.example.com", D,
    "554 5.5.1 Error: no valid recipients",
    "recipient-unknown", NULL },
  { "Postfix", "mail.example.com", R,
    "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using bl.spamcop.net; "
    "Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.5",
    "client-host-rejected", NULL },
  { "Postfix + Rspamd", "mail.example.com", B,
    "554 5.7.1 Spam message rejected",
    "spam-or-policy-rejected", NULL },
  { "Postfix + OpenDMARC", "mail.example.com", B,
    "550 5.7.1 rejected by DMARC policy for example.com",
    "spam-or-policy-rejected", NULL },
  { "Postfix", "mail.example.com", R,
    "550 5.7.1 <ada@example.com>: Recipient address rejected: Access denied",
    "recipient-unknown", NULL },

  /* Exim, as cPanel hosting runs it */
  { "Exim/cPanel", "mail.example.com", A,
    "535 Incorrect authentication data",
    "auth-failed", NULL },
  { "Exim/cPanel", "mail.example.com", R,
    "550 No Such User Here",
    "recipient-unknown", NULL },
  { "Exim/cPanel", "mail.example.com", R,
    "550-Please turn on SMTP Authentication in your mail client. (host.example.net)\r\n"
    "550-[203.0.113.5]:54321 is not permitted to relay through this server without\r\n"
    "550 authentication.",
    "relay-denied", NULL },
  { "Exim", "mail.example.com", M,
    "550-Verification failed for <ada@nonexistent.invalid>\r\n"
    "550-Unrouteable address\r\n"
    "550 Sender verify failed",
    "sender-rejected", NULL },
  { "Exim", "mail.example.com", R,
    "550 Unrouteable address",
    "recipient-unknown", NULL },
  { "Exim", "mail.example.com", R,
    "451 Temporary local problem - please try later",
    "server-temporary-failure", NULL },
  { "Exim", "mail.example.com", R,
    "550 Administrative prohibition",
    "spam-or-policy-rejected", NULL },
  { "Exim/cPanel", "mail.example.com", B,
    "550 Domain example.com has exceeded the max emails per hour (100/100 (100%)) allowed.  "
    "Message discarded.",
    "rate-limited", NULL },
  { "Exim", "mail.example.com", G,
    "421 Too many concurrent SMTP connections; please try again later.",
    "rate-limited", NULL },
  { "Exim", "mail.example.com", A,
    "503 AUTH command used when not advertised",
    "auth-mechanism-unsupported", NULL },
  { "Exim", "mail.example.com", B,
    "552 Message size exceeds maximum permitted",
    "message-too-large", NULL },
  { "Exim/cPanel", "mail.example.com", E,
    "550 Access denied - Invalid HELO name (See RFC2821 4.1.1.1)",
    "client-host-rejected", NULL },
  { "Exim", "mail.example.com", R,
    "550 rejected because 203.0.113.5 is in a black list at zen.spamhaus.org",
    "client-host-rejected", NULL },
  { "Exim", "mail.example.com", S,
    "454 TLS currently unavailable",
    "tls-unavailable", NULL },

  /* Sendmail */
  { "Sendmail", "mail.example.com", R,
    "550 5.7.1 <friend@example.org>... Relaying denied. Proper authentication required.",
    "relay-denied", NULL },
  { "Sendmail", "mail.example.com", R,
    "550 5.1.1 <nobody@example.com>... User unknown",
    "recipient-unknown", NULL },
  { "Sendmail", "mail.example.com", M,
    "553 5.1.8 <ada@nowhere.invalid>... Domain of sender address ada@nowhere.invalid does not "
    "exist",
    "sender-rejected", NULL },
  { "Sendmail", "mail.example.com", A,
    "535 5.7.0 authentication failed",
    "auth-failed", NULL },
  { "Sendmail", "mail.example.com", M,
    "530 5.7.0 Authentication required",
    "auth-required", NULL },
  { "Sendmail", "mail.example.com", M,
    "452 4.4.5 Insufficient disk space; try again later",
    "server-temporary-failure", NULL },
  { "Sendmail", "mail.example.com", M,
    "451 4.1.8 Domain of sender address ada@example.invalid does not resolve",
    "sender-rejected", NULL },
  { "Sendmail", "mail.example.com", B,
    "552 5.2.3 Message size exceeds maximum value",
    "message-too-large", NULL },
  { "Sendmail + milter-greylist", "mail.example.com", R,
    "451 4.7.1 Greylisting in action, please come back in 00:05:00",
    "greylisted", NULL },

  /* OpenSMTPD */
  { "OpenSMTPD", "mail.example.com", R,
    "550 Invalid recipient: <nobody@example.com>",
    "recipient-unknown", NULL },
  { "OpenSMTPD", "mail.example.com", A,
    "535 Authentication failed",
    "auth-failed", NULL },
  { "OpenSMTPD", "mail.example.com", M,
    "530 5.5.1 Invalid command: Must issue an AUTH command first",
    "auth-required", NULL },
  { "OpenSMTPD", "mail.example.com", A,
    "530 5.5.1 Invalid command: Must issue a STARTTLS command first",
    "encryption-required", NULL },
  { "OpenSMTPD", "mail.example.com", R,
    "550 5.7.1 Delivery not authorized, message refused",
    "relay-denied", NULL },
  { "OpenSMTPD", "mail.example.com", B,
    "552 5.3.4 Message too large",
    "message-too-large", NULL },
  { "OpenSMTPD", "mail.example.com", R,
    "451 Temporary failure",
    "server-temporary-failure", NULL },

  /* qmail */
  { "qmail", "mail.example.com", R,
    "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    "relay-denied", NULL },
  { "qmail", "mail.example.com", R,
    "550 sorry, no mailbox here by that name. (#5.1.1)",
    "recipient-unknown", NULL },
  { "qmail", "mail.example.com", A,
    "535 authorization failed (#5.7.0)",
    "auth-failed", NULL },
  { "qmail", "mail.example.com", B,
    "552 sorry, that message size exceeds my databytes limit (#5.3.4)",
    "message-too-large", NULL },
  { "qmail", "mail.example.com", B,
    "451 qqt failure (#4.3.0)",
    "server-temporary-failure", NULL },
  { "qmail", "mail.example.com", M,
    "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)",
    "sender-rejected", NULL },
  { "qmail", "mail.example.com", A,
    "503 auth not available (#5.3.3)",
    "auth-mechanism-unsupported", NULL },

  /* Dovecot submission and others */
  { "Dovecot submission", "mail.example.com", A,
    "454 4.7.0 Temporary authentication failure",
    "server-temporary-failure", NULL },
  { "Dovecot submission", "mail.example.com", M,
    "530 5.7.0 Authentication required.",
    "auth-required", NULL },
  { "Courier", "mail.example.com", R,
    "511 5.1.1 Unknown user",
    "recipient-unknown", NULL },
  { "any", "mail.example.com", S,
    "502 5.5.1 Unrecognized command",
    "tls-unavailable", NULL },
  { "any", "mail.example.com", G,
    "554 5.3.2 No SMTP service here",
    "client-host-rejected", NULL },
  { "any", "mail.example.com", G,
    "554 Transaction failed",
    "client-host-rejected", NULL },
  { "any", "mail.example.com", B,
    "550 5.6.0 Lone CR or LF in headers (see RFC 5322 section 2.2)",
    "spam-or-policy-rejected", NULL },
  { "any", "mail.example.com", R,
    "452 4.2.2 Mailbox full",
    "mailbox-unavailable-temporarily", NULL },
  { "any", "mail.example.com", R,
    "552 5.2.2 <ada@example.com>: Mailbox is full",
    "mailbox-unavailable-temporarily", NULL },
  { "any", "mail.example.com", A,
    "538 5.7.11 Encryption required for requested authentication mechanism",
    "encryption-required", NULL },
  { "any", "mail.example.com", A,
    "534 5.7.9 Authentication mechanism is too weak",
    "auth-mechanism-unsupported", NULL },
  { "any", "mail.example.com", R,
    "550 5.7.1 Rejected by local policy",
    "spam-or-policy-rejected", NULL },
  { "any", "mail.example.com", M,
    "553 5.7.1 Sender not allowed to send as ada@example.com",
    "sender-rejected", NULL },
  { "any", "mail.example.com", A,
    "535 5.7.13 User account disabled",
    "account-suspended-or-blocked", NULL },
  { "any", "mail.example.com", R,
    "421 4.4.2 mail.example.com Error: timeout exceeded",
    "server-temporary-failure", NULL },
  { "any", "mail.example.com", B,
    "554 5.4.6 Routing loop detected",
    "server-permanent-failure", NULL },
  { "any", "mail.example.com", R,
    "451 4.1.1 Recipient verification temporarily failed",
    "mailbox-unavailable-temporarily", NULL },

  /* Other languages */
  { "German", "mail.example.de", A,
    "535 5.7.8 Authentifizierung fehlgeschlagen",
    "auth-failed", NULL },
  { "German", "mail.example.de", R,
    "550 Empfänger unbekannt",
    "recipient-unknown", NULL },
  { "German", "mail.example.de", R,
    "450 Greylisting aktiv, bitte versuchen Sie es in 5 Minuten erneut",
    "greylisted", NULL },
  { "German", "mail.example.de", B,
    "552 Die Nachricht ist zu groß",
    "message-too-large", NULL },
  { "German", "mail.example.de", A,
    "535 Benutzername oder Passwort falsch",
    "auth-failed", NULL },
  { "Russian", "mail.example.ru", A,
    "535 5.7.8 Неверный логин или пароль",
    "auth-failed", NULL },
  { "Russian", "mail.example.ru", R,
    "550 Пользователь не найден",
    "recipient-unknown", NULL },
  { "Russian", "mail.example.ru", B,
    "554 Сообщение отклонено как спам",
    "spam-or-policy-rejected", NULL },
  { "Chinese", "mail.example.cn", R,
    "550 用户不存在",
    "recipient-unknown", NULL },
  { "Chinese", "mail.example.cn", A,
    "535 登录失败，请使用授权码登录",
    "app-password-required", NULL },
  { "Chinese", "mail.example.cn", A,
    "535 认证失败",
    "auth-failed", NULL },
};

static void
test_replies (void)
{
  guint n_wrong = 0;
  GHashTable *sources = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (reply_cases); i++)
    {
      const ReplyCase *c = &reply_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SmtpReply) reply = NULL;
      g_autoptr(SmtpExplanation) explanation = NULL;
      SmtpExplainContext context = {
        .host = c->host, .port = 587, .security = SMTP_SECURITY_STARTTLS,
        .user = "ada@example.com", .from = "ada@example.com", .reply_authenticated = TRUE,
      };

      reply = smtp_reply_parse (c->reply, -1, &error);
      g_assert_no_error (error);

      explanation = smtp_explain (NULL, c->stage, reply, &context);
      check_explanation (explanation);
      g_hash_table_add (sources, (gpointer) c->source);

      if (g_strcmp0 (explanation->category, c->category) != 0)
        {
          g_test_message ("%s at %s: “%s” is %s, expected %s", c->source,
                          smtp_stage_to_id (c->stage), c->reply, explanation->category,
                          c->category);
          n_wrong++;
        }

      if (c->provider != NULL)
        g_assert_cmpstr (explanation->provider, ==, c->provider);

      /* The server's words never come back: no line of its reply appears
       * in what is shown. */
      for (guint j = 0; reply->lines[j] != NULL; j++)
        {
          if (strlen (reply->lines[j]) < 12)
            continue;
          g_assert_null (strstr (explanation->title, reply->lines[j]));
          g_assert_null (strstr (explanation->explanation, reply->lines[j]));
          g_assert_null (strstr (explanation->advice, reply->lines[j]));
        }
    }

  g_test_message ("%u replies from %u sources", (guint) G_N_ELEMENTS (reply_cases),
                  g_hash_table_size (sources));
  g_assert_cmpuint (G_N_ELEMENTS (reply_cases), >=, 150);
  g_assert_cmpuint (g_hash_table_size (sources), >=, 25);
  g_assert_cmpuint (n_wrong, ==, 0);

  g_hash_table_unref (sources);
}

/* A reply's stage decides what a bare code means. */
static void
test_reply_stage (void)
{
  static const struct {
    SmtpStage   stage;
    const char *reply;
    const char *category;
  } cases[] = {
    { SMTP_STAGE_AUTH, "535 5.7.8 Error", "auth-failed" },
    { SMTP_STAGE_RCPT, "550 Requested action not taken", "recipient-unknown" },
    { SMTP_STAGE_MAIL, "550 Requested action not taken", "sender-rejected" },
    { SMTP_STAGE_MAIL, "550 5.1.1 User unknown", "sender-rejected" },
    { SMTP_STAGE_GREETING, "554 Go away", "client-host-rejected" },
    { SMTP_STAGE_GREETING, "421 Service not available, closing transmission channel",
      "server-temporary-failure" },
    { SMTP_STAGE_MESSAGE, "554 Transaction failed", "spam-or-policy-rejected" },
    { SMTP_STAGE_AUTH, "504 Unrecognized authentication type", "auth-mechanism-unsupported" },
    { SMTP_STAGE_AUTH, "502 5.5.2 Error: command not recognized", "auth-mechanism-unsupported" },
    { SMTP_STAGE_EHLO, "502 5.5.2 Error: command not recognized", "syntax-or-protocol-error" },
    { SMTP_STAGE_STARTTLS, "454 Try again", "tls-unavailable" },
    { SMTP_STAGE_RCPT, "450 Requested mail action not taken", "mailbox-unavailable-temporarily" },
    { SMTP_STAGE_RCPT, "451 Requested action aborted", "server-temporary-failure" },
    { SMTP_STAGE_NONE, "554 Something", "server-permanent-failure" },
    { SMTP_STAGE_NONE, "452 Something", "server-temporary-failure" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpReply) reply = smtp_reply_parse (cases[i].reply, -1, NULL);
      g_autoptr(SmtpExplanation) explanation = NULL;

      g_assert_nonnull (reply);
      explanation = smtp_explain (NULL, cases[i].stage, reply, NULL);
      check_explanation (explanation);
      g_test_message ("%s: %s", cases[i].reply, explanation->category);
      g_assert_cmpstr (explanation->category, ==, cases[i].category);
    }
}

/* A reply pasted without its code, or with lines that do not parse, is
 * still told by its words and any enhanced code in it. */
static void
test_reply_without_code (void)
{
  static const struct {
    const char *text;
    const char *category;
  } cases[] = {
    { "5.7.8 Username and Password not accepted", "auth-failed" },
    { "Relay access denied", "relay-denied" },
    { "Application-specific password required", "app-password-required" },
    { "Greylisted, please try again", "greylisted" },
    { "mailbox unavailable (#5.1.1)", "recipient-unknown" },
    { "something we have never seen", "server-permanent-failure" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpExplanation) explanation = NULL;
      char *lines[] = { (char *) cases[i].text, NULL };
      SmtpReply reply = { 0, NULL, lines, (char *) cases[i].text };

      explanation = smtp_explain (NULL, SMTP_STAGE_NONE, &reply, NULL);
      check_explanation (explanation);
      g_assert_cmpstr (explanation->category, ==, cases[i].category);
    }

  /* A code at the start of an unparsed line still counts. */
  {
    g_autoptr(SmtpExplanation) explanation = NULL;
    char *lines[] = { (char *) "550-5.1.1 first line", (char *) "second line without code", NULL };
    SmtpReply reply = { 0, NULL, lines, (char *) "" };

    explanation = smtp_explain (NULL, SMTP_STAGE_RCPT, &reply, NULL);
    check_explanation (explanation);
    g_assert_cmpstr (explanation->category, ==, "recipient-unknown");
  }
}

static void
test_positive_reply (void)
{
  g_autoptr(SmtpReply) reply = smtp_reply_parse ("250 2.0.0 OK", -1, NULL);
  char *lines[] = { (char *) "250 OK", NULL };
  SmtpReply pasted = { 0, NULL, lines, (char *) "250 OK" };

  g_assert_null (smtp_explain (NULL, SMTP_STAGE_MAIL, reply, NULL));
  g_assert_null (smtp_explain (NULL, SMTP_STAGE_MAIL, &pasted, NULL));
  g_assert_null (smtp_explain (NULL, SMTP_STAGE_NONE, NULL, NULL));
}

/* Errors -------------------------------------------------------------------- */

typedef struct
{
  const char           *name;
  GQuark              (*domain) (void);
  int                   code;
  const char           *message;
  SmtpStage             stage;
  guint16               port;
  SmtpSecurity          security;
  GTlsCertificateFlags  certificate_errors;  /* a certificate in the context when not 0 */
  const char           *category;
  const char           *fix;                  /* the fix expected, or NULL for none */
} ErrorCase;

static GQuark
secret_error_quark (void)
{
  return g_quark_from_static_string ("secret-error");
}

static const ErrorCase error_cases[] = {
  { "resolver not found", g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND,
    "Error resolving “smtp.exampel.com”: Name or service not known",
    SMTP_STAGE_RESOLVE, 587, SMTP_SECURITY_STARTTLS, 0, "dns-failed", NULL },
  { "resolver temporary", g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
    "Temporary failure in name resolution",
    SMTP_STAGE_RESOLVE, 587, SMTP_SECURITY_STARTTLS, 0, "dns-failed", NULL },
  { "refused on 587", g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED,
    "Could not connect: Connection refused",
    SMTP_STAGE_CONNECT, 587, SMTP_SECURITY_STARTTLS, 0, "connection-refused", "use-tls-465" },
  { "refused on 465", g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED,
    "Could not connect: Connection refused",
    SMTP_STAGE_CONNECT, 465, SMTP_SECURITY_TLS, 0, "connection-refused", "use-starttls-587" },
  { "timeout connecting to 25", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "Socket I/O timed out",
    SMTP_STAGE_CONNECT, 25, SMTP_SECURITY_STARTTLS, 0, "connection-timeout", "use-port-587" },
  { "timeout connecting to 587", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "Socket I/O timed out",
    SMTP_STAGE_CONNECT, 587, SMTP_SECURITY_STARTTLS, 0, "connection-timeout", "use-tls-465" },
  { "timeout connecting to 465", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "Socket I/O timed out",
    SMTP_STAGE_CONNECT, 465, SMTP_SECURITY_TLS, 0, "connection-timeout", "use-starttls-587" },
  { "timeout resolving", g_io_error_quark, G_IO_ERROR_TIMED_OUT, "Timed out",
    SMTP_STAGE_RESOLVE, 587, SMTP_SECURITY_STARTTLS, 0, "connection-timeout", NULL },
  { "timeout waiting for the greeting", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "The server did not answer in time",
    SMTP_STAGE_GREETING, 587, SMTP_SECURITY_STARTTLS, 0, "server-not-responding", NULL },
  { "STARTTLS on 465: silence", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "The server did not answer in time",
    SMTP_STAGE_GREETING, 465, SMTP_SECURITY_STARTTLS, 0, "server-not-responding", "use-tls-465" },
  { "TLS handshake silence", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "The server did not answer in time",
    SMTP_STAGE_TLS, 587, SMTP_SECURITY_TLS, 0, "server-not-responding", "use-starttls-587" },
  { "timeout after DATA", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "The server did not answer in time",
    SMTP_STAGE_MESSAGE, 587, SMTP_SECURITY_STARTTLS, 0, "server-not-responding", NULL },
  { "network unreachable", g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE,
    "Network is unreachable",
    SMTP_STAGE_CONNECT, 587, SMTP_SECURITY_STARTTLS, 0, "connection-timeout", "use-tls-465" },
  { "host unreachable", g_io_error_quark, G_IO_ERROR_HOST_UNREACHABLE, "No route to host",
    SMTP_STAGE_CONNECT, 465, SMTP_SECURITY_TLS, 0, "connection-timeout", "use-starttls-587" },
  { "closed by peer", g_io_error_quark, G_IO_ERROR_CONNECTION_CLOSED,
    "Connection reset by peer",
    SMTP_STAGE_MAIL, 587, SMTP_SECURITY_STARTTLS, 0, "connection-lost", NULL },
  { "client saw the close", smtp_client_error_quark, SMTP_CLIENT_ERROR_CONNECTION_CLOSED,
    "Server closed the connection unexpectedly (EOF)",
    SMTP_STAGE_EHLO, 587, SMTP_SECURITY_STARTTLS, 0, "connection-lost", NULL },
  { "expired certificate", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS,
    G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_UNKNOWN_CA, "certificate-expired", NULL },
  { "certificate not yet valid", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, G_TLS_CERTIFICATE_NOT_ACTIVATED,
    "certificate-expired", NULL },
  { "certificate for another name", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS,
    G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_UNKNOWN_CA,
    "certificate-hostname-mismatch", NULL },
  { "self-signed certificate", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, G_TLS_CERTIFICATE_UNKNOWN_CA,
    "certificate-untrusted", "trust-certificate" },
  { "revoked certificate", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, G_TLS_CERTIFICATE_REVOKED,
    "certificate-untrusted", NULL },
  { "insecure certificate", g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE,
    "Unacceptable TLS certificate",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS,
    G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_UNKNOWN_CA, "certificate-untrusted", NULL },
  { "TLS on the STARTTLS port", g_tls_error_quark, G_TLS_ERROR_MISC,
    "Error performing TLS handshake: An unexpected TLS packet was received.",
    SMTP_STAGE_TLS, 587, SMTP_SECURITY_TLS, 0, "tls-handshake-failed", "use-starttls-587" },
  { "TLS on port 25", g_tls_error_quark, G_TLS_ERROR_NOT_TLS,
    "Peer does not seem to be TLS",
    SMTP_STAGE_TLS, 25, SMTP_SECURITY_TLS, 0, "tls-handshake-failed", "use-starttls-587" },
  { "STARTTLS handshake fails on 587", g_tls_error_quark, G_TLS_ERROR_HANDSHAKE,
    "Error performing TLS handshake: wrong version number",
    SMTP_STAGE_TLS, 587, SMTP_SECURITY_STARTTLS, 0, "tls-handshake-failed", "use-tls-465" },
  { "STARTTLS handshake fails on 465", g_tls_error_quark, G_TLS_ERROR_MISC,
    "Error performing TLS handshake: wrong version number",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_STARTTLS, 0, "tls-handshake-failed", "use-tls-465" },
  { "TLS on a plain port of its own", g_tls_error_quark, G_TLS_ERROR_NOT_TLS,
    "Peer does not seem to be TLS",
    SMTP_STAGE_TLS, 2525, SMTP_SECURITY_TLS, 0, "tls-handshake-failed",
    "use-starttls-same-port" },
  { "STARTTLS waits on a TLS port of its own", g_io_error_quark, G_IO_ERROR_TIMED_OUT,
    "The server did not answer within 30 seconds.",
    SMTP_STAGE_GREETING, 10465, SMTP_SECURITY_STARTTLS, 0, "server-not-responding",
    "use-tls-same-port" },
  { "handshake EOF", g_tls_error_quark, G_TLS_ERROR_EOF, "TLS connection closed unexpectedly",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, 0, "tls-handshake-failed", "use-starttls-587" },
  { "TLS 1.0 only", smtp_client_error_quark, SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD,
    "The server negotiated TLS 1.0", SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, 0,
    "tls-handshake-failed", NULL },
  { "no TLS backend", g_tls_error_quark, G_TLS_ERROR_UNAVAILABLE, "TLS support is not available",
    SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, 0, "tls-handshake-failed", NULL },
  { "client certificate wanted", g_tls_error_quark, G_TLS_ERROR_CERTIFICATE_REQUIRED,
    "Server required TLS certificate", SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS, 0,
    "tls-handshake-failed", NULL },
  { "STARTTLS not offered", smtp_client_error_quark, SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
    "The server does not offer STARTTLS",
    SMTP_STAGE_EHLO, 587, SMTP_SECURITY_STARTTLS, 0, "starttls-not-offered", "use-tls-465" },
  { "bytes before the handshake", smtp_client_error_quark,
    SMTP_CLIENT_ERROR_STARTTLS_INJECTION, "Data after the STARTTLS reply",
    SMTP_STAGE_STARTTLS, 587, SMTP_SECURITY_STARTTLS, 0, "protocol-error", NULL },
  { "password over plaintext", smtp_client_error_quark,
    SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED, "Refusing to send a password unencrypted",
    SMTP_STAGE_AUTH, 25, SMTP_SECURITY_NONE, 0, "plaintext-auth-refused", "use-port-587" },
  { "password over plaintext on 587", smtp_client_error_quark,
    SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED, "Refusing to send a password unencrypted",
    SMTP_STAGE_AUTH, 587, SMTP_SECURITY_NONE, 0, "plaintext-auth-refused", "use-starttls-587" },
  { "AUTH not offered", smtp_client_error_quark, SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED,
    "The server does not offer AUTH", SMTP_STAGE_EHLO, 25, SMTP_SECURITY_STARTTLS, 0,
    "auth-mechanism-unsupported", "use-port-587" },
  { "no usable mechanism", smtp_client_error_quark,
    SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED, "No usable mechanism",
    SMTP_STAGE_AUTH, 587, SMTP_SECURITY_STARTTLS, 0, "auth-mechanism-unsupported", NULL },
  { "auth module agrees", smtp_auth_error_quark, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
    "No usable mechanism", SMTP_STAGE_AUTH, 587, SMTP_SECURITY_STARTTLS, 0,
    "auth-mechanism-unsupported", NULL },
  { "not SMTP", smtp_client_error_quark, SMTP_CLIENT_ERROR_PROTOCOL,
    "The server's answer is not SMTP", SMTP_STAGE_GREETING, 587, SMTP_SECURITY_STARTTLS, 0,
    "protocol-error", NULL },
  { "endless line", smtp_client_error_quark, SMTP_CLIENT_ERROR_LINE_TOO_LONG, "Line too long",
    SMTP_STAGE_EHLO, 587, SMTP_SECURITY_STARTTLS, 0, "protocol-error", NULL },
  { "endless reply", smtp_client_error_quark, SMTP_CLIENT_ERROR_REPLY_TOO_LONG, "Reply too long",
    SMTP_STAGE_EHLO, 587, SMTP_SECURITY_STARTTLS, 0, "protocol-error", NULL },
  { "bad reply", smtp_reply_error_quark, SMTP_REPLY_ERROR_CODE_MISMATCH, "Codes differ",
    SMTP_STAGE_EHLO, 587, SMTP_SECURITY_STARTTLS, 0, "protocol-error", NULL },
  { "pin mismatch", smtp_client_error_quark, SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH,
    "The certificate is not the pinned one", SMTP_STAGE_TLS, 465, SMTP_SECURITY_TLS,
    G_TLS_CERTIFICATE_UNKNOWN_CA, "certificate-untrusted", NULL },
  { "SMTPUTF8 sender", smtp_client_error_quark, SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED,
    "No SMTPUTF8", SMTP_STAGE_MAIL, 587, SMTP_SECURITY_STARTTLS, 0, "sender-rejected", NULL },
  { "SMTPUTF8 recipient", smtp_client_error_quark, SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED,
    "No SMTPUTF8", SMTP_STAGE_RCPT, 587, SMTP_SECURITY_STARTTLS, 0, "recipient-unknown", NULL },
  { "too large for SIZE", smtp_client_error_quark, SMTP_CLIENT_ERROR_MESSAGE_TOO_LARGE,
    "Larger than SIZE", SMTP_STAGE_MAIL, 587, SMTP_SECURITY_STARTTLS, 0,
    "message-too-large", NULL },
  { "cancelled", g_io_error_quark, G_IO_ERROR_CANCELLED, "Operation was cancelled",
    SMTP_STAGE_AUTH, 587, SMTP_SECURITY_STARTTLS, 0, "cancelled", NULL },
  { "no keyring on the bus", g_dbus_error_quark, G_DBUS_ERROR_SERVICE_UNKNOWN,
    "The name org.freedesktop.secrets was not provided by any .service files",
    SMTP_STAGE_NONE, 0, SMTP_SECURITY_STARTTLS, 0, "keyring-unavailable", NULL },
  { "libsecret", secret_error_quark, 2, "The collection is locked",
    SMTP_STAGE_NONE, 0, SMTP_SECURITY_STARTTLS, 0, "keyring-unavailable", NULL },
  { "invalid settings", smtp_client_error_quark, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
    "The sender address is not valid", SMTP_STAGE_NONE, 587, SMTP_SECURITY_STARTTLS, 0,
    "syntax-or-protocol-error", NULL },
  { "unknown I/O failure mid-session", g_io_error_quark, G_IO_ERROR_FAILED,
    "Error receiving data: Connection reset by peer",
    SMTP_STAGE_RCPT, 587, SMTP_SECURITY_STARTTLS, 0, "connection-lost", NULL },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = g_error_new_literal (c->domain (), c->code, c->message);
      g_autoptr(SmtpExplanation) explanation = NULL;
      SmtpCertificateInfo certificate = {
        .subject = (char *) "CN=mail.example.net", .issuer = (char *) "CN=Example CA",
        .sha256 = (char *) "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        .errors = c->certificate_errors,
      };
      SmtpExplainContext context = {
        .host = "mail.example.com", .port = c->port, .security = c->security,
        .user = "ada@example.com", .from = "ada@example.com",
        .certificate = c->certificate_errors != 0 ? &certificate : NULL,
      };

      g_test_message ("%s", c->name);
      explanation = smtp_explain (error, c->stage, NULL, &context);
      check_explanation (explanation);
      g_assert_cmpstr (explanation->category, ==, c->category);

      /* The error's own message is for the technical details only. */
      g_assert_null (strstr (explanation->explanation, c->message));

      if (c->fix != NULL)
        {
          g_assert_nonnull (find_fix (explanation, c->fix));
        }
      else if (explanation->fixes->len > 0)
        {
          const SmtpFix *fix = g_ptr_array_index (explanation->fixes, 0);

          g_test_message ("unexpected fix %s", fix->id);
          g_assert_not_reached ();
        }

      /* Only a certificate nobody vouches for may be trusted. */
      if (g_strcmp0 (explanation->category, "certificate-untrusted") != 0)
        g_assert_null (find_fix (explanation, "trust-certificate"));
    }
}

/* A fix that changes nothing is never offered; each fix sets what it says. */
static void
test_fix_values (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
  g_autoptr(SmtpExplanation) explanation = NULL;
  SmtpExplainContext context = { .host = "mail.example.com", .port = 25,
                                 .security = SMTP_SECURITY_NONE };
  const SmtpFix *fix;

  explanation = smtp_explain (error, SMTP_STAGE_CONNECT, NULL, &context);
  check_explanation (explanation);

  fix = find_fix (explanation, "use-port-587");
  g_assert_nonnull (fix);
  g_assert_cmpuint (fix->port, ==, 587);
  g_assert_true (fix->change_security);
  g_assert_cmpint (fix->security, ==, SMTP_SECURITY_STARTTLS);

  fix = find_fix (explanation, "use-tls-465");
  g_assert_nonnull (fix);
  g_assert_cmpuint (fix->port, ==, 465);
  g_assert_cmpint (fix->security, ==, SMTP_SECURITY_TLS);
  g_clear_pointer (&explanation, smtp_explanation_free);

  /* Settings unknown: no guess about ports. */
  explanation = smtp_explain (error, SMTP_STAGE_CONNECT, NULL, NULL);
  check_explanation (explanation);
  g_assert_cmpuint (explanation->fixes->len, ==, 0);
}

static void
test_full_address_fix (void)
{
  g_autoptr(SmtpReply) reply = smtp_reply_parse ("535 5.7.8 Authentication failed", -1, NULL);
  SmtpExplainContext context = { .host = "mail.example.com", .port = 587,
                                 .user = "ada", .from = "ada@example.com" };
  SmtpExplanation *explanation;
  const SmtpFix *fix;

  explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
  check_explanation (explanation);
  fix = find_fix (explanation, "use-full-address");
  g_assert_nonnull (fix);
  g_assert_cmpstr (fix->user, ==, "ada@example.com");
  g_assert_cmpuint (fix->port, ==, 0);
  g_assert_false (fix->change_security);
  smtp_explanation_free (explanation);

  /* Already the full address. */
  context.user = "ada@example.com";
  explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
  g_assert_null (find_fix (explanation, "use-full-address"));
  smtp_explanation_free (explanation);

  /* SendGrid's user name is "apikey", never an address. */
  context.host = "smtp.sendgrid.net";
  context.user = "apikey";
  explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
  g_assert_cmpstr (explanation->provider, ==, "SendGrid");
  g_assert_null (find_fix (explanation, "use-full-address"));
  g_assert_nonnull (strstr (explanation->advice, "apikey"));
  smtp_explanation_free (explanation);

  /* No sender known. */
  context.host = "mail.example.com";
  context.user = "ada";
  context.from = NULL;
  explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
  g_assert_null (find_fix (explanation, "use-full-address"));
  smtp_explanation_free (explanation);
}

/* The name in a certificate for another name is suggested only when it is a
 * server under the name the person typed. */
static void
test_certificate_name (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                                 "Unacceptable TLS certificate");
  SmtpCertificateInfo certificate = { .subject = (char *) "O=Example,CN=mail.example.com",
                                      .errors = G_TLS_CERTIFICATE_BAD_IDENTITY };
  SmtpExplainContext context = { .host = "example.com", .port = 465,
                                 .security = SMTP_SECURITY_TLS, .certificate = &certificate };
  SmtpExplanation *explanation;

  explanation = smtp_explain (error, SMTP_STAGE_TLS, NULL, &context);
  check_explanation (explanation);
  g_assert_cmpstr (explanation->category, ==, "certificate-hostname-mismatch");
  g_assert_nonnull (strstr (explanation->advice, "mail.example.com"));
  g_assert_cmpuint (explanation->fixes->len, ==, 0);
  smtp_explanation_free (explanation);

  /* Someone else's name is not repeated. */
  certificate.subject = (char *) "CN=smtp.attacker.example";
  explanation = smtp_explain (error, SMTP_STAGE_TLS, NULL, &context);
  check_explanation (explanation);
  g_assert_cmpstr (explanation->category, ==, "certificate-hostname-mismatch");
  g_assert_null (strstr (explanation->advice, "attacker"));
  g_assert_null (strstr (explanation->explanation, "attacker"));
  smtp_explanation_free (explanation);

  /* Nor a name that only ends like the host. */
  certificate.subject = (char *) "CN=notexample.com";
  explanation = smtp_explain (error, SMTP_STAGE_TLS, NULL, &context);
  g_assert_null (strstr (explanation->advice, "notexample"));
  smtp_explanation_free (explanation);
}

/* Providers and security ------------------------------------------------ */

static void
test_provider_help (void)
{
  static const struct {
    const char *host;
    const char *reply;
    const char *category;
    const char *provider;
    const char *help_uri;
  } cases[] = {
    { "smtp.gmail.com",
      "534-5.7.9 Application-specific password required. Learn more at\r\n"
      "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x - gsmtp",
      "app-password-required", "Gmail", GMAIL_APP_PASSWORD_URI },
    { "smtp.gmail.com",
      "535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
      "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp",
      "auth-failed", "Gmail", GMAIL_APP_PASSWORD_URI },
    { "smtp.office365.com",
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
      "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [X.prod.outlook.com]",
      "auth-method-disabled", "Microsoft 365 / Outlook.com", MS_SMTP_AUTH_URI },
    { "outlook.office365.com",
      "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
      "auth-method-disabled", "Microsoft 365 / Outlook.com", MS_SMTP_AUTH_URI },
    { "smtp.mail.yahoo.com", "535 5.7.0 (#AUTH005) Too many bad auth attempts.",
      "auth-failed", "Yahoo Mail", "https://help.yahoo.com/kb/SLN15241.html" },
    { "smtp.mail.me.com", "535 5.7.8 Authentication failed",
      "auth-failed", "iCloud Mail", "https://support.apple.com/en-us/102654" },
    { "mail.example.com", "535 5.7.8 Authentication failed", "auth-failed", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpReply) reply = smtp_reply_parse (cases[i].reply, -1, NULL);
      g_autoptr(SmtpExplanation) explanation = NULL;
      SmtpExplainContext context = { .host = cases[i].host, .port = 587 };

      g_assert_nonnull (reply);
      explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
      check_explanation (explanation);
      g_assert_cmpstr (explanation->category, ==, cases[i].category);
      g_assert_cmpstr (explanation->provider, ==, cases[i].provider);
      g_assert_cmpstr (explanation->help_uri, ==, cases[i].help_uri);
    }
}

/* DESIGN.md, Security rules: words that arrived before TLS are never shown
 * nor turned into links, and do not name the provider either. */
static void
test_pre_tls_words (void)
{
  static const char * const replies[] = {
    "554 5.7.1 Your IP is blocked, unblock it at http://evil.example/unblock",
    "535-5.7.8 Username and Password not accepted. Reset it at\r\n"
    "535 5.7.8 http://evil.example/gmail-login - gsmtp",
    "530 5.7.0 Must issue a STARTTLS command first http://evil.example",
    "421 4.7.0 Try again later at http://evil.example/?p=SmtpClientAuthentication",
    "550 Relaying denied, see http://evil.example",
  };

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(SmtpReply) reply = smtp_reply_parse (replies[i], -1, NULL);

      g_assert_nonnull (reply);

      for (int authenticated = 0; authenticated <= 1; authenticated++)
        {
          g_autoptr(SmtpExplanation) explanation = NULL;
          SmtpExplainContext context = { .host = "mail.example.com", .port = 587,
                                         .reply_authenticated = authenticated };

          explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
          check_explanation (explanation);

          g_assert_null (strstr (explanation->title, "evil.example"));
          g_assert_null (strstr (explanation->explanation, "evil.example"));
          g_assert_null (strstr (explanation->advice, "evil.example"));
          g_assert_null (strstr (explanation->category, "evil.example"));
          g_assert_true (explanation->help_uri == NULL ||
                         strstr (explanation->help_uri, "evil.example") == NULL);
          g_assert_true (explanation->provider == NULL ||
                         strstr (explanation->provider, "evil") == NULL);
          for (guint j = 0; j < explanation->fixes->len; j++)
            {
              const SmtpFix *fix = g_ptr_array_index (explanation->fixes, j);

              g_assert_null (strstr (fix->label, "evil.example"));
              g_assert_null (fix->user);
            }

          /* "gsmtp" before TLS does not make it Gmail. */
          if (!authenticated)
            g_assert_null (explanation->provider);
        }
    }

  /* After TLS, the reply's words may name the provider. */
  {
    g_autoptr(SmtpReply) reply = smtp_reply_parse (replies[1], -1, NULL);
    g_autoptr(SmtpExplanation) explanation = NULL;
    SmtpExplainContext context = { .reply_authenticated = TRUE };

    explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
    g_assert_cmpstr (explanation->provider, ==, "Gmail");
    g_assert_cmpstr (explanation->help_uri, ==, GMAIL_APP_PASSWORD_URI);
  }
}

static void
test_hosts (void)
{
  static const struct {
    const char *host;
    const char *provider;
  } cases[] = {
    { "smtp.gmail.com", "Gmail" },
    { "SMTP.GMAIL.COM.", "Gmail" },
    { "aspmx.l.google.com", "Gmail" },
    { "smtp-relay.gmail.com", "Gmail" },
    { "smtp.office365.com", "Microsoft 365 / Outlook.com" },
    { "outlook.office365.com", "Microsoft 365 / Outlook.com" },
    { "smtp-mail.outlook.com", "Microsoft 365 / Outlook.com" },
    { "smtp.mail.yahoo.com", "Yahoo Mail" },
    { "smtp.aol.com", "AOL Mail" },
    { "smtp.mail.me.com", "iCloud Mail" },
    { "smtp.zoho.com", "Zoho Mail" },
    { "smtppro.zoho.eu", "Zoho Mail" },
    { "smtp.yandex.ru", "Yandex Mail" },
    { "smtp.yandex.com", "Yandex Mail" },
    { "smtp.mail.ru", "Mail.ru" },
    { "mail.gmx.net", "GMX" },
    { "mail.gmx.com", "GMX" },
    { "smtp.web.de", "WEB.DE" },
    { "smtp.fastmail.com", "Fastmail" },
    { "smtp.qq.com", "QQ Mail" },
    { "smtp.163.com", "NetEase Mail (163/126)" },
    { "email-smtp.eu-central-1.amazonaws.com", "Amazon SES" },
    { "smtp.sendgrid.net", "SendGrid" },
    { "smtp.mailgun.org", "Mailgun" },
    { "smtp-relay.brevo.com", "Brevo" },
    { "smtp-relay.sendinblue.com", "Brevo" },
    { "smtp.postmarkapp.com", "Postmark" },
    { "ec2-203-0-113-5.compute-1.amazonaws.com", NULL },
    { "mail.notgmail.com", NULL },
    { "gmail.com.evil.example", NULL },
    { "mail.example.com", NULL },
  };
  g_autoptr(SmtpReply) reply = smtp_reply_parse ("535 5.7.8 Authentication failed", -1, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpExplanation) explanation = NULL;
      SmtpExplainContext context = { .host = cases[i].host, .port = 587 };

      explanation = smtp_explain (NULL, SMTP_STAGE_AUTH, reply, &context);
      g_test_message ("%s", cases[i].host);
      g_assert_cmpstr (explanation->provider, ==, cases[i].provider);
    }
}

/* Results --------------------------------------------------------------- */

static void
test_result (void)
{
  SmtpTestResult *result = g_new0 (SmtpTestResult, 1);
  g_autoptr(SmtpTestOptions) options = smtp_test_options_new ();
  SmtpExplanation *explanation;

  result->ok = TRUE;
  result->stage = SMTP_STAGE_DONE;
  g_assert_null (smtp_explain_result (result, options));

  options->host = g_strdup ("smtp.gmail.com");
  options->port = 587;
  options->security = SMTP_SECURITY_STARTTLS;
  options->user = g_strdup ("ada");
  options->from = g_strdup ("ada@gmail.com");

  result->ok = FALSE;
  result->stage = SMTP_STAGE_AUTH;
  result->error = g_error_new_literal (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_REJECTED,
                                       "535 5.7.8 Username and Password not accepted.");
  result->reply = smtp_reply_parse ("535 5.7.8 Username and Password not accepted.", -1, NULL);
  result->reply_authenticated = TRUE;

  explanation = smtp_explain_result (result, options);
  check_explanation (explanation);
  g_assert_cmpstr (explanation->category, ==, "auth-failed");
  g_assert_cmpstr (explanation->provider, ==, "Gmail");
  g_assert_cmpstr (explanation->help_uri, ==, GMAIL_APP_PASSWORD_URI);
  g_assert_nonnull (find_fix (explanation, "use-full-address"));
  smtp_explanation_free (explanation);

  /* The certificate travels in the result. */
  g_clear_error (&result->error);
  g_clear_pointer (&result->reply, smtp_reply_free);
  result->stage = SMTP_STAGE_TLS;
  result->error = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable");
  result->certificate = g_new0 (SmtpCertificateInfo, 1);
  result->certificate->subject = g_strdup ("CN=mail.example.com");
  result->certificate->sha256 = g_strdup ("00");
  result->certificate->errors = G_TLS_CERTIFICATE_UNKNOWN_CA;

  explanation = smtp_explain_result (result, options);
  check_explanation (explanation);
  g_assert_cmpstr (explanation->category, ==, "certificate-untrusted");
  g_assert_nonnull (find_fix (explanation, "trust-certificate"));
  smtp_explanation_free (explanation);

  /* A failure without any reason is still explained. */
  g_clear_error (&result->error);
  g_clear_pointer (&result->certificate, smtp_certificate_info_free);
  explanation = smtp_explain_result (result, options);
  check_explanation (explanation);
  smtp_explanation_free (explanation);

  smtp_test_result_free (result);
}

/* A hang-up that came with a reason is explained by the reason. */
static void
test_closed_with_reply (void)
{
  g_autoptr(GError) error = g_error_new_literal (SMTP_CLIENT_ERROR,
                                                 SMTP_CLIENT_ERROR_CONNECTION_CLOSED, "closed");
  g_autoptr(SmtpReply) reply = smtp_reply_parse ("421 4.7.0 Too many connections from your "
                                                 "host, try again later", -1, NULL);
  g_autoptr(SmtpExplanation) explanation = NULL;

  explanation = smtp_explain (error, SMTP_STAGE_GREETING, reply, NULL);
  check_explanation (explanation);
  g_assert_cmpstr (explanation->category, ==, "rate-limited");
}

/* Categories ------------------------------------------------------------ */

static void
test_list (void)
{
  const char **ids = smtp_explain_list_categories ();

  g_assert_nonnull (ids);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, g_strv_length ((char **) design_categories));
  for (guint i = 0; design_categories[i] != NULL; i++)
    g_assert_cmpstr (ids[i], ==, design_categories[i]);
  g_assert_true (smtp_explain_list_categories () == ids);
}

/* Every category of DESIGN.md is reached by some case above; the tables run
 * again here, so that this holds whatever tests -p selects. */
static void
test_all_reached (void)
{
  guint missing = 0;

  g_hash_table_remove_all (reached);
  test_replies ();
  test_reply_stage ();
  test_reply_without_code ();
  test_closed_with_reply ();
  test_errors ();
  test_fix_values ();
  test_certificate_name ();
  test_provider_help ();
  test_pre_tls_words ();
  test_result ();

  for (guint i = 0; design_categories[i] != NULL; i++)
    {
      if (!g_hash_table_contains (reached, g_intern_string (design_categories[i])))
        {
          g_test_message ("not reached: %s", design_categories[i]);
          missing++;
        }
    }

  g_assert_cmpuint (missing, ==, 0);
}

static void
test_category_title (void)
{
  const char **ids = smtp_explain_list_categories ();

  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_cmpstr (smtp_explain_category_title (ids[i]), !=, "");
  g_assert_cmpstr (smtp_explain_category_title ("auth-failed"), ==,
                   "The password was not accepted");
  g_assert_null (smtp_explain_category_title ("no-such-category"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("Failures and real server replies are explained in the right category, "
                  "with plain words, the right fixes and provider help, and never repeat "
                  "what the server said.");

  reached = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_test_add_func ("/explain/categories/list", test_list);
  g_test_add_func ("/explain/categories/title", test_category_title);
  g_test_add_func ("/explain/replies/real", test_replies);
  g_test_add_func ("/explain/replies/stage", test_reply_stage);
  g_test_add_func ("/explain/replies/without-code", test_reply_without_code);
  g_test_add_func ("/explain/replies/positive", test_positive_reply);
  g_test_add_func ("/explain/replies/closed-with-reason", test_closed_with_reply);
  g_test_add_func ("/explain/errors", test_errors);
  g_test_add_func ("/explain/fixes/values", test_fix_values);
  g_test_add_func ("/explain/fixes/full-address", test_full_address_fix);
  g_test_add_func ("/explain/certificate/name", test_certificate_name);
  g_test_add_func ("/explain/provider/help", test_provider_help);
  g_test_add_func ("/explain/provider/hosts", test_hosts);
  g_test_add_func ("/explain/security/pre-tls-words", test_pre_tls_words);
  g_test_add_func ("/explain/result", test_result);
  g_test_add_func ("/explain/categories/all-reached", test_all_reached);

  status = g_test_run ();
  g_hash_table_unref (reached);

  return status;
}
