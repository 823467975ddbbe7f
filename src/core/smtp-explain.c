/* smtp-explain.c: any failure -> a category, plain words, advice and the fixes to try
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-explain"

#include "config.h"

#include "smtp-explain.h"

#include "smtp-auth.h"
#include "smtp-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Security rule (DESIGN.md): a reply that arrived before the TLS handshake
 * may have been written by anyone on the path. Nothing in this file copies
 * the server's words into a title, an explanation, advice or a link: every
 * sentence is ours, and links come only from the provider table below. The
 * server's words only choose among our sentences. */

/* Categories ---------------------------------------------------------------- */

typedef enum
{
  CAT_DNS_FAILED,
  CAT_CONNECTION_REFUSED,
  CAT_CONNECTION_TIMEOUT,
  CAT_CONNECTION_LOST,
  CAT_SERVER_NOT_RESPONDING,
  CAT_TLS_HANDSHAKE_FAILED,
  CAT_CERTIFICATE_UNTRUSTED,
  CAT_CERTIFICATE_HOSTNAME_MISMATCH,
  CAT_CERTIFICATE_EXPIRED,
  CAT_STARTTLS_NOT_OFFERED,
  CAT_PLAINTEXT_AUTH_REFUSED,
  CAT_AUTH_MECHANISM_UNSUPPORTED,
  CAT_PROTOCOL_ERROR,
  CAT_KEYRING_UNAVAILABLE,
  CAT_CANCELLED,
  CAT_AUTH_FAILED,
  CAT_APP_PASSWORD_REQUIRED,
  CAT_AUTH_METHOD_DISABLED,
  CAT_AUTH_REQUIRED,
  CAT_ENCRYPTION_REQUIRED,
  CAT_TLS_UNAVAILABLE,
  CAT_SENDER_REJECTED,
  CAT_RELAY_DENIED,
  CAT_RECIPIENT_UNKNOWN,
  CAT_MAILBOX_UNAVAILABLE_TEMPORARILY,
  CAT_MESSAGE_TOO_LARGE,
  CAT_RATE_LIMITED,
  CAT_SPAM_OR_POLICY_REJECTED,
  CAT_CLIENT_HOST_REJECTED,
  CAT_GREYLISTED,
  CAT_SERVER_TEMPORARY_FAILURE,
  CAT_SERVER_PERMANENT_FAILURE,
  CAT_SYNTAX_OR_PROTOCOL_ERROR,
  CAT_ACCOUNT_SUSPENDED_OR_BLOCKED,
  N_CATEGORIES
} Category;

typedef struct
{
  const char *id;
  const char *title;
  const char *explanation;
  const char *advice;
} CategoryText;

/* The ids are stable (DESIGN.md, "Failure categories"); the texts are for a
 * person who does not know what SMTP is. */
static const CategoryText categories[N_CATEGORIES] = {
  [CAT_DNS_FAILED] = {
    "dns-failed",
    N_("The server name was not found"),
    N_("The app could not find a server with this name on the internet. The name may be "
       "misspelled, or this computer may not be connected to the internet."),
    N_("Check the server name for typing mistakes; it usually looks like "
       "“smtp.example.com”. Check that websites open on this computer. If you are not sure "
       "of the name, go back and let the app find the settings for your email address."),
  },
  [CAT_CONNECTION_REFUSED] = {
    "connection-refused",
    N_("The server refused the connection"),
    N_("The server was found, but it does not accept connections on this port. The port "
       "may be wrong, or the server does not offer sending mail there."),
    N_("Check the port your email provider gives for outgoing mail; usually it is 587 "
       "(STARTTLS) or 465 (SSL/TLS). Check also that the server name is the one for "
       "outgoing mail, not the one for incoming mail."),
  },
  [CAT_CONNECTION_TIMEOUT] = {
    "connection-timeout",
    N_("The server could not be reached"),
    N_("Nothing answered when the app tried to connect. Most often a firewall or your "
       "internet provider blocks this port; many home internet providers block port 25."),
    N_("Try port 587 with STARTTLS or port 465 with SSL/TLS. Work, school and public "
       "networks often block mail ports: if you can, try another network, such as your "
       "phone’s hotspot. Check also the server name."),
  },
  [CAT_CONNECTION_LOST] = {
    "connection-lost",
    N_("The connection was interrupted"),
    N_("The server closed the connection, or the network dropped it, before the test "
       "could finish."),
    N_("Try again in a few minutes. If it stops at the same step every time, the server "
       "may not accept these settings from this computer: check the port and the security "
       "setting, and if you can, try another network."),
  },
  [CAT_SERVER_NOT_RESPONDING] = {
    "server-not-responding",
    N_("The server stopped responding"),
    N_("The connection was made, but the server did not answer in time."),
    N_("Try again in a few minutes. If it happens every time, the security setting may not "
       "match the port: port 465 normally uses SSL/TLS, and port 587 uses STARTTLS."),
  },
  [CAT_TLS_HANDSHAKE_FAILED] = {
    "tls-handshake-failed",
    N_("A secure connection could not be set up"),
    N_("The app and the server could not agree on how to encrypt the connection. Usually "
       "the security setting does not match the port, or the server only knows old "
       "encryption that is no longer safe."),
    N_("Port 465 normally uses SSL/TLS and port 587 uses STARTTLS: try the other "
       "combination. If that does not help, the server may need an update; ask your email "
       "provider."),
  },
  [CAT_CERTIFICATE_UNTRUSTED] = {
    "certificate-untrusted",
    N_("The server’s identity could not be confirmed"),
    N_("The server showed a security certificate that this computer does not trust. "
       "Private servers often use such certificates, but it can also mean that someone is "
       "intercepting the connection."),
    N_("If this is your own server or your organization’s, ask its administrator whether "
       "this certificate is expected and compare its fingerprint before you trust it. If "
       "this is a public email provider, do not trust it: try again on another network."),
  },
  [CAT_CERTIFICATE_HOSTNAME_MISMATCH] = {
    "certificate-hostname-mismatch",
    N_("The server’s certificate is for a different name"),
    N_("The server showed a security certificate made out to another name than the one "
       "you entered. Most often the server name is not quite right, for example the name "
       "of your website instead of the name of your mail server."),
    N_("Use exactly the outgoing server name your email provider gives. Hosting companies "
       "often want the name of their own server here instead of your domain."),
  },
  [CAT_CERTIFICATE_EXPIRED] = {
    "certificate-expired",
    N_("The server’s certificate is out of date"),
    N_("The server’s security certificate has expired or is not valid yet. This also "
       "happens when the date or time on this computer is wrong."),
    N_("Check that this computer’s clock shows the right date, time and time zone. If it "
       "does, the server’s certificate must be renewed: tell your email provider or the "
       "server’s administrator."),
  },
  [CAT_STARTTLS_NOT_OFFERED] = {
    "starttls-not-offered",
    N_("The server does not offer encryption on this port"),
    N_("You chose STARTTLS, but the server did not offer to encrypt the connection. The "
       "app stopped here rather than send your password unprotected."),
    N_("Try port 465 with SSL/TLS. If your provider says this server has no encryption, "
       "ask them for one that has: without it, anyone on the network could read your "
       "password."),
  },
  [CAT_PLAINTEXT_AUTH_REFUSED] = {
    "plaintext-auth-refused",
    N_("Your password would have been sent unprotected"),
    N_("This connection is not encrypted, so the app did not send your password: anyone "
       "on the network could have read it."),
    N_("Choose STARTTLS on port 587 or SSL/TLS on port 465. Only for a server on a network "
       "you trust that cannot encrypt, allow signing in without encryption explicitly."),
  },
  [CAT_AUTH_MECHANISM_UNSUPPORTED] = {
    "auth-mechanism-unsupported",
    N_("The server does not accept this way of signing in"),
    N_("The server does not offer any sign-in method that this app can use on this "
       "connection."),
    N_("Set the sign-in method to automatic. If that does not help, try port 587 with "
       "STARTTLS or port 465 with SSL/TLS: many servers let you sign in only on an "
       "encrypted connection. Otherwise ask your email provider which sign-in method to "
       "use."),
  },
  [CAT_PROTOCOL_ERROR] = {
    "protocol-error",
    N_("The server answered in an unexpected way"),
    N_("The server’s answer did not follow the rules for sending mail, so the app stopped. "
       "Something other than a mail server may be listening on this port, or something on "
       "the network may be changing the conversation."),
    N_("Check the server name and the port. If they are right, try another network, and "
       "tell your email provider if it keeps happening."),
  },
  [CAT_KEYRING_UNAVAILABLE] = {
    "keyring-unavailable",
    N_("The password could not be stored or read"),
    N_("The app keeps passwords in your system’s keyring, and the keyring could not be "
       "reached or is locked."),
    N_("Log out and back in, then try again: the keyring normally opens when you log in. "
       "On a desktop without a keyring, install and start GNOME Keyring or another Secret "
       "Service."),
  },
  [CAT_CANCELLED] = {
    "cancelled",
    N_("The test was stopped"),
    N_("The test was cancelled before it finished."),
    N_("Start the test again when you are ready."),
  },
  [CAT_AUTH_FAILED] = {
    "auth-failed",
    N_("The password was not accepted"),
    N_("The server did not accept the user name or the password."),
    N_("Check the password, and check that the user name is what your provider expects, "
       "often your full email address. If your provider uses two-step verification, you "
       "may need an app password (a separate password for mail programs) instead of your "
       "normal one."),
  },
  [CAT_APP_PASSWORD_REQUIRED] = {
    "app-password-required",
    N_("An app password is needed"),
    N_("Your email provider does not accept your normal password in mail programs like "
       "this one. It wants an app password: a separate password that you create in your "
       "account’s security settings."),
    N_("Sign in to your email provider’s website, open the security settings of your "
       "account and create an app password; you may have to turn on two-step verification "
       "first. Enter the app password here instead of your normal password."),
  },
  [CAT_AUTH_METHOD_DISABLED] = {
    "auth-method-disabled",
    N_("Signing in from mail programs is switched off"),
    N_("Your user name and password may well be right, but your email account, or your "
       "organization, does not let mail programs sign in and send."),
    N_("Switch on access for mail programs (often called SMTP, IMAP/SMTP or "
       "“authenticated SMTP”) in your email account’s settings. For a work or school "
       "account, ask your administrator to switch it on for your mailbox."),
  },
  [CAT_AUTH_REQUIRED] = {
    "auth-required",
    N_("You need to sign in to send"),
    N_("The server sends mail only for people who have signed in, and this test did not "
       "sign in."),
    N_("Enter your user name and password in the sign-in settings. Check also that the "
       "server and the port are the ones your provider gives for sending with a password, "
       "usually port 587 or 465."),
  },
  [CAT_ENCRYPTION_REQUIRED] = {
    "encryption-required",
    N_("The server wants an encrypted connection"),
    N_("The server will not go on until the connection is encrypted."),
    N_("Choose STARTTLS on port 587 or SSL/TLS on port 465."),
  },
  [CAT_TLS_UNAVAILABLE] = {
    "tls-unavailable",
    N_("The server cannot encrypt the connection right now"),
    N_("The server offered encryption but could not set it up. The problem is on the "
       "server’s side and often passes."),
    N_("Try again later, or try port 465 with SSL/TLS. If it goes on, tell your email "
       "provider."),
  },
  [CAT_SENDER_REJECTED] = {
    "sender-rejected",
    N_("The sender address was not accepted"),
    N_("The server will not send mail from this sender address with this account. Most "
       "providers let you send only from your own address, or from addresses you have "
       "added to your account."),
    N_("Use the email address of the account you sign in with as the sender. To send from "
       "another address, add it to your account first (often called “send as” or an "
       "alias), or have your provider verify it."),
  },
  [CAT_RELAY_DENIED] = {
    "relay-denied",
    N_("The server will not pass the message on"),
    N_("The server delivers mail to other addresses only for people who have signed in, "
       "and it did not treat this test as signed in."),
    N_("Switch on signing in with your user name and password, and use the outgoing "
       "server your provider gives, usually on port 587 or 465. Port 25 is meant for "
       "servers and often does not let you sign in."),
  },
  [CAT_RECIPIENT_UNKNOWN] = {
    "recipient-unknown",
    N_("The recipient’s address was not found"),
    N_("The server says that the recipient’s mailbox does not exist or cannot receive "
       "mail."),
    N_("Check the recipient’s address for typing mistakes. For the test, send the message "
       "to your own address."),
  },
  [CAT_MAILBOX_UNAVAILABLE_TEMPORARILY] = {
    "mailbox-unavailable-temporarily",
    N_("The recipient’s mailbox cannot take mail right now"),
    N_("The recipient’s mailbox is busy, full or unavailable for the moment."),
    N_("Try again later, or send the test to another address, such as your own."),
  },
  [CAT_MESSAGE_TOO_LARGE] = {
    "message-too-large",
    N_("The message is too large"),
    N_("The server does not accept messages this large."),
    N_("Send a smaller message, for example without attachments. The test message is "
       "small, so if the test itself fails like this, ask your email provider about their "
       "size limit."),
  },
  [CAT_RATE_LIMITED] = {
    "rate-limited",
    N_("Too many messages for now"),
    N_("The server is limiting how much this account or this connection may send, because "
       "a lot was sent recently."),
    N_("Wait before trying again: from an hour up to a day. If you send many messages "
       "regularly, ask your email provider about their limits, or use a service made for "
       "sending in bulk."),
  },
  [CAT_SPAM_OR_POLICY_REJECTED] = {
    "spam-or-policy-rejected",
    N_("The message was refused by a filter"),
    N_("The server’s filters refused the message: it looked like unwanted mail to them, or "
       "broke one of the receiving server’s rules."),
    N_("Send the test to your own address first. If that works, the recipient’s server is "
       "the one refusing: try again later or ask its administrator. Check also that you "
       "send through your own provider’s server, with your own address as the sender."),
  },
  [CAT_CLIENT_HOST_REJECTED] = {
    "client-host-rejected",
    N_("The server refuses mail from this computer"),
    N_("The server does not accept mail from this computer’s internet address. Home "
       "internet addresses, and addresses on lists of spam senders, are often refused."),
    N_("Send through your email provider’s outgoing server, signed in with your user name "
       "and password on port 587 or 465, rather than straight to the recipient’s server. "
       "If you already do, tell your provider: your internet address may be on a block "
       "list."),
  },
  [CAT_GREYLISTED] = {
    "greylisted",
    N_("The server asks to try again in a few minutes"),
    N_("The server delays mail from senders it has not seen before, as a protection "
       "against unwanted mail. This is normal and passes by itself."),
    N_("Wait a few minutes and run the test again; the next attempt is normally accepted."),
  },
  [CAT_SERVER_TEMPORARY_FAILURE] = {
    "server-temporary-failure",
    N_("The server has a temporary problem"),
    N_("The server could not handle the request just now, for a reason on its side that "
       "should pass."),
    N_("Try again in a few minutes. If it goes on for hours, tell your email provider."),
  },
  [CAT_SERVER_PERMANENT_FAILURE] = {
    "server-permanent-failure",
    N_("The server refused the request"),
    N_("The server refused, and trying again the same way will not help."),
    N_("Check the sender and recipient addresses and the account settings. If they all "
       "look right, copy the technical details and ask your email provider what the "
       "server’s answer means."),
  },
  [CAT_SYNTAX_OR_PROTOCOL_ERROR] = {
    "syntax-or-protocol-error",
    N_("The server did not understand a request"),
    N_("The server did not understand something the app sent, or did not expect it at "
       "this point."),
    N_("Check the sender and recipient addresses for unusual characters, and set the "
       "sign-in method to automatic. If it goes on, copy the technical details and send "
       "them to your email provider."),
  },
  [CAT_ACCOUNT_SUSPENDED_OR_BLOCKED] = {
    "account-suspended-or-blocked",
    N_("Your email account cannot send right now"),
    N_("The provider has blocked, suspended or limited sending from this account, for "
       "example after unusual activity, or because the account is not fully set up yet."),
    N_("Sign in to your email provider’s website and look for a message about your "
       "account: you may have to confirm who you are, change your password or finish "
       "setting up the account. If the account belongs to an organization, ask its "
       "administrator."),
  },
};

/**
 * smtp_explain_list_categories:
 *
 * Returns: (transfer none) (array zero-terminated=1): every category id
 *   smtp_explain() can return, in the order of DESIGN.md
 */
const char **
smtp_explain_list_categories (void)
{
  static const char *ids[N_CATEGORIES + 1];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_CATEGORIES; i++)
        ids[i] = categories[i].id;
      ids[N_CATEGORIES] = NULL;
      g_once_init_leave (&initialized, 1);
    }

  return ids;
}

/**
 * smtp_explain_category_title:
 * @category: a category id, such as "auth-failed"
 *
 * For lists of saved accounts, where only the category of the last test
 * was kept.
 *
 * Returns: (nullable): the translated title of @category, or %NULL for an
 *   unknown id
 */
const char *
smtp_explain_category_title (const char *category)
{
  g_return_val_if_fail (category != NULL, NULL);

  for (guint i = 0; i < N_CATEGORIES; i++)
    {
      if (g_str_equal (categories[i].id, category))
        return _(categories[i].title);
    }

  return NULL;
}

/* Providers ----------------------------------------------------------------- */

typedef enum
{
  PROVIDER_NONE,
  PROVIDER_GMAIL,
  PROVIDER_MICROSOFT,
  PROVIDER_YAHOO,
  PROVIDER_AOL,
  PROVIDER_ICLOUD,
  PROVIDER_ZOHO,
  PROVIDER_YANDEX,
  PROVIDER_MAILRU,
  PROVIDER_GMX,
  PROVIDER_WEBDE,
  PROVIDER_FASTMAIL,
  PROVIDER_QQ,
  PROVIDER_NETEASE,
  PROVIDER_SES,
  PROVIDER_SENDGRID,
  PROVIDER_MAILGUN,
  PROVIDER_BREVO,
  PROVIDER_POSTMARK,
  N_PROVIDERS
} Provider;

typedef struct
{
  const char         *name;          /* a brand: not translated */
  const char * const *hosts;         /* glob patterns of lower-case host names */
  const char * const *reply_words;   /* lower-case words of its replies */
  gboolean            transactional; /* sign in with an API key, not an address */
} ProviderInfo;

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

static const ProviderInfo providers[N_PROVIDERS] = {
  [PROVIDER_NONE] = { NULL, NULL, NULL, FALSE },
  [PROVIDER_GMAIL] = {
    "Gmail",
    STRV ("gmail.com", "*.gmail.com", "googlemail.com", "*.googlemail.com", "*.google.com"),
    STRV ("gsmtp", "support.google.com"),
    FALSE,
  },
  [PROVIDER_MICROSOFT] = {
    "Microsoft 365 / Outlook.com",
    STRV ("*.office365.com", "*.outlook.com", "outlook.com", "*.hotmail.com", "smtp.live.com",
          "*.protection.outlook.com"),
    STRV ("prod.outlook.com", "protection.outlook.com", "outlook.office365.com", "aka.ms/",
          "smtpclientauthentication", "storedrv", "exchangelabs", "microsoft"),
    FALSE,
  },
  [PROVIDER_YAHOO] = {
    "Yahoo Mail",
    STRV ("*.yahoo.com", "*.yahoo.co.*", "*.yahoodns.net"),
    STRV ("yahooinc", "help.yahoo.com", "yahoodns"),
    FALSE,
  },
  [PROVIDER_AOL] = {
    "AOL Mail",
    STRV ("*.aol.com"),
    STRV ("help.aol.com"),
    FALSE,
  },
  [PROVIDER_ICLOUD] = {
    "iCloud Mail",
    STRV ("*.mail.me.com", "smtp.me.com", "*.icloud.com"),
    STRV ("support.apple.com", "icloud mail"),
    FALSE,
  },
  [PROVIDER_ZOHO] = {
    "Zoho Mail",
    STRV ("*.zoho.com", "*.zoho.eu", "*.zoho.in", "*.zoho.com.au", "*.zoho.com.cn", "*.zoho.jp",
          "*.zoho.sa", "*.zohomail.com"),
    STRV ("zoho mail", "zohomail", "zoho.com/mail"),
    FALSE,
  },
  [PROVIDER_YANDEX] = {
    "Yandex Mail",
    STRV ("*.yandex.ru", "*.yandex.com", "*.yandex.net", "*.yandex.com.tr", "*.ya.ru"),
    STRV ("ya.cc/", "yandex.ru/support", "yandex.com/support"),
    FALSE,
  },
  [PROVIDER_MAILRU] = {
    "Mail.ru",
    STRV ("*.mail.ru"),
    STRV ("help.mail.ru", "parol prilozheniya"),
    FALSE,
  },
  [PROVIDER_GMX] = {
    "GMX",
    STRV ("*.gmx.net", "*.gmx.com", "*.gmx.de", "*.gmx.at", "*.gmx.ch", "*.gmx.co.uk",
          "*.gmx.fr", "*.gmx.es"),
    STRV ("gmx.net/mail", "gmx.com/mail", "mxgmx"),
    FALSE,
  },
  [PROVIDER_WEBDE] = {
    "WEB.DE",
    STRV ("*.web.de"),
    STRV ("web.de/email", "mxweb"),
    FALSE,
  },
  [PROVIDER_FASTMAIL] = {
    "Fastmail",
    STRV ("*.fastmail.com", "*.messagingengine.com"),
    STRV ("messagingengine", "fastmail.help"),
    FALSE,
  },
  [PROVIDER_QQ] = {
    "QQ Mail",
    STRV ("*.qq.com"),
    STRV ("mail.qq.com"),
    FALSE,
  },
  [PROVIDER_NETEASE] = {
    "NetEase Mail (163/126)",
    STRV ("*.163.com", "*.126.com", "*.yeah.net"),
    STRV ("mail.163.com", "netease", "dt:spm"),
    FALSE,
  },
  [PROVIDER_SES] = {
    "Amazon SES",
    STRV ("email-smtp.*.amazonaws.com", "email-smtp-fips.*.amazonaws.com"),
    STRV ("amazonses", "amazon ses"),
    TRUE,
  },
  [PROVIDER_SENDGRID] = {
    "SendGrid",
    STRV ("*.sendgrid.net"),
    STRV ("sendgrid"),
    TRUE,
  },
  [PROVIDER_MAILGUN] = {
    "Mailgun",
    STRV ("*.mailgun.org", "*.mailgun.net"),
    STRV ("mailgun"),
    TRUE,
  },
  [PROVIDER_BREVO] = {
    "Brevo",
    STRV ("*.brevo.com", "*.sendinblue.com"),
    STRV ("brevo", "sendinblue"),
    TRUE,
  },
  [PROVIDER_POSTMARK] = {
    "Postmark",
    STRV ("*.postmarkapp.com"),
    STRV ("postmarkapp"),
    TRUE,
  },
};

#define URI_GMAIL_APP_PASSWORD "https://support.google.com/mail/answer/185833"
#define URI_MS_SMTP_AUTH       "https://aka.ms/smtp_auth_disabled"
#define URI_YAHOO_APP_PASSWORD "https://help.yahoo.com/kb/SLN15241.html"
#define URI_APPLE_APP_PASSWORD "https://support.apple.com/en-us/102654"

/* Provider-specific advice, shown before the category's own. A "%s" in the
 * advice is the provider's name. Only well-known, stable help pages. */
typedef struct
{
  Provider    provider;
  const char *categories;  /* space-separated category ids */
  const char *advice;
  const char *uri;
} ProviderAdvice;

static const ProviderAdvice provider_advice[] = {
  { PROVIDER_GMAIL, "auth-failed app-password-required auth-method-disabled",
    N_("Gmail does not accept your normal Google password in mail programs: it needs an app "
       "password. Turn on 2-Step Verification in your Google Account, create an app password "
       "under Security, and enter it here instead of your password."),
    URI_GMAIL_APP_PASSWORD },
  { PROVIDER_GMAIL, "rate-limited",
    N_("Gmail limits how many messages an account may send each day. The limit resets "
       "within 24 hours."),
    NULL },
  { PROVIDER_MICROSOFT, "auth-method-disabled",
    N_("Microsoft 365 has sign-in for mail programs (SMTP AUTH) switched off for this "
       "organization or this mailbox. An administrator can switch on “Authenticated SMTP” "
       "for the mailbox in the Microsoft 365 admin center."),
    URI_MS_SMTP_AUTH },
  { PROVIDER_MICROSOFT, "auth-failed app-password-required",
    N_("For an Outlook.com account with two-step verification, create an app password in "
       "your Microsoft account’s security settings and use it here. For a work or school "
       "account, your administrator may have switched off sign-in for mail programs "
       "(SMTP AUTH)."),
    NULL },
  { PROVIDER_MICROSOFT, "sender-rejected",
    N_("Microsoft 365 lets you send only as your own address, or as an address you have "
       "“Send As” permission for. Use your own address as the sender, or ask your "
       "administrator for that permission."),
    NULL },
  { PROVIDER_MICROSOFT, "rate-limited account-suspended-or-blocked",
    N_("Outlook.com and Microsoft 365 limit how many messages and recipients an account may "
       "send each day, and block accounts that seem to send spam. Sign in on the web to see "
       "whether your account is blocked; for a work or school account, ask your "
       "administrator."),
    NULL },
  { PROVIDER_YAHOO, "auth-failed app-password-required",
    N_("Yahoo Mail needs an app password for other mail programs. Create one in your Yahoo "
       "account under Account Security, “Generate app password”, and enter it here "
       "instead of your normal password."),
    URI_YAHOO_APP_PASSWORD },
  { PROVIDER_AOL, "auth-failed app-password-required",
    N_("AOL Mail needs an app password for other mail programs. Create one in your AOL "
       "account under Account Security, “Generate app password”, and enter it here "
       "instead of your normal password."),
    NULL },
  { PROVIDER_ICLOUD, "auth-failed app-password-required",
    N_("iCloud Mail needs an app-specific password for other mail programs. Create one in "
       "your Apple Account under Sign-In and Security, App-Specific Passwords. The user "
       "name is your full iCloud email address."),
    URI_APPLE_APP_PASSWORD },
  { PROVIDER_ZOHO, "auth-failed app-password-required",
    N_("If two-factor authentication is on for your Zoho account, create an "
       "application-specific password in Zoho Accounts and use it here. The user name is "
       "your full Zoho email address."),
    NULL },
  { PROVIDER_YANDEX, "auth-failed app-password-required auth-method-disabled",
    N_("Yandex needs an app password for mail programs: create one in your Yandex ID "
       "under Security, App passwords, for mail. Check also that access from mail programs "
       "is switched on in the settings of Yandex Mail."),
    NULL },
  { PROVIDER_MAILRU, "auth-failed app-password-required",
    N_("Mail.ru needs a password for external applications: create one in the security "
       "settings of your Mail.ru account and enter it here instead of your normal "
       "password."),
    NULL },
  { PROVIDER_GMX, "auth-failed auth-method-disabled",
    /* Translators: %s is the name of a provider, GMX or WEB.DE. */
    N_("%s lets mail programs sign in only after you allow it: in the settings of its web "
       "mail, under POP3/IMAP, switch on access with POP3 and IMAP. If two-factor "
       "authentication is on, use an app password."),
    NULL },
  { PROVIDER_WEBDE, "auth-failed auth-method-disabled",
    N_("%s lets mail programs sign in only after you allow it: in the settings of its web "
       "mail, under POP3/IMAP, switch on access with POP3 and IMAP. If two-factor "
       "authentication is on, use an app password."),
    NULL },
  { PROVIDER_FASTMAIL, "auth-failed app-password-required",
    N_("Fastmail needs an app password for other mail programs: create one in Fastmail’s "
       "settings under Privacy & Security, and enter it here."),
    NULL },
  { PROVIDER_QQ, "auth-failed app-password-required auth-method-disabled",
    /* Translators: %s is the name of a Chinese provider, QQ Mail or NetEase Mail. */
    N_("%s needs an authorization code instead of your password: in the settings of its "
       "web mail, switch on the SMTP service and generate an authorization code, then enter "
       "that code here as the password."),
    NULL },
  { PROVIDER_NETEASE, "auth-failed app-password-required auth-method-disabled",
    N_("%s needs an authorization code instead of your password: in the settings of its "
       "web mail, switch on the SMTP service and generate an authorization code, then enter "
       "that code here as the password."),
    NULL },
  { PROVIDER_ZOHO, "sender-rejected",
    /* Translators: %s is the name of a provider, such as Yandex Mail. */
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_YANDEX, "sender-rejected",
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_MAILRU, "sender-rejected",
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_QQ, "sender-rejected",
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_NETEASE, "sender-rejected",
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_ICLOUD, "sender-rejected",
    N_("%s sends only from the address you sign in with, or from an alias you have added in "
       "its settings."),
    NULL },
  { PROVIDER_SES, "auth-failed",
    N_("Amazon SES needs SMTP credentials, which are not your AWS access keys nor your "
       "console password. Create them in the Amazon SES console under SMTP settings, and "
       "use the server of the same region."),
    NULL },
  { PROVIDER_SES, "sender-rejected",
    N_("Amazon SES sends only from verified addresses or domains: verify the sender in the "
       "Amazon SES console. While your account is in the sandbox, the recipients must be "
       "verified too."),
    NULL },
  { PROVIDER_SES, "rate-limited account-suspended-or-blocked",
    N_("Amazon SES limits how many messages your account may send a day and a second, and "
       "pauses accounts with too many bounces or complaints. See the account dashboard in "
       "the Amazon SES console."),
    NULL },
  { PROVIDER_SENDGRID, "auth-failed",
    N_("For SendGrid, the user name is the word “apikey” and the password is an API key "
       "that may send mail."),
    NULL },
  { PROVIDER_SENDGRID, "sender-rejected",
    N_("SendGrid sends only from a verified sender identity: verify the sender address or "
       "domain in SendGrid’s settings."),
    NULL },
  { PROVIDER_MAILGUN, "auth-failed",
    N_("Mailgun uses separate SMTP credentials for each sending domain: find or reset them "
       "in the Mailgun control panel, in the SMTP settings of your domain."),
    NULL },
  { PROVIDER_MAILGUN, "sender-rejected account-suspended-or-blocked",
    N_("A new Mailgun account sends only to authorized recipients until it is activated and "
       "your own domain is added and verified."),
    NULL },
  { PROVIDER_BREVO, "auth-failed",
    N_("Brevo needs an SMTP key, not your account password: create one in Brevo under SMTP "
       "& API, and use the login shown there as the user name."),
    NULL },
  { PROVIDER_BREVO, "sender-rejected",
    N_("Brevo sends only from senders or domains you have added and verified in your Brevo "
       "account."),
    NULL },
  { PROVIDER_POSTMARK, "auth-failed",
    N_("For Postmark, use a server API token as both the user name and the password."),
    NULL },
  { PROVIDER_POSTMARK, "sender-rejected",
    N_("Postmark sends only from a confirmed sender signature or a verified domain."),
    NULL },
};

static gboolean
host_matches (const char         *host,
              const char * const *patterns)
{
  for (guint i = 0; patterns[i] != NULL; i++)
    {
      const char *pattern = patterns[i];

      if (g_pattern_match_simple (pattern, host))
        return TRUE;

      /* "*.example.com" also names example.com itself */
      if (g_str_has_prefix (pattern, "*.") && g_str_equal (pattern + 2, host))
        return TRUE;
    }

  return FALSE;
}

static gboolean
contains_any (const char         *text,
              const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (text, words[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

static Provider
provider_from_host (const char *host)
{
  g_autofree char *lower = NULL;
  gsize length;

  if (host == NULL || *host == '\0')
    return PROVIDER_NONE;

  lower = g_ascii_strdown (host, -1);
  length = strlen (lower);
  if (length > 0 && lower[length - 1] == '.')
    lower[length - 1] = '\0';

  for (guint i = PROVIDER_NONE + 1; i < N_PROVIDERS; i++)
    {
      if (host_matches (lower, providers[i].hosts))
        return i;
    }

  return PROVIDER_NONE;
}

static Provider
provider_from_words (const char *text)
{
  if (text == NULL)
    return PROVIDER_NONE;

  for (guint i = PROVIDER_NONE + 1; i < N_PROVIDERS; i++)
    {
      if (contains_any (text, providers[i].reply_words))
        return i;
    }

  return PROVIDER_NONE;
}

static gboolean
word_list_has (const char *list,
               const char *word)
{
  gsize n = strlen (word);

  for (const char *p = strstr (list, word); p != NULL; p = strstr (p + 1, word))
    {
      if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
        return TRUE;
    }

  return FALSE;
}

static const ProviderAdvice *
find_provider_advice (Provider  provider,
                      Category  category)
{
  for (guint i = 0; i < G_N_ELEMENTS (provider_advice); i++)
    {
      if (provider_advice[i].provider == provider &&
          word_list_has (provider_advice[i].categories, categories[category].id))
        return &provider_advice[i];
    }

  return NULL;
}

/* Words of replies -------------------------------------------------------- */

/* Every list is lower case, and matched as substrings of the lower-cased
 * reply. Providers word the same failure very differently; some reply in
 * German, Russian or Chinese. */

static const char * const greylist_words[] = {
  "greylist", "graylist", "grey-list", "gray-list", "grey list", "gray list", NULL
};

static const char * const retry_soon_words[] = {
  "try again in ", "come back in ", "retry in ", NULL
};

static const char * const app_password_words[] = {
  "application-specific password", "application specific password", "app-specific password",
  "app specific password", "app password", "application password", "apppassword",
  "invalidsecondfactor", "please log in via your web browser",
  "log in with your web browser", "web login required",
  "weblogin", "authorization code", "parol prilozheniya",
  "anwendungsspezifisches passwort", "app-passwort",
  "пароль приложения", "пароль для внешнего приложения", "пароль для внешних приложений",
  "授权码", "应用专用密码", "2fa enabled", "with 2fa",
  NULL
};

static const char * const auth_disabled_words[] = {
  "smtpclientauthentication is disabled", "smtp client authentication is disabled",
  "smtp auth is disabled", "smtp authentication is disabled", "authenticated smtp is disabled",
  "basic authentication is disabled", "basic auth is disabled", "legacy authentication",
  "security defaults", "did not meet the criteria to be authenticated",
  "does not have access rights to this service", "user has no permission",
  "smtp access is disabled", "smtp access disabled", "smtp is disabled",
  "smtp service is not enabled", "smtp is not enabled",
  NULL
};

static const char * const account_words[] = {
  "account has been disabled", "account is disabled", "account disabled",
  "user account disabled", "account has been suspended", "account is suspended",
  "account suspended", "user suspended", "account has been blocked", "account is blocked",
  "account blocked", "account has been locked", "account is locked", "account locked",
  "user is locked", "locked out", "account has been deactivated", "account is inactive",
  "account not activated", "not yet activated", "activate your", "pending approval",
  "sending suspended", "sending paused", "sending has been paused",
  "sending has been suspended", "bad outbound sender", "outboundspamexception",
  "banned sender", "client blocked from sending", "outgoing blocked",
  "outgoing mail blocked", "unusual sending activity", "unusual activity",
  "suspicious activity", "test purposes only", "authorized recipients", "not a robot",
  "konto gesperrt", "konto wurde gesperrt", "konto ist gesperrt",
  "аккаунт заблокирован", "учетная запись заблокирована", "ящик заблокирован",
  "帐号被冻结", "账号被冻结", "账户被冻结",
  NULL
};

static const char * const encryption_words[] = {
  "must issue a starttls command first", "starttls command first", "starttls first",
  "issue a starttls", "encryption required", "encryption is required", "requires encryption",
  "encryption needed", "tls required", "tls is required", "requires tls", "must use tls",
  "ssl required", "secure connection required", "requires a secure connection",
  "must be encrypted", "please use starttls", "without ssl", "without tls", "without encryption",
  "sent over a tls", "use tls", "tls-connection", "tls connection", "tls conversation",
  "verschlüsselung erforderlich", "требуется шифрование",
  NULL
};

static const char * const tls_unavailable_words[] = {
  "tls not available", "tls is not available", "starttls not available",
  "tls currently unavailable", "tls is unavailable", "tls not supported",
  "unable to initialize tls", "tls temporarily unavailable",
  NULL
};

/* Zoho answers "553 Relaying disallowed as <sender>" when the sender is not
 * the account's address: a sender problem worded as a relay problem. */
static const char * const sender_as_relay_words[] = {
  "relaying disallowed as", NULL
};

static const char * const relay_words[] = {
  "relay access denied", "relaying denied", "relay denied", "unable to relay",
  "relay not permitted", "not permitted to relay", "relaying not permitted",
  "relaying not allowed", "relay not allowed", "not allowed to relay", "relaying prohibited",
  "relay prohibited", "cannot relay", "we do not relay", "relaying disallowed", "no relaying",
  "relay access", "relay not authorized", "list of allowed rcpthosts", "rcpthosts",
  "for relay", "not configured to relay", "as a relay",
  "relaying verweigert", "relay nicht erlaubt", "ретрансляция запрещена",
  NULL
};

/* RFC 3463's words for X.7.1, which OpenSMTPD sends for a recipient it
 * does not relay to, and with a reason after them for a refused message. */
static const char * const relay_rcpt_words[] = {
  "delivery not authorized", NULL
};

static const char * const sender_words[] = {
  "sender address rejected", "not owned by user", "not owned by auth user", "sendasdenied",
  "send as denied", "send-as", "not allowed to send as", "permissions to send as",
  "permission to send as", "sender not allowed", "sender rejected", "sender verify failed",
  "sender denied", "sender blocked", "sender address is not allowed",
  "sender address not permitted",
  "sending address not permitted", "from address not permitted", "email address is not verified",
  "address is not verified", "from address not verified", "not a verified sender",
  "verified sender identity", "sender identity", "sender signature",
  "mail from address must be same as authorization user", "must equal authorized user",
  "must be same as authorization user", "not local sender", "not one of your addresses",
  "envelope sender", "badmailfrom", "domain of sender address", "sender domain",
  "unauthorized sender", "sender not authorized", "sender is not authorized", "bad sender",
  "invalid sender", "sender unknown", "sender address must", "invalid mail from", "mail from address",
  "from domain", "use of sender", "from address must", "unknown sender", "unconfigured sending domain",
  "absender", "отправител", "发件人",
  "must match authenticated", "match the authenticated", "match authenticated user", "does not match authenticated", "not match the authenticated", 
  NULL
};

/* Said plainly: these leave little doubt. */
static const char * const rate_specific_words[] = {
  "sending quota", "message quota", "sending limit", "sending rate", "rate limit",
  "rate-limit", "ratelimit", "submissionquotaexceeded", "credits exceeded", "throttl",
  "per hour", "per day", "daily limit", "hourly limit", "daily user sending",
  "too many messages", "too many connections", "too many recipients", "too many emails",
  "too many mails", "too many concurrent", "too many new", "too many sessions",
  "too much mail", "per connection", "per session", "trop de connexions",
  "recipients reached", "messages reached", "max number of messages", "maximum number of messages", "maximum number of recipients", 
  "relay quota", "daily quota", "hourly quota", "daily message quota",
  NULL
};

static const char * const mailbox_full_words[] = {
  "mailbox full", "mailbox is full", "over quota", "quota exceeded", "mailbox size limit",
  "out of storage", "storage quota", "exceeded storage allocation", "mailbox busy",
  "mailbox is busy", "receiving mail too quickly", "receiving mail at a rate",
  "boite du destinataire pleine", "quota violation", "temporary locked", "temporarily locked",
  "postfach voll", "postfach ist voll", "ящик переполнен", "邮箱已满",
  "邮箱空间不足",
  NULL
};

static const char * const server_temporary_words[] = {
  "temporary server error", "temporary local problem", "local error in processing",
  "temporary authentication failure",
  "insufficient system", "queue file write error", "insufficient disk space",
  "system resources", "qqt failure",
  NULL
};

static const char * const client_host_words[] = {
  "client host rejected", "client host", "your ip", "the ip you", "ip address is",
  "sending ip", "connecting ip", "traffic not accepted from this ip",
  "connections will not be accepted from", "because the ip", "unauthorized ip",
  "helo command rejected", "invalid helo", "helo denied", "ehlo denied",
  "helo/ehlo argument", "your helo", "helo command [", "no smtp service", "dynamic ip", "dialup", "dial-up", "residential",
  "cannot find your hostname", "cannot find your reverse hostname",
  "ip blocked", "ip is blocked", "ip address is block", "not authorized to send email directly",
  "connections not accepted", "not accepted from ip", "ip not in", "client ip", "name lookup failed",
  "ip address blacklisted", "network not allowed", "helo domain", "ehlo domain", "helo name",
  "ihre ip", "ваш ip",
  NULL
};

/* SPF, DKIM and DMARC are about the sender's domain, not about signing in:
 * "the sender must authenticate with SPF or DKIM" is no request for a password. */
static const char * const domain_auth_words[] = {
  "dmarc", "dkim", " spf", "(spf", "spf ", NULL
};

static const char * const auth_required_words[] = {
  "authentication required", "authentication is required", "auth required",
  "authentication needed", "must authenticate", "must be authenticated",
  "need to authenticate", "please authenticate", "authenticate first", "must issue an auth",
  "auth command first", "not authenticated", "unauthenticated sender", "unauthenticated mail",
  "requires authentication",
  "require authentication", "turn on smtp authentication", "login required", "not logged in",
  "authentifizierung erforderlich", "anmeldung erforderlich", "требуется авторизация",
  "требуется аутентификация",
  NULL
};

static const char * const auth_failed_words[] = {
  "authentication failed", "authentication failure", "authentication unsuccessful",
  "authentication credentials invalid", "invalid authentication", "auth failed",
  "authorization failed", "bad credentials", "invalid credentials", "credentials were incorrect",
  "incorrect authentication data", "username and password not accepted",
  "password not accepted", "invalid login", "login failed", "login fail", "login incorrect",
  "invalid user or password", "invalid username or password", "incorrect username or password",
  "invalid user name or password", "wrong username or password", "wrong password",
  "incorrect password", "invalid password", "password incorrect", "password is incorrect",
  "bad password", "bad auth", "authentication rejected", "authentication error",
  "authentifizierung fehlgeschlagen", "anmeldung fehlgeschlagen", "ungültige zugangsdaten",
  "falsches passwort", "passwort falsch", "benutzername oder passwort",
  "неверный логин", "неверный пароль", "неправильный логин", "неправильный пароль",
  "ошибка авторизации", "ошибка аутентификации",
  "认证失败", "验证失败", "登录失败", "密码错误",
  "credentials no longer valid", "re-authenticate", "credentials are invalid", 
  NULL
};

static const char * const mechanism_words[] = {
  "unrecognized authentication type", "unrecognised authentication type",
  "authentication mechanism", "auth mechanism", "mechanism not supported",
  "unsupported authentication", "authentication not enabled", "auth not available",
  "auth command used when not advertised", "auth not supported",
  "authentication not supported", "too weak",
  NULL
};

/* More general: they come after the sign-in words, so that "authentication
 * failed ... login frequency limited" is still about the password. */
static const char * const rate_general_words[] = {
  "limit exceeded", "exceeded the max", "temporarily deferred", "frequency", "too frequent",
  "maximum sending rate",
  "zu viele", "слишком много", "频率",
  NULL
};

static const char * const recipient_words[] = {
  "user unknown", "unknown user", "no such user", "no such recipient", "no such mailbox",
  "mailbox not found", "mailbox unavailable", "mailbox does not exist",
  "mailbox doesn't exist", "recipient not found", "recipientnotfound", "recipnotfound",
  "recipient address rejected", "recipient unknown", "unknown recipient", "invalid recipient",
  "recipient rejected", "not a valid recipient", "no valid recipients", "does not exist",
  "doesn't exist", "user not found", "unrouteable address", "unroutable address",
  "no mailbox here", "addressee unknown", "invalid mailbox", "user doesn't have",
  "unknown or illegal alias", "recipient address must",
  "empfänger unbekannt", "unbekannter empfänger", "benutzer unbekannt", "unbekannter benutzer",
  "existiert nicht",
  "пользователь не найден", "нет такого пользователя", "такого ящика нет", "не существует",
  "用户不存在", "收件人不存在", "邮箱不存在", "地址不存在",
  "domain not found", "no such domain", "domain does not exist", "bad address syntax", 
  NULL
};

static const char * const too_large_words[] = {
  "too large", "too big", "size limit", "message size", "size exceeds", "exceeds size",
  "maximum size", "exceeds fixed", "exceeds maximum permitted", "databytes",
  "message length exceeds", "zu groß", "слишком больш", "превышает максимальный размер",
  "过大",
  NULL
};

/* Lists of bad senders: with an address in the reply, it is this
 * computer's address that is listed. */
static const char * const blocklist_words[] = {
  "blocked using", "blacklist", "blocklist", "black list", "block list", "denylist",
  "spamhaus", "spamcop", "barracuda", "dnsbl", "sorbs",
  NULL
};

/* With an address in the reply: "All messages from 192.0.2.25 will be
 * permanently deferred". */
static const char * const from_address_words[] = {
  "messages from", "mail from ip", "connections from", NULL
};

static const char * const spam_words[] = {
  "spam", "junk", "unsolicited", "policy", "policies", "blocked using", "blacklist",
  "blocklist", "black list", "block list", "denylist", "dnsbl", "reputation",
  "content rejected", "content denied", "message content", "administrative prohibition",
  "virus", "malware", "phish", "dt:spm", "security reasons", "message rejected",
  "suspicious", "bulk", "спам", "垃圾",
  NULL
};

/* Under 4.7.0, 4.7.1 or 421 (DESIGN.md: "try again later" there is a rate
 * limit, such as Gmail's "421 4.7.0 Try again later, closing connection"). */
static const char * const rate_retry_words[] = {
  "try again later", "try later", "too many", "rate", "limit", NULL
};

/* About this computer's name in the DNS (RFC 7372 X.7.25), which Gmail also
 * reports under 4.7.23, the code for SPF. */
static const char * const reverse_dns_words[] = {
  "reverse dns", "rdns", "ptr record", "pointer (ptr)", NULL
};

/* Said of this computer's address itself, even when the reason is the mail
 * it sent ("This IP has been temporarily blocked for attempting to send too
 * many messages containing content judged to be spam"). */
static const char * const ip_blocked_words[] = {
  "this ip has been", "this ip has a poor", "this ip address is listed", "poor reputation",
  NULL
};

/* The recipient's account, not the sender's: "The recipient account is
 * blocked", "Disabled recipient address". */
static const char * const recipient_account_words[] = {
  "recipient account", "recipient's account", "disabled recipient", "disabled or discontinued",
  "mailbox is disabled", "mailbox disabled", "invalid mailbox",
  NULL
};

/* A burst of mail, deferred for now: under a 5xx code the same words mean a
 * block (see spam_decisive_words). */
static const char * const surge_words[] = {
  "unusual rate", NULL
};

/* About the message, before the words about the address it came from. */
/* A size named in bytes leaves no doubt, even under "Message rejected"
 * ("554 Message rejected: Stream is more than 10485760 bytes long"). */
static const char * const size_decisive_words[] = {
  "bytes long", "bytes in size", NULL
};

/* "535 5.7.8 Error: authentication failed: Invalid authentication
 * mechanism": the method, not the password, was refused. */
static const char * const mechanism_decisive_words[] = {
  "invalid authentication mechanism", "unsupported authentication mechanism",
  "authentication mechanism not supported", "authentication mechanism is not supported",
  NULL
};

static const char * const spam_decisive_words[] = {
  "likely suspicious", "is suspicious", "likely unsolicited", "judged to be spam",
  "looks like spam", "content rejected", "unsolicited",
  NULL
};

/* A 5xx that still asks to send again later: the server failed, not the
 * message ("554 Your message was received but it could not be saved.
 * Please retry later."). */
static const char * const retry_later_words[] = {
  "retry later", "try again later", NULL
};

/* The conversation itself went wrong: the app's fault or the server's, never
 * a reason about the account, the address or the message. */
static const char * const protocol_words[] = {
  "protocol violation", "synchronization", "synchronisation", "line too long", "line length",
  "authentication aborted", "authentication cancelled", "bad sequence", "improper sequence",
  "out of sequence", "too many errors", "crlf", "bare lf", "smtplf", "improper use of",
  "unsupported esmtp", "esmtp extension", "requires 8bitmime", "8bitmime extension", "requires smtputf8", 
  NULL
};

/* A server that is busy or broken for the moment; checked before "try again
 * later" is taken for a rate limit. */
static const char * const busy_words[] = {
  "temporary system problem", "server busy", "temporarily unavailable", "service unavailable",
  "temporary failure", "service refus", "try reconnecting", "too much load", "overload",
  NULL
};

/* The server's own machinery failed for the moment ("451 4.7.1 I/O error
 * during policy check"): no verdict about the account or the message. */
static const char * const server_error_words[] = {
  "internal error", "i/o error", "error during", "local error", "system error",
  "database error", "processing error", "action aborted",
  NULL
};

/* A limit on what the recipient may receive: theirs, not this account's. */
static const char * const recipient_limit_words[] = {
  "recipient has exceeded", "they can receive", "can receive per", NULL
};

/* A policy verdict named as such. */
static const char * const policy_words[] = {
  "policy rejection", "rejected by policy", "policy violation", "abuse", NULL
};

/* A complaint about an address rather than about the command. */
static const char * const address_words[] = {
  "address", "mailbox", "recipient", "sender", "domain", "user", NULL
};

/* Trouble between mail servers further on, which neither the person nor
 * their settings can change: mail loops, a receiving domain's DANE or
 * MTA-STS setup. */
static const char * const onward_words[] = {
  "loop detected", "mail loop", "routing loop", "too many hops", "hop count exceeded",
  "tlsa", "mta-sts", "dane ", "forwarding recipient",
  NULL
};

/* Rules --------------------------------------------------------------------- */

#define AT(stage) (1u << (stage))

typedef enum
{
  RULE_NEEDS_IP = 1 << 0,
} RuleFlags;

/**
 * Rule:
 * @category: what a match means
 * @enhanced: %NULL for any; "5.7.8" for exactly that code; "5.7." for
 *   codes that start so; "?" in the class place matches 4 and 5
 * @code_min: the lowest basic code, 0 for any
 * @code_max: the highest basic code
 * @stages: the stages (AT () bits) the rule applies at, 0 for any
 * @words: (nullable): one of them must be in the text
 * @flags: #RuleFlags
 */
typedef struct
{
  Category            category;
  const char         *enhanced;
  int                 code_min;
  int                 code_max;
  guint               stages;
  const char * const *words;
  guint               flags;
} Rule;

/* First match wins. Wording that pins the cause down comes first, because
 * servers put those words under all kinds of codes (Microsoft's SendAsDenied
 * under 5.2.0, Postgrey's "Greylisted" under 4.2.0, Gmail's "Authentication
 * Required" under 5.5.1); then the enhanced status code (RFC 3463), then the
 * basic code with the stage, then general wording, then the class. */
static const Rule rules[] = {
  /* Wording that decides. */
  { CAT_GREYLISTED, NULL, 0, 0, 0, greylist_words, 0 },
  { CAT_GREYLISTED, NULL, 400, 499, 0, retry_soon_words, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, ~AT (SMTP_STAGE_STARTTLS), server_error_words, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, 0, onward_words, 0 },
  { CAT_SERVER_PERMANENT_FAILURE, NULL, 500, 599, 0, onward_words, 0 },
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, 0, reverse_dns_words, 0 },
  { CAT_CLIENT_HOST_REJECTED, "?.7.25", 0, 0, 0, NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, "?.7.23", 0, 0, 0, NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, "?.7.24", 0, 0, 0, NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, "?.7.26", 0, 0, 0, NULL, 0 },
  /* RFC 7505: the sender's domain has a null MX, so it cannot be a sender;
   * Gmail uses 4.7.27 for SPF on the message. */
  { CAT_SENDER_REJECTED, "?.7.27", 0, 0, AT (SMTP_STAGE_MAIL), NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, "?.7.27", 0, 0, 0, NULL, 0 },
  { CAT_APP_PASSWORD_REQUIRED, NULL, 0, 0, 0, app_password_words, 0 },
  { CAT_AUTH_METHOD_DISABLED, NULL, 0, 0, 0, auth_disabled_words, 0 },
  { CAT_RECIPIENT_UNKNOWN, NULL, 500, 599, 0, recipient_account_words, 0 },
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, NULL, 0, 0, 0, account_words, 0 },
  /* Exchange Online's "Access denied, spam abuse detected" and "banned
   * sender": the sending account is banned, whatever the words say. */
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, "5.7.501", 0, 0, 0, NULL, 0 },
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, "5.7.502", 0, 0, 0, NULL, 0 },
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, "5.7.503", 0, 0, 0, NULL, 0 },
  { CAT_ENCRYPTION_REQUIRED, NULL, 0, 0, 0, encryption_words, 0 },
  { CAT_TLS_UNAVAILABLE, NULL, 0, 0, 0, tls_unavailable_words, 0 },
  /* "Invalid Sender. SPF check failed": the sender's domain needs fixing
   * in the DNS, which no other sender address at this account changes. */
  /* RFC 3463 X.3.x is the receiving mail system's own trouble: "451 4.3.0
   * DKIM signing failed" is no verdict about the sender's domain. */
  { CAT_SERVER_TEMPORARY_FAILURE, "4.3.", 0, 0, 0, domain_auth_words, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, NULL, 0, 0, 0, domain_auth_words, 0 },
  { CAT_SENDER_REJECTED, NULL, 0, 0, 0, sender_as_relay_words, 0 },
  { CAT_RELAY_DENIED, NULL, 0, 0, 0, relay_words, 0 },
  { CAT_RELAY_DENIED, NULL, 0, 0, AT (SMTP_STAGE_RCPT), relay_rcpt_words, 0 },
  /* "Sender address rejected: not logged in" asks to sign in. */
  { CAT_AUTH_REQUIRED, NULL, 0, 0, 0, auth_required_words, 0 },
  /* "MailFrom domain is listed in Spamhaus": a block list, about this
   * computer's address when the reply names one, else about the domain,
   * which no other sender address at this account changes. */
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, AT (SMTP_STAGE_MAIL), blocklist_words, RULE_NEEDS_IP },
  { CAT_SPAM_OR_POLICY_REJECTED, NULL, 0, 0, AT (SMTP_STAGE_MAIL), blocklist_words, 0 },
  { CAT_SENDER_REJECTED, NULL, 0, 0, 0, sender_words, 0 },
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, 0, ip_blocked_words, 0 },
  /* X.2.x is the recipient's mailbox (RFC 3463): a rate limit or a busy
   * server there is the recipient's, not this account's. */
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, "4.2.", 0, 0, 0, rate_specific_words, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, NULL, 0, 0, 0, recipient_limit_words, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, "4.2.", 0, 0, AT (SMTP_STAGE_RCPT), busy_words, 0 },
  { CAT_RATE_LIMITED, NULL, 0, 0, 0, rate_specific_words, 0 },
  { CAT_RATE_LIMITED, NULL, 400, 499, 0, surge_words, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, NULL, 0, 0, 0, mailbox_full_words, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, 0, server_temporary_words, 0 },
  /* Refused before any sender or message was given (RFC 5321 §3.1): the
   * reason can only be the connecting computer or its network. */
  { CAT_CLIENT_HOST_REJECTED, NULL, 500, 599, AT (SMTP_STAGE_GREETING), spam_words, 0 },
  { CAT_MESSAGE_TOO_LARGE, NULL, 0, 0, 0, size_decisive_words, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, NULL, 0, 0, 0, spam_decisive_words, 0 },
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, 0, client_host_words, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 0, 0, 0, mechanism_decisive_words, 0 },
  { CAT_AUTH_FAILED, NULL, 0, 0, 0, auth_failed_words, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 0, 0, 0, mechanism_words, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 0, 0, 0, protocol_words, 0 },
  { CAT_RATE_LIMITED, NULL, 0, 0, 0, rate_general_words, 0 },
  /* "450 4.7.1 <x>: Recipient address rejected: Policy Rejection": X.7 is
   * a security or policy verdict, whatever address the words name. */
  { CAT_SPAM_OR_POLICY_REJECTED, "?.7.", 0, 0, AT (SMTP_STAGE_RCPT), policy_words, 0 },
  { CAT_RECIPIENT_UNKNOWN, NULL, 500, 599, 0, recipient_words, 0 },
  /* RFC 3463 X.1.2 and RFC 7505 X.1.10: the recipient's domain does not
   * exist or takes no mail; waiting rarely helps, checking the address does. */
  { CAT_RECIPIENT_UNKNOWN, "?.1.2", 0, 0, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, "?.1.10", 0, 0, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, NULL, 400, 499, AT (SMTP_STAGE_RCPT), recipient_words, 0 },
  { CAT_MESSAGE_TOO_LARGE, NULL, 0, 0, 0, too_large_words, 0 },
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, 0, blocklist_words, RULE_NEEDS_IP },
  { CAT_CLIENT_HOST_REJECTED, NULL, 0, 0, 0, from_address_words, RULE_NEEDS_IP },
  { CAT_SPAM_OR_POLICY_REJECTED, NULL, 0, 0, 0, spam_words, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 500, 599,
    AT (SMTP_STAGE_DATA) | AT (SMTP_STAGE_MESSAGE), retry_later_words, 0 },

  /* The client sends STARTTLS only when it is offered: any refusal means
   * the server cannot encrypt after all, whatever its code says, except a
   * complaint about the command's syntax (RFC 5321 §4.2.2: 501). */
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 501, 501, AT (SMTP_STAGE_STARTTLS), NULL, 0 },
  /* RFC 5321 §4.2.4: 503 is a bad sequence ("cannot STARTTLS after
   * authentication"), not a server without TLS. */
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 503, 503, AT (SMTP_STAGE_STARTTLS), NULL, 0 },
  { CAT_TLS_UNAVAILABLE, NULL, 400, 599, AT (SMTP_STAGE_STARTTLS), NULL, 0 },
  /* Likewise AUTH: "command not recognized" there means no sign-in. */
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 500, 500, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 502, 502, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 504, 504, AT (SMTP_STAGE_AUTH), NULL, 0 },
  /* 503 is a command out of order, whatever enhanced code comes with it
   * (Gmail: "503 5.7.0 No identity changes permitted"), except RFC 3463's
   * X.7.10 and X.7.11, which say that encryption is needed first. */
  { CAT_ENCRYPTION_REQUIRED, "5.7.10", 503, 503, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_ENCRYPTION_REQUIRED, "5.7.11", 503, 503, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 503, 503, 0, NULL, 0 },

  /* A busy or broken server, worded so, is no rate limit. */
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, 0, busy_words, 0 },

  /* Enhanced status codes (RFC 3463, RFC 4954 §6, RFC 5248, and the ones
   * Microsoft documents). */
  { CAT_RATE_LIMITED, "4.7.0", 0, 0, 0, rate_retry_words, 0 },
  { CAT_RATE_LIMITED, "4.7.1", 0, 0, 0, rate_retry_words, 0 },
  { CAT_RATE_LIMITED, NULL, 421, 421, 0, rate_retry_words, 0 },
  { CAT_AUTH_FAILED, "5.7.8", 0, 0, 0, NULL, 0 },
  /* RFC 4954 §6: "mechanism too weak" in answer to AUTH; Yahoo uses 5.7.9
   * for its policy refusals of messages. */
  { CAT_AUTH_MECHANISM_UNSUPPORTED, "5.7.9", 0, 0, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_AUTH_FAILED, "5.7.139", 0, 0, 0, NULL, 0 },
  { CAT_AUTH_REQUIRED, "5.7.57", 0, 0, 0, NULL, 0 },
  { CAT_SENDER_REJECTED, "5.7.60", 0, 0, 0, NULL, 0 },
  { CAT_ENCRYPTION_REQUIRED, "5.7.10", 0, 0, 0, NULL, 0 },
  { CAT_ENCRYPTION_REQUIRED, "5.7.11", 0, 0, 0, NULL, 0 },
  { CAT_AUTH_FAILED, "5.7.12", 0, 0, 0, NULL, 0 },
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, "5.7.13", 0, 0, 0, NULL, 0 },
  { CAT_ACCOUNT_SUSPENDED_OR_BLOCKED, "5.7.705", 0, 0, 0, NULL, 0 },
  { CAT_AUTH_FAILED, "5.7.14", 0, 0, 0, NULL, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, "5.7.4", 0, 0, 0, NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, "4.7.", 0, 0, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_AUTH_FAILED, "5.7.", 0, 0, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, "5.7.", 0, 0, 0, NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, "4.7.", 0, 0, 0, NULL, 0 },
  { CAT_SENDER_REJECTED, "?.1.7", 0, 0, 0, NULL, 0 },
  { CAT_SENDER_REJECTED, "?.1.8", 0, 0, 0, NULL, 0 },
  { CAT_SENDER_REJECTED, "?.1.", 0, 0, AT (SMTP_STAGE_MAIL), NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, "5.1.", 0, 0, 0, NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, "4.1.", 0, 0, 0, NULL, 0 },
  { CAT_MESSAGE_TOO_LARGE, "?.2.3", 0, 0, 0, NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, "?.2.2", 0, 0, 0, NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, "5.2.1", 0, 0, 0, NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, "4.2.", 0, 0, 0, NULL, 0 },
  { CAT_MESSAGE_TOO_LARGE, "?.3.4", 0, 0, 0, NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, "4.3.", 0, 0, 0, NULL, 0 },
  { CAT_SERVER_PERMANENT_FAILURE, "5.3.", 0, 0, 0, NULL, 0 },
  { CAT_RATE_LIMITED, "5.4.5", 0, 0, 0, NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, "5.4.1", 0, 0, 0, NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, "5.4.4", 0, 0, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, "4.4.", 0, 0, 0, NULL, 0 },
  { CAT_SERVER_PERMANENT_FAILURE, "5.4.", 0, 0, 0, NULL, 0 },
  { CAT_RATE_LIMITED, "?.5.3", 0, 0, 0, NULL, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, "?.5.", 0, 0, 0, NULL, 0 },

  /* Basic codes (RFC 5321 §4.2.3, RFC 4954 §6) and the stage. */
  { CAT_AUTH_FAILED, NULL, 535, 535, 0, NULL, 0 },
  { CAT_AUTH_MECHANISM_UNSUPPORTED, NULL, 534, 534, 0, NULL, 0 },
  { CAT_ENCRYPTION_REQUIRED, NULL, 538, 538, 0, NULL, 0 },
  { CAT_AUTH_REQUIRED, NULL, 530, 530, 0, NULL, 0 },
  { CAT_AUTH_FAILED, NULL, 432, 432, 0, NULL, 0 },
  /* A 501 to MAIL or RCPT that speaks of the address given there. */
  { CAT_SENDER_REJECTED, NULL, 501, 501, AT (SMTP_STAGE_MAIL), address_words, 0 },
  { CAT_RECIPIENT_UNKNOWN, NULL, 501, 501, AT (SMTP_STAGE_RCPT), address_words, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 501, 501, 0, NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_AUTH_FAILED, NULL, 500, 599, AT (SMTP_STAGE_AUTH), NULL, 0 },
  { CAT_CLIENT_HOST_REJECTED, NULL, 550, 554, AT (SMTP_STAGE_GREETING), NULL, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 500, 504, 0, NULL, 0 },
  { CAT_SYNTAX_OR_PROTOCOL_ERROR, NULL, 555, 555, 0, NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, NULL, 552, 552, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_MESSAGE_TOO_LARGE, NULL, 552, 552, 0, NULL, 0 },
  { CAT_SENDER_REJECTED, NULL, 550, 554, AT (SMTP_STAGE_MAIL), NULL, 0 },
  { CAT_RECIPIENT_UNKNOWN, NULL, 550, 554, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_MAILBOX_UNAVAILABLE_TEMPORARILY, NULL, 450, 450, AT (SMTP_STAGE_RCPT), NULL, 0 },
  { CAT_SPAM_OR_POLICY_REJECTED, NULL, 550, 554,
    AT (SMTP_STAGE_DATA) | AT (SMTP_STAGE_MESSAGE), NULL, 0 },
  { CAT_SERVER_TEMPORARY_FAILURE, NULL, 400, 499, 0, NULL, 0 },
  { CAT_SERVER_PERMANENT_FAILURE, NULL, 500, 599, 0, NULL, 0 },
};

/* Whether @pattern (see Rule) matches the enhanced code @code. */
static gboolean
enhanced_matches (const char *pattern,
                  const char *code)
{
  gsize i;

  if (code == NULL)
    return FALSE;

  for (i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == '?' && (code[i] == '4' || code[i] == '5'))
        continue;
      if (pattern[i] != code[i])
        return FALSE;
    }

  /* "5.7." is a prefix; "5.7.1" is exact, so it does not match "5.7.139" */
  return pattern[i - 1] == '.' || code[i] == '\0';
}

static gboolean
code_matches (const Rule *rule,
              int         code,
              int         klass)
{
  if (rule->code_min == 0)
    return TRUE;

  if (code != 0)
    return code >= rule->code_min && code <= rule->code_max;

  /* No basic code (a reply pasted without it): a rule for a whole class
   * still applies when the enhanced code gives the class. */
  return klass != 0 && rule->code_min <= klass * 100 && rule->code_max >= klass * 100 + 99;
}

static gboolean
is_boundary (const char *text,
             const char *p)
{
  return p == text || (!g_ascii_isdigit (p[-1]) && p[-1] != '.');
}

/* Reads "d.d[dd]" of a dotted number at @p; returns the number of digits
 * read into *value, 0 if none. */
static gsize
read_number (const char *p,
             int        *value)
{
  gsize n = 0;

  *value = 0;
  while (g_ascii_isdigit (p[n]) && n < 4)
    {
      *value = *value * 10 + (p[n] - '0');
      n++;
    }

  return n;
}

/* Whether @text holds an IPv4 address literal, as blocklist replies name the
 * address they found listed. */
static gboolean
has_ipv4_address (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *q = p;
      int parts = 0;

      if (!g_ascii_isdigit (*p) || !is_boundary (text, p))
        continue;

      while (parts < 4)
        {
          int value;
          gsize n = read_number (q, &value);

          if (n == 0 || n > 3 || value > 255)
            break;
          q += n;
          parts++;
          if (parts < 4)
            {
              if (*q != '.')
                break;
              q++;
            }
        }

      if (parts == 4 && !g_ascii_isdigit (*q) && !(*q == '.' && g_ascii_isdigit (q[1])))
        return TRUE;
    }

  return FALSE;
}

/* The first enhanced status code in @text, such as "5.7.1" in qmail's
 * "(#5.7.1)", for replies whose parser found none after the basic code. */
static char *
find_enhanced_code (const char *text,
                    int         klass)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *q;
      int subject, detail;
      gsize n;

      if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.' || !is_boundary (text, p))
        continue;
      if (klass != 0 && *p - '0' != klass)
        continue;

      q = p + 2;
      n = read_number (q, &subject);
      if (n == 0 || n > 3 || q[n] != '.')
        continue;
      q += n + 1;
      n = read_number (q, &detail);
      if (n == 0 || n > 3)
        continue;
      q += n;
      if (g_ascii_isdigit (*q) || (*q == '.' && g_ascii_isdigit (q[1])))
        continue;

      return g_strndup (p, q - p);
    }

  return NULL;
}

/* A reply pasted without being parsed (the command line takes anything) may
 * still start with its code. */
static int
leading_code (const char *line)
{
  if (line == NULL)
    return 0;

  while (*line == ' ' || *line == '\t')
    line++;

  if (line[0] >= '2' && line[0] <= '5' && g_ascii_isdigit (line[1]) &&
      g_ascii_isdigit (line[2]) &&
      (line[3] == '\0' || line[3] == ' ' || line[3] == '-' || line[3] == '\t'))
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');

  return 0;
}

typedef struct
{
  int   code;
  int   klass;
  char *enhanced;
  char *text;   /* lower case, the lines joined by spaces */
} ReplyFacts;

static void
reply_facts_clear (ReplyFacts *facts)
{
  g_free (facts->enhanced);
  g_free (facts->text);
}

static void
reply_facts_init (ReplyFacts      *facts,
                  const SmtpReply *reply)
{
  g_autofree char *joined = NULL;
  g_autofree char *lower = NULL;

  joined = reply->lines != NULL ? g_strjoinv (" ", reply->lines) : g_strdup ("");
  lower = g_utf8_strdown (joined, -1);
  /* A space first, so that words matched at a word's start (" spf") also
   * match the reply's first word ("550 5.5.0 SPF: ... not allowed"). */
  facts->text = g_strconcat (" ", lower, NULL);

  facts->code = reply->code;
  if (facts->code == 0 && reply->lines != NULL)
    facts->code = leading_code (reply->lines[0]);

  facts->enhanced = g_strdup (reply->enhanced);
  if (facts->enhanced == NULL)
    facts->enhanced = find_enhanced_code (facts->text, facts->code / 100);

  facts->klass = facts->code / 100;
  if (facts->klass == 0 && facts->enhanced != NULL)
    facts->klass = facts->enhanced[0] - '0';
}

static Category
classify_reply (const ReplyFacts *facts,
                SmtpStage         stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const Rule *rule = &rules[i];

      if (rule->enhanced != NULL && !enhanced_matches (rule->enhanced, facts->enhanced))
        continue;
      if (!code_matches (rule, facts->code, facts->klass))
        continue;
      if (rule->stages != 0 && (stage >= 32 || (rule->stages & AT (stage)) == 0))
        continue;
      if (rule->words != NULL && !contains_any (facts->text, rule->words))
        continue;
      if ((rule->flags & RULE_NEEDS_IP) != 0 && !has_ipv4_address (facts->text))
        continue;

      /* "550 5.1.1 User unknown" when giving the sender is about the
       * sender's own address. */
      if (rule->category == CAT_RECIPIENT_UNKNOWN && stage == SMTP_STAGE_MAIL)
        return CAT_SENDER_REJECTED;

      return rule->category;
    }

  /* No code and no word we know: a refusal we cannot place. */
  return facts->klass == 4 ? CAT_SERVER_TEMPORARY_FAILURE : CAT_SERVER_PERMANENT_FAILURE;
}

/* Errors -------------------------------------------------------------------- */

/* Handshake failures that mean the other side does not speak TLS at all:
 * TLS was chosen on a port that expects plain SMTP first (OpenSSL says
 * "wrong version number", GnuTLS "unexpected TLS packet" or "packet
 * length", GIO "not TLS"). */
static const char * const plain_port_words[] = {
  "wrong version number", "packet length", "unexpected message", "unexpected tls packet",
  "unexpected packet", "not a tls", "not tls", "does not seem to be tls", "record layer",
  "unexpected length", "http request",
  NULL
};

static gboolean
is_keyring_error (const GError *error)
{
  const char *domain = g_quark_to_string (error->domain);

  /* libsecret's SECRET_ERROR, named without linking its symbol. */
  return error->domain == G_DBUS_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) ||
         g_strcmp0 (domain, "secret-error") == 0 ||
         g_str_has_prefix (domain, "smtp-keyring");
}

typedef struct
{
  Category    category;
  const char *extra;        /* (nullable) translated: appended to the explanation */
  gboolean    plain_port;   /* the handshake met plain SMTP */
} Decision;

static gboolean
is_before_session (SmtpStage stage)
{
  return stage == SMTP_STAGE_NONE || stage == SMTP_STAGE_RESOLVE || stage == SMTP_STAGE_CONNECT;
}

static Category
certificate_category (const SmtpExplainContext *context)
{
  GTlsCertificateFlags flags = 0;

  if (context != NULL && context->certificate != NULL)
    flags = context->certificate->errors;

  /* GLib may set only one of several true flags: test them in order of
   * what the person can do about it. */
  if ((flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED)) != 0)
    return CAT_CERTIFICATE_EXPIRED;
  if ((flags & G_TLS_CERTIFICATE_BAD_IDENTITY) != 0)
    return CAT_CERTIFICATE_HOSTNAME_MISMATCH;

  return CAT_CERTIFICATE_UNTRUSTED;
}

static gboolean
classify_error (const GError             *error,
                SmtpStage                 stage,
                const SmtpExplainContext *context,
                Decision                 *decision)
{
  decision->extra = NULL;
  decision->plain_port = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      decision->category = CAT_CANCELLED;
      return TRUE;
    }

  if (is_keyring_error (error))
    {
      decision->category = CAT_KEYRING_UNAVAILABLE;
      return TRUE;
    }

  if (error->domain == G_RESOLVER_ERROR)
    {
      decision->category = CAT_DNS_FAILED;
      if (error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE)
        decision->extra = _("The name could not be looked up just now; this computer may be "
                            "offline.");
      return TRUE;
    }

  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *message = g_utf8_strdown (error->message, -1);

      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          decision->category = certificate_category (context);
          return TRUE;

        case G_TLS_ERROR_UNAVAILABLE:
          decision->category = CAT_TLS_HANDSHAKE_FAILED;
          decision->extra = _("Encryption support is missing on this computer: the package "
                              "glib-networking may not be installed.");
          return TRUE;

        case G_TLS_ERROR_EOF:
          /* A close during the handshake is a handshake failure; later,
           * a lost connection. */
          decision->category = stage == SMTP_STAGE_TLS || stage == SMTP_STAGE_STARTTLS ?
                               CAT_TLS_HANDSHAKE_FAILED : CAT_CONNECTION_LOST;
          return TRUE;

        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
          decision->category = CAT_TLS_HANDSHAKE_FAILED;
          decision->extra = _("The server asks for a client certificate, which this app does "
                              "not use.");
          return TRUE;

        case G_TLS_ERROR_NOT_TLS:
          decision->category = CAT_TLS_HANDSHAKE_FAILED;
          decision->plain_port = TRUE;
          return TRUE;

        default:
          decision->category = CAT_TLS_HANDSHAKE_FAILED;
          decision->plain_port = contains_any (message, plain_port_words);
          return TRUE;
        }
    }

  if (error->domain == SMTP_CLIENT_ERROR)
    {
      switch ((SmtpClientError) error->code)
        {
        case SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED:
          decision->category = CAT_STARTTLS_NOT_OFFERED;
          return TRUE;

        case SMTP_CLIENT_ERROR_STARTTLS_INJECTION:
          decision->category = CAT_PROTOCOL_ERROR;
          decision->extra = _("The server sent data it must not send while the connection is "
                              "being secured. Someone between this computer and the server "
                              "may be tampering with the connection.");
          return TRUE;

        case SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED:
          decision->category = CAT_PLAINTEXT_AUTH_REFUSED;
          return TRUE;

        case SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED:
          decision->category = CAT_AUTH_MECHANISM_UNSUPPORTED;
          decision->extra = _("The server does not offer signing in at all with these "
                              "settings.");
          return TRUE;

        case SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED:
          decision->category = CAT_AUTH_MECHANISM_UNSUPPORTED;
          return TRUE;

        case SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD:
          decision->category = CAT_TLS_HANDSHAKE_FAILED;
          decision->extra = _("The server only knows versions of encryption older than TLS "
                              "1.2, which are no longer safe.");
          return TRUE;

        case SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH:
          decision->category = CAT_CERTIFICATE_UNTRUSTED;
          decision->extra = _("The server showed a different certificate from the one you "
                              "trusted before. Servers renew their certificates from time to "
                              "time, but this can also mean that someone is intercepting the "
                              "connection.");
          return TRUE;

        case SMTP_CLIENT_ERROR_PROTOCOL:
        case SMTP_CLIENT_ERROR_LINE_TOO_LONG:
        case SMTP_CLIENT_ERROR_REPLY_TOO_LONG:
          decision->category = CAT_PROTOCOL_ERROR;
          return TRUE;

        case SMTP_CLIENT_ERROR_CONNECTION_CLOSED:
          decision->category = stage == SMTP_STAGE_TLS ? CAT_TLS_HANDSHAKE_FAILED :
                                                         CAT_CONNECTION_LOST;
          return TRUE;

        case SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED:
          if (stage == SMTP_STAGE_MAIL)
            decision->category = CAT_SENDER_REJECTED;
          else if (stage == SMTP_STAGE_RCPT)
            decision->category = CAT_RECIPIENT_UNKNOWN;
          else if (context != NULL && context->from != NULL && !g_str_is_ascii (context->from))
            decision->category = CAT_SENDER_REJECTED;
          else
            decision->category = CAT_RECIPIENT_UNKNOWN;
          decision->extra = _("The address has characters outside the basic Latin alphabet, "
                              "and this server cannot handle such addresses.");
          return TRUE;

        case SMTP_CLIENT_ERROR_MESSAGE_TOO_LARGE:
          decision->category = CAT_MESSAGE_TOO_LARGE;
          return TRUE;

        case SMTP_CLIENT_ERROR_INVALID_SETTINGS:
          /* DESIGN.md has no category for settings refused before the
           * first byte; the nearest is a request that cannot be understood. */
          decision->category = CAT_SYNTAX_OR_PROTOCOL_ERROR;
          decision->extra = _("A setting is missing, or holds characters that cannot be sent.");
          return TRUE;

        case SMTP_CLIENT_ERROR_REPLY_REJECTED:
        default:
          return FALSE;
        }
    }

  if (error->domain == SMTP_AUTH_ERROR)
    {
      switch ((SmtpAuthError) error->code)
        {
        case SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED:
          decision->category = CAT_AUTH_MECHANISM_UNSUPPORTED;
          return TRUE;
        case SMTP_AUTH_ERROR_INVALID_CREDENTIALS:
          decision->category = CAT_AUTH_FAILED;
          decision->extra = _("The user name or password holds a character that cannot be "
                              "sent, such as a line break.");
          return TRUE;
        case SMTP_AUTH_ERROR_BAD_CHALLENGE:
        default:
          decision->category = CAT_PROTOCOL_ERROR;
          return TRUE;
        }
    }

  if (error->domain == SMTP_REPLY_ERROR)
    {
      decision->category = CAT_PROTOCOL_ERROR;
      return TRUE;
    }

  if (error->domain == SMTP_INPUT_ERROR)
    {
      decision->category = CAT_SYNTAX_OR_PROTOCOL_ERROR;
      decision->extra = _("A setting is missing, or holds characters that cannot be sent.");
      return TRUE;
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
          decision->category = CAT_CONNECTION_REFUSED;
          return TRUE;

        case G_IO_ERROR_TIMED_OUT:
          if (is_before_session (stage))
            decision->category = CAT_CONNECTION_TIMEOUT;
          else
            decision->category = CAT_SERVER_NOT_RESPONDING;
          return TRUE;

        case G_IO_ERROR_NETWORK_UNREACHABLE:
          decision->category = CAT_CONNECTION_TIMEOUT;
          decision->extra = _("This computer does not seem to be connected to the internet, "
                              "or has no route to the server.");
          return TRUE;

        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_PERMISSION_DENIED:
          decision->category = CAT_CONNECTION_TIMEOUT;
          return TRUE;

        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_NOT_FOUND:
          decision->category = CAT_DNS_FAILED;
          return TRUE;

        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          decision->category = CAT_CONNECTION_REFUSED;
          decision->extra = _("The connection goes through a proxy server, and the proxy "
                              "refused it.");
          return TRUE;

        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_NOT_CONNECTED:
          decision->category = stage == SMTP_STAGE_TLS ? CAT_TLS_HANDSHAKE_FAILED :
                                                         CAT_CONNECTION_LOST;
          return TRUE;

        default:
          break;
        }
    }

  /* Anything else from the network: place it by the stage it stopped at. */
  switch (stage)
    {
    case SMTP_STAGE_RESOLVE:
      decision->category = CAT_DNS_FAILED;
      break;
    case SMTP_STAGE_NONE:
    case SMTP_STAGE_CONNECT:
      decision->category = CAT_CONNECTION_TIMEOUT;
      break;
    case SMTP_STAGE_TLS:
      decision->category = CAT_TLS_HANDSHAKE_FAILED;
      break;
    case SMTP_STAGE_GREETING:
    case SMTP_STAGE_EHLO:
    case SMTP_STAGE_STARTTLS:
    case SMTP_STAGE_AUTH:
    case SMTP_STAGE_MAIL:
    case SMTP_STAGE_RCPT:
    case SMTP_STAGE_DATA:
    case SMTP_STAGE_MESSAGE:
    case SMTP_STAGE_DONE:
    default:
      decision->category = CAT_CONNECTION_LOST;
      break;
    }

  return TRUE;
}

/* Fixes --------------------------------------------------------------------- */

/**
 * smtp_fix_free:
 * @fix: (nullable): a fix
 */
void
smtp_fix_free (SmtpFix *fix)
{
  if (fix == NULL)
    return;

  g_free (fix->id);
  g_free (fix->label);
  g_free (fix->user);
  g_free (fix);
}

/**
 * smtp_explanation_free:
 * @explanation: (nullable): an explanation
 */
void
smtp_explanation_free (SmtpExplanation *explanation)
{
  if (explanation == NULL)
    return;

  g_free (explanation->category);
  g_free (explanation->title);
  g_free (explanation->explanation);
  g_free (explanation->advice);
  g_clear_pointer (&explanation->fixes, g_ptr_array_unref);
  g_free (explanation->help_uri);
  g_free (explanation->provider);
  g_free (explanation);
}

typedef enum
{
  FIX_USE_TLS_465,
  FIX_USE_STARTTLS_587,
  FIX_USE_PORT_587,
} PortFix;

static gboolean
settings_known (const SmtpExplainContext *context)
{
  return context != NULL && context->port != 0;
}

static gboolean
has_fix (GPtrArray  *fixes,
         const char *id)
{
  for (guint i = 0; i < fixes->len; i++)
    {
      const SmtpFix *fix = g_ptr_array_index (fixes, i);

      if (g_str_equal (fix->id, id))
        return TRUE;
    }

  return FALSE;
}

static void
add_port_fix (GPtrArray                *fixes,
              const SmtpExplainContext *context,
              PortFix                   which)
{
  SmtpFix *fix;
  const char *id = NULL;
  const char *label = NULL;
  guint16 port = 0;
  SmtpSecurity security = SMTP_SECURITY_STARTTLS;

  switch (which)
    {
    case FIX_USE_TLS_465:
      id = "use-tls-465";
      label = _("Use Port 465 with SSL/TLS");
      port = 465;
      security = SMTP_SECURITY_TLS;
      break;
    case FIX_USE_STARTTLS_587:
      id = "use-starttls-587";
      label = _("Use Port 587 with STARTTLS");
      port = 587;
      security = SMTP_SECURITY_STARTTLS;
      break;
    case FIX_USE_PORT_587:
    default:
      id = "use-port-587";
      label = _("Use Port 587 Instead of 25");
      port = 587;
      security = SMTP_SECURITY_STARTTLS;
      break;
    }

  /* A fix that changes nothing would only repeat the failure. */
  if (settings_known (context) && context->port == port && context->security == security)
    return;
  if (has_fix (fixes, id))
    return;

  fix = g_new0 (SmtpFix, 1);
  fix->id = g_strdup (id);
  fix->label = g_strdup (label);
  fix->port = port;
  fix->security = security;
  fix->change_security = TRUE;
  g_ptr_array_add (fixes, fix);
}

/* For a port that cannot be reached: the other common ports. */
static void
add_other_port_fixes (GPtrArray                *fixes,
                      const SmtpExplainContext *context)
{
  if (!settings_known (context))
    return;

  switch (context->port)
    {
    case 25:
      add_port_fix (fixes, context, FIX_USE_PORT_587);
      add_port_fix (fixes, context, FIX_USE_TLS_465);
      break;
    case 587:
      add_port_fix (fixes, context, FIX_USE_TLS_465);
      break;
    case 465:
      add_port_fix (fixes, context, FIX_USE_STARTTLS_587);
      break;
    default:
      add_port_fix (fixes, context, FIX_USE_STARTTLS_587);
      add_port_fix (fixes, context, FIX_USE_TLS_465);
      break;
    }
}

/* On a port of its own (not 25, 465 or 587) the port is most likely right
 * and the security mode wrong: offer the other mode on the same port first. */
static void
add_same_port_security_fix (GPtrArray                *fixes,
                            const SmtpExplainContext *context,
                            SmtpSecurity              security)
{
  SmtpFix *fix;

  if (!settings_known (context) || context->port == 0 || context->port == 25 ||
      context->port == 465 || context->port == 587 || context->security == security)
    return;

  fix = g_new0 (SmtpFix, 1);
  fix->id = g_strdup (security == SMTP_SECURITY_TLS ? "use-tls-same-port"
                                                    : "use-starttls-same-port");
  /* Translators: %u is a port number, such as 2525. */
  fix->label = g_strdup_printf (security == SMTP_SECURITY_TLS ? _("Use SSL/TLS on Port %u")
                                                              : _("Use STARTTLS on Port %u"),
                                context->port);
  fix->port = context->port;
  fix->security = security;
  fix->change_security = TRUE;
  g_ptr_array_add (fixes, fix);
}

/* For a handshake that failed: the other security mode. */
static void
add_other_security_fix (GPtrArray                *fixes,
                        const SmtpExplainContext *context,
                        gboolean                  plain_port)
{
  if (!settings_known (context))
    {
      /* Unknown settings: only a handshake that met plain SMTP says which
       * way to turn (TLS chosen where STARTTLS was expected). */
      if (plain_port)
        add_port_fix (fixes, context, FIX_USE_STARTTLS_587);
      return;
    }

  switch (context->security)
    {
    case SMTP_SECURITY_TLS:
      add_same_port_security_fix (fixes, context, SMTP_SECURITY_STARTTLS);
      add_port_fix (fixes, context, FIX_USE_STARTTLS_587);
      break;
    case SMTP_SECURITY_STARTTLS:
      add_same_port_security_fix (fixes, context, SMTP_SECURITY_TLS);
      add_port_fix (fixes, context, FIX_USE_TLS_465);
      break;
    case SMTP_SECURITY_NONE:
    default:
      break;
    }
}

/* For a server that needs encryption, or a password that must not go
 * unencrypted: both secure modes. */
static void
add_secure_fixes (GPtrArray                *fixes,
                  const SmtpExplainContext *context)
{
  if (settings_known (context) && context->security != SMTP_SECURITY_NONE)
    return;

  if (settings_known (context) && context->port == 25)
    add_port_fix (fixes, context, FIX_USE_PORT_587);
  else
    add_port_fix (fixes, context, FIX_USE_STARTTLS_587);
  add_port_fix (fixes, context, FIX_USE_TLS_465);
}

static void
add_full_address_fix (GPtrArray                *fixes,
                      const SmtpExplainContext *context,
                      Provider                  provider)
{
  SmtpFix *fix;

  if (context == NULL || context->user == NULL || context->from == NULL)
    return;
  if (providers[provider].transactional)
    return;
  if (*context->user == '\0' || strchr (context->user, '@') != NULL)
    return;
  if (strchr (context->from, '@') == NULL)
    return;

  fix = g_new0 (SmtpFix, 1);
  fix->id = g_strdup ("use-full-address");
  fix->label = g_strdup (_("Use Your Full Email Address as the User Name"));
  fix->user = g_strdup (context->from);
  g_ptr_array_add (fixes, fix);
}

static void
add_trust_fix (GPtrArray                *fixes,
               const SmtpExplainContext *context)
{
  const GTlsCertificateFlags trustable = G_TLS_CERTIFICATE_UNKNOWN_CA |
                                         G_TLS_CERTIFICATE_GENERIC_ERROR;
  SmtpFix *fix;

  /* Only a certificate nobody vouches for (self-signed, private CA) may be
   * trusted after seeing it; never an expired, revoked, insecure one, or
   * one for another name. */
  if (context == NULL || context->certificate == NULL || context->certificate->sha256 == NULL)
    return;
  if ((context->certificate->errors & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 ||
      (context->certificate->errors & ~trustable) != 0)
    return;

  fix = g_new0 (SmtpFix, 1);
  fix->id = g_strdup ("trust-certificate");
  fix->label = g_strdup (_("Trust This Certificate"));
  fix->trust_certificate = TRUE;
  g_ptr_array_add (fixes, fix);
}

/* The host name the certificate was issued for, from "CN=" in its subject,
 * when it names a server under the host the person typed (they typed
 * "example.com", the certificate is for "mail.example.com"). A name from an
 * unverified certificate is never suggested otherwise: that would let
 * whoever is in the middle send the password to a server of their choice. */
static char *
certificate_name_to_suggest (const SmtpExplainContext *context)
{
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  const char *subject, *cn, *end;

  if (context == NULL || context->host == NULL || context->certificate == NULL ||
      context->certificate->subject == NULL)
    return NULL;

  subject = context->certificate->subject;
  for (cn = strstr (subject, "CN="); cn != NULL; cn = strstr (cn + 1, "CN="))
    {
      if (cn == subject || cn[-1] == ',' || cn[-1] == ' ' || cn[-1] == '/')
        break;
    }
  if (cn == NULL)
    return NULL;

  cn += 3;
  end = cn + strcspn (cn, ",/+");
  name = g_ascii_strdown (cn, end - cn);
  host = g_ascii_strdown (context->host, -1);

  if (*name == '\0' || strlen (name) > 253)
    return NULL;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
        return NULL;
    }

  if (strlen (name) > strlen (host) + 1 &&
      g_str_has_suffix (name, host) &&
      name[strlen (name) - strlen (host) - 1] == '.')
    return g_steal_pointer (&name);

  return NULL;
}

/* Building ------------------------------------------------------------------ */

static SmtpExplanation *
build (Category                  category,
       const char               *extra,
       const char               *extra_advice,
       Provider                  provider)
{
  SmtpExplanation *explanation = g_new0 (SmtpExplanation, 1);
  const CategoryText *text = &categories[category];
  const ProviderAdvice *specific = NULL;

  explanation->category = g_strdup (text->id);
  explanation->title = g_strdup (_(text->title));

  if (extra != NULL)
    explanation->explanation = g_strdup_printf ("%s %s", _(text->explanation), extra);
  else
    explanation->explanation = g_strdup (_(text->explanation));

  if (provider != PROVIDER_NONE)
    {
      explanation->provider = g_strdup (providers[provider].name);
      specific = find_provider_advice (provider, category);
    }

  {
    GString *advice = g_string_new (NULL);

    if (extra_advice != NULL)
      g_string_append_printf (advice, "%s\n\n", extra_advice);

    if (specific != NULL)
      {
        const char *translated = _(specific->advice);

        /* A format from our own table, with at most one "%s". */
        if (strstr (specific->advice, "%s") != NULL)
          g_string_append_printf (advice, translated, providers[provider].name);
        else
          g_string_append (advice, translated);
        g_string_append (advice, "\n\n");
        explanation->help_uri = g_strdup (specific->uri);
      }

    g_string_append (advice, _(text->advice));
    explanation->advice = g_string_free (advice, FALSE);
  }

  explanation->fixes = g_ptr_array_new_with_free_func ((GDestroyNotify) smtp_fix_free);

  return explanation;
}

static gboolean
reply_is_failure (const SmtpReply *reply)
{
  return reply != NULL && reply->code != 0 && !smtp_reply_is_positive (reply);
}

/**
 * smtp_explain:
 * @error: (nullable): why the test failed
 * @stage: the stage it failed at
 * @reply: (nullable): the server's reply the failure is about
 * @context: (nullable): what is known of the test's settings
 *
 * Turns a failure into a category id from DESIGN.md, a title, an
 * explanation and advice in plain translated words, the fixes the app can
 * try by itself, and the provider's help page where one is known.
 *
 * Failures the client decides are told by the error's domain and code. A
 * server's refusal (%SMTP_CLIENT_ERROR_REPLY_REJECTED, or no error but a
 * negative reply) is told by its wording where that pins the cause down,
 * then by the enhanced status code, the basic code and the stage. A reply
 * without a code (as pasted into `smtp-setup explain`) is told by its
 * words, or by a code at the start of its first line.
 *
 * Nothing of the reply is copied into the result: its words only choose
 * among sentences written here, and the help link comes from a built-in
 * list. The words may name the provider only when
 * @context->reply_authenticated says they arrived over TLS.
 *
 * Returns: (transfer full) (nullable): the explanation, or %NULL when
 *   there is nothing to explain (no error, and no reply or a positive one)
 */
SmtpExplanation *
smtp_explain (const GError             *error,
              SmtpStage                 stage,
              const SmtpReply          *reply,
              const SmtpExplainContext *context)
{
  g_autofree char *suggested_name = NULL;
  g_autofree char *name_advice = NULL;
  SmtpExplanation *explanation;
  ReplyFacts facts = { 0, };
  gboolean have_facts = FALSE;
  Decision decision = { CAT_SERVER_PERMANENT_FAILURE, NULL, FALSE };
  Provider provider;

  if (reply != NULL && (reply->code == 0 || !smtp_reply_is_positive (reply)))
    {
      reply_facts_init (&facts, reply);
      have_facts = TRUE;

      /* "250 OK" pasted as words is no failure either. */
      if (facts.klass == 2 || facts.klass == 3)
        {
          reply_facts_clear (&facts);
          have_facts = FALSE;
        }
    }

  if (error == NULL && !have_facts)
    return NULL;

  if (error != NULL && classify_error (error, stage, context, &decision))
    {
      /* The server hung up after saying why ("421 Too many connections"):
       * its reason explains more than the hang-up. */
      if ((decision.category == CAT_CONNECTION_LOST ||
           decision.category == CAT_SERVER_NOT_RESPONDING) &&
          decision.extra == NULL && reply_is_failure (reply) && have_facts)
        decision.category = classify_reply (&facts, stage);
    }
  else if (have_facts)
    {
      decision.category = classify_reply (&facts, stage);
    }
  else
    {
      /* A refusal without its reply: place it by the stage. */
      switch (stage)
        {
        case SMTP_STAGE_AUTH:
          decision.category = CAT_AUTH_FAILED;
          break;
        case SMTP_STAGE_MAIL:
          decision.category = CAT_SENDER_REJECTED;
          break;
        case SMTP_STAGE_RCPT:
          decision.category = CAT_RECIPIENT_UNKNOWN;
          break;
        case SMTP_STAGE_STARTTLS:
          decision.category = CAT_TLS_UNAVAILABLE;
          break;
        case SMTP_STAGE_NONE:
        case SMTP_STAGE_RESOLVE:
        case SMTP_STAGE_CONNECT:
        case SMTP_STAGE_TLS:
        case SMTP_STAGE_GREETING:
        case SMTP_STAGE_EHLO:
        case SMTP_STAGE_DATA:
        case SMTP_STAGE_MESSAGE:
        case SMTP_STAGE_DONE:
        default:
          decision.category = CAT_SERVER_PERMANENT_FAILURE;
          break;
        }
    }

  provider = provider_from_host (context != NULL ? context->host : NULL);
  if (provider == PROVIDER_NONE && have_facts && context != NULL && context->reply_authenticated)
    provider = provider_from_words (facts.text);

  if (decision.category == CAT_CERTIFICATE_HOSTNAME_MISMATCH)
    {
      suggested_name = certificate_name_to_suggest (context);
      if (suggested_name != NULL)
        {
          /* Translators: %s is a server name, such as mail.example.com. */
          name_advice = g_strdup_printf (_("The certificate is made out to “%s”. If your "
                                           "provider gives that name for the outgoing "
                                           "server, use it as the server name."),
                                         suggested_name);
        }
    }

  explanation = build (decision.category, decision.extra, name_advice, provider);

  switch (decision.category)
    {
    case CAT_CONNECTION_REFUSED:
    case CAT_CONNECTION_TIMEOUT:
      /* A name that could not be looked up in time says nothing of ports. */
      if (stage != SMTP_STAGE_RESOLVE)
        add_other_port_fixes (explanation->fixes, context);
      break;

    case CAT_TLS_HANDSHAKE_FAILED:
      /* The other security mode cannot help when encryption itself is
       * missing here, or the server wants what no mode gives. */
      if (error == NULL ||
          !(g_error_matches (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD) ||
            g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE) ||
            g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED)))
        add_other_security_fix (explanation->fixes, context, decision.plain_port);
      break;

    case CAT_SERVER_NOT_RESPONDING:
      /* STARTTLS (or none) on 465: the client waits for a greeting while
       * the server waits for a TLS handshake. TLS on a plain port: the
       * handshake waits for an answer that never comes. */
      if (settings_known (context) && stage == SMTP_STAGE_GREETING &&
          context->port == 465 && context->security != SMTP_SECURITY_TLS)
        add_port_fix (explanation->fixes, context, FIX_USE_TLS_465);
      else if (settings_known (context) && stage == SMTP_STAGE_TLS &&
               context->security == SMTP_SECURITY_TLS)
        {
          add_same_port_security_fix (explanation->fixes, context, SMTP_SECURITY_STARTTLS);
          add_port_fix (explanation->fixes, context, FIX_USE_STARTTLS_587);
        }
      else if (settings_known (context) && stage == SMTP_STAGE_GREETING &&
               context->security != SMTP_SECURITY_TLS)
        {
          add_same_port_security_fix (explanation->fixes, context, SMTP_SECURITY_TLS);
        }
      break;

    case CAT_STARTTLS_NOT_OFFERED:
    case CAT_TLS_UNAVAILABLE:
      add_port_fix (explanation->fixes, context, FIX_USE_TLS_465);
      break;

    case CAT_PLAINTEXT_AUTH_REFUSED:
    case CAT_ENCRYPTION_REQUIRED:
      add_secure_fixes (explanation->fixes, context);
      break;

    case CAT_AUTH_MECHANISM_UNSUPPORTED:
      if (settings_known (context) && context->security == SMTP_SECURITY_NONE)
        add_secure_fixes (explanation->fixes, context);
      else if (settings_known (context) && context->port == 25)
        add_port_fix (explanation->fixes, context, FIX_USE_PORT_587);
      break;

    case CAT_AUTH_REQUIRED:
    case CAT_RELAY_DENIED:
    case CAT_CLIENT_HOST_REJECTED:
      if (settings_known (context) && context->port == 25)
        add_port_fix (explanation->fixes, context, FIX_USE_PORT_587);
      break;

    case CAT_AUTH_FAILED:
      add_full_address_fix (explanation->fixes, context, provider);
      break;

    case CAT_CERTIFICATE_UNTRUSTED:
      if (error == NULL ||
          !g_error_matches (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH))
        add_trust_fix (explanation->fixes, context);
      break;

    case CAT_DNS_FAILED:
    case CAT_CONNECTION_LOST:
    case CAT_CERTIFICATE_HOSTNAME_MISMATCH:
    case CAT_CERTIFICATE_EXPIRED:
    case CAT_PROTOCOL_ERROR:
    case CAT_KEYRING_UNAVAILABLE:
    case CAT_CANCELLED:
    case CAT_APP_PASSWORD_REQUIRED:
    case CAT_AUTH_METHOD_DISABLED:
    case CAT_SENDER_REJECTED:
    case CAT_RECIPIENT_UNKNOWN:
    case CAT_MAILBOX_UNAVAILABLE_TEMPORARILY:
    case CAT_MESSAGE_TOO_LARGE:
    case CAT_RATE_LIMITED:
    case CAT_SPAM_OR_POLICY_REJECTED:
    case CAT_GREYLISTED:
    case CAT_SERVER_TEMPORARY_FAILURE:
    case CAT_SERVER_PERMANENT_FAILURE:
    case CAT_SYNTAX_OR_PROTOCOL_ERROR:
    case CAT_ACCOUNT_SUSPENDED_OR_BLOCKED:
    case N_CATEGORIES:
    default:
      break;
    }

  if (have_facts)
    reply_facts_clear (&facts);

  g_debug ("explained %s at stage %d as %s",
           error != NULL ? g_quark_to_string (error->domain) : "a reply",
           stage, explanation->category);

  return explanation;
}

/**
 * smtp_explain_result:
 * @result: the result of a test
 * @options: (nullable): the options the test ran with
 *
 * Explains a failed test with what its result and options tell.
 *
 * Returns: (transfer full) (nullable): the explanation, or %NULL when the
 *   test succeeded
 */
SmtpExplanation *
smtp_explain_result (const SmtpTestResult  *result,
                     const SmtpTestOptions *options)
{
  SmtpExplainContext context = { 0, };
  SmtpExplanation *explanation;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->ok)
    return NULL;

  if (options != NULL)
    {
      context.host = options->host;
      context.port = options->port;
      context.security = options->security;
      context.user = options->user;
      context.from = options->from;
    }
  context.certificate = result->certificate;
  context.reply_authenticated = result->reply_authenticated;

  explanation = smtp_explain (result->error, result->stage, result->reply, &context);

  /* A failed test always gets an explanation, even one the client did not
   * give a reason for. */
  if (explanation == NULL)
    explanation = build (CAT_PROTOCOL_ERROR, NULL, NULL,
                         provider_from_host (context.host));

  return explanation;
}
