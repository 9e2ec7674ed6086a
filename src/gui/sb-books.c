/* sb-books.c: the books in sidebar order, and helpers their pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-books.h"
#include "sb-setup.h"

static const SbRecordListSpec *const books[] = {
  &sb_customer_book,
  &sb_item_book,
  NULL,
};

const SbRecordListSpec *const *
sb_books_get_specs (void)
{
  return books;
}

const SbRecordListSpec *
sb_books_find_spec (const char *name)
{
  for (guint i = 0; books[i] != NULL; i++)
    if (g_str_equal (books[i]->name, name))
      return books[i];
  return NULL;
}

char *
sb_books_get_local_currency (SbStore *store)
{
  g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (store, NULL);

  if (setup == NULL || setup->local_currency_code == NULL)
    return g_strdup ("");
  return g_strdup (setup->local_currency_code);
}

void
sb_books_add_error_group (SbDetailPage *page, const char *title, const GError *error)
{
  AdwPreferencesGroup *group = sb_detail_page_add_group (page, title);

  sb_detail_page_add_placeholder_row (group, error->message);
}
