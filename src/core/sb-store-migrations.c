/* sb-store-migrations.c
 *
 * Each step takes a database of the previous version to the next one and
 * never changes once released: a new schema change is a new step, tested by
 * opening a database made at the version before it (tests/core/test-store.c).
 *
 * Conventions: money and quantities are INTEGER scaled by 10^5 (SbDecimal);
 * dates are TEXT 'YYYY-MM-DD'; blank optional codes are NULL so foreign keys
 * hold.  Every ERP table has change_no (from sb_meta 'change_no', indexed,
 * so "changed since N" is a range scan) and modified_at (ISO 8601 UTC).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-store-migrations.h"

#define CHANGE_COLUMNS "change_no INTEGER NOT NULL DEFAULT 0, modified_at TEXT NOT NULL DEFAULT ''"

/* Version 1: setup and master data. */
static const char step1[] =
    "CREATE TABLE sb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "INSERT INTO sb_meta (key, value) VALUES ('change_no', '0');"
    "CREATE TABLE deleted_record (id INTEGER PRIMARY KEY, table_name TEXT NOT NULL,"
    "  record_key TEXT NOT NULL, " CHANGE_COLUMNS ");"
    "CREATE INDEX deleted_record_change ON deleted_record (change_no);"

    "CREATE TABLE no_series (code TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
    "  prefix TEXT NOT NULL, width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 12),"
    "  last_no INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "INSERT INTO no_series (code, description, prefix, width) VALUES"
    "  ('CUST', 'Customers', 'C', 5), ('S-QUO', 'Sales quotes', 'SQ', 5),"
    "  ('S-ORD', 'Sales orders', 'SO', 5), ('S-INV+', 'Posted sales invoices', 'PSI', 5),"
    "  ('PAYMENT', 'Payments', 'PAY', 5), ('CONT', 'Contacts', 'CT', 5);"

    "CREATE TABLE general_setup (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  company_name TEXT NOT NULL DEFAULT '', local_currency_code TEXT NOT NULL DEFAULT 'EUR',"
    "  fiscal_year_start_month INTEGER NOT NULL DEFAULT 1"
    "    CHECK (fiscal_year_start_month BETWEEN 1 AND 12), " CHANGE_COLUMNS ");"
    "INSERT INTO general_setup (id) VALUES (1);"

    "CREATE TABLE sales_setup (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  customer_nos TEXT REFERENCES no_series, quote_nos TEXT REFERENCES no_series,"
    "  order_nos TEXT REFERENCES no_series, posted_invoice_nos TEXT REFERENCES no_series,"
    "  payment_nos TEXT REFERENCES no_series, contact_nos TEXT REFERENCES no_series,"
    "  write_in_product_type INTEGER NOT NULL DEFAULT 0 CHECK (write_in_product_type IN (0, 1, 2)),"
    "  write_in_product_no TEXT NOT NULL DEFAULT '', " CHANGE_COLUMNS ");"
    "INSERT INTO sales_setup (id, customer_nos, quote_nos, order_nos, posted_invoice_nos,"
    "  payment_nos, contact_nos) VALUES (1, 'CUST', 'S-QUO', 'S-ORD', 'S-INV+', 'PAYMENT', 'CONT');"

    "CREATE TABLE payment_terms (code TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
    "  due_days INTEGER NOT NULL DEFAULT 0 CHECK (due_days >= 0), " CHANGE_COLUMNS
    ") WITHOUT ROWID;"

    "CREATE TABLE salesperson (code TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',"
    "  email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
    "  blocked INTEGER NOT NULL DEFAULT 0, " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX salesperson_change ON salesperson (change_no);"

    "CREATE TABLE currency (code TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
    "  symbol TEXT NOT NULL DEFAULT '', exchange_rate INTEGER NOT NULL DEFAULT 100000"
    "    CHECK (exchange_rate > 0),"
    "  amount_decimals INTEGER NOT NULL DEFAULT 2 CHECK (amount_decimals BETWEEN 0 AND "
    "5), " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX currency_change ON currency (change_no);"

    "CREATE TABLE unit_of_measure (code TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT "
    "'', " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX unit_of_measure_change ON unit_of_measure (change_no);"

    "CREATE TABLE customer_price_group (code TEXT PRIMARY KEY,"
    "  description TEXT NOT NULL DEFAULT '', " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX customer_price_group_change ON customer_price_group (change_no);"

    "CREATE TABLE customer (no TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  address TEXT NOT NULL DEFAULT '', address_2 TEXT NOT NULL DEFAULT '',"
    "  post_code TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '',"
    "  country_code TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '',"
    "  contact TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
    "  email TEXT NOT NULL DEFAULT '', fax TEXT NOT NULL DEFAULT '',"
    "  home_page TEXT NOT NULL DEFAULT '',"
    "  currency_code TEXT REFERENCES currency, salesperson_code TEXT REFERENCES salesperson,"
    "  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),"
    "  price_group_code TEXT REFERENCES customer_price_group,"
    "  payment_terms_code TEXT REFERENCES payment_terms,"
    "  blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)), " CHANGE_COLUMNS
    ") WITHOUT ROWID;"
    "CREATE INDEX customer_change ON customer (change_no);"

    "CREATE TABLE contact (no TEXT PRIMARY KEY, first_name TEXT NOT NULL DEFAULT '',"
    "  middle_name TEXT NOT NULL DEFAULT '', surname TEXT NOT NULL DEFAULT '',"
    "  company_no TEXT NOT NULL REFERENCES customer, job_title TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '', address_2 TEXT NOT NULL DEFAULT '',"
    "  post_code TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '',"
    "  country_code TEXT NOT NULL DEFAULT '', county TEXT NOT NULL DEFAULT '',"
    "  email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
    "  mobile_phone TEXT NOT NULL DEFAULT '', pager TEXT NOT NULL DEFAULT '',"
    "  fax TEXT NOT NULL DEFAULT '', home_page TEXT NOT NULL DEFAULT '',"
    "  currency_code TEXT REFERENCES currency, " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX contact_company ON contact (company_no);"
    "CREATE INDEX contact_change ON contact (change_no);"

    "CREATE TABLE item (no TEXT PRIMARY KEY, description TEXT NOT NULL,"
    "  base_unit_code TEXT REFERENCES unit_of_measure,"
    "  unit_price INTEGER NOT NULL DEFAULT 0 CHECK (unit_price >= 0),"
    "  unit_cost INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),"
    "  inventory INTEGER NOT NULL DEFAULT 0, unit_volume INTEGER NOT NULL DEFAULT 0,"
    "  gross_weight INTEGER NOT NULL DEFAULT 0, vendor_no TEXT NOT NULL DEFAULT '',"
    "  vendor_item_no TEXT NOT NULL DEFAULT '',"
    "  type INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1, 2)),"
    "  blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)), " CHANGE_COLUMNS
    ") WITHOUT ROWID;"
    "CREATE INDEX item_change ON item (change_no);"

    "CREATE TABLE resource (no TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  base_unit_code TEXT REFERENCES unit_of_measure,"
    "  unit_price INTEGER NOT NULL DEFAULT 0 CHECK (unit_price >= 0),"
    "  unit_cost INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),"
    "  capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),"
    "  blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)), " CHANGE_COLUMNS
    ") WITHOUT ROWID;"
    "CREATE INDEX resource_change ON resource (change_no);"

    /* currency_code '' is the local currency: part of the key, so not NULL. */
    "CREATE TABLE sales_price (item_no TEXT NOT NULL REFERENCES item ON DELETE CASCADE,"
    "  price_group_code TEXT NOT NULL REFERENCES customer_price_group ON DELETE CASCADE,"
    "  currency_code TEXT NOT NULL DEFAULT '',"
    "  unit_code TEXT NOT NULL REFERENCES unit_of_measure,"
    "  unit_price INTEGER NOT NULL CHECK (unit_price >= 0), " CHANGE_COLUMNS ","
    "  PRIMARY KEY (item_no, price_group_code, currency_code, unit_code)) WITHOUT ROWID;"
    "CREATE INDEX sales_price_group ON sales_price (price_group_code);"
    "CREATE INDEX sales_price_change ON sales_price (change_no);"

    "CREATE TABLE opportunity (no TEXT PRIMARY KEY, description TEXT NOT NULL,"
    "  contact_no TEXT REFERENCES contact, salesperson_code TEXT REFERENCES salesperson,"
    "  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),"
    "  estimated_value INTEGER NOT NULL DEFAULT 0,"
    "  estimated_closing_date TEXT NOT NULL DEFAULT '', " CHANGE_COLUMNS ") WITHOUT ROWID;"
    "CREATE INDEX opportunity_change ON opportunity (change_no);";

#define ADDRESS_COLUMNS(p)                                                                         \
  p "name TEXT NOT NULL DEFAULT '', " p "address TEXT NOT NULL DEFAULT '', " p                     \
    "address_2 TEXT NOT NULL DEFAULT '', " p "city TEXT NOT NULL DEFAULT '', " p                   \
    "post_code TEXT NOT NULL DEFAULT '', " p "county TEXT NOT NULL DEFAULT '', " p                 \
    "country_code TEXT NOT NULL DEFAULT ''"

#define HEADER_COLUMNS                                                                             \
  "sell_to_customer_no TEXT NOT NULL REFERENCES customer,"                                         \
  "  order_date TEXT NOT NULL DEFAULT '', currency_code TEXT REFERENCES currency,"                 \
  "  external_document_no TEXT NOT NULL DEFAULT '', your_reference TEXT NOT NULL DEFAULT '',"      \
  "  quote_no TEXT NOT NULL DEFAULT '', quote_valid_until TEXT NOT NULL DEFAULT '',"               \
  "  requested_delivery_date TEXT NOT NULL DEFAULT '',"                                            \
  "  last_shipment_date TEXT NOT NULL DEFAULT '',"                                                 \
  "  payment_discount_pct INTEGER NOT NULL DEFAULT 0,"                                             \
  "  work_description TEXT NOT NULL DEFAULT '',"                                                   \
  "  payment_terms_code TEXT REFERENCES payment_terms,"                                            \
  "  salesperson_code TEXT REFERENCES salesperson, " ADDRESS_COLUMNS (                             \
      "bill_to_") ", " ADDRESS_COLUMNS ("ship_to_") ","                                            \
                                                    "  status INTEGER NOT NULL DEFAULT 0 CHECK "   \
                                                    "(status IN (0, 1))"

#define LINE_COLUMNS                                                                               \
  "type INTEGER NOT NULL CHECK (type IN (0, 1, 2)), no TEXT NOT NULL DEFAULT '',"                  \
  "  description TEXT NOT NULL DEFAULT '' CHECK (length (description) <= 100),"                    \
  "  attached_to_line_no INTEGER NOT NULL DEFAULT 0,"                                              \
  "  quantity INTEGER NOT NULL DEFAULT 0, unit_code TEXT NOT NULL DEFAULT '',"                     \
  "  unit_price INTEGER NOT NULL DEFAULT 0, line_discount_amount INTEGER NOT NULL DEFAULT 0,"      \
  "  vat_pct INTEGER NOT NULL DEFAULT 0, amount INTEGER NOT NULL DEFAULT 0,"                       \
  "  amount_including_vat INTEGER NOT NULL DEFAULT 0"

/* Version 2: sales documents, their archive, posting and the ledger.
 * doc_type: 0 quote, 1 order.  Line type: 0 comment, 1 item, 2 resource. */
static const char step2[] =
    "CREATE TABLE sales_header (doc_type INTEGER NOT NULL CHECK (doc_type IN (0, 1)),"
    "  no TEXT NOT NULL, " HEADER_COLUMNS ", " CHANGE_COLUMNS ","
    "  PRIMARY KEY (doc_type, no)) WITHOUT ROWID;"
    "CREATE INDEX sales_header_customer ON sales_header (sell_to_customer_no);"
    "CREATE INDEX sales_header_change ON sales_header (change_no);"

    "CREATE TABLE sales_line (doc_type INTEGER NOT NULL, doc_no TEXT NOT NULL,"
    "  line_no INTEGER NOT NULL, " LINE_COLUMNS ","
    "  quantity_shipped INTEGER NOT NULL DEFAULT 0, quantity_invoiced INTEGER NOT NULL DEFAULT 0,"
    "  " CHANGE_COLUMNS ", PRIMARY KEY (doc_type, doc_no, line_no),"
    "  FOREIGN KEY (doc_type, doc_no) REFERENCES sales_header ON DELETE CASCADE) WITHOUT ROWID;"

    "CREATE TABLE sales_header_archive (doc_type INTEGER NOT NULL, no TEXT NOT NULL,"
    "  version_no INTEGER NOT NULL, archived_at TEXT NOT NULL, "
    "  sell_to_customer_no TEXT NOT NULL, order_date TEXT NOT NULL, currency_code TEXT,"
    "  external_document_no TEXT NOT NULL, your_reference TEXT NOT NULL, quote_no TEXT NOT NULL,"
    "  quote_valid_until TEXT NOT NULL, requested_delivery_date TEXT NOT NULL,"
    "  last_shipment_date TEXT NOT NULL, payment_discount_pct INTEGER NOT NULL,"
    "  work_description TEXT NOT NULL, payment_terms_code TEXT, salesperson_code "
    "TEXT, " ADDRESS_COLUMNS ("bill_to_") ", " ADDRESS_COLUMNS (
        "ship_to_") ", status INTEGER NOT NULL,"
                    "  PRIMARY KEY (doc_type, no, version_no)) WITHOUT ROWID;"

                    "CREATE TABLE sales_line_archive (doc_type INTEGER NOT NULL, doc_no TEXT NOT "
                    "NULL,"
                    "  version_no INTEGER NOT NULL, line_no INTEGER NOT NULL, " LINE_COLUMNS ","
                    "  PRIMARY KEY (doc_type, doc_no, version_no, line_no),"
                    "  FOREIGN KEY (doc_type, doc_no, version_no) REFERENCES sales_header_archive"
                    "    ON DELETE CASCADE) WITHOUT ROWID;"

                    "CREATE TABLE posted_invoice (no TEXT PRIMARY KEY, order_no TEXT NOT NULL "
                    "DEFAULT '',"
                    "  quote_no TEXT NOT NULL DEFAULT '',"
                    "  sell_to_customer_no TEXT NOT NULL REFERENCES customer, currency_code TEXT,"
                    "  currency_factor INTEGER NOT NULL DEFAULT 100000, posting_date TEXT NOT NULL,"
                    "  due_date TEXT NOT NULL, shipment_date TEXT NOT NULL DEFAULT '',"
                    "  external_document_no TEXT NOT NULL DEFAULT '', your_reference TEXT NOT NULL "
                    "DEFAULT '',"
                    "  payment_terms_code TEXT, salesperson_code TEXT, " ADDRESS_COLUMNS (
                        "bill_to_") ", " ADDRESS_COLUMNS ("ship_to_") ","
                                                                      "  amount INTEGER NOT NULL "
                                                                      "DEFAULT 0,"
                                                                      " amount_including_vat "
                                                                      "INTEGER NOT NULL DEFAULT 0,"
                                                                      "  invoice_discount_amount "
                                                                      "INTEGER NOT NULL DEFAULT "
                                                                      "0, " CHANGE_COLUMNS
                                                                      ") WITHOUT ROWID;"
                                                                      "CREATE INDEX "
                                                                      "posted_invoice_customer ON "
                                                                      "posted_invoice "
                                                                      "(sell_to_customer_no, "
                                                                      "posting_date);"
                                                                      "CREATE INDEX "
                                                                      "posted_invoice_change ON "
                                                                      "posted_invoice (change_no);"

                                                                      "CREATE TABLE "
                                                                      "posted_invoice_line "
                                                                      "(invoice_no TEXT NOT NULL "
                                                                      "REFERENCES posted_invoice"
                                                                      "  ON DELETE CASCADE, "
                                                                      "line_no INTEGER NOT NULL, "
                                                                      "order_line_no INTEGER NOT "
                                                                      "NULL DEFAULT "
                                                                      "0, " LINE_COLUMNS
                                                                      ", PRIMARY KEY (invoice_no, "
                                                                      "line_no)) WITHOUT ROWID;"

                                                                      /* document_type: 1 invoice, 2
                                                                       * payment.  Amounts carry
                                                                       * their sign as the ledger
                                                                       * does: invoices positive,
                                                                       * payments negative. */
                                                                      "CREATE TABLE "
                                                                      "cust_ledger_entry (entry_no "
                                                                      "INTEGER PRIMARY KEY,"
                                                                      "  customer_no TEXT NOT NULL "
                                                                      "REFERENCES customer, "
                                                                      "posting_date TEXT NOT NULL,"
                                                                      "  document_type INTEGER NOT "
                                                                      "NULL CHECK (document_type "
                                                                      "IN (1, 2)),"
                                                                      "  document_no TEXT NOT "
                                                                      "NULL, description TEXT NOT "
                                                                      "NULL DEFAULT '',"
                                                                      "  currency_code TEXT, "
                                                                      "due_date TEXT NOT NULL "
                                                                      "DEFAULT '',"
                                                                      "  amount INTEGER NOT NULL, "
                                                                      "amount_lcy INTEGER NOT NULL,"
                                                                      "  remaining_amount INTEGER "
                                                                      "NOT NULL, "
                                                                      "remaining_amount_lcy "
                                                                      "INTEGER NOT NULL,"
                                                                      "  open INTEGER NOT NULL "
                                                                      "DEFAULT 1, " CHANGE_COLUMNS
                                                                      ");"
                                                                      "CREATE INDEX "
                                                                      "cust_ledger_entry_customer "
                                                                      "ON cust_ledger_entry "
                                                                      "(customer_no, open);"
                                                                      "CREATE INDEX "
                                                                      "cust_ledger_entry_document "
                                                                      "ON cust_ledger_entry "
                                                                      "(document_no);"
                                                                      "CREATE INDEX "
                                                                      "cust_ledger_entry_change ON "
                                                                      "cust_ledger_entry "
                                                                      "(change_no);"

                                                                      "CREATE TABLE "
                                                                      "payment_application (id "
                                                                      "INTEGER PRIMARY KEY,"
                                                                      "  payment_entry_no INTEGER "
                                                                      "NOT NULL REFERENCES "
                                                                      "cust_ledger_entry,"
                                                                      "  invoice_entry_no INTEGER "
                                                                      "NOT NULL REFERENCES "
                                                                      "cust_ledger_entry,"
                                                                      "  amount INTEGER NOT NULL, "
                                                                      "posting_date TEXT NOT NULL);"
                                                                      "CREATE INDEX "
                                                                      "payment_application_invoice "
                                                                      "ON payment_application "
                                                                      "(invoice_entry_no);";

/* Version 3: case-insensitive name indexes for the lists' search and sort. */
static const char step3[] = "CREATE INDEX customer_name ON customer (name COLLATE NOCASE);"
                            "CREATE INDEX item_description ON item (description COLLATE NOCASE);"
                            "CREATE INDEX resource_name ON resource (name COLLATE NOCASE);";

/* Version 4: the connection to Dynamics 365 Sales (integration-behaviour.md §8), one row.
 * No secret columns: the client secret and the access key are kept in the user's keyring. */
static const char step4[] =
    "CREATE TABLE connection_setup (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  sales_url TEXT NOT NULL DEFAULT '', tenant TEXT NOT NULL DEFAULT '',"
    "  client_id TEXT NOT NULL DEFAULT '',"
    "  authority TEXT NOT NULL DEFAULT 'https://login.microsoftonline.com/',"
    "  api_version TEXT NOT NULL DEFAULT '9.2',"
    "  is_enabled INTEGER NOT NULL DEFAULT 0,"
    "  sales_order_integration INTEGER NOT NULL DEFAULT 0,"
    "  auto_create_sales_orders INTEGER NOT NULL DEFAULT 0,"
    "  auto_process_sales_quotes INTEGER NOT NULL DEFAULT 0,"
    "  item_availability_enabled INTEGER NOT NULL DEFAULT 0,"
    "  item_availability_url TEXT NOT NULL DEFAULT '',"
    "  item_availability_user TEXT NOT NULL DEFAULT '',"
    "  erp_web_client_url TEXT NOT NULL DEFAULT '',"
    "  base_currency_code TEXT NOT NULL DEFAULT '',"
    "  base_currency_precision INTEGER NOT NULL DEFAULT 2,"
    "  base_currency_symbol TEXT NOT NULL DEFAULT '',"
    "  solution_deployed INTEGER NOT NULL DEFAULT 0,"
    "  last_test_at TEXT NOT NULL DEFAULT '', " CHANGE_COLUMNS ");"
    "INSERT INTO connection_setup (id) VALUES (1);";

/* Version 5: the coupling and synchronization engine (src/sync, integration-behaviour.md §1-4).
 * Mappings and field mappings hold the user's settings and the watermarks; couplings pair an ERP
 * record with a Dataverse id.  A coupling may exist before its Dataverse record does ("pending"):
 * the id is chosen and committed before the create is sent, so a retry upserts the same record. */
static const char step5[] =
    "CREATE TABLE integration_table_mapping (name TEXT PRIMARY KEY, erp_table TEXT NOT NULL,"
    "  entity_set TEXT NOT NULL, direction INTEGER NOT NULL DEFAULT 0,"
    "  erp_filter TEXT NOT NULL DEFAULT '', dataverse_filter TEXT NOT NULL DEFAULT '',"
    "  depends_on TEXT NOT NULL DEFAULT '', priority INTEGER NOT NULL DEFAULT 0,"
    "  only_coupled INTEGER NOT NULL DEFAULT 1, create_if_no_match INTEGER NOT NULL DEFAULT 0,"
    "  sync_after_coupling INTEGER NOT NULL DEFAULT 0,"
    "  conflict_policy INTEGER NOT NULL DEFAULT 0, deletion_policy INTEGER NOT NULL DEFAULT 0,"
    "  job_interval INTEGER NOT NULL DEFAULT 30, inactivity_timeout INTEGER NOT NULL DEFAULT 720,"
    "  erp_watermark INTEGER NOT NULL DEFAULT 0, dataverse_watermark TEXT NOT NULL DEFAULT '',"
    "  delta_link TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE TABLE integration_field_mapping (mapping TEXT NOT NULL"
    "  REFERENCES integration_table_mapping ON DELETE CASCADE, position INTEGER NOT NULL,"
    "  erp_field TEXT NOT NULL DEFAULT '', dataverse_field TEXT NOT NULL,"
    "  direction INTEGER NOT NULL DEFAULT 2, constant TEXT NOT NULL DEFAULT '',"
    "  lookup_mapping TEXT NOT NULL DEFAULT '', transform TEXT NOT NULL DEFAULT '',"
    "  match_priority INTEGER NOT NULL DEFAULT 0, match_case_sensitive INTEGER NOT NULL DEFAULT 0,"
    "  enabled INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (mapping, position)) WITHOUT ROWID;"
    "CREATE TABLE coupling (id INTEGER PRIMARY KEY, mapping TEXT NOT NULL,"
    "  erp_key TEXT, dataverse_id TEXT, aux_id TEXT,"
    "  pending INTEGER NOT NULL DEFAULT 0, erp_change_no INTEGER NOT NULL DEFAULT 0,"
    "  dataverse_modifiedon TEXT NOT NULL DEFAULT '', dataverse_version INTEGER NOT NULL DEFAULT 0,"
    "  last_result INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '', error_count INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0, synced_at TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX coupling_erp ON coupling (mapping, erp_key);"
    "CREATE UNIQUE INDEX coupling_dataverse ON coupling (mapping, dataverse_id);"
    "CREATE INDEX coupling_retry ON coupling (mapping) WHERE last_result <> 1 AND skipped = 0;"
    "CREATE TABLE sync_job (id INTEGER PRIMARY KEY, mapping TEXT NOT NULL,"
    "  direction INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL DEFAULT '',"
    "  inserted INTEGER NOT NULL DEFAULT 0, modified INTEGER NOT NULL DEFAULT 0,"
    "  deleted INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
    "  coupled INTEGER NOT NULL DEFAULT 0, uncoupled INTEGER NOT NULL DEFAULT 0,"
    "  message TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX sync_job_mapping ON sync_job (mapping, id);"
    "CREATE TABLE sync_error (id INTEGER PRIMARY KEY, job_id INTEGER REFERENCES sync_job"
    "  ON DELETE CASCADE, mapping TEXT NOT NULL, erp_key TEXT NOT NULL DEFAULT '',"
    "  dataverse_id TEXT NOT NULL DEFAULT '', message TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE INDEX sync_error_job ON sync_error (job_id);"
    "CREATE TABLE sync_conflict (id INTEGER PRIMARY KEY, mapping TEXT NOT NULL,"
    "  kind INTEGER NOT NULL, erp_key TEXT NOT NULL DEFAULT '',"
    "  dataverse_id TEXT NOT NULL DEFAULT '', fields TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL, resolved INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX sync_conflict_mapping ON sync_conflict (mapping, resolved);";

/* Step 6: the Full Synchronization Review lines and the job queue (integration-behaviour.md
 * §2–3), and the job queue's runner lock (one row: only one runner per database). Times are
 * seconds since the epoch so the scheduler can run on an injected clock. */
static const char step6[] =
    "CREATE TABLE full_sync_review (mapping TEXT PRIMARY KEY, position INTEGER NOT NULL,"
    "  status INTEGER NOT NULL DEFAULT 0, to_status INTEGER NOT NULL DEFAULT 0,"
    "  from_status INTEGER NOT NULL DEFAULT 0, recommendation INTEGER NOT NULL DEFAULT 0,"
    "  erp_count INTEGER NOT NULL DEFAULT 0, dataverse_count INTEGER NOT NULL DEFAULT 0,"
    "  message TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE TABLE job_queue (name TEXT PRIMARY KEY, mapping TEXT NOT NULL DEFAULT '',"
    "  position INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 1,"
    "  interval_minutes INTEGER NOT NULL DEFAULT 30,"
    "  inactivity_timeout INTEGER NOT NULL DEFAULT 0, next_run INTEGER NOT NULL DEFAULT 0,"
    "  last_ready INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
    "  available INTEGER NOT NULL DEFAULT 1, held_by_full_sync INTEGER NOT NULL DEFAULT 0,"
    "  message TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    "CREATE TABLE job_runner_lock (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL,"
    "  host TEXT NOT NULL, pid INTEGER NOT NULL, heartbeat INTEGER NOT NULL);";

/* Step 7: the synchronization engine's per-record history (one row per record transferred,
 * written in the transaction that changes the data or coupling: what was sent or applied, as
 * compact JSON), the values of both sides when an update conflict was found (so the conflict can
 * be shown field by field without a network round trip) and when it was resolved, and the full
 * synchronization lock (one row: only one full synchronization per database, across processes;
 * a lock whose pid is gone or whose heartbeat stopped is taken over). */
static const char step7[] =
    "CREATE TABLE sync_history (id INTEGER PRIMARY KEY, mapping TEXT NOT NULL,"
    "  erp_key TEXT NOT NULL DEFAULT '', dataverse_id TEXT NOT NULL DEFAULT '',"
    "  direction INTEGER NOT NULL, action INTEGER NOT NULL, fields TEXT NOT NULL DEFAULT '{}',"
    "  job_id INTEGER, message TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);"
    "CREATE INDEX sync_history_erp ON sync_history (mapping, erp_key);"
    "CREATE INDEX sync_history_dataverse ON sync_history (mapping, dataverse_id);"
    "CREATE INDEX sync_history_time ON sync_history (created_at);"
    "ALTER TABLE sync_conflict ADD COLUMN erp_values TEXT NOT NULL DEFAULT '{}';"
    "ALTER TABLE sync_conflict ADD COLUMN sales_values TEXT NOT NULL DEFAULT '{}';"
    "ALTER TABLE sync_conflict ADD COLUMN resolved_at TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE full_sync_lock (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL,"
    "  host TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL,"
    "  heartbeat INTEGER NOT NULL);";

/* Step 8: sales orders and quotes taken from Dynamics 365 Sales (integration-behaviour.md
 * §5–6): their couplings' extra state, the order status posts waiting to be sent and the
 * notes of documents (synchronized with the order's annotations). */
static const char step8[] =
    "CREATE TABLE sales_document_origin (doc_type INTEGER NOT NULL, no TEXT NOT NULL,"
    "  dataverse_id TEXT NOT NULL, entity_set TEXT NOT NULL, number TEXT NOT NULL DEFAULT '',"
    "  revisionnumber INTEGER NOT NULL DEFAULT 0, marked INTEGER NOT NULL DEFAULT 0,"
    "  won_processed INTEGER NOT NULL DEFAULT 0, sent_dates TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL, PRIMARY KEY (doc_type, no)) WITHOUT ROWID;"
    "CREATE INDEX sales_document_origin_dataverse ON sales_document_origin (dataverse_id);"
    "CREATE TABLE sales_order_outbox (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL,"
    "  salesorder_id TEXT NOT NULL, kind INTEGER NOT NULL DEFAULT 0,"
    "  text TEXT NOT NULL DEFAULT '', post_id TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL, sent_at TEXT NOT NULL DEFAULT '',"
    "  message TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX sales_order_outbox_order ON sales_order_outbox (order_no, id);"
    "CREATE INDEX sales_order_outbox_pending ON sales_order_outbox (state) WHERE state <> 1;"
    "CREATE TABLE sales_note (id INTEGER PRIMARY KEY, doc_type INTEGER NOT NULL,"
    "  doc_no TEXT NOT NULL, text TEXT NOT NULL DEFAULT '', change_no INTEGER NOT NULL,"
    "  modified_at TEXT NOT NULL);"
    "CREATE INDEX sales_note_doc ON sales_note (doc_type, doc_no);";

/* Step 9: posted invoices, payments and account statistics sent to Dynamics 365 Sales and the
 * item availability service (integration-behaviour.md §7–8). */
static const char step9[] =
    "CREATE TABLE integration_solution (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  state INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0,"
    "  entity_set TEXT NOT NULL DEFAULT '', deployed_at TEXT NOT NULL DEFAULT '',"
    "  roles_ok INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '',"
    "  stats_change_no INTEGER NOT NULL DEFAULT 0);";

/* Step 10: open order item lines by item, for the item availability service: what is still to
 * ship per item reads the order lines only, in item order, instead of every sales line. */
static const char step10[] =
    "CREATE INDEX sales_line_order_item ON sales_line (type, no) WHERE doc_type = 1;";

/* Step 11: the Dataverse requests each synchronization job sent, for the API requests per day
 * on the Statistics page. */
static const char step11[] = "ALTER TABLE sync_job ADD COLUMN requests INTEGER NOT NULL DEFAULT 0;";
/* What a job did besides transferring: 'match' for coupling by matching, so the log tells a
 * full synchronization's two passes apart. */
static const char step12[] = "ALTER TABLE sync_job ADD COLUMN kind TEXT NOT NULL DEFAULT '';";

static const SbMigration migrations[] = {
  { 1, step1 }, { 2, step2 }, { 3, step3 }, { 4, step4 },   { 5, step5 },   { 6, step6 },
  { 7, step7 }, { 8, step8 }, { 9, step9 }, { 10, step10 }, { 11, step11 }, { 12, step12 },
};

const SbMigration *
sb_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
