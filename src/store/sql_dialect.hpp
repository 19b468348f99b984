// The few places where the SQL of the query files is SQLite's own. Everything else is
// standard SQL that PostgreSQL also accepts (RETURNING, ON CONFLICT, partial indexes), so a
// PostgreSQL store replaces these fragments, not the queries. Macros because they are
// pasted into string literals (statements are cached by the literal's address).
#pragma once

// "column " VG_SQL_IN_IDS with one parameter bound to a JSON array of ids.
// PostgreSQL: "= ANY(CAST(? AS bigint[]))" with the ids bound as an array.
#define VG_SQL_IN_IDS "IN (SELECT value FROM json_each(?))"

// The payload of an outbox message without its sealed management token.
// PostgreSQL (jsonb): "payload - 'token'".
#define VG_SQL_PAYLOAD_WITHOUT_TOKEN "json_remove(payload, '$.token')"
