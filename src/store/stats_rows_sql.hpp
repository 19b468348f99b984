// The definition of the statistics' per-appointment row (migration 28, docs/STATISTICS.md):
// one row per appointment computed from its history, outcome, survey and room journal. The
// migration fills the table with it; the triggers then keep each row up to date, and
// tests/unit/test_stats_rows.cpp checks after every kind of write that the table still equals
// this computation. Columns in the order of the table's INSERT in migration 28. A macro:
// pasted into string literals. Released with migration 28: never edit it; a new definition is
// a new migration.
#pragma once

#define VG_SQL_STATS_ROWS_FROM_HISTORY \
    "SELECT a.organisation_id, a.starts_at, a.id, a.ends_at, a.created_at, a.motif_id, a.site_id, " \
    "  a.agent_id, a.channel, a.status, a.citizen_language, a.booked_by, a.cancel_reason, " \
    "  COALESCE((SELECT CASE WHEN json_valid(e.detail) AND json_type(e.detail, '$.by') = 'text' " \
    "      THEN json_extract(e.detail, '$.by') ELSE '' END FROM appointment_events e " \
    "    WHERE e.appointment_id = a.id AND e.kind = 'cancelled' ORDER BY e.id DESC LIMIT 1), ''), " \
    "  EXISTS (SELECT 1 FROM appointment_events e WHERE e.appointment_id = a.id " \
    "    AND e.kind = 'presence_confirmed'), " \
    "  EXISTS (SELECT 1 FROM appointment_events e WHERE e.appointment_id = a.id " \
    "    AND e.kind = 'moved_to_phone'), " \
    "  (SELECT COUNT(*) FROM appointment_events e WHERE e.appointment_id = a.id " \
    "    AND e.kind = 'rescheduled'), " \
    "  COALESCE(o.resolved, ''), COALESCE(o.request_type, ''), COALESCE(o.theme, ''), " \
    "  COALESCE(o.autonomy, ''), v.rating, COALESCE(v.comment, ''), " \
    "  EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'joined'), " \
    "  (SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id AND r.role = 'citizen' " \
    "    AND r.kind = 'joined'), " \
    "  (SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'admitted'), " \
    "  (SELECT MIN(r.at) FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'ended'), " \
    "  (SELECT MAX(r.at) FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'left'), " \
    "  (SELECT COUNT(*) FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'ice_restart'), " \
    "  (SELECT COUNT(*) FROM room_events r WHERE r.appointment_id = a.id " \
    "    AND r.kind = 'connection_failed'), " \
    "  EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id " \
    "    AND r.kind = 'audio_fallback'), " \
    "  EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id " \
    "    AND r.kind = 'moved_to_phone'), " \
    "  EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'connected'), " \
    "  EXISTS (SELECT 1 FROM room_events r WHERE r.appointment_id = a.id AND r.kind = 'connected' " \
    "    AND r.detail LIKE '%\"relay\"%'), " \
    "  COALESCE((SELECT CASE WHEN json_valid(r.detail) AND json_type(r.detail, '$.browser') = 'text' " \
    "      THEN json_extract(r.detail, '$.browser') ELSE '' END FROM room_events r " \
    "    WHERE r.appointment_id = a.id AND r.role = 'citizen' AND r.kind = 'joined' " \
    "    ORDER BY r.id LIMIT 1), '') " \
    "FROM appointments a " \
    "LEFT JOIN appointment_outcomes o ON o.appointment_id = a.id " \
    "LEFT JOIN satisfaction_surveys v ON v.appointment_id = a.id "
