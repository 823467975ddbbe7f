/* smtp-page.h: one page of the setup assistant
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SMTP_TYPE_PAGE (smtp_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (SmtpPage, smtp_page, SMTP, PAGE, AdwBin)

struct _SmtpPageClass
{
  AdwBinClass parent_class;

  void     (*shown)        (SmtpPage             *self);
  void     (*apply_async)  (SmtpPage             *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*apply_finish) (SmtpPage             *self,
                            GAsyncResult         *result,
                            GError              **error);
};

const char *smtp_page_get_title    (SmtpPage             *self);
void        smtp_page_set_title    (SmtpPage             *self,
                                    const char           *title);
gpointer    smtp_page_get_model    (SmtpPage             *self);
const char *smtp_page_get_next_label (SmtpPage           *self);
void        smtp_page_set_next_label (SmtpPage           *self,
                                      const char         *next_label);
gboolean    smtp_page_get_complete (SmtpPage             *self);
void        smtp_page_set_complete (SmtpPage             *self,
                                    gboolean              complete);
gboolean    smtp_page_get_busy     (SmtpPage             *self);
void        smtp_page_shown        (SmtpPage             *self);
void        smtp_page_apply_async  (SmtpPage             *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean    smtp_page_apply_finish (SmtpPage             *self,
                                    GAsyncResult         *result,
                                    GError              **error);

/* For subclasses. */
void        _smtp_page_set_busy    (SmtpPage             *self,
                                    gboolean              busy);
void        _smtp_page_name_by_row (GtkWidget            *control,
                                    AdwPreferencesRow    *row);

G_END_DECLS
