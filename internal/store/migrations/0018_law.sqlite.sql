-- husleieloven § 3-5 caps a deposit at six months' rent; the schema held
-- it at three, which is only a municipal rule. SQLite cannot alter a
-- CHECK, and loosening one leaves every stored row valid, so the table's
-- definition is edited in place (sqlite.org/lang_altertable.html, "other
-- kinds of table schema changes") and the schema reloaded.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'deposit <= 3 * rent_monthly', 'deposit <= 6 * rent_monthly') WHERE type = 'table' AND name = 'leases';
PRAGMA writable_schema = RESET;
