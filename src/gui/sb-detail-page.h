/* sb-detail-page.h: a record's card, pushed over its list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-gui-format.h"

G_BEGIN_DECLS

#define SB_TYPE_DETAIL_PAGE (sb_detail_page_get_type ())
G_DECLARE_FINAL_TYPE (SbDetailPage, sb_detail_page, SB, DETAIL_PAGE, GtkBox)

/* @title is what the record is called ("Contoso Ltd."), @subtitle what it
 * is ("Customer C00010").  Its back button activates "list.back". */
GtkWidget *sb_detail_page_new (const char *title, const char *subtitle);
const char *sb_detail_page_get_title (SbDetailPage *self);
const char *sb_detail_page_get_subtitle (SbDetailPage *self);

/* A large heading above the groups: an avatar with the title's initials
 * when @icon_name is NULL (people and companies), else the icon. */
void sb_detail_page_add_heading (SbDetailPage *self, const char *icon_name);

AdwPreferencesGroup *sb_detail_page_add_group (SbDetailPage *self, const char *title);
/* A row showing @value (plain text, '' shown as a dash) after @title;
 * @numeric aligns digits in tabular figures. */
GtkWidget *sb_detail_page_add_value_row (AdwPreferencesGroup *group, const char *title,
                                         const char *value, gboolean numeric);
/* A group of @fields (NULL-terminated names) of @record with their labels
 * and locale-formatted values; @format may name enumerations, money is
 * shown in @currency_code when that is not NULL. */
AdwPreferencesGroup *sb_detail_page_add_fields (SbDetailPage *self, const char *group_title,
                                                const SbRecordType *type, gconstpointer record,
                                                const char *const *fields,
                                                const char *currency_code,
                                                SbFieldFormatFunc format);
/* Adds @widget at the end of the header bar, for the record's actions. */
void sb_detail_page_add_header_widget (SbDetailPage *self, GtkWidget *widget);
/* Removes the heading and every group, so a card can be filled again after its record
 * changed (the header bar's widgets stay). */
void sb_detail_page_clear (SbDetailPage *self);

/* A dimmed row saying a group has nothing to show ("No contact persons"). */
void sb_detail_page_add_placeholder_row (AdwPreferencesGroup *group, const char *text);

G_END_DECLS
