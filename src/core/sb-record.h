/* sb-record.h: table descriptions shared by the ERP record types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-decimal.h"
#include "sb-store.h"

G_BEGIN_DECLS

typedef enum
{
  SB_FIELD_TEXT,    /* char *, never NULL once read; '' when blank */
  SB_FIELD_CODE,    /* char *, a reference stored as NULL when blank */
  SB_FIELD_DECIMAL, /* SbDecimal */
  SB_FIELD_INT,     /* gint64; also enumerations */
  SB_FIELD_BOOL,    /* gboolean */
  SB_FIELD_DATE,    /* char * 'YYYY-MM-DD' or '' */
} SbFieldType;

typedef enum
{
  SB_FIELD_FLAG_NONE = 0,
  SB_FIELD_FLAG_KEY = 1 << 0,       /* part of the primary key */
  SB_FIELD_FLAG_REQUIRED = 1 << 1,  /* must not be blank */
  SB_FIELD_FLAG_SYSTEM = 1 << 2,    /* maintained by the store: change_no, modified_at */
  SB_FIELD_FLAG_BLANK_KEY = 1 << 3, /* a key part where blank has a meaning */
} SbFieldFlags;

typedef struct
{
  const char *name; /* column name, also the stable JSON name */
  SbFieldType type;
  gsize offset;     /* in the record struct */
  guint max_length; /* characters, 0 = unlimited */
  SbFieldFlags flags;
  const char *label; /* N_() marked, for detail views */
  /* For enumerations: N_() marked labels indexed by value, NULL-terminated. */
  const char *const *choices;
} SbField;

typedef struct _SbRecordType SbRecordType;

/* Domain rules beyond lengths and required fields; may read the store. */
typedef gboolean (*SbRecordValidateFunc) (SbStore *store, gconstpointer record, GError **error);

struct _SbRecordType
{
  const char *table;
  const char *label; /* N_() marked singular, e.g. "Customer" */
  gsize size;
  const SbField *fields;
  guint n_fields;
  const char *order_by; /* default list order */
  SbRecordValidateFunc validate;
  GDestroyNotify free_func; /* frees one record of this type */
};

/* Declares Type_new/_copy/_free and the autoptr cleanup of a record struct
 * described by `type_name_record_type`. */
#define SB_DECLARE_RECORD(TypeName, type_name)                                                     \
  extern const SbRecordType type_name##_record_type;                                               \
  TypeName *type_name##_new (void);                                                                \
  TypeName *type_name##_copy (const TypeName *record);                                             \
  void type_name##_free (TypeName *record);                                                        \
  G_DEFINE_AUTOPTR_CLEANUP_FUNC (TypeName, type_name##_free)

#define SB_DEFINE_RECORD(TypeName, type_name)                                                      \
  TypeName *type_name##_new (void)                                                                 \
  {                                                                                                \
    return sb_record_new (&type_name##_record_type);                                               \
  }                                                                                                \
  TypeName *type_name##_copy (const TypeName *record)                                              \
  {                                                                                                \
    return sb_record_copy (&type_name##_record_type, record);                                      \
  }                                                                                                \
  void type_name##_free (TypeName *record)                                                         \
  {                                                                                                \
    sb_record_free (&type_name##_record_type, record);                                             \
  }

#define SB_FIELD(Struct, member, type, max, flags, label)                                          \
  {                                                                                                \
#member, type, G_STRUCT_OFFSET(Struct, member), max, flags, label                              \
  }
#define SB_FIELD_CHOICE(Struct, member, flags, label, choices)                                     \
  {                                                                                                \
#member, SB_FIELD_INT, G_STRUCT_OFFSET(Struct, member), 0, flags, label, choices               \
  }
#define SB_FIELD_CHANGE_NO(Struct)                                                                 \
  {                                                                                                \
    "change_no", SB_FIELD_INT, G_STRUCT_OFFSET (Struct, change_no), 0, SB_FIELD_FLAG_SYSTEM, NULL  \
  }
#define SB_FIELD_MODIFIED_AT(Struct)                                                               \
  {                                                                                                \
    "modified_at", SB_FIELD_TEXT, G_STRUCT_OFFSET (Struct, modified_at), 0, SB_FIELD_FLAG_SYSTEM,  \
        NULL                                                                                       \
  }

gpointer sb_record_new (const SbRecordType *type);
gpointer sb_record_copy (const SbRecordType *type, gconstpointer record);
void sb_record_free (const SbRecordType *type, gpointer record);
const SbField *sb_record_type_find_field (const SbRecordType *type, const char *name);

/* Field access, for generic code (CLI JSON, detail views). */
const char *sb_record_get_text (const SbField *field, gconstpointer record);
void sb_record_set_text (const SbField *field, gpointer record, const char *value);
gint64 sb_record_get_int (const SbField *field, gconstpointer record);
void sb_record_set_int (const SbField *field, gpointer record, gint64 value);
/* The translated label of an enumeration's value, or NULL when @field has
 * no choices or the value has no label. */
const char *sb_record_get_choice (const SbField *field, gconstpointer record);
/* The value in the stable machine form ("12.5", "true", "2026-11-21"). */
char *sb_record_to_string (const SbField *field, gconstpointer record);
/* Parses the machine form; sets a clear error naming the field. */
gboolean sb_record_parse_field (const SbRecordType *type, const SbField *field, gpointer record,
                                const char *text, GError **error);

/* Checks lengths, required fields, then type->validate. */
gboolean sb_record_validate (SbStore *store, const SbRecordType *type, gconstpointer record,
                             GError **error);

/* Writes with a new change number and modification time (updated in
 * @record).  They validate first and run in a transaction of their own
 * (nested in the caller's if there is one). */
gboolean sb_record_insert (SbStore *store, const SbRecordType *type, gpointer record,
                           GError **error);
gboolean sb_record_update (SbStore *store, const SbRecordType *type, gpointer record,
                           GError **error);
/* Removes the row with @record's key and leaves a tombstone. */
gboolean sb_record_delete (SbStore *store, const SbRecordType *type, gconstpointer record,
                           GError **error);

/* Reads the row whose key fields equal @key's; NOT_FOUND error when absent. */
gpointer sb_record_lookup (SbStore *store, const SbRecordType *type, gconstpointer key,
                           GError **error);
/* Rows matching @where (SQL over the table's columns, may be NULL) with
 * @params bound as text in order.  Element type: the record struct. */
GPtrArray *sb_record_list (SbStore *store, const SbRecordType *type, const char *where,
                           const char *const *params, GError **error);
/* Rows whose @columns contain @search, case-insensitively (all rows when
 * @search is NULL or empty). */
GPtrArray *sb_record_search (SbStore *store, const SbRecordType *type, const char *search,
                             const char *const *columns, GError **error);
/* Rows changed after @change_no, oldest change first, at most @limit. */
GPtrArray *sb_record_list_changed (SbStore *store, const SbRecordType *type, gint64 change_no,
                                   guint limit, GError **error);

/* A LIKE pattern matching text that contains @search, case-folded for
 * comparison with sb_fold(column) and escaped for ESCAPE '\\'. */
char *sb_record_search_pattern (const char *search);

/* "Customer C00010" — how messages name a record. */
char *sb_record_describe (const SbRecordType *type, gconstpointer record);

G_END_DECLS
