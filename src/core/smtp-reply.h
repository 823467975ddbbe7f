/* smtp-reply.h: server replies, RFC 5321 §4.2 with RFC 3463 enhanced status codes
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SMTP_REPLY_ERROR (smtp_reply_error_quark ())

/**
 * SmtpReplyError:
 * @SMTP_REPLY_ERROR_SYNTAX: a line is not "NNN", "NNN text" or "NNN-text"
 * @SMTP_REPLY_ERROR_CODE_MISMATCH: the lines of one reply carry different codes
 * @SMTP_REPLY_ERROR_LINE_TOO_LONG: a line is longer than %SMTP_REPLY_MAX_LINE
 * @SMTP_REPLY_ERROR_TOO_MANY_LINES: more than %SMTP_REPLY_MAX_LINES lines
 * @SMTP_REPLY_ERROR_TOO_LONG: more than %SMTP_REPLY_MAX_BYTES bytes in all
 * @SMTP_REPLY_ERROR_INCOMPLETE: the data ended before the last line of the reply
 */
typedef enum
{
  SMTP_REPLY_ERROR_SYNTAX,
  SMTP_REPLY_ERROR_CODE_MISMATCH,
  SMTP_REPLY_ERROR_LINE_TOO_LONG,
  SMTP_REPLY_ERROR_TOO_MANY_LINES,
  SMTP_REPLY_ERROR_TOO_LONG,
  SMTP_REPLY_ERROR_INCOMPLETE,
} SmtpReplyError;

/* RFC 5321 §4.5.3.1.5 allows 512 octets a line; real servers send longer
 * lines (long diagnostics, URLs), so the bound is generous but finite. */
#define SMTP_REPLY_MAX_LINE  4096
#define SMTP_REPLY_MAX_LINES 100
#define SMTP_REPLY_MAX_BYTES (64 * 1024)

/**
 * SmtpReply:
 * @code: the three-digit reply code, 200..599
 * @enhanced: (nullable): the RFC 3463 enhanced status code of the first line,
 *   such as "5.7.8", when its class agrees with @code's first digit
 * @lines: (array zero-terminated=1): the text of each line, without the code,
 *   the separator, the enhanced code or the line end
 * @raw: the reply exactly as received, CRLF line ends included
 */
typedef struct
{
  int    code;
  char  *enhanced;
  char **lines;
  char  *raw;
} SmtpReply;

typedef struct _SmtpReplyParser SmtpReplyParser;

GQuark           smtp_reply_error_quark      (void);

SmtpReply       *smtp_reply_parse            (const char       *data,
                                              gssize            length,
                                              GError          **error);
SmtpReply       *smtp_reply_copy             (const SmtpReply  *reply);
void             smtp_reply_free             (SmtpReply        *reply);
char            *smtp_reply_get_text         (const SmtpReply  *reply);
int              smtp_reply_get_class        (const SmtpReply  *reply);
gboolean         smtp_reply_is_positive      (const SmtpReply  *reply);

SmtpReplyParser *smtp_reply_parser_new       (void);
void             smtp_reply_parser_free      (SmtpReplyParser  *parser);
gboolean         smtp_reply_parser_feed_line (SmtpReplyParser  *parser,
                                              const char       *line,
                                              gsize             length,
                                              GError          **error);
gboolean         smtp_reply_parser_is_done   (SmtpReplyParser  *parser);
SmtpReply       *smtp_reply_parser_steal     (SmtpReplyParser  *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpReply, smtp_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpReplyParser, smtp_reply_parser_free)

G_END_DECLS
