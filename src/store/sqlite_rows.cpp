// Reading and binding rows shared by the query files.
#include "store/sqlite_rows.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace vg::store::sqlite {

using nlohmann::json;

std::string ids_to_json(const std::vector<Id>& ids) {
    return json(ids).dump();
}
std::vector<Id> ids_from_json(const std::string& s) {
    auto j = json::parse(s, nullptr, false);
    std::vector<Id> out;
    if (j.is_array())
        for (auto& v : j)
            if (v.is_number_integer()) out.push_back(v.get<Id>());
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}
std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

core::WeeklyRule read_rule(const Stmt& s, int col) {
    core::WeeklyRule r;
    r.weekdays = std::uint8_t(s.i32(col));
    r.start_minute = s.i32(col + 1);
    r.end_minute = s.i32(col + 2);
    r.valid_from = core::LocalDay(s.i64(col + 3));
    if (!s.is_null(col + 4)) r.valid_until = core::LocalDay(s.i64(col + 4));
    r.every_n_weeks = s.i32(col + 5);
    return r;
}
void bind_rule(Stmt& s, int col, const core::WeeklyRule& r) {
    s.bind(col, int(r.weekdays))
        .bind(col + 1, r.start_minute)
        .bind(col + 2, r.end_minute)
        .bind(col + 3, std::int64_t(r.valid_from));
    if (r.valid_until)
        s.bind(col + 4, std::int64_t(*r.valid_until));
    else
        s.bind_null(col + 4);
    s.bind(col + 5, r.every_n_weeks);
}

Appointment read_appointment(const Stmt& s) {
    Appointment a;
    a.id = s.i64(0);
    a.organisation_id = s.i64(1);
    a.motif_id = s.i64(2);
    a.site_id = s.i64(3);
    a.agent_id = s.i64(4);
    a.channel = core::parse_channel(s.text(5)).value_or(core::Channel::video);
    a.starts_at = s.i64(6);
    a.ends_at = s.i64(7);
    a.status = parse_appointment_status(s.text(8)).value_or(AppointmentStatus::booked);
    a.citizen.first_name = s.text(9);
    a.citizen.last_name = s.text(10);
    a.citizen.email = s.text(11);
    a.citizen.phone = s.text(12);
    a.citizen.language = s.text(13);
    a.citizen.beneficiary_number = s.text(14);
    a.citizen.needs = s.text(15);
    a.terms_version = s.i32(16);
    a.booked_by.kind = s.text(17);
    a.booked_by.agent_id = s.opt_i64(18);
    a.booked_by.partner_site_id = s.opt_i64(19);
    a.token_hash = s.text(20);
    a.token_expires_at = s.i64(21);
    a.cancel_reason = s.text(22);
    a.sequence = s.i32(23);
    a.created_at = s.i64(24);
    a.updated_at = s.i64(25);
    return a;
}

OutboxRow read_outbox(const Stmt& s) {
    OutboxRow r;
    r.id = s.i64(0);
    r.organisation_id = s.i64(1);
    r.appointment_id = s.opt_i64(2);
    r.idempotency_key = s.text(3);
    r.kind = s.text(4);
    r.channel = s.text(5);
    r.payload = s.text(6);
    r.status = s.text(7);
    r.attempts = s.i32(8);
    r.due_at = s.i64(9);
    r.next_attempt_at = s.i64(10);
    r.last_error = s.text(11);
    r.created_at = s.i64(12);
    return r;
}

Organisation read_org(const Stmt& s) {
    Organisation o;
    o.id = s.i64(0);
    o.slug = s.text(1);
    o.name = s.text(2);
    o.languages = split(s.text(3));
    o.default_time_zone = s.text(4);
    o.holiday_region = s.text(5);
    o.brand_colour = s.text(6);
    o.logo_url = s.text(7);
    o.sender_email = s.text(8);
    o.reply_to = s.text(9);
    o.mediation_contact = s.text(10);
    o.sms_gateway = s.text(11);
    o.no_show_delay_minutes = s.i32(12);
    o.retention_days = s.i32(13);
    o.logo_etag = s.text(14);
    o.room_opens_minutes = s.i32(15);
    o.room_margin_minutes = s.i32(16);
    o.camera_required = s.i32(17) != 0;
    o.document_retention_days = s.i32(18);
    return o;
}

void bind_appointment(Stmt& s, const Appointment& a) {
    s.bind(1, a.organisation_id)
        .bind(2, a.motif_id)
        .bind(3, a.site_id)
        .bind(4, a.agent_id)
        .bind(5, core::to_string(a.channel))
        .bind(6, a.starts_at)
        .bind(7, a.ends_at)
        .bind(8, to_string(a.status))
        .bind(9, a.citizen.first_name)
        .bind(10, a.citizen.last_name)
        .bind(11, a.citizen.email)
        .bind(12, a.citizen.phone)
        .bind(13, a.citizen.language)
        .bind(14, a.citizen.beneficiary_number)
        .bind(15, a.citizen.needs)
        .bind(16, a.terms_version)
        .bind(17, a.booked_by.kind)
        .bind(18, a.booked_by.agent_id)
        .bind(19, a.booked_by.partner_site_id)
        .bind(20, a.token_hash)
        .bind(21, a.token_expires_at)
        .bind(22, a.cancel_reason)
        .bind(23, a.sequence)
        .bind(24, a.created_at)
        .bind(25, a.updated_at);
}

void bind_site(Stmt& s, int first, const Site& x) {
    s.bind(first, x.name)
        .bind(first + 1, x.address)
        .bind(first + 2, x.postal_code)
        .bind(first + 3, x.city)
        .bind(first + 4, x.time_zone)
        .bind(first + 5, x.access_notes.to_json())
        .bind(first + 6, x.is_partner ? 1 : 0)
        .bind(first + 7, x.holiday_region);
}

void bind_motif(Stmt& s, int first, const Motif& m) {
    s.bind(first, m.code)
        .bind(first + 1, m.name.to_json())
        .bind(first + 2, m.theme.to_json())
        .bind(first + 3, m.documents.to_json())
        .bind(first + 4, m.rules.duration_minutes)
        .bind(first + 5, m.rules.buffer_minutes)
        .bind(first + 6, m.rules.min_lead_minutes)
        .bind(first + 7, m.rules.horizon_days)
        .bind(first + 8, int(m.rules.channels))
        .bind(first + 9, m.is_public ? 1 : 0)
        .bind(first + 10, m.asks_beneficiary_number ? 1 : 0)
        .bind(first + 11, nlohmann::json(m.reminder_minutes).dump())
        .bind(first + 12, m.position)
        .bind(first + 13, m.open_to_partners ? 1 : 0);
}

Terms read_terms(const Stmt& s) {
    Terms t;
    t.id = s.i64(0);
    t.organisation_id = s.i64(1);
    t.version = s.i32(2);
    t.text = LocalText::from_json(s.text(3));
    t.conduct_rules = LocalText::from_json(s.text(4));
    t.published_at = s.i64(5);
    return t;
}

}  // namespace vg::store::sqlite
