// Reading and binding rows, shared by the query files of the SQLite Session.
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"
#include "store/model.hpp"
#include "store/sqlite.hpp"

namespace vg::store::sqlite {

#define VG_ORG_SELECT                                                                     \
    "SELECT id, slug, name, languages, default_time_zone, holiday_region, brand_colour, " \
    "logo_url, sender_email, reply_to, mediation_contact, sms_gateway, "                  \
    "no_show_delay_minutes, retention_days, logo_etag, room_opens_minutes, "              \
    "room_margin_minutes, camera_required, document_retention_days FROM organisations "

// Columns read by read_appointment(), in its order.
#define VG_APPOINTMENT_COLUMNS                                                                \
    "id, organisation_id, motif_id, site_id, agent_id, channel, starts_at, ends_at, status, " \
    "citizen_first_name, citizen_last_name, citizen_email, citizen_phone, citizen_language, " \
    "beneficiary_number, needs, terms_version, booked_by, booked_by_agent_id, "               \
    "booked_by_partner_site_id, token_hash, token_expires_at, cancel_reason, sequence, "      \
    "created_at, updated_at"

// Columns read by read_outbox(), in its order.
#define VG_OUTBOX_COLUMNS                                                                    \
    "id, organisation_id, appointment_id, idempotency_key, kind, channel, payload, status, " \
    "attempts, due_at, next_attempt_at, last_error, created_at"

std::string ids_to_json(const std::vector<Id>& ids);
std::vector<Id> ids_from_json(const std::string& s);
// Comma-separated lists (organisation languages).
std::string join(const std::vector<std::string>& v);
std::vector<std::string> split(const std::string& s);

core::WeeklyRule read_rule(const Stmt& s, int col);
void bind_rule(Stmt& s, int col, const core::WeeklyRule& r);
Appointment read_appointment(const Stmt& s);
// Binds the 25 columns of VG_APPOINTMENT_COLUMNS after id, from parameter 1.
void bind_appointment(Stmt& s, const Appointment& a);
OutboxRow read_outbox(const Stmt& s);
Organisation read_org(const Stmt& s);
// The edited columns of a site (name ... holiday_region, 8) and of a motif (code ...
// position, 13), bound from parameter `first`, in the same order for INSERT and UPDATE.
void bind_site(Stmt& s, int first, const Site& x);
void bind_motif(Stmt& s, int first, const Motif& m);
// A row of "id, organisation_id, version, text, conduct_rules, published_at" of terms.
Terms read_terms(const Stmt& s);

}  // namespace vg::store::sqlite
