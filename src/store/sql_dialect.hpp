// The few places where the SQL of the query files is SQLite's own. Everything else is
// standard SQL that PostgreSQL also accepts (RETURNING, ON CONFLICT, partial indexes), so a
// PostgreSQL store replaces these fragments, not the queries. Macros because they are
// pasted into string literals (statements are cached by the literal's address).
#pragma once

// "column " VG_SQL_IN_IDS with one parameter bound to a JSON array of ids.
// PostgreSQL: "= ANY(CAST(? AS bigint[]))" with the ids bound as an array.
#define VG_SQL_IN_IDS "IN (SELECT value FROM json_each(?))"

// The payload of an outbox message without its sealed management token. A payload that is
// not valid JSON is left as it is: recording that a message was sent or cancelled must never
// fail because of its payload (such a message is never sent: the sender makes it dead).
// PostgreSQL (jsonb, always valid): "payload - 'token'".
#define VG_SQL_PAYLOAD_WITHOUT_TOKEN \
    "CASE WHEN json_valid(payload) THEN json_remove(payload, '$.token') ELSE payload END"
